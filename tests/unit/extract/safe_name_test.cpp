// SPDX-License-Identifier: Apache-2.0
// safe_name(): every hostile name becomes one harmless host name, distinct names stay distinct.
#include <gtest/gtest.h>

#include <set>

#include "deadbox/extract/output_dir.hpp"

namespace deadbox::extract {
namespace {

TEST(SafeName, KeepsOrdinaryNamesAndUtf8) {
  EXPECT_EQ(safe_name("passwd"), "passwd");
  EXPECT_EQ(safe_name(".bash_history"), ".bash_history");
  EXPECT_EQ(safe_name("a|b,c\"d"), "a|b,c\"d");
  EXPECT_EQ(safe_name("r\xC3\xA9sum\xC3\xA9"), "r\xC3\xA9sum\xC3\xA9");
}

TEST(SafeName, EncodesTraversalSeparatorsAndControls) {
  EXPECT_EQ(safe_name(".."), "%2E%2E");
  EXPECT_EQ(safe_name("."), "%2E");
  EXPECT_EQ(safe_name(""), "%(empty)");
  EXPECT_EQ(safe_name("a/b"), "a%2Fb");
  EXPECT_EQ(safe_name("../../x"), "..%2F..%2Fx");
  EXPECT_EQ(safe_name("a\nb"), "a%0Ab");
  EXPECT_EQ(safe_name(std::string("a\0b", 3)), "a%00b");
  EXPECT_EQ(safe_name("\x1b]0;x\x07"), "%1B]0;x%07");
  EXPECT_EQ(safe_name("50%"), "50%25");
  EXPECT_EQ(safe_name("\xff\xfe"), "%FF%FE");
  EXPECT_EQ(safe_name("\xC2\x9B"), "%C2%9B") << "C1 CSI";
  EXPECT_EQ(safe_name("x\xE2\x80\xAEgpj.exe"), "x%E2%80%AEgpj.exe") << "bidi override";
  EXPECT_EQ(safe_name("\xC0\xAF"), "%C0%AF") << "overlong '/'";
}

TEST(SafeName, IsInjectiveOnTrickyPairs) {
  const std::string names[] = {"a/b", "a%2Fb", "a%252Fb",  "..",   "%2E%2E",
                               ".",   "",      "%(empty)", "a\nb", "a%0Ab"};
  std::set<std::string> out;
  for (const auto& n : names) out.insert(safe_name(n));
  EXPECT_EQ(out.size(), std::size(names));
}

TEST(SafeName, BoundsLongNamesAndKeepsThemDistinct) {
  const std::string a(255, '\x01'), b = std::string(254, '\x01') + "\x02";
  const auto sa = safe_name(a), sb = safe_name(b);
  EXPECT_LE(sa.size(), 255u);
  EXPECT_NE(sa, sb);
  EXPECT_NE(sa.find("%~"), std::string::npos);
  EXPECT_EQ(safe_name(std::string(255, 'x')), std::string(255, 'x'));
}

}  // namespace
}  // namespace deadbox::extract
