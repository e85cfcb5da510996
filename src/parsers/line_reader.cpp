// SPDX-License-Identifier: Apache-2.0
// Streaming line reader and small parsing helpers for the text parsers.
#include "parsers/line_reader.hpp"

#include <charconv>

#include "deadbox/util/escape.hpp"

namespace deadbox::parsers {

bool LineReader::next(Line& line) {
  if (pos_ >= bytes_.size()) return false;
  const size_t nl = bytes_.find('\n', pos_);
  const size_t end = nl == std::string_view::npos ? bytes_.size() : nl;
  std::string_view text = bytes_.substr(pos_, end - pos_);
  pos_ = nl == std::string_view::npos ? bytes_.size() : nl + 1;
  // CRLF files (logs copied from Windows tools, hand-edited configs) parse like LF ones.
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  line.truncated = text.size() > max_line_;
  if (line.truncated) {
    text = text.substr(0, max_line_);
    ++truncated_;
  }
  line.text = text;
  line.number = ++number_;
  return true;
}

void diag_at(Diagnostics& diag, const Source& src, std::string_view code, std::string message,
             uint64_t line, DiagLevel level) {
  if (line > 0) message += " (line " + std::to_string(line) + ")";
  diag.add(level, Layer::kParser, std::string(code), std::move(message), src.volume, src.path,
           src.inode);
}

void report_truncations(const LineReader& reader, const Source& src, Diagnostics& diag) {
  if (reader.truncated_count() == 0) return;
  diag_at(diag, src, "line_too_long",
          std::to_string(reader.truncated_count()) + " line(s) longer than the cap were cut");
}

std::vector<std::string_view> split_fields(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t p = s.find(sep, start);
    if (p == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
}

std::optional<int64_t> parse_int(std::string_view s, int64_t min, int64_t max) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') return std::nullopt;
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  if (v < min || v > max) return std::nullopt;
  return v;
}

std::string quote_for_diag(std::string_view raw, size_t cap) {
  const bool cut = raw.size() > cap;
  std::string out = "'" + escape::terminal(raw.substr(0, cap)) + "'";
  if (cut) out += "...";
  return out;
}

std::string cap_text(std::string_view raw, size_t cap) {
  return std::string(raw.substr(0, cap));
}

}  // namespace deadbox::parsers
