// SPDX-License-Identifier: Apache-2.0
// persistence/systemd_exec_odd_path: service Exec* lines that start programs from temporary,
// hidden or home directories, or download/decode/pipe into a shell; timers that activate such
// a service raise T1053.006. Ref: https://attack.mitre.org/techniques/T1543/002/
#include <map>
#include <set>

#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

// systemd prefixes Exec* values with flags: @ - : + ! !!
std::string_view strip_exec_prefix(std::string_view v) {
  while (!v.empty() && std::string_view("@-:+!").find(v.front()) != std::string_view::npos)
    v.remove_prefix(1);
  return v;
}

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  const auto& recs = records.of("linux/systemd_unit");
  // Which services a timer activates: Unit= or the timer's own base name.
  std::map<std::string, std::string> timer_of;
  for (const auto& r : recs) {
    if (r.str("unit_type") != "timer") continue;
    const std::string timer(r.str("unit").value_or(""));
    std::string target = timer.substr(0, timer.rfind('.')) + ".service";
    if (r.str("key") == "Unit") target = std::string(r.str("value").value_or(""));
    timer_of[target] = timer;
  }
  for (const auto& r : recs) {
    const auto key = r.str("key").value_or("");
    if (!key.starts_with("Exec")) continue;
    const auto value = strip_exec_prefix(r.str("value").value_or(""));
    if (value.empty()) continue;  // "ExecStart=" resets the list in drop-ins
    const cmd::Traits t = cmd::analyze(value, k);
    Severity sev;
    if (t.reverse_shell || (t.downloads() && (t.pipes_to_shell || t.runs_download)))
      sev = Severity::kCritical;
    else if (!t.odd_program.empty() || t.decodes || (t.downloads() && t.raw_ip_url))
      sev = Severity::kHigh;
    else if (t.downloads())
      sev = Severity::kMedium;
    else
      continue;
    const std::string unit(r.str("unit").value_or(""));
    Finding f;
    f.severity = sev;
    f.attack_id = "T1543.002";
    f.message = "systemd " + cmd::cap(unit, 120) + (r.flag("dropin") == true ? " (drop-in)" : "") +
                " " + std::string(key) + " " + t.summary() + ": " + cmd::cap(value, 200);
    if (auto it = timer_of.find(unit); it != timer_of.end()) {
      f.attack_id = "T1053.006";
      f.message += "; activated by timer " + cmd::cap(it->second, 120);
    }
    f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or(value)));
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kPersistenceSystemdExecOddPath{
    .id = "persistence/systemd_exec_odd_path",
    .title = "systemd unit starts a program from an odd place or downloads code",
    .severity = Severity::kHigh,
    .attack_id = "T1543.002",
    .description =
        "ExecStart/ExecStartPre/ExecStartPost/ExecStop/ExecReload of services and drop-ins that "
        "run programs from /tmp, /var/tmp, /dev/shm, hidden or home directories (high), or "
        "download and execute, or open reverse shells (critical). When a timer activates the "
        "service the finding is tagged T1053.006 (Systemd Timers).",
    .false_positives = "User services (~/.config/systemd/user) legitimately run from home "
                       "directories; vendor units rarely download at start.",
    .needs = {"linux/systemd_unit"},
    .references = {"https://attack.mitre.org/techniques/T1543/002/",
                   "https://attack.mitre.org/techniques/T1053/006/",
                   "https://www.freedesktop.org/software/systemd/man/systemd.service.html"},
    .run = &run};

}  // namespace deadbox::checks
