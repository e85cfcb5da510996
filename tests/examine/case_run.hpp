// SPDX-License-Identifier: Apache-2.0
// examine-test helpers: run `deadbox examine` once per (image, options) per process into a
// fresh case folder, and read that folder back (relative file list, JSON lines).
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/fixture.hpp"

namespace deadbox::examine_test {

struct CaseRun {
  testing::RunResult result;
  std::filesystem::path dir;  ///< the case folder (-o)
};

/// `deadbox examine IMAGE -o <fresh dir> [extra...]`, memoised per (image, extra, slot): tests
/// sharing a slot share one run; a different slot forces an independent run (determinism).
const CaseRun& examine(const std::string& image, const std::vector<std::string>& extra = {},
                       int slot = 0);

/// Every regular file under dir, as relative path → content.
std::map<std::string, std::string> read_tree(const std::filesystem::path& dir);

/// Non-empty lines of a text.
std::vector<std::string> lines_of(const std::string& text);

/// The planted indicators of a scenario's layout.json (expect.indicators).
struct Indicator {
  std::string what, path, volume, detail;
  bool deleted = false;
};
std::vector<Indicator> layout_indicators(const std::string& scenario);

/// hostile_names as a system examine treats as a root filesystem: the fixture has no
/// /etc/os-release or /etc/fstab, so its passwd and auth.log are never parsed and its names only
/// reach the report through a window that needs findings. A copy of disk.raw (in a temp dir)
/// gets an os-release whose PRETTY_NAME carries markup and escapes, and a uid-0 account named
/// with an OSC sequence appended to the fixture's own passwd (debugfs -w on the copy), so image
/// text reaches every output: report tables, findings, the window, the terminal summary.
/// nullopt with *skip set when the fixture is not built, or with *error when making the copy
/// failed (debugfs is part of e2fsprogs, which the fixtures need anyway).
std::optional<std::filesystem::path> hostile_root_image(std::string* skip, std::string* error);

/// In a TEST body: the hostile_root_image() path; skips or fails the test without it.
#define HOSTILE_ROOT_IMAGE()                                                         \
  ({                                                                                 \
    std::string hr_skip_, hr_error_;                                                 \
    auto hr_p_ = ::deadbox::examine_test::hostile_root_image(&hr_skip_, &hr_error_); \
    if (!hr_error_.empty()) FAIL() << hr_error_;                                     \
    if (!hr_p_) GTEST_SKIP() << hr_skip_;                                            \
    *hr_p_;                                                                          \
  })

}  // namespace deadbox::examine_test
