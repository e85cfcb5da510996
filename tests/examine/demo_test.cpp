// SPDX-License-Identifier: Apache-2.0
// Issue 6 on the demo VM (demo_centos_miner, qcow2): exit code, the case folder's files, every
// planted indicator named at medium+ by examine's own findings (the same findings `check`
// gives), the report naming each indicator path, the bodyfile's deleted file, case.json facts.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>

#include "deadbox/util/escape.hpp"
#include "examine/case_run.hpp"
#include "scenario/findings.hpp"

namespace deadbox::examine_test {
namespace {

namespace fsys = std::filesystem;
constexpr const char* kScenario = "demo_centos_miner";

// One examine run per process shared by these tests; `check` runs separately for comparison.
#define DEMO_CASE()                                            \
  const auto image = DEADBOX_FIXTURE(kScenario, "disk.qcow2"); \
  const CaseRun& run = examine(image.string());                \
  ASSERT_EQ(run.result.exit_code, 1) << run.result.err.substr(0, 3000)

TEST(ExamineDemo, ExitsOneAndWritesTheCaseFolder) {
  DEMO_CASE();
  for (const char* f :
       {"case.json", "report.html", "findings.jsonl", "timeline/bodyfile.txt",
        "timeline/timeline.csv", "timeline/timeline.jsonl", "artifacts/manifest.jsonl"}) {
    EXPECT_TRUE(fsys::is_regular_file(run.dir / f)) << f;
    EXPECT_GT(fsys::file_size(run.dir / f), 0u) << f;
  }
  std::set<std::string> records;
  for (const auto& e : fsys::directory_iterator(run.dir / "records"))
    if (e.path().extension() == ".jsonl" && fsys::file_size(e.path()) > 0)
      records.insert(e.path().filename().string());
  // The tables the report's accounts/logins/persistence sections come from.
  for (const char* r : {"unix_passwd.jsonl", "linux_log_utmp.jsonl", "linux_log_syslog.jsonl",
                        "unix_crontab.jsonl", "unix_ssh_authorized_key.jsonl"})
    EXPECT_TRUE(records.count(r)) << r;
  // No stray files: everything written is one of the documented outputs.
  for (const auto& [rel, content] : read_tree(run.dir)) {
    const bool known = rel == "case.json" || rel == "report.html" || rel == "findings.jsonl" ||
                       rel.rfind("records/", 0) == 0 || rel.rfind("timeline/", 0) == 0 ||
                       rel.rfind("artifacts/", 0) == 0;
    EXPECT_TRUE(known) << "unexpected file in the case folder: " << rel;
  }
  EXPECT_TRUE(read_tree(run.dir / "timeline").size() == 3u) << "leftover spool files?";
  EXPECT_NE(run.result.err.find("report.html"), std::string::npos) << "summary says where to look";
}

TEST(ExamineDemo, FindingsAreCheckFindings) {
  DEMO_CASE();
  std::vector<std::string> errors;
  const auto mine =
      scenario::parse_findings(testing::read_text(run.dir / "findings.jsonl"), &errors);
  for (const auto& e : errors) ADD_FAILURE() << e;
  const auto& check = scenario::check_json(image.string());
  ASSERT_EQ(check.exit_code, 1) << check.err.substr(0, 2000);
  std::vector<std::string> a, b;
  for (const auto& f : mine) a.push_back(f.id);
  for (const auto& f : check.findings) b.push_back(f.id);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b) << "examine and check disagree on findings (ids, in order)";
}

TEST(ExamineDemo, EveryIndicatorNamedAtMediumOrAbove) {
  DEMO_CASE();
  const auto indicators = layout_indicators(kScenario);
  ASSERT_GE(indicators.size(), 15u) << "layout.json expect.indicators missing?";
  std::vector<std::string> errors;
  const auto findings =
      scenario::parse_findings(testing::read_text(run.dir / "findings.jsonl"), &errors);
  for (const auto& ind : indicators) {
    bool named = false;
    for (const auto& f : findings) {
      if (scenario::level_rank(f.level) < 2) continue;
      if (!ind.path.empty() && !scenario::names_path(f, ind.path)) continue;
      if (ind.path.empty()) {
        bool on_volume = false;
        for (const auto& e : f.evidence) on_volume = on_volume || e.volume == ind.volume;
        if (!on_volume) continue;
      }
      if (!ind.detail.empty() && !scenario::mentions(f, ind.detail)) continue;
      named = true;
      break;
    }
    EXPECT_TRUE(named) << "not named at medium+: " << ind.what << " (" << ind.path << ind.volume
                       << " " << ind.detail << ")";
  }
}

TEST(ExamineDemo, ReportNamesEveryIndicatorPath) {
  DEMO_CASE();
  const std::string html = testing::read_text(run.dir / "report.html");
  const auto indicators = layout_indicators(kScenario);
  ASSERT_FALSE(indicators.empty());
  for (const auto& ind : indicators) {
    const std::string key = !ind.path.empty() ? ind.path : ind.volume;
    EXPECT_NE(html.find(escape::html(key)), std::string::npos)
        << "report.html does not name " << key << " (" << ind.what << ")";
    if (!ind.detail.empty()) {
      EXPECT_NE(html.find(escape::html(ind.detail)), std::string::npos) << ind.detail;
    }
  }
  // The incident window exists (high findings carry times) and has its chart.
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("No high-severity evidence with a timestamp"), std::string::npos);
}

