// SPDX-License-Identifier: Apache-2.0
// fs::probe on images made by the real mkfs tools (and header bytes where no tool exists here).
#include <gtest/gtest.h>

#include <fstream>

#include "deadbox/fs/filesystem.hpp"
#include "support/fixture.hpp"
#include "unit/fs/host_source.hpp"

namespace deadbox::fs {
namespace {

namespace fsys = std::filesystem;
using deadbox::testing::HostFileSource;
using deadbox::testing::run_program;

class ProbeTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = deadbox::testing::make_temp_dir("fs_probe"); }
  void TearDown() override { fsys::remove_all(dir_); }

  fsys::path blank(const std::string& name, uint64_t size) {
    const fsys::path p = dir_ / name;
    std::ofstream(p, std::ios::binary).close();
    fsys::resize_file(p, size);
    return p;
  }
  void must_run(const std::vector<std::string>& argv) {
    auto r = run_program(argv);
    ASSERT_EQ(r.exit_code, 0) << argv[0] << ": " << r.err;
  }
  Probe probe_file(const fsys::path& p) {
    HostFileSource src(p);
    return probe(src);
  }
  fsys::path dir_;
};

TEST_F(ProbeTest, Ext2Ext3Ext4AreToldApartByFeatures) {
  const struct {
    const char* mkfs;
    FsType want;
  } cases[] = {{"ext2", FsType::kExt2}, {"ext3", FsType::kExt3}, {"ext4", FsType::kExt4}};
  for (const auto& c : cases) {
    auto img = blank(std::string(c.mkfs) + ".img", 8 << 20);
    must_run({"/sbin/mke2fs", "-q", "-F", "-t", c.mkfs, "-L", "lbl-" + std::string(c.mkfs), "-U",
              "11111111-2222-4333-8444-555566667777", "-b", "1024", "-N", "256", img.string()});
    const Probe p = probe_file(img);
    EXPECT_EQ(p.type, c.want) << c.mkfs;
    EXPECT_EQ(fs_type_name(p.type), c.mkfs);
    EXPECT_EQ(p.label, "lbl-" + std::string(c.mkfs));
    EXPECT_EQ(p.uuid, "11111111-2222-4333-8444-555566667777");
    EXPECT_EQ(p.block_size, 1024u);
    EXPECT_EQ(p.block_count, 8192u);
    EXPECT_GE(p.inode_count, 256u);
    EXPECT_TRUE(p.readable);
  }
}

