// SPDX-License-Identifier: Apache-2.0
// Chunk inflation and the two-thread batch (see inflate_pool.hpp).
#include "image/inflate_pool.hpp"

#include <cstring>

namespace deadbox::image {

bool inflate_chunk(libdeflate_decompressor* d, const StoredChunk& in, std::span<std::byte> out) {
  if (in.compressed) {
    // zlib's inflate (libewf) rejects distances beyond the window the header declares;
    // libdeflate does not check. Only the 32 KiB window every writer uses is decoded here,
    // so both decoders accept exactly the same streams.
    if (in.bytes.size() < 2 || (static_cast<uint8_t>(in.bytes[0]) & 0xf0) != 0x70) return false;
    return libdeflate_zlib_decompress(d, in.bytes.data(), in.bytes.size(), out.data(), out.size(),
                                      nullptr) == LIBDEFLATE_SUCCESS;
  }
  if (in.bytes.size() != out.size()) return false;
  if (libdeflate_adler32(1, in.bytes.data(), in.bytes.size()) != in.checksum) return false;
  std::memcpy(out.data(), in.bytes.data(), out.size());
  return true;
}

InflatePool::InflatePool() {
  if (helper_inflater_ == nullptr)
    throw std::system_error(std::make_error_code(std::errc::not_enough_memory));
  thread_ = std::thread(&InflatePool::helper, this);
}

InflatePool::~InflatePool() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void InflatePool::run(std::span<InflateJob> jobs, libdeflate_decompressor* own) {
  {
    std::lock_guard lock(mu_);
    jobs_ = jobs;
    remaining_ = jobs.size();
    next_.store(0);
    ++generation_;
  }
  wake_.notify_one();
  work(jobs, own);
  std::unique_lock lock(mu_);
  // The helper may still be inside work(); jobs_ (the caller's memory) must outlive that.
  finished_.wait(lock, [&] { return remaining_ == 0 && !helper_active_; });
  jobs_ = {};
}

void InflatePool::work(std::span<InflateJob> jobs, libdeflate_decompressor* d) {
  for (size_t i = next_.fetch_add(1); i < jobs.size(); i = next_.fetch_add(1)) {
    InflateJob& j = jobs[i];
    j.ok = inflate_chunk(d, {{j.stored.data(), j.stored_size}, j.compressed, j.checksum}, j.out);
    std::lock_guard lock(mu_);
    if (--remaining_ == 0) finished_.notify_all();
  }
}

void InflatePool::helper() {
  uint64_t seen = 0;
  while (true) {
    std::span<InflateJob> jobs;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      // Join only a batch still running: once remaining_ is 0 the caller may return.
      if (remaining_ == 0) continue;
      helper_active_ = true;
      jobs = jobs_;
    }
    work(jobs, helper_inflater_.get());
    {
      std::lock_guard lock(mu_);
      helper_active_ = false;
    }
    finished_.notify_all();
  }
}

}  // namespace deadbox::image
