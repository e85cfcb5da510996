// SPDX-License-Identifier: Apache-2.0
// Streaming indicator search: Aho-Corasick over bytes (one pass for every literal of every
// list) plus a Monero address scanner, fed in chunks with overlap so a hit on a chunk border
// is found once. Private to collect.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/checks/knowledge.hpp"

namespace deadbox::collect {

struct Indicator {
  std::string text;  ///< literal as searched (lowercase when case-insensitive)
  std::string kind;  ///< download_tool, miner, mining_pool, dynamic_dns, irc, wallet
  bool nocase = false;
};

struct ContentHit {
  std::string kind;
  std::string indicator;
  uint64_t offset = 0;  ///< first occurrence
  uint64_t count = 0;   ///< occurrences in the scanned bytes
  std::string excerpt;  ///< bytes around the first occurrence, non-printables as '.'
};

/// Reads up to buf.size() bytes at offset; returns the count (0 = end). May throw.
using ReadFn = std::function<size_t(uint64_t offset, std::span<char> buf)>;

class ContentMatcher {
 public:
  explicit ContentMatcher(std::vector<Indicator> indicators);
  /// Indicators from the knowledge lists (download_tools, miner_strings, pool_domains,
  /// dynamic_dns_suffixes, irc_commands) plus the wallet scanner.
  static ContentMatcher from_knowledge(const checks::Knowledge& knowledge);

  /// Scans [0, min(size, max_bytes)) and returns one hit per distinct indicator (first
  /// offset + count), sorted by offset, at most max_hits. *scanned = bytes read.
  std::vector<ContentHit> scan(const ReadFn& read, uint64_t size, uint64_t max_bytes,
                               uint32_t max_hits, uint64_t* scanned) const;

  /// One buffer (tests, and small files already in memory).
  std::vector<ContentHit> scan_buffer(std::string_view bytes, uint32_t max_hits) const;

 private:
  void build();
  template <class Emit>
  void search(std::string_view window, Emit&& emit) const;

  std::vector<Indicator> indicators_;
  // Dense DFA (goto + failure folded in): nodes x 256. A few hundred nodes, so a table
  // lookup per byte beats a map and keeps a 16 MiB scan in tens of milliseconds.
  std::vector<std::array<int32_t, 256>> delta_;
  std::vector<std::vector<int>> out_;  // indicator indexes ending at each node
  std::vector<uint8_t> terminal_;     // out_[state] non-empty (the hot loop's test)
  size_t max_len_ = 0;
};

}  // namespace deadbox::collect
