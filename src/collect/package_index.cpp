// SPDX-License-Identifier: Apache-2.0
// dpkg file lists → set of package-owned paths. Ref: dpkg(1) /var/lib/dpkg/info/<pkg>.list,
// formats-and-libraries.md §4.6.
#include "collect/package_index.hpp"

#include <vector>

#include "deadbox/util/error.hpp"

namespace deadbox::collect {
namespace {

constexpr const char* kUsrMerged[] = {"/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"};

}  // namespace

void PackageIndex::add(std::string path) {
  // Debian 12 is usr-merged: a list may say /bin/ls while the walk reaches /usr/bin/ls (the
  // /bin symlink is not followed), and packages moved in bookworm may list either form.
  for (const char* p : kUsrMerged) {
    if (path.starts_with(p)) paths_.insert("/usr" + path);
  }
  if (path.starts_with("/usr/")) {
    for (const char* p : kUsrMerged)
      if (std::string_view(path).substr(4).starts_with(p)) paths_.insert(path.substr(4));
  }
  paths_.insert(std::move(path));
}

bool PackageIndex::owns(std::string_view system_path) const {
  return paths_.find(std::string(system_path)) != paths_.end();
}

void PackageIndex::load(tree::FileTree& root, const std::string& volume, uint64_t max_bytes,
                        Diagnostics& diag) {
  for (const char* rpmdb : {"/var/lib/rpm", "/usr/lib/sysimage/rpm"}) {
    if (root.lookup(rpmdb))
      diag.add(DiagLevel::kInfo, Layer::kParser, "rpmdb_not_read",
               "rpm database present but not read: package ownership unknown for rpm files", volume,
               rpmdb);
  }
  std::vector<tree::FileEntry> lists;
  root.list_dir(
      "/var/lib/dpkg/info", false,
      [&](const tree::FileEntry& e) {
        if (e.path.ends_with(".list") && e.stat.type == tree::FileType::kRegular)
          lists.push_back(e);
        return true;
      },
      diag);
  uint64_t used = 0;
  for (const auto& e : lists) {
    if (used + e.stat.size > max_bytes) {
      diag.add(DiagLevel::kWarning, Layer::kParser, "capped",
               "dpkg file lists exceed the budget; later lists not read", volume, e.path,
               e.stat.inode);
      break;
    }
    std::string text;
    try {
      text = tree::read_all(root, e.stat.inode, e.stat.size, max_bytes - used);
    } catch (const Error& err) {
      diag.add(DiagLevel::kWarning, Layer::kParser, "unreadable", err.what(), volume, e.path,
               e.stat.inode);
      continue;
    }
    used += text.size();
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      std::string_view line(text.data() + pos, nl - pos);
      if (!line.empty() && line.front() == '/' && line != "/.") add(std::string(line));
      pos = nl + 1;
    }
  }
}

}  // namespace deadbox::collect
