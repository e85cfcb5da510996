// SPDX-License-Identifier: Apache-2.0
// The files/* checks fed with fs/file and fs/content_match records built here (house style
// §3.3: checks read records only), positive and negative cases for each.
#include <gtest/gtest.h>

#include "deadbox/checks/check.hpp"

namespace deadbox::checks {
namespace {

constexpr int64_t kS = 1'000'000'000;
constexpr int64_t kT = 1'719'782'045 * kS;  // 2024-06-30T21:14:05Z
constexpr int64_t kYear = 365 * 86400 * kS;

struct FileSpec {
  std::string path;
  std::string type = "file";
  std::string scope = "odd_place";
  bool elf = false;
  std::string elf_kind = "exec";
  bool deleted = false;
  bool packaged = false;
  bool hidden_dir = false;
  int64_t mode = 0644;
  int64_t size = 1000;
  int64_t mtime = kT, ctime = kT;
  std::optional<int64_t> crtime;
  std::string symlink_target;
  std::string lookalike_of, lookalike_list;
  int64_t distance = 0;
};

parsers::Record file(const FileSpec& s) {
  auto src = std::make_shared<parsers::Source>();
  src->volume = "p1";
  src->path = s.path;
  src->inode = 100 + s.path.size();
  parsers::Record r;
  r.type = "fs/file";
  r.source = src;
  r.set("name", s.path.substr(s.path.rfind('/') + 1));
  r.set("file_type", s.type);
  r.set("mode", s.mode);
  r.set("size", s.size);
  r.set("mtime", parsers::Timestamp{s.mtime});
  r.set("ctime", parsers::Timestamp{s.ctime});
  if (s.crtime) r.set("crtime", parsers::Timestamp{*s.crtime});
  r.set("deleted", s.deleted);
  r.set("is_elf", s.elf);
  if (s.elf) r.set("elf_kind", s.elf_kind);
  if (!s.symlink_target.empty()) r.set("symlink_target", s.symlink_target);
  r.set("hidden_dir", s.hidden_dir);
  r.set("package_owned", s.packaged);
  r.set("scope", s.scope);
  if (!s.lookalike_of.empty()) {
    r.set("lookalike_of", s.lookalike_of);
    r.set("lookalike_list", s.lookalike_list);
    r.set("lookalike_distance", s.distance);
  }
  return r;
}

parsers::Record hit(const std::string& path, const std::string& kind, const std::string& indicator,
                    bool elf = false, bool packaged = false, bool swap = false) {
  auto src = std::make_shared<parsers::Source>();
  src->volume = "p1";
  src->path = path;
  src->inode = 7;
  parsers::Record r;
  r.type = "fs/content_match";
  r.source = src;
  r.set("name", path.substr(path.rfind('/') + 1));
  r.set("indicator_kind", kind);
  r.set("indicator", indicator);
  r.set("offset", int64_t{10});
  r.set("excerpt", "..." + indicator + "...");
  r.set("is_elf", elf);
  r.set("package_owned", packaged);
  if (swap) r.set("in_swap", true);
  return r;
}

std::vector<Finding> run(const char* id, std::vector<parsers::Record> records) {
  const Check* c = find_check(id);
  EXPECT_NE(c, nullptr) << id;
  if (c == nullptr) return {};
  parsers::RecordStore store;
  for (auto& r : records) store.add(std::move(r));
  std::vector<Finding> out;
  struct Sink : FindingSink {
    std::vector<Finding>* v;
    void add(Finding f) override { v->push_back(std::move(f)); }
  } sink;
  sink.v = &out;
  static const Knowledge k = Knowledge::load(DEADBOX_ARTIFACTS_DIR);
  c->run(store, k, sink);
  return out;
}

TEST(ElfInOddPlace, BootTmpHiddenYesPackagedGrubAndBinNo) {
  const auto f =
      run("files/elf_in_odd_place",
          {file({.path = "/boot/wkwfnxjpaa", .elf = true}),
           file({.path = "/home/a/.x/run", .scope = "hidden", .elf = true, .hidden_dir = true}),
           file({.path = "/boot/grub/i386-pc/normal.mod", .elf = true, .elf_kind = "rel"}),
           file({.path = "/etc/x", .elf = true, .packaged = true}),
           file({.path = "/var/lib/app/tool", .scope = "elf_outside_bin_dirs", .elf = true}),
           file({.path = "/tmp/core.123", .elf = true, .elf_kind = "core"})});
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].evidence[0].path, "/boot/wkwfnxjpaa");
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[1].evidence[0].path, "/home/a/.x/run");
  EXPECT_EQ(f[0].first_seen, kT);
}

