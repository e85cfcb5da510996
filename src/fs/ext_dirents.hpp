// SPDX-License-Identifier: Apache-2.0
// Directory blocks for the native ext walker, parsed the way fls reads them (TSK 4.11.1
// ext2fs_dent_parse_block + tsk_fs_dir_add): live entries by their record lengths, and deleted
// ones recovered from the slack a shortened record leaves, so both walkers list the same names.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "deadbox/tree/file_tree.hpp"

namespace deadbox::fs::ext {

struct DirName {
  std::string name;  ///< raw bytes, cut at the first NUL as TSK copies it
  uint32_t inode = 0;
  tree::FileType type = tree::FileType::kUnknown;
  bool deleted = false;
};

/// The names of one directory with TSK's duplicate rule: a (name, inode) pair is listed once,
/// and a live entry replaces a deleted one with the same pair. O(1) per name (TSK's is linear).
class DirNames {
 public:
  void add(DirName n);
  std::vector<DirName>& names() { return names_; }
  size_t size() const { return names_.size(); }

 private:
  std::vector<DirName> names_;
  std::unordered_multimap<uint64_t, uint32_t> index_;  // hash(name, inode) → position
};

/// Parses one directory block. dir_deleted marks every name deleted (the directory's own inode
/// is free); typed = dirents carry a file type (the filetype feature); last_inum is TSK's bound
/// (inodes_count + 1).
void parse_dir_block(const uint8_t* buf, size_t len, bool dir_deleted, bool typed,
                     uint64_t last_inum, DirNames& out);

}  // namespace deadbox::fs::ext
