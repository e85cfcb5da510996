// SPDX-License-Identifier: Apache-2.0
// Carves deleted XFS directory entries and reads raw inode cores (see xfs_deleted.hpp).
#include "fs/xfs_deleted.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace deadbox::fs::xfs {
namespace {

constexpr size_t kMaxExtents = 4096;
constexpr size_t kMaxEntries = 65536;
constexpr uint32_t kDirBlockMagicV5 = 0x58444233;  // "XDB3": single-block directory
constexpr uint32_t kDirDataMagicV5 = 0x58444433;   // "XDD3": data block of a leaf/node dir
constexpr uint32_t kDirBlockMagicV4 = 0x58443242;  // "XD2B"
constexpr uint32_t kDirDataMagicV4 = 0x58443244;   // "XD2D"
constexpr uint64_t kDirLeafByteOffset = 32ULL << 30;  // XFS_DIR2_LEAF_OFFSET
constexpr int64_t kBigtimeEpochOffset = 2147483648LL;  // 1901-12-13T20:45:52Z as Unix seconds

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}
uint64_t be64(const uint8_t* p) { return static_cast<uint64_t>(be32(p)) << 32 | be32(p + 4); }

bool read_exact(image::ByteSource& src, uint64_t off, void* buf, size_t n) {
  return src.read_at(off, std::span<std::byte>(static_cast<std::byte*>(buf), n)) == n;
}

uint64_t fsb_to_byte(const Geometry& g, uint64_t fsb) {
  const uint64_t agno = fsb >> g.agblklog;
  const uint64_t agbno = fsb & ((1ULL << g.agblklog) - 1);
  return (agno * g.agblocks + agbno) * g.block_size;
}

uint64_t inode_to_byte(const Geometry& g, uint64_t ino) {
  const unsigned agino_log = g.agblklog + g.inopblog;
  const uint64_t agno = ino >> agino_log;
  const uint64_t agino = ino & ((1ULL << agino_log) - 1);
  const uint64_t agbno = agino >> g.inopblog;
  const uint64_t slot = agino & ((1ULL << g.inopblog) - 1);
  return (agno * g.agblocks + agbno) * g.block_size + slot * g.inode_size;
}

