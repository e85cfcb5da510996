// SPDX-License-Identifier: Apache-2.0
// Fallback lister for ext2/3/4 directories libtsk 4.11 cannot read (an extent tree with more
// than one leaf: "fs_attr_add_run: error adding additional run"). Names come from e2fsprogs'
// libext2fs, reading the same bytes through TSK's image layer (a read-only io_manager over
// tsk_fs_read); metadata still comes from TSK so every field matches the rest of the walk.
// Ref: e2fsprogs lib/ext2fs/dir_iterate.c, lib/ext2fs/ext2_io.h.
#include "fs/ext_fallback.hpp"

#include <ext2fs/ext2_fs.h>
#include <ext2fs/ext2fs.h>

#include <cstdlib>
#include <cstring>
#include <exception>

#include "fs/tsk_handles.hpp"
#include "fs/tsk_meta.hpp"

namespace deadbox::fs {
namespace {

constexpr const char* kReader = "libext2fs";
// A directory is evidence however big, but a corrupt one must not eat the machine: past this
// many names the listing stops with a diagnostic.
constexpr size_t kMaxEntries = 10'000'000;

// ---- read-only io_manager over a TSK_FS_INFO ------------------------------------------------

// ext2fs_open2 takes a name, not a handle: the TSK filesystem to read is handed to our open()
// through this slot, set just before the call on the same thread.
thread_local TSK_FS_INFO* t_pending_fs = nullptr;

errcode_t io_open(const char* name, int, io_channel* channel);
errcode_t io_close(io_channel channel);
errcode_t io_set_blksize(io_channel channel, int blksize);
errcode_t io_read_blk64(io_channel channel, unsigned long long block, int count, void* data);
errcode_t io_read_blk(io_channel channel, unsigned long block, int count, void* data) {
  return io_read_blk64(channel, block, count, data);
}
errcode_t io_write_blk(io_channel, unsigned long, int, const void*) {
  return EXT2_ET_OP_NOT_SUPPORTED;  // evidence is read-only
}
errcode_t io_write_blk64(io_channel, unsigned long long, int, const void*) {
  return EXT2_ET_OP_NOT_SUPPORTED;
}
errcode_t io_write_byte(io_channel, unsigned long, int, const void*) {
  return EXT2_ET_OP_NOT_SUPPORTED;
}
errcode_t io_flush(io_channel) {
  return 0;
}
errcode_t io_set_option(io_channel, const char*, const char*) {
  return EXT2_ET_INVALID_ARGUMENT;
}

struct_io_manager make_manager() {
  struct_io_manager m{};
  m.magic = EXT2_ET_MAGIC_IO_MANAGER;
  m.name = "deadbox TSK reader";
  m.open = io_open;
  m.close = io_close;
  m.set_blksize = io_set_blksize;
  m.read_blk = io_read_blk;
  m.write_blk = io_write_blk;
  m.flush = io_flush;
  m.write_byte = io_write_byte;
  m.set_option = io_set_option;
  m.read_blk64 = io_read_blk64;
  m.write_blk64 = io_write_blk64;
  return m;
}
struct_io_manager g_manager = make_manager();

errcode_t io_open(const char* name, int, io_channel* channel) {
  if (t_pending_fs == nullptr) return EXT2_ET_BAD_DEVICE_NAME;
  auto* ch = static_cast<io_channel>(std::calloc(1, sizeof(struct_io_channel)));
  if (ch == nullptr) return EXT2_ET_NO_MEMORY;
  ch->magic = EXT2_ET_MAGIC_IO_CHANNEL;
  ch->manager = &g_manager;
  ch->name = ::strdup(name != nullptr ? name : "");
  ch->block_size = 1024;
  ch->refcount = 1;
  ch->private_data = t_pending_fs;
  *channel = ch;
  return 0;
}

errcode_t io_close(io_channel channel) {
  if (--channel->refcount > 0) return 0;
  std::free(channel->name);
  std::free(channel);
  return 0;
}

errcode_t io_set_blksize(io_channel channel, int blksize) {
  if (blksize <= 0 || blksize > (1 << 16)) return EXT2_ET_INVALID_ARGUMENT;
  channel->block_size = blksize;
  return 0;
}

errcode_t io_read_blk64(io_channel channel, unsigned long long block, int count, void* data) {
  auto* fs = static_cast<TSK_FS_INFO*>(channel->private_data);
  // count < 0 means a byte count (ext2_io.h convention).
  const uint64_t len = count < 0 ? static_cast<uint64_t>(-static_cast<int64_t>(count))
                                 : static_cast<uint64_t>(count) * channel->block_size;
  const uint64_t off = static_cast<uint64_t>(block) * channel->block_size;
  if (len == 0) return 0;
  if (off / channel->block_size != block || off > static_cast<uint64_t>(INT64_MAX) - len)
    return EXT2_ET_SHORT_READ;
  std::memset(data, 0, len);
  const ssize_t n = tsk_fs_read(fs, static_cast<TSK_OFF_T>(off), static_cast<char*>(data), len);
  if (n < 0 || static_cast<uint64_t>(n) != len) {
    tsk_error_reset();
    return EXT2_ET_SHORT_READ;
  }
  return 0;
}

struct Ext2Closer {
  void operator()(ext2_filsys fs) const noexcept { ext2fs_close_free(&fs); }
};
using Ext2Fs = std::unique_ptr<struct_ext2_filsys, Ext2Closer>;

// ---- names → entries -----------------------------------------------------------------------

tree::FileType from_dirent_type(int t) {
  switch (t) {
    case EXT2_FT_REG_FILE: return tree::FileType::kRegular;
    case EXT2_FT_DIR: return tree::FileType::kDirectory;
    case EXT2_FT_CHRDEV: return tree::FileType::kCharDev;
    case EXT2_FT_BLKDEV: return tree::FileType::kBlockDev;
    case EXT2_FT_FIFO: return tree::FileType::kFifo;
    case EXT2_FT_SOCK: return tree::FileType::kSocket;
    case EXT2_FT_SYMLINK: return tree::FileType::kSymlink;
    default: return tree::FileType::kUnknown;
  }
}

// The same TSK_FS_META → Stat conversion as the TSK walk (tsk_tree.cpp), so an entry listed
// here is indistinguishable from one TSK listed, apart from `reader`.
void fill_from_tsk(TSK_FS_INFO* fs, tree::FileEntry& e) {
  if (e.stat.inode < fs->first_inum || e.stat.inode > fs->last_inum) {
    e.has_meta = false;
    e.stat.allocated = false;
    return;
  }
  TskFile f(tsk_fs_file_open_meta(fs, nullptr, e.stat.inode));
  if (!f || f->meta == nullptr) {
    tsk_error_reset();
    e.has_meta = false;
    e.stat.allocated = false;
    return;
  }
  fill_stat(*f->meta, e.stat);
  e.meta_reallocated = e.name_deleted && e.stat.allocated;
  e.symlink_target = link_target(*f);
}

struct IterState {
  const std::string* dir_path;
  uint32_t depth;
  std::vector<tree::FileEntry>* out;
  bool capped = false;
};

int on_dirent(ext2_ino_t, int entry, struct ext2_dir_entry* dirent, int, int, char*, void* priv) {
  auto* st = static_cast<IterState*>(priv);
  if (entry == DIRENT_DOT_FILE || entry == DIRENT_DOT_DOT_FILE || entry == DIRENT_CHECKSUM)
    return 0;
  // A removed slot whose inode field is 0 names nothing TSK would list either.
  if (dirent->inode == 0) return 0;
  if (st->out->size() >= kMaxEntries) {
    st->capped = true;
    return DIRENT_ABORT;
  }
  const int len = ext2fs_dirent_name_len(dirent);
  tree::FileEntry e;
  e.path = tree::join_path(*st->dir_path, std::string_view(dirent->name, len));
  e.depth = st->depth;
  e.name_type = from_dirent_type(ext2fs_dirent_file_type(dirent));
  e.name_deleted = entry == DIRENT_DELETED_FILE;
  e.stat.inode = dirent->inode;
  e.reader = kReader;
  st->out->push_back(std::move(e));
  return 0;
}

std::string ext2_message(errcode_t err) {
  // The number is e2fsprogs' com_err code (lib/ext2fs/ext2_err.et); `com_err`'s text would
  // need one more library for a message that is only ever shown in a diagnostic.
  return "libext2fs error " + std::to_string(static_cast<long long>(err));
}

}  // namespace

bool fallback_list_directory(TSK_FS_INFO* fs, uint64_t dir_inode, const std::string& dir_path,
                             uint32_t depth, const std::string& volume,
                             std::vector<tree::FileEntry>& out, Diagnostics& diag) {
  if (fs == nullptr || !TSK_FS_TYPE_ISEXT(fs->ftype) || dir_inode > UINT32_MAX) return false;
  ext2_filsys raw = nullptr;
  t_pending_fs = fs;
  // Read-only, no journal replay (libext2fs never replays unless asked), checksum errors
  // tolerated: the directory blocks are evidence even when a checksum does not match.
  const errcode_t rc = ext2fs_open2(
      "deadbox", nullptr, EXT2_FLAG_64BITS | EXT2_FLAG_SKIP_MMP | EXT2_FLAG_IGNORE_CSUM_ERRORS, 0,
      0, &g_manager, &raw);
  t_pending_fs = nullptr;
  Ext2Fs e2(raw);
  if (rc != 0) {
    diag.add(DiagLevel::kError, Layer::kFs, "ext_fallback_failed",
             "directory inode " + std::to_string(dir_inode) +
                 ": fallback reader cannot open the filesystem: " + ext2_message(rc),
             volume, dir_path, dir_inode);
    return false;
  }
  std::vector<tree::FileEntry> names;
  IterState st{&dir_path, depth, &names};
  const errcode_t it = ext2fs_dir_iterate2(e2.get(), static_cast<ext2_ino_t>(dir_inode),
                                           DIRENT_FLAG_INCLUDE_REMOVED, nullptr, on_dirent, &st);
  if (it != 0 && names.empty()) {
    diag.add(DiagLevel::kError, Layer::kFs, "ext_fallback_failed",
             "directory inode " + std::to_string(dir_inode) +
                 " unreadable by the fallback reader too: " + ext2_message(it),
             volume, dir_path, dir_inode);
    return false;
  }
  if (it != 0)
    diag.add(DiagLevel::kWarning, Layer::kFs, "ext_fallback_partial",
             "directory inode " + std::to_string(dir_inode) + " only partly read (" +
                 ext2_message(it) + "), " + std::to_string(names.size()) + " names kept",
             volume, dir_path, dir_inode);
  if (st.capped)
    diag.add(DiagLevel::kWarning, Layer::kFs, "ext_fallback_capped",
             "directory inode " + std::to_string(dir_inode) + " has more than " +
                 std::to_string(kMaxEntries) + " names; the rest are not listed",
             volume, dir_path, dir_inode);
  for (tree::FileEntry& e : names) fill_from_tsk(fs, e);
  // Counted by the CLI summary ("N directories read by the ext4 fallback").
  diag.add(DiagLevel::kInfo, Layer::kFs, "ext_fallback_dir",
           "directory inode " + std::to_string(dir_inode) + " read by libext2fs (" +
               std::to_string(names.size()) + " names): TSK could not list it",
           volume, dir_path, dir_inode);
  out.insert(out.end(), std::make_move_iterator(names.begin()),
             std::make_move_iterator(names.end()));
  return true;
}

}  // namespace deadbox::fs
