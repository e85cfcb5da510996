// SPDX-License-Identifier: Apache-2.0
// The TSK tree against TSK's own tools on generated fixtures: the walk must give exactly the
// lines of `fls -r -m /` (where fls can see), reads must return the planted bytes.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
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

// p1 of mbr_lvm_mixed, from its layout.json (the volume layer is tested elsewhere).
constexpr uint64_t kBootOffset = 1048576;
constexpr uint64_t kBootSize = 25165824;

char name_letter(FileType t) {
  // fls prints name types with TSK's name table ('s' socket) and meta types with the meta
  // table ('h' socket); tree::type_letter follows the meta table.
  if (t == FileType::kSocket) return 's';
  return tree::type_letter(t);
}

std::string perms(const tree::Stat& st) {
  static const char kRwx[] = "rwxrwxrwx";
  std::string s(9, '-');
  for (int i = 0; i < 9; ++i)
    if (st.mode & (0400u >> i)) s[i] = kRwx[i];
  if (st.mode & 04000) s[2] = (st.mode & 0100) ? 's' : 'S';
  if (st.mode & 02000) s[5] = (st.mode & 010) ? 's' : 'S';
  if (st.mode & 01000) s[8] = (st.mode & 01) ? 't' : 'T';
  return s;
}

std::string fls_name(std::string_view raw) {
  std::string out(raw);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = '^';
  return out;
}

int64_t secs(const std::optional<int64_t>& ns) {
  if (!ns) return 0;
  return *ns >= 0 ? *ns / 1'000'000'000 : -((-*ns + 999'999'999) / 1'000'000'000);
}

/// The `fls -m /` line TSK would print for this entry (tsk_fs_name_print_mac_md5).
std::string fls_line(const FileEntry& e) {
  std::ostringstream o;
  o << "0|" << fls_name(e.path);
  if (e.has_meta && e.stat.type == FileType::kSymlink && !e.symlink_target.empty())
    o << " -> " << fls_name(e.symlink_target);
  if (e.name_deleted) o << (e.meta_reallocated ? " (deleted-realloc)" : " (deleted)");
  o << "|" << e.stat.inode << "|" << name_letter(e.name_type) << "/";
  if (!e.has_meta) {
    o << "----------|0|0|0|0|0|0|0";
    return o.str();
  }
  o << tree::type_letter(e.stat.type) << perms(e.stat) << "|" << e.stat.uid << "|" << e.stat.gid
    << "|" << e.stat.size << "|" << secs(e.stat.atime) << "|" << secs(e.stat.mtime) << "|"
    << secs(e.stat.ctime) << "|" << secs(e.stat.crtime);
  return o.str();
}

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.insert(l);
  return out;
}

struct Walked {
  std::vector<FileEntry> entries;
  Diagnostics diag;
};

Walked walk_all(tree::FileTree& t, tree::WalkOptions options = {}) {
  Walked w;
  t.walk(
      options,
      [&](const FileEntry& e) {
        w.entries.push_back(e);
        return true;
      },
      w.diag);
  return w;
}

std::unique_ptr<tree::FileTree> open_boot(const std::filesystem::path& raw) {
  auto src = std::make_shared<HostFileSource>(raw, kBootOffset, kBootSize);
  const Probe p = probe(*src);
  EXPECT_EQ(p.type, FsType::kExt4);
  return open(src, p, "p1");
}

TEST(TskTree, WalkEqualsFlsOnBootPartition) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto t = open_boot(raw);
  EXPECT_EQ(t->info().type, "ext4");
  EXPECT_EQ(t->info().label, "boot");
  EXPECT_EQ(t->info().block_size, 1024u);
  auto w = walk_all(*t);
  std::set<std::string> mine;
  for (const auto& e : w.entries) mine.insert(fls_line(e));
  auto fls = run_program(
      {"/usr/bin/fls", "-r", "-m", "/", "-o", std::to_string(kBootOffset / 512), raw.string()});
  ASSERT_EQ(fls.exit_code, 0) << fls.err;
  EXPECT_EQ(mine, lines_of(fls.out));
  EXPECT_EQ(mine.size(), w.entries.size()) << "duplicate entries";
}

