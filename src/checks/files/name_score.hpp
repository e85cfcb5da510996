// SPDX-License-Identifier: Apache-2.0
// File-name statistics shared by the file scanner (collect) and the file checks: how random a
// name looks under a letter-bigram model of English (artifacts/lists/name_bigrams.txt), and
// which real kernel thread or daemon name it imitates (edit distance to the knowledge lists).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "deadbox/checks/knowledge.hpp"

namespace deadbox::checks::files {

struct RandomScore {
  double avg_log10 = 0;  ///< mean log10 P(next letter | letter) over the name, '^'/'$' included
  int score = 0;         ///< 0-100, for display and sorting
  bool random = false;   ///< over the threshold for its length
};

/// Scores names made only of ASCII letters, 6-32 long, not all capitals. Malware droppers name
/// files with [a-z]{N}; names with digits, dashes, dots or an extension are composite words
/// (zstdgrep.1.gz, swiftgyb.vim) that the bigram model handles badly, so they are not scored.
class NameScorer {
 public:
  explicit NameScorer(const Knowledge& knowledge);
  bool loaded() const { return !log10_.empty(); }
  std::optional<RandomScore> score(std::string_view name) const;

 private:
  std::unordered_map<std::string, double> log10_;
};

struct Lookalike {
  std::string imitates;    ///< the real name ("kthreadd")
  std::string list;        ///< "kernel_threads" or "system_daemons"
  int distance = 0;        ///< 0 = same name (a kernel thread name on a file is odd in itself)
  bool bracketed = false;  ///< "[ksoftirqd/7]": the ps display form of a kernel thread
};

/// Matches names against kernel_threads.txt and system_daemons.txt: Damerau-Levenshtein
/// distance 1 for names of 6-7 characters, up to 2 from 8 on (shorter names collide with real
/// tools: ssh/sshd). "ksoftirqd/7", "[kworker/0:1]" are normalised to their base name first.
class LookalikeMatcher {
 public:
  explicit LookalikeMatcher(const Knowledge& knowledge);
  std::optional<Lookalike> match(std::string_view name) const;
  /// True when name is exactly a listed daemon name (a real binary may carry it).
  bool is_daemon_name(std::string_view name) const;

 private:
  std::vector<std::string> threads_, daemons_, daemon_prefixes_;
};

/// Optimal-string-alignment distance, stopping early above max_distance (returns max+1).
int edit_distance(std::string_view a, std::string_view b, int max_distance);

}  // namespace deadbox::checks::files
