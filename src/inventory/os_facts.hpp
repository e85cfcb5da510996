// SPDX-License-Identifier: Apache-2.0
// Private to the inventory: the few host facts every command needs before any parser runs
// (os-release, redhat-release, hostname, fstab), read with small caps from a FileTree.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/inventory/inventory.hpp"

namespace deadbox::inventory::detail {

/// Reads a small regular file, following symlinks inside the tree (never on the host), at most
/// 8 hops; nullopt when absent, not regular, or unreadable. Content capped at max_bytes.
std::optional<std::string> read_small(tree::FileTree& tree, std::string path, size_t max_bytes);

/// os-release(5): KEY=value lines, value optionally quoted, backslash escapes in quotes.
std::map<std::string, std::string> parse_os_release(std::string_view text);

/// fstab(5) lines: comments and malformed lines skipped, \040-style octal escapes decoded.
std::vector<FstabEntry> parse_fstab(std::string_view text);

/// The device an fstab spec names, in terms deadbox can match against volumes.
struct DeviceRef {
  enum class Kind { kNone, kUuid, kLabel, kPartUuid, kLv, kPartitionNumber } kind = Kind::kNone;
  std::string value;   ///< uuid, label or partuuid (lowercased for uuids)
  std::string vg, lv;  ///< for kLv
  int number = 0;      ///< for kPartitionNumber (/dev/sda2 → 2)
};
DeviceRef parse_spec(std::string_view spec);

}  // namespace deadbox::inventory::detail
