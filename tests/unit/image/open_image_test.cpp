// SPDX-License-Identifier: Apache-2.0
// Container invariance: every render of the same disk yields the same media bytes (hashes
// compared with sha256sum of disk.raw), plus container metadata (E01 stored hashes).
#include <gtest/gtest.h>

#include "deadbox/image/image.hpp"
#include "support/fixture.hpp"

namespace deadbox::image {
namespace {

using deadbox::testing::run_program;

std::string first_word(const std::string& s) {
  return s.substr(0, s.find(' '));
}

std::string sum_of(const char* tool, const std::filesystem::path& p) {
  auto r = run_program({tool, p.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return first_word(r.out);
}

struct Render {
  const char* file;
  const char* format;
};

class ContainerInvariance : public ::testing::TestWithParam<Render> {};

TEST_P(ContainerInvariance, MediaStreamEqualsRawDisk) {
  auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto file = DEADBOX_FIXTURE("mbr_lvm_mixed", GetParam().file);
  const std::string expected_sha256 = sum_of("sha256sum", raw);

  auto img = open_image({file.string()});
  EXPECT_EQ(img->info().format, GetParam().format);
  EXPECT_EQ(img->size(), std::filesystem::file_size(raw));
  EXPECT_EQ(img->info().sector_size, 512u);
  auto hashes = hash_media(*img);
  EXPECT_EQ(hashes.sha256, expected_sha256);
  EXPECT_EQ(hashes.unreadable_bytes, 0u);
  EXPECT_TRUE(hashes.checksum_error_ranges.empty());
}

INSTANTIATE_TEST_SUITE_P(
    AllRenders, ContainerInvariance,
    ::testing::Values(Render{"disk.raw", "raw"}, Render{"disk.001", "split_raw"},
                      Render{"disk.E01", "e01"}, Render{"disk-split.E01", "e01"},
                      Render{"disk.qcow2", "qcow2"}, Render{"disk-compressed.qcow2", "qcow2"},
                      Render{"disk.vmdk", "vmdk"}, Render{"disk.vhd", "vhd"}),
    [](const auto& info) {
      std::string n = info.param.file;
      for (auto& c : n) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return n;
    });

TEST(SplitRaw, DiscoversAllSegmentsFromTheFirst) {
  auto first = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.001");
  auto img = open_image({first.string()});
  ASSERT_EQ(img->info().files.size(), 6u);
  EXPECT_EQ(img->info().files.back(), (first.parent_path() / "disk.006").string());
}

TEST(E01, StoredHashesEqualTheRawDisk) {
  auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto e01 = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk-split.E01");
  auto img = open_image({e01.string()});
  EXPECT_EQ(img->info().files.size(), 5u);  // E01..E05 found by libewf_glob
  ASSERT_TRUE(img->info().stored_md5.has_value());
  EXPECT_EQ(*img->info().stored_md5, sum_of("md5sum", raw));
  // Acquiry metadata as ewfacquire recorded it (ewfinfo shows the same values).
  const auto& md = img->info().metadata;
  EXPECT_EQ(md.at("case_number"), "mbr_lvm_mixed");
  EXPECT_EQ(md.at("examiner_name"), "deadbox");
  EXPECT_EQ(md.at("evidence_number"), "1");
  EXPECT_EQ(md.at("description"), "deadbox fixture mbr_lvm_mixed");
  EXPECT_EQ(md.at("acquiry_software_version"), "20140813");
  EXPECT_EQ(md.at("acquiry_date").size(), 19u) << md.at("acquiry_date");  // YYYY-MM-DDTHH:MM:SS
  EXPECT_EQ(md.at("acquiry_date")[10], 'T') << md.at("acquiry_date");
  auto hashes = hash_media(*img);
  EXPECT_EQ(hashes.md5, *img->info().stored_md5);
  if (img->info().stored_sha1) {
    EXPECT_EQ(hashes.sha1, *img->info().stored_sha1);
  }
}

TEST(GroupEvidencePaths, SegmentsOfOneImageFormOneItem) {
  auto items = group_evidence_paths(
      {"a/d.E01", "a/d.E02", "x.qcow2", "s.001", "s.002", "s.004", "other.raw", "b/d.E02"});
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0], (std::vector<std::string>{"a/d.E01", "a/d.E02"}));
  EXPECT_EQ(items[1], (std::vector<std::string>{"x.qcow2"}));
  EXPECT_EQ(items[2], (std::vector<std::string>{"s.001", "s.002"}));
  EXPECT_EQ(items[3], (std::vector<std::string>{"s.004"}));
  EXPECT_EQ(items[4], (std::vector<std::string>{"other.raw"}));
  EXPECT_EQ(items[5], (std::vector<std::string>{"b/d.E02"}));
}

TEST(LibraryVersions, NamesTheLinkedLibraries) {
  auto v = library_versions();
  EXPECT_EQ(v.at("libtsk"), "4.11.1");
  EXPECT_FALSE(v.at("libewf").empty());
  EXPECT_FALSE(v.at("libqcow").empty());
}

}  // namespace
}  // namespace deadbox::image
