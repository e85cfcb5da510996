// SPDX-License-Identifier: Apache-2.0
// Segment-wise glob matching with a small state set, so "**" never backtracks exponentially and
// a 4096-deep hostile path costs O(depth × pattern length).
#include "artifacts/glob.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace deadbox::artifacts::glob {
namespace {

using State = std::pair<size_t, uint32_t>;  // (pattern index, levels eaten by the ** there)

bool one_segment(const Segment& s, std::string_view name) {
  if (s.kind == Segment::Kind::kLiteral) return s.text == name;
  return segment_match(s.text, name);
}

// Runs the state set over segs[si..]; returns the states left.
std::vector<State> run(const Pattern& p, size_t pi, const std::vector<std::string_view>& segs,
                       size_t si) {
  std::vector<State> states{{pi, 0}};
  std::vector<State> next;
  for (size_t i = si; i < segs.size() && !states.empty(); ++i) {
    next.clear();
    for (const auto& [at, used] : states) {
      if (at >= p.size()) continue;
      const Segment& s = p[at];
      if (s.kind == Segment::Kind::kRecursive) {
        // "**" eats this level; it may stop here (>= 1 level) or keep eating up to max_depth.
        if (used + 1 < s.max_depth) next.emplace_back(at, used + 1);
        next.emplace_back(at + 1, 0);
      } else if (one_segment(s, segs[i])) {
        next.emplace_back(at + 1, 0);
      }
    }
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    states.swap(next);
  }
  return states;
}

}  // namespace

bool segment_match(std::string_view glob, std::string_view name) {
  // Classic linear wildcard match: remember the last '*' and retry from one byte further.
  size_t g = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (g < glob.size() && (glob[g] == '?' || glob[g] == name[n])) {
      ++g;
      ++n;
    } else if (g < glob.size() && glob[g] == '*') {
      star = g++;
      mark = n;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    const size_t j = std::min(path.find('/', i), path.size());
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::optional<std::string> parse(std::string_view path, Pattern* out) {
  out->clear();
  if (path.empty() || path.front() != '/') return "path is not absolute";
  if (path.size() > 1 && path.back() == '/') return "path ends with '/'";
  if (path == "/") return std::nullopt;
  size_t i = 1;
  while (i <= path.size()) {
    const size_t j = std::min(path.find('/', i), path.size());
    const std::string_view seg = path.substr(i, j - i);
    if (seg.empty()) return "empty path segment";
    if (seg == "." || seg == "..") return "'" + std::string(seg) + "' segment";
    Segment s;
    if (seg.substr(0, 2) == "**") {
      const std::string_view digits = seg.substr(2);
      uint32_t depth = kDefaultRecursionDepth;
      if (!digits.empty()) {
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), depth);
        if (ec != std::errc() || ptr != digits.data() + digits.size())
          return "'**' must be a whole segment, optionally followed by a depth ('**3')";
      }
      if (depth < 1 || depth > kMaxRecursionDepth)
        return "recursion depth must be 1.." + std::to_string(kMaxRecursionDepth);
      s.kind = Segment::Kind::kRecursive;
      s.max_depth = depth;
      s.text = std::string(seg);
    } else if (seg.find("**") != std::string_view::npos) {
      return "'**' must be a whole segment";
    } else {
      s.kind = seg.find_first_of("*?") == std::string_view::npos ? Segment::Kind::kLiteral
                                                                 : Segment::Kind::kWildcard;
      s.text = std::string(seg);
    }
    out->push_back(std::move(s));
    i = j + 1;
  }
  return std::nullopt;
}

std::optional<Pattern> literal(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  Pattern p;
  for (std::string_view seg : split(path)) {
    if (seg == ".") continue;
    if (seg == "..") return std::nullopt;
    p.push_back({Segment::Kind::kLiteral, std::string(seg), 0});
  }
  return p;
}

bool match_tail(const Pattern& p, size_t pi, const std::vector<std::string_view>& segs, size_t si) {
  for (const auto& [at, used] : run(p, pi, segs, si))
    if (at == p.size()) return true;
  return false;
}

bool viable_below(const Pattern& p, size_t pi, const std::vector<std::string_view>& segs,
                  size_t si) {
  for (const auto& [at, used] : run(p, pi, segs, si))
    if (at < p.size()) return true;
  return false;
}

std::string to_string(const Pattern& p) {
  if (p.empty()) return "/";
  std::string out;
  for (const Segment& s : p) {
    out += '/';
    out += s.text;
  }
  return out;
}

}  // namespace deadbox::artifacts::glob
