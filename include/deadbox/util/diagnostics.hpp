// SPDX-License-Identifier: Apache-2.0
// Diagnostics: recoverable per-item problems (a corrupt inode, a skipped line, a capped file),
// collected, counted, shown in the report, and never fatal (house style §3.5, channel 2).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "deadbox/util/error.hpp"

namespace deadbox {

enum class DiagLevel { kInfo, kWarning, kError };

struct Diagnostic {
  DiagLevel level = DiagLevel::kWarning;
  Layer layer = Layer::kTree;
  std::string code;     ///< stable short code, e.g. "dir_loop", "line_too_long", "capped"
  std::string message;  ///< one line, may contain untrusted text: escape before printing
  std::string volume;   ///< volume name ("p1", "p2/lvm/vg0/root") or empty
  std::string path;     ///< path inside the volume, raw bytes, or empty
  uint64_t inode = 0;   ///< 0 when not applicable
};

/// Collects diagnostics. Not thread-safe: one per worker, merged by the caller.
class Diagnostics {
 public:
  void add(Diagnostic d);
  void add(DiagLevel level, Layer layer, std::string code, std::string message,
           std::string volume = {}, std::string path = {}, uint64_t inode = 0);
  const std::vector<Diagnostic>& entries() const noexcept { return entries_; }
  /// Number of entries per code, for "counts of skipped items" summaries.
  std::map<std::string, uint64_t> counts() const;
  size_t count(DiagLevel at_least) const;
  void merge(const Diagnostics& other);
  /// Cap on stored entries; beyond it only counts grow (a hostile image can have millions of
  /// bad inodes, and the report must stay bounded).
  static constexpr size_t kMaxStored = 10000;

 private:
  std::vector<Diagnostic> entries_;
  std::map<std::string, uint64_t> overflow_counts_;
};

}  // namespace deadbox
