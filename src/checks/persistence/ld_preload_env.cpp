// SPDX-License-Identifier: Apache-2.0
// persistence/ld_preload_env: LD_PRELOAD set in start-up files, /etc/environment or systemd
// units. Ref: https://attack.mitre.org/techniques/T1574/006/
#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of("unix/shell_startup")) {
    if (r.str("kind") != "ld_preload") continue;
    const std::string_view v = r.str("value").value_or("");
    if (v.empty()) continue;  // `LD_PRELOAD=` clears it
    Finding f;
    f.severity = Severity::kHigh;
    f.message = "LD_PRELOAD=" + cmd::cap(v, 200) + " set in " + cmd::cap(r.source->path, 160);
    f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or(v)));
    out.add(std::move(f));
  }
  for (const auto& r : records.of("linux/systemd_unit")) {
    if (r.str("key") != "Environment") continue;
    const std::string_view v = r.str("value").value_or("");
    const auto pos = v.find("LD_PRELOAD=");
    if (pos == std::string_view::npos) continue;
    Finding f;
    f.severity = Severity::kHigh;
    f.message = "systemd unit " + cmd::cap(r.str("unit").value_or(""), 120) + " sets " +
                cmd::cap(v.substr(pos), 200);
    f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or(v)));
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kPersistenceLdPreloadEnv{
    .id = "persistence/ld_preload_env",
    .title = "LD_PRELOAD set in start-up files or units",
    .severity = Severity::kHigh,
    .attack_id = "T1574.006",
    .description =
        "LD_PRELOAD assigned in /etc/environment, profile/bashrc files or a systemd unit's "
        "Environment=: every program started from there loads the named library first.",
    .false_positives = "Debugging or allocator experiments (libeatmydata, jemalloc) left in "
                       "a user's shell files.",
    .needs = {"unix/shell_startup", "linux/systemd_unit"},
    .references = {"https://attack.mitre.org/techniques/T1574/006/"},
    .run = &run};

}  // namespace deadbox::checks
