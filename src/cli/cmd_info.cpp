// SPDX-License-Identifier: Apache-2.0
// deadbox info: containers, volumes, filesystems, OS and mount points, as text or JSON. Writes
// nothing anywhere; every untrusted string is escaped for its sink (terminal or JSON).
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "deadbox/fs/filesystem.hpp"
#include "deadbox/inventory/inventory.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::cli {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

std::string t(std::string_view raw) {
  return escape::terminal(raw);
}

void str(Writer& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  const std::string v = escape::utf8_lossless(value);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}
void u64(Writer& w, const char* key, uint64_t v) {
  w.Key(key);
  w.Uint64(v);
}
void boolean(Writer& w, const char* key, bool v) {
  w.Key(key);
  w.Bool(v);
}

const char* kind_name(volume::VolumeKind k) {
  switch (k) {
    case volume::VolumeKind::kWhole: return "whole";
    case volume::VolumeKind::kPartition: return "partition";
    case volume::VolumeKind::kLogicalVolume: return "logical_volume";
  }
  return "unknown";
}

/// The first file of an evidence item names it in messages.
std::string evidence_name(const inventory::Inventory& inv, int index) {
  if (index < 0 || static_cast<size_t>(index) >= inv.evidence.size()) return "?";
  const auto& p = inv.evidence[static_cast<size_t>(index)].paths;
  return p.empty() ? "?" : p.front();
}

struct Hashes {
  std::optional<image::MediaHashes> h;
  std::string error;
};

// ---- JSON -----------------------------------------------------------------------------------

