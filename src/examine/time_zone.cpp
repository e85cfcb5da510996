// SPDX-License-Identifier: Apache-2.0
// --tz auto: the suspect system's own zone, read as data from its root filesystem
// (/etc/localtime is a symlink into zoneinfo on systemd systems; Debian also has
// /etc/timezone). It only changes the human date column of the CSV: every other output is UTC.
#include <algorithm>

#include "examine/internal.hpp"

namespace deadbox::examine::detail {
namespace {

/// A zone name is letters, digits and "/_+-" only: the value comes from the image and later
/// reaches TZ and a zoneinfo lookup on the analyst's machine.
bool plausible_zone(const std::string& z) {
  if (z.empty() || z.size() > 64 || z.front() == '/' || z.find("..") != std::string::npos)
    return false;
  return std::all_of(z.begin(), z.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '/' || c == '_' || c == '+' || c == '-';
  });
}

}  // namespace

TimeZoneDecision decide_time_zone(const std::string& option, inventory::Inventory& inv) {
  TimeZoneDecision d;
  if (option != "auto") {
    d.zone = option;
    d.source = "option --tz";
    return d;
  }
  for (auto& v : inv.volumes) {
    if (!v.is_root || !v.tree) continue;
    if (auto lt = v.tree->lookup("/etc/localtime"); lt && !lt->symlink_target.empty()) {
      const std::string& target = lt->symlink_target;
      const auto pos = target.find("zoneinfo/");
      if (pos != std::string::npos) {
        const std::string zone = target.substr(pos + 9);
        if (plausible_zone(zone)) {
          d.zone = zone;
          d.source = "/etc/localtime on " + v.volume.name;
          return d;
        }
      }
    }
    if (auto tz = v.tree->lookup("/etc/timezone"); tz && tz->stat.type == tree::FileType::kRegular) {
      std::string text = tree::read_all(*v.tree, tz->stat.inode, tz->stat.size, 128);
      text = text.substr(0, text.find('\n'));
      if (plausible_zone(text)) {
        d.zone = text;
        d.source = "/etc/timezone on " + v.volume.name;
        return d;
      }
    }
  }
  d.source = "auto: no readable /etc/localtime link or /etc/timezone, UTC";
  return d;
}

}  // namespace deadbox::examine::detail