TEST(ElfBehindNonExecName, ConfIsCriticalLibraryNamedExecIsHigh) {
  const auto f = run("files/elf_behind_non_exec_name",
                     {file({.path = "/etc/security/ntps.conf", .elf = true}),
                      file({.path = "/tmp/libc.so.6", .elf = true}),
                      file({.path = "/tmp/libok.so", .elf = true, .elf_kind = "dyn"}),
                      file({.path = "/tmp/readme.txt"}),
                      file({.path = "/tmp/x.conf", .elf = true, .packaged = true})});
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_NE(f[0].message.find("'.conf'"), std::string::npos);
  EXPECT_EQ(f[1].severity, Severity::kHigh);
  EXPECT_EQ(f[1].evidence[0].path, "/tmp/libc.so.6");
}

TEST(RandomName, NeedsPlaceOrElf) {
  const auto f =
      run("files/random_name",
          {file({.path = "/boot/wkwfnxjpaa", .scope = "odd_place,random_name"}),
           file({.path = "/home/a/qzxkvbnw", .scope = "random_name"}),
           file({.path = "/srv/qzxkvbnw", .scope = "random_name", .elf = true}),
           file({.path = "/etc/zstdgrep", .scope = "odd_place,random_name", .packaged = true})});
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].evidence[0].path, "/boot/wkwfnxjpaa");
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[1].evidence[0].path, "/srv/qzxkvbnw");
}

TEST(KernelThreadLookalike, ProgramsYesDataAndDirsNo) {
  const auto f = run("files/kernel_thread_lookalike",
                     {file({.path = "/tmp/kdevtmpfsi",
                            .elf = true,
                            .lookalike_of = "kdevtmpfs",
                            .lookalike_list = "kernel_threads",
                            .distance = 1}),
                      file({.path = "/usr/lib/modules/6.1/kernel/drivers/watchdog",
                            .type = "dir",
                            .lookalike_of = "watchdog",
                            .lookalike_list = "kernel_threads"}),
                      file({.path = "/usr/share/doc/kworker",
                            .scope = "lookalike_name",
                            .lookalike_of = "kworker",
                            .lookalike_list = "kernel_threads"}),
                      file({.path = "/var/tmp/sshd2",
                            .mode = 0755,
                            .lookalike_of = "sshd",
                            .lookalike_list = "system_daemons",
                            .distance = 1}),
                      file({.path = "/etc/rsyslog.d",
                            .type = "file",
                            .lookalike_of = "rsyslogd",
                            .lookalike_list = "system_daemons",
                            .distance = 1})});
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].evidence[0].path, "/tmp/kdevtmpfsi");
  EXPECT_NE(f[0].message.find("kernel thread 'kdevtmpfs'"), std::string::npos);
  EXPECT_EQ(f[1].evidence[0].path, "/var/tmp/sshd2");
}

TEST(KernelThreadLookalike, DaemonClientWithoutTheTrailingDIsNotALookalike) {
  const auto f = run("files/kernel_thread_lookalike",
                     {file({.path = "/usr/local/bin/docker",
                            .elf = true,
                            .lookalike_of = "dockerd",
                            .lookalike_list = "system_daemons",
                            .distance = 1}),
                      file({.path = "/usr/local/bin/dockerdd",
                            .elf = true,
                            .lookalike_of = "dockerd",
                            .lookalike_list = "system_daemons",
                            .distance = 1})});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence[0].path, "/usr/local/bin/dockerdd");
}

TEST(HiddenDirInSystemPath, HiddenAndBlankYesBenignAndHomeNo) {
  const auto f =
      run("files/hidden_dir_in_system_path",
          {file({.path = "/tmp/.x", .type = "dir", .scope = "odd_place,hidden"}),
           file({.path = "/usr/lib/...", .type = "dir", .scope = "hidden"}),
           file({.path = "/var/tmp/ ", .type = "dir", .scope = "odd_name"}),
           file({.path = "/tmp/.X11-unix", .type = "dir", .scope = "hidden"}),
           file({.path = "/home/a/.cache", .type = "dir", .scope = "hidden"}),
           file({.path = "/tmp/.x/.y", .type = "dir", .scope = "hidden", .hidden_dir = true}),
           file({.path = "/tmp/.hiddenfile", .scope = "hidden"})});
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].evidence[0].path, "/tmp/.x");
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[1].evidence[0].path, "/usr/lib/...");
  EXPECT_EQ(f[1].severity, Severity::kHigh);
  EXPECT_EQ(f[2].evidence[0].path, "/var/tmp/ ");
}

