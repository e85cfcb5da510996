// SPDX-License-Identifier: Apache-2.0
// Knowledge: data lists the checks consult (real kernel-thread and daemon names, indicator
// patterns, expected ELF locations), loaded from artifacts/lists/*.txt so analysts can extend
// them without recompiling. One entry per line; '#' starts a comment, "\#" is a literal '#'.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace deadbox::checks {

class Knowledge {
 public:
  /// Loads every *.txt under dir; list name = file stem. Throws deadbox::Error (artifacts).
  static Knowledge load(const std::string& dir);
  /// Empty list when unknown.
  const std::vector<std::string>& list(std::string_view name) const;
  void set(std::string name, std::vector<std::string> entries);  ///< tests

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> lists_;
};

}  // namespace deadbox::checks
