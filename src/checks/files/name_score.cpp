// SPDX-License-Identifier: Apache-2.0
// Name statistics for the random-name and lookalike checks (see name_score.hpp).
#include "checks/files/name_score.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace deadbox::checks::files {
namespace {

// Log10 probability given to a bigram the English model never saw. Chosen so that one odd
// pair in a real word ("xz" in "xzgrep") costs less than a run of them in "wkwfnxjpaa".
constexpr double kFloor = -3.5;
// Thresholds measured on this machine's /usr, /etc, /boot, /lib and /var/lib names (about
// 96k names, 5k of them letters only) against random [a-z]{6..12} strings: at -2.1 (8+
// letters) and -2.3 (6-7 letters) 0.02% of real names score random while ~60% of random
// strings do; the file checks add place and ELF content to get the rest right.
constexpr double kThresholdLong = -2.1;
constexpr double kThresholdShort = -2.3;

bool all_alpha(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "[ksoftirqd/7]" → "ksoftirqd", "kworker/0:1H" → "kworker".
std::string_view base_name(std::string_view name, bool* bracketed) {
  *bracketed = false;
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
    *bracketed = true;
  }
  const auto slash = name.find('/');
  if (slash != std::string_view::npos) name = name.substr(0, slash);
  return name;
}

}  // namespace

NameScorer::NameScorer(const Knowledge& knowledge) {
  for (const std::string& line : knowledge.list("name_bigrams")) {
    const auto space = line.find(' ');
    if (space != 2) continue;
    const std::string_view num = std::string_view(line).substr(space + 1);
    double v = 0;
    // from_chars for double is in libstdc++ 11+; avoids locale-dependent strtod.
    const auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
    if (ec == std::errc()) log10_[line.substr(0, 2)] = v;
  }
}

std::optional<RandomScore> NameScorer::score(std::string_view name) const {
  if (log10_.empty()) return std::nullopt;
  if (name.size() < 6 || name.size() > 32 || !all_alpha(name)) return std::nullopt;
  // All-capital names are acronyms (NFKCQC, CXXFLAGS), not generated names.
  if (std::none_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return std::nullopt;
  const std::string word = "^" + lower(name) + "$";
  double sum = 0;
  for (size_t i = 0; i + 1 < word.size(); ++i) {
    const auto it = log10_.find(word.substr(i, 2));
    sum += it == log10_.end() ? kFloor : it->second;
  }
  RandomScore r;
  r.avg_log10 = sum / static_cast<double>(word.size() - 1);
  // Map -1.2 (ordinary English) .. -2.7 (letters drawn at random) onto 0..100.
  r.score = static_cast<int>(std::clamp((-r.avg_log10 - 1.2) / 1.5, 0.0, 1.0) * 100.0 + 0.5);
  r.random = r.avg_log10 <= (name.size() >= 8 ? kThresholdLong : kThresholdShort);
  return r;
}

int edit_distance(std::string_view a, std::string_view b, int max_distance) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max_distance) return max_distance + 1;
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = max_distance + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      row_min = std::min(row_min, d[i][j]);
    }
    if (row_min > max_distance) return max_distance + 1;
  }
  return std::min(d[n][m], max_distance + 1);
}

LookalikeMatcher::LookalikeMatcher(const Knowledge& knowledge) {
  for (const auto& t : knowledge.list("kernel_threads")) {
    bool bracketed = false;
    threads_.emplace_back(base_name(t, &bracketed));
  }
  for (const auto& d : knowledge.list("system_daemons")) {
    if (!d.empty() && d.back() == '*')
      daemon_prefixes_.push_back(d.substr(0, d.size() - 1));
    else
      daemons_.push_back(d);
  }
}

bool LookalikeMatcher::is_daemon_name(std::string_view name) const {
  if (std::find(daemons_.begin(), daemons_.end(), name) != daemons_.end()) return true;
  return std::any_of(daemon_prefixes_.begin(), daemon_prefixes_.end(),
                     [&](const std::string& p) { return name.starts_with(p); });
}

std::optional<Lookalike> LookalikeMatcher::match(std::string_view raw) const {
  bool bracketed = false;
  const std::string_view name = base_name(raw, &bracketed);
  if (name.size() < 4 || name.size() > 64) return std::nullopt;
  std::optional<Lookalike> best;
  auto consider = [&](const std::string& real, const char* list) {
    // Exact kernel-thread names count at any length (no file is called "kthreadd");
    // near misses need enough letters that a real short tool name is not one edit away.
    const int max = name.size() >= 8 ? 2 : name.size() >= 6 ? 1 : 0;
    const int d = edit_distance(name, real, max);
    if (d > max) return;
    if (d == 0 && std::string_view(list) == "system_daemons") return;  // the real daemon
    if (!best || d < best->distance) best = Lookalike{real, list, d, bracketed};
  };
  for (const auto& t : threads_) consider(t, "kernel_threads");
  // A name that is itself a real daemon (sshd-keygen-wrapper vs sshd) is not a lookalike.
  if (!is_daemon_name(name))
    for (const auto& d : daemons_) consider(d, "system_daemons");
  return best;
}

}  // namespace deadbox::checks::files
