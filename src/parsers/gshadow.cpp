// SPDX-License-Identifier: Apache-2.0
// unix/gshadow: gshadow(5) entries; a group password hash is classified, never copied.
// Ref: https://man7.org/linux/man-pages/man5/gshadow.5.html
#include "deadbox/parsers/parser.hpp"
#include "parsers/colon_fields.hpp"
#include "parsers/line_reader.hpp"
#include "parsers/password_field.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"name", FieldType::kString, "Group name"},
    {"hash_present", FieldType::kBool, "A group password hash is stored (not copied)"},
    {"hash_algorithm", FieldType::kString, "Algorithm of the hash, or none"},
    {"locked", FieldType::kBool, "'!' or '*': no group password can match"},
    {"empty_password", FieldType::kBool, "Password field empty: members-only newgrp"},
    {"admins", FieldType::kString, "Group administrators, comma-separated"},
    {"members", FieldType::kString, "Members, comma-separated"},
};

// A nameless entry is reported as malformed, like a wrong field count.
constexpr ColonFormat kFormat{
    .kind = "gshadow", .fields = 4, .empty_name = ColonFormat::EmptyName::kBadFieldCount};

void parse(std::string_view bytes, const std::shared_ptr<const Source>& source, RecordSink& out,
           Diagnostics& diag) {
  for_each_colon_entry(bytes, *source, diag, kFormat, [&](uint64_t line, const ColonFields& f) {
    Record r = make_record("unix/gshadow", source, line);
    r.set("name", std::string(f[0]));
    set_password_state(r, classify_password(f[1]))
        .set("admins", std::string(f[2]))
        .set("members", std::string(f[3]));
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kGshadowParser{
    .id = "unix/gshadow",
    .description =
        "gshadow(5) entries: group password state (hash never copied), admins, "
        "members.",
    .artifacts = {"UnixGshadowFile"},
    .fields = kFields,
    .parse = &parse,
    .references = {"https://man7.org/linux/man-pages/man5/gshadow.5.html"},
};

}  // namespace deadbox::parsers
