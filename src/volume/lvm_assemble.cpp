// SPDX-License-Identifier: Apache-2.0
// LVM2 assembly: volume groups from the PVs of all evidence items (newest seqno wins), logical
// volumes with all their segments. Only linear mappings are read (striped with one stripe, any
// number of segments); every other segment type is listed with its reason. Every extent is
// checked against its PV before an LV gets a byte source.
// Ref: lvm2 lib/format_text/import_vsn1.c (_read_pv, _read_lv, _read_segment), lvm(8).
#include <algorithm>
#include <set>

#include "deadbox/util/escape.hpp"
#include "volume/volume_internal.hpp"

namespace deadbox::volume {
namespace {

constexpr size_t kMaxLvs = 10000;
constexpr size_t kMaxSegments = 10000;
constexpr uint64_t kSector = 512;

std::string strip_dashes(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

bool mul_ok(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}
bool add_ok(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

struct ParsedPv {
  const PvLabel* label;
  LvmSection vg;  // the VG section of this PV's metadata
  uint64_t seqno;
  std::string vg_id;
};

struct MetaPv {
  std::string name;  // "pv0"
  std::string uuid;  // no dashes
  uint64_t pe_start = 0;
  uint64_t pe_count = 0;
  const PvLabel* label = nullptr;  // null: not among the evidence
};

bool has_flag(const LvmSection& s, std::string_view flag) {
  if (const LvmValue* st = s.array("status")) {
    for (const auto& i : st->items) {
      if (i.kind == LvmValue::Kind::kString && i.text == flag) return true;
    }
  }
  return false;
}

/// Holder "p2" -> "p2/", "whole" -> "", "d2/whole" -> "d2/".
std::string lv_prefix(const std::string& holder) {
  if (holder == "whole") return "";
  if (holder.size() > 6 && holder.compare(holder.size() - 6, 6, "/whole") == 0) {
    return holder.substr(0, holder.size() - 5);
  }
  return holder + "/";
}

struct PvRange {
  std::string pv_uuid;
  uint64_t start, end;  // extents [start, end)
  std::string lv;
};

class VgBuilder {
 public:
  VgBuilder(const ParsedPv& best, const std::string& shown_name,
            const std::map<std::string, const PvLabel*>& labels, Layout& layout, Diagnostics& diag)
      : md_(best.vg), name_(shown_name), labels_(labels), layout_(layout), diag_(diag) {
    vg_.name = shown_name;
    vg_.uuid = best.vg_id;
    vg_.seqno = best.seqno;
  }

  void build() {
    const int64_t es = md_.number("extent_size").value_or(0);
    if (es <= 0 || static_cast<uint64_t>(es) > (uint64_t{1} << 40) / kSector) {
      bad_vg_ = "bad extent_size " + std::to_string(es);
    } else {
      extent_ = static_cast<uint64_t>(es) * kSector;
    }
    vg_.extent_size = extent_;
    read_pvs();
    if (const LvmSection* lvs = md_.child("logical_volumes")) {
      find_snapshot_stores(*lvs);
      size_t n = 0;
      for (const auto& lv : lvs->children) {
        if (++n > kMaxLvs) {
          diag_.add(DiagLevel::kError, Layer::kVolume, "capped",
                    "VG " + escape::terminal(name_) + " has more than 10000 LVs; rest ignored");
          break;
        }
        build_lv(lv);
      }
    }
    report_overlaps();
    layout_.vgs.push_back(std::move(vg_));
  }

 private:
  void read_pvs() {
    const LvmSection* pvs = md_.child("physical_volumes");
    if (pvs == nullptr) return;
    for (const auto& s : pvs->children) {
      MetaPv pv;
      pv.name = s.name;
      pv.uuid = strip_dashes(s.string("id").value_or(""));
      pv.pe_start = static_cast<uint64_t>(std::max<int64_t>(0, s.number("pe_start").value_or(0)));
      pv.pe_count = static_cast<uint64_t>(std::max<int64_t>(0, s.number("pe_count").value_or(0)));
      if (!mul_ok(pv.pe_start, kSector, &pv.pe_start)) pv.pe_start = UINT64_MAX;
      if (auto it = labels_.find(pv.uuid); it != labels_.end()) pv.label = it->second;
      vg_.pv_uuids.push_back(format_lvm_uuid(pv.uuid));
      if (pv.label == nullptr) {
        vg_.missing_pv_uuids.push_back(format_lvm_uuid(pv.uuid));
        diag_.add(DiagLevel::kWarning, Layer::kVolume, "lvm_pv_missing",
                  "VG " + escape::terminal(name_) + ": PV " + escape::terminal(pv.name) + " (" +
                      escape::terminal(format_lvm_uuid(pv.uuid)) + ") not among the evidence");
      }
      pvs_.push_back(std::move(pv));
    }
  }

  /// Old-style snapshots: a hidden "snapshotN" LV of type "snapshot" names a visible COW-store
  /// LV. That LV's bytes are exception chunks, not a filesystem: list it, do not read it.
  void find_snapshot_stores(const LvmSection& lvs) {
    for (const auto& lv : lvs.children) {
      for (const auto& seg : lv.children) {
        if (seg.string("type").value_or("") != "snapshot") continue;
        if (auto cow = seg.string("cow_store")) cow_of_[*cow] = seg.string("origin").value_or("?");
      }
    }
  }

  const MetaPv* find_pv(const std::string& name) const {
    for (const auto& p : pvs_) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }

  /// Checks one linear segment; returns "" if readable, else the unsupported reason.
  std::string check_segment(size_t n, const LvSegment& seg, const MetaPv* pv, std::string* warn) {
    const std::string segn = "segment " + std::to_string(n);
    if (pv == nullptr)
      return segn + " refers to unknown PV '" + escape::terminal(seg.pv_name) + "'";
    if (pv->label == nullptr) {
      return "PV " + escape::terminal(format_lvm_uuid(pv->uuid)) + " not among the evidence";
    }
    uint64_t end_extent = 0, end_bytes = 0, rel = 0;
    const bool ok = add_ok(seg.pv_start_extent, seg.extent_count, &end_extent) &&
                    mul_ok(end_extent, extent_, &rel) && add_ok(pv->pe_start, rel, &end_bytes);
    const uint64_t pv_size = pv->label->device_size;
    if (!ok || end_extent > pv->pe_count || (pv_size != 0 && end_bytes > pv_size)) {
      return segn + " past end of PV " + escape::terminal(seg.pv_name) + " (extents " +
             std::to_string(seg.pv_start_extent) + "+" + std::to_string(seg.extent_count) + " of " +
             std::to_string(pv->pe_count) + ")";
    }
    if (end_bytes > pv->label->source->size()) {
      *warn = segn + " extends past end of image on " + pv->label->on_volume + " (truncated?)";
    }
    return {};
  }

  void build_lv(const LvmSection& lv) {
    if (!has_flag(lv, "VISIBLE")) {
      // Hidden sub-LVs (mirror legs, pool metadata, snapshot COW) belong to a visible LV.
      diag_.add(DiagLevel::kInfo, Layer::kVolume, "lvm_hidden_lv",
                "hidden LV " + escape::terminal(lv.name) + " in VG " + escape::terminal(name_) +
                    " not listed");
      return;
    }
    Volume v;
    v.kind = VolumeKind::kLogicalVolume;
    v.table = "lvm";
    v.vg_name = name_;
    v.lv_name = lv.name;
    v.label = lv.name;
    v.lv_uuid = lv.string("id").value_or("");
    v.extent_size = extent_;
    v.type = "linear";

    std::vector<const LvmSection*> segs;
    for (const auto& c : lv.children) {
      if (c.name.rfind("segment", 0) == 0 && segs.size() < kMaxSegments) segs.push_back(&c);
    }
    std::stable_sort(segs.begin(), segs.end(), [](auto* a, auto* b) {
      return a->number("start_extent").value_or(0) < b->number("start_extent").value_or(0);
    });

    std::string reason = bad_vg_;
    if (auto it = cow_of_.find(lv.name); reason.empty() && it != cow_of_.end()) {
      reason = "snapshot of " + escape::terminal(it->second) +
               " (copy-on-write store, not a filesystem) unsupported";
      v.type = "snapshot";
    }
    std::string warning;
    std::vector<LvExtentMap> maps;
    uint64_t next_extent = 0;
    const PvLabel* first_holder = nullptr;
    for (size_t i = 0; i < segs.size(); ++i) {
      const LvmSection& s = *segs[i];
      LvSegment seg;
      seg.lv_start_extent =
          static_cast<uint64_t>(std::max<int64_t>(0, s.number("start_extent").value_or(0)));
      seg.extent_count =
          static_cast<uint64_t>(std::max<int64_t>(0, s.number("extent_count").value_or(0)));
      seg.type = s.string("type").value_or("?");
      seg.stripe_count = static_cast<uint32_t>(
          std::clamp<int64_t>(s.number("stripe_count").value_or(0), 0, 1 << 20));
      const LvmValue* stripes = s.array("stripes");
      if (stripes != nullptr && stripes->items.size() >= 2 &&
          stripes->items[0].kind == LvmValue::Kind::kString &&
          stripes->items[1].kind == LvmValue::Kind::kNumber) {
        seg.pv_name = stripes->items[0].text;
        seg.pv_start_extent = static_cast<uint64_t>(std::max<int64_t>(0, stripes->items[1].number));
      }
      const MetaPv* pv = find_pv(seg.pv_name);
      if (pv != nullptr) seg.pv_uuid = format_lvm_uuid(pv->uuid);
      if (pv != nullptr && pv->label != nullptr && first_holder == nullptr)
        first_holder = pv->label;
      const std::string segn = "segment " + std::to_string(i + 1);
      if (reason.empty()) {
        if (seg.type != "striped") {
          reason = escape::terminal(seg.type) + " LV unsupported (" + segn + ")";
          v.type = seg.type;
        } else if (seg.stripe_count != 1 || stripes == nullptr || stripes->items.size() != 2) {
          reason = "striped LV (" + std::to_string(seg.stripe_count) + " stripes) unsupported";
          v.type = "striped";
        } else if (seg.lv_start_extent != next_extent) {
          reason = segn + " starts at extent " + std::to_string(seg.lv_start_extent) +
                   ", expected " + std::to_string(next_extent);
        } else if (seg.extent_count == 0) {
          reason = segn + " has no extents";
        } else {
          std::string warn;
          reason = check_segment(i + 1, seg, pv, &warn);
          if (warning.empty()) warning = warn;
          if (reason.empty()) {
            maps.push_back({seg.lv_start_extent * extent_, seg.extent_count * extent_,
                            pv->label->source, pv->pe_start + seg.pv_start_extent * extent_});
            ranges_.push_back(
                {pv->uuid, seg.pv_start_extent, seg.pv_start_extent + seg.extent_count, lv.name});
          }
        }
      }
      if (!__builtin_add_overflow(next_extent, seg.extent_count, &next_extent)) {
      } else {
        reason = reason.empty() ? "extent count overflow" : reason;
      }
      v.segments.push_back(std::move(seg));
    }
    if (segs.empty() && reason.empty()) reason = "LV has no segments";
    if (reason.empty()) {
      if (auto declared = lv.number("segment_count");
          declared && *declared != static_cast<int64_t>(segs.size())) {
        reason = "segment_count " + std::to_string(*declared) + " but " +
                 std::to_string(segs.size()) + " segments present";
      }
    }
    uint64_t length = 0;
    if (!mul_ok(next_extent, extent_, &length)) length = 0;
    v.length = length;
    if (first_holder == nullptr) {
      for (const auto& p : pvs_) {
        if (p.label != nullptr) {
          first_holder = p.label;
          break;
        }
      }
    }
    const std::string holder = first_holder != nullptr ? first_holder->on_volume : "";
    v.evidence_index = first_holder != nullptr ? first_holder->evidence_index : 0;
    v.name = lv_prefix(holder) + "lvm/" + name_ + "/" + lv.name;
    v.type_description = "LVM2 " + v.type + " LV (" + std::to_string(v.segments.size()) +
                         (v.segments.size() == 1 ? " segment)" : " segments)");
    if (!reason.empty()) {
      v.unsupported_reason = reason;
      diag_.add(DiagLevel::kError, Layer::kVolume,
                reason.find("past end of PV") != std::string::npos ? "lv_extent_out_of_range"
                                                                   : "lv_unsupported",
                escape::terminal(v.name) + ": " + reason, v.name);
    } else {
      if (!warning.empty()) {
        diag_.add(DiagLevel::kWarning, Layer::kVolume, "truncated_image",
                  escape::terminal(v.name) + ": " + warning, v.name);
      }
      v.source = std::make_shared<LvSource>(std::move(maps), length, v.name);
    }
    layout_.volumes.push_back(std::move(v));
  }

  void report_overlaps() {
    std::sort(ranges_.begin(), ranges_.end(), [](const PvRange& a, const PvRange& b) {
      return std::tie(a.pv_uuid, a.start) < std::tie(b.pv_uuid, b.start);
    });
    for (size_t i = 1; i < ranges_.size(); ++i) {
      const auto& a = ranges_[i - 1];
      const auto& b = ranges_[i];
      if (a.pv_uuid == b.pv_uuid && b.start < a.end) {
        diag_.add(DiagLevel::kWarning, Layer::kVolume, "lv_overlap",
                  "VG " + escape::terminal(name_) + ": LVs " + escape::terminal(a.lv) + " and " +
                      escape::terminal(b.lv) + " share physical extents " +
                      std::to_string(b.start) + ".." + std::to_string(std::min(a.end, b.end) - 1));
      }
    }
  }

  const LvmSection& md_;
  std::string name_;
  const std::map<std::string, const PvLabel*>& labels_;
  Layout& layout_;
  Diagnostics& diag_;
  VolumeGroup vg_;
  uint64_t extent_ = 0;
  std::string bad_vg_;
  std::vector<MetaPv> pvs_;
  std::vector<PvRange> ranges_;
  std::map<std::string, std::string> cow_of_;  // COW-store LV -> origin LV
};

}  // namespace

void assemble_lvm(const std::vector<PvLabel>& pvs, Layout& layout, Diagnostics& diag) {
  std::map<std::string, const PvLabel*> labels;  // PV uuid -> label
  std::vector<ParsedPv> parsed;
  for (const auto& pv : pvs) {
    if (!labels.emplace(pv.pv_uuid, &pv).second) {
      diag.add(DiagLevel::kWarning, Layer::kVolume, "lvm_duplicate_pv",
               "PV " + escape::terminal(format_lvm_uuid(pv.pv_uuid)) + " seen on " +
                   labels[pv.pv_uuid]->on_volume + " and " + pv.on_volume + "; using the first",
               pv.on_volume);
    }
    PhysicalVolume info;
    info.on_volume = pv.on_volume;
    info.pv_uuid = format_lvm_uuid(pv.pv_uuid);
    info.size = pv.device_size;
    info.pe_start = pv.data_offset;
    if (pv.metadata.empty()) {
      layout.pvs.push_back(std::move(info));
      continue;
    }
    std::string error;
    auto root = parse_lvm_text(pv.metadata, &error);
    if (!root) {
      diag.add(DiagLevel::kError, Layer::kVolume, "lvm_metadata_bad",
               "LVM metadata on " + pv.on_volume + " unparsable: " + error, pv.on_volume);
      layout.pvs.push_back(std::move(info));
      continue;
    }
    // The VG is the one top-level section; top-level values describe the text itself.
    for (auto& vg : root->children) {
      info.vg_name = vg.name;
      if (const LvmSection* pvsec = vg.child("physical_volumes")) {
        for (const auto& p : pvsec->children) {
          if (strip_dashes(p.string("id").value_or("")) != pv.pv_uuid) continue;
          info.pe_count =
              static_cast<uint64_t>(std::max<int64_t>(0, p.number("pe_count").value_or(0)));
          info.pe_start =
              static_cast<uint64_t>(std::max<int64_t>(0, p.number("pe_start").value_or(0))) *
              kSector;
        }
      }
      uint64_t seqno = static_cast<uint64_t>(std::max<int64_t>(0, vg.number("seqno").value_or(0)));
      std::string id = strip_dashes(vg.string("id").value_or(vg.name));
      parsed.push_back({&pv, std::move(vg), seqno, std::move(id)});
      break;
    }
    layout.pvs.push_back(std::move(info));
  }

  // One VG per id; the PV with the highest seqno holds the current metadata.
  std::map<std::string, const ParsedPv*> best;
  for (const auto& p : parsed) {
    auto& slot = best[p.vg_id];
    if (slot == nullptr || p.seqno > slot->seqno) slot = &p;
  }
  std::map<std::string, int> name_count;
  for (const auto& [id, p] : best) ++name_count[p->vg.name];
  std::vector<std::pair<std::string, const ParsedPv*>> order;
  for (const auto& [id, p] : best) {
    // Two disks from different machines can both have a VG "centos": keep names unique.
    std::string shown = p->vg.name;
    if (name_count[shown] > 1) shown += "~" + format_lvm_uuid(id).substr(0, 6);
    order.emplace_back(shown, p);
  }
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [shown, p] : order) VgBuilder(*p, shown, labels, layout, diag).build();
}

}  // namespace deadbox::volume
