// SPDX-License-Identifier: Apache-2.0
// persistence/cron_download_exec: cron, anacron and at entries that download, decode, pipe
// into a shell, open a reverse shell or run programs from temporary or hidden places.
// Ref: https://attack.mitre.org/techniques/T1053/003/, https://attack.mitre.org/techniques/T1053/002/
#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

void judge(const parsers::Record& r, std::string_view command, std::string_view what,
           std::string_view attack, const Knowledge& k, FindingSink& out) {
  const cmd::Traits t = cmd::analyze(command, k);
  Severity sev;
  if (t.reverse_shell || (t.downloads() && (t.pipes_to_shell || t.runs_download)) ||
      (t.decodes && t.pipes_to_shell))
    sev = Severity::kCritical;
  else if (!t.odd_program.empty() && t.odd_place != "home directory")
    sev = Severity::kHigh;
  else if (t.decodes || (t.downloads() && t.raw_ip_url))
    sev = Severity::kHigh;
  else if (t.downloads())
    sev = Severity::kMedium;  // health-check pings and updaters fetch too; still worth a look
  else
    return;
  Finding f;
  f.severity = sev;
  f.attack_id = std::string(attack);
  const auto user = r.str("user");
  f.message = std::string(what) + (user ? " for " + std::string(*user) : std::string()) + " " +
              t.summary() + ": " + cmd::cap(command, 200);
  f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or(command)));
  if (auto when = r.time("time")) f.first_seen = f.last_seen = when;
  out.add(std::move(f));
}

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  for (const auto& r : records.of("unix/crontab")) {
    const auto kind = r.str("kind");
    if (kind != "job" && kind != "anacron") continue;
    if (auto c = r.str("command"))
      judge(r, *c, kind == "job" ? "cron job" : "anacron job", "T1053.003", k, out);
  }
  for (const auto& r : records.of("unix/at_job"))
    if (auto c = r.str("command")) judge(r, *c, "at job", "T1053.002", k, out);
}

}  // namespace

extern const Check kPersistenceCronDownloadExec{
    .id = "persistence/cron_download_exec",
    .title = "Scheduled job downloads or runs code from an odd place",
    .severity = Severity::kHigh,
    .attack_id = "T1053.003",
    .description =
        "Cron, anacron and at entries whose command downloads (curl, wget, tftp, scripted "
        "one-liners), decodes (base64 -d, xxd -r, openssl enc -d), pipes into a shell, opens a "
        "reverse shell, or runs a program from /tmp, /var/tmp, /dev/shm or a hidden directory. "
        "Download+execute and reverse shells are critical; odd paths, decoding and downloads "
        "from bare IPs high; other downloads medium. at jobs map to T1053.002.",
    .false_positives = "Monitoring pings (curl to a health-check URL) and self-updaters fetch "
                       "over the network (medium); tools installed in hidden folders "
                       "(~/.acme.sh) are listed in benign_hidden_exec_paths.",
    .needs = {"unix/crontab", "unix/at_job"},
    .references = {"https://attack.mitre.org/techniques/T1053/003/",
                   "https://attack.mitre.org/techniques/T1053/002/"},
    .run = &run};

}  // namespace deadbox::checks
