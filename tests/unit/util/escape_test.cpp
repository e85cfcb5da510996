// SPDX-License-Identifier: Apache-2.0
#include "deadbox/util/escape.hpp"

#include <gtest/gtest.h>

namespace deadbox::escape {
namespace {

TEST(TerminalEscape, RemovesEscapeBellAndC1Csi) {
  const std::string out = terminal("a\x1b]0;pwned\x07 b\xc2\x9b" "2J c\x9b" "d");
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\x07'), std::string::npos);
  EXPECT_EQ(out.find('\x9b'), std::string::npos);
  EXPECT_EQ(out, "a\\x1b]0;pwned\\x07 b\\xc2\\x9b2J c\\x9bd");
}

TEST(TerminalEscape, KeepsValidUtf8AndEscapesBidiOverride) {
  EXPECT_EQ(terminal("r\xc3\xa9sum\xc3\xa9"), "r\xc3\xa9sum\xc3\xa9");
  EXPECT_EQ(terminal("x\xe2\x80\xaetxt"), "x\\xe2\\x80\\xaetxt");
  EXPECT_EQ(terminal("a\\b"), "a\\\\b");
}

TEST(JsonEscape, AlwaysValidUtf8AndScriptSafe) {
  EXPECT_EQ(json_string("bad\xff\"</script>"), "bad\\\\xff\\\"\\u003c/script\\u003e");
  EXPECT_EQ(json_string("a\nb\x01"), "a\\nb\\u0001");
  EXPECT_EQ(json_string("\xe2\x80\xa8"), "\\u2028");
}

TEST(Utf8Lossless, ReportsLossy) {
  bool lossy = false;
  EXPECT_EQ(utf8_lossless("ok\xc3\xa9", &lossy), "ok\xc3\xa9");
  EXPECT_FALSE(lossy);
  EXPECT_EQ(utf8_lossless("\xc0\xaf", &lossy), "\\xc0\\xaf");  // overlong '/'
  EXPECT_TRUE(lossy);
}

TEST(HtmlEscape, NoMarkupSurvives) {
  const std::string out = html("\"><svg onload=alert(1)>'&");
  EXPECT_EQ(out, "&quot;&gt;&lt;svg onload=alert(1)&gt;&#39;&amp;");
}

TEST(CsvEscape, NeutralisesFormulasAndQuotes) {
  EXPECT_EQ(csv_field("=cmd|' /C calc'!A0"), "\"'=cmd|' /C calc'!A0\"");
  EXPECT_EQ(csv_field("@SUM(1)"), "\"'@SUM(1)\"");
  EXPECT_EQ(csv_field("-1"), "\"'-1\"");
  EXPECT_EQ(csv_field("a\"b\nc"), "\"a\"\"b\\x0ac\"");
}

TEST(BodyfileEscape, FlsReplacesControlsOnly) {
  EXPECT_EQ(bodyfile_fls("a\nb|c"), "a^b|c");
  EXPECT_EQ(bodyfile_plaso("a|b\\c\n"), "a\\|b\\\\c\\x0a");
}

}  // namespace
}  // namespace deadbox::escape
