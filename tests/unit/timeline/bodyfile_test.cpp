// SPDX-License-Identifier: Apache-2.0
// Bodyfile lines against what fls 4.11.1 prints (tsk_fs_name_print_mac_md5) for each case.
#include "deadbox/timeline/bodyfile.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "deadbox/tree/memory_tree.hpp"

namespace deadbox::timeline {
namespace {

constexpr int64_t kS = 1'000'000'000;

tree::FileEntry file(std::string path, uint64_t inode, uint32_t mode = 0644) {
  tree::FileEntry e;
  e.path = std::move(path);
  e.name_type = tree::FileType::kRegular;
  e.stat.inode = inode;
  e.stat.type = tree::FileType::kRegular;
  e.stat.mode = mode;
  e.stat.uid = 1000;
  e.stat.gid = 100;
  e.stat.size = 42;
  e.stat.atime = 1700000001 * kS + 5;
  e.stat.mtime = 1700000002 * kS;
  e.stat.ctime = 1700000003 * kS + 999999999;
  return e;
}

TEST(Bodyfile, RegularFileMatchesFlsLine) {
  EXPECT_EQ(bodyfile_line("/", file("/etc/passwd", 15), {}),
            "0|/etc/passwd|15|r/rrw-r--r--|1000|100|42|1700000001|1700000002|1700000003|0\n");
}

TEST(Bodyfile, PrefixJoinedLikeFlsMountOption) {
  EXPECT_EQ(bodyfile_name("/boot", file("/grub/grub.cfg", 1), NameEscape::kFls),
            "/boot/grub/grub.cfg");
  EXPECT_EQ(bodyfile_name("/p2/lvm/vg0/data", file("/x", 1), NameEscape::kFls),
            "/p2/lvm/vg0/data/x");
  EXPECT_EQ(bodyfile_name("/", file("/x", 1), NameEscape::kFls), "/x");
}

TEST(Bodyfile, DirectorySymlinkAndSpecialModes) {
  auto d = file("/tmp", 12, 01777);
  d.name_type = d.stat.type = tree::FileType::kDirectory;
  EXPECT_EQ(mode_string(d), "d/drwxrwxrwt");
  d.stat.mode = 01776;
  EXPECT_EQ(mode_string(d), "d/drwxrwxrwT");
  auto suid = file("/bin/su", 13, 04755);
  EXPECT_EQ(mode_string(suid), "r/rrwsr-xr-x");
  suid.stat.mode = 06644;
  EXPECT_EQ(mode_string(suid), "r/rrwSr-Sr--");
  suid.stat.mode = 02755;
  EXPECT_EQ(mode_string(suid), "r/rrwxr-sr-x");
  auto l = file("/lnk", 16, 0777);
  l.name_type = l.stat.type = tree::FileType::kSymlink;
  l.symlink_target = "/etc/passwd";
  l.stat.size = 11;
  EXPECT_EQ(bodyfile_line("/", l, {}),
            "0|/lnk -> /etc/passwd|16|l/lrwxrwxrwx|1000|100|11|1700000001|1700000002|"
            "1700000003|0\n");
  auto fifo = file("/fifo", 17);
  fifo.name_type = fifo.stat.type = tree::FileType::kFifo;
  EXPECT_EQ(mode_string(fifo), "p/prw-r--r--");
  auto sock = file("/sock", 18, 0755);
  sock.name_type = sock.stat.type = tree::FileType::kSocket;
  EXPECT_EQ(mode_string(sock), "h/hrwxr-xr-x");
}

TEST(Bodyfile, DeletedAndReallocatedNames) {
  auto e = file("/del/gone.txt", 20);
  e.name_deleted = true;
  EXPECT_EQ(bodyfile_name("/", e, NameEscape::kFls), "/del/gone.txt (deleted)");
  e.meta_reallocated = true;
  EXPECT_EQ(bodyfile_name("/", e, NameEscape::kFls), "/del/gone.txt (deleted-realloc)");
  // A deleted symlink still shows its target before the suffix, as fls prints it.
  auto l = file("/del/l", 21, 0777);
  l.name_type = l.stat.type = tree::FileType::kSymlink;
  l.symlink_target = "/etc/shadow";
  l.name_deleted = true;
  EXPECT_EQ(bodyfile_name("/", l, NameEscape::kFls), "/del/l -> /etc/shadow (deleted)");
}

TEST(Bodyfile, NoMetadataPrintsDashesAndZeros) {
  auto e = file("/del/x", 30);
  e.has_meta = false;
  e.name_deleted = true;
  EXPECT_EQ(bodyfile_line("/", e, {}), "0|/del/x (deleted)|30|r/----------|0|0|0|0|0|0|0\n");
  e.name_type = tree::FileType::kUnknown;
  EXPECT_EQ(mode_string(e), "-/----------");
}

TEST(Bodyfile, VirtualOrphanDirectory) {
  tree::FileEntry e;
  e.path = "/$OrphanFiles";
  e.name_type = e.stat.type = tree::FileType::kVirtual;
  e.stat.inode = 2049;
  EXPECT_EQ(bodyfile_line("/boot", e, {}),
            "0|/boot/$OrphanFiles|2049|V/V---------|0|0|0|0|0|0|0\n");
}

TEST(Bodyfile, HostileNamesFlsMode) {
  // fls: controls -> '^', '|' and '\' raw (what mactime then chokes on; documented).
  auto e = file("/n/evil\nname\x1b]0;pwn\x07|a\\b", 40);
  const std::string line = bodyfile_line("/", e, {});
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_NE(line.find("/n/evil^name^]0;pwn^|a\\b|40|"), std::string::npos);
  // DEL is not a control for TSK_IS_CNTRL: fls prints it raw, and so do we (byte equality).
  EXPECT_EQ(bodyfile_name("/", file("/a\x7f\x1f", 1), NameEscape::kFls), "/a\x7f^");
  // A newline in a symlink target must not split the line either (fls would).
  auto l = file("/l", 41, 0777);
  l.stat.type = tree::FileType::kSymlink;
  l.symlink_target = "a\nb";
  EXPECT_EQ(bodyfile_name("/", l, NameEscape::kFls), "/l -> a^b");
}

TEST(Bodyfile, HostileNamesPlasoMode) {
  auto e = file(std::string("/n/a|b\\c\nd\xff", 11), 40);
  BodyfileOptions o;
  o.escape = NameEscape::kPlaso;
  const std::string line = bodyfile_line("/", e, o);
  EXPECT_EQ(line.rfind("0|/n/a\\|b\\\\c\\x0ad\\xff|40|", 0), 0u) << line;
  // Exactly 11 fields once escaped pipes are set aside: plaso and any splitter agree.
  size_t bars = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
      continue;
    }
    bars += line[i] == '|';
  }
  EXPECT_EQ(bars, 10u);
}

