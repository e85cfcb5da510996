// SPDX-License-Identifier: Apache-2.0
// Helpers for the files/* checks (see common.hpp).
#include "checks/files/common.hpp"

#include <algorithm>

namespace deadbox::checks::files {

Evidence evidence_of(const parsers::Record& r, std::string excerpt) {
  Evidence e;
  if (r.source) {
    e.volume = r.source->volume;
    e.path = r.source->path;
    e.inode = r.source->inode;
  }
  e.line = r.line;
  e.record_type = r.type;
  e.excerpt = std::move(excerpt);
  for (const char* key : {"crtime", "mtime", "ctime", "atime"})
    if (auto t = r.time(key)) e.times.emplace_back(key, *t);
  return e;
}

bool under(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  return path.starts_with(dir) && (path.size() == dir.size() || path[dir.size()] == '/');
}

bool under_any(std::string_view path, std::initializer_list<std::string_view> dirs) {
  return std::any_of(dirs.begin(), dirs.end(), [&](std::string_view d) { return under(path, d); });
}

std::string_view parent_of(std::string_view path) {
  const auto slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

bool in_home_dotdir(std::string_view path) {
  std::string_view rest;
  if (path.starts_with("/root/")) {
    rest = path.substr(6);
  } else if (path.starts_with("/home/")) {
    rest = path.substr(6);
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return false;
    rest = rest.substr(slash + 1);
  } else {
    return false;
  }
  // A dot-directory, not a dotfile in the home itself (.bashrc is not a directory).
  return rest.size() > 1 && rest.front() == '.' && rest.find('/') != std::string_view::npos;
}

void set_seen(Finding& f) {
  for (const auto& e : f.evidence)
    for (const auto& [name, ns] : e.times) {
      if (name == "atime") continue;  // reads, not events the finding is about
      if (!f.first_seen || ns < *f.first_seen) f.first_seen = ns;
      if (!f.last_seen || ns > *f.last_seen) f.last_seen = ns;
    }
}

std::string_view path_of(const parsers::Record& r) {
  return r.source ? std::string_view(r.source->path) : std::string_view();
}

}  // namespace deadbox::checks::files
