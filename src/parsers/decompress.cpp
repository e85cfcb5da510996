// SPDX-License-Identifier: Apache-2.0
// gzip/xz/bzip2 decompression with an output cap, through zlib, liblzma and libbz2.
// Refs: RFC 1952 (gzip members), https://tukaani.org/xz/xz-file-format.txt, bzip2 manual.
#include "deadbox/parsers/decompress.hpp"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>

#include <algorithm>

namespace deadbox::parsers {
namespace {

constexpr size_t kChunk = 64 * 1024;

struct Ctx {
  std::string out;
  uint64_t cap = 0;
  bool capped = false;
  std::string error;
  // Room left before the cap, in the next chunk.
  size_t room() const { return static_cast<size_t>(std::min<uint64_t>(kChunk, cap - out.size())); }
};

void gunzip(std::string_view in, Ctx& c) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {
    c.error = "zlib init failed";
    return;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  char buf[kChunk];
  while (true) {
    if (c.out.size() >= c.cap) {
      c.capped = true;
      break;
    }
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    const size_t room = c.room();
    zs.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    c.out.append(buf, room - zs.avail_out);
    if (rc == Z_STREAM_END) {
      // logrotate and `cat a.gz b.gz` produce multi-member files; gzip -d reads them all.
      if (zs.avail_in == 0) break;
      if (zs.avail_in < 2 || zs.next_in[0] != 0x1f || zs.next_in[1] != 0x8b) {
        c.error = "trailing garbage after gzip member";
        break;
      }
      inflateReset(&zs);
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      c.error = "truncated gzip stream";
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      c.error = std::string("gzip: ") + (zs.msg ? zs.msg : "data error");
      break;
    }
  }
  inflateEnd(&zs);
}

void unxz(std::string_view in, Ctx& c) {
  lzma_stream ls = LZMA_STREAM_INIT;
  // The memory limit bounds the dictionary a hostile header can ask for.
  if (lzma_stream_decoder(&ls, 256u << 20, LZMA_CONCATENATED) != LZMA_OK) {
    c.error = "lzma init failed";
    return;
  }
  ls.next_in = reinterpret_cast<const uint8_t*>(in.data());
  ls.avail_in = in.size();
  uint8_t buf[kChunk];
  while (true) {
    if (c.out.size() >= c.cap) {
      c.capped = true;
      break;
    }
    ls.next_out = buf;
    const size_t room = c.room();
    ls.avail_out = room;
    const lzma_ret rc = lzma_code(&ls, ls.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
    c.out.append(reinterpret_cast<char*>(buf), room - ls.avail_out);
    if (rc == LZMA_STREAM_END) break;
    if (rc != LZMA_OK) {
      c.error =
          rc == LZMA_BUF_ERROR ? "truncated xz stream" : "xz: data error " + std::to_string(rc);
      break;
    }
  }
  lzma_end(&ls);
}

void bunzip2(std::string_view in, Ctx& c) {
  bz_stream bs{};
  if (BZ2_bzDecompressInit(&bs, 0, 0) != BZ_OK) {
    c.error = "bzip2 init failed";
    return;
  }
  bs.next_in = const_cast<char*>(in.data());
  bs.avail_in = static_cast<unsigned>(std::min<size_t>(in.size(), UINT32_MAX));
  char buf[kChunk];
  while (true) {
    if (c.out.size() >= c.cap) {
      c.capped = true;
      break;
    }
    bs.next_out = buf;
    const size_t room = c.room();
    bs.avail_out = static_cast<unsigned>(room);
    const int rc = BZ2_bzDecompress(&bs);
    c.out.append(buf, room - bs.avail_out);
    if (rc == BZ_STREAM_END) {
      // pbzip2 and concatenation make multi-stream files; bzip2 -d reads them all.
      if (bs.avail_in == 0) break;
      char* next = bs.next_in;
      const unsigned left = bs.avail_in;
      BZ2_bzDecompressEnd(&bs);
      bs = bz_stream{};
      if (left < 3 || next[0] != 'B' || next[1] != 'Z' || next[2] != 'h' ||
          BZ2_bzDecompressInit(&bs, 0, 0) != BZ_OK) {
        c.error = "trailing garbage after bzip2 stream";
        return;
      }
      bs.next_in = next;
      bs.avail_in = left;
      continue;
    }
    if (rc != BZ_OK) {
      c.error = "bzip2: data error " + std::to_string(rc);
      break;
    }
    if (bs.avail_in == 0 && bs.avail_out != 0) {
      c.error = "truncated bzip2 stream";
      break;
    }
  }
  BZ2_bzDecompressEnd(&bs);
}

}  // namespace

std::string_view compression_of(std::string_view b) {
  if (b.size() >= 3 && b[0] == '\x1f' && b[1] == '\x8b' && b[2] == '\x08') return "gzip";
  if (b.size() >= 6 && b.substr(0, 6) == std::string_view("\xFD"
                                                          "7zXZ\0",
                                                          6))
    return "xz";
  if (b.size() >= 4 && b.substr(0, 3) == "BZh" && b[3] >= '1' && b[3] <= '9') return "bzip2";
  return {};
}

std::string decompress_if_needed(std::string_view bytes, uint64_t cap, Diagnostics& diag,
                                 bool* capped, const Source* source) {
  if (capped) *capped = false;
  const std::string_view kind = compression_of(bytes);
  if (kind.empty()) return std::string(bytes);
  Ctx c;
  c.cap = cap;
  if (kind == "gzip")
    gunzip(bytes, c);
  else if (kind == "xz")
    unxz(bytes, c);
  else
    bunzip2(bytes, c);
  auto add = [&](std::string code, std::string msg) {
    diag.add(DiagLevel::kWarning, Layer::kParser, std::move(code), std::move(msg),
             source ? source->volume : std::string(), source ? source->path : std::string(),
             source ? source->inode : 0);
  };
  if (c.capped)
    add("capped", std::string(kind) + " output capped at " + std::to_string(cap) +
                      " bytes (possible decompression bomb)");
  if (!c.error.empty())
    add("decompress_error", c.error + "; kept " + std::to_string(c.out.size()) + " bytes");
  if (capped) *capped = c.capped;
  return std::move(c.out);
}

}  // namespace deadbox::parsers
