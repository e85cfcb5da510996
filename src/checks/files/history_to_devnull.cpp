// SPDX-License-Identifier: Apache-2.0
// files/history_to_devnull: shell histories linked to /dev/null, or emptied after the user's
// last recorded login (checklist row 7: history clearing).
#include <map>

#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

// "/root/.bash_history" → "root", "/home/alice/.zsh_history" → "alice".
std::string user_of(std::string_view path) {
  if (path.starts_with("/root/")) return "root";
  if (!path.starts_with("/home/")) return {};
  const std::string_view rest = path.substr(6);
  return std::string(rest.substr(0, rest.find('/')));
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  // Latest interactive login per user from wtmp (linux/log/utmp, USER_PROCESS records).
  std::map<std::string, int64_t, std::less<>> last_login;
  for (const auto& r : records.of("linux/log/utmp")) {
    if (r.str("source_kind").value_or("") != "wtmp" ||
        r.str("ut_type").value_or("") != "USER_PROCESS")
      continue;
    const auto user = r.str("user");
    const auto t = r.time("time");
    if (!user || !t) continue;
    auto& v = last_login[std::string(*user)];
    v = std::max(v, *t);
  }
  for (const auto& r : records.of(kFile)) {
    if (r.str("scope").value_or("").find("history") == std::string_view::npos) continue;
    if (r.flag("deleted").value_or(false)) continue;
    const std::string_view type = r.str("file_type").value_or("");
    const std::string_view path = path_of(r);
    Finding f;
    if (type == "symlink") {
      const std::string_view target = r.str("symlink_target").value_or("");
      if (target != "/dev/null") continue;
      f.severity = Severity::kHigh;
      f.message = "Shell history linked to /dev/null: " + std::string(path);
    } else if (type == "file" && r.i64("size").value_or(-1) == 0) {
      const auto m = r.time("mtime");
      const auto it = last_login.find(user_of(path));
      // Empty after the last login: written to (truncated) after the user was last seen
      // logging in, i.e. history -c / `> ~/.bash_history` during that session.
      const bool after_login = m && it != last_login.end() && *m >= it->second;
      f.severity = after_login ? Severity::kHigh : Severity::kMedium;
      f.message = "Shell history emptied" +
                  std::string(after_login ? " after the user's last login" : "") + ": " +
                  std::string(path);
    } else {
      continue;
    }
    f.evidence.push_back(evidence_of(r, std::string(r.str("symlink_target").value_or(""))));
    set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kFilesHistoryToDevnull{
    .id = "files/history_to_devnull",
    .title = "Shell history linked to /dev/null or emptied",
    .severity = Severity::kHigh,
    .attack_id = "T1070.003",
    .description =
        "Shell history files (.bash_history, .zsh_history, .sh_history, fish_history…) under "
        "/root and /home that are symbolic links to /dev/null, or empty files (high when "
        "emptied after the user's last login in wtmp). Intruders do this so their commands "
        "are never written.",
    .false_positives =
        "Some hardening guides link root's history to /dev/null on purpose; a fresh account "
        "that never ran a shell has an empty history (medium).",
    .needs = {"fs/file", "linux/log/utmp"},
    .references =
        {"https://attack.mitre.org/techniques/T1070/003/",
         "https://www.gnu.org/software/bash/manual/html_node/Bash-History-Facilities.html"},
    .run = &run,
};

}  // namespace deadbox::checks
