// SPDX-License-Identifier: Apache-2.0
// Filesystem/container detection by magic bytes, read ourselves so no library parser runs over
// unidentified attacker bytes. Refs: ext4 disk layout (kernel.org ext4 wiki, "Super Block"),
// XFS Algorithms & Data Structures ch. 12, util-linux libblkid (swap, luks, lvm2, vfat probes).
#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <vector>

#include "deadbox/fs/filesystem.hpp"
#include "fs/probe_bytes.hpp"

namespace deadbox::fs {
namespace {

// ext2/3/4 feature bits (ext4 wiki "Super Block": s_feature_compat/incompat/ro_compat).
constexpr uint32_t kExtCompatHasJournal = 0x4;
constexpr uint32_t kExtIncompatJournalDev = 0x8;
// What ext3 understands; anything beyond makes it ext4 (libblkid's rule).
constexpr uint32_t kExt3IncompatSupported = 0x2 | 0x4 | 0x10;  // filetype, recover, meta_bg
constexpr uint32_t kExt3RoCompatSupported = 0x1 | 0x2 | 0x4;   // sparse_super, large_file, btree
constexpr uint32_t kExtIncompat64Bit = 0x80;

// A volume shorter than this cannot hold any of the structures below; no point reading more.
constexpr size_t kHead = 64 * 1024;

std::optional<Probe> probe_luks(const Bytes& b) {
  if (!b.has(0, 6) || std::memcmp(b.at(0), "LUKS\xba\xbe", 6) != 0) return std::nullopt;
  Probe p;
  p.type = FsType::kLuks;
  const uint16_t version = b.be16(6);
  p.uuid = b.cstr(168, 40);
  if (version == 2) p.label = b.cstr(24, 48);
  p.note = "LUKS" + std::to_string(version) + " (encrypted, not readable without the key)";
  return p;
}

std::optional<Probe> probe_lvm(const Bytes& b) {
  // The label may sit in any of the first four sectors (LVM2 lib/label/label.c).
  for (size_t sector = 0; sector < 4; ++sector) {
    const size_t at = sector * 512;
    if (!b.has(at, 32) || std::memcmp(b.at(at), "LABELONE", 8) != 0) continue;
    if (std::memcmp(b.at(at + 24), "LVM2 001", 8) != 0) continue;
    Probe p;
    p.type = FsType::kLvmPv;
    const uint32_t hdr = b.le32(at + 20);
    if (hdr < 512 && b.has(at + hdr, 40)) {
      const std::string raw = b.cstr(at + hdr, 32);
      // pv uuid printed 6-4-4-4-4-4-6 as lvm's id_write_format does.
      if (raw.size() == 32) {
        static constexpr int kGroups[] = {6, 4, 4, 4, 4, 4, 6};
        size_t pos = 0;
        for (int g : kGroups) {
          if (!p.uuid.empty()) p.uuid += '-';
          p.uuid += raw.substr(pos, static_cast<size_t>(g));
          pos += static_cast<size_t>(g);
        }
      }
    }
    p.note = "LVM2 physical volume (label in sector " + std::to_string(sector) + ")";
    return p;
  }
  return std::nullopt;
}

std::optional<Probe> probe_xfs(const Bytes& b) {
  if (!b.has(0, 232) || std::memcmp(b.at(0), "XFSB", 4) != 0) return std::nullopt;
  Probe p;
  p.type = FsType::kXfs;
  p.block_size = b.be32(4);
  p.block_count = b.be64(8);
  p.uuid = uuid_string(b, 32);
  p.label = b.cstr(108, 12);
  p.inode_count = b.be64(128);
  const unsigned version = b.be16(100) & 0xf;
  const uint32_t incompat = version == 5 ? b.be32(216) : 0;
  const uint32_t ro_compat = version == 5 ? b.be32(212) : 0;
  p.note = "XFS v" + std::to_string(version);
  if (version == 5) {
    // Bigtime (incompat bit 3) moves timestamps to 64-bit ns since 1901; inobtcount (ro bit 3)
    // and reflink (ro bit 2) are what CentOS 7's kernel lacks.
    p.note += (incompat & 0x8) ? ", bigtime" : ", no bigtime";
    if (ro_compat & 0x4) p.note += ", reflink";
    if (ro_compat & 0x8) p.note += ", inobtcount";
  }
  const bool sane = p.block_size >= 512 && p.block_size <= 65536 &&
                    (p.block_size & (p.block_size - 1)) == 0 && (version == 4 || version == 5);
  p.readable = sane;
  if (!sane) p.note += " (implausible superblock)";
  return p;
}

std::optional<Probe> probe_ext(const Bytes& b) {
  constexpr size_t sb = 1024;
  if (!b.has(sb, 1024) || b.le16(sb + 56) != 0xEF53) return std::nullopt;
  Probe p;
  const uint32_t compat = b.le32(sb + 92);
  const uint32_t incompat = b.le32(sb + 96);
  const uint32_t ro_compat = b.le32(sb + 100);
  const uint32_t log_block = b.le32(sb + 24);
  p.inode_count = b.le32(sb + 0);
  p.block_count = b.le32(sb + 4);
  if ((incompat & kExtIncompat64Bit) != 0) p.block_count |= uint64_t{b.le32(sb + 0x150)} << 32;
  p.block_size = log_block <= 6 ? (1024u << log_block) : 0;
  p.uuid = uuid_string(b, sb + 104);
  p.label = b.cstr(sb + 120, 16);
  if ((incompat & ~kExt3IncompatSupported) != 0 || (ro_compat & ~kExt3RoCompatSupported) != 0)
    p.type = FsType::kExt4;
  else if ((compat & kExtCompatHasJournal) != 0)
    p.type = FsType::kExt3;
  else
    p.type = FsType::kExt2;
  p.readable = p.block_size != 0;
  if ((incompat & kExtIncompatJournalDev) != 0) {
    p.type = FsType::kUnknown;
    p.readable = false;
    p.note = "ext external journal device";
  } else if (p.block_size == 0) {
    p.note = "implausible ext block size exponent " + std::to_string(log_block);
  }
  return p;
}

std::optional<Probe> probe_swap(const Bytes& b) {
  // The signature ends the first page; the page size is the writer's, so try the common ones.
  for (size_t page : {4096u, 8192u, 16384u, 65536u}) {
    if (!b.has(page - 10, 10)) break;
    const char* sig = reinterpret_cast<const char*>(b.at(page - 10));
    const bool v1 = std::memcmp(sig, "SWAPSPACE2", 10) == 0;
    if (!v1 && std::memcmp(sig, "SWAP-SPACE", 10) != 0) continue;
    Probe p;
    p.type = FsType::kSwap;
    p.block_size = static_cast<uint32_t>(page);
    if (v1 && b.le32(1024) == 1) {
      p.block_count = uint64_t{b.le32(1028)} + 1;
      p.uuid = uuid_string(b, 1036);
      p.label = b.cstr(1052, 16);
      p.note = "swap v1, " + std::to_string(p.block_count) + " pages of " + std::to_string(page);
    } else {
      p.note = v1 ? "swap v1 (unknown header version)" : "swap v0";
    }
    return p;
  }
  return std::nullopt;
}

std::optional<Probe> probe_vfat(const Bytes& b) {
  if (!b.has(0, 512) || b.le16(510) != 0xAA55) return std::nullopt;
  const bool fat32 = b.has(82, 8) && std::memcmp(b.at(82), "FAT32   ", 8) == 0;
  const bool fat16 =
      std::memcmp(b.at(54), "FAT1", 4) == 0 || std::memcmp(b.at(54), "FAT  ", 5) == 0;
  if (!fat32 && !fat16) return std::nullopt;
  Probe p;
  p.type = FsType::kVfat;
  p.block_size = uint32_t{b.le16(11)} * b.u8(13);
  const size_t id_at = fat32 ? 67 : 39;
  char id[10];
  std::snprintf(id, sizeof(id), "%04X-%04X", b.le16(id_at + 2), b.le16(id_at));
  p.uuid = id;
  p.label = b.cstr(fat32 ? 71 : 43, 11);
  while (!p.label.empty() && p.label.back() == ' ') p.label.pop_back();
  if (p.label == "NO NAME") p.label.clear();
  p.note = fat32 ? "FAT32 (not readable by deadbox)" : "FAT12/16 (not readable by deadbox)";
  return p;
}

}  // namespace

std::string fs_type_name(FsType t) {
  switch (t) {
    case FsType::kNone: return "none";
    case FsType::kUnknown: return "unknown";
    case FsType::kExt2: return "ext2";
    case FsType::kExt3: return "ext3";
    case FsType::kExt4: return "ext4";
    case FsType::kXfs: return "xfs";
    case FsType::kSwap: return "swap";
    case FsType::kLuks: return "luks";
    case FsType::kLvmPv: return "lvm2_pv";
    case FsType::kVfat: return "vfat";
  }
  return "unknown";
}

Probe probe(image::ByteSource& source) {
  std::vector<std::byte> head(static_cast<size_t>(std::min<uint64_t>(source.size(), kHead)));
  size_t got = 0;
  while (got < head.size()) {
    const size_t n = source.read_at(got, std::span<std::byte>(head).subspan(got));
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  const Bytes b{head};

  // Containers first: their headers overwrite the start of the device, while stale filesystem
  // superblocks further in may survive pvcreate/cryptsetup.
  if (auto p = probe_luks(b)) return *p;
  if (auto p = probe_lvm(b)) return *p;
  auto xfs = probe_xfs(b);
  auto ext = probe_ext(b);
  if (xfs && ext) {
    // Two live-looking superblocks: refuse to guess (TSK's TSK_ERR_FS_MULTTYPE rule).
    Probe p;
    p.type = FsType::kUnknown;
    p.note = "ambiguous: both " + fs_type_name(ext->type) + " and xfs superblocks present";
    return p;
  }
  if (xfs) return *xfs;
  if (ext) return *ext;
  if (auto p = probe_swap(b)) return *p;
  if (auto p = probe_vfat(b)) return *p;

  Probe p;
  const bool zero =
      std::all_of(head.begin(), head.end(), [](std::byte c) { return c == std::byte{0}; });
  p.type = zero ? FsType::kNone : FsType::kUnknown;
  if (head.empty()) p.note = "empty volume";
  return p;
}

}  // namespace deadbox::fs