TEST(Bodyfile, NanosecondOption) {
  BodyfileOptions o;
  o.ns = true;
  auto e = file("/x", 5);
  e.stat.crtime = 0;
  EXPECT_EQ(bodyfile_line("/", e, o),
            "0|/x|5|r/rrw-r--r--|1000|100|42|1700000001.000000005|1700000002.000000000|"
            "1700000003.999999999|0.000000000\n");
}

TEST(Bodyfile, TimesOutsideUint32WrapLikeFlsUnlessNs) {
  // fls prints time_t with PRIu32: 2^32 s (2106-02-07) shows as 0, -1 s as 4294967295. The
  // default keeps that for byte equality; --ns gives the true signed value.
  auto e = file("/y", 6);
  e.stat.atime = int64_t{2147483648} * kS;
  e.stat.mtime = int64_t{2208988800} * kS;
  e.stat.ctime = int64_t{4294967296} * kS;
  e.stat.crtime = -1 * kS;
  EXPECT_EQ(bodyfile_line("/", e, {}),
            "0|/y|6|r/rrw-r--r--|1000|100|42|2147483648|2208988800|0|4294967295\n");
  BodyfileOptions o;
  o.ns = true;
  EXPECT_EQ(bodyfile_line("/", e, o),
            "0|/y|6|r/rrw-r--r--|1000|100|42|2147483648.000000000|2208988800.000000000|"
            "4294967296.000000000|-1.000000000\n");
}

TEST(Bodyfile, WriterStreamsEveryWalkEntry) {
  tree::MemoryTree t;
  t.add_file("/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  t.add_symlink("/etc/mtab", "../proc/self/mounts");
  t.add_deleted_file("/tmp/x", "gone");
  std::ostringstream out;
  BodyfileWriter w(out, {});
  Diagnostics diag;
  pipeline::VolumeContext ctx{"p1", "/boot", &t, &diag};
  pipeline::walk_volume(ctx, {}, {&w});
  EXPECT_EQ(w.lines(), 5u);  // /etc, /etc/mtab, /etc/passwd, /tmp, /tmp/x
  const std::string s = out.str();
  EXPECT_NE(s.find("|/boot/etc/mtab -> ../proc/self/mounts|"), std::string::npos);
  EXPECT_NE(s.find("|/boot/tmp/x (deleted)|"), std::string::npos);
  EXPECT_NE(s.find("|/boot/etc|"), std::string::npos);
}

}  // namespace
}  // namespace deadbox::timeline
