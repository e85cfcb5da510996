// SPDX-License-Identifier: Apache-2.0
// Matcher: a trie keyed on the literal leading segments of every pattern; a path walks the
// trie once and only the glob tails hanging off the nodes it reaches are evaluated. A path under
// /usr/share/doc therefore costs a few map lookups, whatever the number of artifacts.
#include "deadbox/artifacts/matcher.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "artifacts/glob.hpp"
#include "deadbox/util/error.hpp"

namespace deadbox::artifacts {
namespace {

struct Compiled {
  glob::Pattern pattern;
  std::vector<std::string> names;  // leaf artifacts that own this pattern
};

struct Tail {
  size_t pattern;  // index into Impl::patterns
  size_t from;     // first non-literal segment
};

struct Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
  std::vector<Tail> tails;
};

// Dedup key that distinguishes a literal "*" (from a hostile home dir) from a glob "*".
std::string key_of(const glob::Pattern& p) {
  std::string k;
  for (const auto& s : p) {
    k += static_cast<char>('0' + static_cast<int>(s.kind));
    k += std::to_string(s.max_depth);
    k += ':';
    k += std::to_string(s.text.size());
    k += ':';
    k += s.text;
  }
  return k;
}

}  // namespace

struct Matcher::Impl {
  std::vector<Compiled> patterns;
  std::vector<std::string> homedirs;
  Node root;

  void add(glob::Pattern p, const std::string& name, std::map<std::string, size_t>& seen) {
    auto [it, fresh] = seen.emplace(key_of(p), patterns.size());
    if (fresh) patterns.push_back({std::move(p), {}});
    auto& names = patterns[it->second].names;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }

  void build_trie() {
    for (size_t i = 0; i < patterns.size(); ++i) {
      const auto& p = patterns[i].pattern;
      Node* n = &root;
      size_t at = 0;
      while (at < p.size() && p[at].kind == glob::Segment::Kind::kLiteral) {
        auto& child = n->children[p[at].text];
        if (!child) child = std::make_unique<Node>();
        n = child.get();
        ++at;
      }
      n->tails.push_back({i, at});
    }
  }
};

Matcher::Matcher(const Registry& registry, std::vector<std::string> only_names,
                 std::vector<std::string> homedirs)
    : impl_(std::make_unique<Impl>()) {
  if (only_names.empty()) only_names.emplace_back(kDefaultCollection);
  std::set<std::string> leaves;
  for (const auto& n : only_names) {
    if (registry.find(n) == nullptr)
      throw Error(Layer::kArtifacts, "unknown_artifact", n,
                  "no such artifact definition (see `deadbox list artifacts`)");
    for (auto& l : registry.leaves(n)) leaves.insert(std::move(l));
  }

  // Homes from the image are literal text; the fallback is FA's own glob decomposition.
  std::vector<glob::Pattern> homes;
  std::set<std::string> home_keys;
  if (homedirs.empty()) {
    for (const auto& h : fallback_homedirs()) {
      glob::Pattern p;
      glob::parse(h, &p);
      homes.push_back(std::move(p));
      impl_->homedirs.push_back(h);
    }
  } else {
    for (const auto& h : homedirs) {
      auto p = glob::literal(h);
      if (!p || !home_keys.insert(key_of(*p)).second) continue;
      impl_->homedirs.push_back(glob::to_string(*p));
      homes.push_back(std::move(*p));
    }
  }

  std::map<std::string, size_t> seen;
  for (const auto& name : leaves) {
    const Definition* d = registry.find(name);
    for (const auto& s : d->sources) {
      if (s.type == "ARTIFACT_GROUP" || !applies_to_linux(*d, s)) continue;
      for (const auto& path : s.paths) {
        const bool per_home = path.compare(0, kHomedirVar.size(), kHomedirVar) == 0;
        glob::Pattern tail;
        if (glob::parse(per_home ? std::string_view(path).substr(kHomedirVar.size()) : path, &tail))
          continue;  // validated at load; unreachable for a loaded registry
        if (!per_home) {
          impl_->add(std::move(tail), name, seen);
          continue;
        }
        for (const auto& home : homes) {
          glob::Pattern full = home;
          full.insert(full.end(), tail.begin(), tail.end());
          impl_->add(std::move(full), name, seen);
        }
      }
    }
  }
  impl_->build_trie();
}

Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

std::vector<std::string> Matcher::match(std::string_view system_path) const {
  return match_segments(glob::split(system_path));
}

std::vector<std::string> Matcher::match_segments(const std::vector<std::string_view>& segs) const {
  std::vector<std::string> out;
  const Node* n = &impl_->root;
  for (size_t i = 0;; ++i) {
    for (const Tail& t : n->tails) {
      const Compiled& c = impl_->patterns[t.pattern];
      if (glob::match_tail(c.pattern, t.from, segs, i))
        out.insert(out.end(), c.names.begin(), c.names.end());
    }
    if (i == segs.size()) break;
    auto it = n->children.find(segs[i]);
    if (it == n->children.end()) break;
    n = it->second.get();
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Matcher::may_descend(std::string_view system_dir) const {
  const auto segs = glob::split(system_dir);
  const Node* n = &impl_->root;
  for (size_t i = 0;; ++i) {
    for (const Tail& t : n->tails)
      if (glob::viable_below(impl_->patterns[t.pattern].pattern, t.from, segs, i)) return true;
    if (i == segs.size()) return !n->children.empty();
    auto it = n->children.find(segs[i]);
    if (it == n->children.end()) return false;
    n = it->second.get();
  }
}

size_t Matcher::pattern_count() const {
  return impl_->patterns.size();
}
const std::vector<std::string>& Matcher::homedirs() const {
  return impl_->homedirs;
}

}  // namespace deadbox::artifacts
