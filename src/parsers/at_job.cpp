// SPDX-License-Identifier: Apache-2.0
// unix/at_job: at(1) spool files (/var/spool/cron/atjobs/*, /var/spool/at/*). atd writes a
// /bin/sh script: a preamble (uid/mail comments, umask, exported environment, cd || exit)
// then the user's commands, in newer versions inside a `${SHELL:-/bin/sh} << 'DELIM'` here-doc.
// Ref: at(1), atd(8); Debian at 3.2 atd.c/at.c (script layout).
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

using text::trim;

constexpr Field kFields[] = {
    {"kind", FieldType::kString, "command (one per user command line)"},
    {"user", FieldType::kString, "owner from the '# mail <user>' header"},
    {"uid", FieldType::kInt, "owner uid from the '# atrun uid=' header"},
    {"command", FieldType::kString, "one command line of the job body"},
    {"time", FieldType::kTimestamp, "scheduled run time, from the job file name"},
    {"line", FieldType::kString, "the raw line"},
    {"redis_rdb", FieldType::kBool, "the file starts with a Redis RDB header"},
};

// Debian/Red Hat atd name jobs <queue><5 hex job no.><8 hex minutes since the epoch>.
std::optional<int64_t> time_from_name(std::string_view name) {
  if (name.size() != 14) return std::nullopt;
  int64_t minutes = 0;
  for (char c : name.substr(6)) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return std::nullopt;
    minutes = minutes * 16 + d;
  }
  return minutes * 60 * 1'000'000'000LL;
}

bool is_preamble(std::string_view l) {
  // "VAR=value; export VAR", "umask 22", "cd /dir || {", the cd error block.
  if (l.starts_with("umask ") || l.starts_with("cd ") || l == "}" || l == "exit 1" ||
      l.starts_with("echo 'Execution directory inaccessible'"))
    return true;
  const auto eq = l.find('=');
  return eq != std::string_view::npos && l.find("; export ") != std::string_view::npos;
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  const bool redis = text::has_redis_header(bytes);
  std::string user;
  std::optional<int64_t> uid;
  const auto when = time_from_name(text::basename(src->path));
  std::string delimiter;  // set while inside the here-doc body
  bool in_heredoc_mode = bytes.find("<< '") != std::string_view::npos;
  bool body_done = false;
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    const std::string_view l = trim(raw);
    if (body_done) return;
    if (l.starts_with("# atrun uid=")) {
      int64_t v = 0;
      bool any = false;
      for (char c : l.substr(12)) {
        if (c < '0' || c > '9' || v > 1'000'000'000) break;
        v = v * 10 + (c - '0');
        any = true;
      }
      if (any) uid = v;
      return;
    }
    if (l.starts_with("# mail ")) {
      const auto parts = text::split_ws(l.substr(7));
      if (!parts.empty()) user = std::string(parts[0]);
      return;
    }
    if (l.empty() || l[0] == '#') return;
    if (in_heredoc_mode) {
      if (delimiter.empty()) {
        const auto p = l.find("<< '");
        if (p != std::string_view::npos) {
          const auto rest = l.substr(p + 4);
          const auto q = rest.find('\'');
          delimiter = std::string(rest.substr(0, q));
          if (delimiter.empty()) in_heredoc_mode = false;
        }
        return;
      }
      if (l == delimiter) {
        body_done = true;
        return;
      }
    } else if (is_preamble(l)) {
      return;
    }
    Record r = text::make_record("unix/at_job", src, n);
    r.set("kind", std::string("command")).set("command", std::string(l));
    r.set("line", std::string(raw));
    if (!user.empty()) r.set("user", user);
    if (uid) r.set("uid", *uid);
    if (when) r.set("time", Timestamp{*when});
    if (redis) r.set("redis_rdb", true);
    out.add(std::move(r));
  });
  if (in_heredoc_mode && !delimiter.empty() && !body_done)
    diag.add(DiagLevel::kWarning, Layer::kParser, "at_unterminated",
             "here-doc delimiter never closed; body taken to end of file", src->volume,
             src->path, src->inode);
}

}  // namespace

extern const Parser kAtJobParser{
    "unix/at_job",
    "at(1) job scripts: the user's command lines after atd's environment preamble, with the "
    "owner and the scheduled time from the job file name.",
    {"LinuxAtJobs"},
    kFields,
    &parse,
    {"https://man7.org/linux/man-pages/man1/at.1p.html"}};

}  // namespace deadbox::parsers
