// SPDX-License-Identifier: Apache-2.0
// CSV timeline: mactime -d columns, macb grouping, order, window, zone, hostile names.
#include "deadbox/timeline/csv.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "deadbox/tree/memory_tree.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::timeline {
namespace {

constexpr int64_t kS = 1'000'000'000;

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

tree::Stat times(int64_t m, int64_t a, int64_t c, std::optional<int64_t> b = std::nullopt) {
  tree::Stat st;
  st.mtime = m;
  st.atime = a;
  st.ctime = c;
  st.crtime = b;
  st.uid = 0;
  st.gid = 0;
  return st;
}

std::string run(tree::MemoryTree& t, CsvOptions o, const std::string& prefix = "/") {
  std::ostringstream out;
  CsvWriter w(out, std::move(o));
  Diagnostics diag;
  pipeline::VolumeContext ctx{"whole", prefix, &t, &diag};
  pipeline::walk_volume(ctx, {}, {&w});
  w.finish();
  return out.str();
}

TEST(Csv, HeaderMacbLettersAndColumns) {
  tree::MemoryTree t;
  t.add_file("/a", "hello", times(200 * kS, 100 * kS, 200 * kS));
  const auto l = lines_of(run(t, {}));
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0], "Date ISO,Date,Size,Type,Mode,UID,GID,Meta,File Name");
  EXPECT_EQ(l[1],
            "1970-01-01T00:01:40.000000000+00:00,Thu Jan 01 1970 00:01:40,5,.a..,"
            "r/rrw-r--r--,0,0,12,\"/a\"");
  EXPECT_EQ(l[2],
            "1970-01-01T00:03:20.000000000+00:00,Thu Jan 01 1970 00:03:20,5,m.c.,"
            "r/rrw-r--r--,0,0,12,\"/a\"");
}

TEST(Csv, SortedByTimeThenInodeThenName) {
  tree::MemoryTree t;
  tree::Stat s1 = times(50 * kS, 50 * kS, 50 * kS, 50 * kS);
  s1.inode = 30;
  tree::Stat s2 = s1;
  s2.inode = 20;
  tree::Stat s3 = times(10 * kS, 10 * kS, 10 * kS, 10 * kS);
  s3.inode = 40;
  t.add_file("/z", "", s1);
  t.add_file("/y", "", s2);
  t.add_file("/x", "", s3);
  tree::Stat s4 = s1;  // same time and inode as /z (a hard link): name decides
  t.add_file("/b", "", s4);
  const auto l = lines_of(run(t, {}));
  ASSERT_EQ(l.size(), 5u);
  EXPECT_NE(l[1].find(",40,\"/x\""), std::string::npos);
  EXPECT_NE(l[2].find(",20,\"/y\""), std::string::npos);
  EXPECT_NE(l[3].find(",30,\"/b\""), std::string::npos);
  EXPECT_NE(l[4].find(",30,\"/z\""), std::string::npos);
  EXPECT_NE(l[1].find(",macb,"), std::string::npos);
}

TEST(Csv, NanosecondsSeparateRowsAndUnsetTimesGiveNone) {
  tree::MemoryTree t;
  tree::Stat st;
  st.mtime = 100 * kS + 1;
  st.ctime = 100 * kS + 2;
  t.add_file("/a", "", st);
  const auto l = lines_of(run(t, {}));
  ASSERT_EQ(l.size(), 3u);
  EXPECT_NE(l[1].find("00:01:40.000000001+00:00,Thu Jan 01 1970 00:01:40,0,m...,"),
            std::string::npos);
  EXPECT_NE(l[2].find(",..c.,"), std::string::npos);
}

TEST(Csv, WindowIsInclusive) {
  tree::MemoryTree t;
  t.add_file("/a", "", times(100 * kS, 200 * kS, 300 * kS));
  CsvOptions o;
  o.window.from = 200 * kS;
  o.window.to = 300 * kS;
  const auto l = lines_of(run(t, o));
  ASSERT_EQ(l.size(), 3u);
  EXPECT_NE(l[1].find(",.a..,"), std::string::npos);
  EXPECT_NE(l[2].find(",..c.,"), std::string::npos);
}

TEST(Csv, HostileNamesQuotedAndFormulaNeutralised) {
  tree::MemoryTree t;
  t.add_file("/=cmd|' /C calc'!A0", "", times(kS, kS, kS));
  t.add_file(std::string("/q\"uote,\nx\xff", 11), "", times(2 * kS, 2 * kS, 2 * kS));
  const auto l = lines_of(run(t, {}, "/"));
  ASSERT_EQ(l.size(), 3u);  // no embedded newline survived
  // The name column starts with '/', so a leading '=' can only appear via the prefix; check
  // the quoting and escaping.
  EXPECT_NE(l[1].find(",\"/=cmd|' /C calc'!A0\""), std::string::npos);
  EXPECT_NE(l[2].find(",\"/q\"\"uote,\\x0ax\\xff\""), std::string::npos) << l[2];
  tree::MemoryTree t2;
  t2.add_file("/x", "", times(kS, kS, kS));
  // A prefix from a hostile fstab starting with '=' is neutralised.
  const auto l2 = lines_of(run(t2, {}, "=HYPERLINK(1)"));
  EXPECT_NE(l2[1].find(",\"'=HYPERLINK(1)/x\""), std::string::npos) << l2[1];
}

