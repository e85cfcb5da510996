// SPDX-License-Identifier: Apache-2.0
// services/redis_exposed: redis.conf that accepts connections from the network without a
// password — the seed incident's root cause (Redis abused to plant cron jobs and keys).
// Ref: https://redis.io/docs/latest/operate/oss_and_stack/management/security/
#include <map>

#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

bool loopback(std::string_view a) {
  if (a.starts_with("-")) a.remove_prefix(1);  // "-::1": optional address (Redis 7)
  return a.starts_with("127.") || a == "::1" || a == "localhost";
}

// `rename-command CONFIG ""` or to another name.
bool text_upper_is_config(std::string_view v) {
  return v.size() >= 6 && (v.substr(0, 6) == "CONFIG" || v.substr(0, 6) == "config") &&
         (v.size() == 6 || v[6] == ' ' || v[6] == '\t');
}

struct Conf {
  std::vector<const parsers::Record*> binds;  // last bind wins: keep all, judge the last
  std::optional<std::string> protected_mode, requirepass;
  const parsers::Record* anchor = nullptr;
  bool config_renamed = false;
};

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  std::map<std::pair<std::string, std::string>, Conf> files;
  for (const auto& r : records.of("linux/redis_conf")) {
    Conf& c = files[{r.source->volume, r.source->path}];
    if (c.anchor == nullptr) c.anchor = &r;
    const auto key = r.str("key").value_or("");
    const std::string value(r.str("value").value_or(""));
    if (key == "bind") c.binds.push_back(&r);
    else if (key == "protected-mode") c.protected_mode = value;
    else if (key == "requirepass") c.requirepass = value;
    else if (key == "rename-command" && text_upper_is_config(value)) c.config_renamed = true;
  }
  for (const auto& [where, c] : files) {
    const parsers::Record* bind = c.binds.empty() ? nullptr : c.binds.back();
    bool public_bind = bind == nullptr;  // no bind: every interface
    std::string bound = "all interfaces (no bind)";
    if (bind != nullptr) {
      bound = std::string(bind->str("value").value_or(""));
      public_bind = false;
      for (const auto& a : [&] {
             std::vector<std::string> v;
             std::string cur;
             for (char ch : bound + " ") {
               if (ch == ' ' || ch == '\t') {
                 if (!cur.empty()) v.push_back(cur);
                 cur.clear();
               } else {
                 cur.push_back(ch);
               }
             }
             return v;
           }())
        if (!loopback(a)) public_bind = true;
    }
    const bool no_password = !c.requirepass || c.requirepass->empty();
    const bool protected_off = c.protected_mode && (*c.protected_mode == "no" || *c.protected_mode == "NO");
    if (!public_bind || !no_password) continue;
    // Protected mode (Redis >= 3.2, default on) refuses remote clients only while no bind
    // and no password are configured; an explicit public bind or protected-mode no defeats it.
    const bool shielded = bind == nullptr && !protected_off;
    Finding f;
    f.severity = shielded ? Severity::kMedium : Severity::kHigh;
    f.message = "Redis listens on " + cmd::cap(bound, 120) + " without requirepass" +
                (protected_off ? ", protected-mode no" : "") +
                (shielded ? " (only protected-mode, Redis >= 3.2, keeps remote clients out)" : "") +
                (c.config_renamed ? "; CONFIG is renamed, which blocks the file-write trick"
                                  : "; CONFIG SET dir/dbfilename lets clients write files");
    const parsers::Record* ev = bind != nullptr ? bind : c.anchor;
    f.evidence.push_back(cmd::evidence_of(*ev, ev->str("line").value_or("")));
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kServicesRedisExposed{
    .id = "services/redis_exposed",
    .title = "Redis reachable from the network without a password",
    .severity = Severity::kHigh,
    .attack_id = "T1190",
    .description =
        "redis.conf bound beyond loopback (or with no bind) and without requirepass: high when "
        "the bind is explicit or protected-mode is off, medium when only protected-mode (Redis "
        ">= 3.2) keeps remote clients out. Unauthenticated Redis lets anyone write a crontab or "
        "authorized_keys with CONFIG SET dir/dbfilename + SAVE, the root cause of the seed "
        "incident. ATT&CK has no technique for 'exposed service'; T1190 (Exploit Public-Facing "
        "Application) is the closest: the attacker's entry point is this service.",
    .false_positives = "Redis behind a firewall or bound to a private interface that only "
                       "trusted hosts reach; ACL users (Redis 6 'user' lines) instead of "
                       "requirepass are not evaluated.",
    .needs = {"linux/redis_conf"},
    .references = {"https://attack.mitre.org/techniques/T1190/",
                   "https://redis.io/docs/latest/operate/oss_and_stack/management/security/"},
    .run = &run};

}  // namespace deadbox::checks
