// SPDX-License-Identifier: Apache-2.0
// TSK 3.x bodyfile writer, byte-compatible with `fls -r -m <mount>` by default.
// Ref: sleuthkit tsk/fs/fs_name.c (tsk_fs_name_print_mac_md5, tsk_fs_meta_make_ls).
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "deadbox/pipeline/walk_consumer.hpp"
#include "deadbox/tree/file_tree.hpp"

namespace deadbox::timeline {

enum class NameEscape {
  kFls,    ///< as fls: controls -> '^', '|' and '\' raw (mactime drops lines with '|')
  kPlaso,  ///< '\\' -> "\\\\", '|' -> "\\|", controls/invalid UTF-8 -> "\\xNN" (plaso decodes)
};

struct BodyfileOptions {
  /// Times as "sec.nnnnnnnnn" with the true signed seconds. Default (false) is fls's form:
  /// integer seconds truncated to uint32 exactly as fls prints them (so a 2106 time wraps and
  /// a pre-1970 time becomes a large number, like fls).
  bool ns = false;
  NameEscape escape = NameEscape::kFls;
};

/// The `<name type>/<meta type><rwx>` column as fls prints it, e.g. "r/rrwsr-xr-x"; without
/// metadata "<name type>/----------".
std::string mode_string(const tree::FileEntry& entry);

/// Appends mode_string(entry) to out (no allocation; for per-row writers).
void append_mode_string(std::string& out, const tree::FileEntry& entry);

/// The 10-character ls part alone ("drwxrwxrwt"), from inode type and permission bits.
std::string ls_mode(tree::FileType type, uint32_t mode);

/// The user-visible name, raw bytes: prefix (mount point, "/" joined as fls -m does) + path,
/// " -> target" for symlinks, " (deleted)" / " (deleted-realloc)" for unallocated names.
/// Every sink escapes it its own way.
std::string display_name(const std::string& prefix, const tree::FileEntry& entry);
/// Appends display_name(prefix, entry) to out.
void append_display_name(std::string& out, std::string_view prefix, const tree::FileEntry& entry);

/// Name column: prefix (mount point, "/" joined as fls -m does) + path, " -> target" for
/// symlinks, " (deleted)" / " (deleted-realloc)" for unallocated names, escaped per options.
std::string bodyfile_name(const std::string& prefix, const tree::FileEntry& entry,
                          NameEscape escape);

/// One bodyfile line including the trailing '\n'.
std::string bodyfile_line(const std::string& prefix, const tree::FileEntry& entry,
                          const BodyfileOptions& options);

/// Streams one line per entry to out as the walk yields it (nothing is buffered beyond the
/// stream's own buffer). The stream must outlive the writer.
class BodyfileWriter final : public pipeline::WalkConsumer {
 public:
  BodyfileWriter(std::ostream& out, BodyfileOptions options) : out_(out), options_(options) {}
  void on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) override;
  uint64_t lines() const { return lines_; }

 private:
  std::ostream& out_;
  BodyfileOptions options_;
  uint64_t lines_ = 0;
  std::string line_, name_;  // reused buffers
};

}  // namespace deadbox::timeline
