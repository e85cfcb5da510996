// SPDX-License-Identifier: Apache-2.0
// The XFS tree against xfs_db (the XFS developers' own reader) on generated fixtures: names,
// inode numbers, mode/uid/gid/size/link count, all four times with nanoseconds, file bytes.
#include <gtest/gtest.h>

#include <ctime>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "deadbox/fs/filesystem.hpp"
#include "support/fixture.hpp"
#include "unit/fs/host_source.hpp"

namespace deadbox::fs {
namespace {

using deadbox::testing::HostFileSource;
using deadbox::testing::run_program;
using tree::FileEntry;
using tree::FileType;

/// `xfs_db -r -c "inode N" -c print` as field → value.
std::map<std::string, std::string> xfs_db_inode(const std::string& img, uint64_t ino) {
  auto r = run_program({"/usr/bin/env", "TZ=UTC", "/usr/sbin/xfs_db", "-r", "-c",
                        "inode " + std::to_string(ino), "-c", "print", img});
  std::map<std::string, std::string> out;
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);) {
    const auto eq = l.find(" = ");
    if (eq != std::string::npos) out[l.substr(0, eq)] = l.substr(eq + 3);
  }
  return out;
}

/// xfs_db prints seconds as ctime(3) text in TZ; with TZ=UTC, timegm reverses it.
int64_t xfs_db_ns(const std::map<std::string, std::string>& f, const std::string& prefix) {
  std::tm tm{};
  const std::string sec = f.at(prefix + ".sec");
  if (strptime(sec.c_str(), "%a %b %d %H:%M:%S %Y", &tm) == nullptr) return INT64_MIN;
  return static_cast<int64_t>(timegm(&tm)) * 1'000'000'000 + std::stoll(f.at(prefix + ".nsec"));
}

std::vector<FileEntry> walk_all(tree::FileTree& t, Diagnostics& diag) {
  std::vector<FileEntry> out;
  t.walk(
      {},
      [&](const FileEntry& e) {
        out.push_back(e);
        return true;
      },
      diag);
  return out;
}

void expect_matches_xfs_db(const std::string& img, const FileEntry& e) {
  const auto f = xfs_db_inode(img, e.stat.inode);
  ASSERT_EQ(f.count("core.mode"), 1u) << e.path;
  EXPECT_EQ(std::stoul(f.at("core.mode"), nullptr, 8) & 07777, e.stat.mode) << e.path;
  EXPECT_EQ(std::stoul(f.at("core.uid")), e.stat.uid) << e.path;
  EXPECT_EQ(std::stoul(f.at("core.gid")), e.stat.gid) << e.path;
  EXPECT_EQ(std::stoull(f.at("core.size")), e.stat.size) << e.path;
  EXPECT_EQ(std::stoul(f.at("core.nlinkv2")), e.stat.nlink) << e.path;
  EXPECT_EQ(xfs_db_ns(f, "core.atime"), e.stat.atime.value_or(0)) << e.path;
  EXPECT_EQ(xfs_db_ns(f, "core.mtime"), e.stat.mtime.value_or(0)) << e.path;
  EXPECT_EQ(xfs_db_ns(f, "core.ctime"), e.stat.ctime.value_or(0)) << e.path;
  EXPECT_EQ(xfs_db_ns(f, "v3.crtime"), e.stat.crtime.value_or(0)) << e.path;
}

/// Names and inodes of one directory as `xfs_db -c "path D" -c ls` prints them.
std::map<std::string, uint64_t> xfs_db_ls(const std::string& img, const std::string& dir) {
  auto r = run_program({"/usr/sbin/xfs_db", "-r", "-c", "path " + dir, "-c", "ls", img});
  std::map<std::string, uint64_t> out;
  static const std::regex kLine(R"(^\d+\s+(\d+)\s+\S+\s+\S+\s+\d+\s+(.*) \(good\)$)");
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_match(l, m, kLine) && m[2] != "." && m[2] != "..") out[m[2]] = std::stoull(m[1]);
  }
  return out;
}

class XfsTreeTest : public ::testing::TestWithParam<const char*> {};

TEST_P(XfsTreeTest, EveryEntryMatchesXfsDb) {
  const auto raw = DEADBOX_FIXTURE(GetParam(), "disk.raw");
  auto src = std::make_shared<HostFileSource>(raw);
  const Probe p = probe(*src);
  ASSERT_EQ(p.type, FsType::kXfs);
  auto t = open(src, p, "whole");
  EXPECT_EQ(t->info().type, "xfs");
  Diagnostics diag;
  auto entries = walk_all(*t, diag);
  ASSERT_FALSE(entries.empty());
  std::map<std::string, std::map<std::string, uint64_t>> dirs;
  for (const auto& e : entries) {
    expect_matches_xfs_db(raw.string(), e);
    const auto slash = e.path.rfind('/');
    dirs[slash == 0 ? "/" : e.path.substr(0, slash)][e.path.substr(slash + 1)] = e.stat.inode;
  }
  for (const auto& [dir, names] : dirs) EXPECT_EQ(names, xfs_db_ls(raw.string(), dir)) << dir;
  // Deterministic order: sorted by name within each directory, parents first.
  for (size_t i = 1; i < entries.size(); ++i) {
    const auto& a = entries[i - 1].path;
    const auto& b = entries[i].path;
    if (a.substr(0, a.rfind('/')) == b.substr(0, b.rfind('/'))) {
      EXPECT_LT(a, b);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, XfsTreeTest,
                         ::testing::Values("bare_xfs", "xfs_times", "xfs_times_centos7"));

TEST(XfsTree, ReadByInodeAndSymlinkOnBareXfs) {
  const auto raw = DEADBOX_FIXTURE("bare_xfs", "disk.raw");
  auto src = std::make_shared<HostFileSource>(raw);
  auto t = open(src, probe(*src), "whole");
  auto passwd = t->lookup("/etc/passwd");
  ASSERT_TRUE(passwd);
  EXPECT_EQ(tree::read_all(*t, passwd->stat.inode, passwd->stat.size, 1 << 20),
            deadbox::testing::read_text(std::filesystem::path(DEADBOX_SOURCE_DIR) /
                                        "fixtures/files/common/passwd"));
  auto host = t->lookup("etc/hostname");
  ASSERT_TRUE(host);
  EXPECT_EQ(tree::read_all(*t, host->stat.inode, host->stat.size, 1 << 20), "barexfs\n");
  EXPECT_EQ(tree::read_all(*t, host->stat.inode, host->stat.size, 3), "bar");
  auto motd = t->lookup("/etc/motd");
  ASSERT_TRUE(motd);
  EXPECT_EQ(motd->stat.type, FileType::kSymlink);
  EXPECT_EQ(motd->symlink_target, "/etc/issue");
  EXPECT_FALSE(t->lookup("/etc/motd/x"));
  EXPECT_FALSE(t->lookup("/nope"));
  auto root = t->lookup("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->stat.inode, t->info().root_inode);
  std::set<std::string> names;
  Diagnostics diag;
  t->list_dir(
      "/etc", true,
      [&](const FileEntry& e) {
        names.insert(e.path);
        return true;
      },
      diag);
  EXPECT_EQ(names, (std::set<std::string>{"/etc/hostname", "/etc/motd", "/etc/passwd"}));
  EXPECT_THROW(t->read(999999999, 0, std::span<std::byte>()), Error);
}

}  // namespace
}  // namespace deadbox::fs
