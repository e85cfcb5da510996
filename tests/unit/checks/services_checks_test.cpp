// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "unit/checks/persistence_check_util.hpp"

namespace deadbox::checks {
namespace {

using persistence_testing::Case;

TEST(RedisExposed, SeedLikeConfigIsHigh) {
  Case c;
  c.add("linux/redis_conf", "/etc/redis.conf",
        "bind 0.0.0.0\nprotected-mode no\nport 6379\n# requirepass foobared\ndir /var/lib/redis\n");
  const auto fs = c.run("services/redis_exposed");
  ASSERT_EQ(fs.size(), 1u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(fs[0].evidence[0].line, 1u);
  EXPECT_NE(fs[0].message.find("CONFIG SET"), std::string::npos);
}

TEST(RedisExposed, ProtectedModeAloneIsMediumAndPasswordOrLoopbackIsQuiet) {
  Case shielded;
  shielded.add("linux/redis_conf", "/etc/redis/redis.conf", "port 6379\n");
  const auto a = shielded.run("services/redis_exposed");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].severity, Severity::kMedium);
  Case pw;
  pw.add("linux/redis_conf", "/etc/redis/redis.conf", "bind 0.0.0.0\nrequirepass hunter2hunter2\n");
  EXPECT_TRUE(pw.run("services/redis_exposed").empty());
  Case lo;
  lo.add("linux/redis_conf", "/etc/redis/redis.conf", "bind 127.0.0.1 -::1\nprotected-mode no\n");
  EXPECT_TRUE(lo.run("services/redis_exposed").empty());
  // The last bind wins, as in Redis.
  Case last;
  last.add("linux/redis_conf", "/etc/redis/redis.conf", "bind 127.0.0.1\nbind 10.0.0.5\n");
  ASSERT_EQ(last.run("services/redis_exposed").size(), 1u);
  EXPECT_EQ(last.run("services/redis_exposed")[0].evidence[0].line, 2u);
}

TEST(SshdRootPassword, ExplicitYesAndEmptyPasswords) {
  Case c;
  c.add("unix/sshd_config", "/etc/ssh/sshd_config",
        "PermitRootLogin yes\nPermitEmptyPasswords yes\nPermitRootLogin no\n");
  const auto fs = c.run("services/sshd_root_password");
  ASSERT_EQ(fs.size(), 2u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(fs[1].severity, Severity::kMedium);
  EXPECT_EQ(fs[1].evidence[0].line, 1u);  // first value wins
}

TEST(SshdRootPassword, DefaultsDependOnTheDistribution) {
  const std::string_view conf = "#PermitRootLogin yes\nUsePAM yes\n";
  Case centos7;
  centos7.add("unix/sshd_config", "/etc/ssh/sshd_config", conf);
  centos7.add("linux/os_release", "/etc/os-release", "ID=\"centos\"\nVERSION_ID=\"7\"\n");
  ASSERT_EQ(centos7.run("services/sshd_root_password").size(), 1u);
  Case debian;
  debian.add("unix/sshd_config", "/etc/ssh/sshd_config", conf);
  debian.add("linux/os_release", "/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
  EXPECT_TRUE(debian.run("services/sshd_root_password").empty());
  // A drop-in read first (Include at the top) turns passwords off for everyone.
  Case dropin;
  dropin.add("unix/sshd_config", "/etc/ssh/sshd_config.d/hardening.conf", "PasswordAuthentication no\n");
  dropin.add("unix/sshd_config", "/etc/ssh/sshd_config", "PermitRootLogin yes\nPasswordAuthentication yes\n");
  EXPECT_TRUE(dropin.run("services/sshd_root_password").empty());
}

TEST(HostsPoolOrC2, PoolsAndDynamicDns) {
  Case c;
  c.add("unix/hosts", "/etc/hosts",
        "127.0.0.1 localhost\n0.0.0.0 pool.minexmr.com xmr.f2pool.com\n"
        "203.0.113.7 sjb555.3322.org\n203.0.113.8 notminexmr.com\n");
  const auto fs = c.run("services/hosts_pool_or_c2");
  ASSERT_EQ(fs.size(), 3u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(fs[0].attack_id, "T1496.001");
  EXPECT_NE(fs[0].message.find("blackholed"), std::string::npos);
  EXPECT_EQ(fs[2].severity, Severity::kMedium);
  EXPECT_EQ(fs[2].evidence[0].line, 3u);
}

}  // namespace
}  // namespace deadbox::checks
