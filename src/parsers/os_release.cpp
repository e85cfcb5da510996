// SPDX-License-Identifier: Apache-2.0
// linux/os_release: os-release(5) KEY=value pairs (shell-style quoting, \-escapes in double
// quotes). Ref: https://www.freedesktop.org/software/systemd/man/os-release.html
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"key", FieldType::kString, "ID, VERSION_ID, PRETTY_NAME, …"},
    {"value", FieldType::kString, "unquoted value"},
    {"line", FieldType::kString, "the raw line"},
};

std::string unquote_shell(std::string_view v) {
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') return std::string(v.substr(1, v.size() - 2));
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) ++i;
      out.push_back(v[i]);
    }
    return out;
  }
  return std::string(v);
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    const std::string_view l = text::trim(raw);
    if (l.empty() || l[0] == '#') return;
    const auto eq = l.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      text::bad_line(diag, *src, "bad_os_release_line", n, "expected KEY=value");
      return;
    }
    Record r = text::make_record("linux/os_release", src, n);
    r.set("key", std::string(text::trim(l.substr(0, eq))));
    r.set("value", unquote_shell(text::trim(l.substr(eq + 1)))).set("line", std::string(raw));
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kOsReleaseParser{
    "linux/os_release",
    "Operating system identification (/etc/os-release, /usr/lib/os-release): ID, VERSION_ID, …",
    {"LinuxReleaseInfo"},
    kFields,
    &parse,
    {"https://www.freedesktop.org/software/systemd/man/os-release.html"}};

}  // namespace deadbox::parsers
