// SPDX-License-Identifier: Apache-2.0
// unix/gshadow: gshadow(5) entries; a group password hash is classified, never copied.
// Ref: https://man7.org/linux/man-pages/man5/gshadow.5.html
#include "deadbox/parsers/parser.hpp"
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

void parse(std::string_view bytes, const std::shared_ptr<const Source>& source, RecordSink& out,
           Diagnostics& diag) {
  LineReader reader(bytes);
  Line line;
  while (reader.next(line)) {
    if (line.text.empty()) continue;
    const auto f = split_fields(line.text, ':');
    if (f.size() != 4 || f[0].empty()) {
      diag_at(diag, *source, "bad_field_count",
              "gshadow entry with " + std::to_string(f.size()) + " fields, expected 4",
              line.number);
      continue;
    }
    const PasswordInfo pw = classify_password(f[1]);
    Record r = make_record("unix/gshadow", source, line.number);
    r.set("name", std::string(f[0]))
        .set("hash_present", pw.hash_present)
        .set("hash_algorithm", std::string(pw.algorithm))
        .set("locked", pw.locked)
        .set("empty_password", pw.empty)
        .set("admins", std::string(f[2]))
        .set("members", std::string(f[3]));
    out.add(std::move(r));
  }
  report_truncations(reader, *source, diag);
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
