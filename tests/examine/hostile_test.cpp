// SPDX-License-Identifier: Apache-2.0
// examine on the hostile_names fixture (names and log lines with <script>, "><svg onload=…>,
// OSC/CSI/BEL sequences): report.html holds no markup from the image (checked by parsing it
// with python3's html.parser, tests/examine/check_report_html.py) and the terminal output
// holds no escape bytes apart from our own progress line control.
#include <gtest/gtest.h>

#include <fstream>

#include "examine/case_run.hpp"

namespace deadbox::examine_test {
namespace {

constexpr const char* kScenario = "hostile_names";

std::string checker() {
  return std::string(DEADBOX_SOURCE_DIR) + "/tests/examine/check_report_html.py";
}

/// Offsets of terminal-control bytes: ESC, BEL, and C1 CSI (0x9B) whether raw or UTF-8
/// encoded (U+009B = C2 9B); a 0x9B continuation byte of another valid character is text.
std::vector<size_t> control_bytes(const std::string& s) {
  std::vector<size_t> out;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0x1B || c == 0x07) out.push_back(i);
    if (c != 0x9B) continue;
    // Inside a valid sequence: walk back to its lead byte.
    size_t lead = i;
    while (lead > 0 && lead + 3 >= i && (static_cast<unsigned char>(s[lead]) & 0xC0) == 0x80)
      --lead;
    const auto l = static_cast<unsigned char>(s[lead]);
    const size_t len = l >= 0xF0 ? 4 : l >= 0xE0 ? 3 : l >= 0xC2 ? 2 : 0;
    const bool in_sequence = len != 0 && i < lead + len && !(l == 0xC2 && len == 2);
    if (!in_sequence) out.push_back(i);
  }
  return out;
}

std::string show(const std::string& s, const std::vector<size_t>& at) {
  std::string msg;
  for (size_t k = 0; k < at.size() && k < 5; ++k) {
    const size_t from = at[k] > 40 ? at[k] - 40 : 0;
    std::string ctx = s.substr(from, 80);
    for (char& c : ctx)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    msg += "  at " + std::to_string(at[k]) + ": " + ctx + "\n";
  }
  return msg;
}

TEST(ExamineHostile, ControlBytesSelfTest) {
  // The detector itself: raw ESC/BEL/CSI and UTF-8-encoded U+009B are caught, "ś" (C5 9B) is not.
  EXPECT_EQ(control_bytes("a\x1b[31mb").size(), 1u);
  EXPECT_EQ(control_bytes("bell\a").size(), 1u);
  EXPECT_EQ(control_bytes("csi \x9b"
                          "2J")
                .size(),
            1u);
  EXPECT_EQ(control_bytes("c1 \xc2\x9b").size(), 1u);
  EXPECT_TRUE(control_bytes("\xc5\x9b \xe2\x80\x9b ok").empty());
}

/// Runs the report checker; the expected texts must be shown to the reader (as text).
testing::RunResult check_report(const std::filesystem::path& report,
                                const std::vector<std::string>& texts) {
  std::vector<std::string> argv{"python3", checker(), report.string()};
  for (const auto& t : texts) {
    argv.push_back("--text");
    argv.push_back(t);
  }
  return testing::run_program(argv);
}

TEST(ExamineHostile, ReportHasNoMarkupFromTheImage) {
  // The fixture as built has no OS markers; its only filesystem is taken as the root, so its
  // hostile passwd and auth.log are parsed too (exit 1: a root password login is high).
  const auto image = DEADBOX_FIXTURE(kScenario, "disk.qcow2");
  const CaseRun& run = examine(image.string());
  ASSERT_TRUE(run.result.exit_code == 1 || run.result.exit_code == 4)
      << run.result.exit_code << "\n"
      << run.result.err.substr(0, 3000);
  const auto r = check_report(run.dir / "report.html", {"hostile"});  // the fs label
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("problems: 0"), std::string::npos) << r.out;
}

