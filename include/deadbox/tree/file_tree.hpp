// SPDX-License-Identifier: Apache-2.0
// Layer 3's one interface: a filesystem as a file tree. Every filesystem (TSK ext*, libfsxfs
// XFS, MemoryTree in tests) implements it. Walk output is plain serializable records
// (FileEntry), so a walk can later move into a resource-limited worker process that streams
// them to the parent without a redesign.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "deadbox/util/diagnostics.hpp"

namespace deadbox::tree {

/// Type from a directory entry or an inode; letters are those of TSK's bodyfile mode string.
enum class FileType : uint8_t {
  kUnknown,    // '-'
  kRegular,    // 'r'
  kDirectory,  // 'd'
  kSymlink,    // 'l'
  kCharDev,    // 'c'
  kBlockDev,   // 'b'
  kFifo,       // 'p'
  kSocket,     // 'h' (TSK's letter for sockets)
  kWhiteout,   // 'w'
  kVirtual,    // 'V' (TSK virtual files such as $OrphanFiles)
};
char type_letter(FileType t);

/// Inode metadata. Times are signed ns since the epoch, UTC; nullopt = not stored by the
/// filesystem (ext2/3 crtime) or zero on disk.
struct Stat {
  uint64_t inode = 0;
  FileType type = FileType::kUnknown;
  uint32_t mode = 0;  ///< permission bits incl. setuid/setgid/sticky (07777)
  uint32_t uid = 0, gid = 0;
  uint64_t size = 0;
  uint32_t nlink = 0;
  bool allocated = true;  ///< inode marked in use
  std::optional<int64_t> atime, mtime, ctime, crtime;
};

/// One name → inode as a walk yields it (or an orphan inode no name reaches).
struct FileEntry {
  std::string path;  ///< absolute path inside the filesystem, raw bytes, "/" joined
  FileType name_type = FileType::kUnknown;  ///< from the directory entry
  bool name_deleted = false;                ///< name unallocated (deleted directory entry)
  bool meta_reallocated = false;            ///< name deleted but its inode is in use again
  bool has_meta = true;  ///< false when the inode is unusable (bodyfile "-/----------")
  bool orphan = false;   ///< reached by no name (listed under /$OrphanFiles as TSK does)
  Stat stat;
  std::string symlink_target;  ///< raw bytes, for symlinks
  uint32_t depth = 0;          ///< 0 for entries of the root directory
  /// Which reader listed this entry: "ext_native" (deadbox's ext lister), "tsk" (TSK's
  /// directory walk), "libext2fs" (fallback where TSK fails), "libfsxfs", "xfs_carve".
  std::string reader = "tsk";
};

struct WalkOptions {
  bool include_deleted = true;
  bool include_orphans = true;
  uint32_t max_depth = 4096;  ///< deeper entries are a diagnostic, not silent
  /// ext2/3/4: list directories with deadbox's own reader (fls-equivalent, several times
  /// faster); false = through TSK for every directory (the oracle comparison in tests).
  bool use_native_ext = true;
};

/// Walk callback. Return false to stop the walk early.
using EntrySink = std::function<bool(const FileEntry&)>;

struct FsInfo {
  std::string type;  ///< "ext2", "ext3", "ext4", "xfs"
  std::string label, uuid;
  uint32_t block_size = 0;
  uint64_t block_count = 0;
  uint64_t inode_count = 0;
  uint64_t root_inode = 0;
  std::string reader;  ///< "libtsk 4.11.1", "libfsxfs 20201117", "memory"
};

/// A readable filesystem. Not thread-safe.
class FileTree {
 public:
  virtual ~FileTree() = default;
  virtual const FsInfo& info() const = 0;

  /// Streams every entry, deleted ones and orphans included per options, parents before
  /// children, in a deterministic order. Per-entry problems (corrupt inode, directory loop,
  /// unreadable directory) go to diag with the inode, and the walk continues.
  virtual void walk(const WalkOptions& options, const EntrySink& sink, Diagnostics& diag) = 0;

  /// Looks up an allocated path without following the final symlink (intermediate symlinks
  /// are not followed either: the tree is evidence, not a host). nullopt if absent.
  virtual std::optional<FileEntry> lookup(std::string_view path) = 0;

  /// Lists one directory's entries (no recursion; deleted names included when asked).
  virtual void list_dir(std::string_view path, bool include_deleted, const EntrySink& sink,
                        Diagnostics& diag) = 0;

  /// Reads file content by inode. Returns bytes read (short at end of file). Works for
  /// deleted inodes when the filesystem still maps their data. Throws deadbox::Error (layer
  /// fs) when the inode cannot be read.
  virtual size_t read(uint64_t inode, uint64_t offset, std::span<std::byte> buf) = 0;
};

/// Reads a whole file up to max_bytes (content beyond is not read; *truncated set).
std::string read_all(FileTree& tree, uint64_t inode, uint64_t size, uint64_t max_bytes,
                     bool* truncated = nullptr);

/// Joins a directory path and a name ("/" + "etc" = "/etc").
std::string join_path(std::string_view dir, std::string_view name);

}  // namespace deadbox::tree
