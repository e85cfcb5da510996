// SPDX-License-Identifier: Apache-2.0
// The validator as a ctest over the shipped artifacts/ folder (as FA runs validator.py), plus
// the checklist coverage the default collection must keep.
#include <gtest/gtest.h>

#include <set>

#include "deadbox/artifacts/definition.hpp"
#include "deadbox/artifacts/matcher.hpp"

namespace deadbox::artifacts {
namespace {

const Registry& shipped() {
  static const Registry r = Registry::load(DEADBOX_SOURCE_DIR "/artifacts");
  return r;
}

TEST(ShippedDefinitions, LoadAndValidate) {
  EXPECT_GT(shipped().all().size(), 100u);
  ASSERT_NE(shipped().find(kDefaultCollection), nullptr);
}

TEST(ShippedDefinitions, EveryDefinitionAppliesToLinuxAndHasPatterns) {
  for (const auto& d : shipped().all())
    EXPECT_FALSE(shipped().patterns(d.name, {}).empty()) << d.name;
}

TEST(ShippedDefinitions, DeadboxAdditionsSayWhoseTheyAre) {
  for (const auto& d : shipped().all()) {
    if (d.file == "deadbox.json") {
      EXPECT_EQ(d.doc.rfind("deadbox addition", 0), 0u) << d.name;
    }
  }
}

// One path per checklist item (issue 4's list); each must be collected by default.
TEST(ShippedDefinitions, DefaultCollectionCoversTheChecklist) {
  Matcher m(shipped(), {}, {"/root", "/home/alice", "/srv/app"});
  const char* paths[] = {
      "/etc/passwd",
      "/etc/shadow",
      "/etc/shadow-",
      "/etc/group",
      "/etc/gshadow",
      "/etc/sudoers",
      "/etc/sudoers.d/90-cloud",
      "/etc/crontab",
      "/etc/cron.d/x",
      "/etc/cron.hourly/x",
      "/etc/cron.daily/x",
      "/etc/anacrontab",
      "/var/spool/cron/root",
      "/var/spool/cron/crontabs/root",
      "/var/spool/at/a0001",
      "/var/spool/cron/atjobs/a0001",
      "/root/.bash_history",
      "/home/alice/.zsh_history",
      "/srv/app/.bash_history",
      "/home/alice/.sh_history",
      "/home/alice/.ash_history",
      "/home/alice/.local/share/fish/fish_history",
      "/home/alice/.python_history",
      "/home/alice/.mysql_history",
      "/home/alice/.psql_history",
      "/home/alice/.lesshst",
      "/home/alice/.viminfo",
      "/root/.ssh/authorized_keys",
      "/home/alice/.ssh/authorized_keys2",
      "/home/alice/.ssh/known_hosts",
      "/etc/ssh/sshd_config",
      "/etc/ssh/ssh_config",
      "/etc/ssh/ssh_host_rsa_key.pub",
      "/var/log/wtmp",
      "/var/log/wtmp.1",
      "/var/log/btmp",
      "/var/log/btmp-20240101",
      "/var/log/lastlog",
      "/var/log/secure",
      "/var/log/secure-20240101",
      "/var/log/auth.log",
      "/var/log/auth.log.2.gz",
      "/var/log/messages",
      "/var/log/messages.1",
      "/var/log/syslog",
      "/var/log/syslog.3.gz",
      "/var/log/cron",
      "/var/log/cron-20240101",
      "/var/log/cron.log",
      "/var/log/audit/audit.log",
      "/var/log/journal/0123456789abcdef/system.journal",
      "/boot/wkwfnxjpaa",
      "/boot/grub/grub.cfg",
      "/etc/rc.local",
      "/etc/rc.d/rc.local",
      "/etc/rc.d/init.d/x",
      "/etc/init.d/x",
      "/etc/rc3.d/S01x",
      "/etc/systemd/system/x.service",
      "/etc/systemd/system/x.timer",
      "/usr/lib/systemd/system/x.service",
      "/etc/systemd/system/x.service.d/override.conf",
      "/etc/systemd/system/multi-user.target.wants/x.service",
      "/home/alice/.config/systemd/user/x.service",
      "/home/alice/.config/systemd/user/default.target.wants/x.service",
      "/etc/profile",
      "/etc/profile.d/x.sh",
      "/etc/bashrc",
      "/etc/bash.bashrc",
      "/root/.bashrc",
      "/root/.bash_profile",
      "/home/alice/.profile",
      "/home/alice/.cshrc",
      "/etc/environment",
      "/etc/ld.so.preload",
      "/etc/ld.so.conf.d/x.conf",
      "/etc/modules-load.d/x.conf",
      "/etc/udev/rules.d/99-x.rules",
      "/etc/xdg/autostart/x.desktop",
      "/home/alice/.config/autostart/x.desktop",
      "/etc/hosts",
      "/etc/resolv.conf",
      "/etc/hostname",
      "/etc/os-release",
      "/etc/fstab",
      "/etc/timezone",
      "/etc/localtime",
      "/var/lib/dpkg/status",
      "/var/lib/dpkg/info/bash.md5sums",
      "/var/lib/rpm/Packages",
      "/var/lib/rpm/rpmdb.sqlite",
      "/etc/redis.conf",
      "/etc/redis/redis.conf",
      "/etc/redis/6379.conf",
  };
  for (const char* p : paths) EXPECT_FALSE(m.match(p).empty()) << p;
  // Large, rarely useful: not by default.
  EXPECT_TRUE(m.match("/var/lib/dpkg/info/bash.list").empty());
  EXPECT_TRUE(m.match("/usr/bin/ls").empty());
}

}  // namespace
}  // namespace deadbox::artifacts
