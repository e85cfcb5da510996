// SPDX-License-Identifier: Apache-2.0
// Layer 3, filesystems: detect by magic bytes, open explicitly by type (never TSK's
// all-types auto-detection over attacker bytes), expose as a tree::FileTree.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "deadbox/image/image.hpp"
#include "deadbox/tree/file_tree.hpp"

namespace deadbox::fs {

enum class FsType { kNone, kUnknown, kExt2, kExt3, kExt4, kXfs, kSwap, kLuks, kLvmPv, kVfat };
std::string fs_type_name(FsType t);  ///< "ext4", "xfs", "swap", "luks", "lvm2_pv", …

/// What the magic bytes say, without opening the filesystem with a library.
struct Probe {
  FsType type = FsType::kNone;  ///< kNone: all zeros / no signature; kUnknown: data
  std::string label, uuid;
  uint32_t block_size = 0;
  uint64_t block_count = 0;
  uint64_t inode_count = 0;
  bool readable = false;  ///< deadbox can open it as a FileTree
  std::string note;       ///< e.g. "swap v1, 2047 pages", "LUKS2 (encrypted)"
};

/// Reads superblocks at the known offsets (ext 1024, XFS 0, swap page end, LUKS 0, LVM label
/// sectors 0-3, FAT 0). Never throws for unrecognised data; throws deadbox::Error (layer fs)
/// only if the source itself cannot be read.
Probe probe(image::ByteSource& source);

/// Opens the filesystem of the given probed type over source. volume_name is used in
/// messages. Throws deadbox::Error (layer fs, code "corrupt"/"unsupported") on failure.
std::unique_ptr<tree::FileTree> open(std::shared_ptr<image::ByteSource> source, const Probe& probe,
                                     const std::string& volume_name);

/// Versions of the filesystem libraries layer 3 links ("libfsxfs" -> "20201117"; "libtsk"),
/// merged by callers with image::library_versions() for the court record.
std::map<std::string, std::string> library_versions();

}  // namespace deadbox::fs
