// SPDX-License-Identifier: Apache-2.0
// Memory-bounded sort of timeline rows: sorted runs spilled to unlinked temp files, then a
// k-way merge. Holds at most run_bytes of rows plus one row per run in memory.
#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace deadbox::timeline {

/// One row to sort by (ns, inode, name, seq); seq (walk order) makes the order total, so the
/// output is identical on every run whatever the run size.
struct SortRow {
  int64_t ns = 0;
  uint64_t inode = 0;
  uint64_t seq = 0;
  std::string name;  ///< raw bytes
  std::string tail;  ///< pre-rendered rest of the row (opaque to the sorter)
};

class SpoolSorter {
 public:
  /// dir: where temporary run files go (created with mkstemp and unlinked at once, so nothing
  /// is left behind even on a crash). run_bytes: in-memory budget before a run is spilled.
  SpoolSorter(std::string dir, size_t run_bytes);
  ~SpoolSorter();
  SpoolSorter(const SpoolSorter&) = delete;
  SpoolSorter& operator=(const SpoolSorter&) = delete;

  void add(SortRow row);
  /// Emits every row in order and empties the sorter. Throws deadbox::Error (layer timeline,
  /// code "spool") when a temp file cannot be written or read back.
  void finish(const std::function<void(const SortRow&)>& emit);
  size_t runs_spilled() const { return spilled_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };
  using File = std::unique_ptr<std::FILE, FileCloser>;
  void spill();
  File new_run_file();
  void merge(std::vector<File> runs, const std::function<void(const SortRow&)>& emit);

  std::string dir_;
  size_t run_bytes_;
  size_t bytes_ = 0;
  size_t spilled_ = 0;
  std::vector<SortRow> rows_;
  std::vector<File> runs_;
};

}  // namespace deadbox::timeline