TEST(Csv, HumanDateInZone) {
  tree::MemoryTree t;
  t.add_file("/a", "", times(1704164645 * kS, 1704164645 * kS, 1704164645 * kS));
  CsvOptions o;
  o.tz = "America/New_York";
  const auto l = lines_of(run(t, o));
  ASSERT_EQ(l.size(), 2u);
  // 2024-01-02T03:04:05Z is 22:04:05 the previous day in New York (EST, UTC-5); the ISO
  // column stays UTC.
  EXPECT_EQ(l[1].rfind("2024-01-02T03:04:05.000000000+00:00,Mon Jan 01 2024 22:04:05,", 0), 0u)
      << l[1];
  for (const char* bad : {"../../etc/passwd", "No/Such_Zone", "/etc/localtime", ""}) {
    CsvOptions b;
    b.tz = bad;
    EXPECT_THROW(CsvWriter(std::cout, b), Error) << bad;
  }
}

TEST(Csv, SpilledRunsGiveTheSameOutput) {
  tree::MemoryTree t;
  for (int i = 0; i < 500; ++i) {
    // Times deliberately not in walk order; every 10th file is a hard link of the previous one
    // (same inode and times: only the name orders them) and some names need escaping.
    const int k = i % 10 == 0 && i > 0 ? i - 1 : i;
    const int64_t v = ((k * 7919) % 500) * kS + (k % 3);
    tree::Stat st = times(v, v + kS, v);
    st.inode = static_cast<uint64_t>(k) + 100;
    const std::string name =
        i % 7 == 0 ? "/q\"\xff\x01-" + std::to_string(i) : "/f" + std::to_string(1000 - i);
    t.add_file(name, "", st);
  }
  auto csv = [&](size_t run_bytes, size_t* spilled) {
    CsvOptions o;
    o.run_bytes = run_bytes;
    o.spool_dir = ::testing::TempDir();
    std::ostringstream out;
    CsvWriter w(out, o);
    Diagnostics diag;
    pipeline::VolumeContext ctx{"whole", "/", &t, &diag};
    pipeline::walk_volume(ctx, {}, {&w});
    w.finish();
    *spilled = w.runs_spilled();
    return out.str();
  };
  size_t none = 1, some = 0, many = 0;
  const std::string a = csv(64u << 20, &none);
  const std::string b = csv(8000, &some);
  const std::string c = csv(300, &many);  // a run per file or two, then pre-merges
  EXPECT_EQ(none, 0u);
  EXPECT_GT(some, 1u);
  EXPECT_GT(many, 128u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
  EXPECT_EQ(lines_of(a).size(), 1001u);
}

TEST(Csv, NameColumnIsTheCsvFieldOfTheDisplayName) {
  // Plain ASCII names take a fast path in the writer; every case must equal csv_field.
  for (const std::string prefix : {"/", "", "=x", "-", "+m", "@h", "\tt", "\x7f", "a\"b", "/mnt"}) {
    for (const std::string path : {"/plain name", "/\xc3\xa9t\xc3\xa9", "/\xe2\x80\xae rtl",
                                   "/bad\xff", "/q\"", "/ctl\x1b[0m", "/~!#$%^&*()_{}|;:',.<>?`"}) {
      tree::MemoryTree t;
      t.add_file(path, "", times(kS, kS, kS));
      const auto l = lines_of(run(t, {}, prefix));
      ASSERT_EQ(l.size(), 2u);
      std::string shown = prefix;
      if (shown.empty() || shown.back() != '/') shown += '/';
      shown += path.substr(1);
      const std::string want = "," + escape::csv_field(shown);
      ASSERT_GE(l[1].size(), want.size());
      EXPECT_EQ(l[1].substr(l[1].size() - want.size()), want) << prefix << path;
    }
  }
}

TEST(Csv, NameFastPathSeesEveryByteOfLongNames) {
  // The plain-name check reads eight bytes at a time: one odd byte at any position, in the
  // words and in the tail, must send the name through csv_field; boundary bytes must not.
  for (const char odd : std::string("\x01\x1f\x7f\x80\xff\" ~!#")) {
    tree::MemoryTree t;
    std::vector<std::string> shown;
    for (size_t pos = 1; pos < 24; ++pos) {
      std::string path = "/" + std::string(23, 'a') + std::to_string(pos);
      path[pos] = odd;
      t.add_file(path, "", times(kS, kS, kS));
      shown.push_back(path);
    }
    const std::string all = run(t, {});
    for (const auto& name : shown)
      EXPECT_NE(all.find("," + escape::csv_field(name) + "\n"), std::string::npos)
          << static_cast<int>(odd) << " " << escape::terminal(name);
  }
}

}  // namespace
}  // namespace deadbox::timeline
