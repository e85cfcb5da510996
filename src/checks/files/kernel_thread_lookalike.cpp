// SPDX-License-Identifier: Apache-2.0
// files/kernel_thread_lookalike: files named like (or one or two edits from) a kernel thread
// or system daemon: kthreaddi, kdevtmpfsi, khugepageds, "[ksoftirqd/7]".
#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of(kFile)) {
    const auto real = r.str("lookalike_of");
    if (!real || r.flag("package_owned").value_or(false)) continue;
    const std::string_view type = r.str("file_type").value_or("");
    if (type != "file" && type != "symlink") continue;  // directories: kernel source trees
    const std::string_view list = r.str("lookalike_list").value_or("");
    const int64_t distance = r.i64("lookalike_distance").value_or(99);
    const bool elf = r.flag("is_elf").value_or(false);
    const bool exec_bits = (r.i64("mode").value_or(0) & 0111) != 0;
    const std::string_view scope = r.str("scope").value_or("");
    const bool odd = scope.find("odd_place") != std::string_view::npos ||
                     scope.find("hidden") != std::string_view::npos;
    if (list == "kernel_threads") {
      // Kernel threads have no executable file at all; the exact name on a file only counts
      // when it is a program or sits somewhere odd (not "watchdog" docs or driver folders).
      if (distance == 0 && !elf && !(odd && exec_bits)) continue;
      if (distance > 0 && !elf && !exec_bits && !odd) continue;
    } else if (!elf && !exec_bits) {
      continue;  // a daemon-like name on a data file is not masquerading as a process
    } else if (*real == std::string(r.str("name").value_or("")) + "d") {
      continue;  // the daemon's own client (docker/dockerd, ssh/sshd); kthreaddi adds, not drops
    }
    Finding f;
    f.severity = elf || exec_bits ? Severity::kHigh : Severity::kMedium;
    // Near-miss daemon names inside the binary directories are often real companion tools
    // (chronyc next to chronyd) on systems whose package database deadbox cannot read.
    if (list == "system_daemons" && r.flag("in_bin_dir").value_or(false))
      f.severity = Severity::kMedium;
    f.message = "'" + std::string(r.str("name").value_or("")) + "' imitates the " +
                (list == "kernel_threads" ? "kernel thread '" : "daemon '") + std::string(*real) +
                "' (edit distance " + std::to_string(distance) + ")" + (elf ? ", ELF" : "") + ": " +
                std::string(path_of(r));
    f.evidence.push_back(evidence_of(r));
    set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kFilesKernelThreadLookalike{
    .id = "files/kernel_thread_lookalike",
    .title = "File named like a kernel thread or system daemon",
    .severity = Severity::kHigh,
    .attack_id = "T1036.005",
    .description =
        "Names within a small Damerau-Levenshtein distance (1 for 6-7 letters, 2 from 8) of a "
        "real kernel thread or daemon from artifacts/lists/kernel_threads.txt and "
        "system_daemons.txt, or exactly a kernel thread name on a program. Miners rename "
        "themselves kthreaddi, kdevtmpfsi or khugepageds so `ps` output looks normal; the "
        "003 case ran as [ksoftirqd/7].",
    .false_positives =
        "Unpackaged helpers with names close to a daemon (a custom 'crond2' wrapper); "
        "packaged files and directories are never reported.",
    .needs = {"fs/file"},
    .references = {"https://attack.mitre.org/techniques/T1036/005/"},
    .run = &run,
};

}  // namespace deadbox::checks
