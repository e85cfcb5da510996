// SPDX-License-Identifier: Apache-2.0
// The bodyfile against the installed fls (TSK 4.11.1) as the oracle, on generated images.
// Library-level: image → fs → walk → BodyfileWriter, the same path `deadbox timeline` takes.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "deadbox/fs/filesystem.hpp"
#include "deadbox/image/image.hpp"
#include "deadbox/timeline/bodyfile.hpp"
#include "support/fixture.hpp"

namespace deadbox::timeline {
namespace {

using StringSet = std::multiset<std::string>;

StringSet lines_of(const std::string& s) {
  StringSet out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.insert(l);
  return out;
}

// ext4_names' /links/long: a 99-byte symlink target, extent-mapped (see the scenario).
const std::string kLongLinkFls =
    "0|/links/long|3326|l/lrwxrwxrwx|0|0|99|1709283600|1709283600|1709283600|1709283600";
const std::string kLongLinkOurs =
    "0|/links/long -> /" + std::string(70, 'a') +
    "/target-longer-than-60-bytes|3326|l/lrwxrwxrwx|0|0|99|1709283600|1709283600|1709283600|"
    "1709283600";

struct Walked {
  std::string body;
  Diagnostics diag;
};

/// Byte offset of MBR partition 1 (LBA at 0x1C6), read from the image itself.
uint64_t mbr_p1_offset(const std::filesystem::path& image) {
  std::ifstream in(image, std::ios::binary);
  unsigned char b[4] = {};
  in.seekg(0x1C6);
  in.read(reinterpret_cast<char*>(b), 4);
  return (uint64_t{b[0]} | uint64_t{b[1]} << 8 | uint64_t{b[2]} << 16 | uint64_t{b[3]} << 24) * 512;
}

Walked walk_bare(const std::filesystem::path& image, const std::string& prefix,
                 BodyfileOptions options = {}, uint64_t offset = 0) {
  std::shared_ptr<image::ByteSource> img = image::open_image({image.string()});
  if (offset != 0)
    img = std::make_shared<image::SliceSource>(img, offset, img->size() - offset, "p1");
  const fs::Probe probe = fs::probe(*img);
  auto tree = fs::open(img, probe, "whole");
  Walked w;
  std::ostringstream out;
  BodyfileWriter writer(out, options);
  pipeline::VolumeContext ctx{"whole", prefix, tree.get(), &w.diag};
  pipeline::walk_volume(ctx, {}, {&writer});
  w.body = out.str();
  return w;
}

std::string fls(const std::filesystem::path& image, const std::string& prefix,
                uint64_t offset = 0) {
  auto r = testing::run_program(
      {"fls", "-r", "-m", prefix, "-o", std::to_string(offset / 512), image.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

StringSet minus(const StringSet& a, const StringSet& b) {
  StringSet out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

TEST(FlsOracle, BareExt4EqualsFlsAsASet) {
  const auto image = DEADBOX_FIXTURE("bare_ext4", "disk.raw");
  const auto ours = lines_of(walk_bare(image, "/").body);
  const auto theirs = lines_of(fls(image, "/"));
  EXPECT_GT(theirs.size(), 5u);
  EXPECT_EQ(minus(ours, theirs), StringSet{});
  EXPECT_EQ(minus(theirs, ours), StringSet{});
}

// ext4_names: deleted, realloc, symlinks, hard links, UTF-8, '|' '\' and control names, times
// past 2038 — all must equal fls line for line. fls (TSK 4.11.1) is itself wrong in two places
// the fixture plants on purpose: it prints nothing of /bigdir (extent tree with several leaves,
// "fs_attr_add_run: error adding additional run", exit 0) and stops below depth 128 of /deep.
// So: deadbox ⊇ fls, and the extra lines are exactly /bigdir's 3000 names and the /deep chain
// below fls's cut, including the planted bottom.txt at depth 302.
TEST(FlsOracle, Ext4NamesSupersetOfFlsWithExactlyTheLostEntries) {
  const auto image = DEADBOX_FIXTURE("ext4_names", "disk.raw");
  const Walked w = walk_bare(image, "/");
  const auto ours = lines_of(w.body);
  auto theirs = lines_of(fls(image, "/"));
  // A fourth place fls is wrong: it prints no target for an ext4 symlink of 60 bytes or more
  // (extent-mapped); deadbox reads the target, the line is otherwise the same.
  ASSERT_EQ(theirs.erase(kLongLinkFls), 1u);
  ASSERT_EQ(ours.count(kLongLinkOurs), 1u);
  EXPECT_EQ(minus(theirs, ours), StringSet{}) << "fls lines deadbox does not produce";

  size_t deepest_fls = 0;
  for (const auto& l : theirs)
    if (l.rfind("0|/deep/", 0) == 0)
      deepest_fls = std::max<size_t>(deepest_fls, std::count(l.begin(), l.end(), '/'));
  size_t bigdir = 0, deep = 0;
  bool bottom = false;
  for (const auto& l : minus(ours, theirs)) {
    if (l.rfind("0|/bigdir/f", 0) == 0) {
      ++bigdir;
    } else if (l.rfind("0|/deep/", 0) == 0) {
      EXPECT_GT(static_cast<size_t>(std::count(l.begin(), l.end(), '/')), deepest_fls) << l;
      ++deep;
      bottom = bottom || l.find("/bottom.txt|") != std::string::npos;
    } else if (l != kLongLinkOurs) {
      ADD_FAILURE() << "unexpected extra line: " << l;
    }
  }
  EXPECT_EQ(bigdir, 3000u);
  EXPECT_TRUE(bottom) << "the depth-302 file is missing";
  EXPECT_GT(deep, 150u);
  // The walk says where it went beyond fls (the CLI turns this into its summary count).
  EXPECT_EQ(w.diag.counts()["ext_dir_beyond_tsk"], 1u);
}

TEST(FlsOracle, Ext4NamesNanosecondTimesAreTheTrueValues) {
  const auto image = DEADBOX_FIXTURE("ext4_names", "disk.raw");
  BodyfileOptions ns;
  ns.ns = true;
  const std::string body = walk_bare(image, "/", ns).body;
  // Values from the scenario's expect.times (written with nanoseconds).
  EXPECT_NE(body.find("|1709373600.123456789|"), std::string::npos) << "résumé.txt mtime";
  EXPECT_NE(body.find("|1709424000.000000001\n"), std::string::npos) << "y2038 crtime";
}

// Names with '/', NUL, newline, OSC/CSI sequences, DEL, bidi overrides, 255 bytes, HTML and
// CSV payloads, symlink loops: line for line what fls prints (with prefix "/" for p1).
TEST(FlsOracle, HostileNamesEqualsFlsAsASet) {
  const auto image = DEADBOX_FIXTURE("hostile_names", "disk.raw");
  const uint64_t off = mbr_p1_offset(image);
  ASSERT_GT(off, 0u);
  const auto ours = lines_of(walk_bare(image, "/", {}, off).body);
  const auto theirs = lines_of(fls(image, "/", off));
  EXPECT_GT(theirs.size(), 20u);
  EXPECT_EQ(minus(ours, theirs), StringSet{});
  EXPECT_EQ(minus(theirs, ours), StringSet{});
}

// mactime (the consumer analysts run) must read deadbox's bodyfile as it reads fls's: the row
// count on ours equals fls's plus what the extra lines alone give.
TEST(FlsOracle, MactimeReadsTheBodyfile) {
  const auto image = DEADBOX_FIXTURE("ext4_names", "disk.raw");
  const auto dir = testing::make_temp_dir("tl_mactime");
  const std::string body_ours = walk_bare(image, "/").body;
  const std::string body_fls = fls(image, "/");
  std::string extra;
  for (const auto& l : minus(lines_of(body_ours), lines_of(body_fls))) extra += l + "\n";
  // fls's target-less line for /links/long is replaced in ours by the line with the target.
  ASSERT_EQ(minus(lines_of(body_fls), lines_of(body_ours)), StringSet{kLongLinkFls});
  auto rows = [&](const std::string& name, const std::string& body) {
    std::ofstream(dir / name) << body;
    auto r = testing::run_program({"mactime", "-b", (dir / name).string(), "-d", "-y"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::count(r.out.begin(), r.out.end(), '\n') - 1;  // minus the header
  };
  const auto ours = rows("ours.body", body_ours);
  const auto theirs = rows("fls.body", body_fls);
  const auto extra_rows = rows("extra.body", extra);
  const auto replaced_rows = rows("replaced.body", kLongLinkFls + "\n");
  EXPECT_GT(theirs, 100);
  EXPECT_GT(extra_rows, 3000);
  EXPECT_EQ(ours, theirs + extra_rows - replaced_rows);
  std::filesystem::remove_all(dir);
}

TEST(FlsOracle, ContainerRendersGiveIdenticalBodyfiles) {
  const auto raw = DEADBOX_FIXTURE("ext4_names", "disk.raw");
  const auto qcow = DEADBOX_FIXTURE("ext4_names", "disk.qcow2");
  const auto e01 = DEADBOX_FIXTURE("ext4_names", "disk.E01");
  const std::string a = walk_bare(raw, "/").body;
  EXPECT_EQ(a, walk_bare(qcow, "/").body);
  EXPECT_EQ(a, walk_bare(e01, "/").body);
}

}  // namespace
}  // namespace deadbox::timeline
