// SPDX-License-Identifier: Apache-2.0
// Private to layer 3: move-only owners for the libbfio/libfsxfs handles (house style §3.6) and
// the libyal error convention (1 ok, 0 absent, -1 error + message) turned into deadbox::Error.
#pragma once
#define LIBFSXFS_HAVE_BFIO 1
#include <libbfio.h>
#include <libfsxfs.h>

#include <memory>
#include <string>

#include "deadbox/image/image.hpp"
#include "deadbox/util/error.hpp"

namespace deadbox::fs {

/// Formats and frees a libfsxfs error ("" when none).
std::string take_fsxfs_error(libfsxfs_error_t** error);

/// Throws deadbox::Error(layer fs, code, where, context + library message); frees *error.
[[noreturn]] void throw_fsxfs(libfsxfs_error_t** error, const std::string& code,
                              const std::string& where, const std::string& context);

/// A libbfio handle whose reads go to an image::ByteSource (a partition, an LV). Owns its io
/// state; read errors of the source become -1 from libbfio, never exceptions through C frames.
class BfioSourceHandle {
 public:
  explicit BfioSourceHandle(std::shared_ptr<image::ByteSource> source);
  ~BfioSourceHandle();
  BfioSourceHandle(BfioSourceHandle&& other) noexcept : handle_(other.handle_) {
    other.handle_ = nullptr;
  }
  BfioSourceHandle(const BfioSourceHandle&) = delete;
  BfioSourceHandle& operator=(const BfioSourceHandle&) = delete;
  BfioSourceHandle& operator=(BfioSourceHandle&&) = delete;
  libbfio_handle_t* get() const { return handle_; }

 private:
  libbfio_handle_t* handle_ = nullptr;
};

/// libfsxfs_volume_t opened over a BfioSourceHandle; closes then frees.
class XfsVolume {
 public:
  XfsVolume(libbfio_handle_t* io, const std::string& where);
  ~XfsVolume();
  XfsVolume(const XfsVolume&) = delete;
  XfsVolume& operator=(const XfsVolume&) = delete;
  libfsxfs_volume_t* get() const { return volume_; }

 private:
  libfsxfs_volume_t* volume_ = nullptr;
  bool open_ = false;
};

/// libfsxfs_file_entry_t owner.
class XfsEntry {
 public:
  XfsEntry() = default;
  explicit XfsEntry(libfsxfs_file_entry_t* e) : entry_(e) {}
  ~XfsEntry() { reset(); }
  XfsEntry(XfsEntry&& o) noexcept : entry_(o.entry_) { o.entry_ = nullptr; }
  XfsEntry& operator=(XfsEntry&& o) noexcept {
    if (this != &o) {
      reset();
      entry_ = o.entry_;
      o.entry_ = nullptr;
    }
    return *this;
  }
  XfsEntry(const XfsEntry&) = delete;
  XfsEntry& operator=(const XfsEntry&) = delete;
  libfsxfs_file_entry_t* get() const { return entry_; }
  libfsxfs_file_entry_t** out() {
    reset();
    return &entry_;
  }
  explicit operator bool() const { return entry_ != nullptr; }
  void reset();

 private:
  libfsxfs_file_entry_t* entry_ = nullptr;
};

}  // namespace deadbox::fs
