// SPDX-License-Identifier: Apache-2.0
// The case folder's super-timeline is valid Timesketch input (file, log and finding events in
// one JSONL with stable field types), and two examine runs on the same image write the same
// bytes everywhere but case.json's "run" object.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "examine/case_run.hpp"

namespace deadbox::examine_test {
namespace {

constexpr const char* kScenario = "demo_centos_miner";

/// Timesketch's JSONL importer: message, datetime (ISO 8601), timestamp (integer µs since the
/// epoch) and timestamp_desc on every line; OpenSearch maps a field by its first type, so a
/// field must keep one JSON type across all lines.
TEST(ExamineTimeline, JsonlIsTimesketchInput) {
  const auto image = DEADBOX_FIXTURE(kScenario, "disk.qcow2");
  const CaseRun& run = examine(image.string());
  ASSERT_EQ(run.result.exit_code, 1) << run.result.err.substr(0, 3000);
  const auto lines = lines_of(testing::read_text(run.dir / "timeline/timeline.jsonl"));
  ASSERT_FALSE(lines.empty());
  std::map<std::string, rapidjson::Type> types;
  std::map<std::string, size_t> by_kind;  // fs, log, finding
  size_t findings_with_tag = 0;
  for (const auto& line : lines) {
    rapidjson::Document d;
    d.Parse<rapidjson::kParseValidateEncodingFlag>(line.c_str(), line.size());
    ASSERT_FALSE(d.HasParseError())
        << rapidjson::GetParseError_En(d.GetParseError()) << ": " << line;
    ASSERT_TRUE(d.IsObject()) << line;
    for (const char* k : {"message", "datetime", "timestamp_desc", "data_type"}) {
      ASSERT_TRUE(d.HasMember(k) && d[k].IsString()) << k << " in " << line;
      EXPECT_GT(d[k].GetStringLength(), 0u) << k << " empty in " << line;
    }
    ASSERT_TRUE(d.HasMember("timestamp") && d["timestamp"].IsInt64()) << line;
    // datetime and timestamp are the same instant (µs), datetime in UTC.
    const std::string dt = d["datetime"].GetString();
    EXPECT_EQ(dt.size(), 32u) << dt;  // 2024-07-01T03:02:10.000000+00:00
    EXPECT_EQ(dt.substr(26), "+00:00") << dt;
    const int64_t us = d["timestamp"].GetInt64();
    char frac[8];
    std::snprintf(frac, sizeof frac, "%06lld",
                  static_cast<long long>(((us % 1000000) + 1000000) % 1000000));
    EXPECT_EQ(dt.substr(20, 6), frac) << line;
    for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) {
      rapidjson::Type ty = it->value.GetType();
      if (ty == rapidjson::kTrueType) ty = rapidjson::kFalseType;
      const auto [pos, fresh] = types.emplace(it->name.GetString(), ty);
      EXPECT_EQ(pos->second, ty) << "field " << it->name.GetString() << " changes type: " << line;
    }
    const std::string type = d["data_type"].GetString();
    if (type == "fs:stat") ++by_kind["fs"];
    if (type.rfind("deadbox:log:", 0) == 0) ++by_kind["log"];
    if (type == "deadbox:finding") {
      ++by_kind["finding"];
      bool tagged = false;
      if (d.HasMember("tag") && d["tag"].IsArray())
        for (const auto& t : d["tag"].GetArray())
          tagged = tagged || (t.IsString() && std::string(t.GetString()) == "deadbox-finding");
      findings_with_tag += tagged;
    }
  }
  EXPECT_GT(by_kind["fs"], 100u);
  EXPECT_GT(by_kind["log"], 10u) << "secure/wtmp/btmp events missing";
  EXPECT_GT(by_kind["finding"], 10u);
  EXPECT_EQ(findings_with_tag, by_kind["finding"]) << "every finding tagged deadbox-finding";
}

/// case.json without its "run" object, re-serialised (member order kept).
std::string without_run(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsObject()) return "unparsable: " + text;
  if (!d.RemoveMember("run")) return "no run object: " + text;
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  d.Accept(w);
  return buf.GetString();
}

TEST(ExamineDeterminism, TwoRunsAreByteIdenticalButTheRunBlock) {
  const auto image = DEADBOX_FIXTURE(kScenario, "disk.qcow2");
  const CaseRun& a = examine(image.string(), {}, 0);
  const CaseRun& b = examine(image.string(), {}, 1);
  ASSERT_EQ(a.result.exit_code, 1) << a.result.err.substr(0, 3000);
  ASSERT_EQ(b.result.exit_code, 1) << b.result.err.substr(0, 3000);
  ASSERT_NE(a.dir, b.dir);
  const auto ta = read_tree(a.dir), tb = read_tree(b.dir);
  ASSERT_GT(ta.size(), 20u);
  std::vector<std::string> names_a, names_b;
  for (const auto& [k, v] : ta) names_a.push_back(k);
  for (const auto& [k, v] : tb) names_b.push_back(k);
  ASSERT_EQ(names_a, names_b);
  for (const auto& [rel, content] : ta) {
    if (rel == "case.json") {
      const std::string ja = without_run(content), jb = without_run(tb.at(rel));
      EXPECT_EQ(ja.find("unparsable"), std::string::npos) << ja.substr(0, 200);
      EXPECT_EQ(ja.find("no run object"), std::string::npos) << ja.substr(0, 200);
      EXPECT_TRUE(ja == jb) << "case.json differs outside its run object";
      // The run block really holds what differs (the output folder is in argv).
      EXPECT_NE(content, tb.at(rel));
    } else {
      EXPECT_TRUE(content == tb.at(rel)) << rel << " differs between two runs";
    }
  }
  // Run-dependent text never leaks into the report (e.g. the case folder's path).
  EXPECT_EQ(ta.at("report.html").find(a.dir.string()), std::string::npos);
}

}  // namespace
}  // namespace deadbox::examine_test
