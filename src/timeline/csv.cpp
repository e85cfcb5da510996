// SPDX-License-Identifier: Apache-2.0
// CSV timeline (mactime -d columns + ISO column). Ref: sleuthkit tools/timeline/mactime.base.
#include "deadbox/timeline/csv.hpp"

#include <cstdlib>

#include "deadbox/timeline/bodyfile.hpp"
#include "deadbox/timeline/human_date.hpp"
#include "deadbox/util/escape.hpp"
#include "deadbox/util/time_format.hpp"
#include "spool_sort.hpp"

namespace deadbox::timeline {
namespace {

std::string default_spool_dir() {
  const char* t = std::getenv("TMPDIR");
  return t != nullptr && *t != '\0' ? t : "/tmp";
}

std::string iso_utc(int64_t ns) {
  std::string s = timefmt::iso_nanos(ns);  // "...nnnnnnnnnZ"
  s.pop_back();
  return s + "+00:00";
}

}  // namespace

CsvWriter::CsvWriter(std::ostream& out, CsvOptions options)
    : out_(out), options_(std::move(options)) {
  HumanDate probe(options_.tz);  // validate the zone before any work is done
  sorter_ = std::make_unique<SpoolSorter>(
      options_.spool_dir.empty() ? default_spool_dir() : options_.spool_dir, options_.run_bytes);
}

CsvWriter::~CsvWriter() = default;

size_t CsvWriter::runs_spilled() const {
  return sorter_->runs_spilled();
}

void CsvWriter::on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) {
  ++seq_;
  if (!entry.has_meta) return;  // no times to place on a timeline
  const MacbEvents ev = macb_events(entry.stat);
  if (ev.count == 0) return;
  const std::string name = display_name(ctx.path_prefix, entry);
  const std::string mode = mode_string(entry);
  for (int i = 0; i < ev.count; ++i) {
    const MacbEvent& e = ev.events[i];
    if (!options_.window.contains(e.ns)) continue;
    SortRow row;
    row.ns = e.ns;
    row.inode = entry.stat.inode;
    row.seq = seq_;
    row.name = name;
    row.tail = "," + std::to_string(entry.stat.size) + "," + e.macb + "," + mode + "," +
               std::to_string(entry.stat.uid) + "," + std::to_string(entry.stat.gid) + "," +
               std::to_string(entry.stat.inode) + ",";
    sorter_->add(std::move(row));
  }
}

void CsvWriter::finish() {
  const HumanDate human(options_.tz);
  out_ << kCsvHeader << '\n';
  std::string line;
  sorter_->finish([&](const SortRow& r) {
    line = iso_utc(r.ns);
    line += ',';
    line += human.format(r.ns);
    line += r.tail;
    line += escape::csv_field(r.name);
    line += '\n';
    out_.write(line.data(), static_cast<std::streamsize>(line.size()));
    ++rows_;
  });
}

}  // namespace deadbox::timeline
