// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the accounts/* and logins/* checks.
#include "checks/logins/common.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace deadbox::checks::logins {

using parsers::Record;

Evidence evidence_of(const Record& r) {
  Evidence e;
  e.volume = r.source->volume;
  e.path = r.source->path;
  e.inode = r.source->inode;
  e.line = r.line;
  e.record_type = r.type;
  if (auto text = r.str("line_text")) {
    e.excerpt = std::string(text->substr(0, 512));
  } else {
    for (const auto& [k, v] : r.fields) {
      std::string val;
      if (const auto* s = std::get_if<std::string>(&v))
        val = *s;
      else if (const auto* i = std::get_if<int64_t>(&v))
        val = std::to_string(*i);
      else if (const auto* b = std::get_if<bool>(&v))
        val = *b ? "true" : "false";
      else
        continue;  // times are in e.times
      if (val.empty()) continue;
      if (!e.excerpt.empty()) e.excerpt += ' ';
      e.excerpt += k + "=" + val;
      if (e.excerpt.size() > 512) break;
    }
    e.excerpt.resize(std::min<size_t>(e.excerpt.size(), 512));
  }
  for (const auto& [k, v] : r.fields)
    if (const auto* t = std::get_if<parsers::Timestamp>(&v)) e.times.emplace_back(k, t->ns);
  if (r.source->mtime) e.times.emplace_back("file_mtime", *r.source->mtime);
  return e;
}

void set_seen(Finding& f) {
  for (const auto& e : f.evidence)
    for (const auto& [k, t] : e.times) {
      if (k == "file_mtime" || k == "last_change" || k == "expire") continue;
      f.first_seen = f.first_seen ? std::min(*f.first_seen, t) : t;
      f.last_seen = f.last_seen ? std::max(*f.last_seen, t) : t;
    }
}

void add_evidence(Finding& f, const Record& r) {
  if (f.evidence.size() < kMaxEvidence) f.evidence.push_back(evidence_of(r));
}

namespace {

std::string_view basename(std::string_view p) {
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  const size_t s = p.rfind('/');
  return s == std::string_view::npos ? p : p.substr(s + 1);
}

bool listed(std::string_view shell, const std::vector<std::string>& list) {
  for (const auto& entry : list)
    if (entry == shell || (entry.find('/') == std::string::npos && entry == basename(shell)))
      return true;
  return false;
}

}  // namespace

ShellKind shell_kind(std::string_view shell, const Knowledge& k) {
  // An empty shell field means /bin/sh to login(1): a login shell.
  if (shell.empty()) return ShellKind::kLogin;
  if (listed(shell, k.list("nologin_shells"))) return ShellKind::kNoLogin;
  if (listed(shell, k.list("login_shells"))) return ShellKind::kLogin;
  return ShellKind::kUnknown;
}

bool looks_like_ip(std::string_view s) {
  unsigned char buf[16];
  const std::string z(s);
  return inet_pton(AF_INET, z.c_str(), buf) == 1 || inet_pton(AF_INET6, z.c_str(), buf) == 1;
}

bool is_private_ip(std::string_view ip) {
  unsigned char a[16];
  const std::string z(ip);
  if (inet_pton(AF_INET, z.c_str(), a) == 1) {
    return a[0] == 10 || a[0] == 127 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
           (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
           (a[0] == 100 && (a[1] & 0xc0) == 64) || a[0] == 0;
  }
  if (inet_pton(AF_INET6, z.c_str(), a) == 1) {
    static const unsigned char kLoop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (std::equal(a, a + 16, kLoop)) return true;
    if ((a[0] & 0xfe) == 0xfc) return true;                  // ULA
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return true;  // link-local
    // IPv4-mapped ::ffff:a.b.c.d
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(a, a + 12, kMapped)) {
      char v4[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, a + 12, v4, sizeof v4);
      return is_private_ip(v4);
    }
    return false;
  }
  return false;  // not an address (a host name): cannot be shown private
}

std::vector<Attempt> collect_attempts(const parsers::RecordStore& records) {
  std::vector<Attempt> out;
  // sshd logs "Invalid user x from ip" and then, if the client tries a password, "Failed
  // password for invalid user x": one attempt, so an invalid-user line only counts when its
  // connection (same file and pid) logged no failure.
  std::set<std::tuple<const parsers::Source*, int64_t>> failed_pids;
  for (const Record& r : records.of(kSyslog))
    if (r.str("event") == "ssh_failed" && r.i64("pid"))
      failed_pids.emplace(r.source.get(), *r.i64("pid"));
  for (const Record& r : records.of(kSyslog)) {
    const auto ev = r.str("event");
    if (!ev || (*ev != "ssh_failed" && *ev != "ssh_accepted" && *ev != "ssh_invalid_user"))
      continue;
    if (*ev == "ssh_invalid_user" && r.i64("pid") &&
        failed_pids.count({r.source.get(), *r.i64("pid")}))
      continue;
    Attempt a;
    a.time = r.time("time");
    a.source = std::string(r.str("src_ip").value_or(""));
    a.user = std::string(r.str("user").value_or(""));
    a.count = std::max<int64_t>(1, r.i64("repeat").value_or(1));
    a.success = *ev == "ssh_accepted";
    a.method = std::string(r.str("method").value_or(""));
    a.record = &r;
    if (!a.source.empty()) out.push_back(std::move(a));
  }
  for (const Record& r : records.of(kUtmp)) {
    if (r.line == 0 || r.str("source_kind") != "btmp" || r.str("anomaly") != "") continue;
    Attempt a;
    a.time = r.time("time");
    a.source = std::string(r.str("src_ip").value_or(r.str("host").value_or("")));
    a.user = std::string(r.str("user").value_or(""));
    a.from_btmp = true;
    a.record = &r;
    if (!a.source.empty()) out.push_back(std::move(a));
  }
  std::stable_sort(out.begin(), out.end(), [](const Attempt& x, const Attempt& y) {
    if (x.time.has_value() != y.time.has_value()) return x.time.has_value();
    return x.time.value_or(0) < y.time.value_or(0);
  });
  return out;
}

int64_t max_in_window(const std::vector<const Attempt*>& failures, int64_t window_ns) {
  int64_t untimed = 0, best = 0, sum = 0;
  std::vector<const Attempt*> timed;
  for (const Attempt* a : failures) {
    if (a->time)
      timed.push_back(a);
    else
      untimed += a->count;
  }
  size_t lo = 0;
  for (size_t hi = 0; hi < timed.size(); ++hi) {  // timed is sorted by time
    sum += timed[hi]->count;
    while (*timed[hi]->time - *timed[lo]->time > window_ns) sum -= timed[lo++]->count;
    best = std::max(best, sum);
  }
  return std::max(best, untimed);
}

}  // namespace deadbox::checks::logins
