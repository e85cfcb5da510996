// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "parsers/password_field.hpp"
#include "unit/parsers/parser_test_util.hpp"

namespace deadbox::parsers {
namespace {
using testing::run_parser;
using testing::source_at;

TEST(PasswordField, ClassifiesCryptPrefixes) {
  struct Case {
    std::string_view field, algorithm;
    bool hash, locked, empty;
  };
  const Case cases[] = {
      {"$1$s$h", "md5", true, false, false},
      {"$5$s$h", "sha256", true, false, false},
      {"$6$s$h", "sha512", true, false, false},
      {"$y$j9T$s$h", "yescrypt", true, false, false},
      {"$2b$10$h", "bcrypt", true, false, false},
      {"!$6$s$h", "sha512", true, true, false},
      {"!!", "none", false, true, false},
      {"*", "none", false, true, false},
      {"!", "none", false, true, false},
      {"", "none", false, false, true},
      {"abcdefghijklm", "des", true, false, false},
      {"$9$weird", "unknown", true, false, false},
  };
  for (const auto& c : cases) {
    const auto info = classify_password(c.field);
    EXPECT_EQ(info.algorithm, c.algorithm) << c.field;
    EXPECT_EQ(info.hash_present, c.hash) << c.field;
    EXPECT_EQ(info.locked, c.locked) << c.field;
    EXPECT_EQ(info.empty, c.empty) << c.field;
  }
}

TEST(ShadowParser, ParsesEntriesWithoutCopyingHashes) {
  const std::string secret = "$y$j9T$Qx1sECRETsalt$SECRETHASHVALUEabcdefghijklmnopqrstuvw";
  const std::string text = "root:" + secret + ":19800:0:99999:7:::\n" +
                           "daemon:*:19800:0:99999:7:::\n"
                           "alice:!$6$salt$hash:0:0:99999:7::20000:\n"
                           "nopass::19800::::::\n";
  const auto p = run_parser("unix/shadow", text, source_at("/etc/shadow"));
  const auto& r = p.of("unix/shadow");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].str("hash_algorithm"), "yescrypt");
  EXPECT_EQ(r[0].flag("hash_present"), true);
  EXPECT_EQ(r[0].time("last_change"), int64_t{19800} * 86400 * 1'000'000'000);
  EXPECT_EQ(r[1].flag("locked"), true);
  EXPECT_EQ(r[2].flag("locked"), true);
  EXPECT_EQ(r[2].flag("must_change_password"), true);
  EXPECT_EQ(r[2].time("expire"), int64_t{20000} * 86400 * 1'000'000'000);
  EXPECT_EQ(r[3].flag("empty_password"), true);
  for (const auto& rec : r)
    for (const auto& [k, v] : rec.fields)
      if (const auto* s = std::get_if<std::string>(&v)) {
        EXPECT_EQ(s->find("SECRET"), std::string::npos) << k;
      }
  EXPECT_TRUE(p.diag.entries().empty());
}

TEST(ShadowParser, ReportsMalformedEntries) {
  const auto p = run_parser("unix/shadow", "a:*:x:0:99999:7:::\nb:*\n:*:1:0:99999:7:::\n",
                            source_at("/etc/shadow"));
  ASSERT_EQ(p.of("unix/shadow").size(), 1u);  // a kept, bad day count noted
  EXPECT_FALSE(p.of("unix/shadow")[0].time("last_change"));
  EXPECT_TRUE(p.has_diag("bad_number"));
  EXPECT_TRUE(p.has_diag("bad_field_count"));
  EXPECT_TRUE(p.has_diag("empty_name"));
}

}  // namespace
}  // namespace deadbox::parsers
