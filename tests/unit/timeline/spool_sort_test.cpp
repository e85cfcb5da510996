// SPDX-License-Identifier: Apache-2.0
// External sort: same order in memory and through many spilled runs (incl. pre-merges).
#include "timeline/spool_sort.hpp"

#include <gtest/gtest.h>

#include <random>

namespace deadbox::timeline {
namespace {

std::vector<SortRow> sorted_by(size_t run_bytes, size_t n, size_t* spilled) {
  SpoolSorter s(::testing::TempDir(), run_bytes);
  std::mt19937_64 rng(42);
  for (size_t i = 0; i < n; ++i) {
    SortRow r;
    r.ns = static_cast<int64_t>(rng() % 1000) - 500;  // negative times sort first
    r.inode = rng() % 5;
    r.seq = i;
    r.name = "n" + std::to_string(rng() % 3);
    r.tail = std::string(rng() % 40, 'x');
    s.add(std::move(r));
  }
  std::vector<SortRow> out;
  s.finish([&](const SortRow& r) { out.push_back(r); });
  *spilled = s.runs_spilled();
  return out;
}

TEST(SpoolSorter, ManyRunsMergeToTheInMemoryOrder) {
  size_t spilled_mem = 0, spilled_disk = 0;
  const auto mem = sorted_by(1u << 30, 20000, &spilled_mem);
  const auto disk = sorted_by(4096, 20000, &spilled_disk);
  EXPECT_EQ(spilled_mem, 0u);
  EXPECT_GT(spilled_disk, 200u);  // beyond the fan-in cap: pre-merges happened
  ASSERT_EQ(mem.size(), disk.size());
  for (size_t i = 0; i < mem.size(); ++i) {
    ASSERT_EQ(mem[i].seq, disk[i].seq) << i;
    ASSERT_EQ(mem[i].tail, disk[i].tail);
  }
  for (size_t i = 1; i < mem.size(); ++i) ASSERT_LE(mem[i - 1].ns, mem[i].ns);
}

}  // namespace
}  // namespace deadbox::timeline
