// SPDX-License-Identifier: Apache-2.0
// persistence/ld_so_preload: anything in /etc/ld.so.preload (loaded into every dynamically
// linked process: the userland-rootkit hook). Ref: https://attack.mitre.org/techniques/T1574/006/
#include "checks/persistence/command_traits.hpp"

namespace deadbox::checks {
namespace {

// Where distributions install shared libraries; anything else is an odd home for a preload.
bool in_library_dir(std::string_view lib) {
  for (std::string_view d : {"/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/usr/local/lib/"})
    if (lib.starts_with(d)) return lib.find("/.") == std::string_view::npos;
  return false;
}

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of("linux/ld_so_preload")) {
    const std::string_view lib = r.str("library").value_or("");
    const bool odd = !in_library_dir(lib);
    Finding f;
    f.severity = odd ? Severity::kCritical : Severity::kHigh;
    f.message = "ld.so.preload loads " + cmd::cap(lib, 200) + " into every process" +
                (odd ? " from outside the library directories" : "");
    f.evidence.push_back(cmd::evidence_of(r, r.str("line").value_or(lib)));
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kPersistenceLdSoPreload{
    .id = "persistence/ld_so_preload",
    .title = "/etc/ld.so.preload loads a library into every process",
    .severity = Severity::kHigh,
    .attack_id = "T1574.006",
    .description =
        "Every entry of /etc/ld.so.preload is reported: the dynamic linker injects it into all "
        "programs, which is how userland rootkits (libprocesshider, Azazel, Jynx) hide files, "
        "processes and connections from the live system. High; critical when the library lives "
        "outside /lib, /usr/lib or /usr/local/lib or in a hidden directory.",
    .false_positives = "Rare: some memory allocators or security agents are preloaded this way "
                       "(e.g. libjemalloc); confirm the library's package ownership.",
    .needs = {"linux/ld_so_preload"},
    .references = {"https://attack.mitre.org/techniques/T1574/006/",
                   "https://man7.org/linux/man-pages/man8/ld.so.8.html"},
    .run = &run};

}  // namespace deadbox::checks
