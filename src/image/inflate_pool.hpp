// SPDX-License-Identifier: Apache-2.0
// E01 chunk verification + inflation (libdeflate), and a helper thread that shares a batch of
// chunks with the caller, so a multi-chunk read (hash_media's 1 MiB, inode tables) inflates on
// two cores. Only stored bytes cross threads; libewf stays with the caller.
#pragma once
#include <libdeflate.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "deadbox/util/c_handle.hpp"

namespace deadbox::image {

using Decompressor =
    std::unique_ptr<libdeflate_decompressor, CloseWith<&libdeflate_free_decompressor>>;

/// One chunk in its stored form, as libewf_handle_read_chunk returned it.
struct StoredChunk {
  std::span<const std::byte> bytes;
  bool compressed = false;
  uint32_t checksum = 0;  ///< uncompressed chunks: the stored adler32
};

/// Inflates (or copies) a stored chunk into out (exactly one chunk) if and only if libewf would
/// accept it: the zlib stream decodes to exactly out.size() bytes with a valid adler32, or the
/// uncompressed data matches its adler32. False leaves the chunk to libewf.
bool inflate_chunk(libdeflate_decompressor* d, const StoredChunk& in, std::span<std::byte> out);

struct InflateJob {
  std::vector<std::byte> stored;  ///< owned copy (reused between batches)
  size_t stored_size = 0;
  bool compressed = false;
  uint32_t checksum = 0;
  std::span<std::byte> out;
  bool ok = false;
};

class InflatePool {
 public:
  /// Starts the helper thread; throws std::system_error if it cannot.
  InflatePool();
  ~InflatePool();
  InflatePool(const InflatePool&) = delete;
  InflatePool& operator=(const InflatePool&) = delete;

  /// Inflates every job (sets ok), on the calling thread and the helper; returns when all are
  /// done and the helper no longer touches them. One caller at a time.
  void run(std::span<InflateJob> jobs, libdeflate_decompressor* own);

 private:
  void helper();
  void work(std::span<InflateJob> jobs, libdeflate_decompressor* d);

  std::mutex mu_;
  std::condition_variable wake_, finished_;
  std::span<InflateJob> jobs_;  // guarded by mu_
  size_t remaining_ = 0;        // guarded by mu_
  bool helper_active_ = false;  // guarded by mu_
  uint64_t generation_ = 0;     // guarded by mu_
  bool stop_ = false;           // guarded by mu_
  std::atomic<size_t> next_{0};
  Decompressor helper_inflater_{libdeflate_alloc_decompressor()};
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace deadbox::image
