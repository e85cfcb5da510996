// SPDX-License-Identifier: Apache-2.0
// files/kernel_module_odd_place: kernel modules (.ko) outside /lib/modules and
// /usr/lib/modules: rootkits (Diamorphine, Reptile) are loaded from wherever they were built.
#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of(kFile)) {
    if (r.str("scope").value_or("").find("kernel_module") == std::string_view::npos) continue;
    if (r.str("file_type").value_or("") != "file" || r.flag("package_owned").value_or(false))
      continue;
    const std::string_view path = path_of(r);
    // DKMS and kernel source trees build modules in place before installing them.
    if (under_any(path, {"/var/lib/dkms", "/usr/src", "/usr/lib/debug"})) continue;
    const bool elf = r.flag("is_elf").value_or(false);
    Finding f;
    f.severity = Severity::kHigh;
    f.message = std::string("Kernel module outside /lib/modules") +
                (elf ? "" : " (content not ELF or unread)") + ": " + std::string(path);
    f.evidence.push_back(evidence_of(r));
    set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kFilesKernelModuleOddPlace{
    .id = "files/kernel_module_odd_place",
    .title = "Kernel module outside the module tree",
    .severity = Severity::kHigh,
    .attack_id = "T1547.006",
    .description =
        "Files named *.ko (also .ko.xz, .ko.zst, .ko.gz) outside /lib/modules and "
        "/usr/lib/modules and not owned by a package. insmod loads a module from any path, "
        "so LKM rootkits often stay where they were compiled or dropped (/tmp, /dev/shm, a "
        "hidden directory).",
    .false_positives =
        "Out-of-tree drivers built by hand outside DKMS (vendor NIC or GPU drivers in /opt "
        "or a home directory); DKMS build trees and /usr/src are skipped.",
    .needs = {"fs/file"},
    .references = {"https://attack.mitre.org/techniques/T1547/006/",
                   "https://man7.org/linux/man-pages/man8/insmod.8.html"},
    .run = &run,
};

}  // namespace deadbox::checks
