// SPDX-License-Identifier: Apache-2.0
// Escapers for untrusted bytes. Ref: OWASP XSS Prevention Cheat Sheet; OWASP CSV Injection;
// TSK tsk_fs_name_print (control -> '^'); plaso bodyfile parser (\| \\ \xNN).
#include "deadbox/util/escape.hpp"

#include <cstdint>

namespace deadbox::escape {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void put_hex_byte(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

/// Length of the valid UTF-8 sequence at s[i], or 0 if invalid (overlongs, surrogates and
/// code points above U+10FFFF are invalid). *cp receives the code point.
size_t utf8_seq(std::string_view s, size_t i, uint32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

bool is_bidi_or_invisible(uint32_t cp) {
  // Bidi embeddings/overrides/isolates can make a name display as something else.
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || (cp >= 0x80 && cp <= 0x9F);
}

/// Common walker: valid UTF-8 non-control code points are appended raw via keep(); every
/// other byte goes to bad().
template <class Keep, class Bad>
void walk_utf8(std::string_view raw, Keep keep, Bad bad) {
  for (size_t i = 0; i < raw.size();) {
    uint32_t cp = 0;
    size_t n = utf8_seq(raw, i, &cp);
    if (n == 0) {
      bad(static_cast<unsigned char>(raw[i]));
      ++i;
      continue;
    }
    keep(raw.substr(i, n), cp);
    i += n;
  }
}

}  // namespace

std::string terminal(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  walk_utf8(
      raw,
      [&](std::string_view seq, uint32_t cp) {
        if (cp == '\\') {
          out += "\\\\";
        } else if (cp < 0x20 || cp == 0x7F || is_bidi_or_invisible(cp)) {
          for (char c : seq) put_hex_byte(out, static_cast<unsigned char>(c));
        } else {
          out += seq;
        }
      },
      [&](unsigned char c) { put_hex_byte(out, c); });
  return out;
}

std::string utf8_lossless(std::string_view raw, bool* lossy) {
  std::string out;
  out.reserve(raw.size());
  bool replaced = false;
  walk_utf8(
      raw, [&](std::string_view seq, uint32_t) { out += seq; },
      [&](unsigned char c) {
        replaced = true;
        put_hex_byte(out, c);
      });
  if (lossy != nullptr) *lossy = replaced;
  return out;
}

std::string json_string(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + 8);
  auto u = [&](uint32_t cp) {
    out += "\\u";
    out += kHex[(cp >> 12) & 0xF];
    out += kHex[(cp >> 8) & 0xF];
    out += kHex[(cp >> 4) & 0xF];
    out += kHex[cp & 0xF];
  };
  walk_utf8(
      raw,
      [&](std::string_view seq, uint32_t cp) {
        switch (cp) {
          case '"': out += "\\\""; return;
          case '\\': out += "\\\\"; return;
          case '\n': out += "\\n"; return;
          case '\r': out += "\\r"; return;
          case '\t': out += "\\t"; return;
          default: break;
        }
        if (cp < 0x20 || cp == 0x7F || cp == '<' || cp == '>' || cp == '&' || cp == 0x2028 ||
            cp == 0x2029) {
          u(cp);
        } else {
          out += seq;
        }
      },
      // Invalid byte: the literal text \xNN (as an escaped backslash in JSON).
      [&](unsigned char c) {
        out += "\\\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      });
  return out;
}

std::string html(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + 16);
  walk_utf8(
      raw,
      [&](std::string_view seq, uint32_t cp) {
        switch (cp) {
          case '&': out += "&amp;"; return;
          case '<': out += "&lt;"; return;
          case '>': out += "&gt;"; return;
          case '"': out += "&quot;"; return;
          case '\'': out += "&#39;"; return;
          default: break;
        }
        if (cp < 0x20 || cp == 0x7F || is_bidi_or_invisible(cp)) {
          for (char c : seq) put_hex_byte(out, static_cast<unsigned char>(c));
        } else {
          out += seq;
        }
      },
      [&](unsigned char c) { put_hex_byte(out, c); });
  return out;
}

std::string csv_field(std::string_view raw) {
  std::string body;
  body.reserve(raw.size() + 4);
  if (!raw.empty()) {
    const char c = raw.front();
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\0')
      body += '\'';
  }
  walk_utf8(
      raw,
      [&](std::string_view seq, uint32_t cp) {
        if (cp == '"') {
          body += "\"\"";
        } else if (cp < 0x20 || cp == 0x7F || is_bidi_or_invisible(cp)) {
          for (char ch : seq) put_hex_byte(body, static_cast<unsigned char>(ch));
        } else {
          body += seq;
        }
      },
      [&](unsigned char ch) { put_hex_byte(body, ch); });
  return "\"" + body + "\"";
}

std::string bodyfile_fls(std::string_view raw) {
  std::string out(raw);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    // TSK_IS_CNTRL is "< 0x20" only: DEL stays raw in fls output (verified with fls 4.11.1).
    if (u < 0x20) c = '^';
  }
  return out;
}

std::string bodyfile_plaso(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + 8);
  walk_utf8(
      raw,
      [&](std::string_view seq, uint32_t cp) {
        if (cp == '\\') {
          out += "\\\\";
        } else if (cp == '|') {
          out += "\\|";
        } else if (cp < 0x20 || cp == 0x7F) {
          put_hex_byte(out, static_cast<unsigned char>(cp));
        } else {
          out += seq;
        }
      },
      [&](unsigned char c) { put_hex_byte(out, c); });
  return out;
}

std::string hex(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() * 2);
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

}  // namespace deadbox::escape
