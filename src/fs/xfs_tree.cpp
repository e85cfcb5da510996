// SPDX-License-Identifier: Apache-2.0
// XFS FileTree: names, data and directory structure from libfsxfs 20201117; link count and
// timestamps from the on-disk inode core read directly (libfsxfs of that date has no link-count
// getter and predates bigtime). Ref: XFS Algorithms & Data Structures, "On-disk Inode".
#include "fs/xfs_tree.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "fs/libyal_handles.hpp"
#include "fs/probe_bytes.hpp"
#include "fs/walk_stack.hpp"
#include "fs/xfs_deleted.hpp"

namespace deadbox::fs {
namespace {

using tree::FileEntry;
using tree::FileType;

// Cap on one name or symlink target we copy out; XFS allows 255-byte names, 1 KiB targets.
constexpr size_t kMaxText = 4096;

FileType type_from_mode(uint16_t mode) {
  switch (mode & 0170000) {
    case 0100000: return FileType::kRegular;
    case 0040000: return FileType::kDirectory;
    case 0120000: return FileType::kSymlink;
    case 0020000: return FileType::kCharDev;
    case 0060000: return FileType::kBlockDev;
    case 0010000: return FileType::kFifo;
    case 0140000: return FileType::kSocket;
    default: return FileType::kUnknown;
  }
}

/// XFS_DIR3_FT_* of a directory entry.
FileType type_from_ftype(uint8_t ftype) {
  constexpr FileType kTypes[] = {FileType::kUnknown, FileType::kRegular, FileType::kDirectory,
                                 FileType::kCharDev, FileType::kBlockDev, FileType::kFifo,
                                 FileType::kSocket,  FileType::kSymlink,  FileType::kWhiteout};
  return ftype < std::size(kTypes) ? kTypes[ftype] : FileType::kUnknown;
}

class XfsTree final : public tree::FileTree {
 public:
  XfsTree(std::shared_ptr<image::ByteSource> source, tree::FsInfo info, std::string volume)
      : source_(source),
        io_(source),
        volume_handle_(io_.get(), volume),
        info_(std::move(info)),
        volume_(std::move(volume)),
        geo_(xfs::read_geometry(*source_)) {}

  const tree::FsInfo& info() const override { return info_; }

  void walk(const tree::WalkOptions& options, const tree::EntrySink& sink,
            Diagnostics& diag) override {
    XfsEntry root_entry = root_dir();
    std::vector<FileEntry> root_items;
    list_entry(root_entry, "/", 0, root_items, diag);
    if (options.include_deleted) append_deleted(info_.root_inode, "/", 0, root_items, diag);
    walk_stack(
        info_.root_inode, std::move(root_items), options.max_depth, volume_, diag,
        [&](const FileEntry& e, std::span<const uint64_t>) {
          if (!sink(e)) return WalkStep::kStop;
          const bool live_dir = e.stat.type == FileType::kDirectory && !e.name_deleted;
          return live_dir ? WalkStep::kDescend : WalkStep::kNext;
        },
        [&](const FileEntry& dir, std::vector<FileEntry>& items) {
          XfsEntry handle = by_inode(dir.stat.inode, dir.path, diag);
          if (handle) list_entry(handle, dir.path, dir.depth + 1, items, diag);
          if (options.include_deleted)
            append_deleted(dir.stat.inode, dir.path, dir.depth + 1, items, diag);
          return true;  // an empty listing is walked as one
        });
  }

  std::optional<FileEntry> lookup(std::string_view path) override {
    XfsEntry cur = root_dir();
    std::string so_far;
    size_t pos = 0;
    uint32_t depth = 0;
    bool any = false;
    while (pos < path.size()) {
      while (pos < path.size() && path[pos] == '/') ++pos;
      if (pos >= path.size()) break;
      const size_t end = std::min(path.find('/', pos), path.size());
      const std::string_view name = path.substr(pos, end - pos);
      pos = end;
      // Intermediate components must be real directories: symlinks are never followed.
      uint16_t mode = 0;
      libfsxfs_error_t* error = nullptr;
      if (libfsxfs_file_entry_get_file_mode(cur.get(), &mode, &error) != 1) {
        take_fsxfs_error(&error);
        return std::nullopt;
      }
      if (type_from_mode(mode) != FileType::kDirectory) return std::nullopt;
      // libfsxfs 20201117's get_sub_file_entry_by_utf8_name fails (-1, no message) on short-form
      // directories, so compare names ourselves.
      XfsEntry next = find_child(cur, name);
      if (!next) return std::nullopt;
      cur = std::move(next);
      so_far += '/';
      so_far += name;
      depth += any ? 1 : 0;
      any = true;
    }
    Diagnostics ignored;
    FileEntry e = to_entry(cur, any ? so_far : "/", depth, ignored);
    if (!any) e.path = "/";
    return e;
  }

