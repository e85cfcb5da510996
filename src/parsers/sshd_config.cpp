// SPDX-License-Identifier: Apache-2.0
// unix/sshd_config: one record per directive, key lower-cased (sshd keywords are
// case-insensitive), with the Match block it sits in. sshd uses the FIRST value it reads for
// most keywords, so records keep file order. Ref: https://man.openbsd.org/sshd_config
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"key", FieldType::kString, "directive, lower-cased (permitrootlogin, port, include, …)"},
    {"value", FieldType::kString, "directive value"},
    {"match", FieldType::kString, "criteria of the enclosing Match block; absent when global"},
    {"line", FieldType::kString, "the raw line"},
};

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  std::string match;
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    const std::string_view l = text::trim(raw);
    if (l.empty() || l[0] == '#') return;
    // "Keyword value" or "Keyword=value".
    const auto sep = l.find_first_of(" \t=");
    if (sep == std::string_view::npos) {
      text::bad_line(diag, *src, "bad_sshd_line", n, "keyword without value");
      return;
    }
    const std::string key = text::lower(l.substr(0, sep));
    std::string_view value = text::trim(l.substr(sep));
    if (value.starts_with("=")) value = text::trim(value.substr(1));
    if (key == "match") {
      match = text::lower(value) == "all" ? std::string() : std::string(value);
    }
    Record r = text::make_record("unix/sshd_config", src, n);
    r.set("key", key).set("value", std::string(text::unquote(value)));
    if (!match.empty() && key != "match") r.set("match", match);
    r.set("line", std::string(raw));
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kSshdConfigParser{
    "unix/sshd_config",
    "OpenSSH server configuration: every directive (PermitRootLogin, PasswordAuthentication, "
    "PermitEmptyPasswords, AuthorizedKeysFile, Port, ListenAddress, …) with its Match block.",
    {"SshdConfigFile"},
    kFields,
    &parse,
    {"https://man.openbsd.org/sshd_config"}};

}  // namespace deadbox::parsers
