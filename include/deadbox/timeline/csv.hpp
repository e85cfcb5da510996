// SPDX-License-Identifier: Apache-2.0
// mactime -d style CSV timeline with a leading ISO-8601 UTC column, sorted with bounded memory.
// Ref: sleuthkit tools/timeline/mactime.base.
#pragma once
#include <memory>
#include <ostream>
#include <string>

#include "deadbox/pipeline/walk_consumer.hpp"
#include "deadbox/timeline/events.hpp"

namespace deadbox::timeline {

class SpoolSorter;

/// Exact header line (without newline).
inline constexpr const char* kCsvHeader = "Date ISO,Date,Size,Type,Mode,UID,GID,Meta,File Name";

struct CsvOptions {
  TimeWindow window;
  std::string tz = "UTC";  ///< zone of the human "Date" column; "Date ISO" is always UTC
  /// Folder for temporary sorted runs (deleted on creation; see SpoolSorter). Empty = $TMPDIR
  /// or /tmp.
  std::string spool_dir;
  /// In-memory budget for the rows (names, columns, sort keys) before a sorted run is spilled
  /// to disk (bytes); below it no temporary file is created.
  size_t run_bytes = 64u << 20;
};

/// Collects one row per distinct time value of each entry (macb letters as mactime; unset
/// times give no row, unlike mactime's "0000-00-00" rows), then finish() writes the header
/// and all rows sorted by time, inode, name, walk order. Columns: Date ISO
/// ("2024-01-02T03:04:05.123456789+00:00"), Date (mactime's "Tue Jan 02 2024 03:04:05" in the
/// --tz zone), Size, Type (macb), Mode, UID, GID, Meta (inode), File Name (quoted, CSV formula
/// characters neutralised, controls and invalid UTF-8 as \xNN).
class CsvWriter final : public pipeline::WalkConsumer {
 public:
  /// Throws deadbox::Error (layer timeline, "bad_zone") for an unknown options.tz.
  CsvWriter(std::ostream& out, CsvOptions options);
  ~CsvWriter() override;
  void on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) override;
  /// Sorts and writes everything. Call once after the last volume.
  void finish();
  uint64_t rows() const { return rows_; }
  size_t runs_spilled() const;

 private:
  std::ostream& out_;
  CsvOptions options_;
  std::unique_ptr<SpoolSorter> sorter_;
  uint64_t rows_ = 0;
  std::string name_, payload_;  // reused per entry
};

}  // namespace deadbox::timeline
