// SPDX-License-Identifier: Apache-2.0
// Which paths the package manager installed: dpkg's /var/lib/dpkg/info/*.list read from the
// root filesystem before the walk. rpm databases are not read yet (a note says so), so on
// Red Hat images nothing counts as package-owned and scoping relies on place alone.
#pragma once
#include <string>
#include <string_view>
#include <unordered_set>

#include "deadbox/tree/file_tree.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::collect {

class PackageIndex {
 public:
  /// Reads the lists from root (a tree whose paths are system paths). Bounded by max_bytes
  /// over all lists; problems are diagnostics.
  void load(tree::FileTree& root, const std::string& volume, uint64_t max_bytes, Diagnostics& diag);
  /// For tests: mark one path as packaged.
  void add(std::string path);
  bool owns(std::string_view system_path) const;
  size_t size() const { return paths_.size(); }

 private:
  std::unordered_set<std::string> paths_;
};

}  // namespace deadbox::collect
