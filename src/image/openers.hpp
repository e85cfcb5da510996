// SPDX-License-Identifier: Apache-2.0
// The container openers behind open_image (detect.cpp holds the table). Private to layer 1.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/image/image.hpp"
#include "deadbox/util/error.hpp"

namespace deadbox::image {

/// raw, split_raw, vmdk, vhd through TSK with the explicit image type (never DETECT).
std::shared_ptr<Image> open_tsk_image(const std::string& format,
                                      const std::vector<std::string>& files);
/// E01 (and its .E02… segments) through libewf.
std::shared_ptr<Image> open_ewf_image(const std::vector<std::string>& files);
/// qcow2 through libqcow; a backing file only via options.qcow_parent.
std::shared_ptr<Image> open_qcow_image(const std::string& file, const OpenOptions& options);

/// Refuses VMDKs whose descriptor names extent or parent files outside the descriptor's own
/// folder (libvmdk would open them: a host path named inside the evidence). Throws
/// deadbox::Error (image, "unsafe_extent" / "needs_parent").
void check_vmdk_descriptor(const std::string& file);

/// Sum of the host sizes of files (0 for unreadable ones).
uint64_t total_file_size(const std::vector<std::string>& files);

/// Last path component.
std::string base_name(std::string_view path);

}  // namespace deadbox::image
