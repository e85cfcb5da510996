// SPDX-License-Identifier: Apache-2.0
// Extractor: a pipeline::WalkConsumer that copies every entry an artifact Matcher selects into an
// OutputDir, hashing while it writes, and keeps one manifest row per entry. `extract` runs it
// alone; `examine` adds it to its single walk.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "deadbox/artifacts/matcher.hpp"
#include "deadbox/extract/output_dir.hpp"
#include "deadbox/pipeline/walk_consumer.hpp"

namespace deadbox::extract {

inline constexpr uint64_t kDefaultMaxFileBytes = uint64_t{256} << 20;  // 256 MiB
inline constexpr uint64_t kDefaultMaxTotalBytes = uint64_t{4} << 30;   // 4 GiB

struct Options {
  uint64_t max_file_bytes = kDefaultMaxFileBytes;    ///< bytes copied per file at most
  uint64_t max_total_bytes = kDefaultMaxTotalBytes;  ///< bytes copied per run at most
};

/// One manifest line. Strings hold raw bytes; writers escape them.
struct ManifestRow {
  std::vector<std::string> artifacts;  ///< matching artifact names, sorted
  std::string volume;                  ///< volume name ("p1", "p2/lvm/vg0/root")
  std::string path;                    ///< system path (mount point + path in the fs)
  std::string extracted_as;            ///< relative to the output dir; empty if not written
  uint64_t inode = 0;
  char type = '-';                ///< bodyfile letter: r, l, c, b, p, h, …
  uint64_t size = 0;              ///< size the inode claims
  uint64_t bytes_extracted = 0;   ///< bytes in the extracted file (= hashed bytes)
  std::string md5, sha1, sha256;  ///< hex; empty when nothing was written
  std::optional<int64_t> atime, mtime, ctime, crtime;
  bool deleted = false;
  std::string symlink_target;
  std::vector<std::string> notes;  ///< sparse, truncated_file_cap, truncated_run_cap, …
};

struct Summary {
  uint64_t files = 0;     ///< regular files written
  uint64_t bytes = 0;     ///< bytes copied
  uint64_t deleted = 0;   ///< deleted files recovered (content written)
  uint64_t symlinks = 0;  ///< symlinks recorded
  uint64_t capped = 0;    ///< files truncated by a cap
  uint64_t skipped = 0;   ///< rows with nothing written (run cap, content gone, special files)
  uint64_t failed = 0;    ///< files that could not be created or read at all
};

class Extractor final : public pipeline::WalkConsumer {
 public:
  /// matcher and out must outlive the extractor.
  Extractor(const artifacts::Matcher& matcher, OutputDir& out, Options options = {});
  ~Extractor() override;

  void on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) override;

  /// Writes manifest.jsonl and manifest.csv, rows sorted by (volume, path, deleted, inode).
  /// Byte-identical for the same evidence and options. Throws deadbox::Error (extract,
  /// "output_unwritable") when they cannot be written.
  void write_manifest();

  const std::vector<ManifestRow>& rows() const { return rows_; }
  const Summary& summary() const { return summary_; }

 private:
  void copy(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry, ManifestRow& row);

  const artifacts::Matcher& matcher_;
  OutputDir& out_;
  Options options_;
  std::vector<ManifestRow> rows_;
  Summary summary_;
  std::vector<std::byte> buffer_;
};

/// Manifest renderings of sorted rows (exposed for tests and `examine`).
std::string manifest_jsonl(const std::vector<ManifestRow>& rows);
std::string manifest_csv(const std::vector<ManifestRow>& rows);

}  // namespace deadbox::extract
