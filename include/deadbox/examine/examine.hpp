// SPDX-License-Identifier: Apache-2.0
// `deadbox examine`: the one command. Opens the evidence once, walks every filesystem once
// (timeline writers, artifact extraction, record collection and the file scanner all ride the
// same walk), runs the checks and writes the case folder:
//   case.json, report.html, findings.jsonl, records/*.jsonl,
//   timeline/{bodyfile.txt,timeline.csv,timeline.jsonl}, artifacts/ (+ manifest.jsonl/.csv)
#pragma once
#include <string>
#include <vector>

namespace deadbox::examine {

struct Options {
  std::vector<std::string> images;
  std::string qcow_parent;      ///< empty = none
  std::string artifacts_dir;
  std::string output;           ///< case folder
  bool force = false;
  bool hash = false;
  std::string tz = "auto";      ///< auto | UTC | zone name (human date column of the CSV)
  std::string fail_on = "high";
  bool quiet = false;
  bool progress = false;        ///< force progress even when stderr is not a terminal
  std::vector<std::string> argv;
};

/// Runs everything; returns the process exit code (see cli/main.cpp). Throws deadbox::Error
/// only for usage-level problems (output folder refused, definitions invalid).
int run(const Options& options);

}  // namespace deadbox::examine
