// SPDX-License-Identifier: Apache-2.0
// logins/zmodem_transfer: ZMODEM (rz/sz) transfers in messages: files moved over the
// terminal session itself, bypassing scp/sftp logs.
#include <map>

#include "checks/logins/common.hpp"

namespace deadbox::checks {
namespace {

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  std::map<std::pair<std::string, std::string>, std::vector<const parsers::Record*>> by_file;
  for (const auto& r : records.of(logins::kSyslog))
    if (r.str("event") == "zmodem") by_file[{r.source->volume, r.source->path}].push_back(&r);
  for (const auto& [file, recs] : by_file) {
    Finding f;
    f.severity = Severity::kMedium;
    f.message = std::to_string(recs.size()) + " ZMODEM (rz/sz) line(s) in " + file.second;
    for (const auto* r : recs) logins::add_evidence(f, *r);
    logins::set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kLoginsZmodemTransfer{
    .id = "logins/zmodem_transfer",
    .title = "ZMODEM file transfer",
    .severity = Severity::kMedium,
    .attack_id = "T1105",
    .description =
        "Log lines from rz/sz or mentioning ZMODEM (the seed's grep of messages): a "
        "file pushed or pulled through an interactive terminal (Xshell, SecureCRT), "
        "which leaves no scp/sftp trace.",
    .false_positives = "Administrators who routinely use rz/sz from their terminal client.",
    .needs = {"linux/log/syslog"},
    .references = {"https://attack.mitre.org/techniques/T1105/", "https://linux.die.net/man/1/rz"},
    .run = &run,
};

}  // namespace deadbox::checks
