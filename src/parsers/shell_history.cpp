// SPDX-License-Identifier: Apache-2.0
// unix/shell_history: bash (with `#<epoch>` HISTTIMEFORMAT lines), zsh (plain or extended
// `: <epoch>:<elapsed>;cmd`, metafied bytes decoded), fish (`- cmd:` / `when:` YAML-ish),
// sh/ash, and python/mysql/psql/less histories as plain lines.
// Refs: bash(1) HISTORY; zshparam(1) EXTENDED_HISTORY; fish history file format.
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"shell", FieldType::kString, "bash, zsh, fish, sh, python, mysql, psql, less, unknown"},
    {"user", FieldType::kString, "owner inferred from the home directory in the path"},
    {"command", FieldType::kString, "the command as typed"},
    {"time", FieldType::kTimestamp, "when it ran, when the history recorded it"},
    {"line", FieldType::kString, "the raw line"},
};

constexpr int64_t kNs = 1'000'000'000;

std::string shell_of(std::string_view name) {
  if (name == ".bash_history") return "bash";
  if (name == ".zsh_history" || name == ".zhistory" || name == ".histfile") return "zsh";
  if (name == "fish_history") return "fish";
  if (name == ".sh_history" || name == ".ash_history") return "sh";
  if (name == ".python_history") return "python";
  if (name == ".mysql_history") return "mysql";
  if (name == ".psql_history") return "psql";
  if (name == ".lesshst") return "less";
  return "unknown";
}

// Plausible epoch seconds: 1990..2100; anything else is a command that happens to be digits.
std::optional<int64_t> epoch(std::string_view s) {
  if (s.empty() || s.size() > 11) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < 631152000 || v > 4102444800) return std::nullopt;
  return v;
}

// zsh stores bytes 0x83..0x9f and NUL as 0x83 followed by the byte XOR 32 ("metafied").
std::string unmetafy(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) == 0x83 && i + 1 < s.size())
      out.push_back(static_cast<char>(s[++i] ^ 32));
    else
      out.push_back(s[i]);
  }
  return out;
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  const std::string shell = shell_of(text::basename(src->path));
  const auto user = text::user_from_home(src->path);
  std::optional<int64_t> pending_time;  // bash: applies to the next command line
  std::optional<Record> fish_pending;
  auto make = [&](uint64_t n, std::string command, std::string_view raw) {
    Record r = text::make_record("unix/shell_history", src, n);
    r.set("shell", shell);
    if (user) r.set("user", *user);
    r.set("command", std::move(command)).set("line", std::string(raw));
    return r;
  };
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    if (raw.empty()) return;
    if (shell == "fish") {
      const std::string_view t = text::trim(raw);
      if (t.starts_with("- cmd: ")) {
        if (fish_pending) out.add(std::move(*fish_pending));
        fish_pending = make(n, std::string(t.substr(7)), raw);
      } else if (t.starts_with("when: ") && fish_pending) {
        if (auto e = epoch(text::trim(t.substr(6)))) fish_pending->set("time", Timestamp{*e * kNs});
      }
      return;  // "paths:" lists and their items carry no command
    }
    if (shell == "less" && raw.starts_with(".less-history-file:")) return;
    if (raw.size() > 1 && raw[0] == '#' && (shell == "bash" || shell == "unknown")) {
      if (auto e = epoch(raw.substr(1))) {
        pending_time = *e * kNs;
        return;
      }
    }
    if (shell == "zsh" && raw.starts_with(": ")) {
      // ": <start>:<elapsed>;<command>"
      const auto colon = raw.find(':', 2);
      const auto semi = raw.find(';');
      if (colon != std::string_view::npos && semi != std::string_view::npos && colon < semi) {
        Record r = make(n, unmetafy(raw.substr(semi + 1)), raw);
        if (auto e = epoch(text::trim(raw.substr(2, colon - 2)))) r.set("time", Timestamp{*e * kNs});
        else text::bad_line(diag, *src, "bad_history_time", n, "zsh timestamp not an epoch");
        out.add(std::move(r));
        return;
      }
    }
    Record r = make(n, shell == "zsh" ? unmetafy(raw) : std::string(raw), raw);
    if (pending_time) r.set("time", Timestamp{*pending_time});
    pending_time.reset();
    out.add(std::move(r));
  });
  if (fish_pending) out.add(std::move(*fish_pending));
}

}  // namespace

extern const Parser kShellHistoryParser{
    "unix/shell_history",
    "Shell and REPL histories (bash with timestamps, zsh extended, fish, sh, python, mysql, "
    "psql, less): one record per command with its time when recorded.",
    {"BashShellHistoryFile", "ZShellHistoryFile", "FishShellHistoryFile", "RootUserShellHistory",
     "PythonHistoryFile", "MySQLHistoryFile", "PostgreSQLHistoryFile", "LessHistoryFile"},
    kFields,
    &parse,
    {"https://www.gnu.org/software/bash/manual/html_node/Bash-History-Facilities.html",
     "https://zsh.sourceforge.io/Doc/Release/Options.html#History"}};

}  // namespace deadbox::parsers
