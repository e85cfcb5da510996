// SPDX-License-Identifier: Apache-2.0
// ArtifactCollector: the walk consumer that remembers every file an artifact definition
// selects, then reads each one (capped, decompressed by magic) and hands it to every parser
// that declares the artifact. Matched symlinks and files are listed as fs/artifact records,
// so a `.bash_history -> /dev/null` link is evidence too. Private to collect.
#pragma once
#include <string>
#include <vector>

#include "deadbox/collect/collect.hpp"
#include "deadbox/pipeline/walk_consumer.hpp"

namespace deadbox::collect {

class ArtifactCollector final : public pipeline::WalkConsumer {
 public:
  ArtifactCollector(const ArtifactSelector& selector, const Limits& limits,
                    parsers::RecordSink& out);
  void begin_volume(const pipeline::VolumeContext& ctx) override;
  void on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) override;
  void end_volume(const pipeline::VolumeContext& ctx) override;

 private:
  struct Match {
    tree::FileEntry entry;
    std::string path;
    std::vector<std::string> artifacts;
  };
  void process(const pipeline::VolumeContext& ctx, const Match& m);

  const ArtifactSelector& selector_;
  const Limits& limits_;
  parsers::RecordSink& out_;
  std::vector<Match> matches_;
};

/// Runs every registered parser that consumes `artifact` over bytes (already decompressed),
/// skipping parser ids in *done (and adding the ones run). Parser exceptions → diagnostics.
void run_parsers(std::string_view bytes, const std::shared_ptr<const parsers::Source>& source,
                 std::vector<std::string_view>* done, parsers::RecordSink& out, Diagnostics& diag);

}  // namespace deadbox::collect
