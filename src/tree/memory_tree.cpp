// SPDX-License-Identifier: Apache-2.0
#include "deadbox/tree/memory_tree.hpp"

#include <algorithm>
#include <cstring>

namespace deadbox::tree {
namespace {

std::string parent_of(const std::string& path) {
  const auto pos = path.rfind('/');
  return pos == 0 || pos == std::string::npos ? "/" : path.substr(0, pos);
}

uint32_t depth_of(const std::string& path) {
  return static_cast<uint32_t>(std::count(path.begin(), path.end(), '/')) - 1;
}

}  // namespace

MemoryTree::MemoryTree() {
  info_.type = "memory";
  info_.reader = "memory";
  info_.root_inode = 2;
  info_.block_size = 4096;
}

void MemoryTree::ensure_parents(const std::string& path) {
  const std::string parent = parent_of(path);
  if (parent == "/" || nodes_.count(parent) != 0) return;
  add_dir(parent);
}

uint64_t MemoryTree::add(std::string path, FileType type, std::string content,
                         std::string target, Stat stat, bool deleted) {
  ensure_parents(path);
  Node node;
  node.entry.path = path;
  node.entry.name_type = type;
  node.entry.name_deleted = deleted;
  node.entry.depth = depth_of(path);
  node.entry.symlink_target = std::move(target);
  node.entry.reader = "memory";
  if (stat.inode == 0) stat.inode = next_inode_++;
  stat.type = type;
  if (stat.mode == 0) stat.mode = type == FileType::kDirectory ? 0755 : 0644;
  if (stat.nlink == 0) stat.nlink = 1;
  stat.allocated = !deleted;
  if (type == FileType::kRegular) stat.size = content.size();
  if (type == FileType::kSymlink) stat.size = node.entry.symlink_target.size();
  node.entry.stat = stat;
  node.content = std::move(content);
  const uint64_t inode = stat.inode;
  nodes_[path] = std::move(node);
  return inode;
}

uint64_t MemoryTree::add_file(std::string path, std::string content, Stat stat) {
  return add(std::move(path), FileType::kRegular, std::move(content), {}, stat, false);
}
uint64_t MemoryTree::add_dir(std::string path, Stat stat) {
  return add(std::move(path), FileType::kDirectory, {}, {}, stat, false);
}
uint64_t MemoryTree::add_symlink(std::string path, std::string target, Stat stat) {
  return add(std::move(path), FileType::kSymlink, {}, std::move(target), stat, false);
}
uint64_t MemoryTree::add_deleted_file(std::string path, std::string content, Stat stat) {
  return add(std::move(path), FileType::kRegular, std::move(content), {}, stat, true);
}

void MemoryTree::walk(const WalkOptions& options, const EntrySink& sink, Diagnostics&) {
  for (const auto& [path, node] : nodes_) {
    if (node.entry.name_deleted && !options.include_deleted) continue;
    if (node.entry.depth > options.max_depth) continue;
    if (!sink(node.entry)) return;
  }
}

std::optional<FileEntry> MemoryTree::lookup(std::string_view path) {
  auto it = nodes_.find(std::string(path));
  if (it == nodes_.end() || it->second.entry.name_deleted) return std::nullopt;
  return it->second.entry;
}

void MemoryTree::list_dir(std::string_view path, bool include_deleted, const EntrySink& sink,
                          Diagnostics&) {
  const std::string dir(path);
  for (const auto& [p, node] : nodes_) {
    if (p == dir || parent_of(p) != dir) continue;
    if (node.entry.name_deleted && !include_deleted) continue;
    if (!sink(node.entry)) return;
  }
}

size_t MemoryTree::read(uint64_t inode, uint64_t offset, std::span<std::byte> buf) {
  for (const auto& [p, node] : nodes_) {
    if (node.entry.stat.inode != inode) continue;
    if (offset >= node.content.size()) return 0;
    const size_t n = std::min<size_t>(buf.size(), node.content.size() - offset);
    std::memcpy(buf.data(), node.content.data() + offset, n);
    return n;
  }
  return 0;
}

}  // namespace deadbox::tree
