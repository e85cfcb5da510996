// SPDX-License-Identifier: Apache-2.0
// linux/log/syslog: text logs written by syslog daemons (auth.log, secure, messages, syslog,
// cron, rotated copies): BSD "Mon dd hh:mm:ss host tag: msg" (RFC 3164), ISO-8601 stamped
// (rsyslog high precision) and RFC 5424 lines, with sshd/useradd/sudo/cron events extracted.
// Ref: https://www.rfc-editor.org/rfc/rfc3164, https://www.rfc-editor.org/rfc/rfc5424
#include <array>
#include <vector>

#include "deadbox/parsers/parser.hpp"
#include "deadbox/util/time_format.hpp"
#include "parsers/line_reader.hpp"
#include "parsers/syslog_events.hpp"

namespace deadbox::parsers {
namespace {

constexpr int64_t kNs = 1'000'000'000;

struct Entry {
  uint64_t number = 0;
  std::string_view raw;
  std::string_view format;  // "bsd", "iso", "rfc5424"
  int month = 0;            // bsd: 1..12
  int day = 0, hh = 0, mm = 0, ss = 0;
  int64_t frac_ns = 0;
  std::optional<int64_t> abs_ns;  // iso/rfc5424, or bsd once the year is known
  std::string_view host, program, message;
  std::optional<int64_t> pid;
};

struct Civil {
  int64_t y;
  unsigned m, d;
};

// Howard Hinnant's civil_from_days (inverse of timefmt::days_from_civil).
Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

Civil civil_of_ns(int64_t ns) {
  int64_t days = timefmt::seconds_of(ns);
  days = days >= 0 ? days / 86400 : (days - 86399) / 86400;
  return civil_from_days(days);
}

bool two_digits(std::string_view s, size_t at, int& out) {
  if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9')
    return false;
  out = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return true;
}

std::string_view next_token(std::string_view& s) {
  const size_t sp = s.find(' ');
  std::string_view tok = s.substr(0, sp);
  s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
  return tok;
}

// "prog[pid]: msg" or "prog: msg"; lines without a tag keep everything as the message.
void split_tag(std::string_view s, Entry& e) {
  const size_t sp = s.find(' ');
  const std::string_view tok = s.substr(0, sp);
  if (tok.size() < 2 || tok.back() != ':') {
    e.message = s;
    return;
  }
  std::string_view tag = tok.substr(0, tok.size() - 1);
  const size_t br = tag.find('[');
  if (br != std::string_view::npos && tag.back() == ']') {
    e.pid = parse_int(tag.substr(br + 1, tag.size() - br - 2), 0, 4294967295);
    tag = tag.substr(0, br);
  }
  e.program = tag;
  e.message = sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
}

bool parse_bsd(std::string_view s, Entry& e) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() < 16) return false;
  int month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i)
    if (s.substr(0, 3) == kMonths[i]) month = static_cast<int>(i) + 1;
  if (month == 0 || s[3] != ' ') return false;
  // Day is space-padded ("Jul  1") or, from some daemons, zero-padded or unpadded.
  size_t p = 4;
  if (s[p] == ' ') ++p;
  int day = 0;
  while (p < s.size() && s[p] >= '0' && s[p] <= '9' && day < 100) day = day * 10 + (s[p++] - '0');
  if (day < 1 || day > 31 || p >= s.size() || s[p] != ' ') return false;
  ++p;
  int hh, mm, ss;
  if (!two_digits(s, p, hh) || !two_digits(s, p + 3, mm) || !two_digits(s, p + 6, ss) ||
      s.size() < p + 8 || s[p + 2] != ':' || s[p + 5] != ':' || hh > 23 || mm > 59 || ss > 60)
    return false;
  p += 8;
  if (p < s.size() && s[p] == '.') {  // sub-second digits (rare in BSD form)
    int64_t scale = kNs / 10;
    ++p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      e.frac_ns += (s[p++] - '0') * scale;
      scale /= 10;
    }
  }
  if (p >= s.size() || s[p] != ' ') return false;
  std::string_view rest = s.substr(p + 1);
  e.format = "bsd";
  e.month = month;
  e.day = day;
  e.hh = hh;
  e.mm = mm;
  e.ss = ss;
  e.host = next_token(rest);
  split_tag(rest, e);
  return true;
}

bool parse_iso(std::string_view s, Entry& e) {
  if (s.size() < 20 || s[4] != '-' || s[10] != 'T') return false;
  std::string_view rest = s;
  const std::string_view stamp = next_token(rest);
  const auto ns = timefmt::parse_iso(stamp);
  if (!ns) return false;
  e.format = "iso";
  e.abs_ns = ns;
  e.host = next_token(rest);
  split_tag(rest, e);
  return true;
}

