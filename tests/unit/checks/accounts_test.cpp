// SPDX-License-Identifier: Apache-2.0
// accounts/* checks over records parsed from passwd/shadow/auth.log samples.
#include <gtest/gtest.h>

#include "unit/checks/check_test_util.hpp"

namespace deadbox::checks {
namespace {
using testing::at;
using testing::Case;
using testing::has;

// /etc/passwd of a Debian 12 minbase system plus one admin (real file, unchanged).
constexpr std::string_view kDebianPasswd = R"(root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin
messagebus:x:100:107::/nonexistent:/usr/sbin/nologin
sshd:x:101:65534::/run/sshd:/usr/sbin/nologin
Debian-exim:x:102:108::/var/spool/exim4:/usr/sbin/nologin
admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash
james:x:1001:1001:James:/home/james:/bin/bash
)";

constexpr std::string_view kDebianShadow = R"(root:$y$j9T$abc$def:19800:0:99999:7:::
daemon:*:19800:0:99999:7:::
sync:*:19800:0:99999:7:::
nobody:*:19800:0:99999:7:::
sshd:!:19800::::::
admin:$y$j9T$ghi$jkl:19800:0:99999:7:::
james:$y$j9T$mno$pqr:19800:0:99999:7:::
)";

Case clean() {
  Case c;
  c.file("unix/passwd", "/etc/passwd", kDebianPasswd);
  c.file("unix/shadow", "/etc/shadow", kDebianShadow);
  return c;
}

TEST(AccountsChecks, CleanDebianAccountsRaiseNothing) {
  auto c = clean();
  for (auto id :
       {"accounts/uid0_non_root", "accounts/duplicate_uid", "accounts/system_account_login_shell",
        "accounts/empty_password", "accounts/odd_account_name", "accounts/created_or_deleted"})
    EXPECT_TRUE(c.run(id).empty()) << id << ": " << c.run(id).front().message;
}

TEST(AccountsChecks, Uid0BesidesRootIsCriticalWithEvidence) {
  auto c = clean();
  c.file("unix/passwd", "/etc/passwd-",
         "root:x:0:0::/root:/bin/bash\nr00t:x:0:0::/root:/bin/bash\n");
  const auto f = c.run("accounts/uid0_non_root");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_NE(f[0].message.find("'r00t'"), std::string::npos);
  ASSERT_EQ(f[0].evidence.size(), 1u);
  EXPECT_EQ(f[0].evidence[0].path, "/etc/passwd-");
  EXPECT_EQ(f[0].evidence[0].line, 2u);
  EXPECT_EQ(f[0].evidence[0].volume, "p1");
  EXPECT_NE(f[0].evidence[0].excerpt.find("name=r00t"), std::string::npos);
}

TEST(AccountsChecks, DuplicateUidNamesBothAccounts) {
  Case c;
  c.file("unix/passwd", "/etc/passwd",
         "alice:x:1000:1000::/home/alice:/bin/bash\nsvc:x:1000:1000::/:/bin/bash\n"
         "root:x:0:0::/root:/bin/bash\ntoor:x:0:0::/root:/bin/bash\n");
  const auto f = c.run("accounts/duplicate_uid");
  ASSERT_EQ(f.size(), 1u);  // uid 0 belongs to uid0_non_root
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_NE(f[0].message.find("'alice', 'svc'"), std::string::npos);
  EXPECT_EQ(f[0].evidence.size(), 2u);
}

TEST(AccountsChecks, SystemAccountWithShellWeighsPassword) {
  Case c;
  c.file("unix/passwd", "/etc/passwd",
         "daemon:x:1:1::/usr/sbin:/bin/bash\npostgres:x:105:110::/var/lib/postgresql:/bin/bash\n"
         "sync:x:4:65534:sync:/bin:/bin/sync\nnobody:x:65534:65534::/:/bin/sh\n"
         "alice:x:1000:1000::/home/alice:/bin/bash\n");
  c.file("unix/shadow", "/etc/shadow",
         "daemon:$6$s$h:19800:0:99999:7:::\npostgres:*:19800:0:99999:7:::\n");
  const auto f = c.run("accounts/system_account_login_shell");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_TRUE(has(f, "'daemon' (uid 1) has login shell /bin/bash and a usable password",
                  Severity::kMedium));
  EXPECT_TRUE(has(f, "'postgres'", Severity::kLow));
  EXPECT_TRUE(has(f, "'nobody'", Severity::kLow));
}

