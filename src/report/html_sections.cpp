// SPDX-License-Identifier: Apache-2.0
// report.html sections. Tables are generic over record fields, so a new parser's records show
// up without report changes; row counts are capped so a hostile image cannot balloon the page.
#include <algorithm>
#include <array>
#include <set>
#include <variant>

#include "deadbox/util/time_format.hpp"
#include "report/html_writer.hpp"

namespace deadbox::report::detail {
namespace {

constexpr size_t kMaxRowsPerTable = 500;
constexpr size_t kMaxExcerpt = 400;
constexpr size_t kWrapAbove = 60;  ///< record cells longer than this wrap, shorter ones do not

std::string value_text(const parsers::Value& v) {
  struct {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(parsers::Timestamp t) const { return timefmt::iso_seconds(t.ns); }
  } visitor;
  return std::visit(visitor, v);
}

std::string cap(std::string_view s, size_t n) {
  if (s.size() <= n) return std::string(s);
  return std::string(s.substr(0, n)) + "…";
}

std::string sev_badge(checks::Severity s) {
  const std::string name(checks::severity_name(s));
  return "<span class=\"sev sev-" + name + "\">" + name + "</span>";
}

/// Tactic names of a technique from the ATT&CK data list ("Name|tactic,tactic").
std::pair<std::string, std::string> attack_info(const CaseData& d, const std::string& id) {
  auto it = d.attack.find(id);
  if (it == d.attack.end()) return {"", "other"};
  const auto bar = it->second.find('|');
  if (bar == std::string::npos) return {it->second, "other"};
  std::string tactics = it->second.substr(bar + 1);
  return {it->second.substr(0, bar), tactics.empty() ? "other" : tactics};
}

struct RecordGroup {
  std::string_view heading;
  std::vector<std::string_view> prefixes;
};

const RecordGroup kGroups[] = {
    {"Accounts", {"unix/passwd", "unix/group", "unix/shadow", "unix/gshadow"}},
    {"Logins", {"linux/log/wtmp", "linux/log/btmp", "linux/log/utmp", "linux/log/lastlog",
                "linux/log/syslog"}},
    {"Persistence inventory",
     {"unix/crontab", "unix/at_job", "linux/systemd_unit", "unix/ssh_authorized_key",
      "unix/shell_startup", "linux/ld_so_preload"}},
};

bool in_any_group(std::string_view type) {
  for (const auto& g : kGroups)
    for (auto p : g.prefixes)
      if (type.substr(0, p.size()) == p) return true;
  return false;
}

void record_table(std::ostream& out, const std::string& type,
                  const std::vector<parsers::Record>& records) {
  // Syslog holds every line; the analyst wants the security events here, all lines are in
  // records/*.jsonl.
  const bool events_only = type.find("syslog") != std::string::npos;
  std::vector<const parsers::Record*> rows;
  for (const auto& r : records) {
    if (events_only) {
      auto ev = r.str("event");
      if (!ev || ev->empty()) continue;
    }
    rows.push_back(&r);
  }
  if (rows.empty()) return;
  std::vector<std::string> columns{"path", "line"};
  std::set<std::string> seen;
  for (const auto* r : rows)
    for (const auto& [k, v] : r->fields)
      if (seen.insert(k).second) columns.push_back(k);
  std::vector<std::vector<std::string>> cells;
  for (size_t i = 0; i < rows.size() && i < kMaxRowsPerTable; ++i) {
    const auto* r = rows[i];
    std::vector<std::string> row{r->source->volume + ":" + r->source->path,
                                 std::to_string(r->line)};
    for (size_t c = 2; c < columns.size(); ++c) {
      const auto* v = r->get(columns[c]);
      row.push_back(v ? cap(value_text(*v), kMaxExcerpt) : "");
    }
    cells.push_back(std::move(row));
  }
  out << "<details" << (rows.size() <= 50 ? " open" : "") << "><summary>" << h(type) << " ("
      << rows.size() << (events_only ? " events" : " records") << ")</summary>\n";
  // Records have many short columns (utmp: ~20): cells stay on one line and the table scrolls
  // sideways in its own box; only long values (commands, keys, log lines) wrap.
  out << "<div class=\"scroll\"><table class=\"rec\"><tr>";
  for (const auto& c : columns) out << "<th>" << h(c) << "</th>";
  out << "</tr>\n";
  for (const auto& row : cells) {
    out << "<tr>";
    for (const auto& c : row)
      out << (c.size() > kWrapAbove ? "<td class=\"long\">" : "<td>") << h(c) << "</td>";
    out << "</tr>\n";
  }
  out << "</table></div>\n";
  if (rows.size() > kMaxRowsPerTable)
    out << "<p>" << rows.size() - kMaxRowsPerTable << " more rows in records/</p>";
  out << "</details>\n";
}

}  // namespace

void table(std::ostream& out, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows, std::string_view css_class) {
  out << "<table" << (css_class.empty() ? "" : " class=\"" + h(css_class) + "\"") << "><tr>";
  for (const auto& c : header) out << "<th>" << h(c) << "</th>";
  out << "</tr>\n";
  for (const auto& row : rows) {
    out << "<tr>";
    for (const auto& c : row) out << "<td>" << h(c) << "</td>";
    out << "</tr>\n";
  }
  out << "</table>\n";
}

void section_summary(std::ostream& out, const CaseData& d) {
  out << "<section id=\"summary\"><h2>Summary</h2>\n<p class=\"counts\">";
  for (auto s : {checks::Severity::kCritical, checks::Severity::kHigh, checks::Severity::kMedium,
                 checks::Severity::kLow, checks::Severity::kInfo}) {
    const auto n = std::count_if(d.findings.begin(), d.findings.end(),
                                 [&](const checks::Finding& f) { return f.severity == s; });
    out << "<span>" << sev_badge(s) << " " << n << "</span>";
  }
  out << "</p>\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& [k, v] : d.host) rows.push_back({k, v});
  if (!rows.empty()) table(out, {"Host fact", "Value"}, rows);
  out << "</section>\n";
}

void section_evidence(std::ostream& out, const CaseData& d) {
  out << "<section id=\"evidence\"><h2>Evidence and volumes</h2>\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : d.evidence) {
    std::string facts;
    // "; " and not a newline: cells are escaped, so a newline would show as "\x0a".
    for (const auto& [k, v] : e.facts) facts += (facts.empty() ? "" : "; ") + k + ": " + v;
    rows.push_back({e.files, e.format, std::to_string(e.size), facts});
  }
  table(out, {"Files", "Format", "Media bytes", "Facts"}, rows);
  rows.clear();
  for (const auto& v : d.volumes)
    rows.push_back({v.name, v.table, std::to_string(v.offset), std::to_string(v.length), v.type,
                    v.fs, v.label, v.uuid, v.mount_point, v.status});
  table(out,
        {"Volume", "Table", "Offset", "Length", "Type", "Filesystem", "Label", "UUID", "Mount",
         "Status"},
        rows);
  out << "</section>\n";
}

