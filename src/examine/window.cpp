// SPDX-License-Identifier: Apache-2.0
// The incident window: everything that happened within ±1 h of the main cluster of high-
// severity evidence. File events come from re-reading our own bodyfile (streaming, no second
// walk of the image); log events and findings from memory.
#include <algorithm>
#include <array>
#include <fstream>
#include <set>

#include "deadbox/util/time_format.hpp"
#include "examine/internal.hpp"

namespace deadbox::examine::detail {
namespace {

/// Splits a bodyfile line from both ends: names may contain '|' (fls writes them raw), the
/// other ten fields cannot. Returns false for malformed lines.
bool split_bodyfile(const std::string& line, std::string& name, std::array<int64_t, 4>& times) {
  size_t end = line.size();
  std::array<std::string_view, 9> tail;  // inode … crtime, right to left
  for (size_t i = 0; i < tail.size(); ++i) {
    const size_t bar = line.rfind('|', end - 1);
    if (bar == std::string::npos || bar == 0) return false;
    tail[i] = std::string_view(line).substr(bar + 1, end - bar - 1);
    end = bar;
  }
  const size_t first = line.find('|');
  if (first == std::string::npos || first >= end) return false;
  name = line.substr(first + 1, end - first - 1);
  // tail[0] crtime, [1] ctime, [2] mtime, [3] atime
  for (size_t i = 0; i < 4; ++i) {
    int64_t v = 0;
    for (char c : tail[i]) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    times[i] = v;
  }
  return true;
}

}  // namespace

std::optional<Span> incident_span(const std::vector<checks::Finding>& findings,
                                  checks::Severity at_least, int64_t gap) {
  std::vector<std::pair<int64_t, size_t>> points;  // (time, finding index)
  for (size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    if (f.severity < at_least) continue;
    for (const auto& t : {f.first_seen, f.last_seen})
      if (t) points.emplace_back(*t, i);
    for (const auto& ev : f.evidence)
      for (const auto& [kind, ns] : ev.times) points.emplace_back(ns, i);
  }
  if (points.empty()) return std::nullopt;
  std::sort(points.begin(), points.end());
  std::optional<Span> best;
  size_t best_findings = 0;
  for (size_t a = 0; a < points.size();) {
    size_t b = a + 1;
    while (b < points.size() && points[b].first - points[b - 1].first <= gap) ++b;
    std::set<size_t> touched;
    for (size_t k = a; k < b; ++k) touched.insert(points[k].second);
    if (touched.size() > best_findings) {  // strictly more: the earliest cluster wins ties
      best_findings = touched.size();
      best = Span{points[a].first, points[b - 1].first};
    }
    a = b;
  }
  return best;
}

std::vector<report::WindowEvent> window_events(const std::filesystem::path& bodyfile,
                                               const std::vector<timeline::JsonlEvent>& logs,
                                               const std::vector<checks::Finding>& findings,
                                               int64_t start, int64_t end, size_t cap) {
  std::vector<report::WindowEvent> out;
  const int64_t s_start = timefmt::seconds_of(start), s_end = timefmt::seconds_of(end);
  std::ifstream in(bodyfile, std::ios::binary);
  std::string line, name;
  std::array<int64_t, 4> t{};  // crtime, ctime, mtime, atime
  while (std::getline(in, line)) {
    if (!split_bodyfile(line, name, t)) continue;
    // One row per distinct second with its macb letters, as mactime groups them.
    const std::array<std::pair<int64_t, char>, 4> stamps{
        {{t[2], 'm'}, {t[3], 'a'}, {t[1], 'c'}, {t[0], 'b'}}};
    for (const auto& [sec, letter] : stamps) {
      if (sec == 0 || sec < s_start || sec > s_end) continue;
      std::string macb = "....";
      for (size_t i = 0; i < stamps.size(); ++i)
        if (stamps[i].first == sec) macb[i] = stamps[i].second;
      const bool first_of_value =
          std::find_if(stamps.begin(), stamps.end(), [&, s = sec](const auto& p) {
            return p.first == s;
          })->second == letter;
      if (!first_of_value) continue;
      out.push_back({sec * timefmt::kNsPerSec, "fs", macb, name, ""});
    }
  }
  for (const auto& e : logs) {
    if (e.ns < start || e.ns > end) continue;
    std::string what = e.data_type, volume;
    for (const auto& [k, v] : e.extra) {
      if (k == "event") what = std::get<std::string>(v);
      if (k == "volume") volume = std::get<std::string>(v);
    }
    out.push_back({e.ns, "log", what, e.message, volume});
  }
  for (const auto& f : findings) {
    for (const auto& ev : f.evidence)
      for (const auto& [kind, ns] : ev.times)
        if (ns >= start && ns <= end)
          out.push_back({ns, "finding", std::string(checks::severity_name(f.severity)),
                         f.check_id + ": " + ev.path + " (" + kind + ")", ev.volume});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.ns, a.source, a.description) < std::tie(b.ns, b.source, b.description);
  });
  if (out.size() > cap) out.resize(cap);
  return out;
}

}  // namespace deadbox::examine::detail
