// SPDX-License-Identifier: Apache-2.0
// Time formatting. deadbox keeps every time as signed 64-bit nanoseconds since the Unix epoch,
// UTC (house style §3.5); these helpers render it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace deadbox::timefmt {

constexpr int64_t kNsPerSec = 1'000'000'000;

/// Floor division: -1 ns is second -1, not second 0.
int64_t seconds_of(int64_t ns);
uint32_t subsec_ns_of(int64_t ns);

/// "2024-01-02T03:04:05Z" (mactime -y form).
std::string iso_seconds(int64_t ns);
/// "2024-01-02T03:04:05.123456+00:00" (Timesketch datetime; microseconds, explicit offset).
std::string iso_micros_offset(int64_t ns);
/// "2024-01-02T03:04:05.123456789Z".
std::string iso_nanos(int64_t ns);

/// Parses "2024-01-02", "2024-01-02T03:04:05", optional fraction, optional "Z" or "+hh:mm",
/// or a plain integer of epoch seconds. Returns ns, or nullopt if unparsable.
std::optional<int64_t> parse_iso(std::string_view text);

/// Days from civil date (proleptic Gregorian), Howard Hinnant's algorithm.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

}  // namespace deadbox::timefmt
