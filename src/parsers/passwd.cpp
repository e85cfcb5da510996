// SPDX-License-Identifier: Apache-2.0
// unix/passwd: passwd(5) entries. A hash left in the password field (pre-shadow systems, or
// a backdoor written straight into passwd) is classified and redacted, never copied.
// Ref: https://man7.org/linux/man-pages/man5/passwd.5.html
#include "deadbox/parsers/parser.hpp"
#include "parsers/colon_fields.hpp"
#include "parsers/line_reader.hpp"
#include "parsers/password_field.hpp"

namespace deadbox::parsers {
namespace {

// uid_t is 32-bit; (uid_t)-1 is "no user" and cannot own a login.
constexpr int64_t kMaxId = 4294967294;

constexpr Field kFields[] = {
    {"name", FieldType::kString, "Account name"},
    {"password_field", FieldType::kString,
     "Password field as written ('x' = in shadow, '*', '!', ''); a hash becomes '<redacted>'"},
    {"hash_present", FieldType::kBool, "A password hash is stored (the hash is not copied)"},
    {"hash_algorithm", FieldType::kString, "Algorithm of a hash in the passwd field, or none"},
    {"empty_password", FieldType::kBool, "Password field empty: no password needed"},
    {"uid", FieldType::kInt, "User id"},
    {"gid", FieldType::kInt, "Primary group id"},
    {"gecos", FieldType::kString, "Comment (full name…)"},
    {"home", FieldType::kString, "Home directory"},
    {"shell", FieldType::kString, "Login shell"},
};

constexpr ColonFormat kFormat{
    .kind = "passwd",
    .fields = 7,
    .name_in_count_diag = true,
    // NIS compat lines ("+", "+@netgroup", "-user") import accounts from elsewhere; they are
    // not local accounts, so they are noted, not parsed as ones.
    .nis_compat = true,
    .empty_name = ColonFormat::EmptyName::kEmptyName,
};

void parse(std::string_view bytes, const std::shared_ptr<const Source>& source, RecordSink& out,
           Diagnostics& diag) {
  for_each_colon_entry(bytes, *source, diag, kFormat, [&](uint64_t line, const ColonFields& f) {
    const auto uid = parse_int(f[2], 0, kMaxId);
    const auto gid = parse_int(f[3], 0, kMaxId);
    if (!uid || !gid) {
      diag_at(diag, *source, "bad_id",
              "passwd entry " + quote_for_diag(f[0]) + " has an invalid " +
                  (uid ? "gid " + quote_for_diag(f[3]) : "uid " + quote_for_diag(f[2])),
              line);
      return;
    }
    Record r = make_record("unix/passwd", source, line);
    r.set("name", std::string(f[0]));
    if (f[1] == "x") {
      r.set("password_field", std::string("x")).set("hash_present", false);
      r.set("empty_password", false).set("hash_algorithm", std::string("none"));
    } else {
      const PasswordInfo pw = classify_password(f[1]);
      r.set("password_field", pw.hash_present ? std::string("<redacted>") : std::string(f[1]));
      r.set("hash_present", pw.hash_present).set("empty_password", pw.empty);
      r.set("hash_algorithm", std::string(pw.algorithm));
    }
    r.set("uid", *uid).set("gid", *gid);
    r.set("gecos", std::string(f[4])).set("home", std::string(f[5]));
    r.set("shell", std::string(f[6]));
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kPasswdParser{
    .id = "unix/passwd",
    .description =
        "passwd(5) accounts: name, uid, gid, GECOS, home, shell; a hash found in the "
        "password field is classified and redacted.",
    .artifacts = {"LinuxPasswdFile", "UnixPasswdFile"},
    .fields = kFields,
    .parse = &parse,
    .references = {"https://man7.org/linux/man-pages/man5/passwd.5.html"},
};

}  // namespace deadbox::parsers
