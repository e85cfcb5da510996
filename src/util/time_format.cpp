// SPDX-License-Identifier: Apache-2.0
// UTC time rendering without the C library's time zone state (TZ of the analyst's machine
// must never change an output byte).
#include "deadbox/util/time_format.hpp"

#include <cstdio>

namespace deadbox::timefmt {
namespace {

struct Civil {
  int64_t y;
  unsigned m, d, hh, mm, ss;
};

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
Civil civil_from_seconds(int64_t secs) {
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d, static_cast<unsigned>(rem / 3600),
          static_cast<unsigned>(rem % 3600 / 60), static_cast<unsigned>(rem % 60)};
}

std::string date_time(int64_t secs) {
  const Civil c = civil_from_seconds(secs);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u", static_cast<long long>(c.y),
                c.m, c.d, c.hh, c.mm, c.ss);
  return buf;
}

bool digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

int64_t seconds_of(int64_t ns) {
  int64_t s = ns / kNsPerSec;
  if (ns % kNsPerSec < 0) --s;
  return s;
}

uint32_t subsec_ns_of(int64_t ns) {
  int64_t r = ns % kNsPerSec;
  if (r < 0) r += kNsPerSec;
  return static_cast<uint32_t>(r);
}

std::string iso_seconds(int64_t ns) { return date_time(seconds_of(ns)) + "Z"; }

std::string iso_micros_offset(int64_t ns) {
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06u", subsec_ns_of(ns) / 1000);
  return date_time(seconds_of(ns)) + frac + "+00:00";
}

std::string iso_nanos(int64_t ns) {
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%09u", subsec_ns_of(ns));
  return date_time(seconds_of(ns)) + frac + "Z";
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> parse_iso(std::string_view t) {
  if (t.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : t) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits && t.size() <= 12) {
    int64_t v = 0;
    digits(t, 0, t.size(), &v);
    return v * kNsPerSec;
  }
  int64_t y, mo, d, hh = 0, mi = 0, ss = 0;
  if (!digits(t, 0, 4, &y) || t.size() < 10 || t[4] != '-' || !digits(t, 5, 2, &mo) ||
      t[7] != '-' || !digits(t, 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
    return std::nullopt;
  size_t pos = 10;
  int64_t frac_ns = 0;
  if (pos < t.size() && (t[pos] == 'T' || t[pos] == ' ')) {
    if (!digits(t, pos + 1, 2, &hh) || t.size() < pos + 6 || t[pos + 3] != ':' ||
        !digits(t, pos + 4, 2, &mi))
      return std::nullopt;
    pos += 6;
    if (pos < t.size() && t[pos] == ':') {
      if (!digits(t, pos + 1, 2, &ss)) return std::nullopt;
      pos += 3;
    }
    if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
      ++pos;
      int64_t scale = 100'000'000;
      while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
        frac_ns += (t[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
    }
  }
  int64_t offset_s = 0;
  if (pos < t.size()) {
    if (t[pos] == 'Z' && pos + 1 == t.size()) {
      ++pos;
    } else if ((t[pos] == '+' || t[pos] == '-') && t.size() >= pos + 6 && t[pos + 3] == ':') {
      int64_t oh, om;
      if (!digits(t, pos + 1, 2, &oh) || !digits(t, pos + 4, 2, &om)) return std::nullopt;
      offset_s = (oh * 3600 + om * 60) * (t[pos] == '-' ? -1 : 1);
      pos += 6;
    }
  }
  if (pos != t.size() || hh > 23 || mi > 59 || ss > 60) return std::nullopt;
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return (days * 86400 + hh * 3600 + mi * 60 + ss - offset_s) * kNsPerSec + frac_ns;
}

}  // namespace deadbox::timefmt