  void list_dir(std::string_view path, bool include_deleted, const tree::EntrySink& sink,
                Diagnostics& diag) override {
    auto dir = lookup(path);
    if (!dir || dir->stat.type != FileType::kDirectory) return;
    XfsEntry handle = by_inode(dir->stat.inode, dir->path, diag);
    if (!handle) return;
    std::vector<FileEntry> items;
    const bool is_root = dir->path == "/";
    list_entry(handle, dir->path, is_root ? 0 : dir->depth + 1, items, diag);
    if (include_deleted)
      append_deleted(dir->stat.inode, dir->path, is_root ? 0 : dir->depth + 1, items, diag);
    for (const FileEntry& e : items)
      if (!sink(e)) return;
  }

  size_t read(uint64_t inode, uint64_t offset, std::span<std::byte> buf) override {
    if (!cached_ || cached_inode_ != inode) {
      libfsxfs_error_t* error = nullptr;
      cached_inode_ = inode;
      if (libfsxfs_volume_get_file_entry_by_inode(volume_handle_.get(), inode, cached_.out(),
                                                  &error) != 1) {
        cached_.reset();
        throw_fsxfs(&error, "read_error", volume_, "inode " + std::to_string(inode));
      }
    }
    libfsxfs_error_t* error = nullptr;
    size64_t size = 0;
    if (libfsxfs_file_entry_get_size(cached_.get(), &size, &error) != 1)
      throw_fsxfs(&error, "read_error", volume_, "inode " + std::to_string(inode));
    if (offset >= size || buf.empty()) return 0;
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), size - offset));
    const ssize_t n = libfsxfs_file_entry_read_buffer_at_offset(
        cached_.get(), buf.data(), want, static_cast<off64_t>(offset), &error);
    if (n < 0) throw_fsxfs(&error, "read_error", volume_, "inode " + std::to_string(inode));
    return static_cast<size_t>(n);
  }

 private:
  XfsEntry find_child(XfsEntry& dir, std::string_view name) {
    libfsxfs_error_t* error = nullptr;
    int count = 0;
    if (libfsxfs_file_entry_get_number_of_sub_file_entries(dir.get(), &count, &error) != 1) {
      take_fsxfs_error(&error);
      return {};
    }
    for (int i = 0; i < count; ++i) {
      XfsEntry sub;
      if (libfsxfs_file_entry_get_sub_file_entry_by_index(dir.get(), i, sub.out(), &error) != 1) {
        take_fsxfs_error(&error);
        continue;
      }
      auto n = text<&libfsxfs_file_entry_get_utf8_name_size, &libfsxfs_file_entry_get_utf8_name>(
          sub.get());
      if (n && *n == name) return sub;
    }
    return {};
  }

  XfsEntry root_dir() {
    XfsEntry root;
    libfsxfs_error_t* error = nullptr;
    if (libfsxfs_volume_get_root_directory(volume_handle_.get(), root.out(), &error) != 1)
      throw_fsxfs(&error, "corrupt", volume_, "root directory");
    return root;
  }

  XfsEntry by_inode(uint64_t ino, const std::string& path, Diagnostics& diag) {
    XfsEntry e;
    libfsxfs_error_t* error = nullptr;
    if (libfsxfs_volume_get_file_entry_by_inode(volume_handle_.get(), ino, e.out(), &error) != 1) {
      diag.add(
          DiagLevel::kError, Layer::kFs, "dir_unreadable",
          "directory inode " + std::to_string(ino) + " not listed: " + take_fsxfs_error(&error),
          volume_, path, ino);
      e.reset();
    }
    return e;
  }

  /// Text getter of libfsxfs (name or symlink target) with a size cap; nullopt on failure.
  template <auto SizeFn, auto GetFn>
  std::optional<std::string> text(libfsxfs_file_entry_t* e) {
    size_t size = 0;
    libfsxfs_error_t* error = nullptr;
    const int rc = SizeFn(e, &size, &error);
    if (rc != 1 || size == 0 || size > kMaxText) {
      take_fsxfs_error(&error);
      return std::nullopt;
    }
    std::string out(size, '\0');
    if (GetFn(e, reinterpret_cast<uint8_t*>(out.data()), size, &error) != 1) {
      take_fsxfs_error(&error);
      return std::nullopt;
    }
    out.resize(out.find('\0') == std::string::npos ? out.size() : out.find('\0'));
    return out;
  }

  FileEntry to_entry(XfsEntry& h, const std::string& path, uint32_t depth, Diagnostics& diag) {
    FileEntry e;
    e.path = path;
    e.depth = depth;
    e.reader = "libfsxfs";
    libfsxfs_file_entry_t* f = h.get();
    libfsxfs_error_t* error = nullptr;
    uint64_t ino = 0;
    uint16_t mode = 0;
    uint32_t uid = 0, gid = 0;
    size64_t size = 0;
    bool ok = libfsxfs_file_entry_get_inode_number(f, &ino, &error) == 1;
    ok = ok && libfsxfs_file_entry_get_file_mode(f, &mode, &error) == 1;
    ok = ok && libfsxfs_file_entry_get_owner_identifier(f, &uid, &error) == 1;
    ok = ok && libfsxfs_file_entry_get_group_identifier(f, &gid, &error) == 1;
    ok = ok && libfsxfs_file_entry_get_size(f, &size, &error) == 1;
    if (!ok) {
      diag.add(DiagLevel::kWarning, Layer::kFs, "bad_inode",
               "inode metadata unreadable: " + take_fsxfs_error(&error), volume_, path, ino);
      e.has_meta = false;
    }
    e.stat.inode = ino;
    e.stat.type = type_from_mode(mode);
    e.stat.mode = mode & 07777;
    e.stat.uid = uid;
    e.stat.gid = gid;
    e.stat.size = size;
    read_core(ino, e.stat);
    e.name_type = e.stat.type;
    if (e.stat.type == FileType::kSymlink) {
      auto target = text<&libfsxfs_file_entry_get_utf8_symbolic_link_target_size,
                         &libfsxfs_file_entry_get_utf8_symbolic_link_target>(f);
      if (target) e.symlink_target = *target;
    }
    return e;
  }

  /// Type, mode, owner, size, link count and timestamps straight from the inode core
  /// (libfsxfs 20201117 has no link-count getter, predates bigtime and reports 0 as the size
  /// of directories). Left as libfsxfs gave them when the core looks wrong.
  void read_core(uint64_t ino, tree::Stat& st) {
    if (!geo_) return;
    const auto core = xfs::read_raw_inode(*source_, *geo_, ino);
    if (!core) return;
    st.type = type_from_mode(core->mode);
    copy_core(*core, st);
  }

  /// Everything an inode core says but its type (a freed core, mode 0, no longer has one).
  static void copy_core(const xfs::RawInode& core, tree::Stat& st) {
    st.mode = core.mode & 07777;
    st.uid = core.uid;
    st.gid = core.gid;
    st.size = core.size;
    st.nlink = core.nlink;
    st.atime = core.atime;
    st.mtime = core.mtime;
    st.ctime = core.ctime;
    st.crtime = core.crtime;
  }

  /// Deleted names carved from the directory's data blocks (libfsxfs lists allocated names
  /// only), with what the freed — or reused — inode core still says.
  void append_deleted(uint64_t dir_inode, const std::string& dir_path, uint32_t depth,
                      std::vector<FileEntry>& out, Diagnostics& diag) {
    if (!geo_) return;
    for (auto& d : xfs::carve_deleted_dirents(*source_, *geo_, dir_inode, diag, volume_)) {
      FileEntry e;
      e.path = tree::join_path(dir_path, d.name);
      e.depth = depth;
      e.reader = "xfs_carve";
      e.name_deleted = true;
      e.name_type = type_from_ftype(d.ftype);
      e.stat.inode = d.inode;
      e.stat.type = e.name_type;
      e.stat.allocated = false;
      if (const auto core = xfs::read_raw_inode(*source_, *geo_, d.inode)) {
        // mode 0: freed, times survive; otherwise the inode now belongs to another file.
        e.meta_reallocated = core->mode != 0;
        e.stat.allocated = core->mode != 0;
        if (core->mode != 0) e.stat.type = type_from_mode(core->mode);
        copy_core(*core, e.stat);
      } else {
        e.has_meta = false;
      }
      out.push_back(std::move(e));
    }
    std::sort(out.begin(), out.end(),
              [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  }

  /// Reads one directory's names, sorted by name bytes: libfsxfs returns them in on-disk
  /// (hash/leaf) order, which is stable for one image but not meaningful; sorting makes the
  /// listing independent of the directory format (short form, block, leaf, node, btree).
  void list_entry(XfsEntry& dir, const std::string& dir_path, uint32_t depth,
                  std::vector<FileEntry>& out, Diagnostics& diag) {
    libfsxfs_error_t* error = nullptr;
    int count = 0;
    if (libfsxfs_file_entry_get_number_of_sub_file_entries(dir.get(), &count, &error) != 1) {
      diag.add(DiagLevel::kError, Layer::kFs, "dir_unreadable",
               "directory not listed: " + take_fsxfs_error(&error), volume_, dir_path);
      return;
    }
    for (int i = 0; i < count; ++i) {
      XfsEntry sub;
      if (libfsxfs_file_entry_get_sub_file_entry_by_index(dir.get(), i, sub.out(), &error) != 1) {
        diag.add(DiagLevel::kWarning, Layer::kFs, "bad_dirent",
                 "entry " + std::to_string(i) + " unreadable: " + take_fsxfs_error(&error), volume_,
                 dir_path);
        continue;
      }
      auto name = text<&libfsxfs_file_entry_get_utf8_name_size, &libfsxfs_file_entry_get_utf8_name>(
          sub.get());
      uint64_t ino = 0;
      libfsxfs_file_entry_get_inode_number(sub.get(), &ino, &error);
      take_fsxfs_error(&error);
      if (!name || name->empty() || name->find('/') != std::string::npos) {
        diag.add(DiagLevel::kWarning, Layer::kFs, "bad_name",
                 "directory entry with an unreadable name (inode " + std::to_string(ino) + ")",
                 volume_, dir_path, ino);
        name = "$bad_name_inode_" + std::to_string(ino);
      }
      out.push_back(to_entry(sub, tree::join_path(dir_path, *name), depth, diag));
    }
    std::sort(out.begin(), out.end(),
              [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  }

  // Parent → child order: source, bfio handle, volume, cached entry (destroyed in reverse).
  std::shared_ptr<image::ByteSource> source_;
  BfioSourceHandle io_;
  XfsVolume volume_handle_;
  tree::FsInfo info_;
  std::string volume_;
  std::optional<xfs::Geometry> geo_;
  XfsEntry cached_;
  uint64_t cached_inode_ = 0;
};

}  // namespace

std::unique_ptr<tree::FileTree> open_xfs_tree(std::shared_ptr<image::ByteSource> source,
                                              const Probe& probe, const std::string& volume_name) {
  tree::FsInfo info;
  info.type = "xfs";
  info.label = probe.label;
  info.uuid = probe.uuid;
  info.block_size = probe.block_size;
  info.block_count = probe.block_count;
  info.inode_count = probe.inode_count;
  {
    std::array<std::byte, 64> sb{};
    source->read_at(0, sb);
    info.root_inode = Bytes{sb}.be64(56);
  }
  info.reader = std::string("libfsxfs ") + libfsxfs_get_version();
  return std::make_unique<XfsTree>(std::move(source), std::move(info), volume_name);
}

}  // namespace deadbox::fs
