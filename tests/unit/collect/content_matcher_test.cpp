// SPDX-License-Identifier: Apache-2.0
#include "collect/content_matcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace deadbox::collect {
namespace {

ContentMatcher make() {
  return ContentMatcher({{"curl ", "download_tool", false},
                         {"stratum+tcp://", "miner", true},
                         {".3322.org", "dynamic_dns", true},
                         {"JOIN #", "irc", false}});
}

// A valid-looking standard Monero address: '4', [0-9AB], 93 base58 characters.
std::string wallet() {
  std::string w = "48";
  const std::string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  for (int i = 0; i < 93; ++i) w += alphabet[(i * 7) % alphabet.size()];
  return w;
}

TEST(ContentMatcher, FindsLiteralsWithCaseRules) {
  const auto hits = make().scan_buffer(
      "x STRATUM+TCP://pool:3333 curl http://a Curl -o b join #c JOIN #chan ok.3322.ORG", 10);
  std::vector<std::string> got;
  for (const auto& h : hits) got.push_back(h.indicator);
  // "Curl -o" and "join #" differ in case from case-sensitive literals: not matched.
  EXPECT_EQ(got, (std::vector<std::string>{"stratum+tcp://", "curl ", "JOIN #", ".3322.org"}));
  EXPECT_EQ(hits[0].offset, 2u);
  EXPECT_EQ(hits[0].kind, "miner");
}

TEST(ContentMatcher, CountsRepeatsOnceWithFirstOffset) {
  const auto hits = make().scan_buffer("curl a; curl b; curl c", 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].count, 3u);
  EXPECT_EQ(hits[0].offset, 0u);
}

TEST(ContentMatcher, FindsHitAcrossChunkBorderExactlyOnce) {
  // The scanner reads 1 MiB chunks; put the literal across the first border.
  std::string data((1 << 20) - 3, '\0');
  data += "curl http://x";
  data += std::string(1 << 20, 'a');
  data += "curl ";  // a second one, far away
  const auto hits = make().scan_buffer(data, 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].offset, (1u << 20) - 3);
  EXPECT_EQ(hits[0].count, 2u);
}

TEST(ContentMatcher, WalletExactLengthOnlyAndAcrossBorder) {
  const std::string w = wallet();
  ASSERT_EQ(w.size(), 95u);
  auto hits = make().scan_buffer("addr=" + w + "\n", 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].kind, "wallet");
  EXPECT_EQ(hits[0].offset, 5u);
  // One base58 character more: not an address (it is part of some longer token).
  EXPECT_TRUE(make().scan_buffer("addr=" + w + "z\n", 10).empty());
  // Straddling the chunk border.
  std::string data((1 << 20) - 40, ' ');
  data += w + " ";
  hits = make().scan_buffer(data, 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].offset, (1u << 20) - 40);
}

TEST(ContentMatcher, RespectsByteAndHitCaps) {
  const std::string data = "aaaa curl x stratum+tcp://y JOIN #z";
  EXPECT_EQ(make().scan_buffer(data, 2).size(), 2u);
  uint64_t scanned = 0;
  const auto hits = make().scan(
      [&](uint64_t off, std::span<char> buf) -> size_t {
        const size_t n = std::min<size_t>(buf.size(), data.size() - off);
        std::copy_n(data.data() + off, n, buf.data());
        return n;
      },
      data.size(), 9, 10, &scanned);
  EXPECT_EQ(scanned, 9u);
  EXPECT_TRUE(hits.empty());  // "curl " is bytes 5-9: its space lies beyond the cap
}

TEST(ContentMatcher, ExcerptMasksControlBytes) {
  const auto hits = make().scan_buffer(std::string("\x01\x1b[2Jcurl \x07x", 12), 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].excerpt, "..[2Jcurl .x");
}

}  // namespace
}  // namespace deadbox::collect

namespace deadbox::collect {
namespace {

TEST(ContentMatcher, ShippedListsKeepTheIrcChannelHash) {
  // "JOIN \#" in irc_commands.txt is "JOIN #": SQL's "LEFT JOIN" must not look like IRC.
  const auto k = checks::Knowledge::load(DEADBOX_ARTIFACTS_DIR);
  const auto m = ContentMatcher::from_knowledge(k);
  EXPECT_TRUE(m.scan_buffer("SELECT * FROM a LEFT JOIN b ON NOTICE_ID", 10).empty());
  const auto hits = m.scan_buffer("NICK bot\r\nJOIN #ops\r\nPRIVMSG #ops :hi", 10);
  std::vector<std::string> got;
  for (const auto& h : hits) got.push_back(h.indicator);
  EXPECT_EQ(got, (std::vector<std::string>{"NICK", "JOIN #", "PRIVMSG #"}));
}

}  // namespace
}  // namespace deadbox::collect
