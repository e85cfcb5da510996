// SPDX-License-Identifier: Apache-2.0
// safe_name(): the one mapping from image names to host names (see output_dir.hpp). Percent
// encoding keeps it reversible for the examiner and injective, so two image names never land
// on one host file by construction.
#include <openssl/evp.h>

#include <cstdio>

#include "deadbox/extract/output_dir.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::extract {
namespace {

constexpr size_t kMaxName = 255;
constexpr size_t kKeepPrefix = 200;

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid (overlong, surrogate, > U+10FFFF).
size_t utf8_len(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = 0;
  uint32_t cp = 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, cp = c & 0x07;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  // C1 controls and bidi overrides are valid UTF-8 but reorder or hide text in listings.
  if (cp <= 0x9F || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
      (cp >= 0x2066 && cp <= 0x2069))
    return 0;
  return n;
}

void percent(std::string& out, unsigned char c) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%%%02X", c);
  out += buf;
}

}  // namespace

std::string safe_name(std::string_view raw) {
  if (raw.empty()) return "%(empty)";
  if (raw == ".") return "%2E";
  if (raw == "..") return "%2E%2E";
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    const unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c == '%' || c == '/' || c < 0x20 || c == 0x7F) {
      percent(out, c);
      ++i;
      continue;
    }
    const size_t n = utf8_len(raw, i);
    if (n == 0) {
      percent(out, c);
      ++i;
      continue;
    }
    out.append(raw.substr(i, n));
    i += n;
  }
  if (out.size() <= kMaxName) return out;
  // Too long for the host: keep a readable prefix (cut on a sequence boundary) plus a digest of
  // the raw name, so distinct long names stay distinct.
  size_t cut = kKeepPrefix;
  while (cut > 0 && ((static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80 || out[cut - 1] == '%' ||
                     (cut > 1 && out[cut - 2] == '%')))
    --cut;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(raw.data(), raw.size(), md, &len, EVP_sha256(), nullptr);
  return out.substr(0, cut) + "%~" +
         escape::hex(std::string_view(reinterpret_cast<const char*>(md), 8));
}

}  // namespace deadbox::extract
