// SPDX-License-Identifier: Apache-2.0
// VMDK descriptor guard: libvmdk opens the extent files a descriptor names, and a differencing
// disk's parent. Both are host paths chosen by whoever wrote the image, so deadbox only lets
// through plain file names that live next to the descriptor, and no parent link.
// Ref: VMware "Virtual Disk Format 1.1" (descriptor file, extent descriptions, KDMV header).
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <sstream>

#include "deadbox/util/escape.hpp"
#include "image/openers.hpp"

namespace deadbox::image {
namespace {

constexpr size_t kMaxDescriptor = 64 * 1024;

std::string read_range(int fd, uint64_t offset, size_t len) {
  std::string out(len, '\0');
  ssize_t got = ::pread(fd, out.data(), len, static_cast<off_t>(offset));
  out.resize(got > 0 ? static_cast<size_t>(got) : 0);
  return out;
}

uint64_t le64(const std::string& s, size_t at) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

void check_text(const std::string& text, const std::string& file) {
  std::istringstream lines(text.substr(0, text.find('\0')));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("parentFileNameHint", 0) == 0) {
      throw Error(Layer::kImage, "needs_parent", file,
                  "differencing VMDK (" + escape::terminal(line) +
                      "); deadbox does not open parent disks named inside an image");
    }
    if (line.rfind("RW ", 0) != 0 && line.rfind("RDONLY ", 0) != 0 &&
        line.rfind("NOACCESS ", 0) != 0)
      continue;
    auto q1 = line.find('"');
    auto q2 = line.rfind('"');
    if (q1 == std::string::npos || q2 <= q1) continue;  // ZERO extents have no file
    std::string name = line.substr(q1 + 1, q2 - q1 - 1);
    if (name.empty() || name.find('/') != std::string::npos ||
        name.find('\\') != std::string::npos || name == "." || name == "..") {
      throw Error(Layer::kImage, "unsafe_extent", file,
                  "VMDK extent '" + escape::terminal(name) +
                      "' is not a plain file name next to the descriptor; refused");
    }
  }
}

}  // namespace

void check_vmdk_descriptor(const std::string& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) throw Error(Layer::kImage, "not_found", file, std::strerror(errno));
  std::string head = read_range(fd, 0, 512);
  std::string text;
  if (head.size() >= 44 && head.compare(0, 4, "KDMV") == 0) {
    // Sparse extent header: descriptorOffset / descriptorSize in sectors at bytes 28 / 36.
    uint64_t off = le64(head, 28), size = le64(head, 36);
    if (off != 0 && size != 0 && off < (uint64_t{1} << 40)) {
      text = read_range(fd, off * 512,
                        static_cast<size_t>(std::min<uint64_t>(size * 512, kMaxDescriptor)));
    }
  } else {
    text = read_range(fd, 0, kMaxDescriptor);
  }
  ::close(fd);
  check_text(text, file);
}

}  // namespace deadbox::image