TEST(DeletedInSensitiveDir, BurstsByCtimeKernelUpgradesLowTempLow) {
  const auto f = run(
      "files/deleted_in_sensitive_dir",
      {file({.path = "/boot/a", .deleted = true, .ctime = kT}),
       file({.path = "/boot/b", .scope = "random_name", .deleted = true, .ctime = kT + kS / 2}),
       file({.path = "/boot/c", .deleted = true, .ctime = kT + 3600 * kS}),
       file({.path = "/boot/initrd.img-6.1.0-9-amd64", .deleted = true, .ctime = kT - 86400 * kS}),
       file({.path = "/boot/vmlinuz-6.1.0-9-amd64", .deleted = true, .ctime = kT - 86400 * kS + 1}),
       file({.path = "/tmp/sess", .deleted = true}), file({.path = "/var/log/x", .deleted = true}),
       file({.path = "/boot/live"})});
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].evidence.size(), 2u);  // the kernel upgrade a day earlier
  EXPECT_EQ(f[0].severity, Severity::kLow);
  EXPECT_EQ(f[1].evidence.size(), 2u);  // a and b: one burst, half a second apart
  EXPECT_EQ(f[1].evidence[0].path, "/boot/a");
  EXPECT_EQ(f[1].severity, Severity::kHigh);
  EXPECT_NE(f[1].message.find("within 0 s, 1 with random-looking names"), std::string::npos)
      << f[1].message;
  EXPECT_EQ(f[2].evidence[0].path, "/boot/c");
  EXPECT_EQ(f[2].severity, Severity::kMedium);
  EXPECT_EQ(f[3].evidence[0].path, "/tmp/sess");
  EXPECT_EQ(f[3].severity, Severity::kLow);
}

TEST(Timestomp, OldMtimeIsMediumElfHighBirthAloneAndPackagedNothing) {
  const auto f = run(
      "files/timestomp",
      {file({.path = "/etc/security/ntps.conf", .elf = true, .mtime = kT - 9 * kYear,
             .ctime = kT + 17}),
       file({.path = "/etc/app.conf", .mtime = kT - 2 * kYear + 5, .ctime = kT + 5,
             .crtime = kT + 5}),
       file({.path = "/etc/fresh.conf", .mtime = kT - 5 * kS + 3, .ctime = kT + 3,
             .crtime = kT + 1}),
       file({.path = "/etc/ok.conf", .mtime = kT - 3 * kS + 1, .ctime = kT - 3 * kS + 9}),
       file({.path = "/etc/pkg.conf", .packaged = true, .mtime = kT - 5 * kYear})});
  // fresh.conf: born after its mtime, as every unpacked or copied file is: not reported.
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].evidence[0].path, "/etc/security/ntps.conf");
  EXPECT_EQ(f[0].severity, Severity::kHigh);  // ELF
  EXPECT_EQ(f[1].evidence[0].path, "/etc/app.conf");
  EXPECT_EQ(f[1].severity, Severity::kMedium);  // what cp -a leaves: one finding, medium
  EXPECT_NE(f[1].message.find("created after"), std::string::npos);
}

TEST(Timestomp, VendorBinaryInUsrLocalWithReleaseMtimeIsOnlyMedium) {
  const auto f = run("files/timestomp",
                     {file({.path = "/usr/local/bin/terraform", .elf = true,
                            .mtime = kT - 2 * kYear, .ctime = kT, .crtime = kT}),
                      file({.path = "/tmp/.x/terraform", .elf = true, .mtime = kT - 2 * kYear,
                            .ctime = kT, .crtime = kT})});
  ASSERT_EQ(f.size(), 2u);  // in record order
  EXPECT_EQ(f[0].evidence[0].path, "/usr/local/bin/terraform");
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[1].evidence[0].path, "/tmp/.x/terraform");
  EXPECT_EQ(f[1].severity, Severity::kHigh);
}

