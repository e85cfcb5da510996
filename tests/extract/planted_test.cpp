// SPDX-License-Identifier: Apache-2.0
// `deadbox extract` on fixture images (issue 4's "done when"): every planted file under a default
// artifact comes out byte-identical to the scenario's source (layout.json "planted" sha256, also
// re-hashed on the host) with its mtime in ns, on ext4 and XFS, raw and qcow2; homes follow
// passwd; a deleted ext4 file is recovered into deleted/; the manifest is deterministic;
// a non-empty output folder is refused.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "deadbox/artifacts/definition.hpp"
#include "deadbox/artifacts/matcher.hpp"
#include "extract/extract_support.hpp"

namespace deadbox::extract_test {
namespace {

namespace fs = std::filesystem;

const artifacts::Registry& shipped() {
  static const artifacts::Registry r = artifacts::Registry::load(DEADBOX_ARTIFACTS_DIR);
  return r;
}

// Field 6 of each line of the extracted passwd (already proven identical to the planted one).
std::vector<std::string> homes_of(const fs::path& passwd) {
  std::vector<std::string> homes;
  std::ifstream in(passwd);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    size_t i = 0;
    for (size_t j; (j = line.find(':', i)) != std::string::npos; i = j + 1)
      f.push_back(line.substr(i, j - i));
    f.push_back(line.substr(i));
    if (f.size() >= 7 && !f[5].empty() && f[5][0] == '/') homes.push_back(f[5]);
  }
  return homes;
}

struct Case {
  const char* scenario;
  const char* image;
  // System paths the checklist puts in the default set: guards the Matcher itself.
  std::vector<std::string> must;
  // Planted files that are not artifacts: guards against over-collection.
  std::vector<std::string> must_not;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> c = [] {
    const Case mbr{
        "mbr_lvm_mixed",
        "",
        {"/etc/passwd", "/etc/fstab", "/etc/hostname", "/etc/os-release", "/etc/centos-release",
         "/root/.bash_history", "/var/log/wtmp", "/var/lib/rpm/Packages", "/boot/grub2/grub.cfg",
         "/boot/grub2/grub.cfg.hard", "/boot/vmlinuz-3.10.0-1160.el7.x86_64", "/boot/ezfvmlunqc",
         "/srv/app/.bash_history", "/srv/app/.ssh/authorized_keys"},
        {"/usr/bin/hello", "/srv/www/index.html", "/srv/www/.hidden/kdevtmpfsi"}};
    const Case demo{"demo_centos_miner",
                    "",
                    {"/etc/passwd",
                     "/etc/shadow",
                     "/etc/group",
                     "/etc/hosts",
                     "/etc/redis.conf",
                     "/etc/ssh/sshd_config",
                     "/etc/crontab",
                     "/etc/cron.d/0hourly",
                     "/var/spool/cron/root",
                     "/root/.ssh/authorized_keys",
                     "/root/.bash_history",
                     "/home/centos/.bash_history",
                     "/home/centos/.ssh/authorized_keys",
                     "/etc/ld.so.preload",
                     "/etc/rc.d/rc.local",
                     "/etc/profile.d/lang.sh",
                     "/var/log/secure",
                     "/var/log/cron",
                     "/var/log/messages",
                     "/var/log/wtmp",
                     "/var/log/btmp",
                     "/boot/grub2/grub.cfg",
                     "/boot/wkwfnxjpaa",
                     "/boot/initramfs-3.10.0-1160.el7.x86_64.img"},
                    {"/usr/bin/kdevtmpfsi", "/tmp/kthreaddi", "/usr/local/lib/libhide.so",
                     "/var/tmp/.khugepageds/khugepageds", "/usr/bin/ls"}};
    const Case gpt{"gpt_basic",
                   "",
                   {"/etc/passwd", "/etc/fstab", "/etc/hostname", "/var/log/auth.log",
                    "/var/spool/cron/crontabs/root"},
                   {}};
    std::vector<Case> out;
    for (const char* image : {"disk.raw", "disk.qcow2"})
      for (Case c : {mbr, demo, gpt}) {
        c.image = image;
        out.push_back(c);
      }
    return out;
  }();
  return c;
}

class PlantedFiles : public ::testing::TestWithParam<Case> {};

TEST_P(PlantedFiles, ExtractedByteIdenticalWithMtime) {
  const Case& c = GetParam();
  const auto image = DEADBOX_FIXTURE(c.scenario, c.image);
  std::string skip;
  const auto layout = read_layout(c.scenario, &skip);
  if (!layout) GTEST_SKIP() << skip;
  const auto tmp = testing::make_temp_dir("extract_planted");
  const auto out = tmp / "out";
  const auto r = run_extract(image, out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_manifest(out);
  ASSERT_FALSE(rows.empty());

  // Homes come from the image's own passwd (the root volume's planted /etc/passwd).
  const Row* passwd = nullptr;
  for (const auto& row : rows)
    if (row.path == "/etc/passwd" && !row.deleted) passwd = &row;
  ASSERT_NE(passwd, nullptr);
  const artifacts::Matcher matcher(shipped(), {}, homes_of(out / passwd->extracted_as));

  std::set<std::string> extracted;
  size_t checked = 0;
  for (const auto& p : layout->planted) {
    // Deleted ones: DeletedFileRecovered / XfsDeletedFileKeepsMetadataOnly.
    if ((p.kind != "file" && p.kind != "hardlink") || p.deleted) continue;
    const std::string sys = layout->system_path(p);
    if (matcher.match(sys).empty()) continue;
    SCOPED_TRACE(p.volume + ":" + sys);
    const Row* row = find_row(rows, p.volume, sys);
    ASSERT_NE(row, nullptr) << "planted file under a default artifact is not in the manifest";
    EXPECT_EQ(row->size, p.size);
    ASSERT_EQ(row->mtime_ns, p.mtime_ns);
    ASSERT_FALSE(row->extracted_as.empty()) << testing::read_text(out / "manifest.jsonl");
    ASSERT_FALSE(p.sha256.empty());
    EXPECT_EQ(row->sha256, p.sha256) << "manifest hash";
    const fs::path file = out / row->extracted_as;
    EXPECT_EQ(sha256_file(file), p.sha256) << "extracted bytes";
    const auto st = lstat_of(file);
    ASSERT_TRUE(st.has_value());
    EXPECT_TRUE(S_ISREG(st->st_mode));
    EXPECT_EQ(int64_t{st->st_mtim.tv_sec} * 1'000'000'000 + st->st_mtim.tv_nsec, p.mtime_ns)
        << "host mtime";
    extracted.insert(sys);
    ++checked;
  }
  EXPECT_GE(checked, c.must.size() / 2);
  for (const auto& m : c.must) {
    bool found = extracted.count(m) > 0;
    for (const auto& row : rows) found = found || (row.path == m && row.deleted);
    EXPECT_TRUE(found) << m << " must be extracted by default";
  }
  for (const auto& m : c.must_not) {
    for (const auto& row : rows) EXPECT_NE(row.path, m) << "not a default artifact";
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PlantedFiles, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string n =
                               std::string(info.param.scenario) + "_" + info.param.image;
                           for (auto& ch : n)
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

// The data LV is mounted at /srv; passwd gives user app the home /srv/app (outside /home, on
// another volume than passwd itself). Without passwd homes FA's fallback (/home/*, /root)
// would miss it.
TEST(ExtractHomes, HomeOutsideHomeFollowsPasswd) {
  const auto image = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  const auto tmp = testing::make_temp_dir("extract_homes");
  const auto r = run_extract(image, tmp / "out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_manifest(tmp / "out");
  const Row* hist = find_row(rows, "p2/lvm/vg0/data", "/srv/app/.bash_history");
  ASSERT_NE(hist, nullptr);
  EXPECT_NE(std::find(hist->artifacts.begin(), hist->artifacts.end(), "BashShellHistoryFile"),
            hist->artifacts.end());
  EXPECT_EQ(hist->extracted_as, "p2/lvm/vg0/data/app/.bash_history");
  EXPECT_EQ(testing::read_text(tmp / "out" / hist->extracted_as),
            "cd /srv/app\n./deploy.sh --restart\n");
  EXPECT_NE(find_row(rows, "p2/lvm/vg0/data", "/srv/app/.ssh/authorized_keys"), nullptr);
  // The fallback alone does not reach it: the Matcher with FA's default homes says no.
  const artifacts::Matcher fallback(shipped(), {}, {});
  EXPECT_TRUE(fallback.match("/srv/app/.bash_history").empty());
}

// /wkwfnxjpaa on ext4 /boot was deleted with debugfs: its inode keeps extents, so the content
// is recoverable; it must land under deleted/ and be marked.
TEST(ExtractDeleted, Ext4DeletedFileRecoveredIntoDeletedTree) {
  for (const char* image_name : {"disk.raw", "disk.qcow2"}) {
    SCOPED_TRACE(image_name);
    const auto image = DEADBOX_FIXTURE("mbr_lvm_mixed", image_name);
    std::string skip;
    const auto layout = read_layout("mbr_lvm_mixed", &skip);
    if (!layout) GTEST_SKIP() << skip;
    const Planted* planted = nullptr;
    for (const auto& p : layout->planted)
      if (p.volume == "p1" && p.path == "/wkwfnxjpaa") planted = &p;
    ASSERT_NE(planted, nullptr);
    ASSERT_TRUE(planted->deleted);
    const auto tmp = testing::make_temp_dir("extract_deleted");
    const auto r = run_extract(image, tmp / "out");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = read_manifest(tmp / "out");
    const Row* row = find_row(rows, "p1", "/boot/wkwfnxjpaa", true);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->extracted_as, "deleted/p1/wkwfnxjpaa");
    EXPECT_TRUE(row->has_note("recovered_deleted"));
    EXPECT_EQ(row->sha256, planted->sha256);
    EXPECT_EQ(sha256_file(tmp / "out" / row->extracted_as), planted->sha256);
    EXPECT_FALSE(fs::exists(tmp / "out" / "p1" / "wkwfnxjpaa"));
  }
}

// XFS frees the inode's extents on deletion: the manifest keeps the row, says the content is
// gone, and nothing is written.
TEST(ExtractDeleted, XfsDeletedFileKeepsMetadataOnly) {
  const auto image = DEADBOX_FIXTURE("demo_centos_miner", "disk.raw");
  const auto tmp = testing::make_temp_dir("extract_deleted_xfs");
  const auto r = run_extract(image, tmp / "out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = read_manifest(tmp / "out");
  const Row* row = find_row(rows, "p1", "/boot/qpzkxjwvmb", true);
  ASSERT_NE(row, nullptr) << testing::read_text(tmp / "out" / "manifest.jsonl");
  EXPECT_TRUE(row->extracted_as.empty());
  EXPECT_TRUE(row->sha256.empty());
  EXPECT_FALSE(fs::exists(tmp / "out" / "deleted" / "p1" / "qpzkxjwvmb"));
}

TEST(ExtractManifest, ByteIdenticalAcrossRunsAndContainers) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  const auto qcow = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.qcow2");
  const auto tmp = testing::make_temp_dir("extract_determinism");
  ASSERT_EQ(run_extract(raw, tmp / "a").exit_code, 0);
  ASSERT_EQ(run_extract(raw, tmp / "b").exit_code, 0);
  ASSERT_EQ(run_extract(qcow, tmp / "c").exit_code, 0);
  for (const char* m : {"manifest.jsonl", "manifest.csv"}) {
    const auto a = testing::read_text(tmp / "a" / m);
    EXPECT_GT(a.size(), 1000u);
    EXPECT_EQ(a, testing::read_text(tmp / "b" / m)) << m;
    EXPECT_EQ(a, testing::read_text(tmp / "c" / m)) << m;
  }
  EXPECT_EQ(listing(tmp / "a"), listing(tmp / "b"));
}

TEST(ExtractOutput, NonEmptyFolderRefusedWithExit6) {
  const auto image = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  const auto tmp = testing::make_temp_dir("extract_refused");
  const auto out = tmp / "out";
  fs::create_directories(out);
  std::ofstream(out / "keep.txt") << "mine\n";
  const auto before = listing(tmp);
  const auto r = run_extract(image, out);
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("not empty"), std::string::npos) << r.err;
  EXPECT_EQ(listing(tmp), before);
  EXPECT_EQ(testing::read_text(out / "keep.txt"), "mine\n");
  // --force proceeds and keeps the unrelated file.
  const auto f = run_extract(image, out, {"--force"});
  EXPECT_EQ(f.exit_code, 0) << f.err;
  EXPECT_TRUE(fs::exists(out / "manifest.jsonl"));
  EXPECT_EQ(testing::read_text(out / "keep.txt"), "mine\n");
}

}  // namespace
}  // namespace deadbox::extract_test
