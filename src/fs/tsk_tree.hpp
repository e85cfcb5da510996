// SPDX-License-Identifier: Apache-2.0
// ext2/3/4 as a tree::FileTree through libtsk, opened explicitly as TSK_FS_TYPE_EXT_DETECT.
#pragma once
#include <memory>
#include <string>

#include "deadbox/fs/filesystem.hpp"

namespace deadbox::fs {

/// Throws deadbox::Error (layer fs, code "corrupt") when TSK cannot open the filesystem.
std::unique_ptr<tree::FileTree> open_tsk_tree(std::shared_ptr<image::ByteSource> source,
                                              const Probe& probe, const std::string& volume_name);

}  // namespace deadbox::fs
