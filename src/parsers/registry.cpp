// SPDX-License-Identifier: Apache-2.0
// The parser registry: one line per parser (house style §3.3). Adding a parser = its .cpp,
// its _test.cpp, one line here, one line in CMakeLists.txt.
#include "deadbox/parsers/parser.hpp"

namespace deadbox::parsers {

// Descriptors are defined in their own files as `extern const Parser kXxxParser`.
// clang-format off
// (declarations)
extern const Parser kAtJobParser;
extern const Parser kCrontabParser;
extern const Parser kFstabParser;
extern const Parser kHostsParser;
extern const Parser kLdSoPreloadParser;
extern const Parser kOsReleaseParser;
extern const Parser kRedisConfParser;
extern const Parser kShellHistoryParser;
extern const Parser kShellStartupParser;
extern const Parser kSshAuthorizedKeyParser;
extern const Parser kSshKnownHostParser;
extern const Parser kSshdConfigParser;
extern const Parser kSystemdUnitParser;
extern const Parser kGroupParser;
extern const Parser kGshadowParser;
extern const Parser kLastlogParser;
extern const Parser kPasswdParser;
extern const Parser kShadowParser;
extern const Parser kSyslogParser;
extern const Parser kUtmpParser;
// clang-format on

namespace {
const Parser* const kParsers[] = {
    nullptr,  // placeholder so the array is never empty; skipped below
    &kAtJobParser,
    &kCrontabParser,
    &kFstabParser,
    &kHostsParser,
    &kLdSoPreloadParser,
    &kOsReleaseParser,
    &kRedisConfParser,
    &kShellHistoryParser,
    &kShellStartupParser,
    &kSshAuthorizedKeyParser,
    &kSshKnownHostParser,
    &kSshdConfigParser,
    &kSystemdUnitParser,
    &kGroupParser,
    &kGshadowParser,
    &kLastlogParser,
    &kPasswdParser,
    &kShadowParser,
    &kSyslogParser,
    &kUtmpParser,
};
}  // namespace

std::span<const Parser* const> all_parsers() {
  return std::span<const Parser* const>(kParsers + 1, std::size(kParsers) - 1);
}

const Parser* find_parser(std::string_view id) {
  for (const Parser* p : all_parsers())
    if (p->id == id) return p;
  return nullptr;
}

}  // namespace deadbox::parsers
