// SPDX-License-Identifier: Apache-2.0
#include "deadbox/pipeline/walk_consumer.hpp"

namespace deadbox::pipeline {

std::string system_path(const std::string& prefix, const std::string& fs_path) {
  if (prefix.empty() || prefix == "/") return fs_path.empty() ? "/" : fs_path;
  if (fs_path == "/" || fs_path.empty()) return prefix;
  return prefix + fs_path;
}

void walk_volume(const VolumeContext& ctx, const tree::WalkOptions& options,
                 const std::vector<WalkConsumer*>& consumers) {
  for (auto* c : consumers) c->begin_volume(ctx);
  ctx.tree->walk(
      options,
      [&](const tree::FileEntry& entry) {
        for (auto* c : consumers) c->on_entry(ctx, entry);
        return true;
      },
      *ctx.diag);
  for (auto* c : consumers) c->end_volume(ctx);
}

}  // namespace deadbox::pipeline
