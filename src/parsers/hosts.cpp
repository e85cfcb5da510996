// SPDX-License-Identifier: Apache-2.0
// unix/hosts: /etc/hosts entries (address, then names). Malware uses it to pin pool or C2 names
// and to blackhole competitors' pools. Ref: https://man7.org/linux/man-pages/man5/hosts.5.html
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"ip", FieldType::kString, "IPv4 or IPv6 address as written"},
    {"names", FieldType::kString, "canonical name and aliases, space-separated"},
    {"line", FieldType::kString, "the raw line"},
};

bool looks_like_address(std::string_view s) {
  bool digit_or_colon = false;
  for (char c : s) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != '.' && c != ':' && c != '%') return false;
    if ((c >= '0' && c <= '9') || c == ':') digit_or_colon = true;
  }
  return digit_or_colon;
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    std::string_view l = raw.substr(0, raw.find('#'));
    l = text::trim(l);
    if (l.empty()) return;
    const auto f = text::split_ws(l);
    if (f.size() < 2 || !looks_like_address(f[0])) {
      text::bad_line(diag, *src, "bad_hosts_line", n, "expected address and names");
      return;
    }
    std::string names;
    for (size_t i = 1; i < f.size(); ++i) {
      if (!names.empty()) names += ' ';
      names += text::lower(f[i]);
    }
    Record r = text::make_record("unix/hosts", src, n);
    r.set("ip", std::string(f[0])).set("names", names).set("line", std::string(raw));
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kHostsParser{"unix/hosts",
                                 "Static host name table (/etc/hosts): address and names.",
                                 {"UnixHostsFile"},
                                 kFields,
                                 &parse,
                                 {"https://man7.org/linux/man-pages/man5/hosts.5.html"}};

}  // namespace deadbox::parsers
