// SPDX-License-Identifier: Apache-2.0
#include "deadbox/checks/knowledge.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "deadbox/util/error.hpp"

namespace deadbox::checks {

Knowledge Knowledge::load(const std::string& dir) {
  Knowledge k;
  std::error_code ec;
  const std::filesystem::path lists = std::filesystem::path(dir) / "lists";
  if (!std::filesystem::is_directory(lists, ec))
    throw Error(Layer::kArtifacts, "not_found", lists.string(), "lists folder not found");
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(lists, ec))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::vector<std::string> entries;
    std::string line;
    while (std::getline(in, line)) {
      // '#' starts a comment; "\#" is a literal '#' (IRC's "JOIN #" indicator).
      size_t hash = line.find('#');
      while (hash != std::string::npos && hash > 0 && line[hash - 1] == '\\')
        hash = line.find('#', hash + 1);
      if (hash != std::string::npos) line.erase(hash);
      for (size_t at = line.find("\\#"); at != std::string::npos; at = line.find("\\#", at))
        line.erase(at, 1);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
        line.pop_back();
      size_t start = line.find_first_not_of(" \t");
      if (start == std::string::npos) continue;
      entries.push_back(line.substr(start));
    }
    k.lists_[f.stem().string()] = std::move(entries);
  }
  return k;
}

const std::vector<std::string>& Knowledge::list(std::string_view name) const {
  static const std::vector<std::string> kEmpty;
  auto it = lists_.find(name);
  return it == lists_.end() ? kEmpty : it->second;
}

void Knowledge::set(std::string name, std::vector<std::string> entries) {
  lists_[std::move(name)] = std::move(entries);
}

}  // namespace deadbox::checks
