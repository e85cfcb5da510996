// SPDX-License-Identifier: Apache-2.0
// Pieces of `examine`, each in its own file: case folder files, log events for the super-
// timeline, the incident window, case.json, the terminal summary and progress.
#pragma once
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "deadbox/checks/check.hpp"
#include "deadbox/examine/examine.hpp"
#include "deadbox/inventory/inventory.hpp"
#include "deadbox/parsers/record.hpp"
#include "deadbox/pipeline/walk_consumer.hpp"
#include "deadbox/report/report.hpp"
#include "deadbox/timeline/jsonl.hpp"

namespace deadbox::examine::detail {

/// A file in the case folder, created without following a planted symlink and truncated.
/// Buffered; close() reports write errors as deadbox::Error (report, "write_failed").
class CaseFile {
 public:
  explicit CaseFile(const std::filesystem::path& path);
  ~CaseFile();
  CaseFile(const CaseFile&) = delete;
  CaseFile& operator=(const CaseFile&) = delete;
  std::ostream& stream();
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Creates dir (and parents) refusing symlinked components; no-op when it exists as a dir.
void make_case_dir(const std::filesystem::path& dir);

/// Parsed log, login and history records that carry a time, as Timesketch events.
std::vector<timeline::JsonlEvent> record_events(const parsers::RecordStore& records);
/// Findings as Timesketch events (tag deadbox-finding + severity), at their first time.
std::vector<timeline::JsonlEvent> finding_events(const std::vector<checks::Finding>& findings);

/// Where the incident happened: every time of the findings at or above `at_least` (first/last
/// seen and each evidence time) clustered where consecutive times are at most `gap` apart; the
/// cluster touched by the most findings wins (earliest on ties). One forged timestamp (an mtime
/// set back to 2013) thus cannot move the window away from the activity. nullopt when no such
/// finding has a time.
struct Span {
  int64_t start = 0, end = 0;  ///< ns, inclusive
};
std::optional<Span> incident_span(const std::vector<checks::Finding>& findings,
                                  checks::Severity at_least, int64_t gap);

/// Window events: bodyfile lines (our own output, re-read: no second walk of the image)
/// whose times fall in [start, end], plus log records and findings in it. Sorted, capped.
std::vector<report::WindowEvent> window_events(const std::filesystem::path& bodyfile,
                                               const std::vector<timeline::JsonlEvent>& logs,
                                               const std::vector<checks::Finding>& findings,
                                               int64_t start, int64_t end, size_t cap);

struct TimeZoneDecision {
  std::string zone = "UTC";
  std::string source = "default";  ///< "option", "/etc/localtime -> …", "/etc/timezone", …
};
TimeZoneDecision decide_time_zone(const std::string& option, inventory::Inventory& inv);

struct RunInfo {
  std::vector<std::string> argv;
  std::string started, finished;  ///< ISO UTC (wall clock: only inside the "run" block)
};

struct CaseSummary {
  std::map<std::string, uint64_t> counts;
  std::map<std::string, std::string> evidence_hashes;  ///< per evidence item "md5/sha1/…"
  TimeZoneDecision tz;
};

/// case.json: deterministic except the "run" object, which holds everything that changes
/// from run to run (argv, wall-clock start/end).
void write_case_json(std::ostream& out, const inventory::Inventory& inv,
                     const std::vector<report::EvidenceRow>& evidence,
                     const std::vector<checks::Finding>& findings, const CaseSummary& summary,
                     const Diagnostics& diag, const RunInfo& run);

/// The terminal summary (stderr): findings by severity, the top evidence lines, next steps.
void print_summary(std::ostream& err, const std::vector<checks::Finding>& findings,
                   const std::filesystem::path& case_dir, const std::map<std::string, uint64_t>& counts);

/// Progress on stderr: a walk consumer counting entries per volume, at most 4 updates/s.
class Progress final : public pipeline::WalkConsumer {
 public:
  Progress(std::ostream& err, bool enabled, uint64_t total_inodes);
  void phase(const std::string& name);
  void begin_volume(const pipeline::VolumeContext& ctx) override;
  void on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) override;
  void end_volume(const pipeline::VolumeContext& ctx) override;
  void done();
  uint64_t entries() const { return entries_; }

 private:
  void draw(bool force);
  std::ostream& err_;
  bool enabled_;
  uint64_t total_;
  uint64_t entries_ = 0;
  std::string volume_;
  std::string phase_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace deadbox::examine::detail
