// SPDX-License-Identifier: Apache-2.0
// Registry lookups and group resolution.
#include <algorithm>
#include <set>

#include "artifacts/validate.hpp"
#include "deadbox/artifacts/definition.hpp"

namespace deadbox::artifacts {

std::vector<std::string> fallback_homedirs() {
  return {"/home/*", "/root"};
}

bool applies_to_linux(const Definition& def, const SourceDef& src) {
  if (src.separator != "/") return false;
  const auto& os = src.supported_os.empty() ? def.supported_os : src.supported_os;
  return os.empty() || std::find(os.begin(), os.end(), "Linux") != os.end();
}

Registry Registry::from_definitions(std::vector<Definition> defs) {
  for (const auto& d : defs) validate_definition(d);
  validate_set(defs);
  std::stable_sort(defs.begin(), defs.end(),
                   [](const Definition& a, const Definition& b) { return a.name < b.name; });
  Registry r;
  r.defs_ = std::move(defs);
  for (size_t i = 0; i < r.defs_.size(); ++i) {
    r.index_.emplace(r.defs_[i].name, i);
    for (const auto& a : r.defs_[i].aliases) r.index_.emplace(a, i);
  }
  return r;
}

const Definition* Registry::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &defs_[it->second];
}

std::vector<std::string> Registry::leaves(std::string_view name) const {
  std::set<std::string> out, seen;
  std::vector<const Definition*> todo;
  if (const auto* d = find(name)) todo.push_back(d);
  while (!todo.empty()) {
    const Definition* d = todo.back();
    todo.pop_back();
    if (!seen.insert(d->name).second) continue;  // cycle-safe even on unvalidated input
    bool has_paths = false;
    for (const auto& s : d->sources) {
      if (s.type == "ARTIFACT_GROUP") {
        for (const auto& m : s.names)
          if (const auto* md = find(m)) todo.push_back(md);
      } else {
        has_paths = true;
      }
    }
    if (has_paths) out.insert(d->name);
  }
  return {out.begin(), out.end()};
}

std::vector<std::string> Registry::patterns(std::string_view name,
                                            const std::vector<std::string>& homedirs) const {
  const auto homes = homedirs.empty() ? fallback_homedirs() : homedirs;
  std::set<std::string> out;
  for (const auto& leaf : leaves(name)) {
    const Definition* d = find(leaf);
    for (const auto& s : d->sources) {
      if (s.type == "ARTIFACT_GROUP" || !applies_to_linux(*d, s)) continue;
      for (const auto& p : s.paths) {
        if (p.compare(0, kHomedirVar.size(), kHomedirVar) != 0) {
          out.insert(p);
          continue;
        }
        for (std::string h : homes) {
          while (h.size() > 1 && h.back() == '/') h.pop_back();
          out.insert((h == "/" ? "" : h) + p.substr(kHomedirVar.size()));
        }
      }
    }
  }
  return {out.begin(), out.end()};
}

}  // namespace deadbox::artifacts
