// SPDX-License-Identifier: Apache-2.0
// Parsed records and findings as Timesketch events, so the JSONL timeline is one super-
// timeline (file times, log lines, logins, shell commands, findings). Every extra field is a
// string, so its type is stable across all events (OpenSearch mapping).
#include <algorithm>

#include "deadbox/checks/check.hpp"
#include "examine/internal.hpp"

namespace deadbox::examine::detail {
namespace {

std::string str(const parsers::Record& r, std::string_view field) {
  const auto v = r.str(field);
  return v ? std::string(*v) : std::string();
}

timeline::JsonlEvent base(const parsers::Record& r, int64_t ns, std::string data_type) {
  timeline::JsonlEvent e;
  e.ns = ns;
  e.data_type = std::move(data_type);
  e.extra.emplace_back("path", r.source->path);
  e.extra.emplace_back("volume", r.source->volume);
  e.extra.emplace_back("record_type", r.type);
  e.extra.emplace_back("record_line", static_cast<int64_t>(r.line));
  return e;
}

/// When a finding happened: its first_seen, else the latest time of its evidence (an mtime
/// can be forged back to 2013, the ctime of the same file cannot, and it is the later one).
std::optional<int64_t> first_time(const checks::Finding& f) {
  if (f.first_seen) return f.first_seen;
  std::optional<int64_t> latest;
  for (const auto& ev : f.evidence)
    for (const auto& [name, ns] : ev.times)
      if (!latest || ns > *latest) latest = ns;
  return latest;
}

void add_if(timeline::JsonlEvent& e, const parsers::Record& r, std::string_view field) {
  const std::string v = str(r, field);
  if (!v.empty()) e.extra.emplace_back(std::string(field), v);
}

}  // namespace

std::vector<timeline::JsonlEvent> record_events(const parsers::RecordStore& records) {
  std::vector<timeline::JsonlEvent> out;
  // Log lines with a recognised security event (all lines stay in records/*.jsonl).
  for (const auto& r : records.of("linux/log/syslog")) {
    const auto t = r.time("time");
    const std::string event = str(r, "event");
    if (!t || event.empty()) continue;
    auto e = base(r, *t, "deadbox:log:syslog");
    e.timestamp_desc = "Log Record Time";
    e.message = str(r, "line_text");
    if (e.message.empty()) e.message = str(r, "message");
    e.extra.emplace_back("event", event);
    for (auto f : {"user", "src_ip", "method", "program", "command"}) add_if(e, r, f);
    e.tags = {"deadbox-log"};
    out.push_back(std::move(e));
  }
  for (const auto& r : records.of("linux/log/utmp")) {
    const auto t = r.time("time");
    if (!t || r.line == 0) continue;  // line 0 is the whole-file summary record
    auto e = base(r, *t, "deadbox:log:utmp");
    e.timestamp_desc = str(r, "source_kind") == "btmp" ? "Failed Login Time" : "Login Record Time";
    e.message = str(r, "source_kind") + " " + str(r, "ut_type") + " user=" + str(r, "user") +
                " tty=" + str(r, "line") + " host=" + str(r, "host");
    e.extra.emplace_back("event", str(r, "ut_type"));
    for (auto f : {"user", "src_ip", "source_kind"}) add_if(e, r, f);
    e.tags = {"deadbox-login"};
    out.push_back(std::move(e));
  }
  for (const auto& r : records.of("unix/shell_history")) {
    const auto t = r.time("time");
    if (!t) continue;
    auto e = base(r, *t, "deadbox:shell:history");
    e.timestamp_desc = "Last Time Executed";
    e.message = str(r, "command");
    for (auto f : {"user", "shell"}) add_if(e, r, f);
    e.tags = {"deadbox-history"};
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.ns < b.ns; });
  return out;
}

std::vector<timeline::JsonlEvent> finding_events(const std::vector<checks::Finding>& findings) {
  std::vector<timeline::JsonlEvent> out;
  for (const auto& f : findings) {
    const auto t = first_time(f);
    if (!t) continue;
    timeline::JsonlEvent e;
    e.ns = *t;
    e.timestamp_desc = "Finding Evidence Time";
    e.data_type = "deadbox:finding";
    e.message = std::string(checks::severity_name(f.severity)) + ": " + f.title + ": " + f.message;
    e.extra.emplace_back("rule_id", f.check_id);
    e.extra.emplace_back("level", std::string(checks::severity_name(f.severity)));
    e.extra.emplace_back("attack_technique_id", f.attack_id);
    if (!f.evidence.empty()) {
      e.extra.emplace_back("path", f.evidence.front().path);
      e.extra.emplace_back("volume", f.evidence.front().volume);
    }
    e.tags = {"deadbox-finding", std::string(checks::severity_name(f.severity))};
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace deadbox::examine::detail
