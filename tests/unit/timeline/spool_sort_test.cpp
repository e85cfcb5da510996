// SPDX-License-Identifier: Apache-2.0
// External sort: the order of a plain stable sort, whether everything fits in memory (radix
// path), spills into many runs (incl. pre-merges), or a single record outgrows the budget.
#include "timeline/spool_sort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

namespace deadbox::timeline {
namespace {

struct Row {
  int64_t ns;
  uint64_t inode;
  std::string name;
  std::string payload;
  uint8_t tag;
  bool operator==(const Row&) const = default;
};

struct Input {
  std::vector<Row> rows;                           // in insertion order
  std::vector<std::pair<size_t, size_t>> records;  // [first, last) row of each record
};

Input random_input(size_t records, int64_t spread, uint32_t seed) {
  std::mt19937_64 rng(seed);
  Input in;
  for (size_t i = 0; i < records; ++i) {
    const uint64_t inode = rng() % 7;
    const std::string name = "n" + std::to_string(rng() % 4);
    const std::string payload(rng() % 40, static_cast<char>('a' + i % 26));
    const size_t first = in.rows.size();
    const size_t rows = 1 + rng() % 4;
    for (size_t k = 0; k < rows; ++k) {
      // Negative times too (pre-1970), and wide values so every radix digit varies.
      int64_t ns = static_cast<int64_t>(rng() % static_cast<uint64_t>(spread)) - spread / 2;
      if (rng() % 5 == 0) ns = static_cast<int64_t>(rng());
      in.rows.push_back({ns, inode, name, payload, static_cast<uint8_t>(k)});
    }
    in.records.emplace_back(first, in.rows.size());
  }
  return in;
}

std::vector<Row> sorted(const Input& in, size_t run_bytes, size_t* spilled) {
  SpoolSorter s(::testing::TempDir(), run_bytes);
  for (const auto& [first, last] : in.records) {
    const Row& r = in.rows[first];
    s.add_record(r.inode, r.name, r.payload);
    for (size_t i = first; i < last; ++i) s.add_row(in.rows[i].ns, in.rows[i].tag);
  }
  std::vector<Row> out;
  s.finish([&](const SortedRow& r) {
    out.push_back({r.ns, r.inode, std::string(r.name), std::string(r.payload), r.tag});
  });
  *spilled = s.runs_spilled();
  return out;
}

std::vector<Row> reference(const Input& in) {
  std::vector<Row> v = in.rows;
  std::stable_sort(v.begin(), v.end(), [](const Row& a, const Row& b) {
    return std::tie(a.ns, a.inode, a.name) < std::tie(b.ns, b.inode, b.name);
  });
  return v;
}

TEST(SpoolSorter, InMemoryRadixOrderEqualsStableSort) {
  for (int64_t spread : {int64_t{3}, int64_t{1000}, int64_t{1} << 40}) {
    const Input in = random_input(5000, spread, 7);
    size_t spilled = 1;
    EXPECT_EQ(sorted(in, 1u << 30, &spilled), reference(in)) << spread;
    EXPECT_EQ(spilled, 0u);
  }
}

TEST(SpoolSorter, ManyRunsMergeToTheInMemoryOrder) {
  const Input in = random_input(20000, 1000, 42);
  size_t spilled_mem = 0, spilled_disk = 0;
  const auto mem = sorted(in, 1u << 30, &spilled_mem);
  const auto disk = sorted(in, 4096, &spilled_disk);
  EXPECT_EQ(spilled_mem, 0u);
  EXPECT_GT(spilled_disk, 200u);  // beyond the fan-in cap: pre-merges happened
  EXPECT_EQ(mem, disk);
  EXPECT_EQ(mem, reference(in));
}

TEST(SpoolSorter, SmallInputsAndOneRecordLargerThanTheBudget) {
  // Below the radix threshold; then one record with many rows that spills mid-record.
  Input in = random_input(20, 1000, 3);
  size_t spilled = 0;
  EXPECT_EQ(sorted(in, 1u << 30, &spilled), reference(in));
  Input big;
  big.records.emplace_back(0, 3000);
  for (size_t i = 0; i < 3000; ++i)
    big.rows.push_back({static_cast<int64_t>((i * 7919) % 1000), 5, "one", "p", 1});
  EXPECT_EQ(sorted(big, 1000, &spilled), reference(big));
  EXPECT_GT(spilled, 100u);
  // Nothing added: nothing emitted, no file.
  EXPECT_TRUE(sorted(Input{}, 1000, &spilled).empty());
  EXPECT_EQ(spilled, 0u);
}

}  // namespace
}  // namespace deadbox::timeline
