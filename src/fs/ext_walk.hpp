// SPDX-License-Identifier: Apache-2.0
// The native ext2/3/4 directory lister behind TskTree::walk. It reads directory blocks and
// inode tables straight from the volume (inode tables in cached 64 KiB chunks, so a
// directory's names cost one read instead of one TSK inode lookup each) and lists exactly what
// `fls -r -m` lists: deleted names from record slack, TSK's duplicate rule and recursion rule,
// and $OrphanFiles. What it does not handle (inline-data directories, a corrupt block map) it
// declines, and TskTree lists that directory through TSK as before.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "deadbox/image/image.hpp"
#include "deadbox/tree/file_tree.hpp"
#include "deadbox/util/diagnostics.hpp"
#include "fs/ext_dirents.hpp"
#include "fs/ext_inode.hpp"
#include "fs/ext_layout.hpp"

namespace deadbox::fs {

/// One listed name and whether fls would descend into it.
struct ListedItem {
  tree::FileEntry entry;
  bool recurse = false;
};

/// Whether `fls -r` descends into this listed name (dots are never listed, so not checked).
bool fls_would_recurse(const tree::FileEntry& e);

class ExtNativeLister {
 public:
  /// nullptr, with the reason in why, when this filesystem is better left to TSK.
  static std::unique_ptr<ExtNativeLister> open(std::shared_ptr<image::ByteSource> source,
                                               bool tsk_says_ext4, std::string volume,
                                               std::string& why);

  /// TSK's number for the virtual $OrphanFiles directory (inodes_count + 1).
  uint64_t orphan_dir_inode() const { return layout_.inodes_count + 1ull; }

  /// Lists one directory (no recursion), appending to out. dir is the directory's own entry
  /// (path, depth, inode, allocation); the root is path "/" at depth 0 and gets $OrphanFiles.
  /// Returns false, leaving out untouched, when the directory must be listed by TSK instead.
  bool list(const tree::FileEntry& dir, const tree::WalkOptions& options,
            std::vector<ListedItem>& out, Diagnostics& diag);

  /// Records a name listed by TSK instead (a declined directory), so that the orphan search
  /// still knows the free inode it names.
  void note_listed(const tree::FileEntry& e);

 private:
  ExtNativeLister(std::shared_ptr<image::ByteSource> source, ext::Layout layout,
                  std::string volume);
  /// Reads and parses a directory's blocks. False when declined (inline data, corrupt map).
  bool read_names(uint64_t inode, const ext::Inode& dir, ext::DirNames& names,
                  const std::string& path, Diagnostics& diag);
  /// Fills e's metadata from its inode (has_meta false when it cannot be loaded).
  void fill_meta(tree::FileEntry& e, Diagnostics& diag);
  void list_orphans(const tree::FileEntry& dir, std::vector<ListedItem>& out, Diagnostics& diag);
  /// TSK marks everything reachable inside an orphan directory as seen; false = stop.
  bool mark_orphan_subtree(uint64_t inode, std::vector<uint64_t>& open_dirs, Diagnostics& diag);

  std::shared_ptr<image::ByteSource> source_;
  ext::Layout layout_;
  std::string volume_;
  ext::InodeReader inodes_;
  /// Unallocated inodes some name reaches: not orphans (TSK's list_inum_named).
  std::unordered_set<uint64_t> named_free_;
  std::unordered_set<uint64_t> orphan_subtree_;
  std::vector<uint8_t> block_buf_;
};

}  // namespace deadbox::fs
