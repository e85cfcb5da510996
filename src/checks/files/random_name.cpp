// SPDX-License-Identifier: Apache-2.0
// files/random_name: names that look drawn at random (letter-bigram statistics, not a list
// of known names), in odd places or on ELF files: the seed's /boot/wkwfnxjpaa, ezfvmlunqc.
#include "checks/files/common.hpp"

namespace deadbox::checks {
namespace {

using namespace files;

void run(const parsers::RecordStore& records, const Knowledge&, FindingSink& out) {
  for (const auto& r : records.of(kFile)) {
    const std::string_view scope = r.str("scope").value_or("");
    if (scope.find("random_name") == std::string_view::npos) continue;
    if (r.flag("package_owned").value_or(false)) continue;
    const std::string_view path = path_of(r);
    // ELF in /usr/bin is normal; on rpm systems (no ownership data) plenty of real tools
    // there have abbreviation-heavy names, so only ELF outside the binary dirs counts.
    const bool elf = r.flag("is_elf").value_or(false) && !r.flag("in_bin_dir").value_or(false);
    const bool odd = scope.find("odd_place") != std::string_view::npos ||
                     scope.find("hidden") != std::string_view::npos;
    // Elsewhere (a user's documents, a cache) a random-looking name is usually a hash or a
    // temp name; place or ELF content is what makes it evidence.
    if (!elf && !odd) continue;
    const bool deleted = r.flag("deleted").value_or(false);
    Finding f;
    f.severity = elf || under(path, "/boot") ? Severity::kHigh : Severity::kMedium;
    f.message = "Random-looking name (score " + std::to_string(r.i64("random_score").value_or(0)) +
                "/100)" + (elf ? " on an ELF file" : "") + (deleted ? " (deleted)" : "") + ": " +
                std::string(path);
    f.evidence.push_back(evidence_of(r));
    set_seen(f);
    out.add(std::move(f));
  }
}

}  // namespace

extern const Check kFilesRandomName{
    .id = "files/random_name",
    .title = "Random-looking file name",
    .severity = Severity::kHigh,
    .attack_id = "T1036",
    .description =
        "File names of 6-32 letters whose letter pairs are improbable in English and Unix "
        "names (mean log10 bigram probability under a model counted from English prose, "
        "artifacts/lists/name_bigrams.txt), reported when the file is ELF or lies in an odd "
        "place (/boot, /tmp, /etc, hidden directories…). Droppers name their copies with "
        "random letters; the seed's miner was /boot/wkwfnxjpaa with siblings that vanished.",
    .false_positives =
        "Abbreviation-heavy tool names (zstdgrep, vgcfgbackup) score high but are packaged; "
        "on this project's measurements about 0.02% of real file names score random. "
        "Unpackaged vendor binaries with such names in /opt or /usr/local are the usual "
        "false alarm.",
    .needs = {"fs/file"},
    .references = {"https://attack.mitre.org/techniques/T1036/"},
    .run = &run,
};

}  // namespace deadbox::checks
