// SPDX-License-Identifier: Apache-2.0
// Deleted XFS names, which libfsxfs does not list, carved from directory blocks of the demo
// VM's /boot (fixtures/xfs_delete.py unlinks like the kernel: freetag over the entry head,
// inode freed with mode 0 and ctime = deletion time). xfs_db is the oracle for the inode core.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "deadbox/fs/filesystem.hpp"
#include "deadbox/util/time_format.hpp"
#include "support/fixture.hpp"
#include "unit/fs/host_source.hpp"

namespace deadbox::fs {
namespace {

using deadbox::testing::HostFileSource;

uint64_t volume_offset(const std::filesystem::path& layout, const std::string& name) {
  rapidjson::Document d;
  d.Parse(deadbox::testing::read_text(layout).c_str());
  for (const auto& v : d["volumes"].GetArray())
    if (v["name"].GetString() == name) return v["disk_offset"].GetUint64();
  return 0;
}

std::vector<tree::FileEntry> walk_all(tree::FileTree& t, Diagnostics& diag) {
  std::vector<tree::FileEntry> out;
  t.walk({}, [&](const tree::FileEntry& e) { out.push_back(e); return true; }, diag);
  return out;
}

TEST(XfsDeleted, CarvesTheNameThatVanishedWithItsFreedInodeTimes) {
  const auto raw = DEADBOX_FIXTURE("demo_centos_miner", "disk.raw");
  const uint64_t off = volume_offset(raw.parent_path() / "layout.json", "p1");
  ASSERT_NE(off, 0u);
  auto src = std::make_shared<HostFileSource>(raw, off, 48ull << 20);
  const Probe p = probe(*src);
  ASSERT_EQ(p.type, FsType::kXfs);
  auto tree = open(src, p, "p1");
  Diagnostics diag;
  const auto entries = walk_all(*tree, diag);

  const tree::FileEntry* gone = nullptr;
  size_t deleted = 0;
  for (const auto& e : entries) {
    if (!e.name_deleted) continue;
    ++deleted;
    if (e.path == "/qpzkxjwvmb") gone = &e;
  }
  ASSERT_NE(gone, nullptr) << "deleted /qpzkxjwvmb not carved";
  EXPECT_EQ(deleted, 1u) << "only the one planted deletion may appear";
  EXPECT_EQ(gone->reader, "xfs_carve");
  EXPECT_TRUE(gone->has_meta);
  EXPECT_FALSE(gone->meta_reallocated);
  EXPECT_EQ(gone->name_type, tree::FileType::kRegular);  // from the dirent's ftype byte
  EXPECT_EQ(gone->stat.ctime, timefmt::parse_iso("2024-06-30T07:59:59Z"));
  EXPECT_EQ(gone->stat.mtime, timefmt::parse_iso("2024-06-30T07:59:58Z"));

  // Oracle: xfs_db sees the same inode freed (mode 0), so the carved number is the real one.
  // xfs_db reads a whole filesystem file: give it a copy of the partition window.
  const auto part = deadbox::testing::make_temp_dir("xfsdel") / "p1.img";
  auto dd = deadbox::testing::run_program(
      {"dd", "if=" + raw.string(), "of=" + part.string(), "bs=1M",
       "skip=" + std::to_string(off >> 20), "count=48", "status=none"});
  ASSERT_EQ(dd.exit_code, 0);
  auto r = deadbox::testing::run_program({"/usr/sbin/xfs_db", "-r", "-c",
                                     "inode " + std::to_string(gone->stat.inode), "-c",
                                     "print core.mode v3.inumber", part.string()});
  EXPECT_NE(r.out.find("core.mode = 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("v3.inumber = " + std::to_string(gone->stat.inode)), std::string::npos)
      << r.out;
  std::filesystem::remove_all(part.parent_path());
}

TEST(XfsDeleted, NoPhantomDeletionsOnAnUntouchedFilesystem) {
  const auto raw = DEADBOX_FIXTURE("bare_xfs", "disk.raw");
  auto src = std::make_shared<HostFileSource>(raw);
  auto tree = open(src, probe(*src), "whole");
  Diagnostics diag;
  for (const auto& e : walk_all(*tree, diag)) EXPECT_FALSE(e.name_deleted) << e.path;
}

}  // namespace
}  // namespace deadbox::fs
