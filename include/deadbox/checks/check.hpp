// SPDX-License-Identifier: Apache-2.0
// Check: one small unit of the responder's checklist. Reads records only (never the file
// tree), so it is tested by feeding records. Registered on one line in src/checks/registry.cpp.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "deadbox/checks/knowledge.hpp"
#include "deadbox/parsers/record.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::checks {

enum class Severity { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };
std::string_view severity_name(Severity s);  ///< "info", "low", "medium", "high", "critical"
std::optional<Severity> parse_severity(std::string_view name);

struct Evidence {
  std::string volume;
  std::string path;
  uint64_t inode = 0;
  uint64_t line = 0;
  std::string excerpt;  ///< raw bytes from the image (escape on output), capped
  std::string record_type;
  std::vector<std::pair<std::string, int64_t>> times;  ///< ("mtime", ns), ("logged", ns)…
};

struct Finding {
  std::string check_id;   ///< e.g. "persistence/cron_download_exec"
  std::string title;
  Severity severity = Severity::kMedium;
  std::string attack_id;  ///< "T1053.003"
  std::string message;    ///< one line, specific to this finding
  std::vector<Evidence> evidence;
  std::optional<int64_t> first_seen, last_seen;  ///< ns
};

class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void add(Finding finding) = 0;
};

struct Check {
  std::string_view id;
  std::string_view title;
  Severity severity;            ///< default severity of its findings
  std::string_view attack_id;
  std::string_view description;
  std::string_view false_positives;
  std::vector<std::string_view> needs;       ///< record types read
  std::vector<std::string_view> references;  ///< ATT&CK URL, man pages
  void (*run)(const parsers::RecordStore& records, const Knowledge& knowledge, FindingSink& out);
};

std::span<const Check* const> all_checks();
const Check* find_check(std::string_view id);

/// Runs every check (a check that throws becomes a diagnostic), returns findings sorted
/// deterministically (severity desc, check id, first evidence volume/path/line).
std::vector<Finding> run_all(const parsers::RecordStore& records, const Knowledge& knowledge,
                             Diagnostics& diag);

}  // namespace deadbox::checks
