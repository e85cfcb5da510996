// SPDX-License-Identifier: Apache-2.0
// persistence/path_hijack: PATH assignments in start-up files that put hidden, temporary,
// relative or empty entries on PATH, worst when ahead of the system directories.
// Ref: https://attack.mitre.org/techniques/T1574/007/
#include <vector>

#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

bool is_system_dir(std::string_view e) {
  for (std::string_view d : {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin",
                             "/bin", "$PATH", "${PATH}", "/usr/games", "/usr/local/games"})
    if (e == d || (e.size() == d.size() + 1 && e.starts_with(d) && e.back() == '/')) return true;
  return false;
}

// Why an entry is risky, or empty when it is not.
std::string risk(std::string_view e) {
  if (e.empty()) return "empty entry (current directory)";
  if (e == "." || (!e.starts_with("/") && !e.starts_with("$") && !e.starts_with("~")))
    return "relative entry";
  std::string_view rest = e;
  // $HOME/bin and ~/.local/bin are Debian's own skeleton defaults.
  for (std::string_view home : {"$HOME/", "${HOME}/", "~/"})
    if (rest.starts_with(home)) {
      rest.remove_prefix(home.size());
      if (rest == "bin" || rest == ".local/bin" || rest == "bin/" || rest == ".local/bin/") return {};
      if (rest.starts_with(".")) return "hidden directory in a home";
      return {};
    }
  if (rest.starts_with("/tmp") || rest.starts_with("/var/tmp") || rest.starts_with("/dev/shm"))
    return "world-writable temporary directory";
  if (rest.find("/.") != std::string_view::npos) return "hidden directory";
  return {};
}

/// Splits a PATH value on ':' outside ${…}: Debian's init scripts write
/// `PATH="${PATH:+$PATH:}/usr/sbin:/sbin"`, whose inner colons are shell syntax, not entries.
std::vector<std::string_view> split_path(std::string_view value) {
  std::vector<std::string_view> entries;
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    if (i < value.size() && value[i] == '{' && i > 0 && value[i - 1] == '$') ++depth;
    if (i < value.size() && value[i] == '}' && depth > 0) --depth;
    if (i == value.size() || (value[i] == ':' && depth == 0)) {
      entries.push_back(value.substr(start, i - start));
      start = i + 1;
      if (entries.size() > 256) break;  // hostile PATH lengths stay bounded
    }
  }
  return entries;
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of("unix/shell_startup")) {
    if (r.str("kind") != "path_assignment") continue;
    const std::string_view value = r.str("value").value_or("");
    const std::vector<std::string_view> entries = split_path(value);
    bool seen_system = false;
    for (const auto& e : entries) {
      if (is_system_dir(e)) {
        seen_system = true;
        continue;
      }
      const std::string why = risk(e);
      if (why.empty()) continue;
      const bool ahead = !seen_system;
      const bool strong = why != "relative entry" && why != "empty entry (current directory)";
      Finding f;
      f.severity = ahead && strong ? Severity::kHigh : Severity::kMedium;
      f.message = "PATH in " + cmd::cap(r.source->path, 160) + " has " + why + " '" +
                  cmd::cap(e, 120) + "'" + (ahead ? " ahead of the system directories" : "");
      f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or(value)));
      out.add(std::move(f));
    }
  }
}

}  // namespace

extern const Check kPersistencePathHijack{
    .id = "persistence/path_hijack",
    .title = "PATH includes hidden, temporary, relative or empty entries",
    .severity = Severity::kHigh,
    .attack_id = "T1574.007",
    .description =
        "PATH assignments in /etc/environment, /etc/profile, profile.d, bashrc and friends that "
        "add a hidden directory or /tmp, /var/tmp, /dev/shm (high when placed ahead of the "
        "system directories, so planted `ls`/`ps` win), or relative/empty entries that search "
        "the current directory (medium). $HOME/bin and $HOME/.local/bin (Debian's skeleton "
        "~/.profile) are not reported.",
    .false_positives = "Developers sometimes prepend '.' or tool folders such as ~/.cargo/bin.",
    .needs = {"unix/shell_startup"},
    .references = {"https://attack.mitre.org/techniques/T1574/007/"},
    .run = &run};

}  // namespace deadbox::checks
