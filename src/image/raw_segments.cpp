// SPDX-License-Identifier: Apache-2.0
// pread-based reads of raw / split-raw segment files (see raw_segments.hpp).
#include "image/raw_segments.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "deadbox/util/error.hpp"

namespace deadbox::image {

RawSegments::RawSegments(const std::vector<std::string>& files) {
  for (const std::string& f : files) {
    Segment s;
    s.name = f;
    s.fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (s.fd < 0 || ::fstat(s.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      const std::string why = s.fd < 0 ? std::strerror(errno) : "not a regular file";
      if (s.fd >= 0) ::close(s.fd);
      for (Segment& done : segments_) ::close(done.fd);
      throw Error(Layer::kImage, "unreadable", f, why);
    }
    s.start = total_;
    s.length = static_cast<uint64_t>(st.st_size);
    total_ += s.length;
    segments_.push_back(std::move(s));
  }
}

RawSegments::~RawSegments() {
  for (Segment& s : segments_) ::close(s.fd);
}

size_t RawSegments::read_at(uint64_t offset, std::span<std::byte> buf) const {
  size_t done = 0;
  while (done < buf.size() && offset + done < total_) {
    const uint64_t at = offset + done;
    // The segment holding `at`: the last one starting at or before it.
    auto it = std::upper_bound(segments_.begin(), segments_.end(), at,
                               [](uint64_t v, const Segment& s) { return v < s.start; });
    const Segment& s = *(it - 1);
    const uint64_t within = at - s.start;
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(buf.size() - done, s.length - within));
    const ssize_t n = ::pread(s.fd, buf.data() + done, want, static_cast<off_t>(within));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw Error(Layer::kImage, "read_error", s.name + " @" + std::to_string(within),
                  std::strerror(errno));
    if (n == 0) break;  // the file shrank under us: a short read, as at the end
    done += static_cast<size_t>(n);
  }
  return done;
}

}  // namespace deadbox::image