TEST(TskTree, DeletedSymlinkHardlinkAndReadOnBoot) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto t = open_boot(raw);
  auto w = walk_all(*t);
  const FileEntry* deleted = nullptr;
  const FileEntry* link = nullptr;
  for (const auto& e : w.entries) {
    if (e.path == "/wkwfnxjpaa") deleted = &e;
    if (e.path == "/vmlinuz") link = &e;
    if (e.path.rfind("/$OrphanFiles/", 0) == 0) {
      EXPECT_TRUE(e.orphan) << e.path;
    }
  }
  ASSERT_NE(deleted, nullptr);
  EXPECT_TRUE(deleted->name_deleted);
  EXPECT_EQ(deleted->depth, 0u);
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->symlink_target, "vmlinuz-3.10.0-1160.el7.x86_64");
  EXPECT_EQ(link->stat.type, FileType::kSymlink);

  auto cfg = t->lookup("/grub2/grub.cfg");
  auto hard = t->lookup("grub2/grub.cfg.hard");
  ASSERT_TRUE(cfg && hard);
  EXPECT_EQ(cfg->stat.inode, hard->stat.inode);
  EXPECT_EQ(cfg->stat.nlink, 2u);
  EXPECT_EQ(cfg->depth, 1u);
  const std::string want = deadbox::testing::read_text(std::filesystem::path(DEADBOX_SOURCE_DIR) /
                                                       "fixtures/files/common/grub.cfg");
  EXPECT_EQ(tree::read_all(*t, cfg->stat.inode, cfg->stat.size, 1 << 20), want);
  // icat is the oracle for raw inode reads, including offsets inside the file.
  auto icat = run_program({"/usr/bin/icat", "-o", std::to_string(kBootOffset / 512), raw.string(),
                           std::to_string(cfg->stat.inode)});
  EXPECT_EQ(icat.out, want);
  std::string mid(5, '\0');
  ASSERT_GT(want.size(), 12u);
  EXPECT_EQ(t->read(cfg->stat.inode, 7, std::as_writable_bytes(std::span(mid))), 5u);
  EXPECT_EQ(mid, want.substr(7, 5));
}

TEST(TskTree, LookupNeverFollowsSymlinksAndMissesAreNullopt) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto t = open_boot(raw);
  EXPECT_FALSE(t->lookup("/nonexistent"));
  EXPECT_FALSE(t->lookup("/vmlinuz/x"));
  EXPECT_FALSE(t->lookup("/wkwfnxjpaa")) << "deleted names are not lookups";
  auto root = t->lookup("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->stat.type, FileType::kDirectory);
  EXPECT_EQ(root->stat.inode, t->info().root_inode);
  auto l = t->lookup("/vmlinuz");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->stat.type, FileType::kSymlink);

  std::set<std::string> names, with_deleted;
  Diagnostics diag;
  t->list_dir(
      "/", false,
      [&](const FileEntry& e) {
        names.insert(e.path);
        return true;
      },
      diag);
  t->list_dir(
      "/", true,
      [&](const FileEntry& e) {
        with_deleted.insert(e.path);
        return true;
      },
      diag);
  EXPECT_TRUE(names.count("/grub2"));
  EXPECT_FALSE(names.count("/wkwfnxjpaa"));
  EXPECT_TRUE(with_deleted.count("/wkwfnxjpaa"));
  std::set<std::string> sub;
  t->list_dir(
      "/grub2", false,
      [&](const FileEntry& e) {
        sub.insert(e.path);
        return true;
      },
      diag);
  EXPECT_EQ(sub, (std::set<std::string>{"/grub2/grub.cfg", "/grub2/grub.cfg.hard"}));
}

