// SPDX-License-Identifier: Apache-2.0
// Helpers for the extraction fixture tests: run `deadbox extract`, read its manifest.jsonl and
// the scenario's layout.json "planted" oracle, hash host files independently of deadbox.
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/fixture.hpp"

namespace deadbox::extract_test {

/// One manifest.jsonl line; path holds raw bytes (decoded from path_hex when present).
struct Row {
  std::string volume, path, extracted_as, sha256, md5, sha1, symlink_target;
  std::string type;
  std::vector<std::string> artifacts, notes;
  uint64_t inode = 0, size = 0, bytes_extracted = 0;
  std::optional<int64_t> mtime_ns, atime_ns;
  bool deleted = false;
  bool has_note(const std::string& prefix) const;
};

/// Parses manifest.jsonl (fails the test on a malformed line).
std::vector<Row> read_manifest(const std::filesystem::path& dir);
/// The row of (volume, system path, deleted), or null.
const Row* find_row(const std::vector<Row>& rows, const std::string& volume,
                    const std::string& path, bool deleted = false);

/// layout.json "planted": one entry of the scenario's files.
struct Planted {
  std::string volume, path, kind, sha256, target;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool deleted = false;
};
struct Layout {
  std::vector<Planted> planted;
  std::map<std::string, std::string> mount_of;  ///< volume -> mount point ("/" → "")
  /// raw_patches: planted name text -> the bytes the image really holds.
  std::vector<std::pair<std::string, std::string>> renames;
  /// The system path deadbox reports for a planted path (mount prefix, raw patches applied).
  std::string system_path(const Planted& p) const;
};
std::optional<Layout> read_layout(const std::string& scenario, std::string* skip_reason);

/// SHA-256 (hex) of a host file, or "" when unreadable.
std::string sha256_file(const std::filesystem::path& p);
/// lstat of a host path; nullopt when missing.
std::optional<struct stat> lstat_of(const std::filesystem::path& p);
/// "name type" lines of a directory tree (lstat, no following), sorted; for before/after checks.
std::vector<std::string> listing(const std::filesystem::path& dir);

/// `deadbox extract <image> -o <out> [extra…]`.
testing::RunResult run_extract(const std::filesystem::path& image, const std::filesystem::path& out,
                               std::vector<std::string> extra = {});

}  // namespace deadbox::extract_test
