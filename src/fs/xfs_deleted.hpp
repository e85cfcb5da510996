// SPDX-License-Identifier: Apache-2.0
// XFS deleted directory entries, which libfsxfs does not expose. When XFS unlinks a name in a
// block or leaf directory it only overwrites the first 4 bytes of the entry (freetag +
// length); the low 32 bits of the inode number, the name and the file type stay until the
// space is reused. Carving them back is how the seed's "files that vanished within a second"
// in /boot become visible offline. Ref: xfs_da_format.h (xfs_dir2_data_entry/_unused),
// xfs_format.h (xfs_dinode); fixtures/xfs_delete.py makes such deletions for the tests.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deadbox/image/image.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::fs::xfs {

struct Geometry {
  uint32_t block_size = 0;
  uint32_t agblocks = 0;
  uint8_t agblklog = 0;
  uint8_t inopblog = 0;
  uint16_t inode_size = 0;
  uint8_t dirblklog = 0;
  bool v5 = false;
  bool has_ftype = false;
  uint64_t dblocks = 0;
};

/// Reads the primary superblock; nullopt when it is not XFS or its geometry is implausible.
std::optional<Geometry> read_geometry(image::ByteSource& source);

struct DeletedDirent {
  std::string name;         ///< raw bytes
  uint64_t inode = 0;       ///< reconstructed (low 32 bits on disk; see carve)
  uint8_t ftype = 0;        ///< XFS_DIR3_FT_* (1 regular, 2 dir, 7 symlink…), 0 unknown
  uint32_t block_offset = 0;
};

/// Deleted entries still readable in the data blocks of directory dir_inode. Bounded (4096
/// extents, 65536 entries); problems go to diag and yield fewer entries, never an exception.
std::vector<DeletedDirent> carve_deleted_dirents(image::ByteSource& source, const Geometry& g,
                                                 uint64_t dir_inode, Diagnostics& diag,
                                                 const std::string& volume);

/// An inode core read directly (freed inodes included: XFS keeps their times).
struct RawInode {
  uint16_t mode = 0;  ///< full di_mode (type + permissions); 0 when freed
  uint32_t uid = 0, gid = 0, nlink = 0;
  uint64_t size = 0;
  std::optional<int64_t> atime, mtime, ctime, crtime;  ///< ns
};

/// nullopt when the slot holds no inode core ("IN" magic) or, on v5, when the core's own
/// inode number differs (the dirent's truncated number pointed elsewhere).
std::optional<RawInode> read_raw_inode(image::ByteSource& source, const Geometry& g,
                                       uint64_t inode);

}  // namespace deadbox::fs::xfs
