// SPDX-License-Identifier: Apache-2.0
// One walk per filesystem, many consumers: the timeline writer, the artifact matcher and the
// file scanner all see the same entry stream, so `examine` reads the directory tree once.
#pragma once
#include <string>
#include <vector>

#include "deadbox/tree/file_tree.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::pipeline {

struct VolumeContext {
  std::string volume;        ///< volume name
  std::string path_prefix;   ///< mount point ("/", "/boot") or "/<volume name>"
  tree::FileTree* tree = nullptr;  ///< for consumers that read content (file scanner)
  Diagnostics* diag = nullptr;
};

/// Prefix + in-filesystem path → the path a user of the system would see ("/boot/x").
std::string system_path(const std::string& prefix, const std::string& fs_path);

class WalkConsumer {
 public:
  virtual ~WalkConsumer() = default;
  virtual void begin_volume(const VolumeContext&) {}
  virtual void on_entry(const VolumeContext& ctx, const tree::FileEntry& entry) = 0;
  virtual void end_volume(const VolumeContext&) {}
};

/// Walks ctx.tree once and feeds every consumer each entry, in order.
void walk_volume(const VolumeContext& ctx, const tree::WalkOptions& options,
                 const std::vector<WalkConsumer*>& consumers);

}  // namespace deadbox::pipeline