// ext4_names: hostile names, a 300-deep chain (fls stops at 128) and a directory TSK 4.11
// cannot read. Everything fls prints must be ours too; what we add must be explained.
TEST(TskTree, HostileNamesDeepChainSupersetOfFls) {
  const auto raw = DEADBOX_FIXTURE("ext4_names", "disk.raw");
  auto src = std::make_shared<HostFileSource>(raw);
  auto t = open(src, probe(*src), "whole");
  auto w = walk_all(*t);
  std::set<std::string> mine;
  uint32_t max_depth = 0;
  for (const auto& e : w.entries) {
    mine.insert(fls_line(e));
    max_depth = std::max(max_depth, e.depth);
  }
  auto fls = run_program({"/usr/bin/fls", "-r", "-m", "/", raw.string()});
  auto theirs = lines_of(fls.out);
  // The oracle is wrong on one planted inode: TSK reads i_ctime as an unsigned 32-bit value and
  // ignores ctime_extra's epoch bits, so a ctime of 2^32 s (2106-02-07, as debugfs shows it)
  // prints as 0.
  const std::string y2038_fls =
      "0|/names/y2038|3339|r/rrw-r--r--|0|0|7|2147483648|2208988800|0|1709424000";
  ASSERT_EQ(theirs.erase(y2038_fls), 1u) << "fixture changed: re-check the y2038 line";
  // And on extent-mapped symlinks of 60 bytes or more: TSK 4.11 sets no target, deadbox reads it.
  ASSERT_EQ(theirs.erase("0|/links/long|3326|l/lrwxrwxrwx|0|0|99|1709283600|1709283600|"
                         "1709283600|1709283600"),
            1u);
  EXPECT_TRUE(mine.count("0|/links/long -> /" + std::string(70, 'a') +
                         "/target-longer-than-60-bytes|3326|l/lrwxrwxrwx|0|0|99|1709283600|"
                         "1709283600|1709283600|1709283600"));
  EXPECT_TRUE(
      mine.count("0|/names/y2038|3339|r/rrw-r--r--|0|0|7|2147483648|2208988800|"
                 "4294967296|1709424000"));
  for (const auto& l : theirs) EXPECT_TRUE(mine.count(l)) << "missing fls line: " << l;
  for (const auto& e : w.entries) {
    if (theirs.count(fls_line(e)) || e.path == "/names/y2038" || e.path == "/links/long") continue;
    // Extras: below TSK's depth cap, or in the directory TSK 4.11 cannot map.
    EXPECT_TRUE(e.depth >= 127 || e.path.rfind("/bigdir/", 0) == 0)
        << "extra line: " << fls_line(e);
  }
  EXPECT_GE(max_depth, 299u) << "the 300-deep chain is walked to the end";
  // Entries stream parents first.
  std::set<std::string> seen_dirs = {"/"};
  for (const auto& e : w.entries) {
    const auto parent = e.path.substr(0, std::max<size_t>(e.path.rfind('/'), 1));
    EXPECT_TRUE(seen_dirs.count(parent)) << e.path;
    if (e.stat.type == FileType::kDirectory || e.stat.type == FileType::kVirtual)
      seen_dirs.insert(e.path);
  }
}

// hostile_names: '/' and NUL inside dirents, terminal escapes, bidi overrides, a 255-byte name,
// symlink loops and a 1 TiB sparse file. The walk must equal fls line for line and survive.
TEST(TskTree, HostileNamesEqualFls) {
  const auto raw = DEADBOX_FIXTURE("hostile_names", "disk.raw");
  auto src = std::make_shared<HostFileSource>(raw, kBootOffset, 46137344);
  auto t = open(src, probe(*src), "p1");
  auto w = walk_all(*t);
  std::set<std::string> mine;
  for (const auto& e : w.entries) mine.insert(fls_line(e));
  auto fls = run_program(
      {"/usr/bin/fls", "-r", "-m", "/", "-o", std::to_string(kBootOffset / 512), raw.string()});
  EXPECT_EQ(mine, lines_of(fls.out));
  // The sparse file reads as zeros at its far end without materialising 1 TiB.
  auto sparse = t->lookup("/root/sparse.img");
  ASSERT_TRUE(sparse);
  EXPECT_GE(sparse->stat.size, uint64_t{1} << 40);
  std::string tail(16, 'x');
  EXPECT_EQ(
      t->read(sparse->stat.inode, sparse->stat.size - 16, std::as_writable_bytes(std::span(tail))),
      16u);
  EXPECT_EQ(tail, std::string(16, '\0'));
}

