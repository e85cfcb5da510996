// SPDX-License-Identifier: Apache-2.0
// The on-disk layout the native ext walker needs: superblock fields, group descriptors, inode
// bitmaps and a bounded cache of inode-table chunks, read straight from the volume's bytes.
// Field offsets: Linux Documentation/filesystems/ext4/{super,group_descr,inodes}.rst.
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "deadbox/image/image.hpp"

namespace deadbox::fs::ext {

inline uint16_t le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
inline uint32_t le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

// Feature bits used here (super.rst).
constexpr uint32_t kIncompatFiletype = 0x2;
constexpr uint32_t kIncompatMetaBg = 0x10;
constexpr uint32_t kIncompat64Bit = 0x80;
constexpr uint32_t kRoCompatLargeFile = 0x2;

constexpr uint32_t kRoCompatGdtCsum = 0x10;
constexpr uint32_t kRoCompatMetadataCsum = 0x400;

struct Group {
  uint64_t inode_bitmap = 0;
  uint64_t inode_table = 0;
  bool valid = false;  ///< all locations inside the filesystem (TSK refuses the group otherwise)
  /// Inodes at the start of the table that were ever in use. With group checksums the kernel
  /// keeps the rest (bg_itable_unused, or all of an INODE_UNINIT group) never used, so the
  /// orphan search need not read them; without, the whole table.
  uint32_t ever_used = 0;
};

struct Layout {
  uint32_t block_size = 0;
  uint32_t inode_size = 0;
  uint32_t inodes_per_group = 0;
  uint32_t inodes_count = 0;
  uint64_t block_count = 0;
  uint32_t incompat = 0, ro_compat = 0;
  /// TSK's verdict "this is ext4": only then are nanoseconds and crtime read (as fls does).
  bool ext4 = false;
  std::vector<Group> groups;
};

/// Reads the superblock and group descriptors as TSK 4.11.1 locates them (descriptors in the
/// block after the superblock, 64-byte ones only on ext4 with 64bit). nullopt, with the reason
/// in why, when the native walker should leave this filesystem to TSK (meta_bg layouts, sizes
/// out of range, unreadable descriptors).
std::optional<Layout> read_layout(image::ByteSource& src, bool tsk_says_ext4, std::string& why);

/// A bounded LRU cache of fixed-size, aligned chunks of a ByteSource: inode tables and bitmaps
/// are read in chunks, so names of one directory (whose inodes sit together) cost one read.
class ChunkCache {
 public:
  ChunkCache(image::ByteSource& src, size_t chunk_size, size_t max_chunks);
  /// Pointer to len bytes at offset (len must not cross a chunk boundary), or nullptr when
  /// the range is unreadable or past the end of the source.
  const uint8_t* get(uint64_t offset, size_t len);

 private:
  struct Chunk {
    uint64_t key = 0;
    size_t valid = 0;  ///< bytes read (short at the end of the source)
    std::unique_ptr<uint8_t[]> data;
  };
  image::ByteSource& src_;
  size_t chunk_size_;
  size_t max_chunks_;
  std::list<Chunk> lru_;  // most recently used first
  std::unordered_map<uint64_t, std::list<Chunk>::iterator> index_;
};

}  // namespace deadbox::fs::ext
