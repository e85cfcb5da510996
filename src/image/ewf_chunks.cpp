// SPDX-License-Identifier: Apache-2.0
// E01 chunk fast path (see ewf_chunks.hpp). libewf inflates with zlib and spends most of a
// directory walk in inflate + adler32; libdeflate does the same work 2-3x faster. Integrity
// rules stay libewf's: a chunk is used only if it inflates to exactly one chunk with a valid
// adler32 (compressed) or matches its stored adler32 (uncompressed); every other chunk (read
// error, bad data, the partial last chunk) is read through libewf, which zero-fills a corrupt
// chunk and records it in its checksum-error list as before.
// Ref: libyal/libewf documentation/Expert Witness Compression Format (EWF).asciidoc (chunks).
#include "image/ewf_chunks.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <unordered_set>
#include <vector>

#include "image/chunk_cache.hpp"
#include "image/inflate_pool.hpp"

namespace deadbox::image {
namespace {

// libewf 20140813's libewf_handle_read_chunk copies a compressed chunk without comparing its
// stored size with the buffer size it is given; the size comes from the segment file's
// 32-bit chunk table. The staging buffer therefore spans every size a table can state, as an
// address-space reservation whose pages exist only once written. A chunk that large is never
// decoded (see max_stored); its pages are handed back at once.
constexpr size_t kStagingBytes = (size_t{1} << 32) + (size_t{1} << 16);
constexpr uint32_t kMinChunk = 512;
constexpr uint32_t kMaxChunk = 16u << 20;  // bounds the cache and scratch; larger: libewf only
// Neighbouring small reads share a chunk. Kept small so its slots stay in the CPU cache: in the
// bench walk's trace 8 chunks missed 11.41k times, 128 chunks 11.37k times.
constexpr size_t kCacheBytes = 256u << 10;
constexpr size_t kMaxBadChunks = 65536;  // declined chunks remembered (bounded memory)
// Waking the helper costs about one chunk's inflation: a batch is shared only when it is
// large enough to repay that (hash_media's 1 MiB reads are; a walk's 64 KiB reads are not).
constexpr size_t kMinBatch = 4;

/// Largest stored form accepted for a chunk of `chunk` bytes: deflate's worst case (stored
/// blocks, 5 bytes per 64 KiB) plus the zlib wrapper, with room to spare.
size_t max_stored(uint32_t chunk) {
  return chunk + chunk / 8 + 1024;
}

class Staging {
 public:
  Staging() {
    void* p = ::mmap(nullptr, kStagingBytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) base_ = static_cast<std::byte*>(p);
  }
  ~Staging() {
    if (base_ != nullptr) ::munmap(base_, kStagingBytes);
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  bool ok() const { return base_ != nullptr; }
  std::byte* data() const { return base_; }
  /// Gives back the pages of an oversized copy (anonymous private memory reads as zeros again).
  void release(size_t used) {
    const size_t keep = size_t{1} << 20;
    if (used > keep) ::madvise(base_ + keep, std::min(used, kStagingBytes) - keep, MADV_DONTNEED);
  }

 private:
  std::byte* base_ = nullptr;
};

}  // namespace

struct EwfChunkReader::Impl {
  libewf_handle_t* handle;
  uint64_t media_size;
  uint32_t chunk;
  Staging staging;
  Decompressor inflater{libdeflate_alloc_decompressor()};
  ChunkCache cache;
  std::unordered_set<uint64_t> declined;
  // Multi-chunk reads: one job per chunk to inflate, partial end chunks inflated into scratch.
  std::unique_ptr<InflatePool> pool;
  bool pool_failed = false;
  std::vector<InflateJob> jobs;  // the first `batch` are this read's; kept to reuse buffers
  size_t batch = 0;
  std::vector<std::byte> scratch;

  Impl(libewf_handle_t* h, uint64_t size, uint32_t chunk_size)
      : handle(h),
        media_size(size),
        chunk(chunk_size),
        cache(chunk_size, std::max<size_t>(2, kCacheBytes / chunk_size)),
        scratch(2 * size_t{chunk_size}) {}

  bool usable(uint64_t index) const {
    return (index + 1) * chunk <= media_size && !declined.contains(index);
  }
  void decline(uint64_t index) {
    if (declined.size() < kMaxBadChunks) declined.insert(index);
  }

  /// Chunk `index` in its stored form, in staging (valid until the next fetch); nullopt when
  /// libewf cannot hand it over or it is too large to be a real chunk.
  std::optional<StoredChunk> fetch(uint64_t index) {
    libewf_error_t* error = nullptr;
    const auto at = static_cast<off64_t>(index * chunk);
    if (libewf_handle_seek_offset(handle, at, SEEK_SET, &error) != at) {
      libewf_error_free(&error);
      return std::nullopt;
    }
    int8_t compressed = 0, checksum_apart = 0;
    uint8_t checksum_bytes[4] = {0};
    uint32_t checksum = 0;
    ssize_t got = libewf_handle_read_chunk(handle, staging.data(), kStagingBytes, &compressed,
                                           checksum_bytes, &checksum, &checksum_apart, &error);
    libewf_error_free(&error);
    if (got <= 0) return std::nullopt;
    auto stored = static_cast<size_t>(got);
    if (stored > max_stored(chunk)) {
      staging.release(stored);
      return std::nullopt;
    }
    if (compressed == 0) {
      // The data, then its adler32, given apart as the checksum buffer is not adjacent to the
      // chunk buffer.
      if (checksum_apart == 0 || stored < 4) return std::nullopt;
      stored -= 4;
    }
    return StoredChunk{{staging.data(), stored}, compressed != 0, checksum};
  }