TEST(Timestomp, LoneWholeSecondMtimeAmongNanosecondSiblingsIsHigh) {
  const auto f = run("files/timestomp",
                     {file({.path = "/etc/a", .mtime = kT + 11, .ctime = kT + 11}),
                      file({.path = "/etc/b", .mtime = kT + 12, .ctime = kT + 12}),
                      file({.path = "/etc/c", .mtime = kT + 13, .ctime = kT + 13}),
                      file({.path = "/etc/touched", .mtime = kT - 3 * kYear, .ctime = kT + 7})});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_NE(f[0].message.find("whole-second"), std::string::npos);
}

TEST(IndicatorContent, SeverityByKindPlaceAndPackage) {
  const auto f =
      run("files/indicator_content",
          {hit("/boot/wkwfnxjpaa", "miner", "stratum+tcp://", true),
           hit("/boot/wkwfnxjpaa", "mining_pool", "minexmr.com", true),
           hit("/boot/wkwfnxjpaa", "download_tool", "wget ", true),
           hit("/usr/share/doc/x/README", "download_tool", "curl "),
           hit("/etc/cron.daily/backup", "download_tool", "curl "),
           hit("/etc/init.d/pkg", "download_tool", "wget ", false, true),
           hit("/root/.bash_history", "download_tool", "curl "), hit("/tmp/bot", "irc", "JOIN #"),
           hit("/tmp/bot", "irc", "PRIVMSG #"), hit("/tmp/one", "irc", "NICK"),
           hit("/etc/hosts.bak", "dynamic_dns", ".3322.org"),
           hit("p5:swap", "miner", "stratum+tcp://", false, false, true)});
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_EQ(f[0].attack_id, "T1496.001");
  EXPECT_EQ(f[0].evidence.size(), 2u);
  EXPECT_EQ(f[1].severity, Severity::kHigh);  // download tool inside an ELF
  EXPECT_EQ(f[1].attack_id, "T1105");
  EXPECT_EQ(f[2].evidence[0].path, "/etc/cron.daily/backup");
  EXPECT_EQ(f[2].severity, Severity::kMedium);
  EXPECT_EQ(f[3].evidence[0].path, "/tmp/bot");
  EXPECT_EQ(f[3].severity, Severity::kHigh);
  EXPECT_EQ(f[4].attack_id, "T1568");
  EXPECT_EQ(f[5].evidence[0].path, "p5:swap");
  EXPECT_EQ(f[5].severity, Severity::kCritical);
}

TEST(KernelModuleOddPlace, OutsideModuleTreeOnly) {
  const auto f = run(
      "files/kernel_module_odd_place",
      {file({.path = "/tmp/.x/rk.ko", .scope = "kernel_module", .elf = true, .elf_kind = "rel"}),
       file({.path = "/var/lib/dkms/nv/build/nv.ko", .scope = "kernel_module"}),
       file({.path = "/opt/x.ko", .scope = "kernel_module", .packaged = true})});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence[0].path, "/tmp/.x/rk.ko");
  EXPECT_NE(f[0].message.find("outside /lib/modules"), std::string::npos);
}

TEST(HistoryToDevnull, LinkHighEmptyAfterLoginHigh) {
  auto login = [](const std::string& user, int64_t t) {
    auto src = std::make_shared<parsers::Source>();
    src->path = "/var/log/wtmp";
    parsers::Record r;
    r.type = "linux/log/utmp";
    r.source = src;
    r.set("source_kind", std::string("wtmp"));
    r.set("ut_type", std::string("USER_PROCESS"));
    r.set("user", user);
    r.set("time", parsers::Timestamp{t});
    return r;
  };
  const auto f = run("files/history_to_devnull",
                     {file({.path = "/root/.bash_history",
                            .type = "symlink",
                            .scope = "history",
                            .symlink_target = "/dev/null"}),
                      file({.path = "/home/alice/.bash_history",
                            .scope = "history",
                            .size = 0,
                            .mtime = kT + 60 * kS}),
                      file({.path = "/home/bob/.bash_history",
                            .scope = "history",
                            .size = 0,
                            .mtime = kT - 60 * kS}),
                      file({.path = "/home/carol/.bash_history", .scope = "history"}),
                      login("alice", kT), login("bob", kT)});
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].evidence[0].excerpt, "/dev/null");
  EXPECT_EQ(f[1].severity, Severity::kHigh);    // alice: emptied after her login
  EXPECT_EQ(f[2].severity, Severity::kMedium);  // bob: empty, but before his last login
}

}  // namespace
}  // namespace deadbox::checks
