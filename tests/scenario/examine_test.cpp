// SPDX-License-Identifier: Apache-2.0
// Issue 6 quality bar for `deadbox examine`: the demo's case folder is complete, names every
// planted indicator at medium+, agrees with `check`, and is byte-identical across runs apart
// from case.json's run block; on the clean Debian tree nothing is high or critical.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <map>

#include "scenario/findings.hpp"
#include "support/fixture.hpp"

namespace deadbox::scenario {
namespace {

namespace fs = std::filesystem;

struct CaseRun {
  testing::RunResult result;
  fs::path dir;
  std::vector<Finding> findings;
  std::vector<std::string> parse_errors;
};

// One examine per (image, slot) per process; the case folders stay in the temp dir of the run
// (removed at exit by the caller's temp cleanup, kept on failure for inspection).
const CaseRun& examine(const fs::path& image, int slot = 0) {
  static std::map<std::pair<std::string, int>, CaseRun> cache;
  const auto key = std::make_pair(image.string(), slot);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  CaseRun run;
  run.dir = testing::make_temp_dir("scenario-examine") / "case";
  run.result = testing::run_deadbox({"examine", image.string(), "-o", run.dir.string(), "--quiet"});
  const fs::path findings = run.dir / "findings.jsonl";
  if (fs::exists(findings))
    run.findings = parse_findings(testing::read_text(findings), &run.parse_errors);
  return cache.emplace(key, std::move(run)).first->second;
}

#define ASSERT_EXAMINE_RAN(run)                                             \
  ASSERT_TRUE((run).result.exit_code == 0 || (run).result.exit_code == 1)   \
      << "deadbox examine exit " << (run).result.exit_code << "\nstderr:\n" \
      << (run).result.err.substr(0, 2000)

TEST(DemoExamine, CaseFolderIsComplete) {
  const auto image = DEADBOX_FIXTURE("demo_centos_miner", "disk.qcow2");
  const CaseRun& run = examine(image);
  ASSERT_EXAMINE_RAN(run);
  for (const char* f :
       {"report.html", "findings.jsonl", "case.json", "timeline/bodyfile.txt",
        "timeline/timeline.csv", "timeline/timeline.jsonl", "artifacts/manifest.jsonl"}) {
    std::error_code ec;
    EXPECT_TRUE(fs::is_regular_file(run.dir / f, ec)) << f << " missing in " << run.dir;
    EXPECT_GT(fs::file_size(run.dir / f, ec), 0u) << f << " is empty";
  }
  EXPECT_TRUE(fs::is_directory(run.dir / "records")) << "records/ missing";
  for (const auto& e : run.parse_errors) ADD_FAILURE() << "findings.jsonl: " << e;
}

class DemoExamineIndicator : public ::testing::TestWithParam<Indicator> {};

TEST_P(DemoExamineIndicator, NamedAtMediumOrAbove) {
  const auto image = DEADBOX_FIXTURE("demo_centos_miner", "disk.qcow2");
  const CaseRun& run = examine(image);
  ASSERT_EXAMINE_RAN(run);
  ASSERT_FALSE(run.findings.empty()) << "no findings in " << run.dir / "findings.jsonl";
  const std::string miss = indicator_miss(run.findings, GetParam(), nullptr);
  if (!miss.empty()) ADD_FAILURE() << miss;
}

INSTANTIATE_TEST_SUITE_P(Demo, DemoExamineIndicator,
                         ::testing::ValuesIn(load_indicators("demo_centos_miner")),
                         [](const ::testing::TestParamInfo<Indicator>& info) {
                           return indicator_name(info.param);
                         });

TEST(DemoExamine, FindingsEqualCheck) {
  // One engine: a responder must get the same verdicts from `check` and `examine`.
  const auto image = DEADBOX_FIXTURE("demo_centos_miner", "disk.qcow2");
  const CaseRun& run = examine(image);
  ASSERT_EXAMINE_RAN(run);
  const CheckRun& check = check_json(image.string());
  ASSERT_TRUE(check.exit_code == 0 || check.exit_code == 1) << check.err.substr(0, 2000);
  EXPECT_TRUE(testing::read_text(run.dir / "findings.jsonl") == check.out)
      << "examine findings.jsonl differs from check --json";
}

// case.json without its "run" object (the only part allowed to differ between runs).
std::string case_json_without_run(const fs::path& p) {
  const std::string text = testing::read_text(p);
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsObject()) return "unparsable: " + text.substr(0, 200);
  d.RemoveMember("run");
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  d.Accept(w);
  return buf.GetString();
}

TEST(DemoExamine, DeterministicApartFromRunBlock) {
  const auto image = DEADBOX_FIXTURE("demo_centos_miner", "disk.qcow2");
  const CaseRun& a = examine(image, 0);
  const CaseRun& b = examine(image, 1);
  ASSERT_EXAMINE_RAN(a);
  ASSERT_EXAMINE_RAN(b);
  size_t compared = 0;
  for (const auto& e : fs::recursive_directory_iterator(a.dir)) {
    if (!e.is_regular_file()) continue;
    const fs::path rel = fs::relative(e.path(), a.dir);
    const fs::path other = b.dir / rel;
    ASSERT_TRUE(fs::exists(other)) << rel << " only in the first run";
    if (rel == "case.json") {
      EXPECT_EQ(case_json_without_run(e.path()), case_json_without_run(other))
          << "case.json differs outside its run block";
    } else {
      EXPECT_TRUE(testing::read_text(e.path()) == testing::read_text(other))
          << rel << " differs between two runs";
    }
    ++compared;
  }
  EXPECT_GE(compared, 7u);
}

TEST(DebianExamine, NoHighOrCriticalFinding) {
  const auto image = DEADBOX_FIXTURE("debian_clean", "disk.raw");
  const CaseRun& run = examine(image);
  ASSERT_EXAMINE_RAN(run);
  EXPECT_TRUE(fs::is_regular_file(run.dir / "report.html"));
  for (const auto& e : run.parse_errors) ADD_FAILURE() << "findings.jsonl: " << e;
  for (const auto& f : run.findings)
    EXPECT_LT(level_rank(f.level), 3) << "false positive at " << f.level << ": " << describe(f);
  EXPECT_EQ(run.result.exit_code, 0);
}

}  // namespace
}  // namespace deadbox::scenario
