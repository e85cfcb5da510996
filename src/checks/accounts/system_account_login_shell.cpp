// SPDX-License-Identifier: Apache-2.0
// accounts/system_account_login_shell: uid 1..999 (Debian/RHEL SYS_UID_MAX) or nobody with a
// real login shell. Debian's own defaults (sync → /bin/sync, nologin, false) are not shells.
#include <map>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

constexpr int64_t kSysUidMax = 999;  // login.defs SYS_UID_MAX default on Debian and RHEL
constexpr int64_t kNobody = 65534;

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  std::map<std::string, const parsers::Record*, std::less<>> shadow;
  for (const auto& r : records.of(logins::kShadow)) shadow[std::string(*r.str("name"))] = &r;
  for (const auto& r : records.of(logins::kPasswd)) {
    const int64_t uid = r.i64("uid").value_or(-1);
    if (!((uid >= 1 && uid <= kSysUidMax) || uid == kNobody)) continue;
    const std::string shell(r.str("shell").value_or(""));
    if (logins::shell_kind(shell, k) != logins::ShellKind::kLogin) continue;
    const std::string name(r.str("name").value_or(""));
    // Without a usable password the shell is reachable only by key, su or sudo: still a
    // foothold, but packages (postgres) ship exactly this, so it weighs less.
    const auto sh = shadow.find(name);
    const bool password_usable =
        sh != shadow.end() && (sh->second->flag("empty_password").value_or(false) ||
                               (sh->second->flag("hash_present").value_or(false) &&
                                !sh->second->flag("locked").value_or(false)));
    Finding f;
    f.severity = password_usable ? Severity::kMedium : Severity::kLow;
    f.message = "system account '" + name + "' (uid " + std::to_string(uid) + ") has login shell " +
                (shell.empty() ? std::string("(empty = /bin/sh)") : shell) +
                (password_usable ? " and a usable password" : "");
    logins::add_evidence(f, r);
    if (sh != shadow.end()) logins::add_evidence(f, *sh->second);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kAccountsSystemAccountLoginShell{
    .id = "accounts/system_account_login_shell",
    .title = "System account with a login shell",
    .severity = Severity::kMedium,
    .attack_id = "T1078.003",
    .description =
        "Accounts below uid 1000 (and nobody) whose shell is a real login shell per "
        "artifacts/lists/login_shells.txt. Attackers give daemon accounts a shell (and "
        "a password or key) to log in under a name nobody audits. Medium when the "
        "account also has a usable password, low otherwise.",
    .false_positives =
        "Packages that create system users with a shell on purpose (postgres, "
        "some backup agents); root is excluded.",
    .needs = {"unix/passwd", "unix/shadow"},
    .references = {"https://attack.mitre.org/techniques/T1078/003/",
                   "https://man7.org/linux/man-pages/man5/login.defs.5.html"},
    .run = &run,
};

}  // namespace deadbox::checks
