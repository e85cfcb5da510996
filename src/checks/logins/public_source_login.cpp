// SPDX-License-Identifier: Apache-2.0
// logins/public_source_login: logins from public addresses (sshd Accepted, wtmp sessions).
#include <map>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  struct Seen {
    std::vector<const parsers::Record*> recs;
    bool password = false;
  };
  std::map<std::pair<std::string, std::string>, Seen> by;  // (ip, user)
  for (const auto& r : records.of(logins::kSyslog)) {
    if (r.str("event") != "ssh_accepted") continue;
    const std::string ip(r.str("src_ip").value_or(""));
    if (!logins::looks_like_ip(ip) || logins::is_private_ip(ip)) continue;
    auto& s = by[{ip, std::string(r.str("user").value_or(""))}];
    s.recs.push_back(&r);
    s.password = s.password || r.str("method") != "publickey";
  }
  // wtmp sessions whose address the logs did not show (rotated away, or other daemons).
  for (const auto& r : records.of(logins::kUtmp)) {
    if (r.line == 0 || r.str("source_kind") != "wtmp" || r.str("ut_type") != "USER_PROCESS")
      continue;
    const std::string ip(r.str("src_ip").value_or(r.str("host").value_or("")));
    if (!logins::looks_like_ip(ip) || logins::is_private_ip(ip)) continue;
    auto& s = by[{ip, std::string(r.str("user").value_or(""))}];
    if (s.recs.empty()) s.password = true;  // unknown method: assume the weaker
    s.recs.push_back(&r);
  }
  for (const auto& [key, s] : by) {
    Finding f;
    // A cloud VM is reached from public addresses every day; by key that is routine (info),
    // by password (or unknown) it is worth a look (low). Context comes from other checks.
    f.severity = s.password ? Severity::kLow : Severity::kInfo;
    f.message = "'" + key.second + "' logged in from public address " + key.first + " (" +
                std::to_string(s.recs.size()) + " record(s)" +
                (s.password ? ", password or unknown method)" : ", public key)");
    for (const auto* r : s.recs) logins::add_evidence(f, *r);
    logins::set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kLoginsPublicSourceLogin{
    .id = "logins/public_source_login",
    .title = "Login from a public address",
    .severity = Severity::kLow,
    .attack_id = "T1078",
    .description =
        "Accepted sshd logins and wtmp sessions from addresses outside RFC 1918, "
        "loopback, link-local, CGNAT and IPv6 ULA ranges, one finding per (address, "
        "user). Low by password or unknown method, info by public key: the list "
        "of who came from where, for correlation with the other checks.",
    .false_positives =
        "Cloud and hosted machines administered over the internet (expected; "
        "hence low/info).",
    .needs = {"linux/log/syslog", "linux/log/utmp"},
    .references = {"https://attack.mitre.org/techniques/T1078/",
                   "https://www.rfc-editor.org/rfc/rfc1918"},
    .run = &run,
};

}  // namespace deadbox::checks
