// SPDX-License-Identifier: Apache-2.0
// LVM2 text metadata parser: real syntax, and hostile text (depth, size, unterminated strings,
// overflowing numbers) rejected with a line number instead of crashing or looping.
#include <gtest/gtest.h>

#include "volume/volume_internal.hpp"

namespace deadbox::volume {
namespace {

TEST(LvmText, ParsesSectionsValuesArraysAndComments) {
  std::string err;
  auto root = parse_lvm_text(R"(# comment
vg0 {
  id = "abc-def"   # trailing comment
  seqno = 12
  status = ["RESIZEABLE", "READ"]
  empty = [ ]
  name = "quote \" and \\ backslash"
  logical_volumes {
    lv-1.x+y { segment1 { start_extent = 0 stripes = [ "pv0", 42 ] } }
  }
}
contents = "Text Format Volume Group"
version = -1
)",
                             &err);
  ASSERT_TRUE(root) << err;
  EXPECT_EQ(root->number("version"), -1);
  const LvmSection* vg = root->child("vg0");
  ASSERT_NE(vg, nullptr);
  EXPECT_EQ(vg->string("id"), "abc-def");
  EXPECT_EQ(vg->number("seqno"), 12);
  EXPECT_EQ(vg->string("name"), "quote \" and \\ backslash");
  ASSERT_NE(vg->array("status"), nullptr);
  EXPECT_EQ(vg->array("status")->items.size(), 2u);
  EXPECT_TRUE(vg->array("empty")->items.empty());
  const LvmSection* seg = vg->child("logical_volumes")->child("lv-1.x+y")->child("segment1");
  ASSERT_NE(seg, nullptr);
  EXPECT_EQ(seg->array("stripes")->items[1].number, 42);
  EXPECT_FALSE(vg->number("id").has_value());  // wrong type is absent, not a crash
}

TEST(LvmText, RejectsHostileInputWithALineNumber) {
  std::string err;
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "a {\n";
  EXPECT_FALSE(parse_lvm_text(deep, &err));
  EXPECT_NE(err.find("deeper than 32"), std::string::npos) << err;

  EXPECT_FALSE(parse_lvm_text("vg {\n x = \"never closed\n}\n", &err));
  EXPECT_NE(err.find("unterminated string"), std::string::npos) << err;

  EXPECT_FALSE(parse_lvm_text("x = 99999999999999999999999\n", &err));
  EXPECT_NE(err.find("out of range"), std::string::npos) << err;

  EXPECT_FALSE(parse_lvm_text("vg {\n\n x = = 1 }", &err));
  EXPECT_NE(err.find("line 3"), std::string::npos) << err;

  EXPECT_FALSE(parse_lvm_text("}", &err));
  EXPECT_FALSE(parse_lvm_text("vg { x = [1, 2", &err));
  EXPECT_FALSE(parse_lvm_text(std::string((1 << 20) + 1, ' '), &err));
  EXPECT_NE(err.find("1 MiB"), std::string::npos) << err;
}

TEST(LvmText, CrcMatchesLvmReferenceValue) {
  // lvm2 lib/misc/crc.c: calc_crc(INITIAL_CRC, "", 0) is the seed; CRC of "123456789" with
  // seed 0xffffffff and no final xor is ~0xCBF43926 (the standard CRC-32 check value).
  EXPECT_EQ(lvm_crc(0xf597a6cf, ""), 0xf597a6cfu);
  EXPECT_EQ(lvm_crc(0xffffffff, "123456789"), ~0xCBF43926u);
}

TEST(LvmText, UuidFormatting) {
  EXPECT_EQ(format_lvm_uuid("abcdefghijklmnopqrstuvwxyz012345"),
            "abcdef-ghij-klmn-opqr-stuv-wxyz-012345");
}

}  // namespace
}  // namespace deadbox::volume
