// SPDX-License-Identifier: Apache-2.0
// XFS (v4 and v5, with or without bigtime) as a tree::FileTree through libfsxfs.
#pragma once
#include <memory>
#include <string>

#include "deadbox/fs/filesystem.hpp"

namespace deadbox::fs {

/// Throws deadbox::Error (layer fs, code "corrupt") when libfsxfs cannot open the volume.
std::unique_ptr<tree::FileTree> open_xfs_tree(std::shared_ptr<image::ByteSource> source,
                                              const Probe& probe, const std::string& volume_name);

}  // namespace deadbox::fs
