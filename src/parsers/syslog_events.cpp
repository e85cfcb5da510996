// SPDX-License-Identifier: Apache-2.0
// Event extraction for syslog lines. Every field here is attacker-influenced (sshd logs the
// user name an attacker typed), so fields are located from the right where the daemon appends
// its own text (" from <ip> port <n>"), and nothing is trusted to be well formed.
// Refs: OpenSSH auth.c auth_log(); shadow-utils useradd.c/userdel.c/groupdel.c SYSLOG calls;
// sudo(8) log format; cron(8) "CMD" lines.
#include "parsers/syslog_events.hpp"

#include <string>

#include "parsers/line_reader.hpp"

namespace deadbox::parsers {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view base_program(std::string_view p) {
  const size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

// "<user> from <ip> port <n>[ ...]": the last " from " is sshd's own.
bool user_from_port(std::string_view s, Record& r) {
  const size_t from = s.rfind(" from ");
  if (from == std::string_view::npos) return false;
  r.set("user", std::string(s.substr(0, from)));
  std::string_view rest = s.substr(from + 6);
  const size_t sp = rest.find(' ');
  const std::string_view ip = rest.substr(0, sp);
  if (ip.empty()) return false;
  r.set("src_ip", std::string(ip));
  if (sp != std::string_view::npos && rest.substr(sp).starts_with(" port ")) {
    std::string_view port = rest.substr(sp + 6);
    port = port.substr(0, port.find(' '));
    if (auto p = parse_int(port, 0, 65535)) r.set("src_port", *p);
  }
  return true;
}

// "key=value, key=value" as written by useradd/groupadd.
std::string_view kv(std::string_view s, std::string_view key) {
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find(", ", pos);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view item = s.substr(pos, end - pos);
    if (item.size() > key.size() && item.starts_with(key) && item[key.size()] == '=')
      return item.substr(key.size() + 1);
    pos = end + 2;
  }
  return {};
}

// Text between the first pair of single quotes after prefix: "delete user 'bob'".
std::string_view quoted(std::string_view s, size_t from = 0) {
  const size_t a = s.find('\'', from);
  if (a == std::string_view::npos) return {};
  const size_t b = s.find('\'', a + 1);
  if (b == std::string_view::npos) return {};
  return s.substr(a + 1, b - a - 1);
}

bool sshd_event(std::string_view m, Record& r) {
  if (m.starts_with("Accepted ")) {
    std::string_view rest = m.substr(9);
    const size_t sp = rest.find(" for ");
    if (sp == std::string_view::npos) return false;
    r.set("method", std::string(rest.substr(0, sp)));
    if (!user_from_port(rest.substr(sp + 5), r)) return false;
    r.set("event", std::string("ssh_accepted"));
    return true;
  }
  if (m.starts_with("Failed ")) {
    std::string_view rest = m.substr(7);
    const size_t sp = rest.find(" for ");
    if (sp == std::string_view::npos) return false;
    r.set("method", std::string(rest.substr(0, sp)));
    rest = rest.substr(sp + 5);
    const bool invalid = rest.starts_with("invalid user ");
    if (invalid) rest.remove_prefix(13);
    if (!user_from_port(rest, r)) return false;
    r.set("invalid_user", invalid).set("event", std::string("ssh_failed"));
    return true;
  }
  if (m.starts_with("Invalid user ")) {
    if (!user_from_port(m.substr(13), r)) {
      // Old OpenSSH: "Invalid user bob from 1.2.3.4" without a port is handled above; a
      // missing " from " means the line is not what it claims.
      return false;
    }
    r.set("event", std::string("ssh_invalid_user"));
    return true;
  }
  return false;
}

bool account_event(std::string_view prog, std::string_view m, Record& r) {
  if (m.starts_with("new user: ")) {
    const std::string_view body = m.substr(10);
    r.set("event", std::string("user_added")).set("user", std::string(kv(body, "name")));
    if (auto uid = parse_int(kv(body, "UID"), 0, 4294967295)) r.set("uid", *uid);
    r.set("shell", std::string(kv(body, "shell")));
    return true;
  }
  if (m.starts_with("new group: ")) {
    r.set("event", std::string("group_added")).set("group", std::string(kv(m.substr(11), "name")));
    return true;
  }
  if (m.starts_with("delete user '")) {
    r.set("event", std::string("user_deleted")).set("user", std::string(quoted(m)));
    return true;
  }
  if (m.starts_with("removed shadow group '")) {
    r.set("event", std::string("shadow_removed")).set("group", std::string(quoted(m)));
    return true;
  }
  if (m.starts_with("removed group '")) {
    r.set("event", std::string("group_removed")).set("group", std::string(quoted(m)));
    return true;
  }
  if (prog == "groupdel" && m.starts_with("group '")) {
    const bool shadow = m.ends_with("/etc/gshadow");
    r.set("event", std::string(shadow ? "shadow_removed" : "group_removed"))
        .set("group", std::string(quoted(m)));
    return true;
  }
  if (prog == "usermod" && m.starts_with("add '")) {
    // "add 'bob' to group 'sudo'" / "add 'bob' to shadow group 'sudo'"
    const std::string_view user = quoted(m);
    const size_t to = m.find(" group '");
    if (to == std::string_view::npos) return false;
    r.set("event", std::string("group_member_added")).set("user", std::string(user));
    r.set("group", std::string(quoted(m, to + 7)));
    return true;
  }
  const size_t pc = m.find("password changed for ");
  if (pc != std::string_view::npos && m.find("chauthtok") != std::string_view::npos) {
    r.set("event", std::string("password_changed"))
        .set("user", std::string(trim(m.substr(pc + 21))));
    return true;
  }
  return false;
}

bool sudo_su_event(std::string_view prog, std::string_view m, Record& r) {
  if (prog == "sudo") {
    // "  alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id"
    const size_t colon = m.find(" : ");
    const size_t cmd = m.find("COMMAND=");
    if (colon == std::string_view::npos || cmd == std::string_view::npos) return false;
    const bool failed = m.find("incorrect password attempt") != std::string_view::npos ||
                        m.find("user NOT in sudoers") != std::string_view::npos;
    r.set("event", std::string(failed ? "sudo_failed" : "sudo"));
    r.set("user", std::string(trim(m.substr(0, colon))));
    const size_t u = m.find("USER=");
    if (u != std::string_view::npos && u < cmd) {
      std::string_view tu = m.substr(u + 5);
      r.set("target_user", std::string(trim(tu.substr(0, tu.find(" ;")))));
    }
    r.set("command", std::string(m.substr(cmd + 8)));
    return true;
  }
  if (prog == "su") {
    // util-linux: "(to root) alice on pts/0"; failures "FAILED SU (to root) alice on pts/0".
    const bool failed = m.starts_with("FAILED SU ");
    std::string_view s = failed ? m.substr(10) : m;
    if (!s.starts_with("(to ")) return false;
    const size_t close = s.find(") ");
    if (close == std::string_view::npos) return false;
    r.set("event", std::string(failed ? "su_failed" : "su"));
    r.set("target_user", std::string(s.substr(4, close - 4)));
    std::string_view who = s.substr(close + 2);
    r.set("user", std::string(who.substr(0, who.rfind(" on "))));
    return true;
  }
  return false;
}

bool cron_event(std::string_view prog, std::string_view m, Record& r) {
  if (prog != "CRON" && prog != "cron" && prog != "crond" && prog != "CROND") return false;
  // "(root) CMD (command)"; the command may itself contain parentheses: take the last ')'.
  if (!m.starts_with('(')) return false;
  const size_t close = m.find(") CMD (");
  if (close == std::string_view::npos) return false;
  std::string_view cmd = m.substr(close + 7);
  if (cmd.ends_with(')')) cmd.remove_suffix(1);
  r.set("event", std::string("cron_cmd")).set("user", std::string(m.substr(1, close - 1)));
  r.set("command", std::string(cmd));
  return true;
}

bool contains_nocase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    bool ok = true;
    for (size_t j = 0; ok && j < needle.size(); ++j) {
      char c = hay[i + j];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      ok = c == needle[j];
    }
    if (ok) return true;
  }
  return false;
}

}  // namespace

void extract_event(std::string_view program, std::string_view message, Record& r) {
  const std::string_view prog = base_program(program);
  if ((prog == "sshd" || prog == "sshd-session") && sshd_event(message, r)) return;
  if (account_event(prog, message, r)) return;
  if (sudo_su_event(prog, message, r)) return;
  if (cron_event(prog, message, r)) return;
  // lrzsz (rz/sz) logs its transfers; terminals log "ZMODEM" when a transfer starts.
  if (prog == "rz" || prog == "sz" || prog == "lrz" || prog == "lsz" ||
      contains_nocase(message, "zmodem")) {
    r.set("event", std::string("zmodem"));
    if (!r.get("command")) r.set("command", std::string(message.substr(0, 1024)));
  }
}

}  // namespace deadbox::parsers
