// SPDX-License-Identifier: Apache-2.0
// unix/group: group(5) entries.
// Ref: https://man7.org/linux/man-pages/man5/group.5.html
#include "deadbox/parsers/parser.hpp"
#include "parsers/colon_fields.hpp"
#include "parsers/line_reader.hpp"

namespace deadbox::parsers {
namespace {

constexpr int64_t kMaxId = 4294967294;

constexpr Field kFields[] = {
    {"name", FieldType::kString, "Group name"},
    {"password_field", FieldType::kString, "Password field ('x' = in gshadow); a hash is redacted"},
    {"gid", FieldType::kInt, "Group id"},
    {"members", FieldType::kString, "Member account names, comma-separated as in the file"},
    {"member_count", FieldType::kInt, "Number of listed members"},
};

constexpr ColonFormat kFormat{.kind = "group", .fields = 4, .nis_compat = true};

void parse(std::string_view bytes, const std::shared_ptr<const Source>& source, RecordSink& out,
           Diagnostics& diag) {
  for_each_colon_entry(bytes, *source, diag, kFormat, [&](uint64_t line, const ColonFields& f) {
    const auto gid = parse_int(f[2], 0, kMaxId);
    if (f[0].empty() || !gid) {
      diag_at(diag, *source, "bad_id",
              "group entry " + quote_for_diag(f[0]) + " has an invalid gid " + quote_for_diag(f[2]),
              line);
      return;
    }
    int64_t members = 0;
    if (!f[3].empty())
      for (auto m : split_fields(f[3], ','))
        if (!m.empty()) ++members;
    const bool plain = f[1].empty() || f[1] == "x" || f[1] == "*" || f[1].starts_with('!');
    Record r = make_record("unix/group", source, line);
    r.set("name", std::string(f[0]))
        .set("password_field", plain ? std::string(f[1]) : std::string("<redacted>"))
        .set("gid", *gid)
        .set("members", std::string(f[3]))
        .set("member_count", members);
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kGroupParser{
    .id = "unix/group",
    .description = "group(5) entries: name, gid and member list.",
    .artifacts = {"UnixGroupsFile"},
    .fields = kFields,
    .parse = &parse,
    .references = {"https://man7.org/linux/man-pages/man5/group.5.html"},
};

}  // namespace deadbox::parsers