// "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG"; "-" is the nil value.
bool parse_rfc5424(std::string_view s, Entry& e) {
  if (!s.starts_with('<')) return false;
  const size_t gt = s.find('>');
  if (gt == std::string_view::npos || gt > 4 || !parse_int(s.substr(1, gt - 1), 0, 191))
    return false;
  std::string_view rest = s.substr(gt + 1);
  if (!rest.starts_with("1 ")) return false;
  rest.remove_prefix(2);
  const std::string_view stamp = next_token(rest);
  if (stamp != "-") {
    e.abs_ns = timefmt::parse_iso(stamp);
    if (!e.abs_ns) return false;
  }
  auto nil = [](std::string_view v) { return v == "-" ? std::string_view{} : v; };
  e.format = "rfc5424";
  e.host = nil(next_token(rest));
  e.program = nil(next_token(rest));
  e.pid = parse_int(next_token(rest), 0, 4294967295);
  next_token(rest);  // MSGID
  // Structured data: "-" or "[id k="v" …]…"; quoted values may hold escaped \] and \".
  if (rest.starts_with('-')) {
    rest.remove_prefix(rest.size() > 1 ? 2 : 1);
  } else {
    size_t i = 0;
    bool in_quote = false;
    while (i < rest.size() && rest[i] == '[') {
      for (++i; i < rest.size(); ++i) {
        if (rest[i] == '\\') {
          ++i;
        } else if (rest[i] == '"') {
          in_quote = !in_quote;
        } else if (rest[i] == ']' && !in_quote) {
          ++i;
          break;
        }
      }
    }
    rest = i < rest.size() ? rest.substr(i + (rest[i] == ' ' ? 1 : 0)) : std::string_view{};
  }
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // BOM before MSG (§6.4)
  e.message = rest;
  return true;
}

bool parse_line(std::string_view s, Entry& e) {
  if (parse_rfc5424(s, e)) return true;
  // Some daemons keep the BSD "<PRI>" prefix in files.
  if (s.starts_with('<')) {
    const size_t gt = s.find('>');
    if (gt != std::string_view::npos && gt <= 4) s.remove_prefix(gt + 1);
  }
  return parse_iso(s, e) || parse_bsd(s, e);
}

// Year inference for BSD lines, which carry no year. A log is written in time order and its
// last line cannot be later than the file's mtime, so the walk starts at the end with the
// mtime's year and moves backwards; whenever the month grows going backwards (Jan → Dec),
// the previous year began. A line with a full timestamp (ISO/RFC 5424 in a mixed file) resets
// the reference. Month granularity keeps a rotated file's stray out-of-order line from
// shifting a whole year; a log spanning more than 12 months without a line is unknowable.
void infer_years(std::vector<Entry>& entries, std::optional<int64_t> mtime, bool& unknown) {
  std::optional<Civil> ref;
  if (mtime) ref = civil_of_ns(*mtime);
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->format != "bsd") {
      if (it->abs_ns) ref = civil_of_ns(*it->abs_ns);
      continue;
    }
    if (!ref) {
      unknown = true;
      continue;
    }
    int64_t year = ref->y;
    if (static_cast<unsigned>(it->month) > ref->m) --year;
    const int64_t days = timefmt::days_from_civil(year, it->month, it->day);
    it->abs_ns = (days * 86400 + it->hh * 3600 + it->mm * 60 + it->ss) * kNs + it->frac_ns;
    ref = Civil{year, static_cast<unsigned>(it->month), static_cast<unsigned>(it->day)};
  }
}

