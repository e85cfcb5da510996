// SPDX-License-Identifier: Apache-2.0
#include "deadbox/util/time_format.hpp"

#include <gtest/gtest.h>

namespace deadbox::timefmt {
namespace {

TEST(TimeFormat, IsoFormsOfKnownInstant) {
  const int64_t ns = 1704164645LL * kNsPerSec + 123456789;  // 2024-01-02T03:04:05Z
  EXPECT_EQ(iso_seconds(ns), "2024-01-02T03:04:05Z");
  EXPECT_EQ(iso_micros_offset(ns), "2024-01-02T03:04:05.123456+00:00");
  EXPECT_EQ(iso_nanos(ns), "2024-01-02T03:04:05.123456789Z");
}

TEST(TimeFormat, NegativeTimesFloor) {
  EXPECT_EQ(seconds_of(-1), -1);
  EXPECT_EQ(subsec_ns_of(-1), 999999999u);
  EXPECT_EQ(iso_seconds(-1), "1969-12-31T23:59:59Z");
}

TEST(TimeFormat, ParsesIsoWithOffsetsAndEpoch) {
  EXPECT_EQ(parse_iso("2024-01-02T03:04:05Z"), 1704164645LL * kNsPerSec);
  EXPECT_EQ(parse_iso("2024-01-02T05:04:05+02:00"), 1704164645LL * kNsPerSec);
  EXPECT_EQ(parse_iso("2024-01-02"), 1704153600LL * kNsPerSec);
  EXPECT_EQ(parse_iso("1704164645"), 1704164645LL * kNsPerSec);
  EXPECT_EQ(parse_iso("2024-13-02"), std::nullopt);
  EXPECT_EQ(parse_iso("garbage"), std::nullopt);
}

}  // namespace
}  // namespace deadbox::timefmt
