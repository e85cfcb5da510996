// SPDX-License-Identifier: Apache-2.0
// Command-line heuristics shared by the persistence and execution checks. Deliberately
// textual: nothing from the image is run, and shell syntax is only split far enough to find
// which program each simple command starts.
#include "checks/persistence/command_traits.hpp"

#include <algorithm>
#include <vector>

namespace deadbox::checks::cmd {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

std::string_view base(std::string_view w) {
  const auto s = w.rfind('/');
  return s == std::string_view::npos ? w : w.substr(s + 1);
}

// Simple commands: split on ; & | ( ) ` { } newlines and $( ; words on blanks, with quote
// characters dropped (quoted arguments stay arguments; `sh -c '…'` bodies are analysed
// separately by analyze()).
std::vector<std::vector<std::string>> simple_commands(std::string_view c) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> cur;
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) cur.push_back(std::move(word));
    word.clear();
  };
  auto flush = [&] {
    end_word();
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (size_t i = 0; i < c.size(); ++i) {
    const char ch = c[i];
    if (std::string_view(";&|()`\n{}").find(ch) != std::string_view::npos) {
      flush();
    } else if (ch == '$' && i + 1 < c.size() && c[i + 1] == '(') {
      flush();
      ++i;
    } else if (ch == ' ' || ch == '\t') {
      end_word();
    } else if (ch != '\'' && ch != '"') {
      word.push_back(ch);
    }
  }
  flush();
  return out;
}

// Bodies of `-c '…'` / `-c "…"` (sh -c, bash -c, su -c).
std::vector<std::string_view> dash_c_bodies(std::string_view c) {
  std::vector<std::string_view> out;
  for (size_t p = c.find("-c "); p != std::string_view::npos && out.size() < 8; p = c.find("-c ", p + 3)) {
    size_t q = p + 3;
    while (q < c.size() && c[q] == ' ') ++q;
    if (q >= c.size() || (c[q] != '\'' && c[q] != '"')) continue;
    const auto close = c.find(c[q], q + 1);
    out.push_back(c.substr(q + 1, close == std::string_view::npos ? c.npos : close - q - 1));
  }
  return out;
}

bool is_wrapper(std::string_view w) {
  for (std::string_view k : {"sudo", "nohup", "exec", "env", "nice", "setsid", "command", "time",
                             "busybox", "timeout", "ionice", "stdbuf", "chroot", "su", "runuser"})
    if (w == k) return true;
  return false;
}

// Shell keywords before a command, and test commands whose arguments are never executed.
bool is_keyword(std::string_view w) {
  for (std::string_view k : {"if", "then", "else", "elif", "while", "until", "do", "!", "{"})
    if (w == k) return true;
  return false;
}
bool is_test(std::string_view w) { return w == "[" || w == "[[" || w == "test"; }

bool is_shell(std::string_view w) {
  for (std::string_view k : {"sh", "bash", "dash", "zsh", "ksh", "ash", "csh", "tcsh", "fish"})
    if (w == k) return true;
  return false;
}

bool is_interpreter(std::string_view w) {
  return is_shell(w) || w.starts_with("python") || w == "perl" || w == "php" || w == "ruby" ||
         w == "node" || w == "source" || w == ".";
}

}  // namespace

std::optional<std::string> odd_place(std::string_view p, const Knowledge& k) {
  std::string_view rest = p;
  bool home = false;
  if (rest.starts_with("~/") || rest.starts_with("$HOME/") || rest.starts_with("${HOME}/")) {
    rest = rest.substr(rest.find('/'));
    home = true;
  }
  if (rest.starts_with("/tmp/") || rest.starts_with("/var/tmp/") || rest.starts_with("/dev/shm/") ||
      rest.starts_with("/run/shm/"))
    return "temporary directory";
  if (!rest.starts_with("/")) return std::nullopt;
  // A hidden component anywhere in the path (".x", not "." or "..").
  for (size_t i = 0; i + 1 < rest.size(); ++i) {
    if (rest[i] == '/' && rest[i + 1] == '.' && i + 2 < rest.size() && rest[i + 2] != '/' &&
        !(rest[i + 2] == '.' && (i + 3 == rest.size() || rest[i + 3] == '/'))) {
      for (const auto& ok : k.list("benign_hidden_exec_paths"))
        if (contains(p, ok)) return std::nullopt;
      // A dotfile right in a home (~/.bashrc, ~/.bash_aliases) is sourced by design; a hidden
      // folder (~/.x/miner) or a dotfile elsewhere is not.
      const bool last = rest.find('/', i + 1) == std::string_view::npos;
      const bool home_file =
          home || (rest.starts_with("/root/") && rest.find('/', 6) == std::string_view::npos) ||
          (rest.starts_with("/home/") && rest.find('/', rest.find('/', 6) + 1) == std::string_view::npos);
      if (last && home_file) return "home directory";
      return "hidden path";
    }
  }
  if (home || rest.starts_with("/home/") || rest.starts_with("/root/")) return "home directory";
  return std::nullopt;
}

