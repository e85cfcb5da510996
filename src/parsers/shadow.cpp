// SPDX-License-Identifier: Apache-2.0
// unix/shadow: shadow(5) entries; the hash is classified (algorithm, lock state), never copied.
// Ref: https://man7.org/linux/man-pages/man5/shadow.5.html,
// https://man7.org/linux/man-pages/man5/crypt.5.html
#include <array>

#include "deadbox/parsers/parser.hpp"
#include "parsers/colon_fields.hpp"
#include "parsers/line_reader.hpp"
#include "parsers/password_field.hpp"

namespace deadbox::parsers {

PasswordInfo classify_password(std::string_view field) {
  PasswordInfo info;
  if (field.empty()) {
    info.empty = true;
    info.algorithm = "none";
    return info;
  }
  // passwd -l / usermod -L prepend '!' (sometimes repeatedly); the hash after it survives
  // and comes back with -U, so keep reporting its algorithm.
  while (!field.empty() && field.front() == '!') {
    info.locked = true;
    field.remove_prefix(1);
  }
  struct Prefix {
    std::string_view prefix, name;
  };
  static constexpr std::array<Prefix, 12> kPrefixes{{{"$1$", "md5"},
                                                     {"$5$", "sha256"},
                                                     {"$6$", "sha512"},
                                                     {"$y$", "yescrypt"},
                                                     {"$gy$", "gost-yescrypt"},
                                                     {"$7$", "scrypt"},
                                                     {"$2a$", "bcrypt"},
                                                     {"$2b$", "bcrypt"},
                                                     {"$2y$", "bcrypt"},
                                                     {"$2x$", "bcrypt"},
                                                     {"$sha1$", "sha1crypt"},
                                                     {"$md5", "sunmd5"}}};
  for (const auto& p : kPrefixes) {
    if (field.starts_with(p.prefix)) {
      info.hash_present = true;
      info.algorithm = p.name;
      return info;
    }
  }
  auto is_b64 = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '/';
  };
  bool all_b64 = !field.empty();
  for (char c : field) all_b64 = all_b64 && is_b64(c);
  if (field.size() == 13 && all_b64) {
    info.hash_present = true;
    info.algorithm = "des";
    return info;
  }
  if (field.starts_with('$')) {
    info.hash_present = true;
    info.algorithm = "unknown";
    return info;
  }
  // '*', "!!", "LK", "NP", "x" in shadow: no password can ever match, the account cannot log
  // in with a password (keys or su from root still work).
  info.algorithm = "none";
  if (!field.empty() || info.locked) info.locked = true;
  return info;
}

namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kMaxDays = 1'000'000;  // ~2700 years: beyond is corrupt, not a date

constexpr Field kFields[] = {
    {"name", FieldType::kString, "Account name"},
    {"hash_present", FieldType::kBool, "A password hash is stored (the hash is not copied)"},
    {"hash_algorithm", FieldType::kString,
     "md5, sha256, sha512, yescrypt, bcrypt, des, …, unknown; none without a hash"},
    {"locked", FieldType::kBool, "'!' prefix or a value no password matches ('*', '!!')"},
    {"empty_password", FieldType::kBool, "Password field empty: no password needed"},
    {"last_change", FieldType::kTimestamp, "Last password change (UTC day)"},
    {"must_change_password", FieldType::kBool, "last change field is 0"},
    {"min_days", FieldType::kInt, "Minimum password age (days)"},
    {"max_days", FieldType::kInt, "Maximum password age (days)"},
    {"warn_days", FieldType::kInt, "Warning period (days)"},
    {"inactive_days", FieldType::kInt, "Inactivity period (days)"},
    {"expire", FieldType::kTimestamp, "Account expiration (UTC day)"},
};

// shadow(5) has 9 fields; tolerate a missing trailing reserved field (8) as login.defs tools
// do, anything else is malformed.
constexpr ColonFormat kFormat{.kind = "shadow",
                              .fields = 9,
                              .min_fields = 8,
                              .empty_name = ColonFormat::EmptyName::kEmptyName};

void parse(std::string_view bytes, const std::shared_ptr<const Source>& source, RecordSink& out,
           Diagnostics& diag) {
  for_each_colon_entry(bytes, *source, diag, kFormat, [&](uint64_t line, const ColonFields& f) {
    Record r = make_record("unix/shadow", source, line);
    r.set("name", std::string(f[0]));
    set_password_state(r, classify_password(f[1]));
    auto days = [&](size_t i, std::string_view what) -> std::optional<int64_t> {
      if (f[i].empty()) return std::nullopt;  // empty = feature disabled (shadow(5))
      auto v = parse_int(f[i], -1, kMaxDays);
      if (!v)
        diag_at(diag, *source, "bad_number",
                std::string(what) + " is not a day count: " + quote_for_diag(f[i]), line);
      return v;
    };
    if (auto v = days(2, "last_change")) {
      if (*v == 0)
        r.set("must_change_password", true);
      else if (*v > 0)
        r.set("last_change", Timestamp{*v * kSecondsPerDay * 1'000'000'000});
    }
    if (auto v = days(3, "min_days")) r.set("min_days", *v);
    if (auto v = days(4, "max_days")) r.set("max_days", *v);
    if (auto v = days(5, "warn_days")) r.set("warn_days", *v);
    if (auto v = days(6, "inactive_days")) r.set("inactive_days", *v);
    if (auto v = days(7, "expire"); v && *v >= 0)
      r.set("expire", Timestamp{*v * kSecondsPerDay * 1'000'000'000});
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kShadowParser{
    .id = "unix/shadow",
    .description =
        "shadow(5) password entries: hash presence, algorithm and lock state (the "
        "hash itself is never copied), password ageing and expiry.",
    .artifacts = {"UnixShadowFile", "UnixShadowBackupFile"},
    .fields = kFields,
    .parse = &parse,
    .references = {"https://man7.org/linux/man-pages/man5/shadow.5.html",
                   "https://man7.org/linux/man-pages/man5/crypt.5.html"},
};

}  // namespace deadbox::parsers
