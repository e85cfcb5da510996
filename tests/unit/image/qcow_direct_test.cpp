// SPDX-License-Identifier: Apache-2.0
// qcow2 direct reads against libqcow as the oracle: same bytes at every cluster boundary, plain
// clusters served from the file, compressed/unallocated ones left to libqcow, and a truncated
// file failing exactly the reads libqcow fails.
#include "image/qcow_direct.hpp"

#include <gtest/gtest.h>
#include <libqcow.h>

#include <cstring>
#include <optional>

#include "deadbox/image/image.hpp"
#include "deadbox/util/error.hpp"
#include "support/fixture.hpp"

namespace deadbox::image {
namespace {

namespace fs = std::filesystem;
using deadbox::testing::make_temp_dir;
using deadbox::testing::run_program;

constexpr uint64_t kCluster = 65536;  // qemu-img's default

/// The oracle: a plain libqcow handle.
class Libqcow {
 public:
  explicit Libqcow(const fs::path& p) {
    libqcow_error_t* error = nullptr;
    EXPECT_EQ(libqcow_file_initialize(&file_, &error), 1);
    EXPECT_EQ(libqcow_file_open(file_, p.c_str(), LIBQCOW_OPEN_READ, &error), 1);
    size64_t size = 0;
    libqcow_file_get_media_size(file_, &size, &error);
    size_ = size;
    libqcow_error_free(&error);
  }
  ~Libqcow() {
    libqcow_error_t* error = nullptr;
    libqcow_file_close(file_, &error);
    libqcow_file_free(&file_, &error);
    libqcow_error_free(&error);
  }
  uint64_t size() const { return size_; }
  /// nullopt when libqcow fails the read.
  std::optional<std::string> read(uint64_t offset, size_t n) {
    std::string out(n, '\0');
    libqcow_error_t* error = nullptr;
    ssize_t got = libqcow_file_read_buffer_at_offset(file_, out.data(), n,
                                                     static_cast<off64_t>(offset), &error);
    libqcow_error_free(&error);
    if (got < 0) return std::nullopt;
    out.resize(static_cast<size_t>(got));
    return out;
  }

