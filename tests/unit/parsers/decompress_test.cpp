// SPDX-License-Identifier: Apache-2.0
// Round trips through the real tools' formats (compressed with zlib/liblzma/libbz2 here, as
// gzip/xz/bzip2 do), multi-member files, truncation and a decompression bomb.
#include "deadbox/parsers/decompress.hpp"

#include <bzlib.h>
#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>

namespace deadbox::parsers {
namespace {

std::string gz(std::string_view in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string xz(std::string_view in) {
  std::string out(lzma_stream_buffer_bound(in.size()), '\0');
  size_t pos = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                    reinterpret_cast<const uint8_t*>(in.data()), in.size(),
                                    reinterpret_cast<uint8_t*>(out.data()), &pos, out.size()),
            LZMA_OK);
  out.resize(pos);
  return out;
}

std::string bz2(std::string_view in) {
  unsigned len = static_cast<unsigned>(in.size() + in.size() / 100 + 700);
  std::string out(len, '\0');
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &len, const_cast<char*>(in.data()),
                                     static_cast<unsigned>(in.size()), 9, 0, 0),
            BZ_OK);
  out.resize(len);
  return out;
}

const std::string kLog = "Jul  1 03:00:01 web1 sshd[811]: Failed password for root\n";

TEST(Decompress, RoundTripsEachFormat) {
  for (auto [name, packed] :
       {std::pair{"gzip", gz(kLog)}, std::pair{"xz", xz(kLog)}, std::pair{"bzip2", bz2(kLog)}}) {
    Diagnostics diag;
    bool capped = true;
    EXPECT_EQ(compression_of(packed), name);
    EXPECT_EQ(decompress_if_needed(packed, 1 << 20, diag, &capped), kLog) << name;
    EXPECT_FALSE(capped);
    EXPECT_TRUE(diag.entries().empty()) << name;
  }
}

TEST(Decompress, ReadsEveryMemberOfConcatenatedFiles) {
  for (auto packed : {gz("a\n") + gz("b\n"), xz("a\n") + xz("b\n"), bz2("a\n") + bz2("b\n")}) {
    Diagnostics diag;
    EXPECT_EQ(decompress_if_needed(packed, 1 << 20, diag), "a\nb\n");
    EXPECT_TRUE(diag.entries().empty());
  }
}

TEST(Decompress, PlainBytesPassThrough) {
  Diagnostics diag;
  EXPECT_EQ(compression_of(kLog), "");
  EXPECT_EQ(decompress_if_needed(kLog, 4, diag), kLog);
}

TEST(Decompress, TruncatedStreamKeepsPrefixAndSaysSo) {
  const std::string big(200000, 'L');
  for (auto packed : {gz(big), xz(big), bz2(big)}) {
    Diagnostics diag;
    const std::string out =
        decompress_if_needed(std::string_view(packed).substr(0, packed.size() - 8), 1 << 20, diag);
    EXPECT_LE(out.size(), big.size());
    ASSERT_EQ(diag.entries().size(), 1u);
    EXPECT_EQ(diag.entries()[0].code, "decompress_error");
  }
}

TEST(Decompress, BombStopsAtTheCap) {
  const std::string zeros(64 << 20, '\0');  // 64 MiB → ~64 KiB gzip (1000x)
  for (auto packed : {gz(zeros), xz(zeros), bz2(zeros)}) {
    ASSERT_LT(packed.size() * 500, zeros.size());
    Diagnostics diag;
    bool capped = false;
    Source src;
    src.path = "/var/log/auth.log.2.gz";
    const std::string out = decompress_if_needed(packed, 1 << 20, diag, &capped, &src);
    EXPECT_EQ(out.size(), 1u << 20);
    EXPECT_TRUE(capped);
    ASSERT_FALSE(diag.entries().empty());
    EXPECT_EQ(diag.entries()[0].code, "capped");
    EXPECT_EQ(diag.entries()[0].path, "/var/log/auth.log.2.gz");
  }
}

TEST(Decompress, GarbageAfterMagicIsAnErrorNotACrash) {
  Diagnostics diag;
  const std::string junk = std::string("\x1f\x8b\x08", 3) + std::string(50, '\xff');
  EXPECT_NO_THROW(decompress_if_needed(junk, 1 << 20, diag));
  EXPECT_EQ(diag.entries().size(), 1u);
}

}  // namespace
}  // namespace deadbox::parsers
