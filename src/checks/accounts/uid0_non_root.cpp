// SPDX-License-Identifier: Apache-2.0
// accounts/uid0_non_root: an account other than root with uid 0 (the seed's awk -F: '$3==0').
#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of(logins::kPasswd)) {
    if (r.i64("uid") != 0 || r.str("name") == "root") continue;
    Finding f;
    f.severity = Severity::kCritical;
    f.message = "account '" + std::string(*r.str("name")) + "' has uid 0 (full root rights) in " +
                r.source->path + " (shell " + std::string(r.str("shell").value_or("")) + ")";
    logins::add_evidence(f, r);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kAccountsUid0NonRoot{
    .id = "accounts/uid0_non_root",
    .title = "Account other than root with uid 0",
    .severity = Severity::kCritical,
    .attack_id = "T1136.001",
    .description =
        "passwd entries with uid 0 besides root. Any uid-0 account is root under "
        "another name; attackers add one (often named like a system account) to "
        "keep access that survives a root password change.",
    .false_positives = "BSD-style 'toor' rescue accounts on systems that deliberately keep one.",
    .needs = {"unix/passwd"},
    .references = {"https://attack.mitre.org/techniques/T1136/001/",
                   "https://man7.org/linux/man-pages/man5/passwd.5.html"},
    .run = &run,
};

}  // namespace deadbox::checks
