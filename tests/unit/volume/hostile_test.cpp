// SPDX-License-Identifier: Apache-2.0
// Hostile volume metadata: seeded byte mutations of LVM labels, metadata areas and text, and of
// MBR/GPT sectors, plus hand-picked absurd LVM values. Discovery must finish without throwing,
// and every source it hands out must read only within its declared size.
#include <gtest/gtest.h>

#include <random>

#include "deadbox/image/image.hpp"
#include "deadbox/volume/volume.hpp"
#include "support/fixture.hpp"
#include "unit/volume/synthetic_pv.hpp"
#include "unit/volume/volume_test_util.hpp"

namespace deadbox::volume {
namespace {

namespace fs = std::filesystem;
using deadbox::testing::make_temp_dir;
using deadbox::testing::run_program;

/// Discovers `bytes` written to `file` and reads the first and last 4 KiB of every volume.
/// Returns the number of volumes; fails the test on any escaped exception.
size_t discover_and_touch(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  Diagnostics diag;
  Layout l;
  EXPECT_NO_THROW(l = discover({image::open_image({file.string()})}, diag));
  for (const auto& v : l.volumes) {
    if (!v.source) {
      EXPECT_FALSE(v.unsupported_reason.empty()) << v.name;
      continue;
    }
    std::string buf(4096, '\0');
    auto span = std::as_writable_bytes(std::span(buf.data(), buf.size()));
    for (uint64_t off : {uint64_t{0}, v.source->size() > 4096 ? v.source->size() - 4096 : 0}) {
      try {
        EXPECT_LE(v.source->read_at(off, span), buf.size());
      } catch (const Error&) {
        // a named read error (truncated PV) is an acceptable outcome; a crash is not
      }
    }
    EXPECT_EQ(v.source->read_at(v.source->size(), span), 0u) << v.name;
  }
  return l.volumes.size();
}

TEST(Hostile, MutatedLvmMetadataNeverCrashes) {
  auto dir = make_temp_dir("vol-mutate");
  const std::string base =
      testing::pv_bytes(std::string(32, 'A'), testing::vg_text(5, true), 1, false);
  std::mt19937 rng(20240630);  // fixed seed: failures reproduce
  // Mutate the label sector, the metadata-area header and the start of the text.
  std::uniform_int_distribution<size_t> where(512, 4096 + 512 + 1500);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> count(1, 8);
  for (int round = 0; round < 300; ++round) {
    std::string b = base;
    for (int k = count(rng); k > 0; --k) b[where(rng)] = static_cast<char>(byte(rng));
    discover_and_touch(dir / "pv.raw", b);
    if (HasFailure()) {
      ADD_FAILURE() << "mutation round " << round;
      break;
    }
  }
  fs::remove_all(dir);
}

TEST(Hostile, AbsurdLvmValuesAreRejectedPerLv) {
  auto dir = make_temp_dir("vol-absurd");
  const char* cases[] = {
      "extent_count = 9223372036854775807",
      "extent_count = -5",
      "stripes = [ \"pv0\", 9223372036854775807 ]",
      "stripes = [ \"pv9\", 0 ]",
      "stripes = [ 0, \"pv0\" ]",
      "start_extent = 4",
      "type = \"raid5\"",
      "stripe_count = 0",
  };
  for (const char* bad : cases) {
    std::string text = testing::vg_text(5, false);
    // Replace the "lone" LV's segment with one carrying the absurd value.
    const std::string lone_seg =
        "segment1 { start_extent = 0 extent_count = 1 type = \"striped\" stripe_count = 1 stripes "
        "= "
        "[ \"pv0\", 0 ] }";
    auto at = text.rfind(lone_seg);
    ASSERT_NE(at, std::string::npos);
    std::string seg =
        "segment1 { start_extent = 0 extent_count = 1 type = \"striped\" "
        "stripe_count = 1 stripes = [ \"pv0\", 0 ] " +
        std::string(bad) + " }";
    text.replace(at, lone_seg.size(), seg);  // later keys override earlier ones
    std::ofstream(dir / "pv.raw", std::ios::binary | std::ios::trunc)
        << testing::pv_bytes(std::string(32, 'A'), text, 1, false);
    Diagnostics diag;
    Layout l = discover({image::open_image({(dir / "pv.raw").string()})}, diag);
    const Volume* lone = testing::find(l, "lvm/vgx/lone");
    ASSERT_NE(lone, nullptr) << bad;
    EXPECT_EQ(lone->source, nullptr) << bad;
    EXPECT_FALSE(lone->unsupported_reason.empty()) << bad;
  }
  fs::remove_all(dir);
}

TEST(Hostile, MutatedPartitionTablesNeverCrash) {
  auto dir = make_temp_dir("vol-ptable");
  const fs::path img = dir / "disk.img";
  std::ofstream(img).close();
  fs::resize_file(img, 8 << 20);
  auto r = run_program({"sh", "-c",
                        "printf 'label: dos\\nstart=2048,size=2M,type=83\\nstart=6144,size=8000,"
                        "type=5\\nstart=8192,size=1000,type=83\\n' | sfdisk -q " +
                            img.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path gimg = dir / "gpt.img";
  std::ofstream(gimg).close();
  fs::resize_file(gimg, 8 << 20);
  r = run_program(
      {"sh", "-c", "printf 'label: gpt\\nsize=2M\\nsize=2M\\n' | sfdisk -q " + gimg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (const auto& [path, lo, hi] :
       {std::tuple{img, size_t{446}, size_t{512}},
        std::tuple{img, size_t{6144 * 512 + 446}, size_t{6144 * 512 + 512}},
        std::tuple{gimg, size_t{512}, size_t{512 + 92}},
        std::tuple{gimg, size_t{1024}, size_t{1024 + 256}}}) {
    const std::string base = testing::file_bytes(path, 0, 8 << 20);
    std::uniform_int_distribution<size_t> where(lo, hi - 1);
    for (int round = 0; round < 100; ++round) {
      std::string b = base;
      for (int k = 0; k < 4; ++k) b[where(rng)] = static_cast<char>(byte(rng));
      discover_and_touch(dir / "m.img", b);
      if (HasFailure()) {
        ADD_FAILURE() << path << " round " << round;
        return;
      }
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace deadbox::volume
