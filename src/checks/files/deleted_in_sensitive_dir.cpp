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
      const auto t0 = entries[i]->time("ctime");
      while (j < entries.size() && t0 && entries[j]->time("ctime") &&
             *entries[j]->time("ctime") - *entries[j - 1]->time("ctime") <= kBurstNs)
        ++j;
      bool temp = false;
      sensitive(dir, &temp);
      int random = 0;
      for (size_t k = i; k < j; ++k)
        if (entries[k]->str("scope").value_or("").find("random_name") != std::string_view::npos)
          ++random;
      Finding f;
      const size_t n = j - i;
      // Routine in temp directories; a burst of random names, or anything in /boot, cron or
      // systemd, is someone cleaning up after themselves.
      f.severity = random > 0 ? Severity::kHigh : temp ? Severity::kLow : Severity::kMedium;
      if (!temp && n >= 3) f.severity = Severity::kHigh;
      f.message = std::to_string(n) + " deleted " + (n == 1 ? "entry" : "entries") + " in " +
                  dir + (n > 1 ? " within " : "") +
                  (n > 1 ? std::to_string((entries[j - 1]->time("ctime").value_or(0) -
                                           entries[i]->time("ctime").value_or(0)) /
                                          1'000'000'000) +
                               " s"
                         : std::string()) +
                  (random > 0 ? ", " + std::to_string(random) + " with random-looking names" : "");
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
        "Temp directories see deletions all the time (reported low unless names look "
        "random); kernel upgrades delete old /boot images, package upgrades replace unit "
        "files.",
    .needs = {"fs/file"},
    .references = {"https://attack.mitre.org/techniques/T1070/004/"},
    .run = &run,
};

}  // namespace deadbox::checks
