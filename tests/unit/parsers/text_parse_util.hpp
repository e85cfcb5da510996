// SPDX-License-Identifier: Apache-2.0
// Test helpers for the persistence/service parser tests: run a registered parser over bytes
// with a Source at a given path, and build Redis RDB dumps the way `SAVE` lays them out.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "deadbox/parsers/parser.hpp"

namespace deadbox::parsers::text_testing {

struct Result {
  RecordStore records;
  Diagnostics diag;
  const std::vector<Record>& of(std::string_view type) const { return records.of(type); }
  size_t diags(std::string_view code) const {
    size_t n = 0;
    for (const auto& d : diag.entries()) n += d.code == code;
    return n;
  }
};

inline Result parse(std::string_view id, std::string_view bytes, std::string path) {
  const Parser* parser = find_parser(id);
  if (parser == nullptr) throw std::runtime_error("parser not registered: " + std::string(id));
  auto src = std::make_shared<Source>();
  src->volume = "p2/lvm/vg0/root";
  src->path = std::move(path);
  src->inode = 1234;
  Result r;
  parser->parse(bytes, src, r.records, r.diag);
  return r;
}

/// RDB string length encoding (6-bit or 14-bit forms; enough for test values).
inline std::string rdb_len(size_t n) {
  if (n < 64) return std::string(1, static_cast<char>(n));
  return {static_cast<char>(0x40 | (n >> 8)), static_cast<char>(n & 0xff)};
}
inline std::string rdb_str(std::string_view s) { return rdb_len(s.size()) + std::string(s); }

/// A Redis 5 RDB v9 file holding one string key, as `CONFIG SET dbfilename root; SAVE` writes
/// it: magic+version, AUX fields, SELECTDB, RESIZEDB, the key, EOF opcode and 8-byte checksum.
inline std::string redis_rdb(std::string_view key, std::string_view value) {
  std::string b = "REDIS0009";
  b += '\xfa' + rdb_str("redis-ver") + rdb_str("5.0.7");
  b += '\xfa' + rdb_str("redis-bits") + std::string("\xc0\x40", 2);
  b += '\xfa' + rdb_str("ctime") + std::string("\xc2\x80\x5b\x8f\x65", 5);
  b += std::string("\xfe\x00\xfb\x01\x00", 5);
  b += std::string(1, '\x00') + rdb_str(key) + rdb_str(value);
  b += '\xff' + std::string("\x1b\x9e\x42\x07\xc3\x0a\x91\x5e", 8);
  return b;
}

}  // namespace deadbox::parsers::text_testing
