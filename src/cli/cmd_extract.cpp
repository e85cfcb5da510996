// SPDX-License-Identifier: Apache-2.0
// `deadbox extract`: open the evidence once, take home directories from the root filesystem's
// own /etc/passwd, then one walk per volume with the Extractor consumer; manifest at the end.
#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/commands.hpp"
#include "deadbox/artifacts/definition.hpp"
#include "deadbox/artifacts/matcher.hpp"
#include "deadbox/extract/extractor.hpp"
#include "deadbox/inventory/inventory.hpp"
#include "deadbox/pipeline/walk_consumer.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::cli {
namespace {

constexpr uint64_t kMaxPasswdBytes = 4 << 20;

bool has_root(const inventory::Inventory& inv) {
  return std::any_of(inv.volumes.begin(), inv.volumes.end(),
                     [](const inventory::VolumeEntry& v) { return v.is_root && v.tree; });
}

// Where a volume's paths are matched. Without any root filesystem (no os-release or fstab
// anywhere: stripped by an intruder, or a lone data image) every filesystem is matched as if
// mounted at "/", so its /etc/passwd and /var/log are still collected; the manifest's volume
// column keeps them apart.
std::string match_prefix(const inventory::VolumeEntry& v, bool root_known) {
  return root_known ? v.path_prefix() : "";
}

// Field 6 of each passwd line of every root filesystem (of every filesystem when none is
// known). The file is hostile: bounded read, lines without 6 fields skipped; the Matcher
// treats each home as literal text and ignores relative or ".." homes.
std::vector<std::string> passwd_homes(inventory::Inventory& inv) {
  std::set<std::string> homes;
  const bool root_known = has_root(inv);
  for (auto& v : inv.volumes) {
    if ((root_known && !v.is_root) || !v.tree) continue;
    try {
      auto e = v.tree->lookup("/etc/passwd");
      if (!e || e->stat.type != tree::FileType::kRegular) continue;
      std::istringstream in(tree::read_all(*v.tree, e->stat.inode, e->stat.size, kMaxPasswdBytes));
      std::string line;
      while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::string field;
        std::istringstream ls(line);
        while (std::getline(ls, field, ':')) f.push_back(field);
        if (f.size() >= 6 && !f[5].empty() && f[5].front() == '/') homes.insert(f[5]);
      }
    } catch (const Error& e) {
      inv.diag.add(DiagLevel::kWarning, Layer::kExtract, "passwd_unreadable", e.what(),
                   v.volume.name, "/etc/passwd");
    }
  }
  return {homes.begin(), homes.end()};
}

}  // namespace

int run_extract(const ExtractOptions& o) {
  const auto registry = artifacts::Registry::load(o.common.artifacts_dir);
  inventory::Options iopt;
  if (o.common.qcow_parent) iopt.open.qcow_parent = *o.common.qcow_parent;
  auto inv = inventory::open(o.common.images, iopt);
  if (inv.exit_code() == kExitEvidenceUnreadable || inv.exit_code() == kExitNeedsParent) {
    for (const auto& ev : inv.evidence)
      if (!ev.error.empty()) std::cerr << "deadbox: " << escape::terminal(ev.error) << "\n";
    return inv.exit_code();
  }
  for (const auto& name : o.volumes)
    if (inv.find(name) == nullptr)
      throw Error(Layer::kCli, "unknown_volume", name, "no such volume (see `deadbox info`)");

  // The selection is checked before DIR is touched, so a typo leaves no empty folder behind.
  artifacts::Matcher matcher(registry, o.artifacts, passwd_homes(inv));
  auto out = extract::OutputDir::open(o.output, o.force);
  extract::Options eopt;
  if (o.max_file_bytes) eopt.max_file_bytes = o.max_file_bytes;
  if (o.max_total_bytes) eopt.max_total_bytes = o.max_total_bytes;
  extract::Extractor extractor(matcher, out, eopt);
  const bool root_known = has_root(inv);

  for (auto& v : inv.volumes) {
    if (!v.tree) continue;
    if (!o.volumes.empty() &&
        std::find(o.volumes.begin(), o.volumes.end(), v.volume.name) == o.volumes.end())
      continue;
    pipeline::VolumeContext ctx{v.volume.name, match_prefix(v, root_known), v.tree.get(),
                                &inv.diag};
    try {
      pipeline::walk_volume(ctx, {}, {&extractor});
    } catch (const Error& e) {
      // One unreadable filesystem must not cost the others' artifacts.
      inv.diag.add(DiagLevel::kError, e.layer(), e.code(), e.what(), v.volume.name);
    }
  }
  extractor.write_manifest();

  const auto& s = extractor.summary();
  if (!o.common.quiet) {
    std::cerr << "deadbox extract: " << s.files << " files (" << s.deleted << " deleted), "
              << s.bytes << " bytes, " << s.symlinks << " symlinks recorded, " << s.capped
              << " capped, " << s.skipped << " skipped, " << s.failed << " failed -> "
              << escape::terminal(out.path()) << "/manifest.jsonl\n";
    for (const auto& d : inv.diag.entries())
      if (d.level == DiagLevel::kError)
        std::cerr << "deadbox: " << escape::terminal(d.volume) << ": "
                  << escape::terminal(d.message) << "\n";
  }
  const int inv_rc = inv.exit_code();
  return s.failed > 0 || inv_rc == kExitPartial ? kExitPartial : kExitOk;
}

}  // namespace deadbox::cli
