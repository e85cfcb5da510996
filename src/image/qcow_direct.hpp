// SPDX-License-Identifier: Apache-2.0
// Direct qcow2 reads: bytes of plain allocated clusters are read straight from the file (only
// the bytes asked for), every other cluster (compressed, unallocated, zero-flagged, odd) by
// libqcow. libqcow reads a whole cluster per request: 5x the bytes in a directory walk.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

namespace deadbox::image {

class QcowDirect {
 public:
  /// Reads [offset, offset+buf.size()) through libqcow.
  using Fallback = std::function<size_t(uint64_t offset, std::span<std::byte> buf)>;

  /// nullptr unless the file is a qcow2 v2/v3 this reader maps exactly as libqcow does (no
  /// encryption, no extended L2 entries, sane cluster size and L1 table, header size equal to
  /// `media_size`); the caller then reads through libqcow only. `name` prefixes errors.
  static std::unique_ptr<QcowDirect> create(const std::string& path, uint64_t media_size,
                                            std::string name);
  ~QcowDirect();
  QcowDirect(const QcowDirect&) = delete;
  QcowDirect& operator=(const QcowDirect&) = delete;

  /// Reads buf.size() bytes at offset (the caller clips to the media size). Returns the count
  /// read: short only if the fallback read is short. Throws what the fallback throws, and
  /// deadbox::Error "read_error" for bytes of a cluster past the end of a truncated file.
  size_t read(uint64_t offset, std::span<std::byte> buf, const Fallback& fallback);

  struct Impl;

 private:
  explicit QcowDirect(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace deadbox::image
