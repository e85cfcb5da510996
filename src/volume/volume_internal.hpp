// SPDX-License-Identifier: Apache-2.0
// Layer 2 internals: partition-table reading (TSK) and the LVM2 pieces (label/metadata-area
// reader, text metadata parser, VG/LV assembly, LV byte mapping). Private to src/volume.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/image/image.hpp"
#include "deadbox/util/diagnostics.hpp"
#include "deadbox/volume/volume.hpp"

namespace deadbox::volume {

// ---- partition tables (partitions.cpp)

struct PartitionTable {
  std::string table = "none";   ///< "none", "mbr", "gpt"
  std::vector<Volume> volumes;  ///< allocated partitions, Linux numbering, by start offset
};

/// Reads the DOS and GPT tables of one evidence item through TSK (explicit types). Volume
/// names are "p<N>" with prefix (empty for the first evidence item). Partitions past the end
/// of the image are clipped and reported in diag.
PartitionTable read_partitions(const std::shared_ptr<image::Image>& image, int evidence_index,
                               const std::string& prefix, Diagnostics& diag);

// ---- LVM2 on-disk label and metadata area (lvm_label.cpp)

/// One PV found by its label, with the newest metadata text of its first metadata area.
struct PvLabel {
  std::string on_volume;  ///< holder volume name ("p2", "whole")
  int evidence_index = 0;
  std::shared_ptr<image::ByteSource> source;  ///< bytes of the holder volume (= the PV)
  std::string pv_uuid;                        ///< 32 chars, no dashes
  uint64_t device_size = 0;                   ///< bytes, from the PV header
  uint64_t data_offset = 0;                   ///< first data area (pe_start) in bytes
  std::string metadata;                       ///< text; empty if no metadata area
  bool crc_ok = true;
};

/// Looks for "LABELONE"/"LVM2 001" in sectors 0-3 of source. nullopt if not a PV. Damage past
/// the label (bad metadata header, CRC mismatch) is a diagnostic; the PV is still returned.
std::optional<PvLabel> read_pv_label(const std::shared_ptr<image::ByteSource>& source,
                                     const std::string& on_volume, int evidence_index,
                                     Diagnostics& diag);

/// LVM's CRC-32 (reflected 0xEDB88320, caller-supplied seed, no final xor). Seed 0xf597a6cf.
uint32_t lvm_crc(uint32_t seed, std::string_view data);

/// "abcdef..." (32) -> "abcdef-ghij-…" as LVM prints PV/VG/LV uuids (6-4-4-4-4-4-6).
std::string format_lvm_uuid(std::string_view raw32);

// ---- LVM2 text metadata (lvm_text.cpp)

struct LvmValue {
  enum class Kind { kNumber, kString, kArray };
  Kind kind = Kind::kNumber;
  int64_t number = 0;
  std::string text;
  std::vector<LvmValue> items;
};

struct LvmSection {
  std::string name;
  std::map<std::string, LvmValue> values;
  std::vector<LvmSection> children;
  const LvmSection* child(std::string_view n) const;
  std::optional<int64_t> number(std::string_view key) const;
  std::optional<std::string> string(std::string_view key) const;
  const LvmValue* array(std::string_view key) const;
};

/// Parses LVM2's text format (nested `name { key = value }`, arrays, strings, numbers, #
/// comments). Bounded: 1 MiB of text, depth 32, 200,000 nodes. Returns nullopt and sets
/// *error (with a line number) on malformed or over-limit input.
std::optional<LvmSection> parse_lvm_text(std::string_view text, std::string* error);

// ---- assembly (lvm_assemble.cpp)

/// Builds VGs and LV volumes from the PVs of all evidence items.
void assemble_lvm(const std::vector<PvLabel>& pvs, Layout& layout, Diagnostics& diag);

// ---- LV bytes (lv_source.cpp)

/// A linear piece of an LV: LV bytes [lv_offset, +length) are PV bytes [pv_offset, +length).
struct LvExtentMap {
  uint64_t lv_offset = 0;
  uint64_t length = 0;
  std::shared_ptr<image::ByteSource> pv;
  uint64_t pv_offset = 0;
};

/// Reads an LV through its (validated, contiguous, sorted) segment maps.
class LvSource final : public image::ByteSource {
 public:
  LvSource(std::vector<LvExtentMap> maps, uint64_t size, std::string name);
  uint64_t size() const override { return size_; }
  size_t read_at(uint64_t offset, std::span<std::byte> buf) override;
  std::string describe() const override { return name_; }

 private:
  std::vector<LvExtentMap> maps_;
  uint64_t size_;
  std::string name_;
};

}  // namespace deadbox::volume
