// SPDX-License-Identifier: Apache-2.0
// Test helpers for the account/log parser tests: run a registered parser over bytes.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "deadbox/parsers/parser.hpp"

namespace deadbox::parsers::testing {

struct Parsed {
  RecordStore records;
  Diagnostics diag;
  const std::vector<Record>& of(std::string_view type) const { return records.of(type); }
  bool has_diag(std::string_view code) const {
    for (const auto& d : diag.entries())
      if (d.code == code) return true;
    return false;
  }
};

inline std::shared_ptr<const Source> source_at(std::string path,
                                               std::optional<int64_t> mtime = std::nullopt) {
  auto s = std::make_shared<Source>();
  s->volume = "p1";
  s->path = std::move(path);
  s->inode = 42;
  s->mtime = mtime;
  return s;
}

inline Parsed run_parser(std::string_view id, std::string_view bytes,
                         std::shared_ptr<const Source> src) {
  Parsed p;
  const Parser* parser = find_parser(id);
  if (parser == nullptr) throw std::runtime_error("parser not registered: " + std::string(id));
  parser->parse(bytes, src, p.records, p.diag);
  return p;
}

}  // namespace deadbox::parsers::testing
