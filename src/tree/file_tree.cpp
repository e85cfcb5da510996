// SPDX-License-Identifier: Apache-2.0
#include "deadbox/tree/file_tree.hpp"

#include <algorithm>
#include <vector>

namespace deadbox::tree {

char type_letter(FileType t) {
  switch (t) {
    case FileType::kRegular: return 'r';
    case FileType::kDirectory: return 'd';
    case FileType::kSymlink: return 'l';
    case FileType::kCharDev: return 'c';
    case FileType::kBlockDev: return 'b';
    case FileType::kFifo: return 'p';
    case FileType::kSocket: return 'h';
    case FileType::kWhiteout: return 'w';
    case FileType::kVirtual: return 'V';
    case FileType::kUnknown: break;
  }
  return '-';
}

std::string read_all(FileTree& tree, uint64_t inode, uint64_t size, uint64_t max_bytes,
                     bool* truncated) {
  const uint64_t want = std::min(size, max_bytes);
  if (truncated != nullptr) *truncated = size > max_bytes;
  std::string out;
  out.resize(static_cast<size_t>(want));
  size_t done = 0;
  while (done < out.size()) {
    const size_t chunk = std::min<size_t>(out.size() - done, 1 << 20);
    const size_t n = tree.read(
        inode, done, std::span<std::byte>(reinterpret_cast<std::byte*>(out.data() + done), chunk));
    if (n == 0) break;
    done += n;
  }
  out.resize(done);
  return out;
}

std::string join_path(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out += name;
  return out;
}

}  // namespace deadbox::tree
