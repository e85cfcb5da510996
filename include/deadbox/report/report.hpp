// SPDX-License-Identifier: Apache-2.0
// The case report: one self-contained HTML file (no scripts, no network, strict CSP) that an
// analyst reads first, plus the machine-readable case.json. Every value from the image is
// escaped at the point of output (hostile-input.md items 8-9).
#pragma once
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "deadbox/checks/check.hpp"
#include "deadbox/parsers/record.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::report {

/// One row of the incident-window timeline (filesystem time, log line or finding).
struct WindowEvent {
  int64_t ns = 0;
  std::string source;       ///< "fs", "log", "finding"
  std::string what;         ///< "m.c." for fs, event name for logs, severity for findings
  std::string description;  ///< path or message (untrusted)
  std::string volume;
};

struct EvidenceRow {
  std::string files;        ///< joined evidence paths (host paths, given by the analyst)
  std::string format;
  uint64_t size = 0;
  std::map<std::string, std::string> facts;  ///< hashes, E01 metadata, errors
};

struct VolumeRow {
  std::string name, table, type, fs, label, uuid, mount_point, status;
  uint64_t offset = 0, length = 0;
};

struct CaseData {
  std::string title = "deadbox case report";
  std::string deadbox_version;
  std::vector<EvidenceRow> evidence;
  std::vector<VolumeRow> volumes;
  std::map<std::string, std::string> host;   ///< hostname, os, time zone…
  std::vector<checks::Finding> findings;     ///< sorted
  const parsers::RecordStore* records = nullptr;
  std::vector<WindowEvent> window;           ///< sorted by time
  int64_t window_start = 0, window_end = 0;  ///< ns; equal when there is no window
  const Diagnostics* diagnostics = nullptr;
  std::map<std::string, uint64_t> counts;    ///< files walked, extracted, capped, …
  /// ATT&CK technique id → "Name|tactic,tactic" (artifacts/lists/attack_techniques.txt).
  std::map<std::string, std::string> attack;
  /// Extracted artifacts: system path → path relative to the case folder (for links).
  std::map<std::string, std::string> extracted;
};

/// Writes report.html. Deterministic for the same CaseData.
void write_html(const CaseData& data, std::ostream& out);

/// Percent-encodes a relative link target so nothing from the image can form a scheme,
/// break out of the attribute or reach outside the case folder ("../" is encoded).
std::string safe_relative_href(std::string_view relative_path);

/// An inline SVG histogram of the window events by source (no script, no external refs).
std::string window_chart_svg(const std::vector<WindowEvent>& events, int64_t start, int64_t end);

}  // namespace deadbox::report
