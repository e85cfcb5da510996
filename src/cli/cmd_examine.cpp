// SPDX-License-Identifier: Apache-2.0
// `deadbox examine`: maps the command line onto deadbox::examine (src/examine/).
#include "cli/commands.hpp"
#include "deadbox/examine/examine.hpp"

namespace deadbox::cli {

int run_examine(const ExamineOptions& o) {
  examine::Options e;
  e.images = o.common.images;
  e.qcow_parent = o.common.qcow_parent.value_or("");
  e.artifacts_dir = o.common.artifacts_dir;
  e.output = o.output;
  e.force = o.force;
  e.hash = o.hash;
  e.tz = o.tz;
  e.fail_on = o.fail_on;
  e.quiet = o.common.quiet;
  e.progress = o.common.progress;
  e.argv = o.argv;
  return examine::run(e);
}

}  // namespace deadbox::cli
