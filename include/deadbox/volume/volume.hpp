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
  std::string type;     ///< "striped" with 1 stripe = linear; anything else is unsupported
  std::string pv_name;  ///< "pv0" as in the metadata
  std::string pv_uuid;
  uint64_t pv_start_extent = 0;
  uint32_t stripe_count = 1;
};

enum class VolumeKind { kWhole, kPartition, kLogicalVolume };

/// A readable region that may hold a filesystem. Names are short and stable across runs and
/// containers, and follow the Linux kernel's partition numbering (what /dev/sdaN would be):
///  - "whole": the image itself when it has no MBR/GPT (bare filesystem, whole-disk PV);
///  - "p<N>": MBR primaries N = slot 1-4; logical partitions N = 5, 6, … in EBR-chain order
///    (the extended container itself is not a volume); GPT N = entry index + 1;
///  - "<holder>/lvm/<vg>/<lv>": an LV, prefixed by the volume holding the PV of its first
///    segment ("p2/lvm/centos/root"); a whole-disk PV gives just "lvm/<vg>/<lv>". Two VGs with
///    the same name get "<vg>~<first 6 chars of the VG uuid>";
///  - evidence items after the first are prefixed "d<K>/" (K = 2, 3, …): "d2/p1", "d2/lvm/…".
struct Volume {
  std::string name;
  VolumeKind kind = VolumeKind::kPartition;
  int evidence_index = 0;        ///< which evidence item (0 for the first image given)
  uint64_t offset = 0;           ///< byte offset in the evidence item (partitions)
  uint64_t length = 0;           ///< bytes
  uint64_t sector_offset = 0;    ///< offset / sector size (what `fls -o` takes)
  std::string table;             ///< "none", "mbr", "gpt", "lvm"
  int slot = 0;                  ///< partition index as the table numbers it (1-based)
  std::string type;              ///< MBR type "0x83", GPT type GUID, LV "linear"
  std::string type_description;  ///< "Linux (0x83)", "Linux LVM", …
  std::string part_guid;         ///< GPT unique partition GUID
  std::string label;             ///< GPT partition name or LV name
  // LVM only
  std::string vg_name, lv_name, lv_uuid;
  uint64_t extent_size = 0;  ///< bytes
  std::vector<LvSegment> segments;
  /// Empty when readable; else why not ("striped LV (2 stripes) unsupported", "thin LV
  /// unsupported", "segment past end of PV pv0", "PV pv1 (uuid …) not among the evidence").
  std::string unsupported_reason;
  /// The bytes of the volume; null when unreadable (unsupported_reason says why).
  std::shared_ptr<image::ByteSource> source;
};

/// An LVM physical volume found inside a volume (its label sector), for `info`.
struct PhysicalVolume {
  std::string on_volume;  ///< volume name holding the PV ("p2")
  std::string pv_uuid;
  std::string vg_name;
  uint64_t size = 0;
  uint64_t pe_start = 0;  ///< bytes from the start of the PV
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
  std::vector<std::string> tables;  ///< per evidence item: "none", "mbr", "gpt"
  std::vector<Volume> volumes;      ///< readable or not; unallocated/meta slots excluded
  std::vector<PhysicalVolume> pvs;
  std::vector<VolumeGroup> vgs;
};

/// Finds partition tables (TSK, explicit DOS/GPT types only; GPT wins over its protective MBR),
/// LVM PVs inside partitions or whole disks, and maps LVs across all given images. A damaged
/// table or bad LV is a diagnostic, not an exception: the rest is still listed. Diagnostic codes
/// (layer volume): "truncated_image" (partition or LV past the end of the image; its source is
/// clipped, reads of missing LV data throw), "unknown_partition_type", "lv_extent_out_of_range",
/// "lv_unsupported", "lvm_pv_missing", "lvm_metadata_crc", "lvm_metadata_bad", "lv_overlap".
/// Sources handed out are thread-unsafe like every ByteSource; they keep the image alive.
Layout discover(const std::vector<std::shared_ptr<image::Image>>& images, Diagnostics& diag);

}  // namespace deadbox::volume
