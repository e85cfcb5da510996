// SPDX-License-Identifier: Apache-2.0
// The MAC-time events of one inode: its distinct time values with mactime's macb letters,
// shared by the CSV and JSONL writers.
#pragma once
#include <array>
#include <cstdint>
#include <optional>

#include "deadbox/tree/file_tree.hpp"

namespace deadbox::timeline {

struct MacbEvent {
  int64_t ns = 0;
  char macb[5] = {'.', '.', '.', '.', '\0'};  ///< "m.c." as mactime prints it
};

/// Up to four distinct time values in ascending order; unset times (nullopt) are skipped, so a
/// file with only mtime gives one event "m...". Values equal to the nanosecond share a row.
struct MacbEvents {
  std::array<MacbEvent, 4> events;
  int count = 0;
};
MacbEvents macb_events(const tree::Stat& stat);

/// Inclusive time window [from, to]; an unset bound is open.
struct TimeWindow {
  std::optional<int64_t> from, to;
  bool contains(int64_t ns) const { return (!from || ns >= *from) && (!to || ns <= *to); }
};

/// plaso's timestamp_desc for a macb letter ('m' → "Content Modification Time", 'a' → "Last
/// Access Time", 'c' → "Metadata Modification Time", 'b' → "Creation Time").
const char* timestamp_desc(char letter);

}  // namespace deadbox::timeline