TEST_F(ProbeTest, XfsV5BigtimeAndCentos7Style) {
  // mkfs.xfs refuses < 300 MiB unless it believes fstests runs (same escape hatch as the
  // fixture generator); the file is sparse.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"v5", "bigtime=1"}, {"c7", "bigtime=0,inobtcount=0,reflink=0"}};
  for (const auto& [name, meta] : cases) {
    auto img = blank(name + ".xfs", 32 << 20);
    auto r = run_program({"/usr/bin/env", "TEST_DIR=/nonexistent", "TEST_DEV=/nonexistent",
                          "QA_CHECK_FS=xfs", "/sbin/mkfs.xfs", "-q", "-f", "-L", "x" + name, "-m",
                          "uuid=aaaaaaaa-bbbb-4ccc-8ddd-eeeeffff0000," + meta, img.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Probe p = probe_file(img);
    EXPECT_EQ(p.type, FsType::kXfs);
    EXPECT_EQ(p.label, "x" + name);
    EXPECT_EQ(p.uuid, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeffff0000");
    EXPECT_EQ(p.block_size, 4096u);
    EXPECT_EQ(p.block_count, 8192u);
    EXPECT_TRUE(p.readable);
    EXPECT_NE(p.note.find("XFS v5"), std::string::npos) << p.note;
    EXPECT_NE(p.note.find(name == "v5" ? ", bigtime" : "no bigtime"), std::string::npos) << p.note;
  }
}

TEST_F(ProbeTest, SwapV1WithLabelAndUuid) {
  auto img = blank("swap.img", 4 << 20);
  must_run(
      {"/sbin/mkswap", "-L", "swp", "-U", "c0ffee00-1111-4222-8333-444455556666", img.string()});
  const Probe p = probe_file(img);
  EXPECT_EQ(p.type, FsType::kSwap);
  EXPECT_EQ(p.label, "swp");
  EXPECT_EQ(p.uuid, "c0ffee00-1111-4222-8333-444455556666");
  EXPECT_EQ(p.block_count, 1024u);  // 4 MiB of 4 KiB pages
  EXPECT_FALSE(p.readable);
}

// Header bytes as cryptsetup and pvcreate write them (no device-mapper on the test machines).
TEST_F(ProbeTest, LuksAndLvmHeadersFromBytes) {
  std::string luks(8192, '\0');
  luks.replace(0, 6, "LUKS\xba\xbe", 6);
  luks[7] = 2;  // version 2, big-endian
  luks.replace(24, 7, "secret1");
  luks.replace(168, 36, "0e1d2c3b-4a59-4687-9786-a5b4c3d2e1f0");
  std::ofstream(dir_ / "luks.img", std::ios::binary) << luks;
  Probe p = probe_file(dir_ / "luks.img");
  EXPECT_EQ(p.type, FsType::kLuks);
  EXPECT_EQ(p.uuid, "0e1d2c3b-4a59-4687-9786-a5b4c3d2e1f0");
  EXPECT_EQ(p.label, "secret1");
  EXPECT_NE(p.note.find("LUKS2"), std::string::npos);
  EXPECT_FALSE(p.readable);

  std::string pv(8192, '\0');
  pv.replace(512, 8, "LABELONE");
  pv[512 + 20] = 32;  // offset of pv_header inside the label sector
  pv.replace(512 + 24, 8, "LVM2 001");
  pv.replace(512 + 32, 32, "abcdefghijklmnopqrstuvwxyzABCDEF");
  std::ofstream(dir_ / "pv.img", std::ios::binary) << pv;
  p = probe_file(dir_ / "pv.img");
  EXPECT_EQ(p.type, FsType::kLvmPv);
  EXPECT_EQ(p.uuid, "abcdef-ghij-klmn-opqr-stuv-wxyz-ABCDEF");
}

TEST_F(ProbeTest, ZerosAreNoneGarbageIsUnknownShortIsSafe) {
  EXPECT_EQ(probe_file(blank("zero.img", 1 << 20)).type, FsType::kNone);
  std::string junk(100000, 'A');
  std::ofstream(dir_ / "junk.img", std::ios::binary) << junk;
  EXPECT_EQ(probe_file(dir_ / "junk.img").type, FsType::kUnknown);
  // A 1030-byte volume holding only the start of an ext superblock: no read past the end.
  std::string cut(1030, '\0');
  std::ofstream(dir_ / "cut.img", std::ios::binary) << cut;
  EXPECT_EQ(probe_file(dir_ / "cut.img").type, FsType::kNone);
  EXPECT_EQ(probe_file(blank("empty.img", 0)).type, FsType::kNone);
}

TEST_F(ProbeTest, ImplausibleExtBlockSizeIsNotReadable) {
  auto img = blank("bad.img", 4 << 20);
  must_run({"/sbin/mke2fs", "-q", "-F", "-t", "ext4", img.string()});
  {
    std::fstream f(img, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(1024 + 24);
    const char big[4] = {40, 0, 0, 0};  // s_log_block_size = 40 → 1024 << 40
    f.write(big, 4);
  }
  const Probe p = probe_file(img);
  EXPECT_EQ(p.type, FsType::kExt4);
  EXPECT_FALSE(p.readable);
  EXPECT_EQ(p.block_size, 0u);
  EXPECT_THROW(open(std::make_shared<HostFileSource>(img), p, "whole"), Error);
}

}  // namespace
}  // namespace deadbox::fs
