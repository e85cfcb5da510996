// SPDX-License-Identifier: Apache-2.0
// Extractor: match each walked entry, stream matched regular files through MD5/SHA-1/SHA-256
// into the output folder, writing all-zero blocks as holes (TSK reads holes as zeros, so a
// 1 TiB sparse inode costs no host disk), under a per-file and a per-run byte cap.
#include "deadbox/extract/extractor.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "deadbox/util/c_handle.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"
#include "deadbox/util/time_format.hpp"

namespace deadbox::extract {
namespace {

constexpr size_t kChunk = 1 << 20;
constexpr size_t kBlock = 4096;

using MdCtx = std::unique_ptr<EVP_MD_CTX, CloseWith<&EVP_MD_CTX_free>>;

class Hashes {
 public:
  Hashes() {
    const EVP_MD* mds[3] = {EVP_md5(), EVP_sha1(), EVP_sha256()};
    for (int i = 0; i < 3; ++i) {
      ctx_[i].reset(EVP_MD_CTX_new());
      if (!ctx_[i] || EVP_DigestInit_ex(ctx_[i].get(), mds[i], nullptr) != 1)
        throw Error(Layer::kExtract, "hash_unavailable", "OpenSSL", "cannot initialise digest");
    }
  }
  void update(const void* p, size_t n) {
    for (auto& c : ctx_) EVP_DigestUpdate(c.get(), p, n);
  }
  void update_zeros(uint64_t n) {
    static const std::byte kZeros[kBlock] = {};
    while (n > 0) {
      const size_t k = static_cast<size_t>(std::min<uint64_t>(n, kBlock));
      update(kZeros, k);
      n -= k;
    }
  }
  void finish(ManifestRow& row) {
    std::string* out[3] = {&row.md5, &row.sha1, &row.sha256};
    for (int i = 0; i < 3; ++i) {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      EVP_DigestFinal_ex(ctx_[i].get(), md, &len);
      *out[i] = escape::hex(std::string_view(reinterpret_cast<const char*>(md), len));
    }
  }

