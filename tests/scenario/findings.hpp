// SPDX-License-Identifier: Apache-2.0
// Scenario-test helpers: run `deadbox check --json` on a fixture image (once per process) and
// parse its findings JSONL into plain structs, so tests can assert on levels and evidence.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace deadbox::scenario {

struct Evidence {
  std::string volume;
  std::string path;
  std::string excerpt;
};

struct Finding {
  std::string id;
  std::string rule_id;
  std::string title;
  std::string level;
  std::string message;
  std::vector<Evidence> evidence;
  std::string json;  ///< the original line, for failure messages
};

/// info 0 … critical 4; -1 for anything else (a malformed level fails the shape test).
int level_rank(const std::string& level);

/// Parses findings JSONL; every line that is not a finding object goes to *errors.
std::vector<Finding> parse_findings(const std::string& jsonl, std::vector<std::string>* errors);

struct CheckRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::vector<Finding> findings;
  std::vector<std::string> parse_errors;
};

/// `deadbox check <image> --json [extra...]`, memoised per (image, extra) within the process.
const CheckRun& check_json(const std::string& image, const std::vector<std::string>& extra = {});

/// One line per finding: "level rule_id volume:path | excerpt | message" (for test logs).
std::string describe(const Finding& f);

/// Does finding f name `path` (an evidence path equal to it, or the message containing it)?
bool names_path(const Finding& f, const std::string& path);

/// Does `text` occur in f's message, title, or any evidence path or excerpt?
bool mentions(const Finding& f, const std::string& text);

/// DIR/records/<file>.jsonl contents by file name (written by `check -o DIR`).
std::map<std::string, std::string> read_records(const std::filesystem::path& dir);

/// Is there a record line (in `file`, or in any file when empty) containing every needle?
bool any_line_has(const std::map<std::string, std::string>& records,
                  const std::vector<std::string>& needles, const std::string& file = {});

/// One planted indicator of a scenario's expect.indicators (path and/or volume, detail).
struct Indicator {
  int index = 0;
  std::string what, path, volume, detail;
};

/// expect.indicators of fixtures/scenarios/<scenario>.json in the source tree (the generator
/// copies expect into layout.json unchanged), so tests exist before the images are built.
std::vector<Indicator> load_indicators(const std::string& scenario);

/// Empty when a finding at medium or above names the indicator (its path as evidence path or
/// in the message, else an evidence item on its volume; and its detail mentioned anywhere);
/// otherwise the explanation: matching findings below medium and related ones.
std::string indicator_miss(const std::vector<Finding>& findings, const Indicator& ind,
                           const Finding** hit);

/// gtest prints the parameters of failed tests: the indicator, not its bytes.
void PrintTo(const Indicator& ind, std::ostream* os);

/// gtest parameter name: "07__tmp_kthreaddi".
std::string indicator_name(const Indicator& ind);

}  // namespace deadbox::scenario
