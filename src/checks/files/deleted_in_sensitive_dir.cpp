// SPDX-License-Identifier: Apache-2.0
// files/deleted_in_sensitive_dir: deleted names in /boot, temp, cron and systemd directories,
// grouped into bursts (the seed's random-named siblings appeared and vanished within ~1 s).
#include <algorithm>
#include <map>
#include <vector>

#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

// Deletions this close together (by inode ctime, which unlink updates) are one burst.
constexpr int64_t kBurstNs = 2'000'000'000;
constexpr size_t kMaxEvidence = 20;

// What package upgrades delete from /boot and unit directories as a matter of course.
bool routine_name(std::string_view name) {
  for (std::string_view p :
       {"vmlinuz-", "initrd.img-", "initramfs-", "System.map-", "config-", "abi-", "retpoline-"})
    if (name.starts_with(p)) return true;
  return name.find(".dpkg-") != std::string_view::npos ||
         name.find(".rpmnew") != std::string_view::npos ||
         name.find(".rpmsave") != std::string_view::npos;
}

bool sensitive(std::string_view path, bool* temp) {
  *temp = under_any(path, {"/tmp", "/var/tmp", "/dev/shm"});
  return *temp || under_any(path, {"/boot", "/etc/cron.d", "/etc/cron.daily", "/etc/cron.hourly",
                                   "/etc/cron.weekly", "/etc/cron.monthly", "/etc/crontab",
                                   "/var/spool/cron", "/etc/systemd", "/lib/systemd/system",
                                   "/usr/lib/systemd/system", "/etc/init.d", "/etc/rc.local",
                                   "/etc/ld.so.preload"});
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  // parent directory → deleted entries, in record (path) order
  std::map<std::string, std::vector<const parsers::Record*>, std::less<>> by_dir;
  for (const auto& r : records.of(kFile)) {
    if (!r.flag("deleted").value_or(false)) continue;
    bool temp = false;
    if (!sensitive(path_of(r), &temp)) continue;
    by_dir[std::string(parent_of(path_of(r)))].push_back(&r);
  }
  for (auto& [dir, entries] : by_dir) {
    std::stable_sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) {
      return a->time("ctime").value_or(0) < b->time("ctime").value_or(0);
    });
    size_t i = 0;
    while (i < entries.size()) {
      size_t j = i + 1;
      // Names whose inode is gone (no times) form one group per directory; the others are
      // split where two consecutive deletions lie more than kBurstNs apart.
      const bool timed = entries[i]->time("ctime").has_value();
      while (j < entries.size() && entries[j]->time("ctime").has_value() == timed &&
             (!timed || *entries[j]->time("ctime") - *entries[j - 1]->time("ctime") <= kBurstNs))
        ++j;
      bool temp = false;
      sensitive(dir, &temp);
      int random = 0;
      for (size_t k = i; k < j; ++k)
        if (entries[k]->str("scope").value_or("").find("random_name") != std::string_view::npos)
          ++random;
      size_t routine = 0;
      for (size_t k = i; k < j; ++k) routine += routine_name(entries[k]->str("name").value_or(""));
      Finding f;
      const size_t n = j - i;
      // Routine in temp directories and for kernel upgrades in /boot; a burst of random names,
      // or several other files in /boot, cron or systemd, is someone cleaning up after
      // themselves.
      f.severity = temp || routine == n ? Severity::kLow : Severity::kMedium;
      // Temp files from mktemp/tempfile can be random letters by design: medium there.
      if (random > 0 && temp) f.severity = Severity::kMedium;
      if ((random > 0 && !temp) || (!temp && n - routine >= 3)) f.severity = Severity::kHigh;
      f.message = std::to_string(n) + " deleted " + (n == 1 ? "entry" : "entries") + " in " + dir;
      if (timed && n > 1)
        f.message += " within " +
                     std::to_string((*entries[j - 1]->time("ctime") - *entries[i]->time("ctime")) /
                                    1'000'000'000) +
                     " s";
      if (random > 0) f.message += ", " + std::to_string(random) + " with random-looking names";
      for (size_t k = i; k < j && f.evidence.size() < kMaxEvidence; ++k)
        f.evidence.push_back(evidence_of(*entries[k]));
      set_seen(f);
      out.add(std::move(f));
      i = j;
    }
  }
}

}  // namespace

extern const Check kFilesDeletedInSensitiveDir{
    .id = "files/deleted_in_sensitive_dir",
    .title = "Deleted files in a sensitive directory",
    .severity = Severity::kMedium,
    .attack_id = "T1070.004",
    .description =
        "Deleted directory entries still visible in /boot, /tmp, /var/tmp, /dev/shm, cron "
        "and systemd directories, grouped into bursts whose inode change times lie within 2 s "
        "of each other. Droppers delete their staging copies; the seed's random-named "
        "siblings in /boot appeared and vanished within a second.",
    .false_positives =
        "Temp directories see deletions all the time (low; medium when names look random, "
        "as mktemp names sometimes do); kernel upgrades delete old /boot images and package "
        "upgrades replace unit files (those names are low).",
    .needs = {"fs/file"},
    .references = {"https://attack.mitre.org/techniques/T1070/004/"},
    .run = &run,
};

}  // namespace deadbox::checks
