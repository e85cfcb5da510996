// SPDX-License-Identifier: Apache-2.0
// Aho-Corasick indicator search and Monero address scan (see content_matcher.hpp).
// Ref: Aho & Corasick, "Efficient string matching", CACM 18(6), 1975.
#include "collect/content_matcher.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <tuple>

namespace deadbox::collect {
namespace {

constexpr size_t kChunk = 1 << 20;
// Standard Monero address: '4', then [0-9AB], then 93 more base58 characters (95 in all).
constexpr size_t kWalletLen = 95;
constexpr size_t kExcerptBefore = 40, kExcerptAfter = 80;

constexpr std::array<bool, 256> kBase58 = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<size_t>(c)] = (c >= '1' && c <= '9') || (c >= 'A' && c <= 'H') ||
                                (c >= 'J' && c <= 'N') || (c >= 'P' && c <= 'Z') ||
                                (c >= 'a' && c <= 'k') || (c >= 'm' && c <= 'z');
  return t;
}();

bool is_base58(unsigned char c) { return kBase58[c]; }

/// ASCII case folding by table: the scanner folds every byte of every scanned file, and
/// libc's tolower is both a call per byte and locale-dependent (outputs must not be).
constexpr std::array<unsigned char, 256> kFold = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<size_t>(c)] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return t;
}();

unsigned char fold(unsigned char c) { return kFold[c]; }

std::string excerpt_at(std::string_view w, size_t start, size_t len) {
  const size_t from = start > kExcerptBefore ? start - kExcerptBefore : 0;
  const size_t to = std::min(w.size(), start + len + kExcerptAfter);
  std::string out(w.substr(from, to - from));
  // Binaries hold NULs and control bytes around a string; dots keep the excerpt readable
  // (the writers still escape everything else).
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '.';
  return out;
}

}  // namespace

ContentMatcher::ContentMatcher(std::vector<Indicator> indicators)
    : indicators_(std::move(indicators)) {
  build();
  terminal_.reserve(out_.size());
  for (const auto& o : out_) terminal_.push_back(o.empty() ? 0 : 1);
}

ContentMatcher ContentMatcher::from_knowledge(const checks::Knowledge& k) {
  std::vector<Indicator> ind;
  auto add = [&](const std::string& text, const char* kind, bool nocase) {
    if (text.size() < 3) return;  // two-byte literals would match everywhere in binaries
    Indicator i{text, kind, nocase};
    if (nocase)
      for (char& c : i.text) c = static_cast<char>(fold(static_cast<unsigned char>(c)));
    ind.push_back(std::move(i));
  };
  // "curl " not "curl": libcurl, curl.h and curl_easy_* are everywhere in packaged code.
  for (const auto& t : k.list("download_tools")) add(t + " ", "download_tool", false);
  for (const auto& t : k.list("miner_strings")) add(t, "miner", true);
  for (const auto& t : k.list("pool_domains")) add(t, "mining_pool", true);
  for (const auto& t : k.list("dynamic_dns_suffixes")) add("." + t, "dynamic_dns", true);
  for (const auto& t : k.list("irc_commands")) add(t, "irc", false);
  return ContentMatcher(std::move(ind));
}

void ContentMatcher::build() {
  delta_.assign(1, {});
  out_.assign(1, {});
  std::vector<std::array<int32_t, 256>> go(1);
  go[0].fill(-1);
  for (size_t i = 0; i < indicators_.size(); ++i) {
    int node = 0;
    for (unsigned char c : indicators_[i].text) {
      const unsigned char f = fold(c);
      if (go[node][f] < 0) {
        go[node][f] = static_cast<int32_t>(go.size());
        go.emplace_back().fill(-1);
        out_.emplace_back();
      }
      node = go[node][f];
    }
    out_[node].push_back(static_cast<int>(i));
    max_len_ = std::max(max_len_, indicators_[i].text.size());
  }
  delta_.assign(go.size(), {});
  std::vector<int32_t> fail(go.size(), 0);
  std::deque<int32_t> queue;
  for (int c = 0; c < 256; ++c) {
    const int32_t n = go[0][c];
    delta_[0][c] = n < 0 ? 0 : n;
    if (n > 0) queue.push_back(n);
  }
  while (!queue.empty()) {
    const int32_t u = queue.front();
    queue.pop_front();
    const auto& fo = out_[fail[u]];
    out_[u].insert(out_[u].end(), fo.begin(), fo.end());
    for (int c = 0; c < 256; ++c) {
      const int32_t v = go[u][c];
      if (v < 0) {
        delta_[u][c] = delta_[fail[u]][c];
      } else {
        delta_[u][c] = v;
        fail[v] = delta_[fail[u]][c];
        queue.push_back(v);
      }
    }
  }
}

