// SPDX-License-Identifier: Apache-2.0
// TSK-compatible ext directory block parsing (see ext_dirents.hpp). The scan moves by the
// length a name actually needs, not its record length, so names left in a record's slack by
// a deletion are found; a candidate is accepted with exactly the checks TSK applies.
#include "fs/ext_dirents.hpp"

#include <cstring>
#include <functional>
#include <string_view>

#include "fs/ext_layout.hpp"

namespace deadbox::fs::ext {
namespace {

constexpr unsigned kMaxNameLen = 255;

/// Bytes a dirent with an n-byte name occupies (EXT2FS_DIRSIZ: 8-byte header, 4-aligned).
int dirent_size(unsigned name_len) {
  return static_cast<int>((name_len + 8 + 3) & ~3u);
}

tree::FileType type_of(uint8_t t) {
  switch (t) {
    case 1: return tree::FileType::kRegular;
    case 2: return tree::FileType::kDirectory;
    case 3: return tree::FileType::kCharDev;
    case 4: return tree::FileType::kBlockDev;
    case 5: return tree::FileType::kFifo;
    case 6: return tree::FileType::kSocket;
    case 7: return tree::FileType::kSymlink;
    default: return tree::FileType::kUnknown;
  }
}

uint64_t key_of(const std::string& name, uint32_t inode) {
  return std::hash<std::string_view>{}(name)*1000003u ^ inode;
}

}  // namespace

void DirNames::add(DirName n) {
  const uint64_t key = key_of(n.name, n.inode);
  auto [lo, hi] = index_.equal_range(key);
  for (auto it = lo; it != hi; ++it) {
    DirName& old = names_[it->second];
    if (old.inode != n.inode || old.name != n.name) continue;
    if (old.deleted && !n.deleted) old = std::move(n);  // live entry wins, in the old slot
    return;
  }
  index_.emplace(key, static_cast<uint32_t>(names_.size()));
  names_.push_back(std::move(n));
}

void parse_dir_block(const uint8_t* buf, size_t len_bytes, bool dir_deleted, bool typed,
                     uint64_t last_inum, DirNames& out) {
  const int len = static_cast<int>(len_bytes);
  int deleted_left = 0;  // bytes of slack still to scan for deleted names
  int step = 4;
  for (int idx = 0; idx <= len - dirent_size(1); idx += step) {
    const uint8_t* d = buf + idx;
    const uint32_t inode = le32(d);
    const int rec_len = le16(d + 4);
    const unsigned name_len = typed ? d[6] : le16(d + 6);
    step = dirent_size(name_len);
    if (inode > last_inum || name_len > kMaxNameLen || name_len == 0 || rec_len < step ||
        rec_len % 4 != 0 || idx + rec_len > len) {
      step = 4;  // not a plausible entry: try the next 4-byte boundary
      if (deleted_left > 0) deleted_left -= 4;
      continue;
    }
    if (deleted_left != 0 && deleted_left < step) {  // must end inside the slack
      step = 4;
      deleted_left -= 4;
      continue;
    }
    DirName n;
    const char* name = reinterpret_cast<const char*>(d + 8);
    n.name.assign(name, strnlen(name, name_len));
    n.inode = inode;
    n.type = typed ? type_of(d[7]) : tree::FileType::kUnknown;
    n.deleted = deleted_left > 0 || inode == 0 || dir_deleted;
    if (deleted_left > 0) deleted_left -= step;
    out.add(std::move(n));
    // A record longer than its name needs hides deleted entries in the rest.
    if (deleted_left <= 0) {
      if (rec_len - step >= dirent_size(1))
        deleted_left = rec_len - step;
      else
        step = rec_len;
    }
  }
}

}  // namespace deadbox::fs::ext
