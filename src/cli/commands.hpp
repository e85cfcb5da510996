// SPDX-License-Identifier: Apache-2.0
// Subcommand options and entry points. main.cpp (the only file that sees CLI11) fills the
// option structs; each run_* lives in its own cmd_<name>.cpp and returns an ExitCode.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace deadbox::cli {

struct CommonOptions {
  std::vector<std::string> images;
  std::optional<std::string> qcow_parent;
  std::string artifacts_dir;  ///< definitions and lists (default: built-in artifacts/)
  bool quiet = false;
  bool progress = false;
};

struct InfoOptions {
  CommonOptions common;
  bool json = false;
  bool hash = false;
};

struct TimelineOptions {
  CommonOptions common;
  std::string output;            ///< file; empty = stdout
  std::string format = "body";   ///< body | csv | jsonl
  std::vector<std::string> volumes;
  std::string from, to;          ///< ISO-8601 window (csv/jsonl)
  std::string tz = "UTC";
  bool ns = false;               ///< fractional seconds in the bodyfile
  std::string escape = "fls";    ///< fls | plaso: name escaping in the bodyfile
  bool orphans = true;
};

struct ExtractOptions {
  CommonOptions common;
  std::string output;
  std::vector<std::string> artifacts;
  std::vector<std::string> volumes;
  bool force = false;
  uint64_t max_file_bytes = 0;   ///< 0 = default
  uint64_t max_total_bytes = 0;
};

struct CheckOptions {
  CommonOptions common;
  bool json = false;
  std::string output;            ///< -o DIR: findings.jsonl + records/
  std::string min_severity = "info";
  std::string fail_on = "high";
};

struct ExamineOptions {
  CommonOptions common;
  std::string output;
  bool hash = false;
  std::string tz = "auto";
  bool force = false;
  std::string fail_on = "high";
  std::vector<std::string> argv;  ///< full command line for case.json
};

struct ListOptions {
  std::string what;  ///< artifacts | checks | parsers
  bool json = false;
  std::string artifacts_dir;
};

int run_info(const InfoOptions& o);
int run_timeline(const TimelineOptions& o);
int run_extract(const ExtractOptions& o);
int run_check(const CheckOptions& o);
int run_examine(const ExamineOptions& o);
int run_list(const ListOptions& o);

/// Built-in artifacts/ folder (compile-time default, DEADBOX_ARTIFACTS env overrides).
std::string default_artifacts_dir();

}  // namespace deadbox::cli
