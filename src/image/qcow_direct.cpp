// SPDX-License-Identifier: Apache-2.0
// qcow2 direct reads (see qcow_direct.hpp). Only entries whose every reserved and flag bit is
// clear are mapped here, so the host offset is the same under qcow2's mask (bits 9-55) and
// libqcow 20201213's (0x3fff…ffff); tables and data clusters must be cluster-aligned (libqcow
// reads whole aligned clusters); an L2 table must lie wholly inside the file. A data cluster
// cut short by the end of the file is read up to there and unreadable after it.
// Ref: qemu docs/interop/qcow2.txt (header, L1/L2 entries).
#include "image/qcow_direct.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "deadbox/util/error.hpp"
#include "image/chunk_cache.hpp"

namespace deadbox::image {
namespace {

constexpr uint64_t kL1Reserved = 0x7f000000000001ffULL;  // reserved bits 0-8 and 56-62
// bit 0 "reads as zeros" (v3), 1-8 reserved, 56-61 reserved, 62 compressed
constexpr uint64_t kL2NotPlain = 0x7f000000000001ffULL;
constexpr uint64_t kOffsetMask = 0x00fffffffffffe00ULL;  // bits 9-55
constexpr uint64_t kMaxL1Entries = 1u << 24;             // 128 MiB of L1: far past any disk
constexpr size_t kL2CacheBytes = 4u << 20;

uint64_t be(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

/// Reads exactly buf.size() bytes at offset, or returns false.
bool pread_all(int fd, void* buf, size_t n, uint64_t offset) {
  auto* p = static_cast<unsigned char*>(buf);
  while (n > 0) {
    ssize_t got = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (got <= 0) return false;
    p += got;
    n -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return true;
}

}  // namespace

struct QcowDirect::Impl {
  std::string name;  // for error messages
  int fd = -1;
  uint64_t file_size = 0;
  uint32_t cluster_bits = 0;
  uint64_t cluster = 0;
  uint32_t l2_bits = 0;
  std::vector<uint64_t> l1;
  ChunkCache l2_tables;  // keyed by L2 table offset / cluster

  Impl(uint32_t bits)
      : cluster_bits(bits),
        cluster(uint64_t{1} << bits),
        l2_bits(bits - 3),
        l2_tables(cluster, std::max<size_t>(2, kL2CacheBytes >> bits)) {}
  ~Impl() {
    if (fd >= 0) ::close(fd);
  }

  bool inside_file(uint64_t offset) const {
    return offset % cluster == 0 && offset <= file_size && file_size - offset >= cluster;
  }

  /// Host offset of media cluster `index` when it is a plain allocated cluster (which may be
  /// cut short by the end of the file), else 0.
  uint64_t host_cluster(uint64_t index) {
    const uint64_t l1i = index >> l2_bits;
    if (l1i >= l1.size()) return 0;
    const uint64_t l1e = l1[l1i];
    const uint64_t l2_offset = l1e & kOffsetMask;
    if ((l1e & kL1Reserved) != 0 || l2_offset == 0 || !inside_file(l2_offset)) return 0;
    const std::byte* table = l2_tables.find(l2_offset >> cluster_bits);
    if (table == nullptr) {
      auto slot = l2_tables.claim(l2_offset >> cluster_bits);
      if (!pread_all(fd, slot.data(), slot.size(), l2_offset)) return 0;
      l2_tables.publish();
      table = slot.data();
    }
    const uint64_t l2i = index & ((uint64_t{1} << l2_bits) - 1);
    const uint64_t e = be(reinterpret_cast<const unsigned char*>(table) + l2i * 8, 8);
    const uint64_t data = e & kOffsetMask;
    if ((e & kL2NotPlain) != 0 || data == 0 || data % cluster != 0 || data >= file_size) return 0;
    return data;
  }
};

QcowDirect::QcowDirect(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QcowDirect::~QcowDirect() = default;

std::unique_ptr<QcowDirect> QcowDirect::create(const std::string& path, uint64_t media_size,
                                               std::string name) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  unsigned char h[104] = {0};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !pread_all(fd, h, 72, 0)) {
    ::close(fd);
    return nullptr;
  }
  const uint64_t version = be(h + 4, 4);
  const uint64_t bits = be(h + 20, 4);
  bool ok = std::equal(h, h + 4, reinterpret_cast<const unsigned char*>("QFI\xfb")) &&
            (version == 2 || version == 3) && bits >= 9 && bits <= 21 &&
            be(h + 24, 8) == media_size && be(h + 32, 4) == 0;  // size, no encryption
  // v3: only the dirty, corrupt and compression-type bits (external data and zstd are refused
  // before this runs); extended L2 entries (bit 4) would be misread here as by libqcow.
  if (ok && version == 3) ok = pread_all(fd, h + 72, 8, 72) && (be(h + 72, 8) & ~0xbULL) == 0;
  if (!ok) {
    ::close(fd);
    return nullptr;
  }
  auto impl = std::make_unique<Impl>(static_cast<uint32_t>(bits));
  impl->fd = fd;
  impl->name = std::move(name);
  impl->file_size = static_cast<uint64_t>(st.st_size);
  const uint64_t l1_size = be(h + 36, 4);
  const uint64_t l1_offset = be(h + 40, 8);
  const uint64_t per_l1 = impl->cluster << impl->l2_bits;  // media bytes per L1 entry
  const uint64_t needed = media_size / per_l1 + (media_size % per_l1 != 0 ? 1 : 0);
  if (needed > l1_size || needed > kMaxL1Entries || l1_offset % impl->cluster != 0 ||
      l1_offset > impl->file_size || (impl->file_size - l1_offset) / 8 < needed) {
    return nullptr;
  }
  std::vector<unsigned char> raw(needed * 8);
  if (!pread_all(fd, raw.data(), raw.size(), l1_offset)) return nullptr;
  impl->l1.resize(needed);
  for (uint64_t i = 0; i < needed; ++i) impl->l1[i] = be(raw.data() + i * 8, 8);
  return std::unique_ptr<QcowDirect>(new QcowDirect(std::move(impl)));
}

size_t QcowDirect::read(uint64_t offset, std::span<std::byte> buf, const Fallback& fallback) {
  Impl& m = *impl_;
  size_t done = 0;
  while (done < buf.size()) {
    const uint64_t pos = offset + done;
    const uint64_t within = pos & (m.cluster - 1);
    auto part = buf.subspan(done, std::min<uint64_t>(buf.size() - done, m.cluster - within));
    const uint64_t host = m.host_cluster(pos >> m.cluster_bits);
    if (host != 0) {
      // libqcow fills the missing tail of a cluster cut by a truncated file from stale heap
      // memory; here the bytes that exist are read and the rest is unreadable.
      if (m.file_size - host < m.cluster && within + part.size() > m.file_size - host) {
        throw Error(Layer::kImage, "read_error", m.name + " @" + std::to_string(pos),
                    "qcow2 cluster at file offset " + std::to_string(host) +
                        " is cut short by the end of the file");
      }
      if (pread_all(m.fd, part.data(), part.size(), host + within)) {
        done += part.size();
        continue;
      }
    }
    const size_t got = fallback(pos, part);
    done += got;
    if (got < part.size()) break;
  }
  return done;
}

}  // namespace deadbox::image
