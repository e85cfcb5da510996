// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the accounts/* and logins/* checks: evidence from parser records, shell
// classification from the knowledge lists, address classes, and the sshd/btmp attempt list.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/checks/check.hpp"

namespace deadbox::checks::logins {

inline constexpr std::string_view kPasswd = "unix/passwd";
inline constexpr std::string_view kShadow = "unix/shadow";
inline constexpr std::string_view kSyslog = "linux/log/syslog";
inline constexpr std::string_view kUtmp = "linux/log/utmp";
inline constexpr std::string_view kLastlog = "linux/log/lastlog";

/// Provenance, the record's time and an excerpt (the raw log line when the parser kept it,
/// else "key=value" pairs), capped.
Evidence evidence_of(const parsers::Record& r);

/// Sets first_seen/last_seen from the evidence times.
void set_seen(Finding& f);

/// Appends evidence, keeping at most kMaxEvidence entries per finding (counts go in the message).
inline constexpr size_t kMaxEvidence = 5;
void add_evidence(Finding& f, const parsers::Record& r);

/// Login shells per artifacts/lists/login_shells.txt (basename match); "nologin" shells per
/// nologin_shells.txt. A shell in neither list is "unknown".
enum class ShellKind { kLogin, kNoLogin, kUnknown };
ShellKind shell_kind(std::string_view shell, const Knowledge& k);

/// RFC 1918, loopback, link-local, CGNAT (100.64/10), ULA (fc00::/7), fe80::/10, ::1.
/// Documentation ranges count as public: fixtures and real attackers both use "public".
bool is_private_ip(std::string_view ip);
bool looks_like_ip(std::string_view s);

/// One authentication attempt from a remote source, from sshd lines or btmp records.
struct Attempt {
  std::optional<int64_t> time;
  std::string source;  ///< src_ip, or btmp host when no address
  std::string user;
  int64_t count = 1;  ///< rsyslog "message repeated N times"
  bool success = false;
  bool from_btmp = false;
  std::string method;
  const parsers::Record* record = nullptr;
};

/// sshd failures (ssh_failed, plus ssh_invalid_user lines whose connection logged no failure),
/// sshd successes, and btmp records, each with its source. Sorted by time (untimed last).
std::vector<Attempt> collect_attempts(const parsers::RecordStore& records);

/// Largest weighted number of failures from one list inside any window of window_ns.
/// Untimed attempts all count together (no window can be checked for them).
int64_t max_in_window(const std::vector<const Attempt*>& failures, int64_t window_ns);

}  // namespace deadbox::checks::logins
