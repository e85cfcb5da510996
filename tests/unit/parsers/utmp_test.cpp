// SPDX-License-Identifier: Apache-2.0
// Samples are written by glibc itself (updwtmp, pututxline) into temp files, then corrupted by
// hand, so the parser is tested against the real on-disk layout, not our idea of it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <utmp.h>
#include <utmpx.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "support/fixture.hpp"
#include "unit/parsers/parser_test_util.hpp"

namespace deadbox::parsers {
namespace {
using testing::run_parser;
using testing::source_at;

constexpr int64_t kT0 = 1719800000;  // 2024-07-01T02:13:20Z

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct utmp make_ut(short type, const char* user, const char* line, const char* host, int64_t sec,
                    int usec, pid_t pid) {
  struct utmp ut;
  std::memset(&ut, 0, sizeof ut);
  ut.ut_type = type;
  ut.ut_pid = pid;
  std::strncpy(ut.ut_line, line, sizeof ut.ut_line);
  std::strncpy(ut.ut_user, user, sizeof ut.ut_user);
  std::strncpy(ut.ut_host, host, sizeof ut.ut_host);
  std::strncpy(ut.ut_id, "ts/0", sizeof ut.ut_id);
  ut.ut_tv.tv_sec = static_cast<int32_t>(sec);
  ut.ut_tv.tv_usec = usec;
  ut.ut_session = 77;
  if (inet_pton(AF_INET, host, &ut.ut_addr_v6[0]) != 1)
    inet_pton(AF_INET6, host, &ut.ut_addr_v6[0]);
  return ut;
}

// A wtmp as login/sshd/systemd write it: boot, a session from IPv4, its end, an IPv6 session.
std::string glibc_wtmp(const std::filesystem::path& dir) {
  const auto path = (dir / "wtmp").string();
  std::ofstream(path).close();  // updwtmp appends to an existing file only
  auto boot = make_ut(BOOT_TIME, "reboot", "~", "6.1.0-18-amd64", kT0, 0, 0);
  auto login = make_ut(USER_PROCESS, "alice", "pts/0", "203.0.113.5", kT0 + 60, 123456, 1234);
  auto logout = make_ut(DEAD_PROCESS, "", "pts/0", "", kT0 + 120, 5, 1234);
  auto v6 = make_ut(USER_PROCESS, "bob", "pts/1", "2001:db8::7", kT0 + 180, 0, 1300);
  for (auto* ut : {&boot, &login, &logout, &v6}) updwtmp(path.c_str(), ut);
  return slurp(path);
}

class UtmpParser : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = deadbox::testing::make_temp_dir("utmp"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(UtmpParser, DecodesGlibcWrittenWtmp) {
  const std::string bytes = glibc_wtmp(dir_);
  ASSERT_EQ(bytes.size(), 4u * 384u);  // glibc x86_64 writes the 384-byte layout
  const auto p = run_parser("linux/log/utmp", bytes, source_at("/var/log/wtmp"));
  const auto& r = p.of("linux/log/utmp");
  ASSERT_EQ(r.size(), 5u);  // 4 records + whole-file summary
  EXPECT_EQ(r[0].str("ut_type"), "BOOT_TIME");
  EXPECT_EQ(r[0].str("line"), "~");
  EXPECT_EQ(r[0].str("host"), "6.1.0-18-amd64");
  EXPECT_EQ(r[1].str("ut_type"), "USER_PROCESS");
  EXPECT_EQ(r[1].str("user"), "alice");
  EXPECT_EQ(r[1].str("line"), "pts/0");
  EXPECT_EQ(r[1].str("ut_id"), "ts/0");
  EXPECT_EQ(r[1].str("src_ip"), "203.0.113.5");
  EXPECT_EQ(r[1].i64("pid"), 1234);
  EXPECT_EQ(r[1].i64("session"), 77);
  EXPECT_EQ(r[1].time("time"), (kT0 + 60) * 1'000'000'000 + 123456000);
  EXPECT_EQ(r[1].str("source_kind"), "wtmp");
  EXPECT_EQ(r[1].str("anomaly"), "");
  EXPECT_EQ(r[1].i64("record_size"), 384);
  EXPECT_EQ(r[2].str("ut_type"), "DEAD_PROCESS");
  EXPECT_EQ(r[3].str("src_ip"), "2001:db8::7");
  EXPECT_EQ(r[4].line, 0u);
  EXPECT_EQ(r[4].i64("record_count"), 4);
  EXPECT_EQ(r[4].i64("zeroed_count"), 0);
  EXPECT_EQ(r[4].time("first_time"), kT0 * 1'000'000'000);
  EXPECT_TRUE(p.diag.entries().empty());
}

TEST_F(UtmpParser, ReadsPututxlineOutputAsBtmp) {
  const auto path = (dir_ / "btmp").string();
  std::ofstream(path).close();  // pututxline does not create the file
  ASSERT_EQ(utmpxname(path.c_str()), 0);
  setutxent();
  struct utmpx ux;
  std::memset(&ux, 0, sizeof ux);
  ux.ut_type = LOGIN_PROCESS;
  ux.ut_pid = 4242;
  std::strncpy(ux.ut_line, "ssh:notty", sizeof ux.ut_line);
  std::strncpy(ux.ut_user, "admin", sizeof ux.ut_user);
  std::strncpy(ux.ut_host, "198.51.100.9", sizeof ux.ut_host);
  ux.ut_tv.tv_sec = static_cast<int32_t>(kT0);
  ASSERT_NE(pututxline(&ux), nullptr);
  endutxent();
  utmpxname(_PATH_UTMP);
  const auto p = run_parser("linux/log/utmp", slurp(path), source_at("/var/log/btmp.1"));
  const auto& r = p.of("linux/log/utmp");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].str("source_kind"), "btmp");
  EXPECT_EQ(r[0].str("ut_type"), "LOGIN_PROCESS");
  EXPECT_EQ(r[0].str("user"), "admin");
  EXPECT_EQ(r[0].str("line"), "ssh:notty");
}

// hostile-input.md item 11: 2 good, 2 corrupt, 1 zeroed, a partial tail → all kept, each noted.
TEST_F(UtmpParser, KeepsCorruptAndZeroedRecordsFlagged) {
  std::string bytes = glibc_wtmp(dir_);
  std::string bad_type = bytes.substr(384, 384), bad_usec = bytes.substr(384, 384);
  bad_type[0] = 99;
  bad_usec[344] = '\x40';  // tv_usec = 0x..40xxxx > 1e6
  bad_usec[345] = '\x42';
  bad_usec[346] = '\x0f';
  std::string file =
      bytes.substr(0, 768) + bad_type + bad_usec + std::string(384, '\0') + std::string(100, 'X');
  const auto p = run_parser("linux/log/utmp", file, source_at("/var/log/wtmp"));
  const auto& r = p.of("linux/log/utmp");
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[2].str("anomaly"), "bad_type");
  EXPECT_EQ(r[2].str("ut_type"), "");
  EXPECT_EQ(r[3].str("anomaly"), "bad_usec");
  EXPECT_FALSE(r[3].time("time"));
  EXPECT_EQ(r[4].str("anomaly"), "zeroed");
  EXPECT_EQ(r[5].i64("zeroed_count"), 1);
  EXPECT_EQ(r[5].i64("corrupt_count"), 2);
  EXPECT_EQ(r[5].i64("tail_bytes"), 100);
  size_t corrupt = 0;
  for (const auto& d : p.diag.entries()) corrupt += d.code == "corrupt_record";
  EXPECT_EQ(corrupt, 2u);
  EXPECT_TRUE(p.has_diag("partial_tail"));
  EXPECT_TRUE(p.has_diag("zeroed_records"));
}

TEST_F(UtmpParser, KeepsLayout384WhenSizeAlsoFits400) {
  const auto path = (dir_ / "wtmp25").string();
  std::ofstream(path).close();
  for (int i = 0; i < 25; ++i) {
    auto ut = make_ut(USER_PROCESS, "u", "pts/2", "10.0.0.1", kT0 + i, 0, 100 + i);
    updwtmp(path.c_str(), &ut);
  }
  const std::string bytes = slurp(path);
  ASSERT_EQ(bytes.size(), 9600u);  // 25 × 384 = 24 × 400
  const auto p = run_parser("linux/log/utmp", bytes, source_at("/var/log/wtmp"));
  const auto& r = p.of("linux/log/utmp");
  ASSERT_EQ(r.size(), 26u);
  EXPECT_EQ(r[24].i64("pid"), 124);
  EXPECT_EQ(r[24].str("anomaly"), "");
}

void put_le(std::string& b, size_t off, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) b[off + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

TEST_F(UtmpParser, DecodesThe400ByteLayout) {
  // aarch64 glibc layout: 64-bit session at 336, tv_sec 344, tv_usec 352, addr 360.
  std::string b;
  for (int i = 0; i < 2; ++i) {
    std::string rec(400, '\0');
    put_le(rec, 0, USER_PROCESS, 2);
    put_le(rec, 4, 900 + i, 4);
    std::memcpy(rec.data() + 8, "pts/3", 5);
    std::memcpy(rec.data() + 44, "carol", 5);
    std::memcpy(rec.data() + 76, "192.0.2.44", 10);
    put_le(rec, 336, 5, 8);
    put_le(rec, 344, kT0 + i, 8);
    put_le(rec, 352, 42, 8);
    rec[360] = static_cast<char>(192);
    rec[361] = 0;
    rec[362] = 2;
    rec[363] = 44;
    b += rec;
  }
  const auto p = run_parser("linux/log/utmp", b, source_at("/var/log/wtmp"));
  const auto& r = p.of("linux/log/utmp");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].i64("record_size"), 400);
  EXPECT_EQ(r[1].str("user"), "carol");
  EXPECT_EQ(r[1].str("src_ip"), "192.0.2.44");
  EXPECT_EQ(r[1].time("time"), (kT0 + 1) * 1'000'000'000 + 42000);
  EXPECT_TRUE(p.diag.entries().empty());
}

TEST_F(UtmpParser, EmptyFileYieldsOnlyTheSummary) {
  const auto p = run_parser("linux/log/utmp", "", source_at("/var/log/wtmp"));
  ASSERT_EQ(p.of("linux/log/utmp").size(), 1u);
  EXPECT_EQ(p.of("linux/log/utmp")[0].i64("record_count"), 0);
}

TEST(LastlogParser, ReadsSparseRecordsByUid) {
  std::string b(292 * 1001 + 10, '\0');
  put_le(b, 0, kT0, 4);  // uid 0
  std::memcpy(b.data() + 4, "pts/0", 5);
  std::memcpy(b.data() + 36, "203.0.113.5", 11);
  put_le(b, 292 * 1000, kT0 + 5, 4);  // uid 1000
  std::memcpy(b.data() + 292 * 1000 + 4, "tty1", 4);
  const auto p = run_parser("linux/log/lastlog", b, source_at("/var/log/lastlog"));
  const auto& r = p.of("linux/log/lastlog");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].i64("uid"), 0);
  EXPECT_EQ(r[0].str("host"), "203.0.113.5");
  EXPECT_EQ(r[0].time("time"), kT0 * 1'000'000'000);
  EXPECT_EQ(r[1].i64("uid"), 1000);
  EXPECT_EQ(r[1].str("line"), "tty1");
  EXPECT_EQ(r[1].str("host"), "");
  EXPECT_TRUE(p.has_diag("partial_tail"));
}

}  // namespace
}  // namespace deadbox::parsers