std::optional<int64_t> decode_time(const uint8_t* p, bool bigtime) {
  int64_t ns;
  if (bigtime) {
    const uint64_t raw = be64(p);
    ns = static_cast<int64_t>(raw - static_cast<uint64_t>(kBigtimeEpochOffset) * 1'000'000'000ULL);
  } else {
    const auto sec = static_cast<int32_t>(be32(p));
    const uint32_t nsec = be32(p + 4);
    if (nsec >= 1'000'000'000U) return std::nullopt;
    ns = static_cast<int64_t>(sec) * 1'000'000'000 + nsec;
  }
  if (ns == 0) return std::nullopt;
  return ns;
}

struct Extent {
  uint64_t logical = 0, start = 0, count = 0;
};

/// Data-fork extents of an inode in extents format (xfs_bmbt_rec: 128-bit packed records).
std::vector<Extent> data_extents(const std::vector<uint8_t>& inode, const Geometry& g) {
  std::vector<Extent> out;
  const size_t core = g.v5 ? 176 : 100;
  const uint32_t nextents = be32(&inode[76]);
  const uint8_t forkoff = inode[82];
  const size_t fork_end = forkoff != 0 ? core + forkoff * 8u : inode.size();
  for (uint32_t i = 0; i < nextents && i < kMaxExtents; ++i) {
    const size_t p = core + i * 16u;
    if (p + 16 > fork_end || p + 16 > inode.size()) break;
    const uint64_t hi = be64(&inode[p]), lo = be64(&inode[p + 8]);
    Extent e;
    e.logical = (hi & ((1ULL << 63) - 1)) >> 9;
    e.start = ((hi & 0x1FF) << 43) | (lo >> 21);
    e.count = lo & ((1ULL << 21) - 1);
    out.push_back(e);
  }
  return out;
}

bool plausible_name(const uint8_t* name, size_t len) {
  for (size_t i = 0; i < len; ++i)
    if (name[i] == 0 || name[i] == '/') return false;
  return !(len == 1 && name[0] == '.') && !(len == 2 && name[0] == '.' && name[1] == '.');
}

/// Scans one unused region [start, end) of a directory data block for entries whose tail tag
/// still points at their own offset: the kernel writes that tag, so it validates a remnant.
void carve_region(const std::vector<uint8_t>& blk, size_t start, size_t end, const Geometry& g,
                  uint64_t dir_inode, std::vector<DeletedDirent>& out) {
  for (size_t p = start; p + 16 <= end && out.size() < kMaxEntries; p += 8) {
    const size_t namelen = blk[p + 8];
    if (namelen == 0) continue;
    const size_t size = (8 + 1 + namelen + (g.has_ftype ? 1 : 0) + 2 + 7) & ~size_t{7};
    if (p + size > end) continue;
    if (be16(&blk[p + size - 2]) != p) continue;
    if (!plausible_name(&blk[p + 9], namelen)) continue;
    DeletedDirent d;
    d.name.assign(reinterpret_cast<const char*>(&blk[p + 9]), namelen);
    // At the head of the region the freetag hides the high 32 bits; assume the directory's
    // own high bits (same allocation group in all but huge filesystems). read_raw_inode
    // verifies the guess against the core's di_ino on v5.
    const uint64_t low = be32(&blk[p + 4]);
    d.inode = p == start ? ((dir_inode >> 32) << 32) | low : be64(&blk[p]);
    d.ftype = g.has_ftype ? blk[p + 9 + namelen] : 0;
    d.block_offset = static_cast<uint32_t>(p);
    out.push_back(std::move(d));
    p += size - 8;
  }
}

}  // namespace

std::optional<Geometry> read_geometry(image::ByteSource& source) {
  std::array<uint8_t, 512> sb{};
  if (!read_exact(source, 0, sb.data(), sb.size()) || be32(sb.data()) != 0x58465342) return {};
  Geometry g;
  g.block_size = be32(&sb[4]);
  g.dblocks = be64(&sb[8]);
  g.agblocks = be32(&sb[84]);
  g.inode_size = be16(&sb[104]);
  g.agblklog = sb[124];
  g.inopblog = sb[123];
  g.dirblklog = sb[192];
  g.v5 = (be16(&sb[100]) & 0xF) == 5;
  g.has_ftype = g.v5 ? (be32(&sb[216]) & 0x1) != 0 : (be32(&sb[200]) & 0x200) != 0;
  const bool sane = g.block_size >= 512 && g.block_size <= 65536 &&
                    (g.block_size & (g.block_size - 1)) == 0 && g.inode_size >= 256 &&
                    g.inode_size <= 2048 && g.agblklog > 0 && g.agblklog < 32 &&
                    g.inopblog < 8 && g.dirblklog < 8 && g.agblocks > 0;
  if (!sane) return {};
  return g;
}

std::optional<RawInode> read_raw_inode(image::ByteSource& source, const Geometry& g,
                                       uint64_t inode) {
  std::vector<uint8_t> core(176);
  if ((inode >> (g.agblklog + g.inopblog)) * g.agblocks >= g.dblocks) return {};
  if (!read_exact(source, inode_to_byte(g, inode), core.data(), core.size())) return {};
  if (be16(core.data()) != 0x494E) return {};
  const uint8_t version = core[4];
  if (g.v5 && (version != 3 || be64(&core[152]) != inode)) return {};
  const bool bigtime = version >= 3 && (be64(&core[120]) & (1ULL << 3)) != 0;
  RawInode r;
  r.mode = be16(&core[2]);
  r.uid = be32(&core[8]);
  r.gid = be32(&core[12]);
  r.nlink = version >= 2 ? be32(&core[16]) : be16(&core[6]);
  r.size = be64(&core[56]);
  r.atime = decode_time(&core[32], bigtime);
  r.mtime = decode_time(&core[40], bigtime);
  r.ctime = decode_time(&core[48], bigtime);
  if (version >= 3) r.crtime = decode_time(&core[144], bigtime);
  return r;
}

std::vector<DeletedDirent> carve_deleted_dirents(image::ByteSource& source, const Geometry& g,
                                                 uint64_t dir_inode, Diagnostics& diag,
                                                 const std::string& volume) {
  std::vector<DeletedDirent> out;
  std::vector<uint8_t> inode(g.inode_size);
  if (!read_exact(source, inode_to_byte(g, dir_inode), inode.data(), inode.size()) ||
      be16(inode.data()) != 0x494E)
    return out;
  const uint8_t format = inode[5];
  if (format == 1) return out;  // short-form: the kernel compacts deleted names away
  if (format != 2) {
    diag.add(DiagLevel::kInfo, Layer::kFs, "xfs_btree_dir_not_carved",
             "deleted entries of a B+tree-format directory are not carved", volume, {}, dir_inode);
    return out;
  }
  const uint64_t dirblk = static_cast<uint64_t>(g.block_size) << g.dirblklog;
  const uint64_t leaf_fsb = kDirLeafByteOffset / g.block_size;
  std::vector<uint8_t> blk(dirblk);
  const size_t header = g.v5 ? 64 : 16;
  for (const Extent& e : data_extents(inode, g)) {
    if (e.logical >= leaf_fsb || e.count == 0) continue;
    const uint64_t bytes = std::min<uint64_t>(e.count, leaf_fsb - e.logical) * g.block_size;
    for (uint64_t off = 0; off + dirblk <= bytes && out.size() < kMaxEntries; off += dirblk) {
      if (!read_exact(source, fsb_to_byte(g, e.start) + off, blk.data(), blk.size())) {
        diag.add(DiagLevel::kWarning, Layer::kFs, "xfs_dir_block_unreadable",
                 "directory block unreadable while carving deleted entries", volume, {},
                 dir_inode);
        return out;
      }
      const uint32_t magic = be32(blk.data());
      size_t end = blk.size();
      if (magic == kDirBlockMagicV5 || magic == kDirBlockMagicV4) {
        const uint32_t count = be32(&blk[blk.size() - 8]);
        if (count > blk.size() / 8) continue;
        end = blk.size() - 8 - 8 * static_cast<size_t>(count);
      } else if (magic != kDirDataMagicV5 && magic != kDirDataMagicV4) {
        continue;
      }
      for (size_t p = header; p + 8 <= end;) {
        size_t size;
        if (be16(&blk[p]) == 0xFFFF) {
          size = be16(&blk[p + 2]);
          if (size < 8 || size % 8 != 0 || p + size > end) break;
          carve_region(blk, p, p + size, g, dir_inode, out);
        } else {
          const size_t namelen = blk[p + 8];
          size = (8 + 1 + namelen + (g.has_ftype ? 1 : 0) + 2 + 7) & ~size_t{7};
          if (namelen == 0 || p + size > end) break;
        }
        p += size;
      }
    }
  }
  return out;
}

}  // namespace deadbox::fs::xfs
