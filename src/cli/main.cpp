// SPDX-License-Identifier: Apache-2.0
// deadbox command line: the only file that includes CLI11 and maps exceptions to exit codes.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"

namespace {

constexpr const char* kExitCodes = R"(Exit codes:
  0  done, no finding at or above --fail-on
  1  done, findings at or above --fail-on (check, examine)
  2  usage error
  3  evidence unreadable (no image could be opened)
  4  done with errors (a volume, filesystem or file could not be read; see stderr/report)
  5  differential image: qcow2 with a backing file and no --qcow-parent
  6  output folder exists and is not empty (use --force)
  70 internal error)";

void add_common(CLI::App* cmd, deadbox::cli::CommonOptions& c) {
  cmd->add_option("images", c.images, "Evidence files (raw, .001…, .E01…, qcow2, vmdk, vhd)")
      ->required();
  cmd->add_option("--qcow-parent", c.qcow_parent,
                  "Backing image of a differential qcow2 (never taken from the image itself)");
  cmd->add_option("--artifacts", c.artifacts_dir, "Artifact definitions and lists folder")
      ->default_str(deadbox::cli::default_artifacts_dir());
  cmd->add_flag("-q,--quiet", c.quiet, "No progress or summary on stderr");
  cmd->add_flag("--progress", c.progress, "Progress on stderr even when it is not a terminal");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace deadbox::cli;
  CLI::App app{"deadbox: offline incident response on Linux VM disk images", "deadbox"};
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("deadbox ") + DEADBOX_VERSION);

  InfoOptions info;
  auto* info_cmd = app.add_subcommand("info", "List containers, volumes, filesystems and OS");
  add_common(info_cmd, info.common);
  info_cmd->add_flag("--json", info.json, "JSON output");
  info_cmd->add_flag("--hash", info.hash, "MD5/SHA-1/SHA-256 of the media (one pass)");

  TimelineOptions tl;
  auto* tl_cmd = app.add_subcommand("timeline", "MAC-time timeline of every filesystem");
  add_common(tl_cmd, tl.common);
  tl_cmd->add_option("-o,--output", tl.output, "Output file (default stdout)");
  tl_cmd->add_option("--format", tl.format, "body | csv | jsonl")
      ->check(CLI::IsMember({"body", "csv", "jsonl"}));
  tl_cmd->add_option("--volume", tl.volumes, "Only these volumes (repeatable)");
  tl_cmd->add_option("--from", tl.from, "Window start, ISO-8601 UTC (csv, jsonl)");
  tl_cmd->add_option("--to", tl.to, "Window end, ISO-8601 UTC (csv, jsonl)");
  tl_cmd->add_option("--tz", tl.tz, "Zone for the human date column (csv)");
  tl_cmd->add_flag("--ns", tl.ns, "Fractional seconds in the bodyfile (sec.nnnnnnnnn)");
  tl_cmd->add_option("--bodyfile-escape", tl.escape,
                     "fls: names raw as fls prints them; plaso: escape | and \\ (plaso decodes)")
      ->check(CLI::IsMember({"fls", "plaso"}));

  ExtractOptions ex;
  auto* ex_cmd = app.add_subcommand("extract", "Extract incident artifacts with a hashed manifest");
  add_common(ex_cmd, ex.common);
  ex_cmd->add_option("-o,--output", ex.output, "Output folder")->required();
  ex_cmd->add_option("--artifact", ex.artifacts, "Only these artifact names (repeatable)");
  ex_cmd->add_option("--volume", ex.volumes, "Only these volumes (repeatable)");
  ex_cmd->add_flag("--force", ex.force, "Write into an existing non-empty folder");
  ex_cmd->add_option("--max-file-bytes", ex.max_file_bytes, "Per-file byte cap");
  ex_cmd->add_option("--max-total-bytes", ex.max_total_bytes, "Per-run byte cap");

  CheckOptions ck;
  auto* ck_cmd = app.add_subcommand("check", "Run the responder's checks");
  add_common(ck_cmd, ck.common);
  ck_cmd->add_flag("--json", ck.json, "findings as JSON lines on stdout");
  ck_cmd->add_option("-o,--output", ck.output, "Folder for findings.jsonl and records/");
  ck_cmd->add_option("--min-severity", ck.min_severity, "info|low|medium|high|critical")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));
  ck_cmd->add_option("--fail-on", ck.fail_on, "Exit 1 when a finding is at or above this")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));

  ExamineOptions exm;
  auto* exm_cmd = app.add_subcommand("examine", "Everything: case folder with report.html");
  add_common(exm_cmd, exm.common);
  exm_cmd->add_option("-o,--output", exm.output, "Case folder")->required();
  exm_cmd->add_flag("--hash", exm.hash, "Hash the evidence media");
  exm_cmd->add_option("--tz", exm.tz, "auto (image's /etc/localtime) | UTC | ZONE");
  exm_cmd->add_flag("--force", exm.force, "Write into an existing non-empty folder");
  exm_cmd->add_option("--fail-on", exm.fail_on, "Exit 1 when a finding is at or above this");

  ListOptions ls;
  auto* ls_cmd = app.add_subcommand("list", "Catalogues: artifacts, checks, parsers");
  ls_cmd->add_option("what", ls.what, "artifacts | checks | parsers")
      ->required()
      ->check(CLI::IsMember({"artifacts", "checks", "parsers"}));
  ls_cmd->add_flag("--json", ls.json, "JSON output");
  ls_cmd->add_option("--artifacts", ls.artifacts_dir, "Artifact definitions folder")
      ->default_str(default_artifacts_dir());

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? deadbox::kExitOk : deadbox::kExitUsage;
  }
  for (auto* c : {&info.common, &tl.common, &ex.common, &ck.common, &exm.common})
    if (c->artifacts_dir.empty()) c->artifacts_dir = default_artifacts_dir();
  if (ls.artifacts_dir.empty()) ls.artifacts_dir = default_artifacts_dir();
  exm.argv.assign(argv, argv + argc);

  try {
    if (*info_cmd) return run_info(info);
    if (*tl_cmd) return run_timeline(tl);
    if (*ex_cmd) return run_extract(ex);
    if (*ck_cmd) return run_check(ck);
    if (*exm_cmd) return run_examine(exm);
    if (*ls_cmd) return run_list(ls);
  } catch (const deadbox::Error& e) {
    std::cerr << "deadbox: " << e.what() << "\n";
    if (e.code() == "needs_parent") return deadbox::kExitNeedsParent;
    if (e.code() == "output_exists") return deadbox::kExitOutputRefused;
    if (e.layer() == deadbox::Layer::kImage) return deadbox::kExitEvidenceUnreadable;
    return deadbox::kExitPartial;
  } catch (const std::exception& e) {
    std::cerr << "deadbox: internal error: " << deadbox::escape::terminal(e.what()) << "\n";
    return deadbox::kExitInternal;
  }
  return deadbox::kExitUsage;
}
