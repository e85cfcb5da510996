// SPDX-License-Identifier: Apache-2.0
// unix/crontab: system crontabs (/etc/crontab, /etc/cron.d/*: user field), per-user spools
// (/var/spool/cron/<user>, /var/spool/cron/crontabs/<user>: user = file name) and anacrontab.
// Refs: https://man7.org/linux/man-pages/man5/crontab.5.html, anacrontab(5).
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

using text::trim;

constexpr Field kFields[] = {
    {"kind", FieldType::kString, "job, env, anacron, or file (whole-file facts)"},
    {"schedule", FieldType::kString, "five time fields, @reboot/@daily…, or anacron period"},
    {"user", FieldType::kString, "account the job runs as"},
    {"command", FieldType::kString, "command text as cron passes it to the shell"},
    {"name", FieldType::kString, "variable name (kind env)"},
    {"value", FieldType::kString, "variable value (kind env)"},
    {"job_id", FieldType::kString, "anacron job identifier"},
    {"line", FieldType::kString, "the raw line"},
    {"redis_rdb", FieldType::kBool, "the file starts with a Redis RDB header (REDIS00…)"},
};

enum class Flavor { kSystem, kUser, kAnacron };

Flavor flavor_of(const Source& src) {
  const std::string_view path = src.path;
  if (text::basename(path) == "anacrontab" || src.artifact == "AnacronFiles")
    return Flavor::kAnacron;
  if (path.starts_with("/var/spool/cron/") || path.starts_with("/var/cron/tabs/"))
    return Flavor::kUser;
  return Flavor::kSystem;
}

bool is_special(std::string_view s) {
  for (std::string_view k : {"@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily",
                             "@midnight", "@hourly"})
    if (s == k) return true;
  return false;
}

// Each of the five time fields: digits, names (jan, mon), and * , - /.
bool is_time_field(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '*' || c == ',' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

// NAME=value (cron and anacron both accept env lines; spaces around '=' allowed).
bool parse_env(std::string_view line, std::string_view& name, std::string_view& value) {
  const auto eq = line.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  name = trim(line.substr(0, eq));
  if (name.empty()) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          c == '_'))
      return false;
  if (name[0] >= '0' && name[0] <= '9') return false;
  value = text::unquote(trim(line.substr(eq + 1)));
  return true;
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  const Flavor flavor = flavor_of(*src);
  const bool redis = text::has_redis_header(bytes);
  const std::string file_user = flavor == Flavor::kUser ? std::string(text::basename(src->path))
                                                        : std::string();
  uint64_t skipped_binary = 0;
  auto emit = [&](Record r) {
    if (redis) r.set("redis_rdb", true);
    out.add(std::move(r));
  };
  if (redis) {
    // One whole-file record so the Redis write is visible even when no job survived.
    Record r = text::make_record("unix/crontab", src, 0);
    r.set("kind", std::string("file"));
    emit(std::move(r));
  }
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    const std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#') return;
    auto bad = [&](std::string_view why) {
      // Inside an RDB dump most "lines" are binary framing, not crontab syntax.
      if (redis)
        ++skipped_binary;
      else
        text::bad_line(diag, *src, "bad_crontab_line", n, why);
    };
    std::string_view name, value;
    const bool starts_time = is_special(text::split_ws(line, 2)[0]) || line[0] == '*' ||
                             (line[0] >= '0' && line[0] <= '9');
    if (!starts_time && parse_env(line, name, value)) {
      Record r = text::make_record("unix/crontab", src, n);
      r.set("kind", std::string("env")).set("name", std::string(name));
      r.set("value", std::string(value)).set("line", std::string(raw));
      emit(std::move(r));
      return;
    }
    Record r = text::make_record("unix/crontab", src, n);
    r.set("line", std::string(raw));
    if (flavor == Flavor::kAnacron) {
      // period delay job-identifier command
      const auto parts = text::split_ws(line, 4);
      if (parts.size() < 4) return bad("anacron line needs period, delay, job id, command");
      r.set("kind", std::string("anacron")).set("schedule", std::string(parts[0]));
      r.set("job_id", std::string(parts[2])).set("user", std::string("root"));
      r.set("command", std::string(parts[3]));
      return emit(std::move(r));
    }
    const bool has_user = flavor == Flavor::kSystem;
    std::vector<std::string_view> parts;
    std::string schedule;
    if (line[0] == '@') {
      parts = text::split_ws(line, has_user ? 3 : 2);
      if (!is_special(parts[0])) return bad("unknown @ schedule");
      schedule = std::string(parts[0]);
      parts.erase(parts.begin());
    } else {
      parts = text::split_ws(line, has_user ? 7 : 6);
      if (parts.size() < 6) return bad("too few fields");
      for (int i = 0; i < 5; ++i)
        if (!is_time_field(parts[i])) return bad("bad time field");
      schedule = std::string(line.substr(0, parts[4].data() + parts[4].size() - line.data()));
      parts.erase(parts.begin(), parts.begin() + 5);
    }
    if (parts.size() < (has_user ? 2u : 1u)) return bad("missing command");
    r.set("kind", std::string("job")).set("schedule", schedule);
    r.set("user", has_user ? std::string(parts[0]) : file_user);
    r.set("command", std::string(parts[has_user ? 1 : 0]));
    emit(std::move(r));
  });
  if (skipped_binary > 0)
    diag.add(DiagLevel::kInfo, Layer::kParser, "redis_framing",
             std::to_string(skipped_binary) + " non-crontab line(s) of Redis RDB framing skipped",
             src->volume, src->path, src->inode);
}

}  // namespace

extern const Parser kCrontabParser{
    "unix/crontab",
    "Cron tables: system (/etc/crontab, /etc/cron.d) with a user field, per-user spools "
    "(user = file name), anacrontab; environment lines; Redis-written files flagged.",
    {"LinuxCronTabs", "AnacronFiles"},
    kFields,
    &parse,
    {"https://man7.org/linux/man-pages/man5/crontab.5.html",
     "https://man7.org/linux/man-pages/man5/anacrontab.5.html"}};

}  // namespace deadbox::parsers
