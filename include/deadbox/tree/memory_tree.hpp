// SPDX-License-Identifier: Apache-2.0
// MemoryTree: an in-memory FileTree (dissect's VirtualFilesystem) for tests of consumers,
// artifact resolution and parsers drivers without a disk image.
#pragma once
#include <map>
#include <string>

#include "deadbox/tree/file_tree.hpp"

namespace deadbox::tree {

class MemoryTree final : public FileTree {
 public:
  MemoryTree();
  /// Adds a regular file (parents created as directories). Returns its inode.
  uint64_t add_file(std::string path, std::string content, Stat stat = {});
  uint64_t add_dir(std::string path, Stat stat = {});
  uint64_t add_symlink(std::string path, std::string target, Stat stat = {});
  /// Adds a deleted name (name_deleted = true) whose content may still be readable.
  uint64_t add_deleted_file(std::string path, std::string content, Stat stat = {});

  const FsInfo& info() const override { return info_; }
  void walk(const WalkOptions& options, const EntrySink& sink, Diagnostics& diag) override;
  std::optional<FileEntry> lookup(std::string_view path) override;
  void list_dir(std::string_view path, bool include_deleted, const EntrySink& sink,
                Diagnostics& diag) override;
  size_t read(uint64_t inode, uint64_t offset, std::span<std::byte> buf) override;

 private:
  struct Node {
    FileEntry entry;
    std::string content;
  };
  uint64_t add(std::string path, FileType type, std::string content, std::string target,
               Stat stat, bool deleted);
  void ensure_parents(const std::string& path);

  FsInfo info_;
  uint64_t next_inode_ = 12;
  std::map<std::string, Node> nodes_;  // by path; sorted = parents before children
};

}  // namespace deadbox::tree
