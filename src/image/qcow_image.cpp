// SPDX-License-Identifier: Apache-2.0
// qcow2 (v2/v3, zlib-compressed clusters) through libqcow. A backing file is never opened from
// the name inside the image: the user must name the parent (--qcow-parent), and it must itself
// be a qcow2 without a further backing file (libqcow only chains qcow handles).
// Ref: qemu docs/interop/qcow2.txt; libyal/libqcow include/libqcow.h.in
#include <fcntl.h>
#include <libqcow.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "deadbox/util/escape.hpp"
#include "image/openers.hpp"
#include "image/qcow_direct.hpp"

namespace deadbox::image {
namespace {

constexpr size_t kMaxBackingName = 1023;  // qemu's own limit for backing_file_size

std::string take_qcow_error(libqcow_error_t*& error) {
  char text[1024] = {0};
  if (error != nullptr) libqcow_error_sprint(error, text, sizeof(text) - 1);
  libqcow_error_free(&error);
  std::string s = text[0] != '\0' ? text : "libqcow error";
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

/// Move-only owner of a libqcow file: close, then free (house style §3.6).
class QcowFile {
 public:
  explicit QcowFile(const std::string& path) : path_(path) {
    libqcow_error_t* error = nullptr;
    if (libqcow_file_initialize(&file_, &error) != 1) {
      throw Error(Layer::kImage, "internal", path, take_qcow_error(error));
    }
    if (libqcow_file_open(file_, path.c_str(), LIBQCOW_OPEN_READ, &error) != 1) {
      throw Error(Layer::kImage, "corrupt", path, take_qcow_error(error));
    }
    opened_ = true;
    uint32_t method = 0;
    if (libqcow_file_get_encryption_method(file_, &method, &error) == 1 &&
        method != LIBQCOW_ENCRYPTION_METHOD_NONE) {
      throw Error(Layer::kImage, "encrypted", path,
                  "qcow2 is encrypted (method " + std::to_string(method) + "); not supported");
    }
    libqcow_error_free(&error);
  }
  ~QcowFile() {
    if (file_ == nullptr) return;
    libqcow_error_t* error = nullptr;
    if (opened_) libqcow_file_close(file_, &error);
    libqcow_error_free(&error);
    libqcow_file_free(&file_, &error);
    libqcow_error_free(&error);
  }
  QcowFile(const QcowFile&) = delete;
  QcowFile& operator=(const QcowFile&) = delete;
  libqcow_file_t* get() const { return file_; }

  std::optional<std::string> backing_name() const {
    libqcow_error_t* error = nullptr;
    size_t size = 0;
    if (libqcow_file_get_utf8_backing_filename_size(file_, &size, &error) != 1 || size == 0) {
      libqcow_error_free(&error);
      return std::nullopt;
    }
    std::string name(std::min(size, kMaxBackingName + 1), '\0');
    if (libqcow_file_get_utf8_backing_filename(file_, reinterpret_cast<uint8_t*>(name.data()),
                                               name.size(), &error) != 1) {
      libqcow_error_free(&error);
      return std::string("(unreadable backing file name)");
    }
    name.resize(std::min(name.find('\0'), name.size()));
    return name;
  }

  uint64_t media_size() const {
    libqcow_error_t* error = nullptr;
    size64_t size = 0;
    if (libqcow_file_get_media_size(file_, &size, &error) != 1) {
      throw Error(Layer::kImage, "corrupt", path_, take_qcow_error(error));
    }
    return size;
  }

  uint32_t version() const {
    libqcow_error_t* error = nullptr;
    uint32_t v = 0;
    if (libqcow_file_get_format_version(file_, &v, &error) != 1) libqcow_error_free(&error);
    return v;
  }

 private:
  std::string path_;
  libqcow_file_t* file_ = nullptr;
  bool opened_ = false;
};

bool has_qcow_magic(const std::string& path) {
  char magic[4] = {0};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t got = ::pread(fd, magic, 4, 0);
  ::close(fd);
  return got == 4 && std::memcmp(magic, "QFI\xfb", 4) == 0;
}

uint64_t be(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

/// qcow2 v3 incompatible-feature bits, checked before libqcow sees the file so the refusal
/// names the real reason (libqcow only says "unable to open file").
void check_qcow_features(const std::string& path, std::map<std::string, std::string>& metadata) {
  unsigned char h[112] = {0};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // libqcow reports it
  ssize_t got = ::pread(fd, h, sizeof(h), 0);
  ::close(fd);
  if (got < 104 || be(h + 4, 4) < 3 || be(h + 100, 4) < 104) return;
  const uint64_t incompat = be(h + 72, 8);
  if ((incompat & 0x4) != 0) {
    throw Error(Layer::kImage, "unsupported", path,
                "qcow2 keeps its data in an external data file; deadbox never opens host paths "
                "named inside an image");
  }
  if ((incompat & 0x8) != 0 && h[104] != 0) {
    throw Error(Layer::kImage, "unsupported", path,
                "qcow2 uses zstd-compressed clusters, which libqcow cannot read; convert a copy "
                "with qemu-img convert -O qcow2 -o compression_type=zlib");
  }
  if ((incompat & ~uint64_t{0x1f}) != 0) {
    throw Error(Layer::kImage, "unsupported", path,
                "qcow2 has unknown incompatible features 0x" +
                    escape::hex(std::string(reinterpret_cast<const char*>(h + 72), 8)));
  }
  if ((incompat & 0x1) != 0) metadata["qcow_dirty"] = "true";  // not cleanly closed by qemu
  if ((incompat & 0x2) != 0) metadata["qcow_marked_corrupt"] = "true";
}

class QcowImage final : public Image {
 public:
  QcowImage(const std::string& path, const OpenOptions& options) {
    check_qcow_features(path, info_.metadata);
    file_ = std::make_unique<QcowFile>(path);
    info_.format = "qcow2";
    info_.files = {path};
    info_.backing_file = file_->backing_name();
    if (info_.backing_file) attach_parent(path, options);
    info_.media_size = file_->media_size();
    info_.metadata["qcow_version"] = std::to_string(file_->version());
    info_.metadata["file_size"] = std::to_string(total_file_size(info_.files));
    // Plain clusters straight from the file; with a parent, libqcow keeps the whole mapping.
    if (!info_.backing_file) direct_ = QcowDirect::create(path, info_.media_size, describe());
  }
  ~QcowImage() override {
    direct_.reset();
    file_.reset();  // the child handle refers to the parent: it must go first
    parent_.reset();
  }

  uint64_t size() const override { return info_.media_size; }
  std::string describe() const override { return base_name(info_.files.front()); }
  const ContainerInfo& info() const override { return info_; }

  size_t read_at(uint64_t offset, std::span<std::byte> buf) override {
    if (offset >= info_.media_size || buf.empty()) return 0;
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(buf.size(), info_.media_size - offset));
    if (direct_) return direct_->read(offset, buf.first(want), libqcow_read_);
    return libqcow_read(offset, buf.first(want));
  }

 private:
  void attach_parent(const std::string& path, const OpenOptions& options) {
    const std::string shown = escape::terminal(*info_.backing_file);
    if (!options.qcow_parent) {
      throw Error(Layer::kImage, "needs_parent", path,
                  "qcow2 has backing file '" + shown +
                      "'; pass it with --qcow-parent FILE (deadbox never opens paths named inside "
                      "an image)");
    }
    const std::string& parent_path = *options.qcow_parent;
    if (!has_qcow_magic(parent_path)) {
      throw Error(Layer::kImage, "unsupported_parent", parent_path,
                  "--qcow-parent must be a qcow2 file (raw backing files are not supported; "
                  "convert with qemu-img convert -O qcow2)");
    }
    parent_ = std::make_unique<QcowFile>(parent_path);
    if (auto grand = parent_->backing_name()) {
      throw Error(Layer::kImage, "needs_parent", parent_path,
                  "the parent qcow2 itself has backing file '" + escape::terminal(*grand) +
                      "'; chains of backing files are not supported");
    }
    libqcow_error_t* error = nullptr;
    if (libqcow_file_set_parent_file(file_->get(), parent_->get(), &error) != 1) {
      throw Error(Layer::kImage, "corrupt", path, take_qcow_error(error));
    }
    info_.metadata["qcow_parent"] = parent_path;
  }

  size_t libqcow_read(uint64_t offset, std::span<std::byte> buf) {
    libqcow_error_t* error = nullptr;
    ssize_t got = libqcow_file_read_buffer_at_offset(file_->get(), buf.data(), buf.size(),
                                                     static_cast<off64_t>(offset), &error);
    if (got < 0) {
      throw Error(Layer::kImage, "read_error", describe() + " @" + std::to_string(offset),
                  take_qcow_error(error));
    }
    return static_cast<size_t>(got);
  }

  std::unique_ptr<QcowFile> parent_;
  std::unique_ptr<QcowFile> file_;
  ContainerInfo info_;
  std::unique_ptr<QcowDirect> direct_;
  QcowDirect::Fallback libqcow_read_ = [this](uint64_t offset, std::span<std::byte> buf) {
    return libqcow_read(offset, buf);
  };
};

}  // namespace

std::shared_ptr<Image> open_qcow_image(const std::string& file, const OpenOptions& options) {
  return std::make_shared<QcowImage>(file, options);
}

}  // namespace deadbox::image
