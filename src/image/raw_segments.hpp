// SPDX-License-Identifier: Apache-2.0
// Direct reads of raw and split-raw evidence: pread on the segment files TSK validated. TSK's
// image layer copies every read under 64 KiB through its own 64 KiB cache blocks, which costs
// the ext walker (4 KiB directory blocks, inode-table chunks) several times the bytes it needs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace deadbox::image {

class RawSegments {
 public:
  /// Opens every file O_RDONLY; throws deadbox::Error (image, "unreadable") on failure.
  explicit RawSegments(const std::vector<std::string>& files);
  ~RawSegments();
  RawSegments(const RawSegments&) = delete;
  RawSegments& operator=(const RawSegments&) = delete;

  uint64_t size() const { return total_; }
  /// Reads up to buf.size() bytes at offset across segment boundaries; short only at the end.
  /// Throws deadbox::Error (image, "read_error") naming the segment file.
  size_t read_at(uint64_t offset, std::span<std::byte> buf) const;

 private:
  struct Segment {
    int fd = -1;
    uint64_t start = 0, length = 0;
    std::string name;
  };
  std::vector<Segment> segments_;
  uint64_t total_ = 0;
};

}  // namespace deadbox::image
