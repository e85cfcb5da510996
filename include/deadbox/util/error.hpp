// SPDX-License-Identifier: Apache-2.0
// deadbox::Error: the one exception type for failures that stop a unit of work (an image, a
// volume, a filesystem). Per-item problems go to Diagnostics instead (house style §3.5).
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace deadbox {

enum class Layer { kImage, kVolume, kFs, kTree, kArtifacts, kParser, kCheck, kTimeline, kExtract, kReport, kCli };

std::string_view layer_name(Layer layer);

/// Process exit codes, documented in --help and the README.
enum ExitCode : int {
  kExitOk = 0,               ///< done, nothing at or above --fail-on
  kExitFindings = 1,         ///< done, findings at or above --fail-on
  kExitUsage = 2,            ///< bad command line
  kExitEvidenceUnreadable = 3,  ///< no evidence could be opened at all
  kExitPartial = 4,          ///< done, but some volume/filesystem/file could not be read
  kExitNeedsParent = 5,      ///< differential image (qcow2 backing file) without --qcow-parent
  kExitOutputRefused = 6,    ///< output folder exists and is not empty (use --force)
  kExitInternal = 70,        ///< a bug in deadbox
};

/// A failure of one unit of work: which layer, a short stable code ("truncated", "bad_magic",
/// "needs_parent", …), the evidence file or volume it concerns, and a human reason (often the
/// C library's own message). what() is the one-line form "<where>: <reason>".
class Error : public std::runtime_error {
 public:
  Error(Layer layer, std::string code, std::string where, std::string reason);
  Layer layer() const noexcept { return layer_; }
  const std::string& code() const noexcept { return code_; }
  const std::string& where() const noexcept { return where_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  Layer layer_;
  std::string code_;
  std::string where_;
  std::string reason_;
};

}  // namespace deadbox