 private:
  MdCtx ctx_[3];
};

bool all_zero(const std::byte* p, size_t n) {
  return n == 0 || (p[0] == std::byte{0} && std::memcmp(p, p + 1, n - 1) == 0);
}

bool write_all(int fd, const std::byte* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

std::string hex_offset(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

timespec to_timespec(const std::optional<int64_t>& ns) {
  if (!ns) return {0, UTIME_OMIT};
  return {static_cast<time_t>(timefmt::seconds_of(*ns)),
          static_cast<long>(timefmt::subsec_ns_of(*ns))};
}

// A path split on "/", empty parts dropped.
std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= path.size()) {
    const size_t j = std::min(path.find('/', i), path.size());
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// The entry's name components. A crafted dirent may hold "/" ("../../x", "/etc/x"), which the
// joined path cannot show; the walk depth can: the first `depth` parts are its directories and
// the rest is its own name, so it is matched and written as one name of its directory.
std::vector<std::string_view> entry_components(const tree::FileEntry& e) {
  std::vector<std::string_view> out;
  std::string_view rest = e.path;
  if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  while (out.size() < e.depth) {
    const size_t j = rest.find('/');
    if (j == std::string_view::npos) break;
    out.push_back(rest.substr(0, j));
    rest.remove_prefix(j + 1);
  }
  if (out.size() < e.depth) return split(e.path);  // depth disagrees with the path: plain split
  if (!rest.empty()) out.push_back(rest);
  return out;
}

std::vector<std::string> safe_components(const std::vector<std::string_view>& parts) {
  std::vector<std::string> out;
  for (auto p : parts) out.push_back(safe_name(p));
  return out;
}

tree::FileType effective_type(const tree::FileEntry& e) {
  return e.has_meta && e.stat.type != tree::FileType::kUnknown ? e.stat.type : e.name_type;
}

}  // namespace

Extractor::Extractor(const artifacts::Matcher& matcher, OutputDir& out, Options options)
    : matcher_(matcher), out_(out), options_(options) {}

Extractor::~Extractor() = default;

void Extractor::on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) {
  const auto type = effective_type(entry);
  if (type == tree::FileType::kDirectory || type == tree::FileType::kVirtual || entry.orphan)
    return;
  const std::string sys = pipeline::system_path(ctx.path_prefix, entry.path);
  auto segments = split(ctx.path_prefix);
  for (auto c : entry_components(entry)) segments.push_back(c);
  auto names = matcher_.match_segments(segments);
  if (names.empty()) return;

  ManifestRow row;
  row.artifacts = std::move(names);
  row.volume = ctx.volume;
  row.path = sys;
  row.inode = entry.stat.inode;
  row.type = tree::type_letter(type);
  row.deleted = entry.name_deleted;
  if (entry.has_meta) {
    row.size = entry.stat.size;
    row.atime = entry.stat.atime;
    row.mtime = entry.stat.mtime;
    row.ctime = entry.stat.ctime;
    row.crtime = entry.stat.crtime;
  } else {
    row.notes.push_back("no_metadata");
  }

  if (type == tree::FileType::kSymlink) {
    // Recorded, never created: a host symlink could point anywhere on the examiner's machine.
    row.symlink_target = entry.symlink_target;
    row.notes.push_back("symlink_not_created");
    ++summary_.symlinks;
  } else if (type != tree::FileType::kRegular) {
    row.notes.push_back("special_file_not_copied");
    ++summary_.skipped;
  } else if (entry.meta_reallocated) {
    // The inode now belongs to another file: its content would be misattributed.
    row.notes.push_back("inode_reallocated");
    ++summary_.skipped;
  } else if (!entry.has_meta || ctx.tree == nullptr) {
    ++summary_.skipped;
  } else if (summary_.bytes >= options_.max_total_bytes && row.size > 0) {
    row.notes.push_back("skipped_run_cap");
    ++summary_.skipped;
  } else {
    copy(ctx, entry, row);
  }
  rows_.push_back(std::move(row));
}

void Extractor::copy(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry,
                     ManifestRow& row) {
  std::vector<std::string> dirs;
  if (entry.name_deleted) dirs.emplace_back("deleted");
  for (auto& c : safe_components(split(ctx.volume))) dirs.push_back(std::move(c));
  auto parts = safe_components(entry_components(entry));
  if (parts.empty()) return;
  const std::string file = std::move(parts.back());
  parts.pop_back();
  for (auto& p : parts) dirs.push_back(std::move(p));

  auto created = out_.create_file(dirs, file, std::to_string(entry.stat.inode));
  if (created.fd < 0) {
    row.notes.push_back("not_written: " + created.error);
    ++summary_.failed;
    if (ctx.diag)
      ctx.diag->add(DiagLevel::kWarning, Layer::kExtract, "not_written", created.error, ctx.volume,
                    entry.path, entry.stat.inode);
    return;
  }
  if (created.renamed) row.notes.push_back("renamed_on_collision");
  const int fd = created.fd;

  const uint64_t budget = options_.max_total_bytes - summary_.bytes;
  uint64_t want = std::min(row.size, options_.max_file_bytes);
  if (want > budget) want = budget;
  buffer_.resize(kChunk);
  Hashes hashes;
  uint64_t off = 0, hole = 0, unreadable_from = 0, unreadable_len = 0;
  bool sparse = false, write_failed = false, short_read = false;
  int write_errno = 0;
  auto flush_unreadable = [&] {
    if (unreadable_len == 0) return;
    row.notes.push_back("unreadable " + hex_offset(unreadable_from) + "+" +
                        std::to_string(unreadable_len));
    unreadable_len = 0;
  };
  while (off < want && !write_failed) {
    const size_t n_want = static_cast<size_t>(std::min<uint64_t>(kChunk, want - off));
    size_t n = 0;
    try {
      n = ctx.tree->read(entry.stat.inode, off, std::span<std::byte>(buffer_.data(), n_want));
    } catch (const Error& e) {
      // An unreadable range (bad extent, past the end of the image) becomes a hole of zeros;
      // the manifest says where, and the hashes cover what the extracted file holds.
      if (unreadable_len == 0) unreadable_from = off;
      unreadable_len += n_want;
      hashes.update_zeros(n_want);
      hole += n_want;
      off += n_want;
      if (ctx.diag)
        ctx.diag->add(DiagLevel::kWarning, Layer::kExtract, "unreadable_range", e.what(),
                      ctx.volume, entry.path, entry.stat.inode);
      continue;
    }
    flush_unreadable();
    if (n == 0) {
      short_read = true;
      break;
    }
    hashes.update(buffer_.data(), n);
    for (size_t b = 0; b < n;) {
      const size_t len = std::min(kBlock, n - b);
      if (all_zero(buffer_.data() + b, len)) {
        hole += len;
        sparse = true;
        b += len;
        continue;
      }
      size_t e = b + len;  // extend over the following non-zero blocks: one write
      while (e < n && !all_zero(buffer_.data() + e, std::min(kBlock, n - e)))
        e += std::min(kBlock, n - e);
      if (hole > 0 && lseek(fd, static_cast<off_t>(hole), SEEK_CUR) < 0) write_failed = true;
      hole = 0;
      if (!write_failed && !write_all(fd, buffer_.data() + b, e - b)) write_failed = true;
      if (write_failed && write_errno == 0) write_errno = errno;
      b = e;
    }
    off += n;
  }
  flush_unreadable();
  // The trailing hole becomes file length without blocks.
  if (!write_failed && ftruncate(fd, static_cast<off_t>(off)) != 0) {
    write_failed = true;
    write_errno = errno;
  }
  const timespec times[2] = {to_timespec(row.atime), to_timespec(row.mtime)};
  futimens(fd, times);
  ::close(fd);

  if (write_failed) {
    row.notes.push_back(std::string("write_failed: ") + std::strerror(write_errno));
    ++summary_.failed;
  }
  if (off == 0 && (entry.name_deleted || (row.size > 0 && short_read))) {
    // Nothing of the content survives (deleted ext4 inodes with cleared extents; XFS frees the
    // inode and zeroes its size): keep the metadata row, drop the empty file, never call an
    // empty file "recovered".
    out_.discard(created);
    row.notes.push_back(entry.name_deleted ? "content_gone" : "content_unreadable");
    ++summary_.skipped;
    return;
  }
  row.extracted_as = created.relative;
  row.bytes_extracted = off;
  hashes.finish(row);
  if (short_read) row.notes.push_back("short_read_at " + hex_offset(off));
  if (sparse) row.notes.push_back("sparse");
  if (row.size > options_.max_file_bytes && off == std::min(row.size, options_.max_file_bytes)) {
    row.notes.push_back("truncated_file_cap");
    ++summary_.capped;
  } else if (off < row.size && off == want && want == budget) {
    row.notes.push_back("truncated_run_cap");
    ++summary_.capped;
  }
  if (entry.name_deleted) row.notes.push_back("recovered_deleted");
  ++summary_.files;
  if (entry.name_deleted) ++summary_.deleted;
  summary_.bytes += off;
}

}  // namespace deadbox::extract
