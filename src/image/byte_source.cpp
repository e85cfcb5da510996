// SPDX-License-Identifier: Apache-2.0
// SliceSource: a window of a parent ByteSource (a partition, a clipped partition).
#include <algorithm>

#include "deadbox/image/image.hpp"

namespace deadbox::image {

SliceSource::SliceSource(std::shared_ptr<ByteSource> parent, uint64_t offset, uint64_t length,
                         std::string name)
    : parent_(std::move(parent)), offset_(offset), length_(length), name_(std::move(name)) {}

size_t SliceSource::read_at(uint64_t offset, std::span<std::byte> buf) {
  if (offset >= length_) return 0;
  const uint64_t want = std::min<uint64_t>(buf.size(), length_ - offset);
  // offset_ + offset cannot overflow: both are bounded by the parent's 64-bit size.
  return parent_->read_at(offset_ + offset, buf.first(static_cast<size_t>(want)));
}

}  // namespace deadbox::image
