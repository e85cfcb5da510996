// SPDX-License-Identifier: Apache-2.0
// The record collector behind `check` and `examine`: one walk per filesystem feeding (a) the
// artifact collector, which hands every file an artifact definition selects to the parsers
// that consume it, and (b) the file scanner, which emits fs/file and fs/content_match records
// for the file checks. Swap is scanned raw for the same indicators.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/checks/knowledge.hpp"
#include "deadbox/image/image.hpp"
#include "deadbox/parsers/record.hpp"
#include "deadbox/pipeline/walk_consumer.hpp"
#include "deadbox/tree/file_tree.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::inventory {
struct Inventory;
}

namespace deadbox::collect {

/// Record types produced here (not by a parser): checks may `need` them.
inline constexpr std::string_view kFileRecord = "fs/file";
inline constexpr std::string_view kContentMatchRecord = "fs/content_match";
inline constexpr std::string_view kArtifactRecord = "fs/artifact";

/// Which artifact definitions a system path belongs to (artifacts::Matcher in production, a
/// table in tests). Implementations must be cheap: called once per walked entry.
class ArtifactSelector {
 public:
  virtual ~ArtifactSelector() = default;
  /// Artifact names, sorted; empty when none.
  virtual std::vector<std::string> match(std::string_view system_path) const = 0;
};

/// Builds the selector once the homes are known (%%users.homedir%% comes from the image's
/// own /etc/passwd, read before the walk). May throw deadbox::Error (artifacts).
using SelectorFactory =
    std::function<std::unique_ptr<ArtifactSelector>(std::vector<std::string> homedirs)>;

/// Budgets: a hostile image can hold a 4 TiB sparse file or a million matches.
struct Limits {
  uint64_t max_artifact_bytes = 64ull << 20;  ///< per artifact file handed to parsers
  uint64_t max_scan_bytes_per_file = 16ull << 20;
  uint64_t max_scan_bytes_total = 2ull << 30;      ///< content scan of files, per run
  uint64_t max_swap_bytes = 4ull << 30;            ///< per swap volume / swap file
  uint32_t max_matches_per_file = 64;              ///< distinct indicators per file
  uint64_t max_package_list_bytes = 256ull << 20;  ///< all dpkg *.list files together
};

struct Options {
  const checks::Knowledge* knowledge = nullptr;  ///< required: lists for scope and indicators
  SelectorFactory selector;                      ///< null: no artifact collection
  bool scan_files = true;                        ///< fs/file + fs/content_match
  Limits limits;
  /// More consumers for the same single walk (examine's timeline writers and extractor),
  /// created once the image's home directories are known; they see every target's entries.
  std::function<std::vector<pipeline::WalkConsumer*>(const std::vector<std::string>& homedirs)>
      extra_consumers;
};

/// One filesystem to collect from.
struct Target {
  std::string volume;       ///< "p1", "p2/lvm/vg0/root"
  std::string path_prefix;  ///< "/" for the root fs, "/boot", or "/<volume>" when unmounted
  tree::FileTree* tree = nullptr;
};

/// A volume (or file) to scan as raw bytes for indicators: swap.
struct RawTarget {
  std::string volume;
  std::string label;  ///< record path, e.g. "p5:swap" or "/swapfile"
  image::ByteSource* source = nullptr;
};

/// Collects from explicit targets: the root target (path_prefix "/") is read first for
/// /etc/passwd (homes) and /var/lib/dpkg/info/*.list (package ownership); then each target is
/// walked once, in the order given, and records are added in a deterministic order (targets,
/// then paths sorted). Per-file problems become diagnostics; never throws for image content.
void run_targets(const std::vector<Target>& targets, const std::vector<RawTarget>& raw,
                 const Options& options, parsers::RecordStore& store, Diagnostics& diag);

/// The production entry point: every readable volume of the inventory in layout order, swap
/// volumes raw, and artifact selection from the definitions in artifacts_dir (throws
/// deadbox::Error (artifacts) when they do not load). only: artifact names, empty = default.
void run(inventory::Inventory& inventory, const std::string& artifacts_dir,
         const std::vector<std::string>& only, Options options, parsers::RecordStore& store,
         Diagnostics& diag);

}  // namespace deadbox::collect
