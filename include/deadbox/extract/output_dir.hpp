// SPDX-License-Identifier: Apache-2.0
// OutputDir: the only place `extract` writes. Every directory and file is created relative to a
// directory descriptor (mkdirat/openat, O_NOFOLLOW|O_EXCL), from names already made safe, so no
// name inside the image can reach outside it (hostile-input.md §3.1; tsk_recover CVE-2026-40024).
#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace deadbox::extract {

/// One raw name component of the image → a host file name that is never "", ".", "..", never
/// contains "/" and stays valid UTF-8 text: "%" → "%25", "/" → "%2F", bytes < 0x20, 0x7F and
/// bytes of invalid UTF-8 or bidi controls → "%XX", "." → "%2E", ".." → "%2E%2E", "" →
/// "%(empty)". Injective. Names that would exceed 255 bytes keep a 200-byte prefix plus
/// "%~" and 16 hex digits of the raw name's SHA-256.
std::string safe_name(std::string_view raw);

class OutputDir {
 public:
  /// Creates dir (and missing parents) or opens it when it exists. Throws deadbox::Error
  /// (layer extract): "output_exists" when it is not empty and !force, "output_unwritable"
  /// when it cannot be created or opened as a directory.
  static OutputDir open(const std::string& dir, bool force);
  ~OutputDir();
  OutputDir(OutputDir&& other) noexcept;
  OutputDir& operator=(OutputDir&&) = delete;
  OutputDir(const OutputDir&) = delete;

  struct Created {
    int fd = -1;                    ///< open O_WRONLY file, owned by the caller; -1 on failure
    std::string relative;           ///< "a/b/c" relative to the output dir
    std::string error;              ///< strerror text when fd == -1
    bool renamed = false;           ///< a "%23<tag>" suffix was added to avoid a collision
    std::vector<std::string> dirs;  ///< the safe_dirs it was created in
    std::string name;               ///< final file name inside them
  };
  /// Creates safe_dirs (each a safe_name() already) below the root, then a new file named
  /// safe_file inside. An existing file of this run, or of an earlier run without force,
  /// is never overwritten: the name gets "%23" + collision_tag instead.
  Created create_file(const std::vector<std::string>& safe_dirs, const std::string& safe_file,
                      const std::string& collision_tag);

  /// Removes a file create_file() made (content turned out to be unrecoverable).
  void discard(const Created& c);

  /// Opens (truncating) a top-level file such as manifest.jsonl; -1 on failure.
  int create_top(const std::string& name);

  const std::string& path() const { return path_; }
  int fd() const { return fd_; }

 private:
  OutputDir(std::string path, int fd, bool force)
      : path_(std::move(path)), fd_(fd), force_(force) {}
  int open_dirs(const std::vector<std::string>& safe_dirs, std::string* error);

  std::string path_;
  int fd_ = -1;
  bool force_ = false;
  std::set<std::string> created_;  // relative paths this run created
  std::string cached_dir_;         // relative path of cached_fd_
  int cached_fd_ = -1;
};

}  // namespace deadbox::extract
