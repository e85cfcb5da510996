// SPDX-License-Identifier: Apache-2.0
// Native ext directory listing with fls's semantics (see ext_walk.hpp). The rules mirrored
// from TSK 4.11.1 tsk/fs/fs_dir.c: a name's inode is loaded when the inode number is non-zero
// or the name is live; fls descends into a directory name over a directory inode when the name
// is live, or both name and inode are free; $OrphanFiles lists free inodes with a ctime that no
// name (live or deleted) reaches, minus what is reachable inside orphan directories.
// Deliberate differences, all on corrupt input: a deleted name with inode 0 has no metadata
// (TSK shows the previous name's), and a name pointing at TSK's virtual orphan inode number
// is not treated as $OrphanFiles.
#include "fs/ext_walk.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

namespace deadbox::fs {
namespace {

using tree::FileEntry;
using tree::FileType;

constexpr const char* kReader = "ext_native";
constexpr size_t kMaxNames = 10'000'000;  // one directory; beyond: diagnostic, rest dropped
constexpr size_t kReadChunk = 1u << 20;   // directory data read in runs of at most 1 MiB
constexpr uint32_t kTskMaxDepth = 128;    // TSK's MAX_DEPTH for the orphan subtree walk

bool is_dot(const std::string& n) {
  return n == "." || n == "..";
}

}  // namespace

// fs_dir.c's recursion rule, verbatim in meaning: a directory name (or an undefined one) over a
// directory inode, and either a live name or a deleted name over a free inode (a deleted name
// over a reused inode is someone else's directory now).
bool fls_would_recurse(const FileEntry& e) {
  const auto dir_like = [](FileType t) {
    return t == FileType::kDirectory || t == FileType::kVirtual;
  };
  if (!e.has_meta || !(dir_like(e.name_type) || e.name_type == FileType::kUnknown) ||
      !dir_like(e.stat.type))
    return false;
  return !e.name_deleted || !e.stat.allocated;
}

std::unique_ptr<ExtNativeLister> ExtNativeLister::open(std::shared_ptr<image::ByteSource> source,
                                                       bool tsk_says_ext4, std::string volume,
                                                       std::string& why) {
  auto layout = ext::read_layout(*source, tsk_says_ext4, why);
  if (!layout) return nullptr;
  return std::unique_ptr<ExtNativeLister>(
      new ExtNativeLister(std::move(source), std::move(*layout), std::move(volume)));
}

ExtNativeLister::ExtNativeLister(std::shared_ptr<image::ByteSource> source, ext::Layout layout,
                                 std::string volume)
    : source_(std::move(source)),
      layout_(std::move(layout)),
      volume_(std::move(volume)),
      inodes_(*source_, layout_) {}

bool ExtNativeLister::read_names(uint64_t inode, const ext::Inode& dir, ext::DirNames& names,
                                 const std::string& path, Diagnostics& diag) {
  if (dir.inline_data) return false;
  // fls reads the directory's size rounded up to whole blocks (ext2fs_dir_open_meta).
  const uint64_t bs = layout_.block_size;
  const uint64_t blocks = (dir.stat.size + bs - 1) / bs;
  std::vector<ext::Run> runs;
  if (!ext::map_blocks(*source_, layout_, dir, blocks, [&](const ext::Run& r) {
        if (r.physical != 0) runs.push_back(r);  // holes read as zeros: no names
      }))
    return false;
  const bool typed = (layout_.incompat & ext::kIncompatFiletype) != 0;
  const bool dir_deleted = !dir.stat.allocated;
  for (const ext::Run& r : runs) {
    uint64_t done = 0;
    while (done < r.length) {
      const uint64_t n = std::min<uint64_t>(r.length - done, kReadChunk / bs);
      block_buf_.resize(static_cast<size_t>(n * bs));
      size_t got = 0;
      try {
        got =
            source_->read_at((r.physical + done) * bs,
                             {reinterpret_cast<std::byte*>(block_buf_.data()), block_buf_.size()});
      } catch (const std::exception&) {
        return false;  // TSK's reader decides what to keep of an unreadable directory
      }
      if (got != block_buf_.size()) return false;
      for (uint64_t b = 0; b < n; ++b) {
        ext::parse_dir_block(block_buf_.data() + b * bs, bs, dir_deleted, typed, orphan_dir_inode(),
                             names);
      }
      if (names.size() > kMaxNames) {
        diag.add(DiagLevel::kWarning, Layer::kFs, "dir_capped",
                 "directory inode " + std::to_string(inode) + " has more than " +
                     std::to_string(kMaxNames) + " names; the rest are not listed",
                 volume_, path, inode);
        return true;
      }
      done += n;
    }
  }
  // Say which path was taken where fls would have lost the directory: TSK 4.11.1 cannot map an
  // extent tree with more than one leaf ("fs_attr_add_run: error adding additional run").
  const uint16_t root_entries = ext::le16(dir.block + 2), depth = ext::le16(dir.block + 6);
  if (dir.extents && (depth > 1 || (depth == 1 && root_entries > 1))) {
    diag.add(DiagLevel::kInfo, Layer::kFs, "ext_dir_beyond_tsk",
             "directory inode " + std::to_string(inode) + " (" + std::to_string(names.size()) +
                 " names) has an extent tree with more than one leaf, which fls 4.11.1 drops; "
                 "read natively",
             volume_, path, inode);
  }
  return true;
}

void ExtNativeLister::note_listed(const FileEntry& e) {
  if (e.has_meta && !e.stat.allocated) named_free_.insert(e.stat.inode);
}

void ExtNativeLister::fill_meta(FileEntry& e, Diagnostics& diag) {
  e.has_meta = false;
  e.stat.allocated = false;
  if (e.stat.inode == 0 && e.name_deleted) return;
  auto ino = inodes_.load(e.stat.inode);
  if (!ino) {
    // Listed without metadata (bodyfile "-/----------"), never dropped, and said.
    diag.add(DiagLevel::kWarning, Layer::kFs, "inode_unreadable",
             "inode " + std::to_string(e.stat.inode) +
                 " named by a directory entry cannot be read (out of range, or its group's "
                 "inode table or bitmap unreadable)",
             volume_, e.path, e.stat.inode);
    return;
  }
  const uint64_t inode = e.stat.inode;
  e.stat = ino->stat;
  e.stat.inode = inode;
  e.has_meta = true;
  e.meta_reallocated = e.name_deleted && e.stat.allocated;
  e.symlink_target = std::move(ino->symlink_target);
}

bool ExtNativeLister::list(const FileEntry& dir, const tree::WalkOptions& options,
                           std::vector<ListedItem>& out, Diagnostics& diag) {
  const bool is_root = dir.depth == 0 && dir.path == "/";
  if (dir.stat.inode == orphan_dir_inode() && dir.stat.type == FileType::kVirtual) {
    list_orphans(dir, out, diag);
    return true;
  }
  auto meta = inodes_.load(dir.stat.inode);
  if (!meta) return false;
  ext::DirNames names;
  if (!read_names(dir.stat.inode, *meta, names, dir.path, diag)) return false;
  if (is_root) named_free_.clear();
  const uint32_t depth = is_root ? 0 : dir.depth + 1;
  for (ext::DirName& n : names.names()) {
    FileEntry e;
    e.name_deleted = n.deleted;
    e.stat.inode = n.inode;
    if (is_dot(n.name)) {
      // Not listed, but their inodes count as named for the orphan search, as in TSK's walk.
      Diagnostics unlisted;  // a bad "." or ".." inode is the directory's, reported with it
      fill_meta(e, unlisted);
      note_listed(e);
      continue;
    }
    if (n.deleted && !options.include_deleted) continue;
    e.path = tree::join_path(dir.path, n.name);
    e.depth = depth;
    e.name_type = n.type;
    e.reader = kReader;
    fill_meta(e, diag);
    note_listed(e);
    ListedItem item;
    item.recurse = fls_would_recurse(e);
    item.entry = std::move(e);
    out.push_back(std::move(item));
  }
  if (is_root && options.include_orphans) {
    // TSK's virtual directory (tsk_fs_dir_make_orphan_dir_name/_meta), listed last so every
    // named inode is known when it is opened.
    ListedItem item;
    FileEntry& e = item.entry;
    e.path = "/$OrphanFiles";
    e.name_type = FileType::kVirtual;
    e.reader = kReader;
    e.stat.inode = orphan_dir_inode();
    e.stat.type = FileType::kVirtual;
    e.stat.nlink = 1;
    item.recurse = true;
    out.push_back(std::move(item));
  }
  return true;
}

void ExtNativeLister::list_orphans(const FileEntry& dir, std::vector<ListedItem>& out,
                                   Diagnostics& diag) {
  orphan_subtree_.clear();
  std::vector<ListedItem> found;
  const uint64_t ipg = layout_.inodes_per_group, isz = layout_.inode_size;
  std::vector<uint8_t> bitmap, table;
  for (uint64_t g = 0; g < layout_.groups.size(); ++g) {
    const ext::Group& grp = layout_.groups[g];
    const uint64_t first = g * ipg + 1;
    if (!grp.valid || first > layout_.inodes_count) continue;
    const uint64_t count = std::min<uint64_t>(grp.ever_used, layout_.inodes_count - first + 1);
    if (count == 0) continue;
    // Group by group in large sequential reads: the bitmap, then the table in slices.
    bitmap.resize(static_cast<size_t>((count + 7) / 8));
    const uint64_t per_slice = std::max<uint64_t>(kReadChunk / isz, 1);
    uint64_t slice_start = 0, slice_len = 0;
    try {
      if (source_->read_at(grp.inode_bitmap * layout_.block_size,
                           {reinterpret_cast<std::byte*>(bitmap.data()), bitmap.size()}) !=
          bitmap.size())
        throw std::runtime_error("inode bitmap unreadable");
    } catch (const std::exception& e) {
      diag.add(DiagLevel::kWarning, Layer::kFs, "orphan_scan_partial",
               "inode group " + std::to_string(g) + " not searched for orphans: " + e.what(),
               volume_, dir.path);
      continue;
    }
    for (uint64_t i = 0; i < count; ++i) {
      if ((bitmap[i / 8] >> (i % 8)) & 1) continue;  // allocated
      if (i >= slice_start + slice_len) {
        slice_start = i;
        slice_len = std::min(per_slice, count - i);
        table.resize(static_cast<size_t>(slice_len * isz));
        size_t got = 0;
        try {
          got = source_->read_at(grp.inode_table * layout_.block_size + i * isz,
                                 {reinterpret_cast<std::byte*>(table.data()), table.size()});
        } catch (const std::exception&) {
        }
        if (got != table.size()) {
          diag.add(DiagLevel::kWarning, Layer::kFs, "orphan_scan_partial",
                   "inode table of group " + std::to_string(g) + " unreadable from inode " +
                       std::to_string(first + i) + ": not searched for orphans",
                   volume_, dir.path);
          break;
        }
      }
      if (ext::le32(table.data() + (i - slice_start) * isz + 12) == 0) continue;  // ctime 0: unused
      const uint64_t inum = first + i;
      if (named_free_.count(inum) != 0 || orphan_subtree_.count(inum) != 0) continue;
      ListedItem item;
      FileEntry& e = item.entry;
      e.path = tree::join_path(dir.path, "OrphanFile-" + std::to_string(inum));
      e.depth = dir.depth + 1;
      e.name_type = FileType::kUnknown;
      e.name_deleted = true;
      e.reader = kReader;
      e.stat.inode = inum;
      fill_meta(e, diag);
      if (e.has_meta && e.stat.type == FileType::kDirectory) {
        std::vector<uint64_t> open_dirs{inum};
        mark_orphan_subtree(inum, open_dirs, diag);
      }
      item.recurse = fls_would_recurse(e);
      found.push_back(std::move(item));
    }
  }
  // Orphans listed before their orphan parent directory was found are reachable through it.
  for (ListedItem& item : found)
    if (orphan_subtree_.count(item.entry.stat.inode) == 0) out.push_back(std::move(item));
}

bool ExtNativeLister::mark_orphan_subtree(uint64_t inode, std::vector<uint64_t>& open_dirs,
                                          Diagnostics& diag) {
  auto meta = inodes_.load(inode);
  if (!meta) return true;
  ext::DirNames names;
  if (!read_names(inode, *meta, names, {}, diag)) return true;
  for (ext::DirName& n : names.names()) {
    FileEntry e;
    e.name_deleted = n.deleted;
    e.name_type = n.type;
    e.stat.inode = n.inode;
    Diagnostics again;  // these names are listed (and reported) below $OrphanFiles anyway
    fill_meta(e, again);
    const bool dot = is_dot(n.name);
    // TSK's callback sees only deleted names, and stops the whole subtree walk at a live
    // inode or one already seen (load_orphan_dir_walk_cb).
    if (!dot && n.deleted && e.has_meta) {
      if (e.stat.allocated || orphan_subtree_.count(e.stat.inode) != 0) return false;
      orphan_subtree_.insert(e.stat.inode);
    }
    if (dot || !fls_would_recurse(e) || open_dirs.size() >= kTskMaxDepth) continue;
    if (std::find(open_dirs.begin(), open_dirs.end(), e.stat.inode) != open_dirs.end()) continue;
    open_dirs.push_back(e.stat.inode);
    const bool go_on = mark_orphan_subtree(e.stat.inode, open_dirs, diag);
    open_dirs.pop_back();
    if (!go_on) return false;
  }
  return true;
}

}  // namespace deadbox::fs
