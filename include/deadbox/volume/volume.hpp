// SPDX-License-Identifier: Apache-2.0
// Layer 2, volumes: partition tables (MBR incl. extended/logical, GPT; via TSK) and LVM2
// (own metadata reader; linear multi-segment LVs, VGs spanning several evidence items).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deadbox/image/image.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::volume {

/// One linear LV segment: extents [lv_start_extent, +extent_count) of the LV map to
/// physical extents starting at pv_start_extent of PV pv_name.
struct LvSegment {
  uint64_t lv_start_extent = 0;
  uint64_t extent_count = 0;
  std::string type;      ///< "striped" with 1 stripe = linear; anything else is unsupported
  std::string pv_name;   ///< "pv0" as in the metadata
  std::string pv_uuid;
  uint64_t pv_start_extent = 0;
  uint32_t stripe_count = 1;
};

enum class VolumeKind { kWhole, kPartition, kLogicalVolume };

/// A readable region that may hold a filesystem. Names are short and stable across runs and
/// containers: "whole", "p1", "p5" (logical partition in an extended one),
/// "p2/lvm/centos/root".
struct Volume {
  std::string name;
  VolumeKind kind = VolumeKind::kPartition;
  int evidence_index = 0;         ///< which evidence item (0 for the first image given)
  uint64_t offset = 0;            ///< byte offset in the evidence item (partitions)
  uint64_t length = 0;            ///< bytes
  uint64_t sector_offset = 0;     ///< offset / sector size (what `fls -o` takes)
  std::string table;              ///< "none", "mbr", "gpt", "lvm"
  int slot = 0;                   ///< partition index as the table numbers it (1-based)
  std::string type;               ///< MBR type "0x83", GPT type GUID, LV "linear"
  std::string type_description;   ///< "Linux (0x83)", "Linux LVM", …
  std::string part_guid;          ///< GPT unique partition GUID
  std::string label;              ///< GPT partition name or LV name
  // LVM only
  std::string vg_name, lv_name, lv_uuid;
  uint64_t extent_size = 0;       ///< bytes
  std::vector<LvSegment> segments;
  /// Empty when readable; else why not ("striped LV (2 stripes) unsupported", "thin LV
  /// unsupported", "segment past end of PV pv0", "PV pv1 (uuid …) not among the evidence").
  std::string unsupported_reason;
  /// The bytes of the volume; null when unreadable (unsupported_reason says why).
  std::shared_ptr<image::ByteSource> source;
};

/// An LVM physical volume found inside a volume (its label sector), for `info`.
struct PhysicalVolume {
  std::string on_volume;   ///< volume name holding the PV ("p2")
  std::string pv_uuid;
  std::string vg_name;
  uint64_t size = 0;
  uint64_t pe_start = 0;   ///< bytes from the start of the PV
  uint64_t pe_count = 0;
};

struct VolumeGroup {
  std::string name, uuid;
  uint64_t extent_size = 0;
  uint64_t seqno = 0;
  std::vector<std::string> pv_uuids;
  std::vector<std::string> missing_pv_uuids;
};

/// Everything found on all evidence items, in a stable order: per evidence item the table's
/// partitions by start offset, then LVs by VG name and LV name.
struct Layout {
  std::vector<std::string> tables;   ///< per evidence item: "none", "mbr", "gpt"
  std::vector<Volume> volumes;       ///< readable or not; unallocated/meta slots excluded
  std::vector<PhysicalVolume> pvs;
  std::vector<VolumeGroup> vgs;
};

/// Finds partition tables (TSK, explicit DOS/GPT types only), LVM PVs inside partitions or
/// whole disks, and maps LVs across all given images. A damaged table or bad LV is a
/// diagnostic, not an exception: the rest is still listed.
Layout discover(const std::vector<std::shared_ptr<image::Image>>& images, Diagnostics& diag);

}  // namespace deadbox::volume