void json_evidence(Writer& w, const inventory::Inventory& inv, const std::vector<Hashes>& hashes) {
  w.Key("evidence");
  w.StartArray();
  for (size_t i = 0; i < inv.evidence.size(); ++i) {
    const auto& ev = inv.evidence[i];
    w.StartObject();
    w.Key("paths");
    w.StartArray();
    for (const auto& p : ev.paths) w.String(escape::utf8_lossless(p).c_str());
    w.EndArray();
    str(w, "table", inv.layout.tables.size() > i ? inv.layout.tables[i] : "");
    if (ev.image) {
      const auto& c = ev.image->info();
      str(w, "format", c.format);
      w.Key("files");
      w.StartArray();
      for (const auto& f : c.files) w.String(escape::utf8_lossless(f).c_str());
      w.EndArray();
      u64(w, "media_size", c.media_size);
      u64(w, "sector_size", c.sector_size);
      w.Key("metadata");
      w.StartObject();
      for (const auto& [k, v] : c.metadata) str(w, escape::utf8_lossless(k), v);
      w.EndObject();
      if (c.stored_md5) str(w, "stored_md5", *c.stored_md5);
      if (c.stored_sha1) str(w, "stored_sha1", *c.stored_sha1);
      if (c.backing_file) str(w, "backing_file", *c.backing_file);
    } else {
      str(w, "error", ev.error);
      str(w, "error_code", ev.error_code);
    }
    if (i < hashes.size() && (hashes[i].h || !hashes[i].error.empty())) {
      w.Key("hashes");
      w.StartObject();
      if (hashes[i].h) {
        const auto& h = *hashes[i].h;
        str(w, "md5", h.md5);
        str(w, "sha1", h.sha1);
        str(w, "sha256", h.sha256);
        u64(w, "unreadable_bytes", h.unreadable_bytes);
        w.Key("checksum_error_ranges");
        w.StartArray();
        for (const auto& [first, count] : h.checksum_error_ranges) {
          w.StartArray();
          w.Uint64(first);
          w.Uint64(count);
          w.EndArray();
        }
        w.EndArray();
        if (ev.image && ev.image->info().stored_md5)
          boolean(w, "md5_matches_stored", *ev.image->info().stored_md5 == h.md5);
        if (ev.image && ev.image->info().stored_sha1)
          boolean(w, "sha1_matches_stored", *ev.image->info().stored_sha1 == h.sha1);
      } else {
        str(w, "error", hashes[i].error);
      }
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
}

void json_filesystem(Writer& w, const inventory::VolumeEntry& v) {
  w.Key("filesystem");
  if (!v.probe && v.open_error.empty()) {
    w.Null();
    return;
  }
  // Same keys whether or not the probe ran, so consumers never meet a missing member.
  const fs::Probe p = v.probe.value_or(fs::Probe{});
  w.StartObject();
  str(w, "type", v.probe ? fs::fs_type_name(p.type) : "");
  str(w, "label", p.label);
  str(w, "uuid", p.uuid);
  u64(w, "block_size", p.block_size);
  u64(w, "block_count", p.block_count);
  u64(w, "inode_count", p.inode_count);
  boolean(w, "readable", p.readable);
  str(w, "note", p.note);
  boolean(w, "opened", v.tree != nullptr);
  str(w, "reader", v.tree ? v.tree->info().reader : "");
  str(w, "error", v.open_error);
  w.EndObject();
}

void json_volume(Writer& w, const inventory::VolumeEntry& v) {
  const auto& vol = v.volume;
  w.StartObject();
  str(w, "name", vol.name);
  str(w, "kind", kind_name(vol.kind));
  u64(w, "evidence_index", static_cast<uint64_t>(vol.evidence_index));
  u64(w, "offset", vol.offset);
  u64(w, "length", vol.length);
  u64(w, "sector_offset", vol.sector_offset);
  str(w, "table", vol.table);
  u64(w, "slot", static_cast<uint64_t>(vol.slot));
  str(w, "type", vol.type);
  str(w, "type_description", vol.type_description);
  str(w, "part_guid", vol.part_guid);
  str(w, "label", vol.label);
  if (vol.kind == volume::VolumeKind::kLogicalVolume) {
    str(w, "vg_name", vol.vg_name);
    str(w, "lv_name", vol.lv_name);
    str(w, "lv_uuid", vol.lv_uuid);
    u64(w, "extent_size", vol.extent_size);
    w.Key("segments");
    w.StartArray();
    for (const auto& s : vol.segments) {
      w.StartObject();
      u64(w, "lv_start_extent", s.lv_start_extent);
      u64(w, "extent_count", s.extent_count);
      str(w, "type", s.type);
      str(w, "pv_name", s.pv_name);
      str(w, "pv_uuid", s.pv_uuid);
      u64(w, "pv_start_extent", s.pv_start_extent);
      u64(w, "stripe_count", s.stripe_count);
      w.EndObject();
    }
    w.EndArray();
  }
  str(w, "unsupported_reason", vol.unsupported_reason);
  json_filesystem(w, v);
  str(w, "mount_point", v.mount_point);
  str(w, "path_prefix", v.path_prefix());
  boolean(w, "is_root", v.is_root);
  if (v.os) {
    w.Key("os");
    w.StartObject();
    str(w, "pretty_name", v.os->pretty_name);
    str(w, "id", v.os->id);
    str(w, "version_id", v.os->version_id);
    str(w, "hostname", v.os->hostname);
    w.Key("os_release");
    w.StartObject();
    for (const auto& [k, val] : v.os->os_release) str(w, escape::utf8_lossless(k), val);
    w.EndObject();
    w.EndObject();
  }
  if (v.is_root) {
    w.Key("fstab");
    w.StartArray();
    for (const auto& f : v.fstab) {
      w.StartObject();
      str(w, "spec", f.spec);
      str(w, "mount_point", f.mount_point);
      str(w, "fs_type", f.fs_type);
      str(w, "options", f.options);
      str(w, "resolved_volume", f.resolved_volume);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

std::string to_json(const inventory::Inventory& inv, const std::vector<Hashes>& hashes) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.SetIndent(' ', 2);
  w.StartObject();
  json_evidence(w, inv, hashes);
  // Container-independent: the same disk gives the same "volumes" in any container.
  w.Key("volumes");
  w.StartArray();
  for (const auto& v : inv.volumes) json_volume(w, v);
  w.EndArray();
  w.Key("physical_volumes");
  w.StartArray();
  for (const auto& pv : inv.layout.pvs) {
    w.StartObject();
    str(w, "on_volume", pv.on_volume);
    str(w, "pv_uuid", pv.pv_uuid);
    str(w, "vg_name", pv.vg_name);
    u64(w, "size", pv.size);
    u64(w, "pe_start", pv.pe_start);
    u64(w, "pe_count", pv.pe_count);
    w.EndObject();
  }
  w.EndArray();
  w.Key("volume_groups");
  w.StartArray();
  for (const auto& vg : inv.layout.vgs) {
    w.StartObject();
    str(w, "name", vg.name);
    str(w, "uuid", vg.uuid);
    u64(w, "extent_size", vg.extent_size);
    u64(w, "seqno", vg.seqno);
    w.Key("pv_uuids");
    w.StartArray();
    for (const auto& u : vg.pv_uuids) w.String(escape::utf8_lossless(u).c_str());
    w.EndArray();
    w.Key("missing_pv_uuids");
    w.StartArray();
    for (const auto& u : vg.missing_pv_uuids) w.String(escape::utf8_lossless(u).c_str());
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("libraries");
  w.StartObject();
  auto libs = image::library_versions();
  libs.merge(fs::library_versions());
  for (const auto& [name, version] : libs) str(w, name, version);
  w.EndObject();
  w.Key("diagnostics");
  w.StartArray();
  for (const auto& d : inv.diag.entries()) {
    w.StartObject();
    str(w, "level",
        d.level == DiagLevel::kError     ? "error"
        : d.level == DiagLevel::kWarning ? "warning"
                                         : "info");
    str(w, "layer", layer_name(d.layer));
    str(w, "code", d.code);
    str(w, "volume", d.volume);
    str(w, "message", d.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

// ---- text -----------------------------------------------------------------------------------

std::string human_size(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  std::ostringstream o;
  o.precision(u == 0 ? 0 : 1);
  o << std::fixed << v << " " << kUnits[u];
  return o.str();
}

std::string to_text(const inventory::Inventory& inv, const std::vector<Hashes>& hashes) {
  std::ostringstream o;
  for (size_t i = 0; i < inv.evidence.size(); ++i) {
    const auto& ev = inv.evidence[i];
    o << "evidence " << i << ": " << t(ev.paths.empty() ? "" : ev.paths.front()) << "\n";
    if (!ev.image) {
      o << "  error: " << t(ev.error) << "\n";
      continue;
    }
    const auto& c = ev.image->info();
    o << "  format: " << c.format << ", " << c.media_size << " bytes (" << human_size(c.media_size)
      << "), sector " << c.sector_size << "\n";
    if (c.files.size() > 1) {
      o << "  files:";
      for (const auto& f : c.files) o << " " << t(f);
      o << "\n";
    }
    for (const auto& [k, v] : c.metadata) o << "  " << t(k) << ": " << t(v) << "\n";
    if (c.stored_md5) o << "  stored md5: " << t(*c.stored_md5) << "\n";
    if (c.stored_sha1) o << "  stored sha1: " << t(*c.stored_sha1) << "\n";
    if (c.backing_file) o << "  backing file: " << t(*c.backing_file) << "\n";
    o << "  partition table: " << (inv.layout.tables.size() > i ? inv.layout.tables[i] : "")
      << "\n";
    if (i < hashes.size() && hashes[i].h) {
      const auto& h = *hashes[i].h;
      o << "  md5:    " << h.md5;
      if (c.stored_md5)
        o << (*c.stored_md5 == h.md5 ? "  (matches stored)" : "  (MISMATCH with stored)");
      o << "\n  sha1:   " << h.sha1;
      if (c.stored_sha1)
        o << (*c.stored_sha1 == h.sha1 ? "  (matches stored)" : "  (MISMATCH with stored)");
      o << "\n  sha256: " << h.sha256 << "\n";
      for (const auto& [first, count] : h.checksum_error_ranges)
        o << "  checksum error: sectors " << first << "+" << count << "\n";
      if (h.unreadable_bytes) o << "  unreadable bytes: " << h.unreadable_bytes << "\n";
    } else if (i < hashes.size() && !hashes[i].error.empty()) {
      o << "  hash error: " << t(hashes[i].error) << "\n";
    }
  }
  for (const auto& v : inv.volumes) {
    const auto& vol = v.volume;
    o << "\nvolume " << t(vol.name) << " (" << kind_name(vol.kind) << ", evidence "
      << vol.evidence_index << ")\n";
    o << "  offset " << vol.offset << " (sector " << vol.sector_offset << "), length " << vol.length
      << " (" << human_size(vol.length) << ")\n";
    if (!vol.type.empty() || !vol.type_description.empty())
      o << "  type " << t(vol.type_description.empty() ? vol.type : vol.type_description) << "\n";
    if (!vol.part_guid.empty()) o << "  partition guid " << t(vol.part_guid) << "\n";
    if (!vol.label.empty()) o << "  name " << t(vol.label) << "\n";
    if (vol.kind == volume::VolumeKind::kLogicalVolume) {
      o << "  lvm vg " << t(vol.vg_name) << " lv " << t(vol.lv_name) << " uuid " << t(vol.lv_uuid)
        << ", " << vol.segments.size() << " segment(s)\n";
      for (const auto& s : vol.segments)
        o << "    extents " << s.lv_start_extent << "+" << s.extent_count << " -> " << t(s.pv_name)
          << " pe " << s.pv_start_extent << " (" << t(s.type) << ")\n";
    }
    if (!vol.unsupported_reason.empty()) o << "  unreadable: " << t(vol.unsupported_reason) << "\n";
    if (v.probe) {
      const auto& p = *v.probe;
      o << "  filesystem " << fs::fs_type_name(p.type);
      if (!p.label.empty()) o << " label \"" << t(p.label) << "\"";
      if (!p.uuid.empty()) o << " uuid " << t(p.uuid);
      o << "\n";
      if (p.block_size) o << "    block size " << p.block_size << ", blocks " << p.block_count;
      if (p.inode_count) o << ", inodes " << p.inode_count;
      if (p.block_size) o << "\n";
      if (!p.note.empty()) o << "    " << t(p.note) << "\n";
      o << "    readable: " << (v.tree ? "yes (" + v.tree->info().reader + ")" : "no") << "\n";
    }
    if (!v.open_error.empty()) o << "  error: " << t(v.open_error) << "\n";
    if (!v.mount_point.empty()) o << "  mounted at " << t(v.mount_point) << "\n";
    if (v.os) {
      o << "  os: " << t(v.os->pretty_name.empty() ? "(unknown)" : v.os->pretty_name);
      if (!v.os->id.empty()) o << " [" << t(v.os->id) << " " << t(v.os->version_id) << "]";
      o << "\n  hostname: " << t(v.os->hostname) << "\n";
    }
    for (const auto& f : v.fstab)
      o << "  fstab: " << t(f.spec) << " " << t(f.mount_point) << " " << t(f.fs_type) << " -> "
        << (f.resolved_volume.empty() ? "(not in evidence)" : t(f.resolved_volume)) << "\n";
  }
  return o.str();
}

}  // namespace

int run_info(const InfoOptions& o) {
  inventory::Options opts;
  opts.open.qcow_parent = o.common.qcow_parent;
  inventory::Inventory inv = inventory::open(o.common.images, opts);

  std::vector<Hashes> hashes(inv.evidence.size());
  if (o.hash) {
    for (size_t i = 0; i < inv.evidence.size(); ++i) {
      if (!inv.evidence[i].image) continue;
      try {
        hashes[i].h = image::hash_media(*inv.evidence[i].image);
      } catch (const Error& e) {
        hashes[i].error = e.what();
      }
    }
  }
  std::cout << (o.json ? to_json(inv, hashes) : to_text(inv, hashes));
  std::cout.flush();

  // One line per problem on stderr, naming the evidence file and the problem; the volume and
  // inventory layers may report the same fact twice (diagnostic + unsupported_reason).
  std::vector<std::string> lines;
  auto say = [&](int ev, const std::string& volume, const std::string& msg) {
    std::string line = "deadbox: " + t(evidence_name(inv, ev)) + ": ";
    if (!volume.empty() && msg.rfind(volume, 0) != 0) line += t(volume) + ": ";
    line += t(msg);
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
  };
  for (const auto& ev : inv.evidence)
    if (!ev.error.empty()) lines.push_back("deadbox: " + t(ev.error));
  for (size_t i = 0; i < hashes.size(); ++i) {
    const int ev = static_cast<int>(i);
    if (!hashes[i].error.empty()) say(ev, "", "hash: " + hashes[i].error);
    if (hashes[i].h && inv.evidence[i].image) {
      const auto& c = inv.evidence[i].image->info();
      if ((c.stored_md5 && *c.stored_md5 != hashes[i].h->md5) ||
          (c.stored_sha1 && *c.stored_sha1 != hashes[i].h->sha1))
        say(ev, "", "computed hash differs from the hash stored in the image");
      if (!hashes[i].h->checksum_error_ranges.empty())
        say(ev, "",
            std::to_string(hashes[i].h->checksum_error_ranges.size()) +
                " chunk(s) failed their checksum (read as zeros)");
    }
  }
  for (const auto& v : inv.volumes)
    if (!v.volume.unsupported_reason.empty())
      say(v.volume.evidence_index, v.volume.name, v.volume.unsupported_reason);
  for (const auto& d : inv.diag.entries()) {
    if (d.level == DiagLevel::kInfo) continue;
    const auto* v = inv.find(d.volume);
    // A volume's own problem is already listed once; the diagnostic repeats it in other words.
    if (v != nullptr && !v->volume.unsupported_reason.empty() && d.layer == Layer::kVolume)
      continue;
    say(v != nullptr ? v->volume.evidence_index : 0, d.volume,
        (d.level == DiagLevel::kWarning ? "warning: " : "") + d.message);
  }
  for (const auto& l : lines) std::cerr << l << "\n";

  int rc = inv.exit_code();
  if (rc == kExitOk && o.hash) {
    for (size_t i = 0; i < hashes.size(); ++i)
      if (!hashes[i].error.empty() || (hashes[i].h && !hashes[i].h->checksum_error_ranges.empty()))
        rc = kExitPartial;
    // Media that no longer match the hash recorded at acquisition are not what was acquired.
    for (size_t i = 0; i < hashes.size(); ++i) {
      if (!hashes[i].h || !inv.evidence[i].image) continue;
      const auto& c = inv.evidence[i].image->info();
      if ((c.stored_md5 && *c.stored_md5 != hashes[i].h->md5) ||
          (c.stored_sha1 && *c.stored_sha1 != hashes[i].h->sha1))
        rc = kExitPartial;
    }
  }
  return rc;
}

}  // namespace deadbox::cli
