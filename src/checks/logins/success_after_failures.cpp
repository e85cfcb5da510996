// SPDX-License-Identifier: Apache-2.0
// logins/success_after_failures: an accepted login from an address that failed several times
// before it: a guessed or sprayed password that worked.
#include <map>
#include <set>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

constexpr int64_t kMinFailures = 5;  // an admin's typo or two stays below
constexpr int64_t kCritical = 10;    // brute-force scale, and the guessed user got in

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  const auto attempts = logins::collect_attempts(records);
  struct State {
    int64_t log_fail = 0, btmp_fail = 0;
    std::set<std::string> users;
    const logins::Attempt* first = nullptr;
  };
  std::map<std::string, State> by;
  std::set<std::pair<std::string, std::string>> reported;  // (source, user)
  for (const auto& a : attempts) {  // time order: failures before the success count
    State& s = by[a.source];
    if (!a.success) {
      (a.from_btmp ? s.btmp_fail : s.log_fail) += a.count;
      s.users.insert(a.user);
      if (!s.first) s.first = &a;
      continue;
    }
    const int64_t fails = std::max(s.log_fail, s.btmp_fail);
    if (fails < kMinFailures || !reported.emplace(a.source, a.user).second) continue;
    const bool guessed_user = s.users.count(a.user) > 0;
    Finding f;
    f.severity = (fails >= kCritical && guessed_user && a.method != "publickey")
                     ? Severity::kCritical
                     : Severity::kHigh;
    f.message = "login as '" + a.user + "' from " + a.source + " (" +
                (a.method.empty() ? std::string("method unknown") : a.method) +
                ") accepted after " + std::to_string(fails) + " failed attempts from that address" +
                (guessed_user ? ", including for this user" : "");
    if (s.first) logins::add_evidence(f, *s.first->record);
    logins::add_evidence(f, *a.record);
    logins::set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kLoginsSuccessAfterFailures{
    .id = "logins/success_after_failures",
    .title = "Successful login after repeated failures",
    .severity = Severity::kHigh,
    .attack_id = "T1078",
    .description =
        "An sshd 'Accepted' login from an address with at least 5 earlier failures "
        "(sshd lines or btmp). Critical when the failures reach 10, included the "
        "same user and the login was not by public key (a guessed password, T1110 "
        "then T1078); high otherwise.",
    .false_positives =
        "A user fumbling a password several times from the office address, "
        "NAT gateways shared by attacker traffic and staff.",
    .needs = {"linux/log/syslog", "linux/log/utmp"},
    .references = {"https://attack.mitre.org/techniques/T1078/",
                   "https://attack.mitre.org/techniques/T1110/"},
    .run = &run,
};

}  // namespace deadbox::checks
