// SPDX-License-Identifier: Apache-2.0
// logins/log_tampering: signs that login records were wiped or edited: zeroed or corrupt
// utmp records, truncated files, and wtmp/lastlog/auth-log disagreement (T1070.002).
#include <algorithm>
#include <map>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

constexpr int64_t kNs = 1'000'000'000;
constexpr int64_t kMatchSlack = 120 * kNs;  // sshd, lastlog and wtmp write within seconds

struct Wtmp {
  std::vector<const parsers::Record*> logins;  // USER_PROCESS
  std::optional<int64_t> first, last;          // coverage of all wtmp files
  bool any_file = false;
};

Wtmp gather_wtmp(const parsers::RecordStore& records) {
  Wtmp w;
  for (const auto& r : records.of(logins::kUtmp)) {
    if (r.str("source_kind") != "wtmp") continue;
    if (r.line == 0) {
      w.any_file = true;
      if (auto t = r.time("first_time")) w.first = w.first ? std::min(*w.first, *t) : *t;
      if (auto t = r.time("last_time")) w.last = w.last ? std::max(*w.last, *t) : *t;
    } else if (r.str("ut_type") == "USER_PROCESS") {
      w.logins.push_back(&r);
    }
  }
  return w;
}

bool wtmp_has(const Wtmp& w, std::string_view user, int64_t t) {
  return std::any_of(w.logins.begin(), w.logins.end(), [&](const parsers::Record* r) {
    const auto rt = r->time("time");
    return r->str("user") == user && rt && std::llabs(*rt - t) <= kMatchSlack;
  });
}

void file_damage(const parsers::RecordStore& records, FindingSink& out) {
  for (const auto& s : records.of(logins::kUtmp)) {
    if (s.line != 0) continue;
    const int64_t zeroed = s.i64("zeroed_count").value_or(0);
    const int64_t corrupt = s.i64("corrupt_count").value_or(0);
    const int64_t tail = s.i64("tail_bytes").value_or(0);
    if (zeroed == 0 && corrupt == 0 && tail == 0) continue;
    Finding f;
    // Zeroed records are what log cleaners (utmp "wipers") leave in place of a session.
    f.severity = zeroed > 0 ? Severity::kHigh : Severity::kMedium;
    f.message = s.source->path + ": " + std::to_string(zeroed) + " zeroed, " +
                std::to_string(corrupt) + " corrupt record(s), " + std::to_string(tail) +
                " stray trailing byte(s)";
    logins::add_evidence(f, s);
    for (const auto& r : records.of(logins::kUtmp))
      if (r.source == s.source && r.line != 0 && r.str("anomaly") != "") logins::add_evidence(f, r);
    out.add(std::move(f));
  }
}

void disagreement(const parsers::RecordStore& records, const Wtmp& w, FindingSink& out) {
  std::vector<const parsers::Record*> accepted;
  for (const auto& r : records.of(logins::kSyslog))
    if (r.str("event") == "ssh_accepted" && r.time("time")) accepted.push_back(&r);
  if (!w.any_file) return;  // no wtmp collected: nothing to compare with
  if (w.logins.empty() && !accepted.empty()) {
    Finding f;
    f.severity = Severity::kHigh;
    f.message = "the auth logs show " + std::to_string(accepted.size()) +
                " accepted ssh login(s) but wtmp holds no login session at all";
    for (const auto* r : accepted) logins::add_evidence(f, *r);
    logins::set_seen(f);
    out.add(std::move(f));
    return;
  }
  if (!w.first || !w.last) return;
  // Only times wtmp covers can be compared (older records rotate away legitimately).
  auto covered = [&](int64_t t) {
    return t >= *w.first - kMatchSlack && t <= *w.last + kMatchSlack;
  };
  std::map<int64_t, std::string> uid_name;
  for (const auto& r : records.of(logins::kPasswd))
    if (auto uid = r.i64("uid")) uid_name.emplace(*uid, std::string(*r.str("name")));
  for (const auto& r : records.of(logins::kLastlog)) {
    const auto t = r.time("time");
    const auto name = uid_name.find(r.i64("uid").value_or(-1));
    if (!t || name == uid_name.end() || !covered(*t) || wtmp_has(w, name->second, *t)) continue;
    Finding f;
    f.severity = Severity::kMedium;
    f.message = "lastlog records a login of '" + name->second +
                "' that wtmp (which covers that time) does not have";
    logins::add_evidence(f, r);
    logins::set_seen(f);
    out.add(std::move(f));
  }
  // sshd writes wtmp only for sessions with a terminal; scp, sftp and 'ssh host cmd' do not,
  // so an unmatched Accepted is weak alone: one low finding with the count.
  Finding f;
  f.severity = Severity::kLow;
  int64_t missing = 0;
  for (const auto* r : accepted) {
    const auto t = *r->time("time");
    if (!covered(t) || wtmp_has(w, r->str("user").value_or(""), t)) continue;
    ++missing;
    logins::add_evidence(f, *r);
  }
  if (missing == 0) return;
  f.message = std::to_string(missing) +
              " accepted ssh login(s) inside wtmp's time span have no wtmp session (records "
              "removed, or sessions without a terminal)";
  logins::set_seen(f);
  out.add(std::move(f));
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  file_damage(records, out);
  disagreement(records, gather_wtmp(records), out);
}

}  // namespace

extern const Check kLoginsLogTampering{
    .id = "logins/log_tampering",
    .title = "Login records wiped or edited",
    .severity = Severity::kHigh,
    .attack_id = "T1070.002",
    .description =
        "utmp/wtmp/btmp files with all-zero records (high: what utmp cleaners leave), corrupt "
        "records or a partial tail (medium); auth logs with accepted logins while wtmp holds no "
        "session (high); lastlog logins missing from wtmp inside its time span (medium); "
        "accepted sshd logins inside wtmp's span without a session (low: non-terminal "
        "sessions do this too).",
    .false_positives =
        "A crash while writing wtmp (partial tail); scp/sftp/command sessions "
        "(no wtmp entry); wtmp rotated while the auth log was not.",
    .needs = {"linux/log/utmp", "linux/log/lastlog", "linux/log/syslog", "unix/passwd"},
    .references = {"https://attack.mitre.org/techniques/T1070/002/",
                   "https://man7.org/linux/man-pages/man5/utmp.5.html"},
    .run = &run,
};

}  // namespace deadbox::checks
