// SPDX-License-Identifier: Apache-2.0
// accounts/empty_password: an account that can log in without any password (empty hash field
// in shadow, or an empty password field in passwd itself).
#include <map>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  std::map<std::string, const parsers::Record*, std::less<>> passwd;
  for (const auto& r : records.of(logins::kPasswd)) passwd.emplace(std::string(*r.str("name")), &r);
  auto report = [&](const parsers::Record& r, const parsers::Record* pw, std::string_view where) {
    const std::string name(r.str("name").value_or(""));
    const std::string shell(pw ? pw->str("shell").value_or("") : "");
    const auto kind = pw ? logins::shell_kind(shell, k) : logins::ShellKind::kUnknown;
    Finding f;
    // nologin/false: the empty password cannot open a shell (it may still pass PAM for
    // other services), so it is reported, but lower.
    f.severity = kind == logins::ShellKind::kNoLogin ? Severity::kLow : Severity::kHigh;
    f.message = "account '" + name + "' has an empty password field in " + std::string(where) +
                (pw ? " and shell " + shell : std::string(" (no passwd entry)")) +
                ": anyone can log in as it where PAM allows nullok";
    logins::add_evidence(f, r);
    if (pw && pw != &r) logins::add_evidence(f, *pw);
    out.add(std::move(f));
  };
  for (const auto& r : records.of(logins::kShadow)) {
    if (!r.flag("empty_password").value_or(false)) continue;
    const auto it = passwd.find(*r.str("name"));
    report(r, it == passwd.end() ? nullptr : it->second, r.source->path);
  }
  for (const auto& r : records.of(logins::kPasswd))
    if (r.flag("empty_password").value_or(false)) report(r, &r, r.source->path);
}

}  // namespace

extern const Check kAccountsEmptyPassword{
    .id = "accounts/empty_password",
    .title = "Account without a password",
    .severity = Severity::kHigh,
    .attack_id = "T1078.003",
    .description =
        "shadow (or passwd) entries whose password field is empty: no password is "
        "needed to log in (PAM nullok, su, console). High when the account has a "
        "login or unknown shell, low for nologin/false shells.",
    .false_positives = "Kiosk or lab images built without passwords on purpose.",
    .needs = {"unix/shadow", "unix/passwd"},
    .references = {"https://attack.mitre.org/techniques/T1078/003/",
                   "https://man7.org/linux/man-pages/man5/shadow.5.html"},
    .run = &run,
};

}  // namespace deadbox::checks
