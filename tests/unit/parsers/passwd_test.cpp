// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "unit/parsers/parser_test_util.hpp"

namespace deadbox::parsers {
namespace {
using testing::run_parser;
using testing::source_at;

TEST(PasswdParser, ParsesDebianEntries) {
  const auto p = run_parser("unix/passwd", R"(root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
)",
                            source_at("/etc/passwd"));
  const auto& r = p.of("unix/passwd");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].str("name"), "root");
  EXPECT_EQ(r[0].i64("uid"), 0);
  EXPECT_EQ(r[3].str("gecos"), "Alice,,,");
  EXPECT_EQ(r[3].str("home"), "/home/alice");
  EXPECT_EQ(r[3].str("shell"), "/bin/bash");
  EXPECT_EQ(r[3].line, 4u);
  EXPECT_EQ(r[3].str("password_field"), "x");
  EXPECT_EQ(r[2].str("shell"), "/bin/sync");
  EXPECT_TRUE(p.diag.entries().empty());
}

TEST(PasswdParser, ReportsMalformedLinesAndKeepsGoing) {
  const auto p = run_parser("unix/passwd", R"(root:x:0:0:root:/root:/bin/bash
ten:x:1:1:a:b:c:d:e:f
three:x:1
neg:x:-1:0::/:/bin/sh
huge:x:99999999999:0::/:/bin/sh
plus:x:+5:0::/:/bin/sh
+@netgroup::::::
crlf:x:1001:1001::/home/crlf:/bin/bash
)",
                            source_at("/etc/passwd"));
  const auto& r = p.of("unix/passwd");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].str("name"), "crlf");
  EXPECT_EQ(r[1].line, 8u);
  size_t bad_count = 0, bad_id = 0;
  for (const auto& d : p.diag.entries()) {
    if (d.code == "bad_field_count") ++bad_count;
    if (d.code == "bad_id") ++bad_id;
    EXPECT_EQ(d.path, "/etc/passwd");
  }
  EXPECT_EQ(bad_count, 2u);
  EXPECT_EQ(bad_id, 3u);
  EXPECT_TRUE(p.has_diag("nis_compat"));
  bool line_named = false;
  for (const auto& d : p.diag.entries())
    line_named = line_named || d.message.find("(line 4)") != std::string::npos;
  EXPECT_TRUE(line_named);
}

TEST(PasswdParser, RedactsHashInPasswdFieldAndFlagsEmptyPassword) {
  const auto p = run_parser("unix/passwd",
                            "toor:$6$salt$abcdefghijkl:0:0::/root:/bin/bash\r\n"
                            "nopw::1001:1001::/home/nopw:/bin/bash\n",
                            source_at("/etc/passwd"));
  const auto& r = p.of("unix/passwd");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].str("password_field"), "<redacted>");
  EXPECT_EQ(r[0].str("hash_algorithm"), "sha512");
  EXPECT_EQ(r[0].flag("hash_present"), true);
  EXPECT_EQ(r[0].str("shell"), "/bin/bash");  // CR stripped
  for (const auto& [k, v] : r[0].fields)
    if (const auto* s = std::get_if<std::string>(&v)) {
      EXPECT_EQ(s->find("abcdefghijkl"), std::string::npos) << k;
    }
  EXPECT_EQ(r[1].flag("empty_password"), true);
}

TEST(PasswdParser, CountsOverlongLines) {
  std::string text = "a:x:1:1::/:/bin/sh\n" + std::string(200000, 'A') + "\n";
  const auto p = run_parser("unix/passwd", text, source_at("/etc/passwd"));
  EXPECT_EQ(p.of("unix/passwd").size(), 1u);
  EXPECT_TRUE(p.has_diag("line_too_long"));
}

TEST(GroupParser, ParsesMembersAndRejectsBadGid) {
  const auto p = run_parser("unix/group", R"(root:x:0:
sudo:x:27:alice,bob
bad:x:notanumber:
short:x
)",
                            source_at("/etc/group"));
  const auto& r = p.of("unix/group");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].str("members"), "alice,bob");
  EXPECT_EQ(r[1].i64("member_count"), 2);
  EXPECT_EQ(r[0].i64("member_count"), 0);
  EXPECT_TRUE(p.has_diag("bad_id"));
  EXPECT_TRUE(p.has_diag("bad_field_count"));
}

TEST(GshadowParser, ClassifiesGroupPasswords) {
  const auto p = run_parser("unix/gshadow", "sudo:*::alice\nops:$y$j9T$salt$hash:alice:bob\nx:1\n",
                            source_at("/etc/gshadow"));
  const auto& r = p.of("unix/gshadow");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].flag("locked"), true);
  EXPECT_EQ(r[1].str("hash_algorithm"), "yescrypt");
  EXPECT_EQ(r[1].str("admins"), "alice");
  EXPECT_TRUE(p.has_diag("bad_field_count"));
}

}  // namespace
}  // namespace deadbox::parsers
