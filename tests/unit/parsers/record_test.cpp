// SPDX-License-Identifier: Apache-2.0
#include "deadbox/parsers/record.hpp"

#include <gtest/gtest.h>

namespace deadbox::parsers {
namespace {

TEST(Record, TypedGettersReturnOnlyMatchingTypes) {
  Record r;
  r.type = "unix/passwd";
  r.set("name", std::string("root")).set("uid", int64_t{0}).set("t", Timestamp{5});
  EXPECT_EQ(r.str("name"), "root");
  EXPECT_EQ(r.i64("uid"), 0);
  EXPECT_EQ(r.str("uid"), std::nullopt);
  EXPECT_EQ(r.time("t"), 5);
  r.set("uid", int64_t{7});
  EXPECT_EQ(r.i64("uid"), 7);
  EXPECT_EQ(r.fields.size(), 3u);
}

TEST(RecordStore, GroupsByTypeInInsertionOrder) {
  RecordStore s;
  Record a, b, c;
  a.type = "x";
  b.type = "y";
  c.type = "x";
  c.line = 2;
  s.add(a);
  s.add(b);
  s.add(c);
  ASSERT_EQ(s.of("x").size(), 2u);
  EXPECT_EQ(s.of("x")[1].line, 2u);
  EXPECT_TRUE(s.of("z").empty());
  EXPECT_EQ(s.size(), 3u);
}

}  // namespace
}  // namespace deadbox::parsers