void section_findings(std::ostream& out, const CaseData& d) {
  out << "<section id=\"findings\"><h2>Findings (" << d.findings.size() << ")</h2>\n";
  if (d.findings.empty()) out << "<p>No findings.</p>\n";
  // By severity (the list is sorted that way), each labelled with its ATT&CK tactics.
  // A technique can serve several tactics: its findings count under each of them.
  std::map<std::string, std::array<size_t, 5>> by_tactic;  // tactic → count per severity
  for (const auto& f : d.findings) {
    const std::string tactics = attack_info(d, f.attack_id).second;
    for (size_t start = 0; start <= tactics.size();) {
      const size_t comma = std::min(tactics.find(',', start), tactics.size());
      if (comma > start)
        ++by_tactic[tactics.substr(start, comma - start)][static_cast<size_t>(f.severity)];
      start = comma + 1;
    }
  }
  if (!by_tactic.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [t, n] : by_tactic) {
      std::vector<std::string> row{t};
      for (size_t s = n.size(); s-- > 0;) row.push_back(n[s] == 0 ? "" : std::to_string(n[s]));
      rows.push_back(std::move(row));
    }
    out << "<h3>By ATT&amp;CK tactic</h3>\n";
    table(out, {"Tactic", "critical", "high", "medium", "low", "info"}, rows);
  }
  for (const auto& f : d.findings) {
    const std::string sev(checks::severity_name(f.severity));
    const auto [tech_name, tactics] = attack_info(d, f.attack_id);
    out << "<div class=\"finding " << sev << "\"><p>" << sev_badge(f.severity) << " <b>"
        << h(f.title) << "</b> <code>" << h(f.check_id) << "</code>";
    if (!f.attack_id.empty())
      out << " · ATT&amp;CK " << h(f.attack_id) << (tech_name.empty() ? "" : " " + h(tech_name))
          << " (" << h(tactics) << ")";
    out << "</p><p>" << h(f.message) << "</p>\n";
    for (const auto& e : f.evidence) {
      const std::string sys = e.path;
      out << "<p class=\"mono\">" << h(e.volume) << " ";
      auto link = d.extracted.find(sys);
      if (link != d.extracted.end())
        out << "<a href=\"" << safe_relative_href(link->second) << "\">" << h(sys) << "</a>";
      else
        out << h(sys);
      if (e.inode != 0) out << " inode " << e.inode;
      if (e.line != 0) out << " line " << e.line;
      for (const auto& [k, ns] : e.times) out << " · " << h(k) << " " << timefmt::iso_seconds(ns);
      out << "</p>\n";
      if (!e.excerpt.empty()) out << "<div class=\"excerpt\">" << h(cap(e.excerpt, 600)) << "</div>\n";
    }
    out << "</div>\n";
  }
  out << "</section>\n";
}

