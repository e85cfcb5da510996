// SPDX-License-Identifier: Apache-2.0
// Inode decoding and block mapping for the native ext walker. Field rules follow what fls
// prints (TSK 4.11.1 ext2fs_dinode_copy) so the two timelines stay set-equal; the one chosen
// difference: seconds are decoded as the kernel does (signed 32 bits plus the ext4 epoch bits),
// where TSK reads them unsigned and shows pre-1970 times around 2100.
#include "fs/ext_inode.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <vector>

#include "fs/stat_fields.hpp"

namespace deadbox::fs::ext {
namespace {

constexpr uint32_t kFlagExtents = 0x80000;
constexpr uint32_t kFlagInlineData = 0x10000000;
constexpr uint64_t kMaxSymlink = 4096;       // TSK's EXT2FS_MAXPATHLEN
constexpr uint32_t kMaxExtentDepth = 5;      // the kernel's limit (EXT4_MAX_EXTENT_DEPTH)
constexpr uint64_t kMaxMapNodes = 1u << 16;  // index/indirect blocks read for one file

tree::FileType type_of(uint16_t mode) {
  switch (mode & 0xF000) {
    case 0x8000: return tree::FileType::kRegular;
    case 0x4000: return tree::FileType::kDirectory;
    case 0xC000: return tree::FileType::kSocket;
    case 0xA000: return tree::FileType::kSymlink;
    case 0x6000: return tree::FileType::kBlockDev;
    case 0x2000: return tree::FileType::kCharDev;
    case 0x1000: return tree::FileType::kFifo;
    default: return tree::FileType::kUnknown;
  }
}

/// Seconds from i_*time and its _extra word (extra == nullptr: no extra field).
int64_t seconds(uint32_t lo, const uint32_t* extra) {
  int64_t sec = static_cast<int32_t>(lo);
  if (extra != nullptr) sec += static_cast<int64_t>(*extra & 3) << 32;
  return sec;
}

}  // namespace

InodeReader::InodeReader(image::ByteSource& src, const Layout& layout)
    : src_(src),
      layout_(layout),
      tables_(src, 64 * 1024, 256),  // ≤ 16 MiB of inode tables
      bitmaps_(src, 64 * 1024, 16) {}

const uint8_t* InodeReader::raw(uint64_t inum) {
  if (inum < 1 || inum > layout_.inodes_count) return nullptr;
  const uint64_t g = (inum - 1) / layout_.inodes_per_group;
  if (g >= layout_.groups.size() || !layout_.groups[g].valid) return nullptr;
  const uint64_t rel = (inum - 1) % layout_.inodes_per_group;
  const uint64_t off =
      layout_.groups[g].inode_table * layout_.block_size + rel * layout_.inode_size;
  return tables_.get(off, layout_.inode_size);
}

std::optional<bool> InodeReader::allocated(uint64_t inum) {
  if (inum < 1 || inum > layout_.inodes_count) return std::nullopt;
  const uint64_t g = (inum - 1) / layout_.inodes_per_group;
  if (g >= layout_.groups.size() || !layout_.groups[g].valid) return std::nullopt;
  const uint64_t bit = (inum - 1) % layout_.inodes_per_group;
  const uint8_t* b = bitmaps_.get(layout_.groups[g].inode_bitmap * layout_.block_size + bit / 8, 1);
  if (b == nullptr) return std::nullopt;
  return ((*b >> (bit % 8)) & 1) != 0;
}

std::optional<Inode> InodeReader::load(uint64_t inum) {
  const uint8_t* p = raw(inum);
  if (p == nullptr) return std::nullopt;
  const auto alloc = allocated(inum);
  if (!alloc) return std::nullopt;
  Inode ino;
  decode(inum, p, ino);
  ino.stat.allocated = *alloc;
  return ino;
}

void InodeReader::decode(uint64_t inum, const uint8_t* p, Inode& out) {
  tree::Stat& st = out.stat;
  const uint16_t mode = le16(p + 0);
  st.inode = inum;
  st.type = type_of(mode);
  st.mode = mode & 07777;
  st.uid = le16(p + 2) | (static_cast<uint32_t>(le16(p + 120)) << 16);
  st.gid = le16(p + 24) | (static_cast<uint32_t>(le16(p + 122)) << 16);
  st.nlink = le16(p + 26);
  st.size = le32(p + 4);
  if (st.type == tree::FileType::kRegular && (layout_.ro_compat & kRoCompatLargeFile) != 0)
    st.size |= static_cast<uint64_t>(le32(p + 108)) << 32;
  const uint32_t isz = layout_.inode_size;
  // Beyond the on-disk inode TSK reads zeros (its buffer is zero-filled): same here.
  auto field = [&](uint32_t off) -> uint32_t { return off + 4 <= isz ? le32(p + off) : 0; };
  const uint32_t ctime = le32(p + 12);
  out.used = ctime != 0;
  if (layout_.ext4) {
    const uint32_t cx = field(132), mx = field(136), ax = field(140), crx = field(148);
    st.ctime = ns_time(seconds(ctime, &cx), cx >> 2);
    st.mtime = ns_time(seconds(le32(p + 16), &mx), mx >> 2);
    st.atime = ns_time(seconds(le32(p + 8), &ax), ax >> 2);
    st.crtime = ns_time(seconds(field(144), &crx), crx >> 2);
  } else {
    st.ctime = ns_time(seconds(ctime, nullptr), 0);
    st.mtime = ns_time(seconds(le32(p + 16), nullptr), 0);
    st.atime = ns_time(seconds(le32(p + 8), nullptr), 0);
  }
  const uint32_t flags = le32(p + 32);
  out.extents = (flags & kFlagExtents) != 0;
  out.inline_data = !out.extents && (flags & kFlagInlineData) != 0;
  std::memcpy(out.block, p + 40, sizeof out.block);
  if (st.type != tree::FileType::kSymlink || out.inline_data || st.size >= kMaxSymlink) return;
  if (!out.extents) {
    out.symlink_target =
        st.size < 60
            ? clean_link({reinterpret_cast<const char*>(out.block), static_cast<size_t>(st.size)})
            : slow_symlink(out);
  } else if (st.size > 0) {
    // fls 4.11 prints no target for an extent-mapped (slow, >= 60 bytes) ext4 symlink; the
    // target is the file's content, and a responder wants it: read it like any file.
    out.symlink_target = extent_symlink(out);
  }
}

std::string InodeReader::extent_symlink(const Inode& ino) {
  const uint64_t bs = layout_.block_size;
  std::string target(static_cast<size_t>(ino.stat.size), '\0');
  bool ok = true;
  const bool mapped =
      map_blocks(src_, layout_, ino, (ino.stat.size + bs - 1) / bs, [&](const Run& r) {
        if (r.physical == 0 || !ok) return;  // a hole reads as zeros
        const uint64_t at = r.logical * bs;
        const size_t n = static_cast<size_t>(std::min<uint64_t>(r.length * bs, target.size() - at));
        try {
          ok = src_.read_at(r.physical * bs,
                            {reinterpret_cast<std::byte*>(target.data() + at), n}) == n;
        } catch (const std::exception&) {
          ok = false;
        }
      });
  if (!mapped || !ok) return {};
  return clean_link(target);
}

std::string InodeReader::slow_symlink(const Inode& ino) {
  // Only direct blocks, as TSK: a path is at most 4 KiB.
  std::vector<uint8_t> buf(layout_.block_size);
  std::string target;
  uint64_t left = ino.stat.size;
  for (int i = 0; i < 12 && left > 0; ++i) {
    // TSK sign-extends the 32-bit pointer; a negative one is past the end and unreadable.
    const int64_t blk = static_cast<int32_t>(le32(ino.block + 4 * i));
    if (blk < 0 || static_cast<uint64_t>(blk) >= layout_.block_count) return {};
    try {
      if (src_.read_at(static_cast<uint64_t>(blk) * layout_.block_size,
                       {reinterpret_cast<std::byte*>(buf.data()), buf.size()}) != buf.size())
        return {};
    } catch (const std::exception&) {
      return {};
    }
    const size_t take = static_cast<size_t>(std::min<uint64_t>(left, layout_.block_size));
    target.append(reinterpret_cast<const char*>(buf.data()), take);
    left -= take;
  }
  return clean_link(target);
}

namespace {

class Mapper {
 public:
  Mapper(image::ByteSource& src, const Layout& l, uint64_t blocks,
         const std::function<void(const Run&)>& sink)
      : src_(src), l_(l), blocks_(blocks), sink_(sink) {}

