// SPDX-License-Identifier: Apache-2.0
// Glob semantics: "*" and "?" stay within a segment, "**" spans 1..10 levels, "**N" 1..N.
#include "artifacts/glob.hpp"

#include <gtest/gtest.h>

namespace deadbox::artifacts::glob {
namespace {

bool matches(std::string_view pattern, std::string_view path) {
  Pattern p;
  EXPECT_FALSE(parse(pattern, &p).has_value()) << pattern;
  return match_tail(p, 0, split(path), 0);
}

TEST(Glob, StarStaysWithinOneSegment) {
  EXPECT_TRUE(matches("/etc/cron.d/*", "/etc/cron.d/job"));
  EXPECT_TRUE(matches("/etc/cron.d/*", "/etc/cron.d/.hidden"));
  EXPECT_FALSE(matches("/etc/cron.d/*", "/etc/cron.d/sub/job"));
  EXPECT_FALSE(matches("/etc/cron.d/*", "/etc/cron.d"));
  EXPECT_TRUE(matches("/var/log/auth*", "/var/log/auth.log.2.gz"));
  EXPECT_FALSE(matches("/var/log/auth*", "/var/log/x/auth.log"));
  EXPECT_TRUE(matches("/etc/ssh/ssh_host_*_key.pub", "/etc/ssh/ssh_host_ed25519_key.pub"));
  EXPECT_FALSE(matches("/etc/ssh/ssh_host_*_key.pub", "/etc/ssh/ssh_host_ed25519_key"));
}

TEST(Glob, QuestionMarkIsOneByte) {
  EXPECT_TRUE(matches("/etc/rc?.d/*", "/etc/rc3.d/S01x"));
  EXPECT_FALSE(matches("/etc/rc?.d/*", "/etc/rc.d/S01x"));
  EXPECT_FALSE(matches("/etc/rc?.d/*", "/etc/rc10.d/S01x"));
}

TEST(Glob, DoubleStarDefaultsToTenLevelsAndNeedsOne) {
  EXPECT_FALSE(matches("/boot/**", "/boot"));
  EXPECT_TRUE(matches("/boot/**", "/boot/vmlinuz"));
  EXPECT_TRUE(matches("/boot/**", "/boot/1/2/3/4/5/6/7/8/9/10"));
  EXPECT_FALSE(matches("/boot/**", "/boot/1/2/3/4/5/6/7/8/9/10/11"));
}

TEST(Glob, DoubleStarWithDepth) {
  EXPECT_TRUE(matches("/a/**2", "/a/b"));
  EXPECT_TRUE(matches("/a/**2", "/a/b/c"));
  EXPECT_FALSE(matches("/a/**2", "/a/b/c/d"));
  EXPECT_TRUE(matches("/a/**2/x", "/a/b/c/x"));
  EXPECT_FALSE(matches("/a/**2/x", "/a/x"));
}

TEST(Glob, LiteralDotsAndBytesMatchExactly) {
  EXPECT_TRUE(matches("/etc/shadow-", "/etc/shadow-"));
  EXPECT_FALSE(matches("/etc/shadow-", "/etc/shadow"));
  EXPECT_TRUE(matches("/x/*", std::string("/x/a\nb\xff", 8)));
}

TEST(Glob, ParseRefusesBadSyntax) {
  Pattern p;
  EXPECT_EQ(parse("etc/passwd", &p), "path is not absolute");
  EXPECT_TRUE(parse("/etc//passwd", &p).has_value());
  EXPECT_TRUE(parse("/etc/../shadow", &p).has_value());
  EXPECT_TRUE(parse("/etc/./shadow", &p).has_value());
  EXPECT_TRUE(parse("/a/b**", &p).has_value());
  EXPECT_TRUE(parse("/a/**x", &p).has_value());
  EXPECT_TRUE(parse("/a/**0", &p).has_value());
  EXPECT_TRUE(parse("/a/**65", &p).has_value());
  EXPECT_TRUE(parse("/a/", &p).has_value());
  EXPECT_FALSE(parse("/a/**64", &p).has_value());
}

TEST(Glob, HostileDepthStaysLinear) {
  std::string deep;
  for (int i = 0; i < 4000; ++i) deep += "/d";
  EXPECT_FALSE(matches("/**/**/**/**/x", deep));
}

TEST(Glob, LiteralHomeKeepsStarsAsText) {
  auto p = literal("/home/*/");
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(match_tail(*p, 0, split("/home/*"), 0));
  EXPECT_FALSE(match_tail(*p, 0, split("/home/alice"), 0));
  EXPECT_FALSE(literal("/home/../etc").has_value());
  EXPECT_FALSE(literal("relative").has_value());
}

}  // namespace
}  // namespace deadbox::artifacts::glob
