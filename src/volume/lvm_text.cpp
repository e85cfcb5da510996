// SPDX-License-Identifier: Apache-2.0
// Parser for LVM2's text metadata format: `name { key = value … }` sections, values that are
// numbers, "strings" (with \" and \\ escapes) or [ arrays ], and # comments. Bounded in size,
// depth and node count because the text comes from the evidence.
// Ref: lvm2 lib/config/config.c (_tok_*, _section, _value), lvm.conf(5) "SYNTAX".
#include <cctype>

#include "volume/volume_internal.hpp"

namespace deadbox::volume {
namespace {

constexpr size_t kMaxText = 1 << 20;
constexpr int kMaxDepth = 32;
constexpr size_t kMaxNodes = 200000;

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  bool parse_body(LvmSection& sec, int depth, bool top) {
    if (depth > kMaxDepth) return fail("sections nested deeper than 32");
    while (true) {
      skip_space();
      if (at_end()) return top ? true : fail("unexpected end of text inside a section");
      if (peek() == '}') {
        if (top) return fail("unbalanced '}'");
        ++pos_;
        return true;
      }
      std::string name;
      if (!identifier(name)) return fail("expected a name");
      if (++nodes_ > kMaxNodes) return fail("too many entries");
      skip_space();
      if (peek() == '{') {
        ++pos_;
        LvmSection child;
        child.name = name;
        if (!parse_body(child, depth + 1, false)) return false;
        sec.children.push_back(std::move(child));
      } else if (peek() == '=') {
        ++pos_;
        LvmValue v;
        if (!value(v, true)) return false;
        sec.values[name] = std::move(v);
      } else {
        return fail("expected '{' or '=' after '" + name.substr(0, 64) + "'");
      }
    }
  }

  std::string error() const { return error_ + " at line " + std::to_string(line_); }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }

  bool fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }

  void skip_space() {
    while (!at_end()) {
      char c = s_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
      } else if (c == '#') {
        while (!at_end() && s_[pos_] != '\n') ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else {
        return;
      }
    }
  }

  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '+' ||
           c == '-' || c == '/';
  }

  bool identifier(std::string& out) {
    size_t start = pos_;
    while (!at_end() && name_char(s_[pos_])) ++pos_;
    if (pos_ == start) return false;
    out.assign(s_.substr(start, pos_ - start));
    return true;
  }

  bool value(LvmValue& v, bool allow_array) {
    skip_space();
    char c = peek();
    if (c == '"') return string_value(v);
    if (c == '[' && allow_array) {
      ++pos_;
      v.kind = LvmValue::Kind::kArray;
      while (true) {
        skip_space();
        if (peek() == ']') {
          ++pos_;
          return true;
        }
        if (!v.items.empty()) {
          if (peek() != ',') return fail("expected ',' or ']' in an array");
          ++pos_;
        }
        if (++nodes_ > kMaxNodes) return fail("too many entries");
        LvmValue item;
        if (!value(item, false)) return false;
        v.items.push_back(std::move(item));
      }
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return number_value(v);
    return fail("expected a value");
  }

  bool string_value(LvmValue& v) {
    ++pos_;  // opening quote
    v.kind = LvmValue::Kind::kString;
    while (!at_end()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (c == '\\' && !at_end()) c = s_[pos_++];
      if (c == '\n') ++line_;
      v.text += c;
    }
    return fail("unterminated string");
  }

  bool number_value(LvmValue& v) {
    v.kind = LvmValue::Kind::kNumber;
    bool neg = peek() == '-';
    if (neg) ++pos_;
    if (!std::isdigit(static_cast<unsigned char>(peek()))) return fail("bad number");
    uint64_t n = 0;
    bool overflow = false;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      unsigned d = static_cast<unsigned>(s_[pos_++] - '0');
      if (n > (UINT64_MAX - d) / 10) overflow = true;
      n = n * 10 + d;
    }
    if (peek() == '.') {  // floats exist in lvm.conf, not in VG metadata: keep the integer part
      ++pos_;
      while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
    }
    if (overflow || n > static_cast<uint64_t>(INT64_MAX)) return fail("number out of range");
    v.number = neg ? -static_cast<int64_t>(n) : static_cast<int64_t>(n);
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t nodes_ = 0;
  std::string error_;
};

}  // namespace

const LvmSection* LvmSection::child(std::string_view n) const {
  for (const auto& c : children) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

std::optional<int64_t> LvmSection::number(std::string_view key) const {
  auto it = values.find(std::string(key));
  if (it == values.end() || it->second.kind != LvmValue::Kind::kNumber) return std::nullopt;
  return it->second.number;
}

std::optional<std::string> LvmSection::string(std::string_view key) const {
  auto it = values.find(std::string(key));
  if (it == values.end() || it->second.kind != LvmValue::Kind::kString) return std::nullopt;
  return it->second.text;
}

const LvmValue* LvmSection::array(std::string_view key) const {
  auto it = values.find(std::string(key));
  if (it == values.end() || it->second.kind != LvmValue::Kind::kArray) return nullptr;
  return &it->second;
}

std::optional<LvmSection> parse_lvm_text(std::string_view text, std::string* error) {
  if (text.size() > kMaxText) {
    if (error != nullptr) *error = "metadata text larger than 1 MiB";
    return std::nullopt;
  }
  LvmSection root;
  Parser p(text);
  if (!p.parse_body(root, 0, true)) {
    if (error != nullptr) *error = p.error();
    return std::nullopt;
  }
  return root;
}

}  // namespace deadbox::volume
