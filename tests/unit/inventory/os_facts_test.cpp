// SPDX-License-Identifier: Apache-2.0
// Host facts read by the inventory: os-release/fstab parsing, fstab device specs, and small
// reads that follow symlinks only inside the examined tree.
#include "inventory/os_facts.hpp"

#include <gtest/gtest.h>

#include "deadbox/tree/memory_tree.hpp"

namespace deadbox::inventory::detail {
namespace {

using Kind = DeviceRef::Kind;

TEST(OsRelease, QuotesEscapesCommentsAndJunk) {
  const auto m = parse_os_release(
      "# comment\nNAME=\"CentOS Linux\"\nID=centos\nVERSION_ID='7'\n"
      "PRETTY_NAME=\"Say \\\"hi\\\"\"\r\nbad line\n=novalue\nKEY WITH SPACE=x\nEMPTY=\n");
  EXPECT_EQ(m.at("NAME"), "CentOS Linux");
  EXPECT_EQ(m.at("ID"), "centos");
  EXPECT_EQ(m.at("VERSION_ID"), "7");
  EXPECT_EQ(m.at("PRETTY_NAME"), "Say \"hi\"");
  EXPECT_EQ(m.at("EMPTY"), "");
  EXPECT_EQ(m.count("KEY WITH SPACE"), 0u);
  EXPECT_EQ(m.size(), 5u);
}

TEST(Fstab, SkipsCommentsAndShortLinesDecodesOctal) {
  const auto f = parse_fstab(
      "# /etc/fstab\n\n  UUID=abc  /   xfs defaults 0 0\n/dev/sdb1 /mnt/my\\040disk ext4 ro\n"
      "onlyonefield\nLABEL=x /x\n#UUID=dead / ext4\ntmpfs /tmp tmpfs\n");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].spec, "UUID=abc");
  EXPECT_EQ(f[0].mount_point, "/");
  EXPECT_EQ(f[0].fs_type, "xfs");
  EXPECT_EQ(f[0].options, "defaults");
  EXPECT_EQ(f[1].mount_point, "/mnt/my disk");
  EXPECT_EQ(f[2].options, "");
}

TEST(FstabSpec, EveryDeviceNamingForm) {
  auto r = parse_spec("UUID=3F0C6D7E-1B2A-4C5D-8E9F-0A1B2C3D4E5F");
  EXPECT_EQ(r.kind, Kind::kUuid);
  EXPECT_EQ(r.value, "3f0c6d7e-1b2a-4c5d-8e9f-0a1b2c3d4e5f");
  EXPECT_EQ(parse_spec("LABEL=My Data").value, "My Data");
  EXPECT_EQ(parse_spec("PARTUUID=ABC").kind, Kind::kPartUuid);
  EXPECT_EQ(parse_spec("/dev/disk/by-uuid/ABC").value, "abc");
  EXPECT_EQ(parse_spec("/dev/disk/by-label/boot").kind, Kind::kLabel);
  r = parse_spec("/dev/mapper/centos-root");
  EXPECT_EQ(r.kind, Kind::kLv);
  EXPECT_EQ(r.vg, "centos");
  EXPECT_EQ(r.lv, "root");
  // device-mapper doubles dashes inside names.
  r = parse_spec("/dev/mapper/my--vg-lv--home--2");
  EXPECT_EQ(r.vg, "my-vg");
  EXPECT_EQ(r.lv, "lv-home-2");
  r = parse_spec("/dev/vg0/data");
  EXPECT_EQ(r.kind, Kind::kLv);
  EXPECT_EQ(r.vg, "vg0");
  EXPECT_EQ(r.lv, "data");
  for (const auto& [spec, n] : std::vector<std::pair<std::string, int>>{{"/dev/sda1", 1},
                                                                        {"/dev/vda2", 2},
                                                                        {"/dev/xvda3", 3},
                                                                        {"/dev/nvme0n1p5", 5},
                                                                        {"/dev/hda12", 12}}) {
    r = parse_spec(spec);
    EXPECT_EQ(r.kind, Kind::kPartitionNumber) << spec;
    EXPECT_EQ(r.number, n) << spec;
  }
  for (const char* none : {"tmpfs", "proc", "/dev/sda", "/dev/mapper/nodash", "server:/export",
                           "/dev/a/b/c", "/dev/sda99999"})
    EXPECT_EQ(parse_spec(none).kind, Kind::kNone) << none;
}

TEST(ReadSmall, FollowsSymlinksInsideTheTreeOnly) {
  tree::MemoryTree t;
  t.add_file("/usr/lib/os-release", "ID=debian\n");
  t.add_symlink("/etc/os-release", "../usr/lib/os-release");
  t.add_file("/etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n");
  t.add_symlink("/etc/redhat-release", "centos-release");
  // Absolute targets name the examined system's root, never the host's /etc/shadow.
  t.add_symlink("/etc/abs", "/etc/centos-release");
  t.add_symlink("/etc/escape", "../../../../etc/centos-release");
  t.add_symlink("/etc/loop1", "loop2");
  t.add_symlink("/etc/loop2", "loop1");
  t.add_symlink("/etc/host", "/etc/shadow");
  t.add_dir("/etc/dir");
  t.add_file("/etc/big", std::string(100, 'x'));
  EXPECT_EQ(read_small(t, "/etc/os-release", 1024), "ID=debian\n");
  EXPECT_EQ(read_small(t, "/etc/redhat-release", 1024), "CentOS Linux release 7.9.2009 (Core)\n");
  EXPECT_EQ(read_small(t, "/etc/abs", 1024), read_small(t, "/etc/centos-release", 1024));
  EXPECT_EQ(read_small(t, "/etc/escape", 1024), read_small(t, "/etc/centos-release", 1024));
  EXPECT_FALSE(read_small(t, "/etc/loop1", 1024));
  EXPECT_FALSE(read_small(t, "/etc/host", 1024));
  EXPECT_FALSE(read_small(t, "/etc/dir", 1024));
  EXPECT_FALSE(read_small(t, "/etc/missing", 1024));
  EXPECT_EQ(read_small(t, "/etc/big", 10)->size(), 10u);
}

}  // namespace
}  // namespace deadbox::inventory::detail
