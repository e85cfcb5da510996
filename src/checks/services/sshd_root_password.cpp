// SPDX-License-Identifier: Apache-2.0
// services/sshd_root_password: sshd allowing root to log in with a password, or accounts with
// empty passwords. sshd keeps the first value it reads; absent keys take the build's default,
// which depends on the distribution. Ref: https://man.openbsd.org/sshd_config
#include <cstdlib>
#include <map>

#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

std::string text_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

struct Effective {
  const parsers::Record* rec = nullptr;  // first global occurrence
  const parsers::Record* in_match = nullptr;
};

// Red Hat family before 9 built OpenSSH with PermitRootLogin yes as the default; Debian/Ubuntu
// and upstream >= 7.0 use prohibit-password. Unknown OS: undecided.
std::optional<bool> default_root_yes(const parsers::RecordStore& records) {
  std::string id, version;
  for (const auto& r : records.of("linux/os_release")) {
    if (r.str("key") == "ID") id = std::string(r.str("value").value_or(""));
    if (r.str("key") == "VERSION_ID") version = std::string(r.str("value").value_or(""));
  }
  if (id.empty()) return std::nullopt;
  if (id == "centos" || id == "rhel" || id == "rocky" || id == "almalinux" || id == "ol") {
    const int major = version.empty() ? 0 : std::atoi(version.c_str());
    return major > 0 && major < 9;
  }
  return false;
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  // Drop-ins (sshd_config.d, included at the top of Debian's file) are read first.
  std::vector<const parsers::Record*> ordered;
  for (const auto& r : records.of("unix/sshd_config"))
    if (r.source->path.find("sshd_config.d/") != std::string::npos) ordered.push_back(&r);
  for (const auto& r : records.of("unix/sshd_config"))
    if (r.source->path.find("sshd_config.d/") == std::string::npos) ordered.push_back(&r);
  if (ordered.empty()) return;
  std::map<std::string, Effective> eff;
  for (const auto* r : ordered) {
    Effective& e = eff[std::string(r->str("key").value_or(""))];
    if (r->str("match")) {
      if (e.in_match == nullptr) e.in_match = r;
    } else if (e.rec == nullptr) {
      e.rec = r;
    }
  }
  auto value = [&](const char* k) -> std::optional<std::string> {
    const auto it = eff.find(k);
    if (it == eff.end() || it->second.rec == nullptr) return std::nullopt;
    return text_lower(it->second.rec->str("value").value_or(""));
  };
  const auto root = value("permitrootlogin");
  const auto pass = value("passwordauthentication");
  const bool pass_on = !pass || *pass == "yes";  // upstream default yes
  if (const auto empty = value("permitemptypasswords"); empty && *empty == "yes") {
    Finding f;
    f.severity = Severity::kHigh;
    f.attack_id = "T1078.003";
    f.message = "sshd permits logins to accounts with empty passwords (PermitEmptyPasswords yes)";
    const auto* r = eff["permitemptypasswords"].rec;
    f.evidence.push_back(cmd::evidence_of(*r, r->str("line").value_or("")));
    out.add(std::move(f));
  }
  if (!pass_on) return;
  const parsers::Record* ev = nullptr;
  std::string how;
  if (root && *root == "yes") {
    ev = eff["permitrootlogin"].rec;
    how = "PermitRootLogin yes";
  } else if (!root && default_root_yes(records) == true) {
    ev = ordered.front();
    how = "PermitRootLogin absent, and this distribution's sshd defaults to yes";
  } else if (const auto* m = eff["permitrootlogin"].in_match;
             m != nullptr && text_lower(m->str("value").value_or("")) == "yes") {
    ev = m;
    how = "PermitRootLogin yes inside 'Match " + cmd::cap(m->str("match").value_or(""), 80) + "'";
  }
  if (ev == nullptr) return;
  Finding f;
  f.severity = Severity::kMedium;
  f.message = "sshd lets root log in with a password: " + how + ", PasswordAuthentication " +
              (pass ? *pass : std::string("yes (default)"));
  f.evidence.push_back(cmd::evidence_of(*ev, ev->str("line").value_or("")));
  if (const auto* p = eff["passwordauthentication"].rec)
    f.evidence.push_back(cmd::evidence_of(*p, p->str("line").value_or("")));
  out.add(std::move(f));
}

}  // namespace

extern const Check kServicesSshdRootPassword{
    .id = "services/sshd_root_password",
    .title = "sshd allows root password logins or empty passwords",
    .severity = Severity::kMedium,
    .attack_id = "T1110",
    .description =
        "PermitRootLogin yes (explicit, inside a Match block, or by default on RHEL/CentOS < 9, "
        "read from os-release) together with password authentication (default yes): root is "
        "exposed to password guessing (medium, T1110). PermitEmptyPasswords yes is high "
        "(T1078.003). sshd keeps the first value: sshd_config.d drop-ins are read first, as "
        "Debian's Include at the top of sshd_config does. Debian/Ubuntu default to "
        "prohibit-password.",
    .false_positives = "Lab machines reachable only from a management network.",
    .needs = {"unix/sshd_config", "linux/os_release"},
    .references = {"https://man.openbsd.org/sshd_config",
                   "https://attack.mitre.org/techniques/T1110/",
                   "https://attack.mitre.org/techniques/T1078/003/"},
    .run = &run};

}  // namespace deadbox::checks
