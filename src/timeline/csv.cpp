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
  // Files cluster on few distinct seconds (installs, copies, boots): format each second once.
  int64_t cached_sec = 0;
  bool have_cache = false;
  std::string iso_sec, human_sec;
  sorter_->finish([&](const SortRow& r) {
    const int64_t sec = timefmt::seconds_of(r.ns);
    if (!have_cache || sec != cached_sec) {
      iso_sec = timefmt::iso_seconds(r.ns);
      iso_sec.pop_back();  // the 'Z'
      human_sec = human.format(r.ns);
      cached_sec = sec;
      have_cache = true;
    }
    uint32_t sub = timefmt::subsec_ns_of(r.ns);
    char frac[10];
    frac[0] = '.';
    for (int i = 9; i >= 1; --i, sub /= 10) frac[i] = static_cast<char>('0' + sub % 10);
    line = iso_sec;
    line.append(frac, 10);
    line += "+00:00,";
    line += human_sec;
    line += r.tail;
    line += escape::csv_field(r.name);
    line += '\n';
    out_.write(line.data(), static_cast<std::streamsize>(line.size()));
    ++rows_;
  });
}

}  // namespace deadbox::timeline
