// SPDX-License-Identifier: Apache-2.0
// LVM2 physical-volume label, PV header and metadata-area reader: finds the current metadata
// text (following the circular buffer's wrap) and checks its CRC.
// Ref: lvm2 lib/format_text/layout.h (label_header, pv_header, mda_header, raw_locn),
// lib/format_text/format-text.c (_read_metadata_location, wrap), lib/misc/crc.c.
#include <cstring>

#include "deadbox/util/escape.hpp"
#include "volume/volume_internal.hpp"

namespace deadbox::volume {
namespace {

constexpr uint32_t kInitialCrc = 0xf597a6cf;
constexpr size_t kSector = 512;
constexpr size_t kMdaHeaderSize = 512;
constexpr uint64_t kMaxMetadata = 1 << 20;  // real VGs have a few KiB; 1 MiB is generous
constexpr char kMdaMagic[] = "\x20\x4c\x56\x4d\x32\x20\x78\x5b\x35\x41\x25\x72\x30\x4e\x2a\x3e";

uint64_t le(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

bool read_exact(image::ByteSource& src, uint64_t off, std::span<uint8_t> buf) {
  try {
    return src.read_at(off, std::as_writable_bytes(buf)) == buf.size();
  } catch (const Error&) {
    return false;
  }
}

/// Reads the committed metadata text of the metadata area at mda_start (its header's first
/// raw_locn), following the circular buffer's wrap. nullopt when absent or unusable.
std::optional<std::string> read_metadata_area(image::ByteSource& source, uint64_t mda_start,
                                              const std::string& on_volume, Diagnostics& diag,
                                              bool* crc_ok) {
  uint8_t mh[kMdaHeaderSize];
  if (!read_exact(source, mda_start, mh) || std::memcmp(mh + 4, kMdaMagic, 16) != 0) {
    diag.add(DiagLevel::kError, Layer::kVolume, "lvm_mda_bad",
             "LVM metadata area header missing or damaged on " + on_volume, on_volume);
    return std::nullopt;
  }
  if (lvm_crc(kInitialCrc, {reinterpret_cast<char*>(mh + 4), kMdaHeaderSize - 4}) != le(mh, 4)) {
    diag.add(DiagLevel::kWarning, Layer::kVolume, "lvm_mda_crc",
             "LVM metadata area header CRC mismatch on " + on_volume, on_volume);
  }
  const uint64_t mda_size = le(mh + 32, 8);
  const uint64_t off = le(mh + 40, 8), size = le(mh + 48, 8);
  const uint32_t text_crc = static_cast<uint32_t>(le(mh + 56, 4));
  // raw_locn flag 1 = RAW_LOCN_IGNORED (pvchange --metadataignore): not a current copy.
  if (off == 0 || size == 0 || (le(mh + 60, 4) & 1) != 0) return std::nullopt;
  if (size > kMaxMetadata || mda_size <= kMdaHeaderSize || off >= mda_size ||
      off < kMdaHeaderSize) {
    diag.add(DiagLevel::kError, Layer::kVolume, "lvm_metadata_bad",
             "LVM metadata location out of range on " + on_volume + " (offset " +
                 std::to_string(off) + ", size " + std::to_string(size) + ")",
             on_volume);
    return std::nullopt;
  }
  // The metadata area is a circular buffer after its 512-byte header: text that runs past
  // the end continues right after the header.
  const uint64_t first = std::min(size, mda_size - off);
  const uint64_t wrap = size - first;
  if (wrap > mda_size - kMdaHeaderSize) return std::nullopt;
  std::string text(size, '\0');
  auto* bytes = reinterpret_cast<uint8_t*>(text.data());
  if (!read_exact(source, mda_start + off, {bytes, first}) ||
      (wrap > 0 && !read_exact(source, mda_start + kMdaHeaderSize, {bytes + first, wrap}))) {
    diag.add(DiagLevel::kError, Layer::kVolume, "lvm_metadata_unreadable",
             "LVM metadata text unreadable on " + on_volume, on_volume);
    return std::nullopt;
  }
  *crc_ok = lvm_crc(kInitialCrc, text) == text_crc;
  if (!*crc_ok) {
    diag.add(DiagLevel::kWarning, Layer::kVolume, "lvm_metadata_crc",
             "LVM metadata CRC mismatch on " + on_volume + "; parsing it anyway", on_volume);
  }
  text.resize(std::min(text.size(), text.find('\0')));
  return text;
}

}  // namespace

uint32_t lvm_crc(uint32_t seed, std::string_view data) {
  uint32_t crc = seed;
  for (unsigned char b : data) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc;
}

std::string format_lvm_uuid(std::string_view raw) {
  if (raw.size() != 32) return std::string(raw);
  static constexpr int kGroups[] = {6, 4, 4, 4, 4, 4, 6};
  std::string out;
  size_t at = 0;
  for (int g : kGroups) {
    if (!out.empty()) out += '-';
    out.append(raw.substr(at, g));
    at += g;
  }
  return out;
}

std::optional<PvLabel> read_pv_label(const std::shared_ptr<image::ByteSource>& source,
                                     const std::string& on_volume, int evidence_index,
                                     Diagnostics& diag) {
  uint8_t sec[kSector];
  int label_sector = -1;
  for (int s = 0; s < 4; ++s) {
    if (!read_exact(*source, s * kSector, sec)) break;
    if (std::memcmp(sec, "LABELONE", 8) == 0 && std::memcmp(sec + 24, "LVM2 001", 8) == 0) {
      label_sector = s;
      break;
    }
  }
  if (label_sector < 0) return std::nullopt;

  PvLabel pv;
  pv.on_volume = on_volume;
  pv.evidence_index = evidence_index;
  pv.source = source;
  const uint32_t label_crc = static_cast<uint32_t>(le(sec + 16, 4));
  if (lvm_crc(kInitialCrc, {reinterpret_cast<char*>(sec + 20), kSector - 20}) != label_crc) {
    diag.add(DiagLevel::kWarning, Layer::kVolume, "lvm_label_crc",
             "LVM label CRC mismatch on " + on_volume + "; reading it anyway", on_volume);
  }
  const uint64_t pvh = le(sec + 20, 4);
  if (pvh < 32 || pvh + 32 + 8 + 16 > kSector) {
    diag.add(DiagLevel::kError, Layer::kVolume, "lvm_label_bad",
             "LVM label on " + on_volume + " has a bad PV header offset", on_volume);
    return std::nullopt;
  }
  const uint8_t* h = sec + pvh;
  pv.pv_uuid.assign(reinterpret_cast<const char*>(h), 32);
  pv.device_size = le(h + 32, 8);

  // Two zero-terminated disk_locn lists: data areas, then metadata areas.
  std::vector<std::pair<uint64_t, uint64_t>> data_areas, mdas;
  size_t at = pvh + 40;
  for (auto* list : {&data_areas, &mdas}) {
    while (at + 16 <= kSector) {
      uint64_t off = le(sec + at, 8), size = le(sec + at + 8, 8);
      at += 16;
      if (off == 0) break;
      if (list->size() < 8) list->emplace_back(off, size);
    }
  }
  if (!data_areas.empty()) pv.data_offset = data_areas.front().first;
  if (mdas.empty()) return pv;  // PVs may carry no metadata copy (pvcreate --metadatacopies 0)

  // A PV may hold two metadata copies (start and end of the device). Prefer the first one
  // whose CRC verifies; a damaged first copy falls back to the second.
  std::optional<std::string> fallback;
  for (size_t i = 0; i < mdas.size() && i < 2; ++i) {
    bool crc_ok = false;
    auto text = read_metadata_area(*source, mdas[i].first, on_volume, diag, &crc_ok);
    if (!text) continue;
    if (crc_ok) {
      pv.metadata = std::move(*text);
      return pv;
    }
    if (!fallback) fallback = std::move(text);
  }
  if (fallback) {
    pv.crc_ok = false;
    pv.metadata = std::move(*fallback);
  }
  return pv;
}

}  // namespace deadbox::volume
