// SPDX-License-Identifier: Apache-2.0
// JSON Lines writers for `check -o DIR` and `examine`: every record table as
// DIR/records/<type>.jsonl and the findings as findings.jsonl (formats-and-libraries.md §1.5).
// Typing, stable across runs: strings → JSON strings (escape::json_string, invalid UTF-8 as
// "\xNN" text), ints → numbers, bools → true/false, timestamps → ISO-8601 UTC strings with
// nanoseconds ("2024-03-01T10:00:00.000000000Z"). Provenance keys come first: type, volume,
// path, inode, line, artifact (omitted when empty), deleted (only when true); a field whose
// name collides with one of those is written as "field_<name>".
#pragma once
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "deadbox/checks/check.hpp"
#include "deadbox/parsers/record.hpp"

namespace deadbox::collect {

/// One record as a JSON object (no trailing newline).
std::string record_json(const parsers::Record& record);

/// Writes DIR/records/<type with '/' → '_'>.jsonl for every record type, records in store
/// order. DIR must exist. Throws deadbox::Error (report, "write_failed") on an I/O error.
void write_records_jsonl(const parsers::RecordStore& store, const std::filesystem::path& dir);

/// Stable finding id: 16 hex digits of FNV-1a over check id, message and evidence
/// (volume, path, inode, line), so the same evidence gives the same id in every run.
std::string finding_id(const checks::Finding& finding);

/// One finding as a JSON object (description/references from the check's descriptor when
/// registered).
std::string finding_json(const checks::Finding& finding);

/// One JSON object per line, in the given order.
void write_findings_jsonl(const std::vector<checks::Finding>& findings, std::ostream& out);

}  // namespace deadbox::collect
