// SPDX-License-Identifier: Apache-2.0
// files/timestomp: modification times that were set, not earned: mtime far before the inode
// change time (ctime cannot be set from user space), creation after modification, or a
// whole-second mtime among siblings that carry nanoseconds (`touch -d`).
#include <map>

#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

constexpr int64_t kNs = 1'000'000'000;
constexpr int64_t kYearNs = 365LL * 24 * 3600 * kNs;

bool whole_second(int64_t ns) {
  return ns % kNs == 0;
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  // Per directory: how many files carry sub-second mtimes. A filesystem storing ns shows
  // them on nearly every file a program wrote; a lone .000000000 there was set by hand.
  std::map<std::string, std::pair<int, int>, std::less<>> ns_by_dir;  // (with ns, total)
  for (const auto& r : records.of(kFile)) {
    const auto m = r.time("mtime");
    if (!m || r.str("file_type").value_or("") != "file") continue;
    auto& [with_ns, total] = ns_by_dir[std::string(parent_of(path_of(r)))];
    ++total;
    if (!whole_second(*m)) ++with_ns;
  }
  for (const auto& r : records.of(kFile)) {
    if (r.str("file_type").value_or("") != "file" || r.flag("package_owned").value_or(false) ||
        r.flag("deleted").value_or(false))
      continue;
    const auto m = r.time("mtime"), c = r.time("ctime"), b = r.time("crtime");
    if (!m || !c) continue;
    const std::string_view path = path_of(r);
    std::vector<std::string> why;
    if (*c - *m > kYearNs)
      why.push_back("mtime " + std::to_string((*c - *m) / (kYearNs / 365)) + " days before ctime");
    // Born after its mtime is what every unpacked or copied file shows (dpkg, tar, cp -p):
    // only evidence together with an old mtime or a lone whole-second mtime.
    const bool born_after = b && *b - *m > kNs;
    const auto& [with_ns, total] = ns_by_dir[std::string(parent_of(path))];
    const bool lone_zero =
        whole_second(*m) && !whole_second(*c) && total >= 3 && with_ns * 4 >= (total - 1) * 3;
    if (lone_zero && (born_after || !why.empty()))
      why.push_back("whole-second mtime among nanosecond siblings");
    if (born_after && !why.empty()) why.push_back("created after its modification time");
    if (why.empty()) continue;
    Finding f;
    // An old mtime (and with it a birth after the mtime) is also what cp -a, rsync -t and
    // tar leave; cp -a and rsync keep the nanoseconds, tar zeroes them for every sibling. A
    // lone .000000000 among nanosecond siblings is `touch -d`, and an executable placed
    // with a backdated mtime is deliberate either way.
    // Vendor binaries unpacked into /usr/local or /opt (terraform, docker) keep their
    // release mtime: an old-mtime ELF there is the install method, not a forgery.
    const bool vendor_dir = under_any(path, {"/usr/local", "/opt"});
    f.severity = lone_zero || (r.flag("is_elf").value_or(false) && !vendor_dir)
                     ? Severity::kHigh
                     : Severity::kMedium;
    f.message = "Timestamps look forged (";
    for (size_t i = 0; i < why.size(); ++i) f.message += (i ? "; " : "") + why[i];
    f.message += "): " + std::string(path);
    f.evidence.push_back(evidence_of(r));
    set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kFilesTimestomp{
    .id = "files/timestomp",
    .title = "Forged file timestamps",
    .severity = Severity::kMedium,
    .attack_id = "T1070.006",
    .description =
        "Files outside the package database whose mtime lies more than a year before their "
        "inode change time, or whose creation time is after their mtime, with a whole-second "
        "mtime among nanosecond-stamped siblings as a supporting sign. ctime cannot be set "
        "from user space, so an old mtime with a fresh ctime means the mtime was written "
        "(the 003 case's /etc/security/ntps.conf).",
    .false_positives =
        "Files copied or unpacked with their times preserved (tar -p, cp -a, rsync -t, pip "
        "wheels, vendor installers in /opt) show the same pattern: the check only reads the "
        "scoped places (/etc, /boot, temp, home dot-directories, /usr/local, /opt) and "
        "reports medium unless several signs agree or the file is ELF outside /usr/local and "
        "/opt (where vendor tarballs unpack their binaries with the release mtime).",
    .needs = {"fs/file"},
    .references = {"https://attack.mitre.org/techniques/T1070/006/",
                   "https://man7.org/linux/man-pages/man7/inode.7.html"},
    .run = &run,
};

}  // namespace deadbox::checks
