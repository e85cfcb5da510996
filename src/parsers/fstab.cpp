// SPDX-License-Identifier: Apache-2.0
// unix/fstab: fstab(5) entries (device, mount point, type, options, dump, pass); octal
// escapes such as \040 in fields are kept as written. Ref: https://man7.org/linux/man-pages/man5/fstab.5.html
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"device", FieldType::kString, "block device, UUID=, LABEL=, PARTUUID= or remote spec"},
    {"mount_point", FieldType::kString, "mount point (or 'none'/'swap')"},
    {"fs_type", FieldType::kString, "ext4, xfs, swap, nfs, …"},
    {"options", FieldType::kString, "mount options"},
    {"dump", FieldType::kInt, "dump(8) frequency"},
    {"pass", FieldType::kInt, "fsck order"},
    {"line", FieldType::kString, "the raw line"},
};

std::optional<int64_t> small_int(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    const std::string_view l = text::trim(raw);
    if (l.empty() || l[0] == '#') return;
    const auto f = text::split_ws(l);
    if (f.size() < 3 || f.size() > 6) {
      text::bad_line(diag, *src, "bad_fstab_line", n, "expected 3 to 6 fields");
      return;
    }
    Record r = text::make_record("unix/fstab", src, n);
    r.set("device", std::string(f[0])).set("mount_point", std::string(f[1]));
    r.set("fs_type", std::string(f[2]));
    r.set("options", std::string(f.size() > 3 ? f[3] : std::string_view("defaults")));
    if (f.size() > 4) {
      if (auto v = small_int(f[4])) r.set("dump", *v);
      else text::bad_line(diag, *src, "bad_fstab_line", n, "dump field not a number");
    }
    if (f.size() > 5) {
      if (auto v = small_int(f[5])) r.set("pass", *v);
      else text::bad_line(diag, *src, "bad_fstab_line", n, "pass field not a number");
    }
    r.set("line", std::string(raw));
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kFstabParser{"unix/fstab",
                                 "Static filesystem table: what was mounted where.",
                                 {"LinuxFstab"},
                                 kFields,
                                 &parse,
                                 {"https://man7.org/linux/man-pages/man5/fstab.5.html"}};

}  // namespace deadbox::parsers
