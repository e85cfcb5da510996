// SPDX-License-Identifier: Apache-2.0
// Records: what parsers produce and checks consume. A record has a type id in dissect's form
// ("unix/passwd", "linux/log/wtmp"), its provenance (volume, path, inode, line) and named,
// typed fields declared by its parser. Records are plain data: they serialize to JSONL as is.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace deadbox::parsers {

enum class FieldType { kString, kInt, kBool, kTimestamp };

/// Field declaration: name (snake_case, one type across all records), type, documentation.
struct Field {
  std::string_view name;
  FieldType type;
  std::string_view doc;
};

/// A timestamp value: ns since the epoch, UTC.
struct Timestamp {
  int64_t ns = 0;
  bool operator==(const Timestamp&) const = default;
};

using Value = std::variant<std::monostate, std::string, int64_t, bool, Timestamp>;

/// Where the bytes came from. Shared by all records of one file.
struct Source {
  std::string volume;     ///< "p1", "p2/lvm/centos/root"
  std::string path;       ///< path as the system saw it (mount point applied), raw bytes
  uint64_t inode = 0;
  std::string artifact;   ///< FA definition name that selected the file
  std::optional<int64_t> mtime;  ///< file mtime (ns): year inference for syslog lines
  std::optional<int64_t> ctime;
  bool deleted = false;
};

struct Record {
  std::string type;                      ///< parser/record id, e.g. "unix/passwd"
  std::shared_ptr<const Source> source;  ///< never null
  uint64_t line = 0;                     ///< 1-based line or record number; 0 = whole file
  std::vector<std::pair<std::string, Value>> fields;

  Record& set(std::string_view name, Value v);
  const Value* get(std::string_view name) const;
  /// Typed getters: nullopt when the field is absent or of another type.
  std::optional<std::string_view> str(std::string_view name) const;
  std::optional<int64_t> i64(std::string_view name) const;
  std::optional<bool> flag(std::string_view name) const;
  std::optional<int64_t> time(std::string_view name) const;
};

/// Receives records from a parser.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void add(Record record) = 0;
};

/// All records of a run, by type, in insertion order (the driver inserts in a deterministic
/// order: volumes, then paths sorted, then line).
class RecordStore final : public RecordSink {
 public:
  void add(Record record) override;
  const std::vector<Record>& of(std::string_view type) const;
  std::vector<std::string> types() const;
  size_t size() const;

 private:
  std::map<std::string, std::vector<Record>, std::less<>> by_type_;
};

}  // namespace deadbox::parsers
