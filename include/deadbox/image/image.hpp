// SPDX-License-Identifier: Apache-2.0
// Layer 1, evidence: a container (raw, split raw, E01, qcow2, VMDK, VHD) opened read-only as
// one byte stream. Nothing here knows about partitions or filesystems.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace deadbox::image {

/// Random-access read-only bytes. Everything above layer 1 (volumes, LVs, filesystems) reads
/// through this, so a volume inside an LV inside a qcow2 is just another ByteSource.
/// Not thread-safe: a worker owns its sources.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  /// Reads up to buf.size() bytes at offset. Returns the count read: short only at the end of
  /// the source. Throws deadbox::Error (layer image) on an unreadable range.
  virtual size_t read_at(uint64_t offset, std::span<std::byte> buf) = 0;
  /// Short human description for messages, e.g. "disk.qcow2" or "disk.qcow2@p2".
  virtual std::string describe() const = 0;
};

/// A window [offset, offset+length) of a parent source (a partition). Reads past the parent's
/// end are short, never an error, so a truncated image still yields its first volumes.
class SliceSource final : public ByteSource {
 public:
  SliceSource(std::shared_ptr<ByteSource> parent, uint64_t offset, uint64_t length,
              std::string name);
  uint64_t size() const override { return length_; }
  size_t read_at(uint64_t offset, std::span<std::byte> buf) override;
  std::string describe() const override { return name_; }
  uint64_t offset() const { return offset_; }

 private:
  std::shared_ptr<ByteSource> parent_;
  uint64_t offset_;
  uint64_t length_;
  std::string name_;
};

/// What the container says about itself (deadbox info, case.json).
struct ContainerInfo {
  std::string format;              ///< "raw", "split_raw", "e01", "qcow2", "vmdk", "vhd"
  std::vector<std::string> files;  ///< evidence files, as given/discovered (segments)
  uint64_t media_size = 0;
  uint32_t sector_size = 512;
  std::map<std::string, std::string> metadata;  ///< E01 acquiry fields, qcow2 version, …
  std::optional<std::string> stored_md5;        ///< E01 stored hashes, lowercase hex
  std::optional<std::string> stored_sha1;
  std::optional<std::string> backing_file;  ///< qcow2 backing reference, verbatim
};

struct OpenOptions {
  /// qcow2 parent explicitly named by the user (--qcow-parent). Never derived from the image.
  std::optional<std::string> qcow_parent;
};

/// An opened container.
class Image : public ByteSource {
 public:
  virtual const ContainerInfo& info() const = 0;
  /// Sector ranges (first sector, count) whose stored checksum did not match, as recorded by
  /// the reads made so far (E01 only; zero-filled on read). Empty for other formats.
  virtual std::vector<std::pair<uint64_t, uint64_t>> checksum_errors() { return {}; }
};

/// Opens one evidence item (one file, or the segment files of one split raw/E01 set: pass them
/// all, or just the first and let the opener discover the rest). Detects the format by magic
/// bytes, never by running TSK's auto-detection over everything. Opens files O_RDONLY.
/// Throws deadbox::Error (layer image) with code "not_found", "unreadable" (permissions, FIFO,
/// directory), "empty", "unknown_format" (< 1 sector, or several unrelated files),
/// "ambiguous_format" (two probes match), "needs_parent" (qcow2 with a backing file and no
/// qcow_parent, or a differencing VMDK), "unsupported_parent" (parent not qcow2, or a chain),
/// "encrypted" (qcow2), "unsafe_extent" (VMDK naming files outside its folder),
/// "missing_segment" (E01 set with a hole or without its last segment; where() is the missing
/// file), "corrupt" (the library refused the container).
/// Reads (read_at) throw code "read_error"; E01 corrupt chunks read as zeros instead (see
/// checksum_errors).
std::shared_ptr<Image> open_image(const std::vector<std::string>& paths,
                                  const OpenOptions& options = {});

/// Groups command-line paths into evidence items: "disk.E01 disk.E02" or "d.001 d.002" become
/// one item; other files are separate items (a VG spanning two disks is two items).
std::vector<std::vector<std::string>> group_evidence_paths(const std::vector<std::string>& paths);

/// Streaming MD5/SHA-1/SHA-256 of the whole media (one pass, 1 MiB reads, OpenSSL). Unreadable
/// ranges are hashed as zeros and counted in unreadable_bytes, never fatal. Also returns
/// libewf's checksum-error sector ranges for E01 (corrupt chunks read as zeros).
struct MediaHashes {
  std::string md5, sha1, sha256;
  std::vector<std::pair<uint64_t, uint64_t>> checksum_error_ranges;  ///< (first sector, count)
  uint64_t unreadable_bytes = 0;
};
MediaHashes hash_media(Image& image);

/// Library versions for the court record ("libtsk" -> "4.11.1", …) of the libraries layer 1
/// links (libtsk, libewf, libqcow, openssl); upper layers add their own (libfsxfs).
std::map<std::string, std::string> library_versions();

}  // namespace deadbox::image
