// SPDX-License-Identifier: Apache-2.0
// Issue 5/6 quality bar on the demo VM (fixtures/scenarios/demo_centos_miner.json): every
// planted indicator is named by a finding at medium or above, one test per indicator, and
// `deadbox check --json` output is deterministic and well-formed.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cctype>
#include <regex>

#include "scenario/findings.hpp"
#include "support/fixture.hpp"

namespace deadbox::scenario {
namespace {

constexpr const char* kScenario = "demo_centos_miner";
constexpr const char* kImage = "disk.qcow2";

struct Indicator {
  int index = 0;
  std::string what, path, volume, detail;
};

// The indicator list comes from the scenario source (the generator copies `expect` into
// layout.json unchanged), so the tests exist at discovery time even before images are built.
std::vector<Indicator> load_indicators() {
  std::vector<Indicator> out;
  const std::string text = testing::read_text(std::string(DEADBOX_SOURCE_DIR) +
                                              "/fixtures/scenarios/demo_centos_miner.json");
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("expect")) return out;
  const auto& ex = d["expect"];
  if (!ex.IsObject() || !ex.HasMember("indicators") || !ex["indicators"].IsArray()) return out;
  for (const auto& v : ex["indicators"].GetArray()) {
    Indicator ind;
    ind.index = static_cast<int>(out.size());
    auto get = [&](const char* k) {
      return v.HasMember(k) && v[k].IsString() ? std::string(v[k].GetString()) : std::string();
    };
    ind.what = get("what");
    ind.path = get("path");
    ind.volume = get("volume");
    ind.detail = get("detail");
    out.push_back(ind);
  }
  return out;
}

std::string param_name(const ::testing::TestParamInfo<Indicator>& info) {
  const Indicator& i = info.param;
  std::string base = !i.path.empty() ? i.path : i.volume;
  if (!i.detail.empty()) base += "_" + i.detail;
  std::string name = (i.index < 10 ? "0" : "") + std::to_string(i.index) + "_";
  for (char c : base) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

class DemoIndicator : public ::testing::TestWithParam<Indicator> {};

TEST(DemoIndicators, ListIsNotEmpty) {
  // Guards against a JSON layout change silently turning the parameterised tests into none.
  EXPECT_GE(load_indicators().size(), 15u);
}

TEST_P(DemoIndicator, NamedAtMediumOrAbove) {
  const Indicator& ind = GetParam();
  const auto image = DEADBOX_FIXTURE(kScenario, kImage);
  const CheckRun& run = check_json(image.string());
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1)
      << "deadbox check exit " << run.exit_code << "\nstderr:\n"
      << run.err.substr(0, 2000);
  ASSERT_FALSE(run.findings.empty()) << "no findings at all; stderr:\n" << run.err.substr(0, 2000);

  auto matches = [&](const Finding& f) {
    if (!ind.path.empty() && !names_path(f, ind.path)) return false;
    if (ind.path.empty() && !ind.volume.empty()) {
      bool on_volume = false;
      for (const auto& e : f.evidence) on_volume = on_volume || e.volume == ind.volume;
      if (!on_volume) return false;
    }
    return ind.detail.empty() || mentions(f, ind.detail);
  };
  std::vector<const Finding*> hits, weak;
  for (const auto& f : run.findings) {
    if (!matches(f)) continue;
    (level_rank(f.level) >= 2 ? hits : weak).push_back(&f);
  }
  if (!hits.empty()) {
    std::cout << "[indicator] " << ind.what << " <- " << describe(*hits.front()) << "\n";
    return;
  }
  // Explain the miss: findings that match below medium, and any that mention the path.
  std::string why;
  for (const auto* f : weak) why += "  below medium: " + describe(*f) + "\n";
  const std::string key = !ind.path.empty() ? ind.path : ind.detail;
  for (const auto& f : run.findings)
    if (!key.empty() && mentions(f, key) && !matches(f)) why += "  related: " + describe(f) + "\n";
  ADD_FAILURE() << "indicator not named at medium+: " << ind.what << " (path '" << ind.path
                << "' volume '" << ind.volume << "' detail '" << ind.detail << "')\n"
                << (why.empty() ? "  no finding mentions it at all\n" : why);
}

INSTANTIATE_TEST_SUITE_P(Demo, DemoIndicator, ::testing::ValuesIn(load_indicators()), param_name);

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