  bool extents(const uint8_t* node, size_t node_len, uint32_t expect_depth, bool root) {
    if (le16(node) != 0xF30A) return false;
    const uint16_t entries = le16(node + 2);
    const uint16_t depth = le16(node + 6);
    if ((!root && depth != expect_depth) || depth > kMaxExtentDepth) return false;
    if (12u + 12u * entries > node_len) return false;
    for (uint16_t i = 0; i < entries; ++i) {
      const uint8_t* e = node + 12 + 12 * i;
      if (depth == 0) {
        const uint64_t logical = le32(e);
        uint32_t len = le16(e + 4);
        const bool uninit = len > 32768;
        if (uninit) len -= 32768;
        const uint64_t start = (static_cast<uint64_t>(le16(e + 6)) << 32) | le32(e + 8);
        if (!uninit && len > 0 && (start >= l_.block_count || l_.block_count - start < len))
          return false;
        emit({logical, uninit ? 0 : start, len});
      } else {
        const uint64_t child = (static_cast<uint64_t>(le16(e + 8)) << 32) | le32(e + 4);
        if (child >= l_.block_count || ++nodes_ > kMaxMapNodes) return false;
        std::vector<uint8_t> buf(l_.block_size);
        if (!read_block(child, buf.data())) return false;
        if (!extents(buf.data(), buf.size(), depth - 1, false)) return false;
      }
    }
    return true;
  }

