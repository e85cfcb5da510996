// SPDX-License-Identifier: Apache-2.0
#include "parsers/line_reader.hpp"

#include <gtest/gtest.h>

namespace deadbox::parsers {
namespace {

TEST(LineReader, HandlesCrlfNulAndMissingFinalNewline) {
  const std::string text("a\r\nb\0c\n\nlast", 12);
  LineReader r(text);
  Line l;
  std::vector<std::string> got;
  while (r.next(l)) got.emplace_back(l.text);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], "a");
  EXPECT_EQ(got[1], std::string("b\0c", 3));
  EXPECT_EQ(got[2], "");
  EXPECT_EQ(got[3], "last");
  EXPECT_EQ(l.number, 4u);
}

TEST(LineReader, CutsAndCountsOverlongLines) {
  const std::string text = std::string(100, 'x') + "\nok\n" + std::string(50, 'y');
  LineReader r(text, 10);
  Line l;
  ASSERT_TRUE(r.next(l));
  EXPECT_EQ(l.text.size(), 10u);
  EXPECT_TRUE(l.truncated);
  ASSERT_TRUE(r.next(l));
  EXPECT_EQ(l.text, "ok");
  EXPECT_EQ(l.number, 2u);
  ASSERT_TRUE(r.next(l));
  EXPECT_FALSE(r.next(l));
  EXPECT_EQ(r.truncated_count(), 2u);
}

TEST(LineReader, ManyEmptyLinesAreCheap) {
  const std::string text(10'000'000, '\n');
  LineReader r(text);
  Line l;
  uint64_t n = 0;
  while (r.next(l)) ++n;
  EXPECT_EQ(n, 10'000'000u);
}

TEST(ParseInt, RejectsSignsJunkAndRange) {
  EXPECT_EQ(parse_int("1000", 0, 4294967294), 1000);
  EXPECT_EQ(parse_int("-1", 0, 10), std::nullopt);
  EXPECT_EQ(parse_int("+5", 0, 10), std::nullopt);
  EXPECT_EQ(parse_int("99999999999999999999", 0, INT64_MAX), std::nullopt);
  EXPECT_EQ(parse_int("12a", 0, 100), std::nullopt);
  EXPECT_EQ(parse_int("", 0, 100), std::nullopt);
}

}  // namespace
}  // namespace deadbox::parsers
