// SPDX-License-Identifier: Apache-2.0
// Timesketch JSONL timeline: one event per line, the mandatory message/datetime/timestamp/
// timestamp_desc fields, flat type-stable extras, valid UTF-8 always.
// Ref: google/timesketch docs/guides/user/import-from-json-csv.md; plaso lib/definitions.py.
#pragma once
#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "deadbox/pipeline/walk_consumer.hpp"
#include "deadbox/timeline/events.hpp"

namespace deadbox::timeline {

using JsonValue = std::variant<std::string, int64_t, bool>;

/// Any timeline event (file times, parsed log lines, findings). Keep one type per field name
/// across all producers (Timesketch/OpenSearch mapping): strings stay strings, ints ints.
struct JsonlEvent {
  int64_t ns = 0;              ///< event time, ns since the epoch UTC
  std::string timestamp_desc;  ///< plaso vocabulary ("Content Modification Time", …) or ours
  std::string message;         ///< raw bytes; escaped on output
  std::string data_type;       ///< "fs:stat", "linux:auth:sshd", "deadbox:finding", …
  /// Extra flat fields in this order; keys snake_case. Keys that start with '_' (Timesketch
  /// strips them) or repeat a mandatory field are not written. String values are raw bytes:
  /// invalid UTF-8 becomes "\xNN" text.
  std::vector<std::pair<std::string, JsonValue>> extra;
  std::vector<std::string> tags;  ///< written as "tag":[…] when non-empty
};

/// The JSON text of one event, without the newline. Field order: message, datetime
/// ("2024-01-02T03:04:05.123456+00:00"), timestamp (integer µs, floor), timestamp_desc,
/// data_type, extras, tag.
std::string jsonl_line(const JsonlEvent& event);

/// Writes jsonl_line(event) + '\n'. For `examine` to merge log events and findings into the
/// same timeline.jsonl as the file events.
void write_jsonl_event(std::ostream& out, const JsonlEvent& event);

struct JsonlOptions {
  TimeWindow window;
};

/// One event per set timestamp per entry (plaso filestat style: separate m, a, c, b events,
/// each with its timestamp_desc), data_type "fs:stat", in walk order. Fields: path (user
/// path), inode, volume, size, uid, gid (ints), mode ("r/rrw-r--r--"), deleted (bool),
/// file_type, reader, macb (letters of all times equal to this one), symlink_target (links
/// only), path_hex (only when the path is not valid UTF-8).
class JsonlWriter final : public pipeline::WalkConsumer {
 public:
  JsonlWriter(std::ostream& out, JsonlOptions options) : out_(out), options_(options) {}
  void on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) override;
  uint64_t events() const { return events_; }

 private:
  struct DateSlot {
    int64_t sec = 0;
    bool valid = false;
    std::string text;  ///< "2024-01-02T03:04:05"
  };
  std::ostream& out_;
  JsonlOptions options_;
  uint64_t events_ = 0;
  std::string name_, head_, extras_, tail_, when_, line_;  // reused per entry and event
  std::array<DateSlot, 256> dates_;                        // seconds already rendered
};

/// "file", "directory", "symlink", "char_device", "block_device", "fifo", "socket",
/// "whiteout", "virtual", "unknown".
const char* file_type_name(tree::FileType type);

}  // namespace deadbox::timeline
