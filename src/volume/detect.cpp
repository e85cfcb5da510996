// SPDX-License-Identifier: Apache-2.0
// volume::discover: partition tables of each evidence item, LVM PVs inside partitions or whole
// disks, then VGs/LVs across all items. Failures become diagnostics; discovery never throws
// for bad evidence.
#include <algorithm>
#include <tuple>

#include "deadbox/util/escape.hpp"
#include "volume/volume_internal.hpp"

namespace deadbox::volume {

Layout discover(const std::vector<std::shared_ptr<image::Image>>& images, Diagnostics& diag) {
  Layout layout;
  std::vector<PvLabel> pvs;
  std::vector<std::vector<Volume>> per_item(images.size());
  for (size_t i = 0; i < images.size(); ++i) {
    const auto& img = images[i];
    const int index = static_cast<int>(i);
    // Names must be unique across evidence items: the second disk's partitions are "d2/p1".
    const std::string prefix = i == 0 ? "" : "d" + std::to_string(i + 1) + "/";
    PartitionTable table;
    try {
      table = read_partitions(img, index, prefix, diag);
    } catch (const Error& e) {
      diag.add(DiagLevel::kError, Layer::kVolume, "partition_table_unreadable",
               img->describe() + ": " + e.what());
    }
    layout.tables.push_back(table.table);
    if (table.table == "none") {
      Volume whole;
      whole.name = prefix + "whole";
      whole.kind = VolumeKind::kWhole;
      whole.evidence_index = index;
      whole.length = img->size();
      whole.table = "none";
      whole.type_description = "whole image (no partition table)";
      whole.source = img;
      table.volumes.push_back(std::move(whole));
    }
    for (const auto& v : table.volumes) {
      if (!v.source) continue;
      try {
        if (auto pv = read_pv_label(v.source, v.name, index, diag)) pvs.push_back(std::move(*pv));
      } catch (const Error& e) {
        diag.add(DiagLevel::kError, Layer::kVolume, "lvm_label_unreadable", e.what(), v.name);
      }
    }
    per_item[i] = std::move(table.volumes);
  }

  Layout lvm;
  assemble_lvm(pvs, lvm, diag);
  layout.pvs = std::move(lvm.pvs);
  layout.vgs = std::move(lvm.vgs);
  // Stable order: per evidence item its partitions by offset, then its LVs by VG and LV name
  // (an LV belongs to the item holding its first segment).
  std::stable_sort(lvm.volumes.begin(), lvm.volumes.end(), [](const Volume& a, const Volume& b) {
    return std::tie(a.vg_name, a.lv_name) < std::tie(b.vg_name, b.lv_name);
  });
  for (size_t i = 0; i < per_item.size(); ++i) {
    for (auto& v : per_item[i]) layout.volumes.push_back(std::move(v));
    for (auto& v : lvm.volumes) {
      if (v.evidence_index == static_cast<int>(i)) layout.volumes.push_back(v);
    }
  }
  return layout;
}

}  // namespace deadbox::volume
