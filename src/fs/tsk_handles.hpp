// SPDX-License-Identifier: Apache-2.0
// Private to layer 3: RAII aliases for TSK handles and the helper that turns TSK's per-thread
// error into deadbox::Error (house style §3.5/§3.6). Never included from include/.
#pragma once
#include <tsk/libtsk.h>

#include <memory>
#include <string>

#include "deadbox/util/c_handle.hpp"
#include "deadbox/util/error.hpp"
#include "image/tsk_error.hpp"

namespace deadbox::fs {

using image::take_tsk_error;
using image::TskImage;
using TskFs = std::unique_ptr<TSK_FS_INFO, CloseWith<&tsk_fs_close>>;
using TskFile = std::unique_ptr<TSK_FS_FILE, CloseWith<&tsk_fs_file_close>>;
using TskDir = std::unique_ptr<TSK_FS_DIR, CloseWith<&tsk_fs_dir_close>>;

/// Throws deadbox::Error(layer fs, code, where, context + ": " + TSK's message) and resets
/// TSK's error state.
[[noreturn]] inline void throw_tsk(const std::string& code, const std::string& where,
                                   const std::string& context) {
  throw Error(Layer::kFs, code, where, context + ": " + take_tsk_error());
}

}  // namespace deadbox::fs
