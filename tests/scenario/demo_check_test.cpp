// SPDX-License-Identifier: Apache-2.0
// Issue 5/6 quality bar on the demo VM (fixtures/scenarios/demo_centos_miner.json): every
// planted indicator is named by a finding at medium or above, one test per indicator, and
// `deadbox check --json` output is deterministic and well-formed.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "scenario/findings.hpp"
#include "support/fixture.hpp"

namespace deadbox::scenario {
namespace {

constexpr const char* kScenario = "demo_centos_miner";
constexpr const char* kImage = "disk.qcow2";

std::string param_name(const ::testing::TestParamInfo<Indicator>& info) {
  return indicator_name(info.param);
}

class DemoIndicator : public ::testing::TestWithParam<Indicator> {};

TEST(DemoIndicators, ListIsNotEmpty) {
  // Guards against a JSON layout change silently turning the parameterised tests into none.
  EXPECT_GE(load_indicators(kScenario).size(), 15u);
}

TEST_P(DemoIndicator, NamedAtMediumOrAbove) {
  const Indicator& ind = GetParam();
  const auto image = DEADBOX_FIXTURE(kScenario, kImage);
  const CheckRun& run = check_json(image.string());
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1)
      << "deadbox check exit " << run.exit_code << "\nstderr:\n"
      << run.err.substr(0, 2000);
  ASSERT_FALSE(run.findings.empty()) << "no findings at all; stderr:\n" << run.err.substr(0, 2000);

  const Finding* hit = nullptr;
  const std::string miss = indicator_miss(run.findings, ind, &hit);
  if (miss.empty())
    std::cout << "[indicator] " << ind.what << " <- " << describe(*hit) << "\n";
  else
    ADD_FAILURE() << miss;
}

INSTANTIATE_TEST_SUITE_P(Demo, DemoIndicator,
                         ::testing::ValuesIn(load_indicators("demo_centos_miner")), param_name);

TEST(DemoCheck, OutputIsWellFormed) {
  const auto image = DEADBOX_FIXTURE(kScenario, kImage);
  const CheckRun& run = check_json(image.string());
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.err.substr(0, 2000);
  for (const auto& e : run.parse_errors) ADD_FAILURE() << e;
  static const std::regex kId("[0-9a-f]{16}");
  for (const auto& f : run.findings) {
    EXPECT_TRUE(std::regex_match(f.id, kId)) << f.json;
    EXPECT_FALSE(f.rule_id.empty()) << f.json;
    EXPECT_FALSE(f.title.empty()) << f.json;
    EXPECT_GE(level_rank(f.level), 0) << f.json;
    ASSERT_FALSE(f.evidence.empty()) << "finding without evidence: " << f.json;
    for (const auto& e : f.evidence) EXPECT_FALSE(e.volume.empty()) << f.json;
  }
  // Findings at high/critical make the default --fail-on high exit 1.
  bool high = false;
  for (const auto& f : run.findings) high = high || level_rank(f.level) >= 3;
  EXPECT_EQ(run.exit_code, high ? 1 : 0);
}

TEST(DemoCheck, PlantedArtifactsAreParsed) {
  // A check can only name what a parser turned into records: each indicator's source file
  // must reach its parser (artifact name ↔ parser mapping), whatever the checks make of it.
  const auto image = DEADBOX_FIXTURE(kScenario, kImage);
  const auto tmp = testing::make_temp_dir("scenario-demo");
  const auto r =
      testing::run_deadbox({"check", image.string(), "--json", "-o", (tmp / "out").string()});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err.substr(0, 2000);
  const auto records = read_records(tmp / "out");
  const std::vector<std::pair<std::string, std::string>> expected{
      {"unix_passwd.jsonl", "/etc/passwd"},
      {"linux_log_syslog.jsonl", "/var/log/secure"},
      {"linux_log_syslog.jsonl", "/var/log/cron"},
      {"linux_log_utmp.jsonl", "/var/log/btmp"},
      {"linux_log_utmp.jsonl", "/var/log/wtmp"},
      {"unix_shell_history.jsonl", "/root/.bash_history"},
      {"unix_crontab.jsonl", "/var/spool/cron/root"},
      {"unix_ssh_authorized_key.jsonl", "/root/.ssh/authorized_keys"},
      {"linux_ld_so_preload.jsonl", "/etc/ld.so.preload"},
      {"unix_shell_startup.jsonl", "/etc/rc.d/rc.local"},
      {"linux_redis_conf.jsonl", "/etc/redis.conf"},
      {"unix_hosts.jsonl", "/etc/hosts"},
  };
  for (const auto& [file, path] : expected)
    EXPECT_TRUE(any_line_has(records, {"\"path\":\"" + path + "\""}, file))
        << "no " << file << " record for " << path;
  std::filesystem::remove_all(tmp);
}

TEST(DemoCheck, DeterministicAcrossRuns) {
  const auto image = DEADBOX_FIXTURE(kScenario, kImage);
  const auto a = testing::run_deadbox({"check", image.string(), "--json"});
  const auto b = testing::run_deadbox({"check", image.string(), "--json"});
  ASSERT_TRUE(a.exit_code == 0 || a.exit_code == 1) << a.err.substr(0, 2000);
  EXPECT_EQ(a.exit_code, b.exit_code);
  EXPECT_FALSE(a.out.empty());
  EXPECT_TRUE(a.out == b.out) << "two runs of check --json differ";
}

TEST(DemoCheck, RawAndQcow2AgreeOnFindings) {
  // The same disk through two containers must give the same verdicts (ids hash the evidence).
  const auto raw = DEADBOX_FIXTURE(kScenario, "disk.raw");
  const auto qcow = DEADBOX_FIXTURE(kScenario, kImage);
  const CheckRun& a = check_json(raw.string());
  const CheckRun& b = check_json(qcow.string());
  ASSERT_TRUE(a.exit_code == 0 || a.exit_code == 1) << a.err.substr(0, 2000);
  EXPECT_TRUE(a.out == b.out) << "findings differ between disk.raw and disk.qcow2";
}

}  // namespace
}  // namespace deadbox::scenario
