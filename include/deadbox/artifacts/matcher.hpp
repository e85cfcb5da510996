// SPDX-License-Identifier: Apache-2.0
// Matcher: every pattern of the selected artifacts compiled once into a trie of literal path
// prefixes with glob tails, so each path of the one filesystem walk is matched against all
// artifacts in a single pass (no per-definition tree walk).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/artifacts/definition.hpp"

namespace deadbox::artifacts {

class Matcher {
 public:
  /// only_names: artifact names or aliases to select (groups expand); empty selects
  /// DeadboxDefaultCollection. homedirs: the image's home directories from passwd, taken as
  /// literal paths (a home "/home/*" in a hostile passwd is not a glob); empty uses
  /// fallback_homedirs(). Homes that are not absolute or contain ".." are ignored.
  /// Throws deadbox::Error(kArtifacts, "unknown_artifact", name, …) for an unknown name.
  Matcher(const Registry& registry, std::vector<std::string> only_names,
          std::vector<std::string> homedirs);
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;

  /// Names of the (leaf) artifacts whose patterns match this absolute system path; sorted,
  /// deduplicated, empty when none.
  std::vector<std::string> match(std::string_view system_path) const;
  /// The same for a path given as its name components, taken as they are: in a crafted image
  /// one name may hold "/" ("../../x" in /etc/cron.d is one entry of that directory).
  std::vector<std::string> match_segments(const std::vector<std::string_view>& segments) const;

  /// False when no pattern can match anything below this directory (a walker may prune it).
  bool may_descend(std::string_view system_dir) const;

  /// Number of distinct compiled patterns (for diagnostics and tests).
  size_t pattern_count() const;
  /// The homes used for %%users.homedir%% after normalisation.
  const std::vector<std::string>& homedirs() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace deadbox::artifacts
