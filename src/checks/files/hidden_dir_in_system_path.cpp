// SPDX-License-Identifier: Apache-2.0
// files/hidden_dir_in_system_path: hidden or blank-named directories in system locations
// (/tmp/.x, /dev/shm/.x, /usr/lib/.x, "...", " "), where droppers stage their files.
#include <algorithm>

#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

bool blank_or_dots(std::string_view name) {
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](char c) { return c == '.' || c == ' '; });
}

void run(const parsers::RecordStore& records, const Knowledge& knowledge, FindingSink& out) {
  const auto& benign = knowledge.list("benign_hidden_dirs");
  for (const auto& r : records.of(kFile)) {
    if (r.str("file_type").value_or("") != "dir" || r.flag("package_owned").value_or(false))
      continue;
    const std::string_view name = r.str("name").value_or("");
    const std::string_view path = path_of(r);
    const bool blank = blank_or_dots(name) || (!name.empty() && name.back() == ' ');
    if (!blank && (name.empty() || name.front() != '.')) continue;
    if (!under_any(path, {"/tmp", "/var/tmp", "/dev/shm", "/dev", "/usr", "/lib", "/lib64", "/bin",
                          "/sbin", "/etc", "/boot", "/var/lib", "/var/spool", "/opt", "/run",
                          "/var/run", "/var/cache", "/var/log"}))
      continue;
    // Hidden directories inside a hidden directory are its content, reported through it.
    if (r.flag("hidden_dir").value_or(false) && !blank) continue;
    if (std::find(benign.begin(), benign.end(), path) != benign.end()) continue;
    Finding f;
    f.severity = blank ? Severity::kHigh : Severity::kMedium;
    f.message = std::string(blank ? "Blank or dots-only directory name" : "Hidden directory") +
                " in a system path: " + std::string(path);
    f.evidence.push_back(evidence_of(r));
    set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kFilesHiddenDirInSystemPath{
    .id = "files/hidden_dir_in_system_path",
    .title = "Hidden directory in a system path",
    .severity = Severity::kMedium,
    .attack_id = "T1564.001",
    .description =
        "Directories whose name starts with a dot, or is only dots and spaces ('...', ' '), "
        "or ends in a space, under /tmp, /var/tmp, /dev/shm, /usr, /lib, /etc, /boot, /var/lib "
        "and similar system locations, and not owned by a package. `ls` hides them and a "
        "'...' or ' ' name is easy to miss even with -a.",
    .false_positives =
        "X11 and ICE socket directories (/tmp/.X11-unix, /tmp/.ICE-unix…), etckeeper's "
        "/etc/.git and Java's /etc/.java are listed in artifacts/lists/benign_hidden_dirs.txt; "
        "add local ones there.",
    .needs = {"fs/file"},
    .references = {"https://attack.mitre.org/techniques/T1564/001/"},
    .run = &run,
};

}  // namespace deadbox::checks