template <class Emit>
void ContentMatcher::search(std::string_view w, Emit&& emit) const {
  int32_t state = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    state = delta_[state][fold(static_cast<unsigned char>(w[i]))];
    // Most states end no indicator: test a flag before touching the out_ vectors.
    if (!terminal_[static_cast<size_t>(state)]) continue;
    for (int idx : out_[state]) {
      const Indicator& ind = indicators_[idx];
      const size_t start = i + 1 - ind.text.size();
      // The automaton runs case-folded; case-sensitive literals are confirmed here.
      if (!ind.nocase && w.compare(start, ind.text.size(), ind.text) != 0) continue;
      emit(idx, start, i + 1);
    }
  }
}

std::vector<ContentHit> ContentMatcher::scan(const ReadFn& read, uint64_t size, uint64_t max_bytes,
                                             uint32_t max_hits, uint64_t* scanned) const {
  const uint64_t limit = std::min(size, max_bytes);
  const size_t overlap = std::max<size_t>(kWalletLen + 2, max_len_ > 0 ? max_len_ - 1 : 0);
  std::vector<ContentHit> hits;
  std::vector<int> hit_of(indicators_.size(), -1);
  std::map<std::string, int> wallet_hit;
  std::string window;
  uint64_t base = 0;  // file offset of window[0]
  uint64_t done = 0;
  size_t keep = 0;  // bytes of window that were already searched (the overlap)
  std::string chunk(kChunk, '\0');
  auto record = [&](const std::string& kind, const std::string& text, int* slot, uint64_t offset,
                    std::string_view w, size_t start, size_t len) {
    if (*slot >= 0) {
      ++hits[*slot].count;
      return;
    }
    if (hits.size() >= max_hits) return;
    *slot = static_cast<int>(hits.size());
    hits.push_back({kind, text, offset, 1, excerpt_at(w, start, len)});
  };
  while (done < limit) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, limit - done));
    const size_t n = read(done, std::span<char>(chunk.data(), want));
    if (n == 0) break;
    window.append(chunk, 0, n);
    done += n;
    const bool eof = done >= limit;
    const std::string_view w(window);
    search(w, [&](int idx, size_t start, size_t end) {
      if (end <= keep) return;  // seen in the previous window
      const Indicator& ind = indicators_[idx];
      record(ind.kind, ind.text, &hit_of[idx], base + start, w, start, ind.text.size());
    });
    // Wallets: maximal base58 runs of exactly 95 characters starting "4[0-9AB]". A run is
    // judged once its terminator is visible; it belongs to this window if that terminator
    // is new data (runs touching the window end wait for the next chunk).
    for (size_t i = 0; i < w.size();) {
      if (!is_base58(static_cast<unsigned char>(w[i]))) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < w.size() && is_base58(static_cast<unsigned char>(w[j]))) ++j;
      const bool complete = j < w.size() || eof;
      // i == 0 mid-file: the byte before the run is unseen, so its length is unknown.
      const bool bounded = i > 0 || base == 0;
      if (complete && bounded && j >= keep && j - i == kWalletLen && w[i] == '4' &&
          (std::isdigit(static_cast<unsigned char>(w[i + 1])) || w[i + 1] == 'A' ||
           w[i + 1] == 'B')) {
        auto [it, fresh] = wallet_hit.emplace(std::string(w.substr(i, kWalletLen)), -1);
        record("wallet", it->first, &it->second, base + i, w, i, kWalletLen);
      }
      i = j;
    }
    if (eof) break;
    keep = std::min(overlap, window.size());
    base += window.size() - keep;
    window.erase(0, window.size() - keep);
  }
  if (scanned != nullptr) *scanned = done;
  std::sort(hits.begin(), hits.end(), [](const ContentHit& a, const ContentHit& b) {
    return std::tie(a.offset, a.kind, a.indicator) < std::tie(b.offset, b.kind, b.indicator);
  });
  return hits;
}

std::vector<ContentHit> ContentMatcher::scan_buffer(std::string_view bytes,
                                                    uint32_t max_hits) const {
  return scan(
      [&](uint64_t off, std::span<char> buf) -> size_t {
        if (off >= bytes.size()) return 0;
        const size_t n = std::min<size_t>(buf.size(), bytes.size() - off);
        std::copy_n(bytes.data() + off, n, buf.data());
        return n;
      },
      bytes.size(), bytes.size(), max_hits, nullptr);
}

}  // namespace deadbox::collect
