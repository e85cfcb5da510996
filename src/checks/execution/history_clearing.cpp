// SPDX-License-Identifier: Apache-2.0
// execution/history_clearing: commands and start-up settings that erase or disable shell
// history (history -c, unset HISTFILE, HISTFILE=/dev/null, HISTSIZE=0, rm/shred/ln of the
// history file). Ref: https://attack.mitre.org/techniques/T1070/003/
#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

bool contains(std::string_view h, std::string_view n) { return h.find(n) != std::string_view::npos; }

// Reason the command clears or disables history, or empty.
std::string clearing(std::string_view c) {
  const bool hist_file = contains(c, "_history") || contains(c, "HISTFILE");
  if (contains(c, "history -c") || contains(c, "history -cw") || contains(c, "history -wc"))
    return "clears the in-memory history";
  if (contains(c, "unset HISTFILE")) return "unsets HISTFILE";
  if (contains(c, "HISTFILE=/dev/null") || contains(c, "HISTFILE= ") || c.ends_with("HISTFILE="))
    return "points HISTFILE at nothing";
  if (contains(c, "HISTSIZE=0") || contains(c, "HISTFILESIZE=0") || contains(c, "SAVEHIST=0"))
    return "sets the history size to 0";
  if (contains(c, "set +o history")) return "turns history recording off";
  if (hist_file && (c.starts_with("rm ") || contains(c, " rm ") || c.starts_with("shred") ||
                    contains(c, "shred ") || c.starts_with("ln ") || contains(c, "/dev/null >") ||
                    contains(c, "> ~/.") || contains(c, ">~/.") || c.starts_with("> ") ||
                    c.starts_with("truncate ") || c.starts_with("cat /dev/null")))
    return "removes, empties or relinks a history file";
  if (c.starts_with("shred ") || contains(c, "| shred") || contains(c, "; shred "))
    return "shreds files";
  return {};
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of("unix/shell_history")) {
    const std::string_view c = r.str("command").value_or("");
    const std::string why = clearing(c);
    if (why.empty()) continue;
    Finding f;
    // shred of arbitrary files is suspicious but not history clearing by itself.
    f.severity = why == "shreds files" ? Severity::kMedium : Severity::kHigh;
    f.message = std::string(r.str("user").value_or("?")) + "'s history: command " + why + ": " +
                cmd::cap(c, 200);
    f.evidence.push_back(cmd::evidence_of(r, c));
    if (auto t = r.time("time")) f.first_seen = f.last_seen = t;
    out.add(std::move(f));
  }
  for (const auto& r : records.of("unix/shell_startup")) {
    if (r.str("kind") != "history_setting") continue;
    const std::string_view line = r.str("command").value_or("");
    Finding f;
    f.severity = Severity::kHigh;
    f.message = "start-up file " + cmd::cap(r.source->path, 160) +
                " disables shell history for every session: " + cmd::cap(line, 200);
    f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or(line)));
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kExecutionHistoryClearing{
    .id = "execution/history_clearing",
    .title = "Shell history cleared or disabled",
    .severity = Severity::kHigh,
    .attack_id = "T1070.003",
    .description =
        "History commands and start-up settings that destroy the record of what was typed: "
        "history -c, unset HISTFILE, HISTFILE=/dev/null, HISTSIZE/HISTFILESIZE=0, set +o "
        "history, rm/shred/truncate/ln -sf /dev/null of a history file (high); shred of other "
        "files (medium). A .bash_history that is a symlink to /dev/null or empty is seen by the "
        "filesystem checks, not here.",
    .false_positives = "Privacy-minded admins sometimes set HISTFILE=/dev/null for root on "
                       "purpose; confirm with the owner.",
    .needs = {"unix/shell_history", "unix/shell_startup"},
    .references = {"https://attack.mitre.org/techniques/T1070/003/"},
    .run = &run};

}  // namespace deadbox::checks
