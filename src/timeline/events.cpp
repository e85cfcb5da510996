// SPDX-License-Identifier: Apache-2.0
// macb grouping as mactime does it (tools/timeline/mactime.base), at nanosecond precision.
#include "deadbox/timeline/events.hpp"

#include <utility>

namespace deadbox::timeline {

MacbEvents macb_events(const tree::Stat& stat) {
  MacbEvents out;
  const std::optional<int64_t>* times[4] = {&stat.mtime, &stat.atime, &stat.ctime, &stat.crtime};
  constexpr char kLetters[4] = {'m', 'a', 'c', 'b'};
  for (int i = 0; i < 4; ++i) {
    if (!times[i]->has_value()) continue;
    const int64_t ns = **times[i];
    MacbEvent* hit = nullptr;
    for (int k = 0; k < out.count; ++k)
      if (out.events[k].ns == ns) hit = &out.events[k];
    if (hit == nullptr) {
      hit = &out.events[out.count++];
      hit->ns = ns;
    }
    hit->macb[i] = kLetters[i];
  }
  // Insertion sort of at most four values (std::sort here trips a g++ 12 -Warray-bounds
  // false positive).
  for (int i = 1; i < out.count; ++i)
    for (int k = i; k > 0 && out.events[k].ns < out.events[k - 1].ns; --k)
      std::swap(out.events[k], out.events[k - 1]);
  return out;
}

const char* timestamp_desc(char letter) {
  switch (letter) {
    case 'm': return "Content Modification Time";
    case 'a': return "Last Access Time";
    case 'c': return "Metadata Modification Time";
    case 'b': return "Creation Time";
    default: return "Unknown Time";
  }
}

}  // namespace deadbox::timeline
