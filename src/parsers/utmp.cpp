// SPDX-License-Identifier: Apache-2.0
// linux/log/utmp: glibc utmp/wtmp/btmp records, 384-byte (x86_64, i386, arm32) and 400-byte
// (aarch64-style 64-bit time) little-endian layouts, chosen by validating records.
// Ref: https://man7.org/linux/man-pages/man5/utmp.5.html; formats-and-libraries.md §4.4.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "deadbox/parsers/parser.hpp"
#include "parsers/line_reader.hpp"

namespace deadbox::parsers {
namespace {

struct Layout {
  size_t size;
  size_t session, tv_sec, tv_usec, addr;
  bool wide;  // session/tv fields are 64-bit
};
constexpr Layout k384{384, 336, 340, 344, 348, false};
constexpr Layout k400{400, 336, 344, 352, 360, true};

constexpr std::array<std::string_view, 10> kTypeNames{
    "EMPTY",        "RUN_LVL",       "BOOT_TIME",    "NEW_TIME",     "OLD_TIME",
    "INIT_PROCESS", "LOGIN_PROCESS", "USER_PROCESS", "DEAD_PROCESS", "ACCOUNTING"};

// 1970..2100: outside that a tv_sec is corruption, not a date; flagged, never dropped.
constexpr int64_t kMaxPlausibleSec = 4102444800;

int64_t le(const unsigned char* p, size_t n, bool is_signed) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  if (is_signed && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);
  return static_cast<int64_t>(v);
}

// NUL-padded char array: bytes up to the first NUL, raw (no decoding: it is evidence).
std::string cstr(const unsigned char* p, size_t n) {
  size_t len = 0;
  while (len < n && p[len] != 0) ++len;
  return std::string(reinterpret_cast<const char*>(p), len);
}

struct Decoded {
  int64_t type = 0, pid = 0, session = 0, sec = 0, usec = 0;
  int64_t exit_termination = 0, exit_status = 0;
  std::string line, id, user, host, addr;
  bool zeroed = false;
  std::string anomaly;  // "" when valid
};

std::string format_addr(const unsigned char* a) {
  bool rest_zero = true;
  for (int i = 4; i < 16; ++i) rest_zero = rest_zero && a[i] == 0;
  char buf[INET6_ADDRSTRLEN] = {};
  // ut_addr_v6 holds network byte order; IPv4 uses word 0 only (plaso's rule, §4.4).
  if (rest_zero) {
    if (a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0) return {};
    inet_ntop(AF_INET, a, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, a, buf, sizeof buf);
  }
  return buf;
}

Decoded decode(const unsigned char* p, const Layout& l) {
  Decoded d;
  d.zeroed = std::all_of(p, p + l.size, [](unsigned char c) { return c == 0; });
  d.type = le(p, 2, true);
  d.pid = le(p + 4, 4, true);
  d.line = cstr(p + 8, 32);
  d.id = cstr(p + 40, 4);
  d.user = cstr(p + 44, 32);
  d.host = cstr(p + 76, 256);
  d.exit_termination = le(p + 332, 2, true);
  d.exit_status = le(p + 334, 2, true);
  const size_t w = l.wide ? 8 : 4;
  d.session = le(p + l.session, w, true);
  d.sec = le(p + l.tv_sec, w, true);
  d.usec = le(p + l.tv_usec, w, true);
  d.addr = format_addr(p + l.addr);
  if (d.zeroed)
    d.anomaly = "zeroed";
  else if (d.type < 0 || d.type > 9)
    d.anomaly = "bad_type";
  else if (d.usec < 0 || d.usec >= 1'000'000)
    d.anomaly = "bad_usec";
  else if (d.sec < 0 || d.sec > kMaxPlausibleSec)
    d.anomaly = "bad_time";
  return d;
}

// Layout choice by invariants over the first records (plaso's approach): the size that makes
// more non-empty records valid wins; file size divisibility breaks ties.
const Layout& choose_layout(std::string_view bytes) {
  auto score = [&](const Layout& l) {
    int valid = 0;
    const size_t n = std::min<size_t>(bytes.size() / l.size, 16);
    for (size_t i = 0; i < n; ++i) {
      const Decoded d =
          decode(reinterpret_cast<const unsigned char*>(bytes.data()) + i * l.size, l);
      if (d.zeroed) continue;
      valid += d.anomaly.empty() ? 1 : -1;
    }
    return valid;
  };
  const int s384 = score(k384), s400 = score(k400);
  if (s384 != s400) return s384 > s400 ? k384 : k400;
  const bool d384 = bytes.size() % 384 == 0, d400 = bytes.size() % 400 == 0;
  return (d400 && !d384) ? k400 : k384;
}

std::string source_kind(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  // wtmp, wtmp.1, wtmp-20240101, btmp.1.gz (already decompressed by the driver)…
  for (std::string_view k : {"wtmp", "btmp", "utmp"})
    if (base.starts_with(k)) return std::string(k);
  return "unknown";
}

constexpr Field kFields[] = {
    {"source_kind", FieldType::kString, "wtmp, btmp (failed logins), utmp or unknown (file name)"},
    {"ut_type", FieldType::kString, "USER_PROCESS, DEAD_PROCESS, BOOT_TIME, RUN_LVL, … or ''"},
    {"ut_type_code", FieldType::kInt, "Raw ut_type"},
    {"pid", FieldType::kInt, "Process id"},
    {"line", FieldType::kString, "Terminal (pts/0, tty1, ~ for boot/runlevel)"},
    {"ut_id", FieldType::kString, "inittab id / terminal suffix"},
    {"user", FieldType::kString, "User name (btmp: the name that was tried)"},
    {"host", FieldType::kString, "Remote host name or address as text"},
    {"src_ip", FieldType::kString, "Remote address from ut_addr_v6"},
    {"time", FieldType::kTimestamp, "Record time (µs precision)"},
    {"session", FieldType::kInt, "Session id"},
    {"exit_termination", FieldType::kInt, "Exit termination status (DEAD_PROCESS)"},
    {"exit_status", FieldType::kInt, "Exit status (DEAD_PROCESS)"},
    {"record_size", FieldType::kInt, "384 or 400: the layout used"},
    {"anomaly", FieldType::kString,
     "zeroed (all bytes 0: wiping), bad_type, bad_usec, bad_time; '' when valid"},
    {"record_count", FieldType::kInt, "Whole-file record (line 0): number of records"},
    {"zeroed_count", FieldType::kInt, "Whole-file record: all-zero records"},
    {"corrupt_count", FieldType::kInt, "Whole-file record: records failing validation"},
    {"tail_bytes", FieldType::kInt, "Whole-file record: bytes of a partial last record"},
    {"first_time", FieldType::kTimestamp, "Whole-file record: earliest valid record time"},
    {"last_time", FieldType::kTimestamp, "Whole-file record: latest valid record time"},
};

void parse(std::string_view bytes, const std::shared_ptr<const Source>& source, RecordSink& out,
           Diagnostics& diag) {
  const Layout& l = choose_layout(bytes);
  const std::string kind = source_kind(source->path);
  const size_t count = bytes.size() / l.size;
  int64_t zeroed = 0, corrupt = 0;
  std::optional<int64_t> first, last;
  for (size_t i = 0; i < count; ++i) {
    const Decoded d = decode(reinterpret_cast<const unsigned char*>(bytes.data()) + i * l.size, l);
    Record r = make_record("linux/log/utmp", source, i + 1);
    r.set("source_kind", kind);
    r.set("ut_type", d.type >= 0 && d.type <= 9 ? std::string(kTypeNames[d.type]) : std::string());
    r.set("ut_type_code", d.type).set("pid", d.pid);
    r.set("line", d.line).set("ut_id", d.id).set("user", d.user).set("host", d.host);
    if (!d.addr.empty()) r.set("src_ip", d.addr);
    if (d.anomaly.empty() || d.anomaly == "bad_time")
      r.set("time", Timestamp{d.sec * 1'000'000'000 + d.usec * 1000});
    r.set("session", d.session);
    r.set("exit_termination", d.exit_termination).set("exit_status", d.exit_status);
    r.set("record_size", static_cast<int64_t>(l.size)).set("anomaly", d.anomaly);
    if (d.zeroed) {
      ++zeroed;
    } else if (!d.anomaly.empty()) {
      ++corrupt;
      diag_at(diag, *source, "corrupt_record",
              "utmp record at offset " + std::to_string(i * l.size) + ": " + d.anomaly, i + 1);
    } else if (d.type != 0) {
      const int64_t t = d.sec * 1'000'000'000 + d.usec * 1000;
      first = first ? std::min(*first, t) : t;
      last = last ? std::max(*last, t) : t;
    }
    out.add(std::move(r));
  }
  const size_t tail = bytes.size() % l.size;
  if (tail != 0)
    diag_at(diag, *source, "partial_tail",
            std::to_string(tail) + " trailing byte(s) do not make a whole " +
                std::to_string(l.size) + "-byte utmp record");
  if (zeroed > 0)
    diag_at(diag, *source, "zeroed_records",
            std::to_string(zeroed) + " all-zero utmp record(s) (possible log wiping)");
  // Whole-file summary (line 0): lets checks see an empty or truncated file, which yields no
  // per-record evidence at all.
  Record s = make_record("linux/log/utmp", source, 0);
  s.set("source_kind", kind).set("record_size", static_cast<int64_t>(l.size));
  s.set("record_count", static_cast<int64_t>(count)).set("zeroed_count", zeroed);
  s.set("corrupt_count", corrupt).set("tail_bytes", static_cast<int64_t>(tail));
  if (first) s.set("first_time", Timestamp{*first});
  if (last) s.set("last_time", Timestamp{*last});
  out.add(std::move(s));
}

}  // namespace

extern const Parser kUtmpParser{
    .id = "linux/log/utmp",
    .description =
        "utmp/wtmp/btmp login records (glibc 384- and 400-byte layouts, chosen by validating "
        "records); source_kind tells wtmp, btmp and utmp apart. All-zero and invalid records "
        "are kept and flagged (anomaly); line 0 is a whole-file summary with counts.",
    .artifacts = {"LinuxUtmpFiles", "LinuxWtmp", "UnixUtmpFile"},
    .fields = kFields,
    .parse = &parse,
    .references = {"https://man7.org/linux/man-pages/man5/utmp.5.html"},
};

}  // namespace deadbox::parsers