TEST(ExamineHostile, RootedReportShowsImageTextButNoMarkup) {
  const auto image = HOSTILE_ROOT_IMAGE();
  const CaseRun& run = examine(image.string());
  // The uid-0 account is critical.
  ASSERT_EQ(run.result.exit_code, 1) << run.result.err.substr(0, 3000);
  // Every injection reached the page, as text: passwd gecos and auth.log user (alert(1)), the
  // os-release name in the host facts (alert(2), alert(3)), and a file name in the incident
  // window ("><svg onload=alert(1)>, the fixture's HTML attribute breakout name).
  const auto r = check_report(run.dir / "report.html",
                              {"<script>alert(1)</script>", "<script>alert(2)</script>",
                               "\"><svg onload=alert(3)>", "/root/\"><svg onload=alert(1)>",
                               "/root/<script>alert(1)</script>", "invalid user <script>"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("problems: 0"), std::string::npos) << r.out;
  const std::string html = testing::read_text(run.dir / "report.html");
  for (char c : {'\x1b', '\x07'}) EXPECT_EQ(html.find(c), std::string::npos) << int(c);
  EXPECT_NE(html.find("\\x1b]0;pwned\\x07"), std::string::npos) << "escaped account name";
}

TEST(ExamineHostile, CheckerCatchesInjectedMarkup) {
  // A test that cannot fail is a defect: the checker must reject each kind of injection.
  const auto dir = testing::make_temp_dir("examine-html");
  const std::string head =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>t</title>"
      "<style>body{}</style></head><body><main>";
  std::string sections;
  for (const char* id : {"summary", "findings", "window", "records", "evidence", "coverage"})
    sections += std::string("<section id=\"") + id + "\"><h2>x</h2></section>";
  const std::string tail = "</main></body></html>\n";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"clean", "<p>&lt;script&gt;</p>"},
      {"script", "<p><script>alert(1)</script></p>"},
      {"svg_onload", "<p>\"><svg onload=alert(1)></svg></p>"},
      {"js_href", "<p><a href=\"javascript:alert(1)\">x</a></p>"},
      {"attr_break", "<p class=\"mono\" title=\"x\">y</p>"},
      {"comment", "<p><!-- x --></p>"},
  };
  for (const auto& [name, body] : cases) {
    const auto p = dir / (name + ".html");
    {
      std::ofstream out(p, std::ios::binary);
      out << head << body << sections << tail;
    }
    const auto r = testing::run_program({"python3", checker(), p.string()});
    const int expected = name == "clean" ? 0 : 1;
    EXPECT_EQ(r.exit_code, expected) << name << ":\n" << r.out << r.err;
  }
  std::filesystem::remove_all(dir);
}

TEST(ExamineHostile, TerminalOutputHasNoEscapeBytes) {
  // Without --progress (stderr is a pipe): nothing of ours needs an escape byte either.
  for (int rooted = 0; rooted < 2; ++rooted) {
    const std::string image =
        rooted ? HOSTILE_ROOT_IMAGE().string() : DEADBOX_FIXTURE(kScenario, "disk.qcow2").string();
    const CaseRun& run = examine(image);
    ASSERT_FALSE(run.result.err.empty()) << "no summary printed";
    const std::string all = run.result.out + run.result.err;
    const auto bad = control_bytes(all);
    EXPECT_TRUE(bad.empty()) << bad.size() << " control bytes in examine's output:\n"
                             << show(all, bad);
    if (rooted) {
      // The hostile account is in the summary, escaped, not dropped.
      EXPECT_NE(all.find("\\x1b]0;pwned\\x07"), std::string::npos) << all.substr(0, 3000);
    }
  }
}

TEST(ExamineHostile, ProgressOnlyWritesItsOwnLineControl) {
  const auto image = HOSTILE_ROOT_IMAGE();
  const CaseRun& run = examine(image.string(), {"--progress"});
  ASSERT_EQ(run.result.exit_code, 1) << run.result.err.substr(0, 3000);
  std::string all = run.result.out + run.result.err;
  const std::string ours = "\r\x1b[K";
  size_t removed = 0;
  for (size_t at; (at = all.find(ours)) != std::string::npos; ++removed) all.erase(at, ours.size());
  EXPECT_GT(removed, 0u) << "--progress drew nothing";
  const auto bad = control_bytes(all);
  EXPECT_TRUE(bad.empty()) << bad.size() << " control bytes besides \\r ESC[K:\n" << show(all, bad);
  EXPECT_NE(all.find("\\x1b]0;pwned\\x07"), std::string::npos) << "summary still printed";
}

}  // namespace
}  // namespace deadbox::examine_test
