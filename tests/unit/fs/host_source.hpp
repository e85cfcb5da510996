// SPDX-License-Identifier: Apache-2.0
// Test helper: a read-only ByteSource over a window of a host file (pread), so layer-3 tests
// do not depend on the container openers of layer 1.
#pragma once
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "deadbox/image/image.hpp"

namespace deadbox::testing {

class HostFileSource final : public image::ByteSource {
 public:
  explicit HostFileSource(const std::filesystem::path& p, uint64_t offset = 0,
                          uint64_t length = UINT64_MAX)
      : fd_(::open(p.c_str(), O_RDONLY | O_CLOEXEC)), offset_(offset), name_(p.filename()) {
    if (fd_ < 0) throw std::runtime_error("cannot open " + p.string());
    const uint64_t file_size = std::filesystem::file_size(p);
    length_ = std::min(length, file_size > offset ? file_size - offset : 0);
  }
  ~HostFileSource() override { ::close(fd_); }
  HostFileSource(const HostFileSource&) = delete;
  HostFileSource& operator=(const HostFileSource&) = delete;
  uint64_t size() const override { return length_; }
  size_t read_at(uint64_t off, std::span<std::byte> buf) override {
    if (off >= length_) return 0;
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), length_ - off));
    size_t done = 0;
    while (done < want) {
      const ssize_t n =
          ::pread(fd_, buf.data() + done, want - done, static_cast<off_t>(offset_ + off + done));
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    return done;
  }
  std::string describe() const override { return name_; }

 private:
  int fd_;
  uint64_t offset_;
  uint64_t length_ = 0;
  std::string name_;
};

}  // namespace deadbox::testing
