// SPDX-License-Identifier: Apache-2.0
// Field conversions every ext reader shares (TSK's walk, the native lister, the libext2fs
// fallback), so an entry reads the same whichever of them listed it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace deadbox::fs {

/// Seconds + nanoseconds as tree::Stat's signed ns since the epoch; nullopt for 0/0 (not
/// stored). ext4's epoch bits reach the year 2446 and signed 64-bit nanoseconds end in 2262:
/// such a time (only ever forged) saturates at the last representable second, never wraps.
inline std::optional<int64_t> ns_time(int64_t sec, uint32_t nano) {
  if (sec == 0 && nano == 0) return std::nullopt;
  constexpr int64_t kMaxSec = INT64_MAX / 1'000'000'000 - 1;
  if (sec > kMaxSec) return kMaxSec * 1'000'000'000;
  return sec * 1'000'000'000 + static_cast<int64_t>(nano % 1'000'000'000);
}

/// A symlink target as TSK cleans meta->link: cut at the first NUL, control bytes become '^'.
inline std::string clean_link(std::string_view raw) {
  std::string s;
  for (char c : raw) {
    if (c == '\0') break;
    s.push_back(static_cast<unsigned char>(c) < 0x20 ? '^' : c);
  }
  return s;
}

}  // namespace deadbox::fs