  bool block_map(const uint8_t* iblock) {
    uint64_t logical = 0;
    for (int i = 0; i < 12 && logical < blocks_; ++i, ++logical)
      emit({logical, le32(iblock + 4 * i), 1});
    for (int level = 1; level <= 3 && logical < blocks_; ++level)
      if (!indirect(le32(iblock + 4 * (11 + level)), level, logical)) return false;
    flush();
    return true;
  }

  void finish() { flush(); }

 private:
  bool read_block(uint64_t blk, uint8_t* out) {
    try {
      return src_.read_at(blk * l_.block_size,
                          {reinterpret_cast<std::byte*>(out), l_.block_size}) == l_.block_size;
    } catch (const std::exception&) {
      return false;
    }
  }

  /// One indirect block at `level` (1 = pointers to data) covering logical blocks from logical.
  bool indirect(uint64_t blk, int level, uint64_t& logical) {
    uint64_t span = 1;
    const uint64_t per = l_.block_size / 4;
    for (int i = 0; i < level; ++i) span *= per;
    if (blk == 0) {  // a hole covering the whole span
      logical += span;
      return true;
    }
    if (blk >= l_.block_count || ++nodes_ > kMaxMapNodes) return false;
    std::vector<uint8_t> buf(l_.block_size);
    if (!read_block(blk, buf.data())) return false;
    for (uint64_t i = 0; i < per && logical < blocks_; ++i) {
      const uint32_t ptr = le32(buf.data() + 4 * i);
      if (level == 1) {
        if (ptr >= l_.block_count) return false;
        emit({logical++, ptr, 1});
      } else if (!indirect(ptr, level - 1, logical)) {
        return false;
      }
    }
    return true;
  }

  void emit(Run r) {
    if (r.logical >= blocks_ || r.length == 0) return;
    r.length = std::min(r.length, blocks_ - r.logical);
    // Coalesce physically contiguous single blocks from block maps into one read.
    if (pending_.length > 0 && pending_.logical + pending_.length == r.logical &&
        ((pending_.physical == 0 && r.physical == 0) ||
         (pending_.physical != 0 && pending_.physical + pending_.length == r.physical))) {
      pending_.length += r.length;
      return;
    }
    flush();
    pending_ = r;
  }
  void flush() {
    if (pending_.length > 0) sink_(pending_);
    pending_ = {};
  }

  image::ByteSource& src_;
  const Layout& l_;
  uint64_t blocks_;
  const std::function<void(const Run&)>& sink_;
  Run pending_;
  uint64_t nodes_ = 0;
};

}  // namespace

bool map_blocks(image::ByteSource& src, const Layout& layout, const Inode& ino, uint64_t blocks,
                const std::function<void(const Run&)>& sink) {
  Mapper m(src, layout, blocks, sink);
  if (ino.extents) {
    if (!m.extents(ino.block, sizeof ino.block, 0, true)) return false;
    m.finish();
    return true;
  }
  if (ino.inline_data) return false;
  // Block-mapped pointers must lie inside the filesystem (0 is a hole).
  for (int i = 0; i < 15; ++i)
    if (le32(ino.block + 4 * i) >= layout.block_count) return false;
  return m.block_map(ino.block);
}

}  // namespace deadbox::fs::ext
