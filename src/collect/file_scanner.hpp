// SPDX-License-Identifier: Apache-2.0
// FileScanner: the walk consumer behind the file checks. It keeps only the entries those
// checks need (odd places, hidden and deleted names, random or lookalike names, ELF content
// outside the binary directories), so a 400k-file tree stays cheap, then emits fs/file and
// content-scans them for indicators (fs/content_match). Private to collect.
#pragma once
#include <string>
#include <vector>

#include "checks/files/name_score.hpp"
#include "collect/content_matcher.hpp"
#include "collect/package_index.hpp"
#include "deadbox/collect/collect.hpp"
#include "deadbox/pipeline/walk_consumer.hpp"

namespace deadbox::collect {

/// Bytes left for content scanning in this run (shared by all volumes).
struct ScanBudget {
  uint64_t bytes_left = 0;
  bool exhausted_reported = false;
};

class FileScanner final : public pipeline::WalkConsumer {
 public:
  FileScanner(const checks::Knowledge& knowledge, const PackageIndex& packages,
              const ContentMatcher& matcher, const Limits& limits, ScanBudget& budget,
              parsers::RecordSink& out);
  void begin_volume(const pipeline::VolumeContext& ctx) override;
  void on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) override;
  void end_volume(const pipeline::VolumeContext& ctx) override;

 private:
  struct Candidate {
    tree::FileEntry entry;
    std::string path;    // system path
    std::string scope;   // comma-separated reasons
    bool sniff = false;  // read the first bytes: ELF outside the binary directories?
    bool scan = false;   // content-scan regardless of ELF
    bool package_owned = false;
    bool in_bin_dir = false;  // below an elf_allowed_dirs entry
    std::optional<checks::files::RandomScore> random;
    std::optional<checks::files::Lookalike> lookalike;
  };
  void finish(const pipeline::VolumeContext& ctx, Candidate& c);
  void scan_content(const pipeline::VolumeContext& ctx, const Candidate& c,
                    const std::shared_ptr<const parsers::Source>& src, bool is_elf,
                    const std::string& elf_kind);

  const checks::Knowledge& knowledge_;
  const PackageIndex& packages_;
  const ContentMatcher& matcher_;
  const Limits& limits_;
  ScanBudget& budget_;
  parsers::RecordSink& out_;
  checks::files::NameScorer scorer_;
  checks::files::LookalikeMatcher lookalikes_;
  std::vector<std::string> elf_dirs_;
  std::vector<Candidate> candidates_;
};

/// "exec", "dyn", "rel", "core", "other", or "" when the bytes are not an ELF header.
std::string elf_kind(std::string_view first_bytes);

/// True when path is dir or below it ("/tmp" covers "/tmp/x", not "/tmpx").
bool under(std::string_view path, std::string_view dir);

}  // namespace deadbox::collect
