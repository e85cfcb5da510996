// SPDX-License-Identifier: Apache-2.0
// Definition validator, run at every load and as a ctest over the shipped folder (FA runs its
// validator.py the same way). Every refusal names the file and the definition.
#include "artifacts/validate.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "artifacts/glob.hpp"
#include "deadbox/util/error.hpp"

namespace deadbox::artifacts {
namespace {

// FA's definitions.SUPPORTED_OS.
constexpr std::string_view kKnownOs[] = {"Darwin", "ESXi", "Linux", "Windows"};

[[noreturn]] void invalid(const Definition& d, const std::string& reason) {
  throw Error(Layer::kArtifacts, "invalid_definition", d.file + ": " + d.name, reason);
}

void check_os(const Definition& d, const std::vector<std::string>& os) {
  for (const auto& o : os)
    if (std::find(std::begin(kKnownOs), std::end(kKnownOs), o) == std::end(kKnownOs))
      invalid(d, "unknown supported_os '" + o + "' (known: Darwin, ESXi, Linux, Windows)");
}

void check_path(const Definition& d, const std::string& path) {
  std::string_view rest = path;
  if (rest.substr(0, kHomedirVar.size()) == kHomedirVar) {
    rest.remove_prefix(kHomedirVar.size());
    if (rest.empty()) invalid(d, "path '" + path + "' is only the home directory");
  }
  if (rest.find("%%") != std::string_view::npos)
    invalid(d, "path '" + path +
                   "': only %%users.homedir%% (as the first component) is "
                   "expanded offline");
  glob::Pattern p;
  if (auto why = glob::parse(rest, &p)) invalid(d, "path '" + path + "': " + *why);
  if (p.empty()) invalid(d, "path '" + path + "' names the root directory");
}

}  // namespace

bool Definition::is_group() const {
  return !sources.empty() && std::all_of(sources.begin(), sources.end(), [](const SourceDef& s) {
    return s.type == "ARTIFACT_GROUP";
  });
}

void validate_definition(const Definition& d) {
  if (d.name.empty()) invalid(d, "empty name");
  if (!std::all_of(d.name.begin(), d.name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      }))
    invalid(d, "name must be CamelCase letters and digits");
  if (d.doc.empty()) invalid(d, "empty 'doc'");
  if (d.sources.empty()) invalid(d, "no sources");
  check_os(d, d.supported_os);
  for (const auto& s : d.sources) {
    check_os(d, s.supported_os);
    if (s.type == "COMMAND" || s.type == "REGISTRY_KEY" || s.type == "REGISTRY_VALUE" ||
        s.type == "WMI")
      invalid(d, "source type " + s.type + " is not applicable offline");
    if (s.type == "ARTIFACT_GROUP") {
      if (s.names.empty()) invalid(d, "ARTIFACT_GROUP without 'names'");
      if (!s.paths.empty()) invalid(d, "ARTIFACT_GROUP with 'paths'");
      continue;
    }
    if (s.type != "FILE" && s.type != "PATH")
      invalid(d, "unknown source type '" + s.type + "' (FILE, PATH or ARTIFACT_GROUP)");
    if (s.paths.empty()) invalid(d, s.type + " source without 'paths'");
    if (!s.names.empty()) invalid(d, s.type + " source with 'names'");
    if (s.separator.size() != 1) invalid(d, "separator must be one character");
    // Windows-separator sources (FA ships them next to Linux ones) are kept but never used.
    if (s.separator != "/") continue;
    for (const auto& p : s.paths) check_path(d, p);
  }
}

void validate_set(const std::vector<Definition>& defs) {
  std::map<std::string, const Definition*> names;
  for (const auto& d : defs) {
    auto claim = [&](const std::string& n, const char* what) {
      auto [it, fresh] = names.emplace(n, &d);
      if (!fresh)
        invalid(d, std::string(what) + " '" + n + "' already defined in " + it->second->file +
                       " (" + it->second->name + ")");
    };
    claim(d.name, "name");
    for (const auto& a : d.aliases) claim(a, "alias");
  }
  for (const auto& d : defs)
    for (const auto& s : d.sources)
      for (const auto& m : s.names)
        if (names.count(m) == 0) invalid(d, "group member '" + m + "' is not defined");
  // Cycle check: iterative three-colour DFS over group edges.
  std::map<const Definition*, int> colour;  // 0 new, 1 on stack, 2 done
  for (const auto& start : defs) {
    if (colour[&start] != 0) continue;
    std::vector<std::pair<const Definition*, size_t>> stack{{&start, 0}};
    colour[&start] = 1;
    while (!stack.empty()) {
      auto& [d, next] = stack.back();
      std::vector<const Definition*> members;
      for (const auto& s : d->sources)
        for (const auto& m : s.names) members.push_back(names.at(m));
      if (next >= members.size()) {
        colour[d] = 2;
        stack.pop_back();
        continue;
      }
      const Definition* m = members[next++];
      if (colour[m] == 1) invalid(*d, "group cycle through '" + m->name + "'");
      if (colour[m] == 0) {
        colour[m] = 1;
        stack.emplace_back(m, 0);
      }
    }
  }
}

}  // namespace deadbox::artifacts
