// SPDX-License-Identifier: Apache-2.0
// Test helpers for the accounts/logins checks: records come from the real parsers fed with
// text samples (and glibc-written wtmp), then one check or all checks run over them.
#pragma once
#include <arpa/inet.h>
#include <utmp.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "deadbox/checks/check.hpp"
#include "deadbox/parsers/parser.hpp"
#include "deadbox/util/time_format.hpp"
#include "support/fixture.hpp"

namespace deadbox::checks::testing {

inline int64_t at(std::string_view iso) {
  return *timefmt::parse_iso(iso);
}

class Case {
 public:
  Case() : knowledge_(Knowledge::load(DEADBOX_ARTIFACTS_DIR)) {}

  /// Parses bytes with a registered parser as if read from path (mtime for year inference).
  Case& file(std::string_view parser_id, std::string path, std::string_view bytes,
             std::optional<int64_t> mtime = std::nullopt) {
    auto src = std::make_shared<parsers::Source>();
    src->volume = "p1";
    src->path = std::move(path);
    src->inode = 100 + ++files_;
    src->mtime = mtime;
    const parsers::Parser* p = parsers::find_parser(parser_id);
    EXPECT_NE(p, nullptr) << parser_id;
    if (p) p->parse(bytes, src, records_, diag_);
    return *this;
  }

  std::vector<Finding> run(std::string_view check_id) const {
    const Check* c = find_check(check_id);
    EXPECT_NE(c, nullptr) << check_id;
    std::vector<Finding> out;
    struct Sink : FindingSink {
      std::vector<Finding>* v;
      void add(Finding f) override { v->push_back(std::move(f)); }
    } sink;
    sink.v = &out;
    if (c) c->run(records_, knowledge_, sink);
    return out;
  }

  std::vector<Finding> run_all_checks() {
    Diagnostics d;
    auto f = checks::run_all(records_, knowledge_, d);
    EXPECT_EQ(d.count(DiagLevel::kError), 0u);
    return f;
  }

  const parsers::RecordStore& records() const { return records_; }

 private:
  Knowledge knowledge_;
  parsers::RecordStore records_;
  Diagnostics diag_;
  int files_ = 0;
};

/// One wtmp entry for write_wtmp.
struct Ut {
  short type;
  std::string user, line, host;
  int64_t sec;
};

/// A wtmp file as glibc's updwtmp() writes it, returned as bytes.
inline std::string write_wtmp(const std::vector<Ut>& entries) {
  const auto dir = deadbox::testing::make_temp_dir("wtmp");
  const auto path = (dir / "wtmp").string();
  std::ofstream(path).close();
  for (const auto& e : entries) {
    struct utmp ut;
    std::memset(&ut, 0, sizeof ut);
    ut.ut_type = e.type;
    ut.ut_pid = 1000;
    std::strncpy(ut.ut_user, e.user.c_str(), sizeof ut.ut_user);
    std::strncpy(ut.ut_line, e.line.c_str(), sizeof ut.ut_line);
    std::strncpy(ut.ut_host, e.host.c_str(), sizeof ut.ut_host);
    ut.ut_tv.tv_sec = static_cast<int32_t>(e.sec);
    inet_pton(AF_INET, e.host.c_str(), &ut.ut_addr_v6[0]);
    updwtmp(path.c_str(), &ut);
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::filesystem::remove_all(dir);
  return bytes;
}

inline bool has(const std::vector<Finding>& fs, std::string_view needle, Severity sev) {
  for (const auto& f : fs)
    if (f.message.find(needle) != std::string::npos && f.severity == sev) return true;
  return false;
}

}  // namespace deadbox::checks::testing
