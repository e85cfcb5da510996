// SPDX-License-Identifier: Apache-2.0
// linux/log/lastlog: /var/log/lastlog, one 292-byte record per uid (int32 time, line[32],
// host[256]); the file is sparse, so only non-empty slots become records.
// Ref: https://man7.org/linux/man-pages/man8/lastlog.8.html; formats-and-libraries.md §4.4.
#include <algorithm>

#include "deadbox/parsers/parser.hpp"
#include "parsers/line_reader.hpp"

namespace deadbox::parsers {
namespace {

constexpr size_t kRecord = 292;

std::string cstr(std::string_view p) {
  return std::string(p.substr(0, p.find('\0')));
}

constexpr Field kFields[] = {
    {"uid", FieldType::kInt, "User id (the record's index)"},
    {"time", FieldType::kTimestamp, "Last login time"},
    {"line", FieldType::kString, "Terminal of the last login"},
    {"host", FieldType::kString, "Remote host of the last login"},
    {"anomaly", FieldType::kString, "bad_time (negative time), '' when valid"},
};

void parse(std::string_view bytes, const std::shared_ptr<const Source>& source, RecordSink& out,
           Diagnostics& diag) {
  const size_t count = bytes.size() / kRecord;
  for (size_t i = 0; i < count; ++i) {
    const std::string_view rec = bytes.substr(i * kRecord, kRecord);
    if (std::all_of(rec.begin(), rec.end(), [](char c) { return c == 0; })) continue;
    const auto* p = reinterpret_cast<const unsigned char*>(rec.data());
    const int32_t t = static_cast<int32_t>(static_cast<uint32_t>(p[0]) | (p[1] << 8) |
                                           (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24));
    Record r = make_record("linux/log/lastlog", source, i + 1);
    r.set("uid", static_cast<int64_t>(i));
    if (t >= 0) r.set("time", Timestamp{int64_t{t} * 1'000'000'000});
    r.set("line", cstr(rec.substr(4, 32))).set("host", cstr(rec.substr(36, 256)));
    r.set("anomaly", std::string(t < 0 ? "bad_time" : ""));
    out.add(std::move(r));
  }
  if (bytes.size() % kRecord != 0)
    diag_at(diag, *source, "partial_tail",
            std::to_string(bytes.size() % kRecord) +
                " trailing byte(s) do not make a whole 292-byte lastlog record");
}

}  // namespace

extern const Parser kLastlogParser{
    .id = "linux/log/lastlog",
    .description =
        "lastlog: last login time, terminal and host per uid (292-byte records "
        "indexed by uid; empty slots skipped).",
    .artifacts = {"LinuxLastlogFile"},
    .fields = kFields,
    .parse = &parse,
    .references = {"https://man7.org/linux/man-pages/man8/lastlog.8.html"},
};

}  // namespace deadbox::parsers
