// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "deadbox/checks/check.hpp"

namespace deadbox::checks {
namespace {

TEST(Severity, NamesRoundTrip) {
  for (auto s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh,
                 Severity::kCritical})
    EXPECT_EQ(parse_severity(severity_name(s)), s);
  EXPECT_EQ(parse_severity("severe"), std::nullopt);
}

TEST(RunAll, EveryRegisteredCheckRunsOnEmptyRecords) {
  parsers::RecordStore empty;
  Knowledge k;
  Diagnostics diag;
  const auto findings = run_all(empty, k, diag);
  EXPECT_EQ(diag.count(DiagLevel::kError), 0u);
  for (const auto& f : findings) EXPECT_NE(f.severity, Severity::kCritical) << f.check_id;
}

}  // namespace
}  // namespace deadbox::checks
