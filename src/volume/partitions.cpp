// SPDX-License-Identifier: Apache-2.0
// Partition tables through TSK with explicit types (DOS, GPT; never DETECT), numbered as the
// Linux kernel numbers them: MBR primaries 1-4 by slot, logicals from 5 in EBR-chain order
// (block/partitions/msdos.c), GPT entries by table index + 1 (block/partitions/efi.c).
// GPT GUIDs and names are read from the entry array directly (TSK 4.11 does not expose them).
// Ref: UEFI 2.10 §5.3 (GPT header and entries).
#include <algorithm>
#include <cstring>

#include "deadbox/util/escape.hpp"
#include "image/tsk_error.hpp"
#include "image/tsk_external.hpp"
#include "volume/volume_internal.hpp"

namespace deadbox::volume {
namespace {

using image::TskVolumeSystem;

uint64_t le(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string guid_text(const uint8_t* g) {
  char out[37];
  std::snprintf(out, sizeof(out), "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
                static_cast<unsigned>(le(g, 4)), static_cast<unsigned>(le(g + 4, 2)),
                static_cast<unsigned>(le(g + 6, 2)), g[8], g[9], g[10], g[11], g[12], g[13], g[14],
                g[15]);
  return out;
}

/// UTF-16LE (GPT partition name, 36 code units) to UTF-8; unpaired surrogates become U+FFFD.
std::string utf16le_name(const uint8_t* p, size_t units) {
  std::string out;
  for (size_t i = 0; i < units; ++i) {
    uint32_t c = static_cast<uint32_t>(le(p + 2 * i, 2));
    if (c == 0) break;
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
      uint32_t lo = static_cast<uint32_t>(le(p + 2 * (i + 1), 2));
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        ++i;
      } else {
        c = 0xFFFD;
      }
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

const char* gpt_type_name(const std::string& guid) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {"0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem"},
      {"E6D6D379-F507-44C2-A23C-238F2A3DF928", "Linux LVM"},
      {"0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap"},
      {"A19D880F-05FC-4D3B-A006-743F0F84911E", "Linux RAID"},
      {"CA7D7CCB-63ED-4C53-861C-1742536059CC", "Linux LUKS"},
      {"4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "Linux root (x86-64)"},
      {"BC13C2FF-59E6-4262-A352-B275FD6F7172", "Linux extended boot"},
      {"21686148-6449-6E6F-744E-656564454649", "BIOS boot"},
      {"C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI System"},
      {"EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data"},
  };
  for (const auto& [g, name] : kTypes) {
    if (guid == g) return name;
  }
  return nullptr;
}

struct GptEntry {
  std::string type_guid, part_guid, name;
};

/// Entry index -> GUIDs and name, from the primary GPT. Bounded: 4096 entries of <= 4 KiB.
std::map<uint64_t, GptEntry> read_gpt_entries(image::ByteSource& src, uint32_t sector) {
  std::map<uint64_t, GptEntry> out;
  std::vector<uint8_t> hdr(sector);
  if (src.read_at(sector, std::as_writable_bytes(std::span(hdr))) != sector) return out;
  if (std::memcmp(hdr.data(), "EFI PART", 8) != 0) return out;
  const uint64_t lba = le(&hdr[72], 8);
  const uint64_t count = std::min<uint64_t>(le(&hdr[80], 4), 4096);
  const uint64_t esize = le(&hdr[84], 4);
  if (esize < 128 || esize > 4096 || lba == 0 || lba > src.size() / sector) return out;
  std::vector<uint8_t> ents(count * esize);
  size_t got = src.read_at(lba * sector, std::as_writable_bytes(std::span(ents)));
  for (uint64_t i = 0; i < count && (i + 1) * esize <= got; ++i) {
    const uint8_t* e = &ents[i * esize];
    static const uint8_t kZero[16] = {0};
    if (std::memcmp(e, kZero, 16) == 0) continue;
    out[i] = {guid_text(e), guid_text(e + 16), utf16le_name(e + 56, 36)};
  }
  return out;
}

std::string mbr_type_of(const std::string& desc) {
  // TSK's DOS descriptions end in "(0xNN)"; that is the raw type byte.
  auto open = desc.rfind("(0x");
  if (open == std::string::npos || desc.size() < open + 6) return {};
  return desc.substr(open + 1, 4);
}

/// Type bytes a Linux or dual-boot disk normally carries.
bool usual_mbr_type(const std::string& type) {
  static const char* const kUsual[] = {"0x83", "0x8e", "0x82", "0xfd", "0xef", "0xee",
                                       "0x07", "0x0b", "0x0c", "0x0e", "0x06", "0x04",
                                       "0x01", "0x27", "0xa5", "0xa6", "0xa9", "0xda"};
  for (const char* t : kUsual) {
    if (type == t) return true;
  }
  return false;
}

TskVolumeSystem try_open(TSK_IMG_INFO* img, TSK_VS_TYPE_ENUM type, std::string* why) {
  TskVolumeSystem vs(tsk_vs_open(img, 0, type));
  // A failed probe is not an error (fs_open.c does the same); keep the text for fallbacks.
  if (!vs) *why = image::take_tsk_error();
  return vs;
}

/// Primary MBR entries read directly, for when TSK refuses a table because a partition starts
/// past the end of a truncated image: the table itself is intact evidence and worth listing.
struct MbrEntry {
  int slot;
  uint8_t type;
  uint64_t start, length;  // sectors
};
std::optional<std::vector<MbrEntry>> read_primary_mbr(image::ByteSource& src) {
  uint8_t s[512];
  if (src.read_at(0, std::as_writable_bytes(std::span(s))) != 512 || s[510] != 0x55 ||
      s[511] != 0xAA) {
    return std::nullopt;
  }
  std::vector<MbrEntry> out;
  for (int i = 0; i < 4; ++i) {
    const uint8_t* e = s + 446 + 16 * i;
    if (e[0] != 0x00 && e[0] != 0x80) return std::nullopt;  // not a partition table
    const uint64_t start = le(e + 8, 4), len = le(e + 12, 4);
    if (e[4] == 0 || len == 0) continue;
    out.push_back({i + 1, e[4], start, len});
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string mbr_description(uint8_t type) {
  switch (type) {
    case 0x83: return "Linux (0x83)";
    case 0x8e: return "Linux Logical Volume Manager (0x8e)";
    case 0x82: return "Linux Swap / Solaris x86 (0x82)";
    case 0xfd: return "Linux RAID (0xfd)";
    case 0xee: return "GPT Safety Partition (0xee)";
    default: break;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "Unknown Type (0x%02x)", type);
  return buf;
}

bool is_extended(uint8_t type) {
  return type == 0x05 || type == 0x0f || type == 0x85;
}

/// Gives each partition a source clipped to the bytes the image really has; partitions past
/// the end are kept in the listing (the table is evidence) and reported.
void clip_to_image(std::vector<Volume>& volumes, const std::shared_ptr<image::Image>& image,
                   Diagnostics& diag) {
  const uint64_t image_size = image->size();
  for (auto& v : volumes) {
    if (v.offset >= image_size) {
      v.unsupported_reason = "starts past end of image (truncated?)";
      diag.add(DiagLevel::kError, Layer::kVolume, "truncated_image",
               v.name + " starts at byte " + std::to_string(v.offset) + ", past end of image (" +
                   std::to_string(image_size) + " bytes; truncated?)",
               v.name);
    } else {
      uint64_t avail = std::min(v.length, image_size - v.offset);
      if (avail < v.length) {
        diag.add(DiagLevel::kWarning, Layer::kVolume, "truncated_image",
                 v.name + " extends past end of image (truncated?): " + std::to_string(avail) +
                     " of " + std::to_string(v.length) + " bytes present",
                 v.name);
      }
      v.source = std::make_shared<image::SliceSource>(image, v.offset, avail,
                                                      image->describe() + "@" + v.name);
    }
  }
}

}  // namespace

PartitionTable read_partitions(const std::shared_ptr<image::Image>& image, int evidence_index,
                               const std::string& prefix, Diagnostics& diag) {
  PartitionTable out;
  const uint32_t sector = std::max<uint32_t>(image->info().sector_size, 512);
  image::TskImage timg = image::open_tsk_external(image, sector);
  std::string gpt_why, dos_why;
  TskVolumeSystem gpt = try_open(timg.get(), TSK_VS_TYPE_GPT, &gpt_why);
  TskVolumeSystem dos = gpt ? TskVolumeSystem() : try_open(timg.get(), TSK_VS_TYPE_DOS, &dos_why);
  TSK_VS_INFO* vs = gpt ? gpt.get() : dos.get();
  if (vs == nullptr) {
    if (auto entries = read_primary_mbr(*image);
        entries && dos_why.find("too large") != std::string::npos) {
      diag.add(DiagLevel::kWarning, Layer::kVolume, "truncated_image",
               image->describe() + ": MBR lists partitions past the end of the image (TSK: " +
                   dos_why + "); primary entries listed from the table itself");
      out.table = "mbr";
      for (const auto& e : *entries) {
        if (is_extended(e.type)) continue;  // its logical partitions lie past the end
        Volume v;
        v.name = prefix + "p" + std::to_string(e.slot);
        v.kind = VolumeKind::kPartition;
        v.evidence_index = evidence_index;
        v.table = "mbr";
        v.slot = e.slot;
        v.sector_offset = e.start;
        v.offset = e.start * sector;
        v.length = e.length * sector;
        char type[8];
        std::snprintf(type, sizeof(type), "0x%02x", e.type);
        v.type = type;
        v.type_description = mbr_description(e.type);
        out.volumes.push_back(std::move(v));
      }
      clip_to_image(out.volumes, image, diag);
    }
    return out;
  }
  out.table = gpt ? "gpt" : "mbr";
  std::map<uint64_t, GptEntry> gpt_entries;
  if (gpt) gpt_entries = read_gpt_entries(*image, sector);

  std::vector<const TSK_VS_PART_INFO*> parts;
  for (TSK_PNUM_T i = 0; i < vs->part_count; ++i) {
    const TSK_VS_PART_INFO* p = tsk_vs_part_get(vs, i);
    if (p != nullptr && (p->flags & TSK_VS_PART_FLAG_ALLOC) != 0) parts.push_back(p);
  }
  // Logical partitions get 5, 6, … in chain order (TSK numbers extended tables in that order).
  std::vector<const TSK_VS_PART_INFO*> logicals;
  for (auto* p : parts) {
    if (!gpt && p->table_num > 0) logicals.push_back(p);
  }
  std::sort(logicals.begin(), logicals.end(), [](auto* a, auto* b) {
    return std::tie(a->table_num, a->slot_num) < std::tie(b->table_num, b->slot_num);
  });

  for (auto* p : parts) {
    Volume v;
    int number = p->slot_num + 1;
    if (!gpt && p->table_num > 0) {
      number =
          5 + static_cast<int>(std::find(logicals.begin(), logicals.end(), p) - logicals.begin());
    }
    v.name = prefix + "p" + std::to_string(number);
    v.kind = VolumeKind::kPartition;
    v.evidence_index = evidence_index;
    v.table = out.table;
    v.slot = number;
    v.sector_offset = p->start;
    v.offset = static_cast<uint64_t>(p->start) * sector;
    v.length = static_cast<uint64_t>(p->len) * sector;
    const std::string desc = p->desc != nullptr ? p->desc : "";
    if (gpt) {
      if (auto it = gpt_entries.find(static_cast<uint64_t>(p->slot_num)); it != gpt_entries.end()) {
        v.type = it->second.type_guid;
        v.part_guid = it->second.part_guid;
        v.label = it->second.name;
        const char* tn = gpt_type_name(v.type);
        v.type_description = tn != nullptr ? tn : v.type;
      } else {
        v.label = desc;
      }
    } else {
      v.type = mbr_type_of(desc);
      v.type_description = desc;
      if (!usual_mbr_type(v.type)) {
        // Attackers hide data behind odd type bytes; the content is examined regardless.
        diag.add(DiagLevel::kWarning, Layer::kVolume, "unknown_partition_type",
                 v.name + " has unusual partition type " + v.type + " (" + desc +
                     "); examined by content",
                 v.name);
      }
    }
    out.volumes.push_back(std::move(v));
  }
  clip_to_image(out.volumes, image, diag);
  std::sort(out.volumes.begin(), out.volumes.end(), [](const Volume& a, const Volume& b) {
    return std::tie(a.offset, a.slot) < std::tie(b.offset, b.slot);
  });
  return out;
}

}  // namespace deadbox::volume