// The native lister against TSK's own directory walk, field by field, on every ext fixture:
// the same entries in the same order of discovery, the same metadata, the same deleted and
// orphan flags. TSK's view is taken with use_native_ext = false.
TEST(TskTree, NativeListerEqualsTskWalkFieldByField) {
  struct Case {
    const char* scenario;
    uint64_t offset, size;
  };
  const Case cases[] = {{"mbr_lvm_mixed", kBootOffset, kBootSize},
                        {"bare_ext4", 0, 0},
                        {"ext4_names", 0, 0},
                        {"hostile_names", kBootOffset, 46137344},
                        {"ext4_orphans", 0, 0}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.scenario);
    const auto raw = DEADBOX_FIXTURE(c.scenario, "disk.raw");
    auto src = c.size == 0 ? std::make_shared<HostFileSource>(raw)
                           : std::make_shared<HostFileSource>(raw, c.offset, c.size);
    auto t = open(src, probe(*src), "v");
    tree::WalkOptions tsk_only;
    tsk_only.use_native_ext = false;
    const Walked theirs = walk_all(*t, tsk_only);
    const Walked ours = walk_all(*t);
    EXPECT_EQ(ours.diag.counts().count("ext_native_off"), 0u) << "native lister not used";
    // Keyed by path and inode: hostile_names has a root name "etc/f.txt" next to /etc/f.txt.
    auto key = [](const FileEntry& e) {
      return e.path + "|" + std::to_string(e.stat.inode) + (e.name_deleted ? "|D" : "");
    };
    std::map<std::string, const FileEntry*> by_path;
    for (const auto& e : ours.entries) by_path[key(e)] = &e;
    size_t compared = 0;
    for (const auto& e : theirs.entries) {
      auto it = by_path.find(key(e));
      if (it == by_path.end()) {
        ADD_FAILURE() << "TSK lists, native does not: " << fls_line(e);
        continue;
      }
      const FileEntry& n = *it->second;
      ++compared;
      EXPECT_EQ(n.reader, "ext_native") << e.path;
      if (e.path == "/names/y2038") continue;  // TSK's epoch-bit error, see above
      EXPECT_EQ(fls_line(n), fls_line(e));
      EXPECT_EQ(n.has_meta, e.has_meta) << e.path;
      EXPECT_EQ(n.orphan, e.orphan) << e.path;
      EXPECT_EQ(n.depth, e.depth) << e.path;
      EXPECT_EQ(n.stat.nlink, e.stat.nlink) << e.path;
      EXPECT_EQ(n.stat.atime, e.stat.atime) << e.path;
      EXPECT_EQ(n.stat.mtime, e.stat.mtime) << e.path;
      EXPECT_EQ(n.stat.ctime, e.stat.ctime) << e.path;
      EXPECT_EQ(n.stat.crtime, e.stat.crtime) << e.path;
    }
    EXPECT_GT(compared, 5u);
    // Native may list more (what TSK cannot map); never less.
    EXPECT_GE(ours.entries.size(), theirs.entries.size());
  }
}

// A directory hard-linked into its own subtree (hostile-input.md E6): listed once, not
// re-entered, reported as a loop; max_depth cuts the walk with a diagnostic, never silently.
TEST(TskTree, DirectoryLoopAndDepthCapAreDiagnostics) {
  const auto dir = deadbox::testing::make_temp_dir("fs_loop");
  std::filesystem::create_directories(dir / "root/d1/d2");
  std::ofstream(dir / "root/d1/d2/f") << "hi\n";
  const auto img = (dir / "img").string();
  std::ofstream(img).close();
  std::filesystem::resize_file(img, 4 << 20);
  ASSERT_EQ(
      run_program({"/sbin/mke2fs", "-q", "-F", "-t", "ext4", "-d", (dir / "root").string(), img})
          .exit_code,
      0);
  ASSERT_EQ(run_program({"/sbin/debugfs", "-w", "-R", "ln /d1 /d1/d2/up", img}).exit_code, 0);
  auto src = std::make_shared<HostFileSource>(img);
  auto t = open(src, probe(*src), "whole");
  auto w = walk_all(*t);
  std::set<std::string> paths;
  for (const auto& e : w.entries) paths.insert(e.path);
  EXPECT_TRUE(paths.count("/d1/d2/up"));
  EXPECT_FALSE(paths.count("/d1/d2/up/d2"));
  EXPECT_EQ(w.diag.counts()["dir_loop"], 1u);
  auto fls = run_program({"/usr/bin/fls", "-r", "-m", "/", img});
  std::set<std::string> mine;
  for (const auto& e : w.entries) mine.insert(fls_line(e));
  EXPECT_EQ(mine, lines_of(fls.out));

  tree::WalkOptions shallow;
  shallow.max_depth = 1;
  Diagnostics diag;
  std::set<std::string> cut;
  t->walk(
      shallow,
      [&](const FileEntry& e) {
        cut.insert(e.path);
        return true;
      },
      diag);
  EXPECT_TRUE(cut.count("/d1/d2"));
  EXPECT_FALSE(cut.count("/d1/d2/f"));
  EXPECT_EQ(diag.counts()["depth_capped"], 1u);
  // A sink returning false stops the walk at once.
  size_t seen = 0;
  t->walk(
      {}, [&](const FileEntry&) { return ++seen < 2; }, diag);
  EXPECT_EQ(seen, 2u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace deadbox::fs