void section_window(std::ostream& out, const CaseData& d) {
  out << "<section id=\"window\"><h2>Incident window</h2>\n";
  if (d.window_start == d.window_end) {
    out << "<p>No high-severity evidence with a timestamp: no window.</p></section>\n";
    return;
  }
  out << "<p>" << timefmt::iso_seconds(d.window_start) << " to "
      << timefmt::iso_seconds(d.window_end) << " (" << d.window.size()
      << " events): one hour either side of the high and critical findings' evidence times, "
         "taking the cluster most of those findings share, so a single forged timestamp does "
         "not move it.</p>\n"
      << window_chart_svg(d.window, d.window_start, d.window_end);
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < d.window.size() && i < 2000; ++i) {
    const auto& e = d.window[i];
    rows.push_back({timefmt::iso_seconds(e.ns), e.source, e.what, e.volume, e.description});
  }
  table(out, {"Time (UTC)", "Source", "What", "Volume", "Description"}, rows, "window");
  if (d.window.size() > 2000) out << "<p>Table capped at 2000 events; see timeline/.</p>";
  out << "</section>\n";
}

void section_records(std::ostream& out, const CaseData& d) {
  out << "<section id=\"records\"><h2>Accounts, logins, persistence</h2>\n";
  if (d.records == nullptr) {
    out << "</section>\n";
    return;
  }
  const auto types = d.records->types();
  for (const auto& g : kGroups) {
    out << "<h3>" << h(g.heading) << "</h3>\n";
    for (const auto& t : types)
      for (auto p : g.prefixes)
        if (std::string_view(t).substr(0, p.size()) == p) record_table(out, t, d.records->of(t));
  }
  out << "<h3>Other records</h3>\n<ul>";
  for (const auto& t : types)
    if (!in_any_group(t))
      out << "<li>" << h(t) << ": " << d.records->of(t).size() << "</li>";
  out << "</ul></section>\n";
}

void section_coverage(std::ostream& out, const CaseData& d) {
  out << "<section id=\"coverage\"><h2>Coverage: what could not be read</h2>\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& [k, v] : d.counts) rows.push_back({k, std::to_string(v)});
  if (!rows.empty()) table(out, {"Counter", "Value"}, rows);
  if (d.diagnostics != nullptr) {
    rows.clear();
    for (const auto& [code, n] : d.diagnostics->counts()) rows.push_back({code, std::to_string(n)});
    out << "<h3>Diagnostics by kind</h3>";
    table(out, {"Code", "Count"}, rows);
    rows.clear();
    size_t shown = 0;
    for (const auto& e : d.diagnostics->entries()) {
      if (e.level < DiagLevel::kWarning) continue;
      if (++shown > kMaxRowsPerTable) break;
      rows.push_back({e.level == DiagLevel::kError ? "error" : "warning",
                      std::string(layer_name(e.layer)), e.code, e.volume, e.path,
                      e.inode ? std::to_string(e.inode) : "", e.message});
    }
    if (!rows.empty()) {
      out << "<details><summary>Warnings and errors</summary>";
      table(out, {"Level", "Layer", "Code", "Volume", "Path", "Inode", "Message"}, rows);
      out << "</details>";
    }
  }
  out << "</section>\n";
}

}  // namespace deadbox::report::detail
