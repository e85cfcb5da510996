// SPDX-License-Identifier: Apache-2.0
// logins/root_password_login: sshd accepted a password (not a key) for root.
#include <map>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  std::map<std::string, std::vector<const parsers::Record*>> by_source;
  for (const auto& r : records.of(logins::kSyslog))
    if (r.str("event") == "ssh_accepted" && r.str("user") == "root" &&
        (r.str("method") == "password" || r.str("method") == "keyboard-interactive/pam"))
      by_source[std::string(r.str("src_ip").value_or(""))].push_back(&r);
  for (const auto& [src, recs] : by_source) {
    Finding f;
    f.severity = Severity::kHigh;
    f.message = "root logged in over ssh with a password from " + src + " (" +
                std::to_string(recs.size()) + " time(s))";
    for (const auto* r : recs) logins::add_evidence(f, *r);
    logins::set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kLoginsRootPasswordLogin{
    .id = "logins/root_password_login",
    .title = "Root login over ssh with a password",
    .severity = Severity::kHigh,
    .attack_id = "T1078.003",
    .description =
        "sshd 'Accepted password' (or keyboard-interactive) for root, one finding per "
        "source address. Root password logins are what brute-force campaigns aim "
        "for; hardened systems allow root by key only.",
    .false_positives = "Lab and test machines where root logs in with a password by design.",
    .needs = {"linux/log/syslog"},
    .references = {"https://attack.mitre.org/techniques/T1078/003/",
                   "https://man.openbsd.org/sshd_config#PermitRootLogin"},
    .run = &run,
};

}  // namespace deadbox::checks
