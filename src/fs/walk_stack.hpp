// SPDX-License-Identifier: Apache-2.0
// The directory walk shared by the ext (TSK) and XFS trees: depth first in listing order, on an
// explicit stack (hostile trees are deep), with loops and the depth cap as diagnostics.
#pragma once
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "deadbox/tree/file_tree.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::fs {

/// What the walk does after handing one listed item to the sink.
enum class WalkStep { kStop, kNext, kDescend };

/// A listed item is a FileEntry, or a struct holding one as `entry`.
inline const tree::FileEntry& walk_entry(const tree::FileEntry& e) {
  return e;
}
template <typename Item>
const tree::FileEntry& walk_entry(const Item& item) {
  return item.entry;
}

/// Walks from the root directory's listing (root_items of directory root_inode).
/// visit(Item&, std::span<const uint64_t> open_dirs) hands one item to the sink and says what
/// next; open_dirs are the inodes of the directories being listed, the root first, the item's
/// own directory last. Before a kDescend item's directory is listed, the walk refuses with a
/// warning an inode already open ("dir_loop": a hard-linked directory pointing at an ancestor is
/// listed once, not re-entered, as fls does) and a depth beyond max_depth ("depth_capped").
/// list(const FileEntry& dir, std::vector<Item>& items) then lists it at depth dir.depth + 1;
/// false means there is nothing to walk there.
template <typename Item, typename Visit, typename List>
void walk_stack(uint64_t root_inode, std::vector<Item> root_items, uint32_t max_depth,
                const std::string& volume, Diagnostics& diag, Visit&& visit, List&& list) {
  struct Frame {
    std::vector<Item> items;
    size_t next = 0;
  };
  std::vector<Frame> stack;
  std::vector<uint64_t> open_dirs;  // inode of each frame
  stack.push_back(Frame{std::move(root_items)});
  open_dirs.push_back(root_inode);
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next >= top.items.size()) {
      stack.pop_back();
      open_dirs.pop_back();
      continue;
    }
    // Moved out: pushing a child frame below may reallocate the stack.
    Item item = std::move(top.items[top.next++]);
    const WalkStep step = visit(item, std::span<const uint64_t>(open_dirs));
    if (step == WalkStep::kStop) return;
    if (step != WalkStep::kDescend) continue;
    const tree::FileEntry& e = walk_entry(item);
    const uint64_t inode = e.stat.inode;
    if (std::find(open_dirs.begin(), open_dirs.end(), inode) != open_dirs.end()) {
      diag.add(DiagLevel::kWarning, Layer::kFs, "dir_loop",
               "directory loop: inode " + std::to_string(inode) + " is its own ancestor", volume,
               e.path, inode);
      continue;
    }
    if (e.depth + 1 > max_depth) {
      diag.add(DiagLevel::kWarning, Layer::kFs, "depth_capped",
               "directory deeper than " + std::to_string(max_depth) + " not walked", volume, e.path,
               inode);
      continue;
    }
    Frame child;
    if (list(e, child.items)) {
      stack.push_back(std::move(child));
      open_dirs.push_back(inode);
    }
  }
}

}  // namespace deadbox::fs
