// SPDX-License-Identifier: Apache-2.0
// The opener table of layer 3 (house style §3.1, after TSK's fs_open.c): one reader per probed
// type; anything else is refused by name, never handed to a library's auto-detection.
#include "deadbox/fs/filesystem.hpp"
#include "fs/libyal_handles.hpp"
#include "fs/tsk_handles.hpp"
#include "fs/tsk_tree.hpp"
#include "fs/xfs_tree.hpp"

namespace deadbox::fs {

std::unique_ptr<tree::FileTree> open(std::shared_ptr<image::ByteSource> source, const Probe& probe,
                                     const std::string& volume_name) {
  if (!source) throw Error(Layer::kFs, "unsupported", volume_name, "volume has no readable bytes");
  switch (probe.type) {
    case FsType::kExt2:
    case FsType::kExt3:
    case FsType::kExt4:
      if (probe.readable) return open_tsk_tree(std::move(source), probe, volume_name);
      break;
    case FsType::kXfs:
      if (probe.readable) return open_xfs_tree(std::move(source), probe, volume_name);
      break;
    default: break;
  }
  std::string why = fs_type_name(probe.type) + " is not a readable filesystem";
  if (!probe.note.empty()) why += " (" + probe.note + ")";
  throw Error(Layer::kFs, "unsupported", volume_name, why);
}

std::map<std::string, std::string> library_versions() {
  return {{"libtsk", tsk_version_get_str()},
          {"libfsxfs", libfsxfs_get_version()},
          {"libbfio", libbfio_get_version()}};
}

}  // namespace deadbox::fs
