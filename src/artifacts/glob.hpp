// SPDX-License-Identifier: Apache-2.0
// FA/plaso path globs: "*" and "?" within one segment, "**" / "**N" as a whole segment for 1..N
// directory levels (N defaults to 10, plaso path_helper.ExpandRecursiveGlobs).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadbox::artifacts::glob {

inline constexpr uint32_t kDefaultRecursionDepth = 10;
inline constexpr uint32_t kMaxRecursionDepth = 64;

struct Segment {
  enum class Kind : uint8_t { kLiteral, kWildcard, kRecursive };
  Kind kind = Kind::kLiteral;
  std::string text;        ///< literal text or the single-segment glob
  uint32_t max_depth = 0;  ///< for kRecursive: 1..max_depth levels
};
using Pattern = std::vector<Segment>;

/// Parses an absolute pattern ("/etc/cron.d/*"). Returns the reason when it is invalid:
/// not absolute, empty/"."/".." segment, "**" mixed with other text, depth out of range.
std::optional<std::string> parse(std::string_view path, Pattern* out);

/// Literal segments for a path taken as text (a home directory): nullopt when not absolute or
/// when it has a ".." segment; "." and empty segments are dropped.
std::optional<Pattern> literal(std::string_view path);

/// Single-segment match of "*" (any run) and "?" (one byte) against raw name bytes.
bool segment_match(std::string_view glob, std::string_view name);

/// Path split on "/", empty segments dropped.
std::vector<std::string_view> split(std::string_view path);

/// Whether p[pi..] matches exactly segs[si..].
bool match_tail(const Pattern& p, size_t pi, const std::vector<std::string_view>& segs, size_t si);
/// Whether p[pi..] could match some path strictly below the directory segs[si..].
bool viable_below(const Pattern& p, size_t pi, const std::vector<std::string_view>& segs,
                  size_t si);

/// Canonical text of a pattern (used to deduplicate and to display).
std::string to_string(const Pattern& p);

}  // namespace deadbox::artifacts::glob
