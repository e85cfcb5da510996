// SPDX-License-Identifier: Apache-2.0
// Superblock and group descriptors for the native ext walker, and its chunk cache.
#include "fs/ext_layout.hpp"

#include <algorithm>
#include <cstring>
#include <exception>

namespace deadbox::fs::ext {

std::optional<Layout> read_layout(image::ByteSource& src, bool tsk_says_ext4, std::string& why) {
  uint8_t sb[1024];
  try {
    if (src.read_at(1024, {reinterpret_cast<std::byte*>(sb), sizeof sb}) != sizeof sb) {
      why = "superblock unreadable";
      return std::nullopt;
    }
  } catch (const std::exception& e) {
    why = e.what();
    return std::nullopt;
  }
  if (le16(sb + 56) != 0xEF53) {
    why = "no ext superblock magic";
    return std::nullopt;
  }
  Layout l;
  l.inodes_count = le32(sb + 0);
  const uint32_t log_block = le32(sb + 24);
  l.inodes_per_group = le32(sb + 40);
  l.incompat = le32(sb + 96);
  l.ro_compat = le32(sb + 100);
  l.inode_size = le32(sb + 76) == 0 ? 128 : le16(sb + 88);  // revision 0 has fixed 128-byte inodes
  l.ext4 = tsk_says_ext4;
  if (log_block > 6) {
    why = "block size out of range";
    return std::nullopt;
  }
  l.block_size = 1024u << log_block;
  l.block_count = le32(sb + 4);
  if ((l.incompat & kIncompat64Bit) != 0)
    l.block_count |= static_cast<uint64_t>(le32(sb + 0x150)) << 32;
  const uint32_t first_data_block = le32(sb + 20);
  const uint32_t blocks_per_group = le32(sb + 32);
  // meta_bg moves descriptors next to their groups; TSK 4.11 does not follow it, and neither
  // does this walker: such a filesystem is listed by TSK as before.
  if ((l.incompat & kIncompatMetaBg) != 0) {
    why = "meta_bg layout";
    return std::nullopt;
  }
  if (l.inode_size < 128 || l.inode_size > l.block_size ||
      (l.inode_size & (l.inode_size - 1)) != 0 || l.inodes_per_group == 0 ||
      l.inodes_per_group > l.block_size * 8 || blocks_per_group == 0 ||
      l.block_count <= first_data_block || l.inodes_count == 0) {
    why = "superblock geometry out of range";
    return std::nullopt;
  }
  const uint64_t group_count =
      (l.block_count - first_data_block + blocks_per_group - 1) / blocks_per_group;
  if (group_count * l.inodes_per_group < l.inodes_count || group_count > (1u << 24)) {
    why = "group count does not cover the inodes";
    return std::nullopt;
  }
  // TSK: 64-byte descriptors on ext4 with 64bit and s_desc_size >= 64, else 32 (or a larger
  // s_desc_size); the table starts in the block after the superblock.
  const uint32_t desc_field = le16(sb + 254);
  const bool wide = l.ext4 && (l.incompat & kIncompat64Bit) != 0 && desc_field >= 64;
  const uint32_t desc_size = std::max<uint32_t>(desc_field, wide ? 64 : 32);
  const uint64_t table_offset = (2048 + l.block_size - 1) / l.block_size * l.block_size;
  const uint64_t needed = group_count * desc_size;
  if (needed > (256u << 20)) {
    why = "group descriptor table too large";
    return std::nullopt;
  }
  std::vector<uint8_t> gdt(needed);
  try {
    if (src.read_at(table_offset, {reinterpret_cast<std::byte*>(gdt.data()), gdt.size()}) !=
        needed) {
      why = "group descriptors unreadable";
      return std::nullopt;
    }
  } catch (const std::exception& e) {
    why = e.what();
    return std::nullopt;
  }
  const uint64_t last_block = l.block_count - 1;
  l.groups.resize(group_count);
  for (uint64_t g = 0; g < group_count; ++g) {
    const uint8_t* d = gdt.data() + g * desc_size;
    Group& grp = l.groups[g];
    uint64_t block_bitmap = le32(d + 0);
    grp.inode_bitmap = le32(d + 4);
    grp.inode_table = le32(d + 8);
    if (wide) {
      block_bitmap |= static_cast<uint64_t>(le32(d + 0x20)) << 32;
      grp.inode_bitmap |= static_cast<uint64_t>(le32(d + 0x24)) << 32;
      grp.inode_table |= static_cast<uint64_t>(le32(d + 0x28)) << 32;
    }
    grp.valid = block_bitmap <= last_block && grp.inode_bitmap <= last_block &&
                grp.inode_table <= last_block;
    grp.ever_used = l.inodes_per_group;
    if ((l.ro_compat & (kRoCompatGdtCsum | kRoCompatMetadataCsum)) != 0) {
      const uint16_t flags = le16(d + 0x12);
      uint32_t unused = le16(d + 0x1C);
      if (wide) unused |= static_cast<uint32_t>(le16(d + 0x32)) << 16;
      grp.ever_used =
          (flags & 0x1) != 0 ? 0 : l.inodes_per_group - std::min(unused, l.inodes_per_group);
    }
  }
  return l;
}

ChunkCache::ChunkCache(image::ByteSource& src, size_t chunk_size, size_t max_chunks)
    : src_(src), chunk_size_(chunk_size), max_chunks_(std::max<size_t>(max_chunks, 1)) {}

const uint8_t* ChunkCache::get(uint64_t offset, size_t len) {
  const uint64_t key = offset / chunk_size_;
  const size_t within = static_cast<size_t>(offset % chunk_size_);
  if (within + len > chunk_size_) return nullptr;
  if (auto it = index_.find(key); it != index_.end()) {
    if (it->second != lru_.begin()) lru_.splice(lru_.begin(), lru_, it->second);
    const Chunk& c = lru_.front();
    return within + len <= c.valid ? c.data.get() + within : nullptr;
  }
  Chunk c;
  if (lru_.size() >= max_chunks_) {
    c = std::move(lru_.back());  // reuse the least recently used buffer
    index_.erase(c.key);
    lru_.pop_back();
  } else {
    c.data = std::make_unique_for_overwrite<uint8_t[]>(chunk_size_);
  }
  c.key = key;
  try {
    c.valid =
        src_.read_at(key * chunk_size_, {reinterpret_cast<std::byte*>(c.data.get()), chunk_size_});
  } catch (const std::exception&) {
    c.valid = 0;  // unreadable range: every inode in it reads as unavailable
  }
  lru_.push_front(std::move(c));
  index_.emplace(key, lru_.begin());
  const Chunk& front = lru_.front();
  return within + len <= front.valid ? front.data.get() + within : nullptr;
}

}  // namespace deadbox::fs::ext
