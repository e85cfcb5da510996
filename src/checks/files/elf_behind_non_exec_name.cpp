// SPDX-License-Identifier: Apache-2.0
// files/elf_behind_non_exec_name: ELF content behind a data-file name (.conf, .log, .jpg…),
// as in the 003 case's /etc/security/ntps.conf, or an executable named like a library.
#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

constexpr std::string_view kDataExtensions[] = {
    ".conf", ".cfg", ".cnf", ".ini", ".log", ".txt",   ".pid",  ".lock",    ".jpg",  ".jpeg",
    ".png",  ".gif", ".bmp", ".ico", ".xml", ".json",  ".yml",  ".yaml",    ".csv",  ".html",
    ".css",  ".js",  ".pdf", ".doc", ".md",  ".rules", ".list", ".service", ".timer"};

std::string_view data_extension(std::string_view name) {
  for (std::string_view ext : kDataExtensions)
    if (name.size() > ext.size() && name.ends_with(ext)) return ext;
  return {};
}

// "libx.so" or "libx.so.1.2": the name of a shared object.
bool library_name(std::string_view name) {
  const auto pos = name.find(".so");
  return pos != std::string_view::npos && pos > 0 &&
         (pos + 3 == name.size() || name[pos + 3] == '.');
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of(kFile)) {
    if (!r.flag("is_elf").value_or(false) || r.flag("package_owned").value_or(false)) continue;
    const std::string_view name = r.str("name").value_or("");
    const std::string_view kind = r.str("elf_kind").value_or("");
    if (kind == "core") continue;
    Finding f;
    const std::string_view ext = data_extension(name);
    if (!ext.empty()) {
      // An executable posing as a config file is made to be run, not read.
      f.severity = kind == "exec" || kind == "dyn" ? Severity::kCritical : Severity::kHigh;
      f.message = "ELF " + std::string(kind) + " content behind a '" + std::string(ext) +
                  "' name: " + std::string(path_of(r));
    } else if (library_name(name) && kind == "exec") {
      f.severity = Severity::kHigh;
      f.message =
          "ELF executable (not a shared object) named like a library: " + std::string(path_of(r));
    } else {
      continue;
    }
    f.evidence.push_back(evidence_of(r));
    set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kFilesElfBehindNonExecName{
    .id = "files/elf_behind_non_exec_name",
    .title = "ELF content behind a non-executable name",
    .severity = Severity::kCritical,
    .attack_id = "T1036.008",
    .description =
        "Files whose first bytes are an ELF header but whose name says configuration, log, "
        "text or image (.conf, .log, .txt, .jpg, .pid…), or an ELF executable named like a "
        "shared library. The 003 case hid its backdoor as /etc/security/ntps.conf.",
    .false_positives =
        "Very rare: a vendor shipping a helper binary with a .cfg-like name outside any "
        "package. Files inside the standard binary and library directories are not read.",
    .needs = {"fs/file"},
    .references = {"https://attack.mitre.org/techniques/T1036/008/",
                   "https://man7.org/linux/man-pages/man5/elf.5.html"},
    .run = &run,
};

}  // namespace deadbox::checks
