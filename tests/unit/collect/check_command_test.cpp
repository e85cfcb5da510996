// SPDX-License-Identifier: Apache-2.0
// `deadbox check` end to end on the generated fixtures: every planted file indicator of the
// seed-like scenario at medium or above, nothing high from the file checks on the clean
// Debian tree, the same findings from raw and qcow2, and the -o folder rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "support/fixture.hpp"

namespace deadbox {
namespace {

using testing::run_deadbox;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

bool high_or_critical(const std::string& json) {
  return json.find("\"level\":\"high\"") != std::string::npos ||
         json.find("\"level\":\"critical\"") != std::string::npos;
}

std::vector<std::string> check_json(const std::filesystem::path& image) {
  const auto r =
      run_deadbox({"check", image.string(), "--json", "-q", "--artifacts", DEADBOX_ARTIFACTS_DIR});
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code << " " << r.err;
  return lines(r.out);
}

TEST(CheckCommand, SeedScenarioReportsEveryPlantedFileIndicator) {
  const auto image = DEADBOX_FIXTURE("demo_centos_miner", "disk.raw");
  const auto findings = check_json(image);
  ASSERT_FALSE(findings.empty());
  struct Want {
    const char* check;
    const char* path;
  };
  for (const Want& w : {Want{"files/elf_in_odd_place", "/boot/wkwfnxjpaa"},
                        Want{"files/random_name", "/boot/ezfvmlunqc"},
                        Want{"files/deleted_in_sensitive_dir", "/boot/qpzkxjwvmb"},
                        Want{"files/elf_behind_non_exec_name", "/etc/security/ntps.conf"},
                        Want{"files/timestomp", "/etc/security/ntps.conf"},
                        Want{"files/kernel_thread_lookalike", "/usr/bin/kdevtmpfsi"},
                        Want{"files/kernel_thread_lookalike", "/tmp/kthreaddi"},
                        Want{"files/kernel_thread_lookalike", "/var/tmp/.khugepageds/khugepageds"},
                        Want{"files/hidden_dir_in_system_path", "/var/tmp/.khugepageds"},
                        Want{"files/indicator_content", "/etc/security/ntps.conf"},
                        Want{"files/indicator_content", "p2/lvm/centos/swap:swap"}}) {
    bool found = false;
    for (const auto& f : findings) {
      if (f.find(std::string("\"rule_id\":\"") + w.check + "\"") == std::string::npos) continue;
      if (f.find(std::string("\"path\":\"") + w.path + "\"") == std::string::npos) continue;
      found = true;
      EXPECT_EQ(f.find("\"level\":\"low\""), std::string::npos) << f;
      EXPECT_EQ(f.find("\"level\":\"info\""), std::string::npos) << f;
    }
    EXPECT_TRUE(found) << w.check << " on " << w.path;
  }
}

TEST(CheckCommand, SameFindingsFromRawAndQcow2) {
  const auto raw = DEADBOX_FIXTURE("demo_centos_miner", "disk.raw");
  const auto qcow = DEADBOX_FIXTURE("demo_centos_miner", "disk.qcow2");
  EXPECT_EQ(check_json(raw), check_json(qcow));
}

TEST(CheckCommand, CleanDebianRaisesNoHighFileFinding) {
  const auto image = DEADBOX_FIXTURE("debian_clean", "disk.raw");
  for (const auto& f : check_json(image)) {
    if (f.find("\"rule_id\":\"files/") != std::string::npos) {
      EXPECT_FALSE(high_or_critical(f)) << f;
    }
  }
}

TEST(CheckCommand, OutputFolderGetsRecordsAndIsNeverReused) {
  const auto image = DEADBOX_FIXTURE("demo_centos_miner", "disk.raw");
  const auto dir = testing::make_temp_dir("check_out") / "case";
  auto r = run_deadbox(
      {"check", image.string(), "-q", "-o", dir.string(), "--artifacts", DEADBOX_ARTIFACTS_DIR});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // findings at or above the default --fail-on high
  EXPECT_TRUE(std::filesystem::exists(dir / "findings.jsonl"));
  EXPECT_TRUE(std::filesystem::exists(dir / "records" / "fs_file.jsonl"));
  EXPECT_TRUE(std::filesystem::exists(dir / "records" / "fs_content_match.jsonl"));
  EXPECT_TRUE(std::filesystem::exists(dir / "records" / "unix_passwd.jsonl"));
  r = run_deadbox({"check", image.string(), "-q", "-o", dir.string()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  r = run_deadbox(
      {"check", image.string(), "-q", "--fail-on", "critical", "--min-severity", "bogus"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  std::filesystem::remove_all(dir.parent_path());
}

TEST(ListCommand, CatalogueCarriesTheFileChecksAndParserFields) {
  auto r = run_deadbox({"list", "checks", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* id : {"files/elf_in_odd_place", "files/random_name", "files/timestomp",
                         "files/indicator_content", "files/history_to_devnull"})
    EXPECT_NE(r.out.find(std::string("\"id\":\"") + id + "\""), std::string::npos) << id;
  EXPECT_NE(r.out.find("\"false_positives\":"), std::string::npos);
  EXPECT_NE(r.out.find("\"needs\":[\"fs/file\"]"), std::string::npos);
  r = run_deadbox({"list", "parsers", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{\"name\":\"home\",\"type\":\"string\""), std::string::npos);
}

}  // namespace
}  // namespace deadbox
