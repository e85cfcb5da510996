// SPDX-License-Identifier: Apache-2.0
// linux/ld_so_preload: /etc/ld.so.preload, libraries the dynamic linker loads into every
// process (the classic userland-rootkit hook). Entries are separated by blanks or ':'.
// Ref: https://man7.org/linux/man-pages/man8/ld.so.8.html (FILES)
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"library", FieldType::kString, "path of the preloaded library"},
    {"line", FieldType::kString, "the raw line"},
};

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    std::string_view l = text::trim(raw);
    if (l.empty() || l[0] == '#') return;
    size_t pos = 0;
    while (pos < l.size()) {
      const auto start = l.find_first_not_of(" \t:", pos);
      if (start == std::string_view::npos) break;
      auto end = l.find_first_of(" \t:", start);
      if (end == std::string_view::npos) end = l.size();
      Record r = text::make_record("linux/ld_so_preload", src, n);
      r.set("library", std::string(l.substr(start, end - start))).set("line", std::string(raw));
      out.add(std::move(r));
      pos = end;
    }
  });
}

}  // namespace

extern const Parser kLdSoPreloadParser{
    "linux/ld_so_preload",
    "Dynamic linker preload list (/etc/ld.so.preload): one record per library.",
    {"LinuxLoaderSystemPreloadFile"},
    kFields,
    &parse,
    {"https://man7.org/linux/man-pages/man8/ld.so.8.html"}};

}  // namespace deadbox::parsers
