// SPDX-License-Identifier: Apache-2.0
// Memory-bounded sort of timeline rows: compact in-memory runs (records in one arena, 24-byte
// keys radix-sorted by time), spilled to unlinked temp files only when the budget is hit, then
// a k-way merge.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace deadbox::timeline {

/// One sorted row as handed to the emitter. The views stay valid only during the call.
struct SortedRow {
  int64_t ns = 0;
  uint64_t inode = 0;
  uint8_t tag = 0;           ///< caller's per-row byte (the CSV writer's macb bits)
  std::string_view name;     ///< raw bytes of the record's name
  std::string_view payload;  ///< the record's opaque bytes
};

/// Rows sort by (ns, inode, name bytes, insertion order): the last key makes the order total,
/// so the output is identical on every run whatever the budget and however often it spilled.
/// A record (name + payload, e.g. one file) is stored once and shared by its rows (its times).
class SpoolSorter {
 public:
  /// dir: where temporary run files go (created with mkstemp and unlinked at once, so nothing
  /// is left behind even on a crash). run_bytes: budget for the records, the keys and the
  /// sort's scratch space before a sorted run is spilled.
  SpoolSorter(std::string dir, size_t run_bytes);
  ~SpoolSorter();
  SpoolSorter(const SpoolSorter&) = delete;
  SpoolSorter& operator=(const SpoolSorter&) = delete;

  /// Starts a record; the rows added next belong to it. Names or payloads over 64 MiB are
  /// cut to that size (no file name comes near it).
  void add_record(uint64_t inode, std::string_view name, std::string_view payload);
  /// One row of the current record (call add_record first). Rows of one record with the same
  /// ns keep their insertion order.
  void add_row(int64_t ns, uint8_t tag);
  /// Emits every row in order and empties the sorter. Throws deadbox::Error (layer timeline,
  /// code "spool") when a temp file cannot be written or read back.
  void finish(const std::function<void(const SortedRow&)>& emit);
  size_t runs_spilled() const { return spilled_; }

  /// Budget cost of one row (its key and the key's radix scratch); a record costs its name
  /// and payload plus 8 bytes.
  static constexpr size_t kRowCost = 48;

 private:
  class Run;
  /// Sort key of one row; rec is the record's offset in arena_ (also the insertion order).
  struct Key {
    int64_t ns;
    uint64_t inode;
    uint32_t rec;
    uint8_t tag;
  };

  size_t bytes() const;
  void store_record(uint64_t inode, std::string_view name, std::string_view payload);
  bool less(const Key& a, const Key& b) const;
  SortedRow view(const Key& k) const;
  void sort_keys();
  void spill();
  void clear_memory();
  std::unique_ptr<Run> new_run_file();
  /// k-way merge of runs (oldest first) and, with_memory, the sorted keys_ (newest).
  void merge(std::vector<std::unique_ptr<Run>> runs, bool with_memory,
             const std::function<void(const SortedRow&)>& emit);

  std::string dir_;
  size_t run_bytes_;
  size_t spilled_ = 0;
  bool have_record_ = false;
  uint64_t cur_inode_ = 0;
  uint32_t cur_rec_ = 0;
  std::vector<char> arena_;  // records: u32 name size, u32 payload size, name, payload
  std::vector<Key> keys_;
  std::unique_ptr<Key[]> scratch_;  // radix sort buffer, at least keys_.size() while sorting
  size_t scratch_size_ = 0;
  std::vector<std::unique_ptr<Run>> runs_;
};

}  // namespace deadbox::timeline