namespace {

bool chmod_makes_executable(const std::vector<std::string>& words, size_t i) {
  for (size_t j = i + 1; j < words.size(); ++j) {
    if (words[j].starts_with("-")) continue;
    const std::string_view m = words[j];
    if (contains(m, "x")) return true;
    if (!m.empty() && m[0] >= '0' && m[0] <= '7')
      return std::any_of(m.begin(), m.end(), [](char c) { return c == '1' || c == '3' || c == '5' || c == '7'; });
    return false;
  }
  return false;
}

void scan_urls(std::string_view c, Traits& t) {
  for (std::string_view scheme : {"http://", "https://", "ftp://", "tftp://"}) {
    size_t pos = 0;
    while ((pos = c.find(scheme, pos)) != std::string_view::npos) {
      pos += scheme.size();
      size_t end = pos;
      while (end < c.size() && c[end] != '/' && c[end] != ':' && c[end] != ' ' && c[end] != '\'' &&
             c[end] != '"' && c[end] != '|' && c[end] != ')')
        ++end;
      const auto host = c.substr(pos, end - pos);
      const bool ip = !host.empty() && std::all_of(host.begin(), host.end(), [](char ch) {
        return (ch >= '0' && ch <= '9') || ch == '.';
      });
      if (ip) t.raw_ip_url = true;
      else if (scheme == "https://" && contains(host, ".")) t.https_named_url = true;
    }
  }
}

}  // namespace

