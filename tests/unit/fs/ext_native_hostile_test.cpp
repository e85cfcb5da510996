// SPDX-License-Identifier: Apache-2.0
// The native ext lister on hostile bytes (hostile-input.md: every inode field, record length and
// extent header is attacker-controlled): seeded byte mutations of real ext4 fixtures and
// hand-picked absurd values. Every walk must end, within bounds, without an escaped exception;
// what the lister declines is only declined (TSK is not asked here, so a TSK crash cannot hide
// a lister bug).
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "fs/ext_inode.hpp"
#include "fs/ext_walk.hpp"
#include "support/fixture.hpp"

namespace deadbox::fs {
namespace {

class MemorySource final : public image::ByteSource {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const override { return bytes_.size(); }
  size_t read_at(uint64_t off, std::span<std::byte> buf) override {
    if (off >= bytes_.size()) return 0;
    const size_t n = std::min<size_t>(buf.size(), bytes_.size() - off);
    std::memcpy(buf.data(), bytes_.data() + off, n);
    return n;
  }
  std::string describe() const override { return "memory"; }

 private:
  std::string bytes_;
};

struct WalkResult {
  size_t entries = 0;
  size_t declined = 0;
  bool opened = false;
};

/// Depth-first walk with the native lister alone (declined directories are skipped).
WalkResult walk_native(const std::string& bytes) {
  WalkResult r;
  std::string why;
  auto lister = ExtNativeLister::open(std::make_shared<MemorySource>(bytes), true, "v", why);
  if (!lister) return r;
  r.opened = true;
  Diagnostics diag;
  tree::WalkOptions options;
  tree::FileEntry root;
  root.path = "/";
  root.stat.inode = 2;
  root.stat.type = tree::FileType::kDirectory;
  std::vector<std::pair<tree::FileEntry, std::vector<uint64_t>>> todo{{root, {2}}};
  while (!todo.empty() && r.entries < 200'000) {
    auto [dir, ancestors] = std::move(todo.back());
    todo.pop_back();
    std::vector<ListedItem> items;
    if (!lister->list(dir, options, items, diag)) {
      ++r.declined;
      continue;
    }
    for (ListedItem& item : items) {
      ++r.entries;
      EXPECT_FALSE(item.entry.path.empty());
      const uint64_t ino = item.entry.stat.inode;
      if (!item.recurse || ancestors.size() > 64 ||
          std::find(ancestors.begin(), ancestors.end(), ino) != ancestors.end())
        continue;
      auto next = ancestors;
      next.push_back(ino);
      todo.emplace_back(std::move(item.entry), std::move(next));
    }
  }
  return r;
}

std::string image_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ExtNativeHostile, UntouchedFixturesWalkCompletely) {
  const auto orphans = DEADBOX_FIXTURE("ext4_orphans", "disk.raw");
  const auto names = DEADBOX_FIXTURE("ext4_names", "disk.raw");
  for (const auto& s : {orphans, names}) {
    const WalkResult r = walk_native(image_bytes(s));
    EXPECT_TRUE(r.opened) << s;
    EXPECT_EQ(r.declined, 0u) << s;
    EXPECT_GT(r.entries, 40u) << s;
  }
}

// Random bytes over the metadata-dense start (superblock, descriptors, bitmaps, inode tables,
// first directory blocks) of two fixtures with 1 KiB blocks.
TEST(ExtNativeHostile, MutatedMetadataNeverCrashesOrHangs) {
  const auto orphans = DEADBOX_FIXTURE("ext4_orphans", "disk.raw");
  const auto names = DEADBOX_FIXTURE("ext4_names", "disk.raw");
  for (const auto& s : {orphans, names}) {
    const std::string base = image_bytes(s);
    std::mt19937 rng(11);
    std::uniform_int_distribution<size_t> where(1024, std::min<size_t>(base.size(), 1u << 20) - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    const int rounds = s == orphans ? 200 : 50;  // the 32 MiB image costs more per copy
    for (int round = 0; round < rounds; ++round) {
      std::string b = base;
      for (int k = 0; k < 24; ++k) b[where(rng)] = static_cast<char>(byte(rng));
      EXPECT_NO_THROW(walk_native(b)) << s << " round " << round;
      if (HasFailure()) return;
    }
  }
}

void put32(std::string& b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<char>(v >> (8 * i));
}
void put16(std::string& b, size_t off, uint16_t v) {
  b[off] = static_cast<char>(v);
  b[off + 1] = static_cast<char>(v >> 8);
}

// Absurd values in the fields the lister trusts least: the root directory's size and extent
// header, every record length of its first block, and the superblock geometry.
TEST(ExtNativeHostile, AbsurdFieldValuesAreBounded) {
  const std::string base = image_bytes(DEADBOX_FIXTURE("ext4_orphans", "disk.raw"));
  // Root inode: group 0's inode table (descriptor at block 2 with 1 KiB blocks), inode 2.
  const uint32_t table = static_cast<uint8_t>(base[2048 + 8]) |
                         static_cast<uint8_t>(base[2048 + 9]) << 8 |
                         static_cast<uint8_t>(base[2048 + 10]) << 16;
  const uint32_t isz = static_cast<uint8_t>(base[1024 + 88]) | static_cast<uint8_t>(base[1024 + 89])
                                                                   << 8;
  const size_t root = size_t{table} * 1024 + isz;
  const size_t eh = root + 40;  // extent header in i_block
  struct Patch {
    const char* what;
    size_t off;
    uint32_t value;
    int width;
  };
  const Patch patches[] = {
      {"root i_size 4 GiB", root + 4, 0xFFFFFFFFu, 4},
      {"extent depth 5", eh + 6, 5, 2},
      {"extent depth 0xFFFF", eh + 6, 0xFFFF, 2},
      {"extent entries 0xFFFF", eh + 2, 0xFFFF, 2},
      {"extent start past the end", eh + 12 + 8, 0xFFFFFFF0u, 4},
      {"extent length 32767", eh + 12 + 4, 32767, 2},
      {"extent index to itself", eh + 12 + 4, table, 4},
      {"inodes per group 0", 1024 + 40, 0, 4},
      {"inodes count huge", 1024 + 0, 0xFFFFFFFFu, 4},
      {"log block size 30", 1024 + 24, 30, 4},
      {"inode size 1", 1024 + 88, 1, 2},
      {"inode table past the end", 2048 + 8, 0xFFFFFFFFu, 4},
  };
  for (const Patch& p : patches) {
    std::string b = base;
    if (p.width == 4)
      put32(b, p.off, p.value);
    else
      put16(b, p.off, static_cast<uint16_t>(p.value));
    if (std::string(p.what) == "extent index to itself") put16(b, eh + 6, 1);  // make it an index
    WalkResult r;
    EXPECT_NO_THROW(r = walk_native(b)) << p.what;
    EXPECT_LT(r.entries, 200'000u) << p.what;
  }
  // Every record length in the root's first directory block set to 0, 4 and 0xFFFF in turn.
  const WalkResult clean = walk_native(base);
  for (uint16_t rec : {uint16_t{0}, uint16_t{4}, uint16_t{0xFFFF}}) {
    std::string b = base;
    const uint32_t first_block = static_cast<uint8_t>(b[eh + 12 + 8]) |
                                 static_cast<uint8_t>(b[eh + 12 + 9]) << 8 |
                                 static_cast<uint8_t>(b[eh + 12 + 10]) << 16;
    for (size_t off = 0; off + 8 <= 1024; off += 4)
      put16(b, size_t{first_block} * 1024 + off + 4, rec);
    WalkResult r;
    EXPECT_NO_THROW(r = walk_native(b)) << "rec_len " << rec;
    EXPECT_LE(r.entries, clean.entries) << "rec_len " << rec;
  }
}

// A name whose inode cannot be loaded is listed without metadata and reported, never dropped
// (issue #3: nothing is lost silently). TSK's bound lets inodes_count + 1 through the parser.
TEST(ExtNativeHostile, UnreadableInodeIsListedAndReported) {
  std::string b = image_bytes(DEADBOX_FIXTURE("ext4_orphans", "disk.raw"));
  const uint32_t table = static_cast<uint8_t>(b[2048 + 8]) |
                         static_cast<uint8_t>(b[2048 + 9]) << 8 |
                         static_cast<uint8_t>(b[2048 + 10]) << 16;
  const uint32_t isz = static_cast<uint8_t>(b[1024 + 88]) | static_cast<uint8_t>(b[1024 + 89]) << 8;
  const size_t eh = size_t{table} * 1024 + isz + 40;
  const uint32_t first_block = static_cast<uint8_t>(b[eh + 12 + 8]) |
                               static_cast<uint8_t>(b[eh + 12 + 9]) << 8 |
                               static_cast<uint8_t>(b[eh + 12 + 10]) << 16;
  const uint32_t count = static_cast<uint8_t>(b[1024]) | static_cast<uint8_t>(b[1025]) << 8 |
                         static_cast<uint8_t>(b[1026]) << 16;
  // The root's third entry follows "." (12 bytes) and ".." (12 bytes).
  put32(b, size_t{first_block} * 1024 + 24, count + 1);
  std::string why;
  auto lister = ExtNativeLister::open(std::make_shared<MemorySource>(b), true, "v", why);
  ASSERT_TRUE(lister) << why;
  tree::FileEntry root;
  root.path = "/";
  root.stat.inode = 2;
  root.stat.type = tree::FileType::kDirectory;
  std::vector<ListedItem> items;
  Diagnostics diag;
  ASSERT_TRUE(lister->list(root, {}, items, diag));
  size_t bad = 0;
  for (const ListedItem& item : items) {
    if (item.entry.stat.inode != count + 1 || item.entry.path == "/$OrphanFiles") continue;
    ++bad;
    EXPECT_FALSE(item.entry.has_meta);
    EXPECT_FALSE(item.recurse);
  }
  EXPECT_EQ(bad, 1u);
  EXPECT_EQ(diag.counts()["inode_unreadable"], 1u);
}

// ext4's epoch bits reach 2446, past what signed 64-bit nanoseconds hold (2262): such a forged
// time saturates (no signed overflow, no wrap into the past); an in-range one stays exact.
TEST(ExtNativeHostile, TimesPastTheNanosecondRangeSaturate) {
  std::string b = image_bytes(DEADBOX_FIXTURE("ext4_orphans", "disk.raw"));
  const uint32_t table = static_cast<uint8_t>(b[2048 + 8]) |
                         static_cast<uint8_t>(b[2048 + 9]) << 8 |
                         static_cast<uint8_t>(b[2048 + 10]) << 16;
  const uint32_t isz = static_cast<uint8_t>(b[1024 + 88]) | static_cast<uint8_t>(b[1024 + 89]) << 8;
  ASSERT_GE(isz, 256u);
  const size_t root = size_t{table} * 1024 + isz;
  put32(b, root + 16, 0x7FFFFFFF);      // i_mtime
  put32(b, root + 136, (5u << 2) | 3);  // mtime_extra: 5 ns, epoch 3 → year 2446
  put32(b, root + 8, 0x80000000u);      // i_atime
  put32(b, root + 140, (7u << 2) | 1);  // atime_extra: epoch 1 → 2^31 s, 2038-01-19
  std::string why;
  auto src = std::make_shared<MemorySource>(b);
  auto layout = ext::read_layout(*src, true, why);
  ASSERT_TRUE(layout) << why;
  ext::InodeReader reader(*src, *layout);
  const auto ino = reader.load(2);
  ASSERT_TRUE(ino);
  ASSERT_TRUE(ino->stat.mtime);
  EXPECT_EQ(*ino->stat.mtime, (INT64_MAX / 1'000'000'000 - 1) * 1'000'000'000);
  ASSERT_TRUE(ino->stat.atime);
  EXPECT_EQ(*ino->stat.atime, int64_t{2147483648} * 1'000'000'000 + 7);
}

}  // namespace
}  // namespace deadbox::fs
