// SPDX-License-Identifier: Apache-2.0
#include "deadbox/util/diagnostics.hpp"

namespace deadbox {

void Diagnostics::add(Diagnostic d) {
  if (entries_.size() >= kMaxStored) {
    ++overflow_counts_[d.code];
    return;
  }
  entries_.push_back(std::move(d));
}

void Diagnostics::add(DiagLevel level, Layer layer, std::string code, std::string message,
                      std::string volume, std::string path, uint64_t inode) {
  add(Diagnostic{level, layer, std::move(code), std::move(message), std::move(volume),
                 std::move(path), inode});
}

std::map<std::string, uint64_t> Diagnostics::counts() const {
  std::map<std::string, uint64_t> out = overflow_counts_;
  for (const auto& d : entries_) ++out[d.code];
  return out;
}

size_t Diagnostics::count(DiagLevel at_least) const {
  size_t n = 0;
  for (const auto& d : entries_)
    if (d.level >= at_least) ++n;
  // Overflowed entries have unknown level; count them as warnings.
  if (at_least <= DiagLevel::kWarning)
    for (const auto& [code, c] : overflow_counts_) n += c;
  return n;
}

void Diagnostics::merge(const Diagnostics& other) {
  for (const auto& d : other.entries_) add(d);
  for (const auto& [code, c] : other.overflow_counts_) overflow_counts_[code] += c;
}

}  // namespace deadbox
