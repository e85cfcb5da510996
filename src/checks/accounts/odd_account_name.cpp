// SPDX-License-Identifier: Apache-2.0
// accounts/odd_account_name: names an admin would not create: control or non-ASCII bytes,
// spaces, lookalikes of system accounts (r00t, daemom, sshd_), or outside useradd's
// NAME_REGEX.
#include <algorithm>
#include <set>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

// Lookalike edits seen in the wild: one character appended (sshdd, roots, mysql_), or one
// substitution/insertion by a digit or punctuation (ssh-d, dae.mon). A plain letter swap is
// not used: human names collide with system ones (james/games, lisa/list).
bool one_odd_edit(std::string_view name, std::string_view sys) {
  if (name.size() == sys.size() + 1 && name.starts_with(sys)) return true;
  auto odd = [](char c) { return !(c >= 'a' && c <= 'z'); };
  if (name.size() == sys.size()) {
    size_t diff = 0, at = 0;
    for (size_t i = 0; i < name.size(); ++i)
      if (name[i] != sys[i]) ++diff, at = i;
    return diff == 1 && odd(name[at]);
  }
  if (name.size() == sys.size() + 1)
    for (size_t i = 0; i < name.size(); ++i)
      if (odd(name[i]) && name.substr(0, i) == sys.substr(0, i) &&
          name.substr(i + 1) == sys.substr(i))
        return true;
  return false;
}

// Digit-for-letter swaps used to fake names (r00t, 5yslog).
std::string unleet(std::string_view s) {
  std::string o(s);
  for (char& c : o) {
    switch (c) {
      case '0': c = 'o'; break;
      case '1': c = 'l'; break;
      case '3': c = 'e'; break;
      case '5': c = 's'; break;
      case '@': c = 'a'; break;
      default: break;
    }
  }
  return o;
}

// Debian adduser NAME_REGEX "^[a-z][-a-z0-9_]*\$?$" widened to useradd's leading '_'.
bool matches_name_regex(std::string_view n) {
  if (n.empty() || !((n[0] >= 'a' && n[0] <= 'z') || n[0] == '_')) return false;
  if (n.back() == '$') n.remove_suffix(1);
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  const auto& known_list = k.list("system_accounts");
  const std::set<std::string, std::less<>> known(known_list.begin(), known_list.end());
  for (const auto& r : records.of(logins::kPasswd)) {
    const std::string name(r.str("name").value_or(""));
    if (known.count(name)) continue;
    std::string why;
    Severity sev = Severity::kLow;
    const bool control = std::any_of(name.begin(), name.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    const bool non_ascii = std::any_of(
        name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    const bool space = name.find(' ') != std::string::npos || name.find('\t') != std::string::npos;
    std::string lookalike;
    const std::string plain = unleet(name);
    for (const auto& sys : known_list) {
      if (sys.size() < 4) continue;  // "bin", "sys": too many names are one edit away
      if (plain == sys || one_odd_edit(name, sys)) {
        lookalike = sys;
        break;
      }
    }
    if (control || non_ascii || space) {
      sev = Severity::kMedium;
      why = control     ? "contains control characters"
            : non_ascii ? "contains non-ASCII bytes"
                        : "contains whitespace";
    } else if (!lookalike.empty()) {
      sev = Severity::kMedium;
      why = "looks like the system account '" + lookalike + "'";
    } else if (!matches_name_regex(name)) {
      why = "does not match useradd's NAME_REGEX ^[a-z_][-a-z0-9_]*$?";
    } else if (name.size() > 32) {
      why = "is longer than 32 characters (utmp cannot record it)";
    } else {
      continue;
    }
    Finding f;
    f.severity = sev;
    f.attack_id = control || non_ascii || space || !lookalike.empty() ? "T1036" : "T1136.001";
    f.message = "account name '" + name + "' " + why;
    logins::add_evidence(f, r);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kAccountsOddAccountName{
    .id = "accounts/odd_account_name",
    .title = "Odd account name",
    .severity = Severity::kMedium,
    .attack_id = "T1036",
    .description =
        "Account names with control characters, non-ASCII bytes or whitespace (hide in "
        "listings), names that are a system account from artifacts/lists/system_accounts.txt "
        "with a digit-for-letter swap, one appended character or one inserted or substituted "
        "digit/punctuation (r00t, sshdd, ssh-d) — medium; names outside useradd's "
        "NAME_REGEX or longer than 32 — low.",
    .false_positives =
        "Directory-service names with capitals or dots (low), local accounts "
        "that happen to be one letter from a system name (e.g. 'games' vs "
        "'gamer').",
    .needs = {"unix/passwd"},
    .references = {"https://attack.mitre.org/techniques/T1036/",
                   "https://attack.mitre.org/techniques/T1136/001/",
                   "https://manpages.debian.org/bookworm/adduser/adduser.conf.5.en.html"},
    .run = &run,
};

}  // namespace deadbox::checks
