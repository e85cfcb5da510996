// SPDX-License-Identifier: Apache-2.0
// logins/cron_download: cron log CMD lines that ran a download tool — the cron entry may be
// gone from the crontab already, but cron logged what it ran.
#include <map>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

// A tool name as a word: "curl -s", "/usr/bin/wget", "(curl", not "libcurl" or "curly".
bool has_word(std::string_view cmd, std::string_view word) {
  for (size_t p = cmd.find(word); p != std::string_view::npos; p = cmd.find(word, p + 1)) {
    const bool left =
        p == 0 || std::string_view(" \t/;|&(`$'\"").find(cmd[p - 1]) != std::string_view::npos;
    const size_t e = p + word.size();
    const bool right =
        e == cmd.size() || std::string_view(" \t;|&)`'\"").find(cmd[e]) != std::string_view::npos;
    if (left && right) return true;
  }
  return false;
}

bool contains(std::string_view s, std::string_view n) {
  return s.find(n) != std::string_view::npos;
}

// What turns a fetch into running foreign code: a pipe into an interpreter, decoding, making
// it executable, or staging in world-writable places.
bool executes(std::string_view c) {
  for (std::string_view p :
       {"| sh", "|sh", "| bash", "|bash", "|/bin/sh", "| /bin/sh", "|/bin/bash", "| /bin/bash",
        "base64 -d", "base64 --decode", "chmod +x", "chmod 777", "/tmp/", "/var/tmp/", "/dev/shm/",
        "-O-", "| python", "| perl"})
    if (contains(c, p)) return true;
  return false;
}

void run(const parsers::RecordStore& records, const Knowledge& k, FindingSink& out) {
  const auto& tools = k.list("download_tools");
  std::map<std::pair<std::string, std::string>, std::vector<const parsers::Record*>> by_cmd;
  for (const auto& r : records.of(logins::kSyslog)) {
    if (r.str("event") != "cron_cmd") continue;
    const std::string_view cmd = r.str("command").value_or("");
    bool hit = contains(cmd, "/dev/tcp/");
    for (const auto& t : tools) hit = hit || has_word(cmd, t);
    if (hit) by_cmd[{std::string(r.str("user").value_or("")), std::string(cmd)}].push_back(&r);
  }
  for (const auto& [key, recs] : by_cmd) {
    Finding f;
    const bool exec = executes(key.second);
    f.severity = exec ? Severity::kHigh : Severity::kMedium;
    f.message = "cron ran a download as '" + key.first + "' " + std::to_string(recs.size()) +
                " time(s)" + (exec ? " and executed or staged it" : "") + ": " +
                key.second.substr(0, 200);
    for (const auto* r : recs) logins::add_evidence(f, *r);
    logins::set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kLoginsCronDownload{
    .id = "logins/cron_download",
    .title = "Cron ran a download",
    .severity = Severity::kHigh,
    .attack_id = "T1053.003",
    .description =
        "cron's 'CMD (…)' log lines whose command runs a tool from "
        "artifacts/lists/download_tools.txt (curl, wget, tftp, …) or /dev/tcp. High "
        "when the command also pipes to a shell, decodes base64, makes a file "
        "executable or uses /tmp, /var/tmp, /dev/shm; medium for a bare fetch.",
    .false_positives =
        "Monitoring pings (curl https://hc-ping…) and update scripts run from "
        "cron (medium unless they execute what they fetch).",
    .needs = {"linux/log/syslog"},
    .references = {"https://attack.mitre.org/techniques/T1053/003/",
                   "https://attack.mitre.org/techniques/T1105/"},
    .run = &run,
};

}  // namespace deadbox::checks
