// SPDX-License-Identifier: Apache-2.0
// Hook for directories libtsk 4.11 cannot list (multi-leaf extent trees and similar). The TSK
// tree calls it when tsk_fs_dir_walk fails to open a directory; it is compiled in only when
// src/fs/ext_fallback.cpp exists (owned by the timeline work), otherwise the directory is
// reported as a "dir_unreadable" diagnostic.
#pragma once
#include <tsk/libtsk.h>

#include <cstdint>
#include <string>
#include <vector>

#include "deadbox/tree/file_tree.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::fs {

/// Lists one ext2/3/4 directory by reading its blocks without TSK's directory code. Appends one
/// FileEntry per name except "." and "..": path = dir_path joined with the name, depth as
/// given, reader = the fallback's name (e.g. "ext4_blocks"); the caller recurses into entries
/// whose stat.type is a directory, whose name is not deleted and whose inode is allocated.
/// Returns false (and adds a diagnostic) when it cannot read the directory either.
bool fallback_list_directory(TSK_FS_INFO* fs, uint64_t dir_inode, const std::string& dir_path,
                             uint32_t depth, const std::string& volume,
                             std::vector<tree::FileEntry>& out, Diagnostics& diag);

}  // namespace deadbox::fs
