// SPDX-License-Identifier: Apache-2.0
// tsk_img_open_external adapter. TSK 4.11.1 takes a caller-allocated, zero-filled struct whose
// first member is TSK_IMG_INFO and calls our close callback from tsk_img_close.
#include "image/tsk_external.hpp"

#include <cstddef>
#include <exception>
#include <type_traits>

namespace deadbox::image {
namespace {

struct ExternalImage {
  TSK_IMG_INFO info;  // first: TSK treats a pointer to this struct as a TSK_IMG_INFO*
  std::shared_ptr<ByteSource> source;
};
static_assert(std::is_standard_layout_v<ExternalImage>,
              "TSK casts ExternalImage* to TSK_IMG_INFO*; the layout must guarantee that");

ssize_t external_read(TSK_IMG_INFO* img, TSK_OFF_T off, char* buf, size_t len) {
  auto* ext = reinterpret_cast<ExternalImage*>(img);
  if (off < 0) return -1;
  try {
    return static_cast<ssize_t>(
        ext->source->read_at(static_cast<uint64_t>(off), {reinterpret_cast<std::byte*>(buf), len}));
  } catch (const std::exception& e) {
    // Exceptions must not unwind through TSK's C frames: report as a TSK read error.
    tsk_error_reset();
    tsk_error_set_errno(TSK_ERR_IMG_READ);
    tsk_error_set_errstr("%s", e.what());
    return -1;
  }
}

void external_close(TSK_IMG_INFO* img) {
  // Allocated by open_tsk_external with new; TSK hands it back exactly once.
  delete reinterpret_cast<ExternalImage*>(img);
}

void external_imgstat(TSK_IMG_INFO*, FILE*) {}

}  // namespace

TskImage open_tsk_external(std::shared_ptr<ByteSource> source, unsigned sector_size) {
  // Value-initialisation zero-fills TSK_IMG_INFO, as tsk_img_open_external requires.
  auto ext = std::make_unique<ExternalImage>();
  const uint64_t size = source->size();
  const std::string name = source->describe();
  ext->source = std::move(source);
  TSK_IMG_INFO* img = tsk_img_open_external(ext.get(), static_cast<TSK_OFF_T>(size), sector_size,
                                            &external_read, &external_close, &external_imgstat);
  if (img == nullptr) throw_tsk(Layer::kImage, "tsk_open", name);
  ext.release();  // now owned by TSK: tsk_img_close -> external_close
  return TskImage(img);
}

}  // namespace deadbox::image
