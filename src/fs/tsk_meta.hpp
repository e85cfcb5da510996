// SPDX-License-Identifier: Apache-2.0
// TSK_FS_META → tree::Stat for the TSK-backed ext listings (tsk_tree.cpp and the libext2fs
// fallback, whose metadata also comes from TSK).
#pragma once
#include <tsk/libtsk.h>

#include <string>

#include "deadbox/tree/file_tree.hpp"

namespace deadbox::fs {

tree::FileType from_meta_type(TSK_FS_META_TYPE_ENUM t);

/// Type, permission bits, owner, size, links, allocation and the four times.
void fill_stat(const TSK_FS_META& m, tree::Stat& st);

/// A symlink's target: TSK's meta->link, or, where TSK 4.11 sets none (ext4 extent-mapped
/// symlinks of 60 bytes or more), the file's content, cleaned the same way. f.meta must be set.
std::string link_target(TSK_FS_FILE& f);

}  // namespace deadbox::fs
