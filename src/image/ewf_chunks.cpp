// SPDX-License-Identifier: Apache-2.0
// E01 chunk fast path (see ewf_chunks.hpp). libewf inflates with zlib and spends most of a
// directory walk in inflate + adler32; libdeflate does the same work 2-3x faster. Integrity
// rules stay libewf's: a chunk is used only if it inflates to exactly one chunk with a valid
// adler32 (compressed) or matches its stored adler32 (uncompressed); every other chunk (read
// error, bad data, the partial last chunk) is read through libewf, which zero-fills a corrupt
// chunk and records it in its checksum-error list as before.
// Ref: libyal/libewf documentation/Expert Witness Compression Format (EWF).asciidoc (chunks).
#include "image/ewf_chunks.hpp"

#include <libdeflate.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "deadbox/util/c_handle.hpp"
#include "image/chunk_cache.hpp"

namespace deadbox::image {
namespace {

// libewf 20140813's libewf_handle_read_chunk copies a compressed chunk without comparing its
// stored size with the buffer size it is given; the size comes from the segment file's
// 32-bit chunk table. The staging buffer therefore spans every size a table can state, as an
// address-space reservation whose pages exist only once written. A chunk that large is never
// decoded (see kMaxStoredChunk); its pages are handed back at once.
constexpr size_t kStagingBytes = (size_t{1} << 32) + (size_t{1} << 16);
constexpr uint32_t kMinChunk = 512;
constexpr uint32_t kMaxChunk = 64u << 20;  // EWF allows up to 32768 sectors per chunk
constexpr size_t kCacheBytes = 4u << 20;   // a few MiB: neighbouring small reads share a chunk
constexpr size_t kMaxBadChunks = 65536;    // declined chunks remembered (bounded memory)

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

using Decompressor =
    std::unique_ptr<libdeflate_decompressor, CloseWith<&libdeflate_free_decompressor>>;

}  // namespace

struct EwfChunkReader::Impl {
  libewf_handle_t* handle;
  uint64_t media_size;
  uint32_t chunk;
  Staging staging;
  Decompressor inflater{libdeflate_alloc_decompressor()};
  ChunkCache cache;
  std::unordered_set<uint64_t> declined;

  Impl(libewf_handle_t* h, uint64_t size, uint32_t chunk_size)
      : handle(h),
        media_size(size),
        chunk(chunk_size),
        cache(chunk_size, std::max<size_t>(2, kCacheBytes / chunk_size)) {}

  /// Whole chunk `index` into out (chunk bytes), verified; false leaves it to libewf.
  bool decode(uint64_t index, std::span<std::byte> out) {
    libewf_error_t* error = nullptr;
    const auto at = static_cast<off64_t>(index * chunk);
    if (libewf_handle_seek_offset(handle, at, SEEK_SET, &error) != at) {
      libewf_error_free(&error);
      return false;
    }
    int8_t compressed = 0, checksum_apart = 0;
    uint8_t checksum_bytes[4] = {0};
    uint32_t checksum = 0;
    ssize_t got = libewf_handle_read_chunk(handle, staging.data(), kStagingBytes, &compressed,
                                           checksum_bytes, &checksum, &checksum_apart, &error);
    libewf_error_free(&error);
    if (got <= 0) return false;
    const auto stored = static_cast<size_t>(got);
    if (stored > max_stored(chunk)) {
      staging.release(stored);
      return false;
    }
    const std::byte* in = staging.data();
    if (compressed != 0) {
      // zlib's inflate (libewf) rejects distances beyond the window the header declares;
      // libdeflate does not check. Only the 32 KiB window every writer uses is decoded here,
      // so both decoders accept exactly the same streams.
      if (stored < 2 || (static_cast<uint8_t>(in[0]) & 0xf0) != 0x70) return false;
      return libdeflate_zlib_decompress(inflater.get(), in, stored, out.data(), chunk, nullptr) ==
             LIBDEFLATE_SUCCESS;
    }
    // Uncompressed: the data, then its adler32 (given apart, as the checksum buffer is not
    // adjacent to the chunk buffer).
    if (checksum_apart == 0 || stored != size_t{chunk} + 4) return false;
    if (libdeflate_adler32(1, in, chunk) != checksum) return false;
    std::memcpy(out.data(), in, chunk);
    return true;
  }

  bool full_chunk(uint64_t index) const { return (index + 1) * chunk <= media_size; }

  bool try_decode(uint64_t index, std::span<std::byte> out) {
    if (!full_chunk(index) || declined.contains(index)) return false;
    if (decode(index, out)) return true;
    if (declined.size() < kMaxBadChunks) declined.insert(index);
    return false;
  }

  /// Chunk `index` decoded into a cache slot, or nullptr when libewf must read it.
  const std::byte* fill(uint64_t index) {
    auto slot = cache.claim(index);
    if (!try_decode(index, slot)) return nullptr;
    cache.publish();
    return slot.data();
  }
};

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
  Impl& m = *impl_;
  size_t done = 0;
  while (done < buf.size()) {
    const uint64_t pos = offset + done;
    const uint64_t index = pos / m.chunk;
    const size_t within = static_cast<size_t>(pos % m.chunk);
    const size_t n = std::min<size_t>(buf.size() - done, m.chunk - within);
    auto part = buf.subspan(done, n);
    if (const std::byte* hit = m.cache.find(index)) {
      std::memcpy(part.data(), hit + within, n);
      done += n;
      continue;
    }
    // A read covering a whole chunk (hash_media, inode tables) decodes straight into place.
    if (n == m.chunk) {
      if (m.try_decode(index, part)) {
        done += n;
        continue;
      }
    } else if (const std::byte* data = m.fill(index)) {
      std::memcpy(part.data(), data + within, n);
      done += n;
      continue;
    }
    const size_t got = fallback(pos, part);
    done += got;
    if (got < n) break;
  }
  return done;
}

}  // namespace deadbox::image
