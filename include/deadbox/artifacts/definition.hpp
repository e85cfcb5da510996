// SPDX-License-Identifier: Apache-2.0
// Artifact definitions as data: ForensicArtifacts' JSON form (artifacts/*.json), loaded and
// validated once, then resolved to glob patterns (house style §3.4, formats-and-libraries §1.7).
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace deadbox::artifacts {

/// One `sources[]` entry. FILE and PATH carry paths; ARTIFACT_GROUP carries names.
struct SourceDef {
  std::string type;  ///< "FILE" | "PATH" | "ARTIFACT_GROUP"
  std::vector<std::string> paths, names;
  std::string separator = "/";
  std::vector<std::string> supported_os;  ///< empty = as the definition
};

struct Definition {
  std::string name, doc;
  std::string file;  ///< file name (not path) of the JSON it came from
  std::vector<std::string> aliases, supported_os, urls;
  std::vector<SourceDef> sources;

  bool is_group() const;
};

/// The placeholder FA uses for every user's home directory.
inline constexpr std::string_view kHomedirVar = "%%users.homedir%%";
/// Group `deadbox extract` uses when no --artifact is given.
inline constexpr std::string_view kDefaultCollection = "DeadboxDefaultCollection";
/// FA's decomposition of %%users.homedir%% when the image's passwd gives no homes.
std::vector<std::string> fallback_homedirs();

/// All definitions of a folder. Immutable after load; cheap to copy.
class Registry {
 public:
  /// Loads every *.json directly in dir (sub-folders such as lists/ are ignored), in file-name
  /// order, and validates them all. Throws deadbox::Error(kArtifacts, "invalid_definition",
  /// "<file>: <name>", reason) on the first invalid definition, and (…, "unreadable", dir, …)
  /// when the folder or a file cannot be read or is not a JSON array.
  static Registry load(const std::string& dir);

  /// Builds a registry from definitions already in memory (tests, embedders); validates them the
  /// same way load() does and throws the same errors.
  static Registry from_definitions(std::vector<Definition> defs);

  /// Definition by name or alias, or null.
  const Definition* find(std::string_view name) const;
  /// Sorted by name.
  const std::vector<Definition>& all() const { return defs_; }

  /// Names of the FILE/PATH definitions a name stands for: itself, or the members of a group,
  /// recursively (cycle-safe; load() refuses cycles anyway). Sorted, deduplicated; empty for an
  /// unknown name.
  std::vector<std::string> leaves(std::string_view name) const;

  /// Glob patterns of a definition with groups resolved and %%users.homedir%% replaced by each
  /// of homedirs (fallback_homedirs() when empty); only sources that apply to Linux. Sorted,
  /// deduplicated. For display: the Matcher treats homes given by the caller as literal text.
  std::vector<std::string> patterns(std::string_view name,
                                    const std::vector<std::string>& homedirs) const;

 private:
  std::vector<Definition> defs_;
  std::map<std::string, size_t, std::less<>> index_;  // name and aliases -> defs_ position
};

/// Whether a source applies to a Linux image (its, or else its definition's, supported_os is
/// empty or lists Linux, and it uses the "/" separator).
bool applies_to_linux(const Definition& def, const SourceDef& src);

}  // namespace deadbox::artifacts
