// SPDX-License-Identifier: Apache-2.0
// collect::run over an opened inventory: readable volumes in layout order, swap volumes as
// raw bytes, artifact selection through artifacts::Matcher.
#include "deadbox/artifacts/matcher.hpp"
#include "deadbox/collect/collect.hpp"
#include "deadbox/inventory/inventory.hpp"

namespace deadbox::collect {
namespace {

class MatcherSelector final : public ArtifactSelector {
 public:
  explicit MatcherSelector(artifacts::Matcher m) : matcher_(std::move(m)) {}
  std::vector<std::string> match(std::string_view path) const override {
    return matcher_.match(path);
  }

 private:
  artifacts::Matcher matcher_;
};

}  // namespace

void run(inventory::Inventory& inv, const std::string& artifacts_dir,
         const std::vector<std::string>& only, Options options, parsers::RecordStore& store,
         Diagnostics& diag) {
  // Loaded before any walk so a broken definition fails fast, not after an hour of reading.
  auto registry = std::make_shared<artifacts::Registry>(artifacts::Registry::load(artifacts_dir));
  options.selector = [registry, only](std::vector<std::string> homes) {
    return std::make_unique<MatcherSelector>(artifacts::Matcher(*registry, only, std::move(homes)));
  };
  std::vector<Target> targets;
  std::vector<RawTarget> raw;
  for (auto& v : inv.volumes) {
    if (v.tree) targets.push_back({v.volume.name, v.path_prefix(), v.tree.get()});
    if (v.probe && v.probe->type == fs::FsType::kSwap && v.volume.source)
      raw.push_back({v.volume.name, v.volume.name + ":swap", v.volume.source.get()});
  }
  run_targets(targets, raw, options, store, diag);
}

}  // namespace deadbox::collect
