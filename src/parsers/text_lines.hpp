// SPDX-License-Identifier: Apache-2.0
// Private helpers for the line-oriented config/script parsers: a bounded line reader (the
// content is attacker-controlled: cap line length, tolerate CRLF and NUL), word splitting and
// the Redis RDB framing test shared by crontab, at-job and authorized_keys parsers.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/parsers/record.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::parsers::text {

/// Longer lines are cut (one diagnostic per file, count in the message): nothing legitimate in
/// a crontab or rc file is this long, and a record's "line" must stay small.
inline constexpr size_t kMaxLine = 8192;
/// Most lines one file may yield; beyond it the rest is skipped with one diagnostic.
inline constexpr uint64_t kMaxLines = 1'000'000;

/// Calls fn(line_number (1-based), line) for every line, '\r' stripped, cut at kMaxLine.
void for_each_line(std::string_view bytes, const Source& src, Diagnostics& diag,
                   const std::function<void(uint64_t, std::string_view)>& fn);

std::string_view trim(std::string_view s);
/// Splits on spaces/tabs; when max_parts > 0 the last part holds the (trimmed) rest.
std::vector<std::string_view> split_ws(std::string_view s, size_t max_parts = 0);
bool starts_with_ci(std::string_view s, std::string_view prefix);
std::string lower(std::string_view s);
/// Removes one pair of matching surrounding quotes ('…' or "…").
std::string_view unquote(std::string_view s);
std::string_view basename(std::string_view path);
/// "root" for /root/…, "<u>" for /home/<u>/…, nullopt otherwise.
std::optional<std::string> user_from_home(std::string_view path);
/// True when the file starts with a Redis RDB header ("REDIS00"): the signature of the
/// CONFIG SET dir/dbfilename + SAVE file-write trick.
bool has_redis_header(std::string_view bytes);

/// A record of `type` for this source and line.
Record make_record(std::string_view type, const std::shared_ptr<const Source>& src,
                   uint64_t line);
/// Adds a warning with the line number (parsers never throw on bad content).
void bad_line(Diagnostics& diag, const Source& src, std::string_view code, uint64_t line,
              std::string_view why);

}  // namespace deadbox::parsers::text