std::string Traits::summary() const {
  std::vector<std::string> parts;
  if (downloads()) parts.push_back("downloads with " + download_tool);
  if (raw_ip_url) parts.push_back("from a bare IP address");
  if (pipes_to_shell) parts.push_back("pipes into an interpreter");
  if (runs_download) parts.push_back("executes what it fetched");
  if (decodes) parts.push_back("decodes an encoded payload");
  if (reverse_shell) parts.push_back("opens a reverse shell");
  if (chmod_exec) parts.push_back("makes a file executable");
  if (!odd_program.empty()) parts.push_back("runs " + cap(odd_program, 120) + " from a " + odd_place);
  if (background) parts.push_back("detaches (nohup/&)");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

Traits analyze(std::string_view command, const Knowledge& knowledge) {
  Traits t;
  const std::string lc = lower(command);
  const auto& tools = knowledge.list("download_tools");
  const auto cmds = simple_commands(command);
  std::optional<std::string> cwd_odd;
  auto all = cmds;
  for (auto body : dash_c_bodies(command))
    for (auto& sc : simple_commands(body)) all.push_back(std::move(sc));
  for (const auto& words : all) {
    size_t i = 0;
    // A wrapper (sudo, nohup…) is skipped unless it is itself an odd path ("/tmp/.s/sudo").
    auto wrapper = [&](std::string_view w) {
      return is_wrapper(base(w)) && !odd_place(w, knowledge);
    };
    while (i < words.size() && (wrapper(words[i]) || is_keyword(words[i]) || contains(words[i], "=") ||
                                (i > 0 && words[i].starts_with("-") && wrapper(words[i - 1]))))
      ++i;
    if (i >= words.size() || is_test(words[i])) continue;
    const std::string_view prog = words[i];
    const std::string_view name = base(prog);
    if (std::find(tools.begin(), tools.end(), name) != tools.end() && t.download_tool.empty())
      t.download_tool = std::string(name);
    if (name == "chmod" && chmod_makes_executable(words, i)) t.chmod_exec = true;
    if (name == "nohup") t.background = true;
    // `bash /tmp/x.sh`, `python3 /dev/shm/.a.py`: the script is what runs.
    std::string_view target = prog;
    if (is_interpreter(name)) {
      for (size_t j = i + 1; j < words.size(); ++j)
        if (!words[j].starts_with("-")) {
          target = words[j];
          break;
        }
    }
    if (name == "cd" && i + 1 < words.size()) {
      cwd_odd = odd_place(std::string(words[i + 1]) + "/", knowledge);
      continue;
    }
    std::optional<std::string> place;
    if (target.starts_with("./") && cwd_odd) place = cwd_odd;
    else place = odd_place(target, knowledge);
    if (place && t.odd_program.empty()) {
      t.odd_program = std::string(target);
      t.odd_place = *place;
    }
  }
  for (std::string_view w : {"nohup ", "nohup\t"})
    if (contains(lc, w)) t.background = true;
  {
    const auto last = lc.find_last_not_of(" \t");
    if (last != std::string::npos && lc[last] == '&' && (last == 0 || lc[last - 1] != '&'))
      t.background = true;
  }
  // Interpreter one-liners that fetch or connect.
  const bool script_one_liner =
      (contains(lc, "python") && contains(lc, " -c")) || (contains(lc, "perl") && contains(lc, " -e")) ||
      (contains(lc, "php") && contains(lc, " -r")) || (contains(lc, "ruby") && contains(lc, " -e"));
  if (script_one_liner) {
    const bool net = contains(lc, "urllib") || contains(lc, "urlopen") || contains(lc, "requests.get") ||
                     contains(lc, "lwp") || contains(lc, "http::tiny") || contains(lc, "file_get_contents(") ||
                     contains(lc, "open-uri") || contains(lc, "net::http");
    const bool sock = contains(lc, "socket") || contains(lc, "fsockopen") || contains(lc, "tcpsocket");
    if ((net || sock) && t.download_tool.empty()) t.download_tool = "script one-liner";
    if (sock && (contains(lc, "/bin/sh") || contains(lc, "/bin/bash") || contains(lc, "pty.spawn") ||
                 contains(lc, "dup2") || contains(lc, "exec(") || contains(lc, "subprocess")))
      t.reverse_shell = true;
  }
  // `| sh`, `|bash -s`, `| sudo python3 -`
  for (size_t p = lc.find('|'); p != std::string::npos; p = lc.find('|', p + 1)) {
    if ((p + 1 < lc.size() && lc[p + 1] == '|') || (p > 0 && lc[p - 1] == '|')) continue;
    std::string_view rest = std::string_view(lc).substr(p + 1);
    rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(" \t")));
    if (rest.starts_with("sudo ")) rest.remove_prefix(5);
    size_t e = 0;
    while (e < rest.size() && std::string_view(" \t;|)&'\"`").find(rest[e]) == std::string_view::npos)
      ++e;
    const auto w = base(rest.substr(0, e));
    if (is_shell(w) || w.starts_with("python") || w == "perl" || w == "php" || w == "ruby")
      t.pipes_to_shell = true;
  }
  t.decodes = contains(lc, "base64 -d") || contains(lc, "base64 --decode") ||
              contains(lc, "b64decode") || contains(lc, "xxd -r") ||
              contains(lc, "xxd -p -r") || contains(lc, "openssl enc -d") ||
              (contains(lc, "openssl") && contains(lc, "base64") && contains(lc, " -d"));
  t.reverse_shell = t.reverse_shell || contains(lc, "/dev/tcp/") || contains(lc, "/dev/udp/") ||
                    (contains(lc, "socat") && contains(lc, "exec:")) ||
                    (contains(lc, "mkfifo") && (contains(lc, "nc ") || contains(lc, "ncat ")));
  for (std::string_view nc : {"nc ", "ncat ", "netcat "})
    if ((lc.starts_with(nc) || contains(lc, std::string(" ") + std::string(nc)) ||
         contains(lc, std::string("/") + std::string(nc))) &&
        (contains(lc, " -e ") || contains(lc, " -c ")))
      t.reverse_shell = true;
  if (t.downloads()) {
    t.runs_download = t.chmod_exec || contains(lc, "$(curl") || contains(lc, "$(wget") ||
                      contains(lc, "`curl") || contains(lc, "`wget") || contains(lc, "<(curl") ||
                      contains(lc, "<(wget") || contains(lc, "&& ./") || contains(lc, "&&./") ||
                      contains(lc, "; ./") || contains(lc, ";./");
  }
  scan_urls(lc, t);
  return t;
}

std::string cap(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  return std::string(s.substr(0, max)) + "…";
}

Evidence evidence_of(const parsers::Record& r, std::string_view excerpt) {
  Evidence e;
  e.volume = r.source->volume;
  e.path = r.source->path;
  e.inode = r.source->inode;
  e.line = r.line;
  e.excerpt = cap(excerpt);
  e.record_type = r.type;
  if (auto t = r.time("time")) e.times.emplace_back("time", *t);
  if (r.source->mtime) e.times.emplace_back("mtime", *r.source->mtime);
  if (r.source->ctime) e.times.emplace_back("ctime", *r.source->ctime);
  return e;
}

std::string attack_url(std::string_view id) {
  std::string out = "https://attack.mitre.org/techniques/";
  for (char c : id) out.push_back(c == '.' ? '/' : c);
  return out + "/";
}

}  // namespace deadbox::checks::cmd
