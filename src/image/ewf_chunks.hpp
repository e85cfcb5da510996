// SPDX-License-Identifier: Apache-2.0
// Fast E01 reads: each stored chunk is fetched with libewf_handle_read_chunk and inflated and
// verified with libdeflate (2-3x zlib), then cached; the chunks of a large read inflate on two
// threads (inflate_pool.hpp). Anything unusual is left to libewf.
#pragma once
#include <libewf.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

namespace deadbox::image {

class EwfChunkReader {
 public:
  /// Reads [offset, offset+buf.size()) through libewf's own path (libewf_handle_read_random):
  /// what a chunk the fast path declines is read with, so libewf zero-fills and records a
  /// corrupt chunk exactly as it does without this reader.
  using Fallback = std::function<size_t(uint64_t offset, std::span<std::byte> buf)>;

  /// nullptr when this image cannot use the fast path (chunk size unavailable or out of range,
  /// or the staging buffer cannot be mapped); the caller then reads through libewf only.
  /// `handle` must outlive the reader and be used by one thread at a time, as the image does;
  /// the reader's helper thread never touches it (it only inflates bytes already read).
  static std::unique_ptr<EwfChunkReader> create(libewf_handle_t* handle, uint64_t media_size);
  ~EwfChunkReader();
  EwfChunkReader(const EwfChunkReader&) = delete;
  EwfChunkReader& operator=(const EwfChunkReader&) = delete;

  /// Reads buf.size() bytes at offset (the caller clips to the media size). Returns the count
  /// read: short only if the fallback read is short. Throws what the fallback throws.
  size_t read(uint64_t offset, std::span<std::byte> buf, const Fallback& fallback);

  struct Impl;

 private:
  explicit EwfChunkReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace deadbox::image
