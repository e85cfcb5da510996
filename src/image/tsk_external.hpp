// SPDX-License-Identifier: Apache-2.0
// ByteSource -> TSK_IMG_INFO adapter (tsk_img_open_external), so TSK's volume and filesystem
// code reads a qcow2, a partition or an LV exactly like a plain image. Reused by the fs layer.
#pragma once
#include <memory>

#include "deadbox/image/image.hpp"
#include "image/tsk_error.hpp"

namespace deadbox::image {

/// Wraps source as a TSK image of source->size() bytes. The returned handle keeps the source
/// alive; tsk_img_close (the handle's deleter) releases it. Read errors inside the source are
/// reported to TSK as TSK_ERR_IMG_READ (no C++ exception crosses the callback).
/// Throws deadbox::Error (layer image, "tsk_open") if TSK refuses the image.
TskImage open_tsk_external(std::shared_ptr<ByteSource> source, unsigned sector_size = 512);

}  // namespace deadbox::image
