// SPDX-License-Identifier: Apache-2.0
// inventory::open: evidence → layout → probes → trees → OS facts and fstab mount points, each
// step catching its own failures so one bad container or volume never hides the rest.
#include "deadbox/inventory/inventory.hpp"

#include <algorithm>
#include <cctype>

#include "inventory/os_facts.hpp"

namespace deadbox::inventory {
namespace {

// Host-fact files are tiny; a hostile multi-gigabyte /etc/hostname is read only this far.
constexpr size_t kMaxFactBytes = 64 * 1024;
constexpr size_t kMaxFstabBytes = 1 << 20;

std::string first_line(const std::string& s) {
  std::string out = s.substr(0, s.find('\n'));
  while (!out.empty() && (out.back() == '\r' || out.back() == ' ' || out.back() == '\t'))
    out.pop_back();
  return out.substr(0, 255);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has_file(tree::FileTree& t, const char* path) {
  return t.lookup(path).has_value();
}

OsInfo read_os(tree::FileTree& t) {
  OsInfo os;
  if (auto text = detail::read_small(t, "/etc/os-release", kMaxFactBytes))
    os.os_release = detail::parse_os_release(*text);
  else if (auto lib = detail::read_small(t, "/usr/lib/os-release", kMaxFactBytes))
    os.os_release = detail::parse_os_release(*lib);
  auto get = [&](const char* k) {
    auto it = os.os_release.find(k);
    return it == os.os_release.end() ? std::string() : it->second;
  };
  os.pretty_name = get("PRETTY_NAME");
  os.id = get("ID");
  os.version_id = get("VERSION_ID");
  // CentOS 6 and older RHEL have no os-release: the release file is the only statement.
  if (os.pretty_name.empty())
    if (auto rh = detail::read_small(t, "/etc/redhat-release", kMaxFactBytes))
      os.pretty_name = first_line(*rh);
  if (auto host = detail::read_small(t, "/etc/hostname", kMaxFactBytes))
    os.hostname = first_line(*host);
  return os;
}

/// Volume name an fstab spec designates, or "" (evidence_index: the root's disk, used for
/// /dev/sdaN which can only mean "partition N of the disk this fstab booted from").
std::string resolve(const detail::DeviceRef& ref, const std::vector<VolumeEntry>& vols,
                    int evidence_index) {
  using Kind = detail::DeviceRef::Kind;
  // Disks cloned from one template share filesystem UUIDs and labels: prefer the volumes of the
  // root's own evidence item (and the VGs it holds), then any other.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& v : vols) {
      const auto& vol = v.volume;
      if (pass == 0 && vol.evidence_index != evidence_index) continue;
      switch (ref.kind) {
        case Kind::kUuid:
          if (v.probe && !v.probe->uuid.empty() && lower(v.probe->uuid) == ref.value)
            return vol.name;
          break;
        case Kind::kLabel:
          if (v.probe && !v.probe->label.empty() && v.probe->label == ref.value) return vol.name;
          break;
        case Kind::kPartUuid:
          if (!vol.part_guid.empty() && lower(vol.part_guid) == ref.value) return vol.name;
          break;
        case Kind::kLv:
          if (vol.kind == volume::VolumeKind::kLogicalVolume && vol.vg_name == ref.vg &&
              vol.lv_name == ref.lv)
            return vol.name;
          break;
        case Kind::kPartitionNumber:
          if (vol.kind == volume::VolumeKind::kPartition && vol.evidence_index == evidence_index &&
              vol.slot == ref.number)
            return vol.name;
          break;
        case Kind::kNone: break;
      }
    }
  }
  return {};
}

void open_volume(VolumeEntry& v, const Options& options, Diagnostics& diag) {
  const auto& vol = v.volume;
  if (!vol.source) return;
  try {
    v.probe = fs::probe(*vol.source);
  } catch (const Error& e) {
    v.open_error = e.what();
    diag.add(DiagLevel::kError, Layer::kFs, e.code(), e.what(), vol.name);
    return;
  }
  if (v.probe->type == fs::FsType::kUnknown) {
    v.open_error =
        "unrecognized filesystem" + (v.probe->note.empty() ? "" : " (" + v.probe->note + ")");
    diag.add(DiagLevel::kError, Layer::kFs, "unrecognized_filesystem", v.open_error, vol.name);
    return;
  }
  if (!options.open_trees || !v.probe->readable) return;
  try {
    v.tree = fs::open(vol.source, *v.probe, vol.name);
  } catch (const Error& e) {
    v.open_error = e.reason();
    diag.add(DiagLevel::kError, Layer::kFs, e.code(), e.reason(), vol.name);
  }
}

void read_roots(Inventory& inv) {
  bool have_slash = false;
  for (auto& v : inv.volumes) {
    if (!v.tree) continue;
    const bool fstab = has_file(*v.tree, "/etc/fstab");
    if (!fstab && !has_file(*v.tree, "/etc/os-release")) continue;
    v.is_root = true;
    v.os = read_os(*v.tree);
    if (!have_slash) {
      v.mount_point = "/";
      have_slash = true;
    } else {
      inv.diag.add(DiagLevel::kWarning, Layer::kFs, "multiple_roots",
                   "another root filesystem was found first; this one keeps its volume prefix",
                   v.volume.name);
    }
    if (!fstab) continue;
    if (auto text = detail::read_small(*v.tree, "/etc/fstab", kMaxFstabBytes))
      v.fstab = detail::parse_fstab(*text);
  }
  // A stripped system (no os-release, no fstab) is still somebody's root: without "/" every
  // path would carry a volume prefix and no artifact definition (/etc/passwd, /var/log/…)
  // or location rule (/tmp, /boot) would apply to it. Take the first filesystem with an
  // /etc/passwd, else the only filesystem there is.
  if (!have_slash) {
    VolumeEntry* guess = nullptr;
    size_t trees = 0;
    for (auto& v : inv.volumes) {
      if (!v.tree) continue;
      ++trees;
      if (guess == nullptr && has_file(*v.tree, "/etc/passwd")) guess = &v;
    }
    if (guess == nullptr && trees == 1)
      for (auto& v : inv.volumes)
        if (v.tree) guess = &v;
    if (guess != nullptr) {
      guess->mount_point = "/";
      inv.diag.add(DiagLevel::kInfo, Layer::kFs, "root_assumed",
                   "no os-release or fstab found; treated as the root filesystem",
                   guess->volume.name);
    }
  }
  // Mount points from the fstab of the root that got "/": others would describe another OS.
  for (auto& root : inv.volumes) {
    if (root.mount_point != "/") continue;
    for (auto& entry : root.fstab) {
      entry.resolved_volume =
          resolve(detail::parse_spec(entry.spec), inv.volumes, root.volume.evidence_index);
      if (entry.resolved_volume.empty() || entry.mount_point.empty() ||
          entry.mount_point.front() != '/')
        continue;  // swap, none, or a device not among the evidence (NFS, tmpfs)
      VolumeEntry* target = inv.find(entry.resolved_volume);
      if (target == nullptr || target == &root || !target->mount_point.empty()) continue;
      target->mount_point = entry.mount_point;
    }
  }
}

}  // namespace

