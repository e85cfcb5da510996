// SPDX-License-Identifier: Apache-2.0
// The false-alarm bar: real Debian 12 default files plus ordinary admin activity
// (tests/data/benign_debian/README.md) must not raise anything high or critical.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "unit/checks/persistence_check_util.hpp"

namespace deadbox::checks {
namespace {

std::string data(const std::string& name) {
  std::ifstream in(std::filesystem::path(DEADBOX_SOURCE_DIR) / "tests/data/benign_debian" / name,
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << name;
  return ss.str();
}

TEST(BenignDebian, NothingHighOrCriticalAndOnlyExpectedLowOnes) {
  persistence_testing::Case c;
  c.add("unix/crontab", "/etc/crontab", data("crontab"));
  c.add("unix/crontab", "/etc/cron.d/e2scrub_all", data("cron.d_e2scrub_all"));
  c.add("unix/crontab", "/etc/cron.d/backup", data("cron.d_backup"));
  c.add("unix/shell_startup", "/etc/profile", data("profile"));
  c.add("unix/shell_startup", "/etc/bash.bashrc", data("bash.bashrc"));
  c.add("unix/shell_startup", "/root/.bashrc", data("skel.bashrc"));
  c.add("unix/shell_startup", "/home/admin/.bashrc", data("skel.bashrc"));
  c.add("unix/shell_startup", "/home/admin/.profile", data("skel.profile"));
  c.add("unix/shell_history", "/root/.bash_history", data("root.bash_history"));
  c.add("unix/ssh_authorized_key", "/home/admin/.ssh/authorized_keys", data("admin.authorized_keys"));
  c.add("unix/sshd_config", "/etc/ssh/sshd_config", data("sshd_config"));
  c.add("linux/redis_conf", "/etc/redis/redis.conf", data("redis.conf"));
  c.add("unix/hosts", "/etc/hosts", data("hosts"));
  c.add("linux/os_release", "/etc/os-release", data("os-release"));
  ASSERT_GT(c.records().size(), 100u);  // the samples really parsed
  const auto fs = c.run_all_checks();
  for (const auto& f : fs) {
    EXPECT_LT(f.severity, Severity::kMedium) << f.check_id << ": " << f.message;
  }
}

}  // namespace
}  // namespace deadbox::checks