  /// Whole chunk `index` into out, verified; false leaves it to libewf (and remembers that).
  bool decode(uint64_t index, std::span<std::byte> out) {
    auto stored = fetch(index);
    if (stored && inflate_chunk(inflater.get(), *stored, out)) return true;
    decline(index);
    return false;
  }

  /// A job for chunk `index` inflating into out, or false (declined) if it cannot be fetched.
  bool add_job(uint64_t index, std::span<std::byte> out) {
    auto stored = fetch(index);
    if (!stored) {
      decline(index);
      return false;
    }
    if (batch == jobs.size()) jobs.emplace_back();
    InflateJob& j = jobs[batch++];
    j.stored.assign(stored->bytes.begin(), stored->bytes.end());
    j.stored_size = stored->bytes.size();
    j.compressed = stored->compressed;
    j.checksum = stored->checksum;
    j.out = out;
    return true;
  }

  void run_jobs() {
    auto todo = std::span(jobs).first(batch);
    if (todo.size() >= kMinBatch && !pool && !pool_failed) {
      try {
        pool = std::make_unique<InflatePool>();
      } catch (const std::system_error&) {
        pool_failed = true;  // no thread: inflate on the caller alone
      }
    }
    if (pool && todo.size() >= kMinBatch) {
      pool->run(todo, inflater.get());
      return;
    }
    for (auto& j : todo) {
      j.ok = inflate_chunk(inflater.get(),
                           {{j.stored.data(), j.stored_size}, j.compressed, j.checksum}, j.out);
    }
  }

  size_t read_one(uint64_t offset, std::span<std::byte> buf, const Fallback& fallback);
  size_t read_many(uint64_t offset, std::span<std::byte> buf, const Fallback& fallback);
};

/// Within one chunk: from the cache, or inflated into a cache slot, or through libewf.
size_t EwfChunkReader::Impl::read_one(uint64_t offset, std::span<std::byte> buf,
                                      const Fallback& fallback) {
  const uint64_t index = offset / chunk;
  const size_t within = static_cast<size_t>(offset % chunk);
  if (const std::byte* hit = cache.find(index)) {
    std::memcpy(buf.data(), hit + within, buf.size());
    return buf.size();
  }
  if (usable(index)) {
    if (buf.size() == chunk) {
      if (decode(index, buf)) return buf.size();  // whole chunk: straight into place
    } else {
      auto slot = cache.claim(index);
      if (decode(index, slot)) {
        cache.publish();
        std::memcpy(buf.data(), slot.data() + within, buf.size());
        return buf.size();
      }
    }
  }
  return fallback(offset, buf);
}

/// Across chunks: every chunk to inflate is fetched first, then all are inflated as one batch
/// (two threads), then the pieces are assembled in order, libewf reading the declined ones.
size_t EwfChunkReader::Impl::read_many(uint64_t offset, std::span<std::byte> buf,
                                       const Fallback& fallback) {
  struct Piece {
    uint64_t index;
    size_t at, within, n;
    int job;  // -1: cached or libewf
  };
  std::vector<Piece> pieces;
  batch = 0;
  size_t scratch_used = 0;
  for (size_t done = 0; done < buf.size();) {
    const uint64_t pos = offset + done;
    Piece p{pos / chunk, done, static_cast<size_t>(pos % chunk), 0, -1};
    p.n = std::min<size_t>(buf.size() - done, chunk - p.within);
    if (cache.find(p.index) == nullptr && usable(p.index)) {
      // A whole chunk inflates in place; a partial one (first or last) into scratch.
      auto out = p.n == chunk ? buf.subspan(done, chunk)
                              : std::span(scratch).subspan(scratch_used++ * chunk, chunk);
      if (add_job(p.index, out)) p.job = static_cast<int>(batch - 1);
    }
    pieces.push_back(p);
    done += p.n;
  }
  run_jobs();
  size_t done = 0;
  for (const Piece& p : pieces) {
    auto part = buf.subspan(p.at, p.n);
    if (p.job >= 0 && jobs[p.job].ok) {
      if (p.n != chunk) {
        cache.insert(p.index, jobs[p.job].out.data());
        std::memcpy(part.data(), jobs[p.job].out.data() + p.within, p.n);
      }
      done += p.n;
      continue;
    }
    if (p.job >= 0) decline(p.index);
    if (const std::byte* hit = cache.find(p.index)) {
      std::memcpy(part.data(), hit + p.within, p.n);
      done += p.n;
      continue;
    }
    const size_t got = fallback(offset + p.at, part);
    done += got;
    if (got < p.n) break;
  }
  return done;
}

EwfChunkReader::EwfChunkReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EwfChunkReader::~EwfChunkReader() = default;

std::unique_ptr<EwfChunkReader> EwfChunkReader::create(libewf_handle_t* handle,
                                                       uint64_t media_size) {
  libewf_error_t* error = nullptr;
  size32_t chunk = 0;
  if (libewf_handle_get_chunk_size(handle, &chunk, &error) != 1) {
    libewf_error_free(&error);
    return nullptr;
  }
  if (chunk < kMinChunk || chunk > kMaxChunk || media_size < chunk) return nullptr;
  auto impl = std::make_unique<Impl>(handle, media_size, chunk);
  if (!impl->staging.ok() || impl->inflater == nullptr) return nullptr;
  return std::unique_ptr<EwfChunkReader>(new EwfChunkReader(std::move(impl)));
}

size_t EwfChunkReader::read(uint64_t offset, std::span<std::byte> buf, const Fallback& fallback) {
  if (buf.empty()) return 0;
  const uint32_t chunk = impl_->chunk;
  if (offset / chunk == (offset + buf.size() - 1) / chunk) {
    return impl_->read_one(offset, buf, fallback);
  }
  return impl_->read_many(offset, buf, fallback);
}

}  // namespace deadbox::image
