// SPDX-License-Identifier: Apache-2.0
// XFS times in the --ns bodyfile against xfs_db -r (the XFS reference) for every inode of the
// bigtime (xfs_times) and non-bigtime (xfs_times_centos7, bare_xfs) fixtures.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <sstream>

#include "deadbox/fs/filesystem.hpp"
#include "deadbox/image/image.hpp"
#include "deadbox/timeline/bodyfile.hpp"
#include "deadbox/util/time_format.hpp"
#include "support/fixture.hpp"

namespace deadbox::timeline {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

/// "Fri Jan  1 00:00:00 2100" (xfs_db's ctime(3) form, TZ=UTC) → seconds.
int64_t parse_ctime(const std::string& s) {
  static const char* kMon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::istringstream in(s);
  std::string wday, mon, hms;
  int day = 0;
  int64_t year = 0;
  in >> wday >> mon >> day >> hms >> year;
  unsigned m = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (mon == kMon[i]) m = i + 1;
  EXPECT_NE(m, 0u) << s;
  const auto parts = split(hms, ':');
  EXPECT_EQ(parts.size(), 3u) << s;
  return timefmt::days_from_civil(year, m, static_cast<unsigned>(day)) * 86400 +
         std::stoll(parts[0]) * 3600 + std::stoll(parts[1]) * 60 + std::stoll(parts[2]);
}

/// xfs_db's atime, mtime, ctime, crtime of one inode as "sec.nnnnnnnnn".
std::vector<std::string> xfs_db_times(const std::string& image, const std::string& inode) {
  auto r = testing::run_program({"xfs_db", "-r", "-c", "inode " + inode, "-c",
                                 "print core.atime core.mtime core.ctime v3.crtime", image});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> kv;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find(" = ");
    if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 3);
  }
  std::vector<std::string> out;
  for (const char* f : {"core.atime", "core.mtime", "core.ctime", "v3.crtime"}) {
    const std::string sec = kv[std::string(f) + ".sec"], nsec = kv[std::string(f) + ".nsec"];
    EXPECT_FALSE(sec.empty()) << f << " of inode " << inode << ":\n" << r.out;
    if (sec.empty()) return {};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(parse_ctime(sec)),
                  std::stoll(nsec));
    out.push_back(buf);
  }
  return out;
}

void expect_times_match_xfs_db(const std::filesystem::path& image) {
  ::setenv("TZ", "UTC", 1);  // xfs_db prints local time
  std::shared_ptr<image::ByteSource> img = image::open_image({image.string()});
  auto tree = fs::open(img, fs::probe(*img), "whole");
  std::ostringstream out;
  BodyfileOptions ns;
  ns.ns = true;
  BodyfileWriter writer(out, ns);
  Diagnostics diag;
  pipeline::VolumeContext ctx{"whole", "/", tree.get(), &diag};
  pipeline::walk_volume(ctx, {}, {&writer});
  size_t checked = 0;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) {
    const auto f = split(line, '|');
    ASSERT_EQ(f.size(), 11u) << line;
    if (f[3].find("----------") != std::string::npos || f[3][0] == 'V') continue;
    const auto want = xfs_db_times(image.string(), f[2]);
    ASSERT_EQ(want.size(), 4u);
    for (int i = 0; i < 4; ++i) {
      // deadbox writes an unset (all-zero) time as "0"; xfs_db as 0.000000000.
      const std::string got = f[7 + i] == "0" ? "0.000000000" : f[7 + i];
      EXPECT_EQ(got, want[i]) << "field " << i << " of " << line;
    }
    ++checked;
  }
  EXPECT_GE(checked, 4u);
}

TEST(XfsTimes, BigtimeEqualsXfsDb) {
  expect_times_match_xfs_db(DEADBOX_FIXTURE("xfs_times", "disk.raw"));
}

TEST(XfsTimes, NonBigtimeEqualsXfsDb) {
  expect_times_match_xfs_db(DEADBOX_FIXTURE("xfs_times_centos7", "disk.raw"));
}

TEST(XfsTimes, BareXfsEqualsXfsDb) {
  expect_times_match_xfs_db(DEADBOX_FIXTURE("bare_xfs", "disk.raw"));
}

}  // namespace
}  // namespace deadbox::timeline