 private:
  libqcow_file_t* file_ = nullptr;
  uint64_t size_ = 0;
};

/// QcowDirect with libqcow behind it, counting the bytes it delegates.
struct Direct {
  explicit Direct(const fs::path& p)
      : lib(p), direct(QcowDirect::create(p.string(), lib.size(), "t")) {}
  std::optional<std::string> read(uint64_t offset, size_t n) {
    std::string out(n, '\x55');
    try {
      size_t got = direct->read(offset, std::as_writable_bytes(std::span(out.data(), n)),
                                [&](uint64_t at, std::span<std::byte> buf) -> size_t {
                                  delegated += buf.size();
                                  auto r = lib.read(at, buf.size());
                                  if (!r) throw Error(Layer::kImage, "read_error", "t", "libqcow");
                                  std::memcpy(buf.data(), r->data(), r->size());
                                  return r->size();
                                });
      out.resize(got);
    } catch (const Error&) {
      return std::nullopt;
    }
    return out;
  }
  Libqcow lib;
  std::unique_ptr<QcowDirect> direct;
  uint64_t delegated = 0;
};

/// Reads straddling every cluster boundary, plus multi-cluster reads; returns bytes read.
uint64_t expect_same_as_libqcow(const fs::path& p, Direct& d) {
  Libqcow oracle(p);
  uint64_t total = 0;
  size_t mismatches = 0;
  for (uint64_t b = kCluster; b < oracle.size(); b += kCluster) {
    for (auto [from, n] : {std::pair<uint64_t, size_t>{b - 700, 4096},
                           std::pair<uint64_t, size_t>{b - kCluster - 5, 2 * kCluster + 10}}) {
      n = static_cast<size_t>(std::min<uint64_t>(n, oracle.size() - from));
      if (d.read(from, n) != oracle.read(from, n)) ++mismatches;
      total += n;
    }
  }
  EXPECT_EQ(mismatches, 0u) << p;
  return total;
}

TEST(QcowDirect, PlainClustersComeFromTheFileAndEqualLibqcow) {
  auto q = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.qcow2");
  Direct d(q);
  ASSERT_NE(d.direct, nullptr);
  const uint64_t total = expect_same_as_libqcow(q, d);
  // Allocated clusters are read directly; only the sparse (unallocated) ones go to libqcow.
  EXPECT_LT(d.delegated, total);
  EXPECT_GT(d.delegated, 0u);
}

TEST(QcowDirect, CompressedClustersAreLeftToLibqcow) {
  auto q = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk-compressed.qcow2");
  Direct d(q);
  ASSERT_NE(d.direct, nullptr);
  const uint64_t total = expect_same_as_libqcow(q, d);
  // qemu-img stores a cluster that does not shrink uncompressed: nearly all go to libqcow.
  EXPECT_GT(d.delegated, total - total / 100);
}

TEST(QcowDirect, TruncatedFileFailsExactlyTheReadsLibqcowFails) {
  auto q = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.qcow2");
  auto dir = make_temp_dir("img-qdirect");
  fs::copy_file(q, dir / "cut.qcow2");
  // Cut on a cluster boundary: libqcow fills the missing tail of a cluster cut in the middle
  // from uninitialised memory (two handles disagree), so only whole clusters are compared.
  // Such a cluster is not wholly inside the file, so QcowDirect leaves it to libqcow too.
  fs::resize_file(dir / "cut.qcow2", fs::file_size(q) / 2 / kCluster * kCluster);
  Direct d(dir / "cut.qcow2");
  ASSERT_NE(d.direct, nullptr);
  Libqcow oracle(dir / "cut.qcow2");
  size_t failed = 0, mismatches = 0;
  for (uint64_t at = 0; at < oracle.size(); at += 4096) {
    auto want = oracle.read(at, 4096);
    if (!want) ++failed;
    if (d.read(at, 4096) != want) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(failed, 0u);  // the cut really removed clusters
  fs::remove_all(dir);
}

std::optional<std::string> sector(Image& img, uint64_t at) {
  std::string s(512, '\0');
  try {
    s.resize(img.read_at(at, std::as_writable_bytes(std::span(s.data(), s.size()))));
  } catch (const Error&) {
    return std::nullopt;
  }
  return s;
}

/// libqcow fills a cluster cut in the middle from stale heap memory; read through the image it
/// is the intact bytes up to the cut, then unreadable, the same on every open.
TEST(QcowDirect, ClusterCutByTruncationReadsUpToTheCutThenFails) {
  auto q = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.qcow2");
  auto dir = make_temp_dir("img-qcut");
  fs::copy_file(q, dir / "cut.qcow2");
  fs::resize_file(dir / "cut.qcow2", fs::file_size(q) / 2 / kCluster * kCluster + 777);
  auto a = open_image({(dir / "cut.qcow2").string()});
  auto b = open_image({(dir / "cut.qcow2").string()});
  auto intact = open_image({q.string()});
  const auto ha = hash_media(*a), hb = hash_media(*b);
  EXPECT_EQ(ha.sha256, hb.sha256);
  EXPECT_EQ(ha.unreadable_bytes, hb.unreadable_bytes);
  uint64_t failed = 0, wrong = 0, first_failed = 0;
  for (uint64_t at = 0; at < a->size(); at += 512) {
    auto s = sector(*a, at);
    if (!s) {
      if (failed++ == 0) first_failed = at;
    } else if (s != sector(*intact, at)) {
      ++wrong;
    }
  }
  EXPECT_EQ(wrong, 0u);
  EXPECT_EQ(failed * 512, ha.unreadable_bytes);
  // The cut lies 777 bytes into the cluster that is first in media order among those lost: its
  // first sector reads, its second crosses the cut.
  EXPECT_EQ(first_failed % kCluster, 512u);
  fs::remove_all(dir);
}

TEST(QcowDirect, ExtendedL2EntriesAreLeftToLibqcow) {
  auto dir = make_temp_dir("img-qext");
  auto r = run_program({"qemu-img", "create", "-q", "-f", "qcow2", "-o", "extended_l2=on",
                        (dir / "ext.qcow2").string(), "4M"});
  if (r.exit_code != 0) GTEST_SKIP() << "qemu-img cannot make extended L2 images: " << r.err;
  EXPECT_EQ(QcowDirect::create((dir / "ext.qcow2").string(), 4u << 20, "t"), nullptr);
  // The same header without the feature maps directly.
  r = run_program(
      {"qemu-img", "create", "-q", "-f", "qcow2", (dir / "plain.qcow2").string(), "4M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(QcowDirect::create((dir / "plain.qcow2").string(), 4u << 20, "t"), nullptr);
  EXPECT_EQ(QcowDirect::create((dir / "plain.qcow2").string(), 8u << 20, "t"), nullptr);  // size
  fs::remove_all(dir);
}

}  // namespace
}  // namespace deadbox::image
