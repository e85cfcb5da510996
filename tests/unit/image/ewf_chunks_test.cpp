// SPDX-License-Identifier: Apache-2.0
// The E01 chunk fast path (libdeflate + chunk cache) against the raw disk: reads across every
// chunk boundary, compressed and uncompressed chunks, the partial last chunk, and corrupt
// chunks (zero-filled and recorded by libewf exactly as without the fast path).
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>

#include "deadbox/image/image.hpp"
#include "support/fixture.hpp"

namespace deadbox::image {
namespace {

namespace fs = std::filesystem;
using deadbox::testing::make_temp_dir;
using deadbox::testing::run_program;

constexpr size_t kChunk = 32768;  // ewfacquire's default: 64 sectors

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string read_string(Image& img, uint64_t offset, size_t n) {
  std::string out(n, '\x55');
  size_t got = img.read_at(offset, std::as_writable_bytes(std::span(out.data(), out.size())));
  out.resize(got);
  return out;
}

/// Reads straddling every chunk boundary (small reads through the cache, a multi-chunk read
/// every few boundaries) and compares them with the raw disk.
void expect_boundaries_equal(Image& img, const std::string& raw) {
  ASSERT_EQ(img.size(), raw.size());
  size_t mismatches = 0;
  for (uint64_t b = kChunk; b < raw.size(); b += kChunk) {
    const uint64_t from = b - 1000;
    if (read_string(img, from, 3000) != raw.substr(from, 3000)) ++mismatches;
    if ((b / kChunk) % 7 == 0) {
      const uint64_t wide = b - 3 * kChunk / 2;
      if (read_string(img, wide, 3 * kChunk + 5) != raw.substr(wide, 3 * kChunk + 5)) ++mismatches;
    }
  }
  EXPECT_EQ(mismatches, 0u);
  // Whole-chunk reads (how hash_media reads) decode in place.
  for (uint64_t at = 0; at + 4 * kChunk <= raw.size(); at += 37 * kChunk) {
    EXPECT_EQ(read_string(img, at, 4 * kChunk), raw.substr(at, 4 * kChunk)) << at;
  }
  // Short read at the end of the media.
  EXPECT_EQ(read_string(img, raw.size() - 100, 4096), raw.substr(raw.size() - 100));
}

TEST(EwfChunks, CompressedChunksReadAsTheRawDiskAtEveryBoundary) {
  auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto e01 = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.E01");  // deflate:fast
  auto img = open_image({e01.string()});
  expect_boundaries_equal(*img, slurp(raw));
  EXPECT_TRUE(img->checksum_errors().empty());
}

TEST(EwfChunks, UncompressedSegmentedChunksReadAsTheRawDiskAtEveryBoundary) {
  auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto e01 = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk-split.E01");  // compression none, 5 files
  auto img = open_image({e01.string()});
  expect_boundaries_equal(*img, slurp(raw));
  EXPECT_TRUE(img->checksum_errors().empty());
}

/// A compressed E01 whose chunks are of both kinds (ewfacquire stores a chunk that does not
/// shrink uncompressed) and whose last chunk is partial (media not a chunk multiple).
TEST(EwfChunks, MixedChunksAndPartialLastChunk) {
  if (run_program({"sh", "-c", "command -v ewfacquire"}).exit_code != 0) {
    GTEST_SKIP() << "ewfacquire not installed (scripts/setup-debian.sh)";
  }
  auto dir = make_temp_dir("img-ewfmixed");
  std::string raw(40 * kChunk + 1536, '\0');
  std::mt19937 rng(7);
  for (size_t c = 0; c * kChunk < raw.size(); ++c) {
    const size_t end = std::min(raw.size(), (c + 1) * kChunk);
    for (size_t i = c * kChunk; i < end; ++i) {
      // random (stored uncompressed), text-like (compressed), or zeros
      raw[i] = c % 3 == 0   ? static_cast<char>(rng())
               : c % 3 == 1 ? static_cast<char>('a' + (i * 7 + i / 13) % 26)
                            : '\0';
    }
  }
  { std::ofstream(dir / "mixed.raw", std::ios::binary).write(raw.data(), raw.size()); }
  auto r = run_program({"ewfacquire", "-u", "-q", "-t", (dir / "mixed").string(), "-c",
                        "deflate:best", "-f", "encase6", "-b", "64", (dir / "mixed.raw").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto img = open_image({(dir / "mixed.E01").string()});
  expect_boundaries_equal(*img, raw);
  EXPECT_EQ(read_string(*img, raw.size() - 1536 - 10, 2000), raw.substr(raw.size() - 1546));
  auto hashes = hash_media(*img);
  EXPECT_EQ(hashes.md5, img->info().stored_md5.value_or("?"));
  EXPECT_TRUE(hashes.checksum_error_ranges.empty());
  fs::remove_all(dir);
}

TEST(EwfChunks, CorruptUncompressedChunkIsZerosAndRecordedOnASmallRead) {
  auto e01 = DEADBOX_FIXTURE("bad_e01_corrupt_chunk", "disk.E01");
  auto raw = slurp(DEADBOX_FIXTURE("bad_e01_corrupt_chunk", "disk.raw"));
  auto img = open_image({e01.string()});
  // Chunk 2 (sectors 128..191) is damaged; read 4 KiB of it, then a read spanning chunks 1-3.
  EXPECT_EQ(read_string(*img, 2 * kChunk + 4096, 4096), std::string(4096, '\0'));
  EXPECT_EQ(img->checksum_errors(), (std::vector<std::pair<uint64_t, uint64_t>>{{128, 64}}));
  const std::string span = read_string(*img, kChunk + 100, 2 * kChunk);
  EXPECT_EQ(span.substr(0, kChunk - 100), raw.substr(kChunk + 100, kChunk - 100));
  EXPECT_EQ(span.substr(kChunk - 100, kChunk), std::string(kChunk, '\0'));
  EXPECT_EQ(span.substr(2 * kChunk - 100), raw.substr(3 * kChunk, 100));
  ASSERT_NE(raw.substr(2 * kChunk, kChunk), std::string(kChunk, '\0'));  // really damaged
  EXPECT_EQ(img->checksum_errors(), (std::vector<std::pair<uint64_t, uint64_t>>{{128, 64}}));
}

/// Damage inside compressed chunk data: hash_media (whole-chunk reads) and 4 KiB reads both
/// see the raw disk with exactly the recorded chunks zeroed.
TEST(EwfChunks, CorruptCompressedChunksAreZerosExactlyWhereRecorded) {
  auto src = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.E01");
  const std::string raw = slurp(DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw"));
  auto dir = make_temp_dir("img-ewfz");
  fs::copy_file(src, dir / "disk.E01");
  {
    std::fstream f(dir / "disk.E01", std::ios::in | std::ios::out | std::ios::binary);
    for (uint64_t at : {fs::file_size(src) / 3, fs::file_size(src) / 2}) {
      f.seekp(static_cast<std::streamoff>(at));
      f.write("\xde\xad\xbe\xef\xde\xad\xbe\xef", 8);
    }
  }
  auto zeroed = [&](const std::vector<std::pair<uint64_t, uint64_t>>& ranges) {
    std::string expect = raw;
    for (auto [first, count] : ranges) {
      std::memset(expect.data() + first * 512, 0, count * 512);
    }
    return expect;
  };
  {
    auto img = open_image({(dir / "disk.E01").string()});
    auto hashes = hash_media(*img);
    ASSERT_FALSE(hashes.checksum_error_ranges.empty());
    const std::string expect = zeroed(hashes.checksum_error_ranges);
    ASSERT_NE(expect, raw);
    std::ofstream(dir / "expect.raw", std::ios::binary).write(expect.data(), expect.size());
    auto sum = run_program({"sha256sum", (dir / "expect.raw").string()});
    EXPECT_EQ(hashes.sha256, sum.out.substr(0, 64));
  }
  {
    auto img = open_image({(dir / "disk.E01").string()});
    std::string all;
    for (uint64_t at = 0; at < img->size(); at += 4096) all += read_string(*img, at, 4096);
    const auto ranges = img->checksum_errors();
    ASSERT_FALSE(ranges.empty());
    EXPECT_TRUE(all == zeroed(ranges));
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace deadbox::image
