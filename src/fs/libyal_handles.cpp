// SPDX-License-Identifier: Apache-2.0
// libbfio callbacks over image::ByteSource and libfsxfs RAII owners (libbfio.h
// libbfio_handle_initialize; libfsxfs.h return convention 1/0/-1).
#include "fs/libyal_handles.hpp"

#include <cstdio>
#include <exception>
#include <span>

namespace deadbox::fs {
namespace {

struct IoState {
  std::shared_ptr<image::ByteSource> source;
  int64_t pos = 0;
  bool open = false;
};

IoState* state(intptr_t* io) {
  return reinterpret_cast<IoState*>(io);
}

int free_io(intptr_t** io, libbfio_error_t**) {
  if (io != nullptr && *io != nullptr) {
    std::unique_ptr<IoState> owned(state(*io));
    *io = nullptr;
  }
  return 1;
}

int clone_io(intptr_t** dst, intptr_t* src, libbfio_error_t**) {
  if (dst == nullptr || src == nullptr) return -1;
  auto copy = std::make_unique<IoState>(*state(src));
  *dst = reinterpret_cast<intptr_t*>(copy.release());
  return 1;
}

int open_io(intptr_t* io, int, libbfio_error_t**) {
  state(io)->open = true;
  return 1;
}

int close_io(intptr_t* io, libbfio_error_t**) {
  state(io)->open = false;
  return 0;
}

ssize_t read_io(intptr_t* io, uint8_t* buf, size_t size, libbfio_error_t**) {
  IoState* s = state(io);
  try {
    if (s->pos < 0) return -1;
    const size_t n =
        s->source->read_at(static_cast<uint64_t>(s->pos),
                           std::span<std::byte>(reinterpret_cast<std::byte*>(buf), size));
    s->pos += static_cast<int64_t>(n);
    return static_cast<ssize_t>(n);
  } catch (...) {
    return -1;  // libfsxfs reports its own read error; no exception crosses C frames
  }
}

ssize_t write_io(intptr_t*, const uint8_t*, size_t, libbfio_error_t**) {
  return -1;
}  // evidence

off64_t seek_io(intptr_t* io, off64_t offset, int whence, libbfio_error_t**) {
  IoState* s = state(io);
  const auto size = static_cast<int64_t>(s->source->size());
  int64_t base = 0;
  if (whence == SEEK_CUR)
    base = s->pos;
  else if (whence == SEEK_END)
    base = size;
  else if (whence != SEEK_SET)
    return -1;
  if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0) return -1;
  s->pos = base + offset;
  return s->pos;
}

int exists_io(intptr_t*, libbfio_error_t**) {
  return 1;
}
int is_open_io(intptr_t* io, libbfio_error_t**) {
  return state(io)->open ? 1 : 0;
}
int get_size_io(intptr_t* io, size64_t* size, libbfio_error_t**) {
  *size = state(io)->source->size();
  return 1;
}

}  // namespace

std::string take_fsxfs_error(libfsxfs_error_t** error) {
  if (error == nullptr || *error == nullptr) return {};
  char buf[1024] = {};
  libfsxfs_error_sprint(*error, buf, sizeof(buf));
  libfsxfs_error_free(error);
  std::string out(buf);
  // libyal messages are multi-line call stacks; the last line is the most specific.
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  const size_t nl = out.rfind('\n');
  return nl == std::string::npos ? out : out.substr(nl + 1);
}

void throw_fsxfs(libfsxfs_error_t** error, const std::string& code, const std::string& where,
                 const std::string& context) {
  std::string msg = take_fsxfs_error(error);
  throw Error(Layer::kFs, code, where, msg.empty() ? context : context + ": " + msg);
}

BfioSourceHandle::BfioSourceHandle(std::shared_ptr<image::ByteSource> source) {
  const std::string where = source->describe();
  auto io = std::make_unique<IoState>();
  io->source = std::move(source);
  libbfio_error_t* error = nullptr;
  if (libbfio_handle_initialize(&handle_, reinterpret_cast<intptr_t*>(io.get()), &free_io,
                                &clone_io, &open_io, &close_io, &read_io, &write_io, &seek_io,
                                &exists_io, &is_open_io, &get_size_io,
                                LIBBFIO_FLAG_IO_HANDLE_MANAGED, &error) != 1) {
    libbfio_error_free(&error);
    throw Error(Layer::kFs, "internal", where, "libbfio_handle_initialize failed");
  }
  io.release();  // managed: libbfio_handle_free calls free_io
}

BfioSourceHandle::~BfioSourceHandle() {
  if (handle_ == nullptr) return;
  libbfio_error_t* error = nullptr;
  if (libbfio_handle_free(&handle_, &error) != 1) libbfio_error_free(&error);
}

XfsVolume::XfsVolume(libbfio_handle_t* io, const std::string& where) {
  libfsxfs_error_t* error = nullptr;
  if (libfsxfs_volume_initialize(&volume_, &error) != 1)
    throw_fsxfs(&error, "internal", where, "libfsxfs_volume_initialize");
  if (libfsxfs_volume_open_file_io_handle(volume_, io, LIBFSXFS_OPEN_READ, &error) != 1) {
    std::string msg = take_fsxfs_error(&error);
    libfsxfs_volume_free(&volume_, nullptr);
    throw Error(Layer::kFs, "corrupt", where, "libfsxfs cannot open the XFS volume: " + msg);
  }
  open_ = true;
}

XfsVolume::~XfsVolume() {
  libfsxfs_error_t* error = nullptr;
  if (open_ && libfsxfs_volume_close(volume_, &error) != 0) libfsxfs_error_free(&error);
  if (volume_ != nullptr && libfsxfs_volume_free(&volume_, &error) != 1)
    libfsxfs_error_free(&error);
}

void XfsEntry::reset() {
  if (entry_ == nullptr) return;
  libfsxfs_error_t* error = nullptr;
  if (libfsxfs_file_entry_free(&entry_, &error) != 1) libfsxfs_error_free(&error);
  entry_ = nullptr;
}

}  // namespace deadbox::fs
