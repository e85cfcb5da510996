// SPDX-License-Identifier: Apache-2.0
// persistence/startup_script_exec: rc.local, init.d scripts and shell start-up files (profile,
// bashrc, …) with lines that download, decode, open reverse shells or start programs from
// temporary or hidden places. Ref: https://attack.mitre.org/techniques/T1037/004/,
// https://attack.mitre.org/techniques/T1546/004/
#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

bool is_rc_script(std::string_view p) {
  return p.starts_with("/etc/rc") || p.starts_with("/etc/init.d/") || p.starts_with("/etc/rc.d/");
}

bool is_rc_local(std::string_view p) { return p == "/etc/rc.local" || p == "/etc/rc.d/rc.local"; }

/// `nohup x >/dev/null 2>&1 &`: a program started at boot, detached and silenced — how miners
/// and bots come back after a reboot. Services proper are started by init, not like this.
bool detached_silenced_launch(std::string_view text) {
  std::string_view t = text;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == ';')) t.remove_suffix(1);
  const bool detached = t.find("nohup ") != std::string_view::npos ||
                        t.find("setsid ") != std::string_view::npos ||
                        (!t.empty() && t.back() == '&' && !t.ends_with("&&"));
  return detached && t.find("/dev/null") != std::string_view::npos;
}

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  for (const auto& r : records.of("unix/shell_startup")) {
    const auto kind = r.str("kind").value_or("");
    if (kind != "command" && kind != "alias" && kind != "assignment") continue;
    // For aliases the risky part is what the alias runs.
    const std::string_view text =
        kind == "alias" ? r.str("value").value_or("") : r.str("command").value_or("");
    const cmd::Traits t = cmd::analyze(text, k);
    Severity sev;
    if (t.reverse_shell || (t.downloads() && (t.pipes_to_shell || t.runs_download)))
      sev = Severity::kCritical;
    else if ((!t.odd_program.empty() && t.odd_place != "home directory") || t.decodes ||
             (t.downloads() && t.raw_ip_url))
      sev = Severity::kHigh;
    else if (t.downloads())
      sev = Severity::kMedium;
    else if (kind == "command" && is_rc_local(r.source->path) && detached_silenced_launch(text))
      sev = Severity::kMedium;
    else
      continue;
    const bool rc = is_rc_script(r.source->path);
    Finding f;
    f.severity = sev;
    f.attack_id = rc ? "T1037.004" : "T1546.004";
    f.message = std::string(rc ? "boot script " : "shell start-up file ") +
                cmd::cap(r.source->path, 160) + " " + std::string(kind) + " " + t.summary() +
                ": " + cmd::cap(text, 200);
    f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or(text)));
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kPersistenceStartupScriptExec{
    .id = "persistence/startup_script_exec",
    .title = "Boot or shell start-up script runs downloaded or oddly placed code",
    .severity = Severity::kHigh,
    .attack_id = "T1546.004",
    .description =
        "Lines of rc.local, /etc/init.d scripts (T1037.004) and shell start-up files — "
        "/etc/profile, profile.d, bash.bashrc, ~/.bashrc, ~/.profile, ~/.zshrc (T1546.004) — "
        "and aliases that download and execute or open reverse shells (critical), or start "
        "programs from /tmp, /var/tmp, /dev/shm or hidden directories, or decode payloads "
        "(high). Plain downloads, and rc.local lines that start a program detached and "
        "silenced (`nohup x >/dev/null 2>&1 &`, how miners return after a reboot), are medium.",
    .false_positives = "Init scripts of real services may fetch updates; tools installed in "
                       "hidden folders (see benign_hidden_exec_paths) are not flagged; an admin "
                       "may start a legitimate daemon from rc.local with nohup … &.",
    .needs = {"unix/shell_startup"},
    .references = {"https://attack.mitre.org/techniques/T1037/004/",
                   "https://attack.mitre.org/techniques/T1546/004/"},
    .run = &run};

}  // namespace deadbox::checks