TEST(ExamineDemo, EvidenceSectionIsPlainText) {
  // Our own text never shows escape notation: only bytes from the image may come out as \xNN.
  DEMO_CASE();
  const std::string html = testing::read_text(run.dir / "report.html");
  const size_t from = html.find("<section id=\"evidence\">");
  ASSERT_NE(from, std::string::npos);
  const std::string section = html.substr(from, html.find("</section>", from) - from);
  EXPECT_NE(section.find("qcow_version: 3"), std::string::npos) << section;
  EXPECT_EQ(section.find("\\x"), std::string::npos) << section;
  for (const char* v : {"p1", "p2/lvm/centos/root", "p2/lvm/centos/swap"})
    EXPECT_NE(section.find(std::string("<td>") + v + "</td>"), std::string::npos) << v;
}

TEST(ExamineDemo, BodyfileHasTheDeletedBootFile) {
  DEMO_CASE();
  const auto lines = lines_of(testing::read_text(run.dir / "timeline/bodyfile.txt"));
  bool found = false;
  for (const auto& l : lines) {
    // fls -m style: MD5|name (deleted)|inode|mode|uid|gid|size|atime|mtime|ctime|crtime
    found = found || l.rfind("0|/boot/qpzkxjwvmb (deleted)|", 0) == 0;
    EXPECT_EQ(std::count(l.begin(), l.end(), '|'), 10) << l;
  }
  EXPECT_TRUE(found) << "no deleted /boot/qpzkxjwvmb line among " << lines.size();
  // Both filesystems are in it, with their mount points as prefixes.
  auto has = [&](const std::string& name) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
      return l.find("|" + name + "|") != std::string::npos;
    });
  };
  EXPECT_TRUE(has("/etc/passwd"));
  EXPECT_TRUE(has("/boot/wkwfnxjpaa"));
}

TEST(ExamineDemo, CaseJsonRecordsLibrariesVolumesZoneAndRun) {
  DEMO_CASE();
  const std::string text = testing::read_text(run.dir / "case.json");
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  ASSERT_FALSE(d.HasParseError());
  ASSERT_TRUE(d.IsObject());
  ASSERT_TRUE(d.HasMember("libraries") && d["libraries"].IsObject());
  for (const char* lib : {"libtsk", "libewf", "libqcow", "libfsxfs"}) {
    ASSERT_TRUE(d["libraries"].HasMember(lib)) << lib;
    EXPECT_GT(d["libraries"][lib].GetStringLength(), 0u) << lib;
  }
  ASSERT_TRUE(d.HasMember("volumes") && d["volumes"].IsArray());
  std::map<std::string, std::string> vols;
  for (const auto& v : d["volumes"].GetArray())
    vols[v["name"].GetString()] = v.HasMember("filesystem") ? v["filesystem"].GetString() : "";
  EXPECT_EQ(vols["p1"], "xfs");
  EXPECT_EQ(vols["p2/lvm/centos/root"], "xfs");
  EXPECT_TRUE(vols.count("p2/lvm/centos/swap"));
  ASSERT_TRUE(d.HasMember("time_zone") && d["time_zone"].IsObject());
  EXPECT_TRUE(d["time_zone"]["zone"].IsString());
  EXPECT_TRUE(d["time_zone"]["source"].IsString());
  ASSERT_TRUE(d.HasMember("run") && d["run"].IsObject());
  EXPECT_TRUE(d["run"]["argv"].IsArray());
  EXPECT_TRUE(d["run"]["started_utc"].IsString());
  EXPECT_TRUE(d["run"]["finished_utc"].IsString());
  ASSERT_TRUE(d.HasMember("findings_summary"));
  EXPECT_GT(
      d["findings_summary"]["critical"].GetUint64() + d["findings_summary"]["high"].GetUint64(),
      0u);
  ASSERT_TRUE(d.HasMember("deadbox"));
  EXPECT_TRUE(d["deadbox"]["version"].IsString());
  EXPECT_TRUE(d["deadbox"]["git_commit"].IsString());
}

}  // namespace
}  // namespace deadbox::examine_test
