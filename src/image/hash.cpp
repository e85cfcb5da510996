// SPDX-License-Identifier: Apache-2.0
// hash_media (one streaming pass, MD5+SHA-1+SHA-256 with OpenSSL EVP) and library versions.
#include <libewf.h>
#include <libqcow.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <tsk/libtsk.h>

#include <algorithm>
#include <barrier>
#include <cstring>
#include <thread>
#include <vector>

#include "deadbox/image/image.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::image {
namespace {

constexpr size_t kChunk = 1 << 20;

struct EvpCtx {
  EvpCtx() : ctx(EVP_MD_CTX_new()) {}
  ~EvpCtx() { EVP_MD_CTX_free(ctx); }
  EvpCtx(const EvpCtx&) = delete;
  EvpCtx& operator=(const EvpCtx&) = delete;
  EVP_MD_CTX* ctx;
};

std::string finish(EVP_MD_CTX* ctx) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  return escape::hex({reinterpret_cast<char*>(md), len});
}

/// Reads [offset, offset+buf.size()) into buf, zero-filling what cannot be read. A failed
/// chunk is retried per sector so one bad sector costs 512 bytes, not a MiB.
uint64_t read_or_zero(Image& image, uint64_t offset, std::span<std::byte> buf) {
  try {
    size_t got = image.read_at(offset, buf);
    if (got == buf.size()) return 0;
    std::memset(buf.data() + got, 0, buf.size() - got);
    return buf.size() - got;
  } catch (const Error&) {
  }
  uint64_t bad = 0;
  const size_t sector = std::max<uint32_t>(image.info().sector_size, 512);
  for (size_t at = 0; at < buf.size(); at += sector) {
    auto part = buf.subspan(at, std::min(sector, buf.size() - at));
    try {
      size_t got = image.read_at(offset + at, part);
      if (got < part.size()) {
        std::memset(part.data() + got, 0, part.size() - got);
        bad += part.size() - got;
      }
    } catch (const Error&) {
      std::memset(part.data(), 0, part.size());
      bad += part.size();
    }
  }
  return bad;
}

/// Two helper threads each own one digest; the caller reads and feeds the third. A std::barrier
/// hands every chunk to all three at once, so the pass costs the slowest digest (MD5), not
/// the sum of all three.
class ParallelDigests {
 public:
  ParallelDigests(EVP_MD_CTX* a, EVP_MD_CTX* b, EVP_MD_CTX* own)
      : own_(own),
        workers_{std::thread(&ParallelDigests::run, this, a),
                 std::thread(&ParallelDigests::run, this, b)} {}
  ~ParallelDigests() {
    done_ = true;
    sync_.arrive_and_wait();  // release the workers from their "chunk ready" wait
    for (auto& t : workers_) t.join();
  }
  ParallelDigests(const ParallelDigests&) = delete;
  ParallelDigests& operator=(const ParallelDigests&) = delete;

  void update(std::span<const std::byte> chunk) {
    chunk_ = chunk;
    sync_.arrive_and_wait();  // chunk ready
    EVP_DigestUpdate(own_, chunk.data(), chunk.size());
    sync_.arrive_and_wait();  // every digest consumed it: the buffer may be reused
  }

 private:
  void run(EVP_MD_CTX* ctx) {
    while (true) {
      sync_.arrive_and_wait();
      if (done_) return;
      EVP_DigestUpdate(ctx, chunk_.data(), chunk_.size());
      sync_.arrive_and_wait();
    }
  }

  EVP_MD_CTX* own_;
  std::barrier<> sync_{3};
  std::span<const std::byte> chunk_;
  bool done_ = false;  // written before a barrier phase, read after it: ordered by the barrier
  std::thread workers_[2];
};

}  // namespace

MediaHashes hash_media(Image& image) {
  EvpCtx md5, sha1, sha256;
  EVP_DigestInit_ex(md5.ctx, EVP_md5(), nullptr);
  EVP_DigestInit_ex(sha1.ctx, EVP_sha1(), nullptr);
  EVP_DigestInit_ex(sha256.ctx, EVP_sha256(), nullptr);
  MediaHashes out;
  std::vector<std::byte> buf(kChunk);
  const uint64_t size = image.size();
  {
    ParallelDigests digests(md5.ctx, sha1.ctx, sha256.ctx);
    for (uint64_t off = 0; off < size; off += kChunk) {
      auto span = std::span<std::byte>(buf).first(
          static_cast<size_t>(std::min<uint64_t>(kChunk, size - off)));
      // Unreadable bytes are hashed as zeros (as dd conv=noerror,sync and ewfverify do) and
      // counted, so the hash is still reproducible and the gap is on record.
      out.unreadable_bytes += read_or_zero(image, off, span);
      digests.update(span);
    }
  }
  out.md5 = finish(md5.ctx);
  out.sha1 = finish(sha1.ctx);
  out.sha256 = finish(sha256.ctx);
  // libewf records checksum errors while reading, so ask only after the full pass.
  out.checksum_error_ranges = image.checksum_errors();
  return out;
}

std::map<std::string, std::string> library_versions() {
  return {{"libtsk", tsk_version_get_str()},
          {"libewf", libewf_get_version()},
          {"libqcow", libqcow_get_version()},
          {"openssl", OPENSSL_VERSION_TEXT}};
}

}  // namespace deadbox::image
