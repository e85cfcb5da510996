// SPDX-License-Identifier: Apache-2.0
// raw, split raw, VMDK and VHD containers read through libtsk, always with the explicit image
// type so TSK never guesses over attacker bytes. Ref: sleuthkit tsk/img/{raw,vmdk,vhd}.c
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "image/openers.hpp"
#include "image/raw_segments.hpp"
#include "image/tsk_error.hpp"

namespace deadbox::image {
namespace {

class TskContainerImage final : public Image {
 public:
  TskContainerImage(TskImage img, ContainerInfo info, std::unique_ptr<RawSegments> direct)
      : img_(std::move(img)), info_(std::move(info)), direct_(std::move(direct)) {}
  uint64_t size() const override { return info_.media_size; }
  std::string describe() const override { return base_name(info_.files.front()); }
  const ContainerInfo& info() const override { return info_; }

  size_t read_at(uint64_t offset, std::span<std::byte> buf) override {
    if (offset >= info_.media_size || buf.empty()) return 0;
    const size_t want =
        static_cast<size_t>(std::min<uint64_t>(buf.size(), info_.media_size - offset));
    if (direct_) return direct_->read_at(offset, buf.first(want));
    ssize_t got = tsk_img_read(img_.get(), static_cast<TSK_OFF_T>(offset),
                               reinterpret_cast<char*>(buf.data()), want);
    if (got < 0) throw_tsk(Layer::kImage, "read_error", describe() + " @" + std::to_string(offset));
    return static_cast<size_t>(got);
  }

 private:
  TskImage img_;
  ContainerInfo info_;
  std::unique_ptr<RawSegments> direct_;  // raw / split raw: read without TSK's cache copies
};

TSK_IMG_TYPE_ENUM tsk_type_of(const std::string& format) {
  if (format == "vmdk") return TSK_IMG_TYPE_VMDK_VMDK;
  if (format == "vhd") return TSK_IMG_TYPE_VHD_VHD;
  return TSK_IMG_TYPE_RAW;
}

}  // namespace

uint64_t total_file_size(const std::vector<std::string>& files) {
  uint64_t total = 0;
  for (const auto& f : files) {
    struct stat st {};
    if (::stat(f.c_str(), &st) == 0) total += static_cast<uint64_t>(st.st_size);
  }
  return total;
}

std::string base_name(std::string_view path) {
  auto slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

namespace {

/// A differencing VHD (footer disk type 4) reads through a parent disk named inside the image;
/// refuse it like a qcow2 backing file. Ref: Microsoft "Virtual Hard Disk Image Format
/// Specification" (hard disk footer: disk type at byte 60, big-endian).
void check_vhd_type(const std::string& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // TSK reports it
  unsigned char f[512] = {0};
  struct stat st {};
  bool got = ::fstat(fd, &st) == 0 && st.st_size >= 512 &&
             ::pread(fd, f, 512, st.st_size - 512) == 512 && std::memcmp(f, "conectix", 8) == 0;
  if (!got) got = ::pread(fd, f, 512, 0) == 512 && std::memcmp(f, "conectix", 8) == 0;
  ::close(fd);
  if (got && f[60] == 0 && f[61] == 0 && f[62] == 0 && f[63] == 4) {
    throw Error(Layer::kImage, "needs_parent", file,
                "differencing VHD: its data depends on a parent disk named inside the image; "
                "deadbox does not open it (merge a copy first)");
  }
}

}  // namespace

std::shared_ptr<Image> open_tsk_image(const std::string& format,
                                      const std::vector<std::string>& files) {
  if (format == "vmdk") check_vmdk_descriptor(files.front());
  if (format == "vhd") check_vhd_type(files.front());
  std::vector<const char*> names;
  names.reserve(files.size());
  for (const auto& f : files) names.push_back(f.c_str());
  TskImage img(
      tsk_img_open_utf8(static_cast<int>(names.size()), names.data(), tsk_type_of(format), 0));
  if (!img) throw_tsk(Layer::kImage, "corrupt", files.front());
  ContainerInfo info;
  info.format = format;
  info.files = files;
  info.media_size = static_cast<uint64_t>(img->size);
  info.sector_size = img->sector_size == 0 ? 512 : img->sector_size;
  info.metadata["file_size"] = std::to_string(total_file_size(files));
  if (format == "split_raw") info.metadata["segments"] = std::to_string(files.size());
  if (info.media_size % info.sector_size != 0) {
    // A copy cut mid-sector: the last partial sector is readable, but say so.
    info.metadata["partial_sector_bytes"] = std::to_string(info.media_size % info.sector_size);
  }
  // Raw bytes need no container logic: once TSK has accepted the files, read them directly,
  // unless their sizes disagree with TSK's (then TSK stays the reader).
  std::unique_ptr<RawSegments> direct;
  if (format == "raw" || format == "split_raw") {
    direct = std::make_unique<RawSegments>(files);
    if (direct->size() != info.media_size) direct.reset();
  }
  return std::make_shared<TskContainerImage>(std::move(img), std::move(info), std::move(direct));
}

}  // namespace deadbox::image
