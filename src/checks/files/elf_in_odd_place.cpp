// SPDX-License-Identifier: Apache-2.0
// files/elf_in_odd_place: ELF executables and libraries where none belong (/boot, /tmp,
// /var/tmp, /dev/shm, /etc, hidden and home dot-directories): the seed's /boot/wkwfnxjpaa.
#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of(kFile)) {
    if (!r.flag("is_elf").value_or(false) || r.flag("package_owned").value_or(false)) continue;
    const std::string_view path = path_of(r);
    const std::string_view kind = r.str("elf_kind").value_or("");
    if (kind == "core") continue;  // core dumps are memory, not planted code
    // grub-install copies GRUB's own ELF relocatables (*.mod, efiemu*.o) into /boot/grub,
    // outside any package list.
    if (kind == "rel" && under_any(path, {"/boot/grub", "/boot/grub2"})) continue;
    // Kernel modules have their own check (files/kernel_module_odd_place).
    if (r.str("scope").value_or("").find("kernel_module") != std::string_view::npos) continue;
    const bool odd_dir = under_any(path, {"/boot", "/tmp", "/var/tmp", "/dev/shm", "/etc"});
    const bool hidden = r.flag("hidden_dir").value_or(false) || in_home_dotdir(path);
    if (!odd_dir && !hidden) continue;
    Finding f;
    f.severity = Severity::kHigh;
    f.message = "ELF " + std::string(kind) + " file in " + (odd_dir ? "" : "hidden directory ") +
                std::string(parent_of(path)) + ": " + std::string(path) +
                (r.flag("deleted").value_or(false) ? " (deleted)" : "");
    f.evidence.push_back(evidence_of(r));
    set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kFilesElfInOddPlace{
    .id = "files/elf_in_odd_place",
    .title = "Executable or library in an odd place",
    .severity = Severity::kHigh,
    .attack_id = "T1036.005",
    .description =
        "ELF executables, shared objects and relocatables (not in the package database) in "
        "/boot, /tmp, /var/tmp, /dev/shm, /etc, hidden directories or home dot-directories. "
        "Droppers and miners are written there because those places are writable and rarely "
        "looked at; the seed incident's miner was /boot/wkwfnxjpaa.",
    .false_positives =
        "Hand-installed tools under ~/.local or a dot-directory of a language toolchain "
        "(~/.cargo/bin, ~/.rustup, ~/.vscode-server); build trees unpacked in /tmp; GRUB "
        "modules (ELF relocatables) in /boot/grub are skipped.",
    .needs = {"fs/file"},
    .references = {"https://attack.mitre.org/techniques/T1036/005/",
                   "https://man7.org/linux/man-pages/man5/elf.5.html"},
    .run = &run,
};

}  // namespace deadbox::checks
