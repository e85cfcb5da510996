// SPDX-License-Identifier: Apache-2.0
// The terminal summary after `examine`: counts by severity, the top findings with their first
// evidence line, and where to look next. Everything from the image is escaped.
#include <algorithm>

#include "deadbox/util/escape.hpp"
#include "examine/internal.hpp"

namespace deadbox::examine::detail {

void print_summary(std::ostream& err, const std::vector<checks::Finding>& findings,
                   const std::filesystem::path& case_dir,
                   const std::map<std::string, uint64_t>& counts) {
  using checks::Severity;
  err << "deadbox examine: " << findings.size() << " findings:";
  for (auto s : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow,
                 Severity::kInfo}) {
    const auto n = std::count_if(findings.begin(), findings.end(),
                                 [&](const checks::Finding& f) { return f.severity == s; });
    err << " " << checks::severity_name(s) << " " << n;
  }
  err << "\n";
  constexpr size_t kTop = 12;
  size_t shown = 0;
  for (const auto& f : findings) {
    if (f.severity < Severity::kMedium || shown++ >= kTop) break;
    err << "  [" << checks::severity_name(f.severity) << "] " << escape::terminal(f.check_id)
        << ": " << escape::terminal(f.message.substr(0, 160));
    if (!f.evidence.empty()) {
      const auto& e = f.evidence.front();
      err << "\n      " << escape::terminal(e.volume) << " " << escape::terminal(e.path);
      if (e.line != 0) err << ":" << e.line;
    }
    err << "\n";
  }
  if (auto it = counts.find("entries_walked"); it != counts.end())
    err << "Walked " << it->second << " filesystem entries";
  if (auto it = counts.find("artifact_files_extracted"); it != counts.end())
    err << ", extracted " << it->second << " artifact files";
  err << ".\nNext: open " << escape::terminal((case_dir / "report.html").string())
      << "; pivot in " << escape::terminal((case_dir / "timeline").string())
      << "/timeline.csv (or import timeline.jsonl into Timesketch); parsed tables in "
      << escape::terminal((case_dir / "records").string()) << "/.\n";
}

}  // namespace deadbox::examine::detail
