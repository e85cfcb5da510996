// SPDX-License-Identifier: Apache-2.0
// unix/shell_startup: shell start-up and boot scripts (/etc/profile{,.d/*}, bash.bashrc,
// /etc/environment, ~/.bashrc, ~/.profile, ~/.zshrc, ~/.cshrc, rc.local, /etc/init.d/*) as
// line records classified by what they change: PATH, LD_PRELOAD, history settings, aliases,
// other assignments, commands. Read as data, never executed. Ref: bash(1) INVOCATION.
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

using text::trim;

constexpr Field kFields[] = {
    {"kind", FieldType::kString,
     "path_assignment, ld_preload, history_setting, alias, assignment, command"},
    {"name", FieldType::kString, "variable or alias name"},
    {"value", FieldType::kString, "assigned value, quotes removed (PATH: ':'-separated entries)"},
    {"command", FieldType::kString, "the line's text, trimmed"},
    {"user", FieldType::kString, "owner inferred from the home directory in the path"},
    {"line", FieldType::kString, "the raw line"},
};

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Value of an assignment: quoted ('…', "…") or up to an unquoted blank/;/&/|.
std::string read_value(std::string_view s) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      else out.push_back(c);
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ' ' || c == '\t' || c == ';' || c == '&' || c == '|') {
      break;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Lines that are only shell syntax carry nothing for the checks.
bool syntax_only(std::string_view l) {
  for (std::string_view k : {"fi", "done", "esac", "}", "{", ";;", "else", "then", "do", ")",
                             "return", "exit 0", "exit", "(", "true", ":"})
    if (l == k) return true;
  return false;
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  const auto user = text::user_from_home(src->path);
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    std::string_view l = trim(raw);
    if (l.empty() || l[0] == '#' || syntax_only(l)) return;
    Record r = text::make_record("unix/shell_startup", src, n);
    if (user) r.set("user", *user);
    r.set("command", std::string(l)).set("line", std::string(raw));
    std::string_view body = l;
    for (std::string_view p : {"export ", "declare -x ", "typeset -x ", "readonly ", "local "})
      if (body.starts_with(p)) body = trim(body.substr(p.size()));
    std::string kind = "command";
    size_t name_len = 0;
    while (name_len < body.size() && is_name_char(body[name_len])) ++name_len;
    std::string_view name = body.substr(0, name_len);
    std::string value;
    bool assignment = false;
    if (name_len > 0 && name_len < body.size() && body[name_len] == '=') {
      assignment = true;
      value = read_value(body.substr(name_len + 1));
    } else if (body.starts_with("setenv ")) {  // csh
      const auto w = text::split_ws(body, 3);
      if (w.size() >= 2) {
        assignment = true;
        name = w[1];
        value = w.size() > 2 ? read_value(w[2]) : std::string();
      }
    }
    if (assignment) {
      kind = "assignment";
      if (name == "PATH" || name == "path") kind = "path_assignment";
      else if (name == "LD_PRELOAD") kind = "ld_preload";
      else if ((name == "HISTFILE" && (value == "/dev/null" || value.empty())) ||
               ((name == "HISTSIZE" || name == "HISTFILESIZE" || name == "SAVEHIST") &&
                value == "0"))
        kind = "history_setting";
      r.set("name", std::string(name)).set("value", value);
    } else if (l.starts_with("unset ") && l.find("HISTFILE") != std::string_view::npos) {
      kind = "history_setting";
      r.set("name", std::string("HISTFILE"));
    } else if (l.starts_with("set +o history")) {
      kind = "history_setting";
    } else if (l.starts_with("alias ")) {
      const std::string_view a = trim(l.substr(6));
      const auto eq = a.find('=');
      kind = "alias";
      r.set("name", std::string(a.substr(0, eq)));
      if (eq != std::string_view::npos) r.set("value", read_value(a.substr(eq + 1)));
    }
    r.set("kind", kind);
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kShellStartupParser{
    "unix/shell_startup",
    "Shell start-up and boot scripts (profile, bashrc, environment, rc.local, init.d): PATH and "
    "LD_PRELOAD assignments, history settings, aliases and commands, one record per line.",
    {"ShellConfigurationFile", "BashShellConfigurationFile", "ShellProfileFile",
     "RootUserShellConfigs", "LinuxSysVInit", "LinuxLSBInit"},
    kFields,
    &parse,
    {"https://www.gnu.org/software/bash/manual/html_node/Bash-Startup-Files.html",
     "https://man7.org/linux/man-pages/man8/pam_env.8.html"}};

}  // namespace deadbox::parsers
