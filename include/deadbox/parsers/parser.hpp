// SPDX-License-Identifier: Apache-2.0
// Parser: a pure function from one artifact's bytes to records, plus a descriptor naming the
// ForensicArtifacts definitions it consumes (paths live only in artifacts/). Parsers never
// open files or walk trees, and never throw on malformed content: they record a diagnostic
// with the line number and move on (house style §3.3, §3.5).
#pragma once
#include <span>
#include <string_view>
#include <vector>

#include "deadbox/parsers/record.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::parsers {

/// bytes: the file content, already decompressed by the driver (.gz/.xz/.bz2) and capped.
using ParseFn = void (*)(std::string_view bytes, const std::shared_ptr<const Source>& source,
                         RecordSink& out, Diagnostics& diag);

struct Parser {
  std::string_view id;           ///< record type it emits, e.g. "unix/passwd"
  std::string_view description;  ///< user documentation (deadbox list parsers)
  std::vector<std::string_view> artifacts;  ///< FA definition names it consumes
  std::span<const Field> fields;
  ParseFn parse;
  std::vector<std::string_view> references = {};
};

/// The registry: one line per parser in src/parsers/registry.cpp.
std::span<const Parser* const> all_parsers();
const Parser* find_parser(std::string_view id);

}  // namespace deadbox::parsers
