// SPDX-License-Identifier: Apache-2.0
// TSK error conversion and handle aliases, shared by every layer that calls libtsk (image,
// volume, fs). Private: C types never reach include/ (house style §3.1).
#pragma once
#include <tsk/libtsk.h>

#include <memory>
#include <string>

#include "deadbox/util/c_handle.hpp"
#include "deadbox/util/error.hpp"

namespace deadbox::image {

using TskImage = std::unique_ptr<TSK_IMG_INFO, CloseWith<&tsk_img_close>>;
using TskVolumeSystem = std::unique_ptr<TSK_VS_INFO, CloseWith<&tsk_vs_close>>;

/// Returns TSK's per-thread error text (trimmed) and resets it. Call right after the failing
/// call, on the same thread.
std::string take_tsk_error();

/// Throws deadbox::Error(layer, code, where, <TSK's message>) and resets TSK's error state.
[[noreturn]] void throw_tsk(Layer layer, std::string code, std::string where);

}  // namespace deadbox::image
