// SPDX-License-Identifier: Apache-2.0
// Bounded line reader and small string helpers for the text parsers.
#include "parsers/text_lines.hpp"

#include <algorithm>
#include <cctype>

namespace deadbox::parsers::text {

void for_each_line(std::string_view bytes, const Source& src, Diagnostics& diag,
                   const std::function<void(uint64_t, std::string_view)>& fn) {
  uint64_t number = 0;
  uint64_t cut = 0;
  size_t pos = 0;
  while (pos < bytes.size()) {
    if (number >= kMaxLines) {
      diag.add(DiagLevel::kWarning, Layer::kParser, "too_many_lines",
               "stopped after " + std::to_string(kMaxLines) + " lines", src.volume, src.path,
               src.inode);
      break;
    }
    size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view line = bytes.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLine) {
      line = line.substr(0, kMaxLine);
      ++cut;
    }
    fn(number, line);
  }
  if (cut > 0)
    diag.add(DiagLevel::kWarning, Layer::kParser, "line_too_long",
             std::to_string(cut) + " line(s) cut at " + std::to_string(kMaxLine) + " bytes",
             src.volume, src.path, src.inode);
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\v\f");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\v\f");
  return s.substr(first, last - first + 1);
}

std::vector<std::string_view> split_ws(std::string_view s, size_t max_parts) {
  std::vector<std::string_view> out;
  s = trim(s);
  while (!s.empty()) {
    if (max_parts > 0 && out.size() + 1 == max_parts) {
      out.push_back(s);
      break;
    }
    const auto end = s.find_first_of(" \t");
    out.push_back(s.substr(0, end));
    if (end == std::string_view::npos) break;
    s = trim(s.substr(end));
  }
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    const auto a = static_cast<unsigned char>(s[i]);
    const auto b = static_cast<unsigned char>(prefix[i]);
    if (std::tolower(a) != std::tolower(b)) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return s.substr(1, s.size() - 2);
  return s;
}

std::string_view basename(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<std::string> user_from_home(std::string_view path) {
  if (path == "/root" || path.starts_with("/root/")) return "root";
  if (path.starts_with("/home/")) {
    std::string_view rest = path.substr(6);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0) return std::nullopt;
    return std::string(rest.substr(0, slash));
  }
  return std::nullopt;
}

bool has_redis_header(std::string_view bytes) { return bytes.starts_with("REDIS00"); }

Record make_record(std::string_view type, const std::shared_ptr<const Source>& src,
                   uint64_t line) {
  Record r;
  r.type = std::string(type);
  r.source = src;
  r.line = line;
  return r;
}

void bad_line(Diagnostics& diag, const Source& src, std::string_view code, uint64_t line,
              std::string_view why) {
  diag.add(DiagLevel::kWarning, Layer::kParser, std::string(code),
           "line " + std::to_string(line) + ": " + std::string(why), src.volume, src.path,
           src.inode);
}

}  // namespace deadbox::parsers::text
