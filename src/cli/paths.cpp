// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>

#include "cli/commands.hpp"

namespace deadbox::cli {

std::string default_artifacts_dir() {
  if (const char* env = std::getenv("DEADBOX_ARTIFACTS")) return env;
  return DEADBOX_ARTIFACTS_DIR;
}

}  // namespace deadbox::cli