TEST(AccountsChecks, EmptyPasswordHighForLoginShellLowForNologin) {
  Case c;
  c.file("unix/passwd", "/etc/passwd",
         "guest:x:1002:1002::/home/guest:/bin/bash\nsvc:x:120:120::/:/usr/sbin/nologin\n"
         "old::1003:1003::/home/old:/bin/sh\n");
  c.file("unix/shadow", "/etc/shadow", "guest::19800:0:99999:7:::\nsvc::19800::::::\n");
  const auto f = c.run("accounts/empty_password");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_TRUE(has(f, "'guest'", Severity::kHigh));
  EXPECT_TRUE(has(f, "'svc'", Severity::kLow));
  EXPECT_TRUE(has(f, "'old' has an empty password field in /etc/passwd", Severity::kHigh));
}

TEST(AccountsChecks, OddNamesAndLookalikes) {
  Case c;
  c.file("unix/passwd", "/etc/passwd",
         "r00t:x:1005:1005::/:/bin/bash\nsshdd:x:1006:1006::/:/bin/bash\n"
         "ssh-d:x:1009:1009::/:/bin/bash\n"
         "adm\x1b[8m:x:1007:1007::/:/bin/bash\nBob.Smith:x:1008:1008::/:/bin/bash\n"
         "backup :x:1010:1010::/:/bin/bash\njames:x:1011:1011::/:/bin/bash\n"
         "lisa:x:1012:1012::/:/bin/bash\nDebian-exim:x:102:108::/:/usr/sbin/nologin\n");
  const auto f = c.run("accounts/odd_account_name");
  ASSERT_EQ(f.size(), 6u);
  EXPECT_TRUE(has(f, "'r00t' looks like the system account 'root'", Severity::kMedium));
  EXPECT_TRUE(has(f, "'sshdd' looks like the system account 'sshd'", Severity::kMedium));
  EXPECT_TRUE(has(f, "'ssh-d' looks like", Severity::kMedium));
  EXPECT_TRUE(has(f, "contains control characters", Severity::kMedium));
  EXPECT_TRUE(has(f, "'backup ' contains whitespace", Severity::kMedium));
  EXPECT_TRUE(has(f, "'Bob.Smith' does not match", Severity::kLow));
}

constexpr std::string_view kUserLog =
    R"(Jul  1 03:03:00 web1 useradd[1001]: new group: name=tmpadm, GID=1002
Jul  1 03:03:00 web1 useradd[1001]: new user: name=tmpadm, UID=1002, GID=1002, home=/home/tmpadm, shell=/bin/bash, from=/dev/pts/0
Jul  1 03:40:00 web1 userdel[1010]: delete user 'tmpadm'
Jul  1 03:40:00 web1 userdel[1010]: removed group 'tmpadm' owned by 'tmpadm'
Jul  1 03:40:00 web1 userdel[1010]: removed shadow group 'tmpadm' owned by 'tmpadm'
Jul  1 04:00:00 web1 useradd[1100]: new user: name=redis, UID=108, GID=115, home=/var/lib/redis, shell=/usr/sbin/nologin, from=none
Jul  1 04:10:00 web1 useradd[1200]: new user: name=sysop, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/0
Jul  1 04:20:00 web1 userdel[1300]: delete user 'olduser'
Jul  1 04:30:00 web1 groupadd[1400]: new group: name=docker, GID=999
)";

TEST(AccountsChecks, CreatedOrDeletedGradesTheStory) {
  Case c;
  c.file("linux/log/syslog", "/var/log/auth.log", kUserLog, at("2024-07-02T00:00:00Z"));
  const auto f = c.run("accounts/created_or_deleted");
  ASSERT_EQ(f.size(), 5u);
  EXPECT_TRUE(has(f, "'tmpadm' was created and later deleted", Severity::kHigh));
  EXPECT_TRUE(has(f, "'sysop' was created with uid 0", Severity::kHigh));
  EXPECT_TRUE(has(f, "'redis' was created as a system account", Severity::kInfo));
  EXPECT_TRUE(has(f, "'olduser' was deleted", Severity::kMedium));
  EXPECT_TRUE(has(f, "group 'docker'", Severity::kInfo));
  for (const auto& x : f) {
    if (x.message.find("tmpadm") == std::string::npos) continue;
    EXPECT_EQ(x.evidence.size(), 5u);  // add, delete and the three group lines
    EXPECT_EQ(x.first_seen, at("2024-07-01T03:03:00Z"));
    EXPECT_EQ(x.last_seen, at("2024-07-01T03:40:00Z"));
    EXPECT_EQ(x.evidence[0].path, "/var/log/auth.log");
    EXPECT_NE(x.evidence[0].excerpt.find("new user: name=tmpadm"), std::string::npos);
  }
}

}  // namespace
}  // namespace deadbox::checks
