// SPDX-License-Identifier: Apache-2.0
// Inventory: everything deadbox found in the evidence, opened once and shared by every
// command: containers → volumes → probed filesystems → open file trees, plus the OS facts of
// each root filesystem and the mount points its /etc/fstab gives to the other volumes.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deadbox/fs/filesystem.hpp"
#include "deadbox/image/image.hpp"
#include "deadbox/tree/file_tree.hpp"
#include "deadbox/util/diagnostics.hpp"
#include "deadbox/volume/volume.hpp"

namespace deadbox::inventory {

struct OsInfo {
  std::string pretty_name;   ///< PRETTY_NAME from os-release, or redhat-release text
  std::string id, version_id;
  std::string hostname;      ///< /etc/hostname first line
  std::map<std::string, std::string> os_release;  ///< all os-release keys
};

/// One fstab line as read from the image.
struct FstabEntry {
  std::string spec;        ///< "UUID=…", "LABEL=…", "/dev/mapper/centos-root", …
  std::string mount_point;
  std::string fs_type;
  std::string options;
  std::string resolved_volume;  ///< volume name it resolved to, empty if none
};

struct VolumeEntry {
  volume::Volume volume;
  std::optional<fs::Probe> probe;       ///< nullopt when the volume has no readable bytes
  std::unique_ptr<tree::FileTree> tree; ///< open when probe says readable and open worked
  std::string open_error;               ///< one line when the filesystem failed to open
  std::string mount_point;              ///< "/" or "/boot" from the root fs's fstab; else empty
  bool is_root = false;                 ///< holds /etc/os-release or /etc/fstab
  std::optional<OsInfo> os;             ///< for root filesystems
  std::vector<FstabEntry> fstab;        ///< for root filesystems
  /// Prefix for paths from this volume in every output: the mount point when known, else
  /// "/" + volume name (e.g. "/p2/lvm/vg0/data").
  std::string path_prefix() const;
};

struct Evidence {
  std::vector<std::string> paths;
  std::shared_ptr<image::Image> image;  ///< null if it could not be opened
  std::string error;                    ///< the one-line error when it could not
  std::string error_code;               ///< deadbox::Error code ("needs_parent", …)
};

struct Options {
  image::OpenOptions open;
  bool open_trees = true;   ///< false: probe only (cheap `info`)
};

struct Inventory {
  std::vector<Evidence> evidence;
  volume::Layout layout;
  std::vector<VolumeEntry> volumes;  ///< same order as layout.volumes
  Diagnostics diag;

  /// Volume by name, or null.
  VolumeEntry* find(std::string_view name);
  /// Worst exit code implied by what failed (kExitOk, kExitPartial, kExitEvidenceUnreadable,
  /// kExitNeedsParent).
  int exit_code() const;
};

/// Opens all evidence items (paths grouped by image::group_evidence_paths), discovers volumes,
/// probes and opens filesystems, reads OS facts and fstab. Never throws for bad evidence: each
/// failure is recorded on its Evidence/VolumeEntry and in diag.
Inventory open(const std::vector<std::string>& paths, const Options& options);

}  // namespace deadbox::inventory
