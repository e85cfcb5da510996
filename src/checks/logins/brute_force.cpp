// SPDX-License-Identifier: Apache-2.0
// logins/brute_force: many failed logins from one source within a window (sshd "Failed
// password"/"Invalid user" lines and btmp records).
#include <map>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

constexpr int64_t kThreshold = 10;                     // failures within the window
constexpr int64_t kWindowNs = 3600LL * 1'000'000'000;  // one hour

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  const auto attempts = logins::collect_attempts(records);
  struct PerSource {
    std::vector<const logins::Attempt*> log_fail, btmp_fail, success;
  };
  std::map<std::string, PerSource> by;
  for (const auto& a : attempts) {
    auto& s = by[a.source];
    (a.success ? s.success : a.from_btmp ? s.btmp_fail : s.log_fail).push_back(&a);
  }
  for (const auto& [source, s] : by) {
    // auth.log and btmp record the same failures: take the larger view, never the sum.
    const int64_t n = std::max(logins::max_in_window(s.log_fail, kWindowNs),
                               logins::max_in_window(s.btmp_fail, kWindowNs));
    if (n < kThreshold) continue;
    const auto& fails = s.log_fail.empty() ? s.btmp_fail : s.log_fail;
    const auto first_fail = fails.front()->time;
    const logins::Attempt* success = nullptr;
    for (const auto* a : s.success)
      if (!first_fail || !a->time || *a->time >= *first_fail) {
        success = a;
        break;
      }
    int64_t total = 0;
    std::map<std::string, int64_t> users;
    for (const auto* a : fails) {
      total += a->count;
      users[a->user] += a->count;
    }
    Finding f;
    f.severity = success ? Severity::kHigh : Severity::kMedium;
    f.message = std::to_string(n) + " failed logins within an hour from " + source + " (" +
                std::to_string(total) + " in total, " + std::to_string(users.size()) +
                " user name(s))";
    if (success) f.message += "; followed by a successful login as '" + success->user + "'";
    logins::add_evidence(f, *fails.front()->record);
    logins::add_evidence(f, *fails.back()->record);
    if (success) logins::add_evidence(f, *success->record);
    // btmp corroborates the log's count: cite it too, so the login records are evidence.
    if (!s.log_fail.empty() && !s.btmp_fail.empty())
      logins::add_evidence(f, *s.btmp_fail.front()->record);
    logins::set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kLoginsBruteForce{
    .id = "logins/brute_force",
    .title = "Password guessing from one source",
    .severity = Severity::kMedium,
    .attack_id = "T1110",
    .description =
        "At least 10 failed logins from one address within an hour, counted from "
        "sshd lines (rsyslog 'message repeated' folded in, one count per connection "
        "for invalid users) or from btmp, whichever shows more. High when a login "
        "from the same address succeeded afterwards, medium otherwise.",
    .false_positives =
        "Internet-facing sshd sees constant background scanning (medium, no "
        "success); a user's script with a stale password.",
    .needs = {"linux/log/syslog", "linux/log/utmp"},
    .references = {"https://attack.mitre.org/techniques/T1110/",
                   "https://attack.mitre.org/techniques/T1110/001/"},
    .run = &run,
};

}  // namespace deadbox::checks