constexpr Field kFields[] = {
    {"time", FieldType::kTimestamp, "Line time (BSD lines: year inferred, see description)"},
    {"time_format", FieldType::kString, "bsd, iso or rfc5424"},
    {"hostname", FieldType::kString, "Host field"},
    {"program", FieldType::kString, "Tag / APP-NAME (sshd, CRON, useradd…)"},
    {"pid", FieldType::kInt, "Process id from the tag"},
    {"message", FieldType::kString, "Message text (for 'message repeated' lines: the inner one)"},
    {"repeat", FieldType::kInt, "N of rsyslog's 'message repeated N times' (1 otherwise)"},
    {"line_text", FieldType::kString, "The raw line, capped at 1 KiB (finding excerpts)"},
    {"event", FieldType::kString,
     "ssh_accepted, ssh_failed, ssh_invalid_user, user_added, user_deleted, group_added, "
     "group_removed, shadow_removed, group_member_added, password_changed, sudo, sudo_failed, "
     "su, su_failed, cron_cmd, zmodem"},
    {"user", FieldType::kString, "Account the event is about (as logged: may be hostile)"},
    {"target_user", FieldType::kString, "sudo/su: the account switched to"},
    {"src_ip", FieldType::kString, "Remote address (sshd)"},
    {"src_port", FieldType::kInt, "Remote port (sshd)"},
    {"method", FieldType::kString, "sshd auth method: password, publickey, …"},
    {"invalid_user", FieldType::kBool, "sshd: the user name does not exist"},
    {"command", FieldType::kString, "sudo COMMAND=, cron CMD, or the ZMODEM line"},
    {"uid", FieldType::kInt, "useradd: UID of the new account"},
    {"shell", FieldType::kString, "useradd: shell of the new account"},
    {"group", FieldType::kString, "Group the event is about"},
};

void emit(const Entry& e, const std::shared_ptr<const Source>& source, RecordSink& out) {
  Record r = make_record("linux/log/syslog", source, e.number);
  if (e.abs_ns) r.set("time", Timestamp{*e.abs_ns});
  r.set("time_format", std::string(e.format)).set("hostname", std::string(e.host));
  r.set("program", std::string(e.program));
  if (e.pid) r.set("pid", *e.pid);
  std::string_view msg = e.message;
  int64_t repeat = 1;
  // rsyslog folds identical lines: "message repeated 5 times: [ Failed password for …]".
  // Brute-force counts need the 5, and the inner message is the event.
  if (msg.starts_with("message repeated ")) {
    std::string_view rest = msg.substr(17);
    const size_t sp = rest.find(' ');
    const auto n = parse_int(rest.substr(0, sp), 1, 1'000'000'000);
    const size_t open = msg.find(": [ ");
    if (n && open != std::string_view::npos) {
      repeat = *n;
      msg = msg.substr(open + 4);
      if (msg.ends_with(']')) msg.remove_suffix(1);
    }
  }
  r.set("message", std::string(msg)).set("repeat", repeat);
  r.set("line_text", cap_text(e.raw));
  extract_event(e.program, msg, r);
  out.add(std::move(r));
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& source, RecordSink& out,
           Diagnostics& diag) {
  LineReader reader(bytes);
  Line line;
  std::vector<Entry> entries;
  uint64_t unparsed = 0, first_unparsed = 0;
  while (reader.next(line)) {
    if (line.text.empty()) continue;
    Entry e;
    e.number = line.number;
    e.raw = line.text;
    if (!parse_line(line.text, e)) {
      if (unparsed++ == 0) first_unparsed = line.number;
      continue;
    }
    entries.push_back(e);
  }
  bool unknown_year = false;
  infer_years(entries, source->mtime, unknown_year);
  if (unknown_year)
    diag_at(diag, *source, "year_unknown",
            "BSD timestamps without a year and no file mtime: times left empty");
  if (unparsed > 0)
    diag_at(diag, *source, "unparsed_lines",
            std::to_string(unparsed) + " line(s) not in a syslog format, first at line " +
                std::to_string(first_unparsed),
            0, DiagLevel::kInfo);
  report_truncations(reader, *source, diag);
  for (const Entry& e : entries) emit(e, source, out);
}

}  // namespace

extern const Parser kSyslogParser{
    .id = "linux/log/syslog",
    .description =
        "syslog-style text logs (auth.log, secure, messages, syslog, cron, rotated and "
        "decompressed copies) in BSD, ISO-8601 and RFC 5424 forms. BSD lines carry no year: it "
        "is inferred from the file's mtime, walking backwards and stepping back a year whenever "
        "the month grows (Dec before Jan). sshd logins, useradd/userdel/groupdel, sudo, su, "
        "cron CMD and ZMODEM lines get an event and its fields.",
    // LinuxCronLogs is /var/log/cron.log*; Red Hat writes /var/log/cron* (LinuxCronDaemonLogFiles).
    .artifacts = {"LinuxAuthLogs", "LinuxSysLogFiles", "LinuxMessagesLogFiles", "LinuxCronLogs",
                  "LinuxCronDaemonLogFiles"},
    .fields = kFields,
    .parse = &parse,
    .references = {"https://www.rfc-editor.org/rfc/rfc3164",
                   "https://www.rfc-editor.org/rfc/rfc5424", "https://man.openbsd.org/sshd.8"},
};

}  // namespace deadbox::parsers
