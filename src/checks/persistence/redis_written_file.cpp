// SPDX-License-Identifier: Apache-2.0
// persistence/redis_written_file: parsed artifacts (crontabs, authorized_keys, at jobs, …)
// whose file starts with a Redis RDB header: the `CONFIG SET dir/dbfilename` + `SAVE` trick an
// unauthenticated Redis allows. Ref: https://attack.mitre.org/techniques/T1053/003/
#include <map>
#include <tuple>

#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  // One finding per file, evidence = the lines that made it through the RDB framing.
  std::map<std::tuple<std::string, std::string>, Finding> by_file;
  for (const auto& type : records.types()) {
    for (const auto& r : records.of(type)) {
      if (r.flag("redis_rdb") != true) continue;
      if (r.source->path.ends_with(".rdb")) continue;  // Redis's own dump file
      auto key = std::make_tuple(r.source->volume, r.source->path);
      auto it = by_file.find(key);
      if (it == by_file.end()) {
        Finding f;
        f.severity = Severity::kCritical;
        const bool keys = type == "unix/ssh_authorized_key";
        f.attack_id = keys ? "T1098.004" : "T1053.003";
        f.message = "Redis RDB dump written as " + cmd::cap(r.source->path, 200) +
                    (keys ? " (SSH key planted through Redis)"
                          : " (file planted through Redis CONFIG SET dir/dbfilename + SAVE)");
        it = by_file.emplace(key, std::move(f)).first;
      }
      if (it->second.evidence.size() < 20) {
        const auto line = r.str("line");
        it->second.evidence.push_back(cmd::evidence_of(r, line ? *line : std::string_view("REDIS00…")));
      }
    }
  }
  for (auto& [k, f] : by_file) out.add(std::move(f));
}

}  // namespace

extern const Check kPersistenceRedisWrittenFile{
    .id = "persistence/redis_written_file",
    .title = "File written by Redis (RDB header in a crontab, key file or config)",
    .severity = Severity::kCritical,
    .attack_id = "T1053.003",
    .description =
        "A crontab, authorized_keys, at job or start-up file that begins with the Redis RDB "
        "header (REDIS00…). An exposed Redis lets anyone point its dump at such a path and SAVE, "
        "planting cron jobs (T1053.003) or SSH keys (T1098.004); the payload lines sit between "
        "binary framing and cron/sshd still honour them.",
    .false_positives = "None known for these locations; Redis's own *.rdb dumps are skipped.",
    .needs = {"unix/crontab", "unix/ssh_authorized_key", "unix/at_job"},
    .references = {"https://attack.mitre.org/techniques/T1053/003/",
                   "https://attack.mitre.org/techniques/T1098/004/",
                   "https://redis.io/docs/latest/operate/oss_and_stack/management/security/"},
    .run = &run};

}  // namespace deadbox::checks
