// SPDX-License-Identifier: Apache-2.0
// TEMPORARY placeholder until the owning change lands; replaced by the real command.
#include <iostream>

#include "cli/commands.hpp"
#include "deadbox/util/error.hpp"

namespace deadbox::cli {

int run_info(const InfoOptions&) {
  std::cerr << "deadbox info: not implemented yet\n";
  return kExitInternal;
}

}  // namespace deadbox::cli
