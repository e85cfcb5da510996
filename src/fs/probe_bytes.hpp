// SPDX-License-Identifier: Apache-2.0
// Bounds-checked little/big-endian field access over a probe buffer: every accessor returns 0
// or "" when the field lies outside the bytes read, so a short volume never reads out of range.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

namespace deadbox::fs {

struct Bytes {
  std::span<const std::byte> data;

  bool has(size_t off, size_t len) const { return off <= data.size() && len <= data.size() - off; }
  const unsigned char* at(size_t off) const {
    return reinterpret_cast<const unsigned char*>(data.data()) + off;
  }
  uint8_t u8(size_t off) const { return has(off, 1) ? at(off)[0] : 0; }
  uint16_t le16(size_t off) const {
    return has(off, 2) ? static_cast<uint16_t>(at(off)[0] | at(off)[1] << 8) : 0;
  }
  uint32_t le32(size_t off) const {
    return has(off, 4) ? uint32_t{le16(off)} | uint32_t{le16(off + 2)} << 16 : 0;
  }
  uint16_t be16(size_t off) const {
    return has(off, 2) ? static_cast<uint16_t>(at(off)[0] << 8 | at(off)[1]) : 0;
  }
  uint32_t be32(size_t off) const {
    return has(off, 4) ? uint32_t{be16(off)} << 16 | be16(off + 2) : 0;
  }
  uint64_t be64(size_t off) const {
    return has(off, 8) ? uint64_t{be32(off)} << 32 | be32(off + 4) : 0;
  }
  /// NUL-terminated text in a fixed-size field (raw bytes; callers escape for output).
  std::string cstr(size_t off, size_t max) const {
    std::string out;
    for (size_t i = 0; i < max && has(off + i, 1) && at(off)[i] != 0; ++i)
      out += static_cast<char>(at(off)[i]);
    return out;
  }
};

/// 16 bytes as the canonical 8-4-4-4-12 lowercase UUID ("" when out of range or all zero).
inline std::string uuid_string(const Bytes& b, size_t off) {
  if (!b.has(off, 16)) return {};
  bool zero = true;
  for (size_t i = 0; i < 16; ++i) zero = zero && b.at(off)[i] == 0;
  if (zero) return {};
  std::string out;
  char hex[3];
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::snprintf(hex, sizeof(hex), "%02x", b.at(off)[i]);
    out += hex;
  }
  return out;
}

}  // namespace deadbox::fs
