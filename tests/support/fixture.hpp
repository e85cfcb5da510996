// SPDX-License-Identifier: Apache-2.0
// Test support: locating generated fixture images and running the deadbox binary.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace deadbox::testing {

/// ${build}/fixtures (the fixtures_build ctest writes it).
std::filesystem::path fixtures_dir();

/// Path of a fixture file, or nullopt with *skip_reason set (scenario not built, or its
/// SKIPPED file says why, e.g. no loop devices for LVM).
std::optional<std::filesystem::path> fixture(const std::string& scenario,
                                             const std::string& file,
                                             std::string* skip_reason);

/// In a TEST body: `auto p = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");` skips the test
/// with the build command when missing.
#define DEADBOX_FIXTURE(scenario, file)                                                 \
  ({                                                                                    \
    std::string deadbox_skip_reason_;                                                   \
    auto deadbox_p_ = ::deadbox::testing::fixture(scenario, file, &deadbox_skip_reason_); \
    if (!deadbox_p_) GTEST_SKIP() << deadbox_skip_reason_;                              \
    *deadbox_p_;                                                                        \
  })

struct RunResult {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// Runs the built deadbox binary with args (no shell), capturing stdout and stderr.
RunResult run_deadbox(const std::vector<std::string>& args);

/// Runs any program (no shell).
RunResult run_program(const std::vector<std::string>& argv);

/// Fresh empty temporary directory, removed by the caller (or left for inspection).
std::filesystem::path make_temp_dir(const std::string& tag);

/// Reads a whole host file.
std::string read_text(const std::filesystem::path& p);

}  // namespace deadbox::testing
