// SPDX-License-Identifier: Apache-2.0
// `deadbox check IMAGE... [--json] [-o DIR] [--min-severity L] [--fail-on L]`: inventory →
// knowledge lists → collect (records) → checks → terminal summary or JSON lines, and with -o
// the record tables and findings.jsonl in a fresh folder.
#include <iostream>

#include "cli/commands.hpp"
#include "deadbox/util/error.hpp"

#if DEADBOX_HAVE_INVENTORY
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "deadbox/checks/check.hpp"
#include "deadbox/checks/knowledge.hpp"
#include "deadbox/collect/collect.hpp"
#include "deadbox/collect/output.hpp"
#include "deadbox/inventory/inventory.hpp"
#include "deadbox/util/escape.hpp"
#endif

namespace deadbox::cli {

#if !DEADBOX_HAVE_INVENTORY
// Build transition only: src/inventory (inventory::open) has not landed yet, and the real
// command below needs it. src/cli/CMakeLists.txt defines DEADBOX_HAVE_INVENTORY once it exists.
int run_check(const CheckOptions&) {
  std::cerr << "deadbox check: this build has no inventory layer (src/inventory)\n";
  return kExitInternal;
}
#else
namespace {

checks::Severity severity_option(const std::string& value, const char* option) {
  const auto s = checks::parse_severity(value);
  if (!s)
    throw Error(
        Layer::kCli, "usage", option,
        "unknown severity '" + escape::terminal(value) + "' (info, low, medium, high, critical)");
  return *s;
}

// The output folder must be new or empty: findings from two runs must never mix, and nothing
// in an existing folder is overwritten (mkdir, never follow or reuse).
void prepare_output(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0) return;
  std::error_code ec;
  if (errno == EEXIST && std::filesystem::is_directory(dir, ec) &&
      !std::filesystem::is_symlink(dir, ec) && std::filesystem::is_empty(dir, ec) && !ec)
    return;
  throw Error(Layer::kCli, "output_exists", escape::terminal(dir),
              "output folder exists and is not empty (or cannot be created)");
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

/// Counts, then (unless the findings already went to stdout as JSON) one block per finding.
void print_summary(const std::vector<checks::Finding>& findings, checks::Severity min,
                   const Diagnostics& diag, std::ostream& out, bool list_findings = true) {
  std::map<checks::Severity, size_t> counts;
  for (const auto& f : findings) ++counts[f.severity];
  out << "deadbox check: " << findings.size() << " finding" << (findings.size() == 1 ? "" : "s");
  const char* sep = " (";
  for (auto s : {checks::Severity::kCritical, checks::Severity::kHigh, checks::Severity::kMedium,
                 checks::Severity::kLow, checks::Severity::kInfo}) {
    out << sep << checks::severity_name(s) << " " << counts[s];
    sep = ", ";
  }
  out << ")\n";
  for (const auto& f : findings) {
    if (!list_findings || f.severity < min) continue;
    std::string sev = upper(checks::severity_name(f.severity));
    sev.resize(8, ' ');
    out << sev << " " << f.check_id << "  " << escape::terminal(f.message) << "\n";
    if (!f.evidence.empty()) {
      const auto& e = f.evidence.front();
      out << "         at " << escape::terminal(e.volume) << ":" << escape::terminal(e.path);
      if (e.line > 0) out << ":" << e.line;
      if (f.evidence.size() > 1) out << " (+" << f.evidence.size() - 1 << " more)";
      out << "\n";
    }
  }
  const size_t errors = diag.count(DiagLevel::kError), warnings = diag.count(DiagLevel::kWarning);
  if (errors + warnings > 0)
    out << "diagnostics: " << errors << " errors, " << warnings - errors
        << " warnings (see -o DIR for the records)\n";
}

}  // namespace

int run_check(const CheckOptions& o) {
  const auto min = severity_option(o.min_severity, "--min-severity");
  const auto fail_on = severity_option(o.fail_on, "--fail-on");
  if (!o.output.empty()) prepare_output(o.output);

  inventory::Options iopts;
  iopts.open.qcow_parent = o.common.qcow_parent;
  inventory::Inventory inv = inventory::open(o.common.images, iopts);
  const int inv_code = inv.exit_code();
  if (inv_code == kExitEvidenceUnreadable || inv_code == kExitNeedsParent) {
    for (const auto& e : inv.evidence)
      if (!e.error.empty()) std::cerr << "deadbox: " << escape::terminal(e.error) << "\n";
    return inv_code;
  }
  const checks::Knowledge knowledge = checks::Knowledge::load(o.common.artifacts_dir);
  collect::Options copts;
  copts.knowledge = &knowledge;
  parsers::RecordStore records;
  Diagnostics diag;
  diag.merge(inv.diag);
  collect::run(inv, o.common.artifacts_dir, {}, copts, records, diag);
  const std::vector<checks::Finding> findings = checks::run_all(records, knowledge, diag);

  if (!o.output.empty()) {
    collect::write_records_jsonl(records, o.output);
    const auto path = std::filesystem::path(o.output) / "findings.jsonl";
    std::ofstream f(path, std::ios::binary);
    collect::write_findings_jsonl(findings, f);
    f.flush();
    if (!f) throw Error(Layer::kReport, "write_failed", path.string(), "cannot write");
  }
  if (o.json) {
    std::vector<checks::Finding> shown;
    for (const auto& f : findings)
      if (f.severity >= min) shown.push_back(f);
    collect::write_findings_jsonl(shown, std::cout);
    if (!o.common.quiet) print_summary(findings, min, diag, std::cerr, /*list_findings=*/false);
  } else {
    print_summary(findings, min, diag, std::cout);
  }

  for (const auto& f : findings)
    if (f.severity >= fail_on) return kExitFindings;
  if (inv_code != kExitOk || diag.count(DiagLevel::kError) > 0) return kExitPartial;
  return kExitOk;
}
#endif  // DEADBOX_HAVE_INVENTORY

}  // namespace deadbox::cli
