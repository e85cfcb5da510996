// SPDX-License-Identifier: Apache-2.0
// Private helpers shared by the text parsers: a streaming line reader with a line-length cap
// (hostile-input.md item 12), colon-field splitting, bounded integer parsing, diagnostics
// that carry the file's provenance.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/parsers/record.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::parsers {

struct Line {
  std::string_view text;  ///< without the terminator and a trailing CR; capped at max_line
  uint64_t number = 0;    ///< 1-based
  bool truncated = false;
};

/// Walks a buffer line by line without copying. NUL bytes and invalid UTF-8 are kept as is
/// (they are evidence); a line longer than max_line is cut and counted, never split in two.
class LineReader {
 public:
  static constexpr size_t kDefaultMaxLine = 64 * 1024;
  explicit LineReader(std::string_view bytes, size_t max_line = kDefaultMaxLine)
      : bytes_(bytes), max_line_(max_line) {}
  bool next(Line& line);
  uint64_t truncated_count() const noexcept { return truncated_; }
  uint64_t line_count() const noexcept { return number_; }

 private:
  std::string_view bytes_;
  size_t max_line_;
  size_t pos_ = 0;
  uint64_t number_ = 0;
  uint64_t truncated_ = 0;
};

/// A record of type at source, line (1-based, 0 = whole file).
inline Record make_record(std::string_view type, const std::shared_ptr<const Source>& source,
                          uint64_t line) {
  Record r;
  r.type = std::string(type);
  r.source = source;
  r.line = line;
  return r;
}

/// Adds a warning diagnostic located at the source file; message gets " (line N)" when line>0.
void diag_at(Diagnostics& diag, const Source& src, std::string_view code, std::string message,
             uint64_t line = 0, DiagLevel level = DiagLevel::kWarning);

/// One summary diagnostic when the reader cut lines.
void report_truncations(const LineReader& reader, const Source& src, Diagnostics& diag);

/// Splits on sep, keeping empty fields ("a::b" → 3 fields).
std::vector<std::string_view> split_fields(std::string_view s, char sep);

/// Decimal integer in [min, max]; nullopt for empty, signs where min >= 0, junk, overflow.
std::optional<int64_t> parse_int(std::string_view s, int64_t min, int64_t max);

/// A short printable form of untrusted text for diagnostic messages (escaped, capped).
std::string quote_for_diag(std::string_view raw, size_t cap = 64);

/// Caps a raw line kept as a record field (excerpts in findings).
std::string cap_text(std::string_view raw, size_t cap = 1024);

}  // namespace deadbox::parsers
