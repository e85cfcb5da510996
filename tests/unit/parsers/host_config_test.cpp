// SPDX-License-Identifier: Apache-2.0
// fstab, os-release, hosts, ld.so.preload and shell start-up parsers.
#include <gtest/gtest.h>

#include "unit/parsers/text_parse_util.hpp"

namespace deadbox::parsers {
namespace {

using text_testing::parse;

TEST(FstabParser, FieldsAndBadLines) {
  const auto r = parse("unix/fstab",
                       "# <file system> <mount point> <type> <options> <dump> <pass>\n"
                       "UUID=0a1b / ext4 errors=remount-ro 0 1\n/dev/vg0/swap none swap sw 0 0\n"
                       "/dev/sdb1 /mnt\nproc /proc proc defaults x 0\n",
                       "/etc/fstab");
  const auto& recs = r.of("unix/fstab");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].str("device"), "UUID=0a1b");
  EXPECT_EQ(recs[0].str("mount_point"), "/");
  EXPECT_EQ(recs[0].str("fs_type"), "ext4");
  EXPECT_EQ(recs[0].i64("pass"), 1);
  EXPECT_EQ(recs[2].i64("dump"), std::nullopt);
  EXPECT_EQ(r.diags("bad_fstab_line"), 2u);
}

TEST(OsReleaseParser, QuotedValues) {
  const auto r = parse("linux/os_release",
                       "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"
                       "VERSION_ID='12'\nNAME=\"say \\\"hi\\\"\"\ngarbage\n",
                       "/etc/os-release");
  const auto& recs = r.of("linux/os_release");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].str("value"), "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(recs[1].str("key"), "ID");
  EXPECT_EQ(recs[2].str("value"), "12");
  EXPECT_EQ(recs[3].str("value"), "say \"hi\"");
  EXPECT_EQ(r.diags("bad_os_release_line"), 1u);
}

TEST(HostsParser, AddressesAndNames) {
  const auto r = parse("unix/hosts",
                       "127.0.0.1\tlocalhost\n::1 localhost ip6-localhost # v6\n"
                       "0.0.0.0 Pool.SupportXMR.com\nnot-an-ip name\n",
                       "/etc/hosts");
  const auto& recs = r.of("unix/hosts");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].str("ip"), "::1");
  EXPECT_EQ(recs[1].str("names"), "localhost ip6-localhost");
  EXPECT_EQ(recs[2].str("names"), "pool.supportxmr.com");
  EXPECT_EQ(r.diags("bad_hosts_line"), 1u);
}

TEST(LdSoPreloadParser, OneRecordPerLibrary) {
  const auto r = parse("linux/ld_so_preload", "/usr/local/lib/libprocesshider.so\n# c\n/a.so:/b.so c.so\n",
                       "/etc/ld.so.preload");
  const auto& recs = r.of("linux/ld_so_preload");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].str("library"), "/usr/local/lib/libprocesshider.so");
  EXPECT_EQ(recs[3].str("library"), "c.so");
  EXPECT_EQ(recs[3].line, 3u);
}

TEST(ShellStartupParser, ClassifiesLines) {
  const auto r = parse("unix/shell_startup",
                       "# ~/.bashrc\nexport PATH=\"/tmp/.x:$PATH\"\nalias ls='ls --color=auto'\n"
                       "HISTSIZE=1000\nexport HISTFILE=/dev/null\nunset HISTFILE\n"
                       "LD_PRELOAD=/lib/x.so; export LD_PRELOAD\nfi\n"
                       "nohup /dev/shm/k >/dev/null 2>&1 &\nsetenv PATH /opt/x:$PATH\n",
                       "/home/bob/.bashrc");
  const auto& recs = r.of("unix/shell_startup");
  ASSERT_EQ(recs.size(), 8u);
  EXPECT_EQ(recs[0].str("kind"), "path_assignment");
  EXPECT_EQ(recs[0].str("value"), "/tmp/.x:$PATH");
  EXPECT_EQ(recs[0].str("user"), "bob");
  EXPECT_EQ(recs[1].str("kind"), "alias");
  EXPECT_EQ(recs[1].str("name"), "ls");
  EXPECT_EQ(recs[1].str("value"), "ls --color=auto");
  EXPECT_EQ(recs[2].str("kind"), "assignment");
  EXPECT_EQ(recs[3].str("kind"), "history_setting");
  EXPECT_EQ(recs[4].str("kind"), "history_setting");
  EXPECT_EQ(recs[5].str("kind"), "ld_preload");
  EXPECT_EQ(recs[5].str("value"), "/lib/x.so");
  EXPECT_EQ(recs[6].str("kind"), "command");
  EXPECT_EQ(recs[6].line, 9u);
  EXPECT_EQ(recs[7].str("kind"), "path_assignment");
  EXPECT_EQ(recs[7].str("value"), "/opt/x:$PATH");
}

}  // namespace
}  // namespace deadbox::parsers