std::string VolumeEntry::path_prefix() const {
  return mount_point.empty() ? "/" + volume.name : mount_point;
}

VolumeEntry* Inventory::find(std::string_view name) {
  for (auto& v : volumes)
    if (v.volume.name == name) return &v;
  return nullptr;
}

int Inventory::exit_code() const {
  const bool any_open = std::any_of(evidence.begin(), evidence.end(),
                                    [](const Evidence& e) { return e.image != nullptr; });
  const bool needs_parent = std::any_of(evidence.begin(), evidence.end(), [](const Evidence& e) {
    return e.error_code == "needs_parent";
  });
  if (needs_parent) return kExitNeedsParent;
  if (!any_open) return kExitEvidenceUnreadable;
  const bool evidence_failed = std::any_of(evidence.begin(), evidence.end(),
                                           [](const Evidence& e) { return !e.error.empty(); });
  const bool volume_failed = std::any_of(volumes.begin(), volumes.end(), [](const VolumeEntry& v) {
    return !v.open_error.empty() || !v.volume.unsupported_reason.empty();
  });
  if (evidence_failed || volume_failed || diag.count(DiagLevel::kError) > 0) return kExitPartial;
  return kExitOk;
}

Inventory open(const std::vector<std::string>& paths, const Options& options) {
  Inventory inv;
  std::vector<std::shared_ptr<image::Image>> images;
  std::vector<int> evidence_of_image;  // discover() numbers opened images only
  for (auto& group : image::group_evidence_paths(paths)) {
    Evidence ev;
    ev.paths = group;
    try {
      ev.image = image::open_image(group, options.open);
      evidence_of_image.push_back(static_cast<int>(inv.evidence.size()));
      images.push_back(ev.image);
    } catch (const Error& e) {
      ev.error = e.what();
      ev.error_code = e.code();
    } catch (const std::exception& e) {
      ev.error = group.empty() ? e.what() : group.front() + ": " + e.what();
      ev.error_code = "internal";
    }
    inv.evidence.push_back(std::move(ev));
  }
  if (!images.empty()) inv.layout = volume::discover(images, inv.diag);
  // Back to the numbering of the command line, so failed items keep their place.
  std::vector<std::string> tables(inv.evidence.size(), "unreadable");
  for (size_t i = 0; i < inv.layout.tables.size() && i < evidence_of_image.size(); ++i)
    tables[static_cast<size_t>(evidence_of_image[i])] = inv.layout.tables[i];
  inv.layout.tables = std::move(tables);
  for (auto& vol : inv.layout.volumes) {
    if (vol.evidence_index >= 0 &&
        static_cast<size_t>(vol.evidence_index) < evidence_of_image.size())
      vol.evidence_index = evidence_of_image[static_cast<size_t>(vol.evidence_index)];
    VolumeEntry v;
    v.volume = vol;
    open_volume(v, options, inv.diag);
    inv.volumes.push_back(std::move(v));
  }
  read_roots(inv);
  // libewf returns zeros for a chunk whose checksum fails and only remembers it: say so once
  // per evidence item for what was read so far (hostile-input.md E9).
  for (const auto& ev : inv.evidence) {
    if (!ev.image) continue;
    const auto bad = ev.image->checksum_errors();
    if (bad.empty()) continue;
    uint64_t sectors = 0;
    for (const auto& r : bad) sectors += r.second;
    inv.diag.add(DiagLevel::kError, Layer::kImage, "e01_checksum_error",
                 std::to_string(bad.size()) + " corrupt chunk range(s) (" +
                     std::to_string(sectors) + " sectors, first at sector " +
                     std::to_string(bad.front().first) + ") read as zeros");
  }
  return inv;
}

}  // namespace deadbox::inventory
