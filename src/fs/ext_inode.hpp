// SPDX-License-Identifier: Apache-2.0
// Inodes for the native ext walker: decoded into tree::Stat with the field rules fls prints
// (tsk/fs/ext2fs.c ext2fs_dinode_copy in TSK 4.11.1), and a directory's data blocks mapped
// through its extent tree or block map.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "deadbox/tree/file_tree.hpp"
#include "fs/ext_layout.hpp"

namespace deadbox::fs::ext {

struct Inode {
  tree::Stat stat;
  bool used = false;  ///< ctime != 0: TSK's "used" (an orphan candidate when unallocated)
  bool extents = false;
  bool inline_data = false;
  std::string symlink_target;  ///< cleaned as TSK cleans meta->link (control bytes → '^')
  uint8_t block[60] = {};      ///< i_block: extent root, block map or inline bytes
};

/// Reads inodes through a chunk cache, with allocation from the inode bitmaps.
class InodeReader {
 public:
  InodeReader(image::ByteSource& src, const Layout& layout);
  /// nullopt when the inode number is out of range or its table/bitmap is unreadable.
  std::optional<Inode> load(uint64_t inum);
  /// Allocation bit of inum; nullopt when the bitmap is unreadable.
  std::optional<bool> allocated(uint64_t inum);
  /// Raw inode bytes (inode_size), or nullptr; for scans that only need one field.
  const uint8_t* raw(uint64_t inum);
  const Layout& layout() const { return layout_; }

 private:
  void decode(uint64_t inum, const uint8_t* p, Inode& out);
  std::string slow_symlink(const Inode& ino);
  std::string extent_symlink(const Inode& ino);
  image::ByteSource& src_;
  const Layout& layout_;
  ChunkCache tables_;
  ChunkCache bitmaps_;
};

/// One mapped stretch of a file: logical block → physical block (0 for a hole).
struct Run {
  uint64_t logical = 0;
  uint64_t physical = 0;
  uint64_t length = 0;
};

/// Maps the first `blocks` logical blocks of an extent- or block-mapped inode, calling sink
/// for each run in logical order. False when the map is corrupt (bad magic, depth, a block
/// outside the filesystem, a loop): the caller leaves the directory to TSK.
bool map_blocks(image::ByteSource& src, const Layout& layout, const Inode& ino, uint64_t blocks,
                const std::function<void(const Run&)>& sink);

}  // namespace deadbox::fs::ext
