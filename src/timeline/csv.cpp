// SPDX-License-Identifier: Apache-2.0
// CSV timeline (mactime -d columns + ISO column). Ref: sleuthkit tools/timeline/mactime.base.
#include "deadbox/timeline/csv.hpp"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>

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

constexpr size_t kOutChunk = 1u << 20;  // rows are built here and written in big blocks

template <class T>
void append_int(std::string& out, T v) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

/// True when escape::csv_field(raw) is raw quoted, with a ' first for a formula character:
/// printable ASCII without a quote, nearly every file name. Decided once per entry so the
/// output loop copies such names without csv_field's UTF-8 walk and allocations.
bool plain_csv_name(std::string_view raw) {
  // Eight bytes per step (SWAR): any byte >= 0x80, < 0x20, == 0x7F or == '"' fails.
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  size_t i = 0;
  for (; i + 8 <= raw.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, raw.data() + i, 8);
    if ((w & kHigh) | ((w - kOnes * 0x20) & ~w & kHigh) | has_zero(w ^ (kOnes * 0x7F)) |
        has_zero(w ^ (kOnes * '"')))
      return false;
  }
  for (; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c < 0x20 || c >= 0x7F || c == '"') return false;
  }
  return true;
}

bool formula_start(std::string_view raw) {
  if (raw.empty()) return false;
  const char c = raw.front();
  return c == '=' || c == '+' || c == '-' || c == '@';  // csv_field neutralises with a '
}

// First payload byte: length of the ",size," part, plus this bit for a plain name.
constexpr unsigned kPlainName = 0x80;

uint8_t macb_bits(const char* macb) {
  uint8_t bits = 0;
  for (int i = 0; i < 4; ++i)
    if (macb[i] != '.') bits |= static_cast<uint8_t>(1u << i);
  return bits;
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
  if (!entry.has_meta) return;  // no times to place on a timeline
  const MacbEvents ev = macb_events(entry.stat);
  int in_window = 0;
  for (int i = 0; i < ev.count; ++i) in_window += options_.window.contains(ev.events[i].ns);
  if (in_window == 0) return;
  // One record per entry, shared by its rows: the name, and the columns around the macb one
  // pre-rendered (",size," and ",mode,uid,gid,inode,"); the first payload byte is the length
  // of the first part (at most 22) and kPlainName.
  name_.clear();
  append_display_name(name_, ctx.path_prefix, entry);
  payload_.assign(1, '\0');
  payload_ += ',';
  append_int(payload_, entry.stat.size);
  payload_ += ',';
  payload_[0] = static_cast<char>((payload_.size() - 1) | (plain_csv_name(name_) ? kPlainName : 0));
  payload_ += ',';
  append_mode_string(payload_, entry);
  payload_ += ',';
  append_int(payload_, entry.stat.uid);
  payload_ += ',';
  append_int(payload_, entry.stat.gid);
  payload_ += ',';
  append_int(payload_, entry.stat.inode);
  payload_ += ',';
  sorter_->add_record(entry.stat.inode, name_, payload_);
  for (int i = 0; i < ev.count; ++i) {
    const MacbEvent& e = ev.events[i];
    if (options_.window.contains(e.ns)) sorter_->add_row(e.ns, macb_bits(e.macb));
  }
}

void CsvWriter::finish() {
  const HumanDate human(options_.tz);
  std::string buf;
  buf.reserve(kOutChunk + 4096);
  buf += kCsvHeader;
  buf += '\n';
  // Files cluster on few distinct seconds (installs, copies, boots): render the two date
  // columns once per second ("<iso seconds>.000000000+00:00,<human>"); rows patch the fraction.
  int64_t cached_sec = 0;
  bool have_cache = false;
  std::string date;
  size_t frac_at = 0;
  std::string name;
  sorter_->finish([&](const SortedRow& r) {
    const int64_t sec = timefmt::seconds_of(r.ns);
    if (!have_cache || sec != cached_sec) {
      date = timefmt::iso_seconds(r.ns);
      date.pop_back();  // the 'Z'
      frac_at = date.size() + 1;
      date += ".000000000+00:00,";
      date += human.format(r.ns);
      cached_sec = sec;
      have_cache = true;
    }
    const std::string_view p = r.payload;
    const auto head = static_cast<unsigned char>(p[0]);
    const size_t pre = head & ~kPlainName;
    const bool plain = (head & kPlainName) != 0;
    std::string_view shown = r.name;  // the name column's bytes between the quotes
    bool quote_prefix = false;
    if (plain) {
      quote_prefix = formula_start(shown);
    } else {
      name = escape::csv_field(r.name);
      shown = std::string_view(name).substr(1, name.size() - 2);
    }
    // One resize per row, then plain stores: a dozen small appends per row cost more than
    // the sort.
    const size_t at = buf.size();
    buf.resize(at + date.size() + p.size() - 1 + 4 + shown.size() + quote_prefix + 3);
    char* w = buf.data() + at;
    std::memcpy(w, date.data(), date.size());
    uint32_t sub = timefmt::subsec_ns_of(r.ns);
    for (int i = 8; i >= 0; --i, sub /= 10) w[frac_at + i] = static_cast<char>('0' + sub % 10);
    w += date.size();
    std::memcpy(w, p.data() + 1, pre);
    w += pre;
    constexpr char kLetters[4] = {'m', 'a', 'c', 'b'};
    for (int i = 0; i < 4; ++i) *w++ = (r.tag & (1u << i)) ? kLetters[i] : '.';
    std::memcpy(w, p.data() + 1 + pre, p.size() - 1 - pre);
    w += p.size() - 1 - pre;
    *w++ = '"';
    if (quote_prefix) *w++ = '\'';
    std::memcpy(w, shown.data(), shown.size());
    w += shown.size();
    *w++ = '"';
    *w = '\n';
    ++rows_;
    if (buf.size() >= kOutChunk) {
      out_.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  });
  out_.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace deadbox::timeline
