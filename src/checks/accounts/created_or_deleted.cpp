// SPDX-License-Identifier: Apache-2.0
// accounts/created_or_deleted: accounts and groups added or removed according to the logs
// (useradd "new user", userdel "delete user", groupdel/userdel "removed group", "removed
// shadow group", groupadd "new group"): the responder's grep over secure/auth.log.
#include <map>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

struct History {
  std::vector<const parsers::Record*> added, deleted, groups;
};

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  std::map<std::string, History> users;   // by account name
  std::map<std::string, History> groups;  // groups never tied to a user event
  for (const auto& r : records.of(logins::kSyslog)) {
    const auto ev = r.str("event");
    if (!ev) continue;
    if (*ev == "user_added") users[std::string(r.str("user").value_or(""))].added.push_back(&r);
    if (*ev == "user_deleted") users[std::string(r.str("user").value_or(""))].deleted.push_back(&r);
    if (*ev == "group_added" || *ev == "group_removed" || *ev == "shadow_removed")
      groups[std::string(r.str("group").value_or(""))].groups.push_back(&r);
  }
  for (const auto& [name, h] : users) {
    Finding f;
    std::string what;
    const parsers::Record* add = h.added.empty() ? nullptr : h.added.front();
    const int64_t uid = add ? add->i64("uid").value_or(-1) : -1;
    const std::string shell(add ? add->str("shell").value_or("") : "");
    const bool login = add && logins::shell_kind(shell, k) != logins::ShellKind::kNoLogin;
    if (!h.added.empty() && !h.deleted.empty()) {
      // Created and removed again: a throw-away account, the classic cover-up.
      f.severity = Severity::kHigh;
      what = "was created and later deleted";
    } else if (add && uid == 0) {
      f.severity = Severity::kHigh;
      what = "was created with uid 0";
    } else if (add && (login || uid >= 1000)) {
      f.severity = Severity::kMedium;
      what = "was created (uid " + std::to_string(uid) + ", shell " + shell + ")";
    } else if (add) {
      // What package maintainer scripts do: a system uid with nologin (adduser --system).
      f.severity = Severity::kInfo;
      what =
          "was created as a system account (uid " + std::to_string(uid) + ", shell " + shell + ")";
    } else {
      f.severity = Severity::kMedium;
      f.attack_id = "T1531";
      what = "was deleted";
    }
    f.message = "account '" + name + "' " + what + " according to the logs";
    for (const auto* r : h.added) logins::add_evidence(f, *r);
    for (const auto* r : h.deleted) logins::add_evidence(f, *r);
    if (auto g = groups.find(name); g != groups.end()) {
      for (const auto* r : g->second.groups) logins::add_evidence(f, *r);
      groups.erase(g);  // the user's own group: part of this story
    }
    logins::set_seen(f);
    out.add(std::move(f));
  }
  for (const auto& [name, h] : groups) {
    Finding f;
    f.severity = Severity::kInfo;
    f.message = "group '" + name + "' was added or removed according to the logs";
    for (const auto* r : h.groups) logins::add_evidence(f, *r);
    logins::set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kAccountsCreatedOrDeleted{
    .id = "accounts/created_or_deleted",
    .title = "Account created or deleted (logs)",
    .severity = Severity::kMedium,
    .attack_id = "T1136.001",
    .description =
        "useradd/userdel/groupadd/groupdel lines in the auth logs, grouped per account. High: "
        "created and deleted again, or created with uid 0. Medium: a new account with a login "
        "shell or uid >= 1000, or a deletion (T1531). Info: system accounts created with a "
        "nologin shell (package installs) and group-only changes.",
    .false_positives =
        "Administrators creating or removing users; package installs (reported "
        "as info).",
    .needs = {"linux/log/syslog"},
    .references = {"https://attack.mitre.org/techniques/T1136/001/",
                   "https://attack.mitre.org/techniques/T1531/",
                   "https://man7.org/linux/man-pages/man8/useradd.8.html"},
    .run = &run,
};

}  // namespace deadbox::checks
