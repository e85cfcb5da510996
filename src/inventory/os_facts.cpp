// SPDX-License-Identifier: Apache-2.0
// Host facts from a root filesystem. Refs: os-release(5), fstab(5), lvm2 dm names
// (libdm "--" escaping of '-' in VG/LV names), udev /dev/disk/by-* links.
#include "inventory/os_facts.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace deadbox::inventory::detail {
namespace {

constexpr int kMaxSymlinkHops = 8;
constexpr size_t kMaxFstabLines = 10000;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string dirname(const std::string& p) {
  const auto slash = p.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : p.substr(0, slash);
}

/// "/etc/../usr/lib/os-release" → "/usr/lib/os-release"; ".." never climbs above the root,
/// exactly as the kernel resolves it inside a chroot.
std::string normalize(const std::string& p) {
  std::vector<std::string> parts;
  std::string cur;
  std::istringstream in(p);
  while (std::getline(in, cur, '/')) {
    if (cur.empty() || cur == ".") continue;
    if (cur == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(cur);
  }
  std::string out;
  for (const auto& s : parts) out += "/" + s;
  return out.empty() ? "/" : out;
}

std::string decode_octal(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() &&
        std::all_of(s.begin() + static_cast<long>(i) + 1, s.begin() + static_cast<long>(i) + 4,
                    [](char c) { return c >= '0' && c <= '7'; })) {
      out +=
          static_cast<char>(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> read_small(tree::FileTree& tree, std::string path, size_t max_bytes) {
  for (int hop = 0; hop <= kMaxSymlinkHops; ++hop) {
    auto e = tree.lookup(path);
    if (!e || !e->has_meta) return std::nullopt;
    if (e->stat.type == tree::FileType::kSymlink) {
      const std::string& t = e->symlink_target;
      if (t.empty()) return std::nullopt;
      // Targets resolve inside the examined tree: an absolute target is relative to its root.
      path = normalize(t.front() == '/' ? t : dirname(e->path) + "/" + t);
      continue;
    }
    if (e->stat.type != tree::FileType::kRegular) return std::nullopt;
    try {
      return tree::read_all(tree, e->stat.inode, e->stat.size, max_bytes);
    } catch (const Error&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::map<std::string, std::string> parse_os_release(std::string_view text) {
  std::map<std::string, std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos || eq == 0) continue;
    std::string key = line.substr(0, eq);
    if (!std::all_of(key.begin(), key.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        }))
      continue;
    std::string raw = line.substr(eq + 1);
    while (!raw.empty() && (raw.back() == '\r' || raw.back() == ' ')) raw.pop_back();
    std::string value;
    if (!raw.empty() && (raw[0] == '"' || raw[0] == '\'')) {
      const char q = raw[0];
      for (size_t i = 1; i < raw.size() && raw[i] != q; ++i) {
        if (q == '"' && raw[i] == '\\' && i + 1 < raw.size()) ++i;
        value += raw[i];
      }
    } else {
      value = raw;
    }
    out[key] = value;
  }
  return out;
}

std::vector<FstabEntry> parse_fstab(std::string_view text) {
  std::vector<FstabEntry> out;
  std::istringstream in{std::string(text)};
  size_t n = 0;
  for (std::string line; std::getline(in, line) && n < kMaxFstabLines; ++n) {
    std::istringstream fields(line);
    std::string spec, mp, type, opts;
    if (!(fields >> spec) || spec[0] == '#') continue;
    if (!(fields >> mp >> type)) continue;
    fields >> opts;
    out.push_back({decode_octal(spec), decode_octal(mp), type, opts, {}});
  }
  return out;
}

DeviceRef parse_spec(std::string_view raw) {
  DeviceRef r;
  std::string s(raw);
  auto starts = [&](std::string_view p) { return s.rfind(p, 0) == 0; };
  auto rest = [&](std::string_view p) { return s.substr(p.size()); };
  if (starts("UUID=")) return {DeviceRef::Kind::kUuid, lower(rest("UUID=")), {}, {}, 0};
  if (starts("LABEL=")) return {DeviceRef::Kind::kLabel, rest("LABEL="), {}, {}, 0};
  if (starts("PARTUUID=")) return {DeviceRef::Kind::kPartUuid, lower(rest("PARTUUID=")), {}, {}, 0};
  if (starts("/dev/disk/by-uuid/"))
    return {DeviceRef::Kind::kUuid, lower(rest("/dev/disk/by-uuid/")), {}, {}, 0};
  if (starts("/dev/disk/by-label/"))
    return {DeviceRef::Kind::kLabel, decode_octal(rest("/dev/disk/by-label/")), {}, {}, 0};
  if (starts("/dev/disk/by-partuuid/"))
    return {DeviceRef::Kind::kPartUuid, lower(rest("/dev/disk/by-partuuid/")), {}, {}, 0};
  if (starts("/dev/mapper/")) {
    // device-mapper doubles '-' inside VG and LV names; the single '-' separates them.
    const std::string name = rest("/dev/mapper/");
    std::string vg, lv;
    bool in_lv = false;
    for (size_t i = 0; i < name.size(); ++i) {
      if (name[i] == '-' && i + 1 < name.size() && name[i + 1] == '-') {
        (in_lv ? lv : vg) += '-';
        ++i;
      } else if (name[i] == '-' && !in_lv) {
        in_lv = true;
      } else {
        (in_lv ? lv : vg) += name[i];
      }
    }
    if (in_lv && !vg.empty() && !lv.empty()) return {DeviceRef::Kind::kLv, {}, vg, lv, 0};
    return r;
  }
  if (starts("/dev/")) {
    const std::string dev = rest("/dev/");
    const auto slash = dev.find('/');
    if (slash != std::string::npos && dev.find('/', slash + 1) == std::string::npos)
      return {DeviceRef::Kind::kLv, {}, dev.substr(0, slash), dev.substr(slash + 1), 0};
    // sda2, vda2, xvda2, hda2 → 2; nvme0n1p2, mmcblk0p2 → 2 (the first disk is assumed).
    size_t digits = dev.size();
    while (digits > 0 && std::isdigit(static_cast<unsigned char>(dev[digits - 1]))) --digits;
    if (digits == dev.size() || dev.size() - digits > 3) return r;
    const std::string base = dev.substr(0, digits);
    const bool sd = (base.size() >= 3 && (base.rfind("sd", 0) == 0 || base.rfind("vd", 0) == 0 ||
                                          base.rfind("hd", 0) == 0)) ||
                    base.rfind("xvd", 0) == 0;
    const bool p_style =
        (base.rfind("nvme", 0) == 0 || base.rfind("mmcblk", 0) == 0) && base.back() == 'p';
    if (sd || p_style)
      return {DeviceRef::Kind::kPartitionNumber, {}, {}, {}, std::stoi(dev.substr(digits))};
  }
  return r;
}

}  // namespace deadbox::inventory::detail
