// SPDX-License-Identifier: Apache-2.0
// `deadbox timeline` end to end on fixtures: fls equality through the inventory (mount point
// prefix from fstab, partition offset), container invariance, refused outputs, usage errors.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "support/fixture.hpp"

namespace deadbox::timeline {
namespace {

std::multiset<std::string> lines_of(const std::string& s) {
  std::multiset<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.insert(l);
  return out;
}

uint64_t mbr_p1_sector(const std::filesystem::path& image) {
  std::ifstream in(image, std::ios::binary);
  unsigned char b[4] = {};
  in.seekg(0x1C6);
  in.read(reinterpret_cast<char*>(b), 4);
  return uint64_t{b[0]} | uint64_t{b[1]} << 8 | uint64_t{b[2]} << 16 | uint64_t{b[3]} << 24;
}

testing::RunResult timeline(std::vector<std::string> args) {
  args.insert(args.begin(), "timeline");
  return testing::run_deadbox(args);
}

// p1 of mbr_lvm_mixed is /boot in the root LV's fstab: deadbox prefixes its paths with /boot,
// exactly what `fls -m /boot -o <start>` prints.
TEST(TimelineCli, BootVolumeEqualsFlsWithMountPointPrefix) {
  const auto image = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto r = timeline({image.string(), "--volume", "p1", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto f = testing::run_program(
      {"fls", "-r", "-m", "/boot", "-o", std::to_string(mbr_p1_sector(image)), image.string()});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_GT(lines_of(f.out).size(), 3u);
  EXPECT_EQ(lines_of(r.out), lines_of(f.out));
}

TEST(TimelineCli, SameOutputForEveryContainer) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  for (const char* format : {"body", "csv", "jsonl"}) {
    const auto ref = timeline({raw.string(), "--format", format, "-q"});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    EXPECT_GT(ref.out.size(), 1000u);
    for (const char* other : {"disk.qcow2", "disk.E01", "disk.001", "disk.vmdk", "disk.vhd"}) {
      const auto path = DEADBOX_FIXTURE("mbr_lvm_mixed", other);
      const auto r = timeline({path.string(), "--format", format, "-q"});
      EXPECT_EQ(r.exit_code, 0) << other << ": " << r.err;
      EXPECT_EQ(r.out, ref.out) << format << " differs for " << other;
    }
  }
}

TEST(TimelineCli, EveryVolumeWithAFilesystemIsWalked) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  const auto r = timeline({raw.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // /boot (p1 ext4), / (XFS root LV in two segments) and the ext4 data LV all appear.
  EXPECT_NE(r.out.find("|/boot/"), std::string::npos);
  EXPECT_NE(r.out.find("|/etc/fstab|"), std::string::npos);
  EXPECT_NE(r.err.find("3 filesystem(s)"), std::string::npos) << r.err;
}

TEST(TimelineCli, RefusesToOverwriteOrFollowALink) {
  const auto raw = DEADBOX_FIXTURE("bare_ext4", "disk.raw");
  const auto dir = testing::make_temp_dir("tl_cli");
  std::ofstream(dir / "exists.body") << "keep";
  auto r = timeline({raw.string(), "-o", (dir / "exists.body").string()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(testing::read_text(dir / "exists.body"), "keep");
  std::filesystem::create_symlink(dir / "target", dir / "link.body");
  r = timeline({raw.string(), "-o", (dir / "link.body").string()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "target"));
  r = timeline({raw.string(), "-o", (dir / "new.csv").string(), "--format", "csv"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::read_text(dir / "new.csv").rfind("Date ISO,Date,Size,", 0), 0u);
  // Only the output file is left: the sort spool was anonymous.
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 3u);  // exists.body, link.body (dangling), new.csv
  std::filesystem::remove_all(dir);
}

TEST(TimelineCli, UsageErrors) {
  const auto raw = DEADBOX_FIXTURE("bare_ext4", "disk.raw");
  EXPECT_EQ(timeline({raw.string(), "--from", "2024-01-01"}).exit_code, 2);  // body has no window
  EXPECT_EQ(timeline({raw.string(), "--format", "csv", "--from", "yesterday"}).exit_code, 2);
  EXPECT_EQ(timeline({raw.string(), "--volume", "p9"}).exit_code, 2);
  EXPECT_EQ(timeline({raw.string(), "--format", "csv", "--tz", "../../etc/passwd"}).exit_code, 2);
}

}  // namespace
}  // namespace deadbox::timeline
