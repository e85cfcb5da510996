// SPDX-License-Identifier: Apache-2.0
// collect::run_targets: homes and package lists first, then one walk per filesystem feeding
// the artifact collector and the file scanner, then swap scanned raw (see collect.hpp).
#include "deadbox/collect/collect.hpp"

#include <algorithm>
#include <stdexcept>

#include "collect/artifact_collector.hpp"
#include "collect/content_matcher.hpp"
#include "collect/file_scanner.hpp"
#include "collect/package_index.hpp"
#include "deadbox/parsers/parser.hpp"
#include "deadbox/util/error.hpp"

namespace deadbox::collect {
namespace {

// Homes for %%users.homedir%%, from the image's own passwd through the unix/passwd parser
// (the same bytes the accounts checks see). A hostile passwd can list anything: the matcher
// ignores relative and ".." homes, and takes the rest as literal paths.
std::vector<std::string> read_homedirs(tree::FileTree& root, const std::string& volume,
                                       const Limits& limits, Diagnostics& diag) {
  std::vector<std::string> homes;
  const parsers::Parser* passwd = parsers::find_parser("unix/passwd");
  const auto entry = root.lookup("/etc/passwd");
  if (passwd == nullptr || !entry || entry->stat.type != tree::FileType::kRegular) return homes;
  std::string bytes;
  try {
    bytes = tree::read_all(root, entry->stat.inode, entry->stat.size, limits.max_artifact_bytes);
  } catch (const Error& e) {
    diag.add(DiagLevel::kWarning, Layer::kTree, "unreadable", e.what(), volume, "/etc/passwd",
             entry->stat.inode);
    return homes;
  }
  auto src = std::make_shared<parsers::Source>();
  src->volume = volume;
  src->path = "/etc/passwd";
  src->inode = entry->stat.inode;
  parsers::RecordStore tmp;
  Diagnostics ignored;  // the artifact pass parses passwd again and reports its problems
  passwd->parse(bytes, src, tmp, ignored);
  for (const auto& r : tmp.of("unix/passwd"))
    if (auto h = r.str("home"); h && !h->empty()) homes.emplace_back(*h);
  std::sort(homes.begin(), homes.end());
  homes.erase(std::unique(homes.begin(), homes.end()), homes.end());
  return homes;
}

void emit_raw_hits(const std::string& volume, const std::string& label, uint64_t inode,
                   const std::vector<ContentHit>& hits, parsers::RecordSink& out) {
  auto src = std::make_shared<parsers::Source>();
  src->volume = volume;
  src->path = label;
  src->inode = inode;
  for (const auto& h : hits) {
    parsers::Record r;
    r.type = std::string(kContentMatchRecord);
    r.source = src;
    r.set("indicator_kind", h.kind);
    r.set("indicator", h.indicator);
    r.set("offset", static_cast<int64_t>(h.offset));
    r.set("count", static_cast<int64_t>(h.count));
    r.set("excerpt", h.excerpt);
    r.set("in_swap", true);
    r.set("is_elf", false);
    r.set("package_owned", false);
    out.add(std::move(r));
  }
}

// Swap keeps pages of processes that ran: a pool URL there is a miner that ran, even when
// its binary is gone (checklist "memory → swap partitions/files").
void scan_swap(const ContentMatcher& matcher, const ReadFn& read, uint64_t size,
               const std::string& volume, const std::string& label, uint64_t inode,
               const Options& options, parsers::RecordSink& out, Diagnostics& diag) {
  uint64_t scanned = 0;
  std::vector<ContentHit> hits;
  try {
    hits = matcher.scan(read, size, options.limits.max_swap_bytes,
                        options.limits.max_matches_per_file, &scanned);
  } catch (const Error& e) {
    diag.add(DiagLevel::kWarning, Layer::kTree, "unreadable", e.what(), volume, label, inode);
  }
  if (size > options.limits.max_swap_bytes)
    diag.add(DiagLevel::kInfo, Layer::kTree, "scan_capped",
             "swap scan stopped at " + std::to_string(options.limits.max_swap_bytes) + " bytes",
             volume, label, inode);
  emit_raw_hits(volume, label, inode, hits, out);
}

}  // namespace

void run_targets(const std::vector<Target>& targets, const std::vector<RawTarget>& raw,
                 const Options& options, parsers::RecordStore& store, Diagnostics& diag) {
  if (options.knowledge == nullptr) throw std::invalid_argument("collect: knowledge missing");
  const Target* root = nullptr;
  for (const auto& t : targets)
    if (t.path_prefix == "/" && t.tree != nullptr) {
      root = &t;
      break;
    }
  std::vector<std::string> homes;
  PackageIndex packages;
  if (root != nullptr) {
    homes = read_homedirs(*root->tree, root->volume, options.limits, diag);
    if (options.scan_files)
      packages.load(*root->tree, root->volume, options.limits.max_package_list_bytes, diag);
  }
  std::unique_ptr<ArtifactSelector> selector;
  if (options.selector) selector = options.selector(homes);
  const ContentMatcher matcher = ContentMatcher::from_knowledge(*options.knowledge);
  ScanBudget budget{options.limits.max_scan_bytes_total};
  std::vector<pipeline::WalkConsumer*> extra;
  if (options.extra_consumers) extra = options.extra_consumers(homes);

  for (const auto& t : targets) {
    if (t.tree == nullptr) continue;
    std::vector<pipeline::WalkConsumer*> consumers;
    std::unique_ptr<ArtifactCollector> collector;
    std::unique_ptr<FileScanner> scanner;
    if (selector) {
      collector = std::make_unique<ArtifactCollector>(*selector, options.limits, store);
      consumers.push_back(collector.get());
    }
    if (options.scan_files) {
      scanner = std::make_unique<FileScanner>(*options.knowledge, packages, matcher, options.limits,
                                              budget, store);
      consumers.push_back(scanner.get());
    }
    consumers.insert(consumers.end(), extra.begin(), extra.end());
    if (consumers.empty()) continue;
    pipeline::VolumeContext ctx{t.volume, t.path_prefix, t.tree, &diag};
    try {
      pipeline::walk_volume(ctx, tree::WalkOptions{}, consumers);
    } catch (const Error& e) {
      // One unreadable filesystem must not cost the analyst the others.
      diag.add(DiagLevel::kError, e.layer(), e.code(), e.what(), t.volume);
    }
  }

  if (!options.scan_files) return;
  if (root != nullptr) {
    for (const char* name : {"/swapfile", "/swap.img"}) {
      const auto e = root->tree->lookup(name);
      if (!e || e->stat.type != tree::FileType::kRegular) continue;
      tree::FileTree& fs = *root->tree;
      const uint64_t inode = e->stat.inode;
      scan_swap(
          matcher,
          [&](uint64_t off, std::span<char> buf) {
            return fs.read(
                inode, off,
                std::span<std::byte>(reinterpret_cast<std::byte*>(buf.data()), buf.size()));
          },
          e->stat.size, root->volume, name, inode, options, store, diag);
    }
  }
  for (const auto& r : raw) {
    if (r.source == nullptr) continue;
    image::ByteSource& src = *r.source;
    scan_swap(
        matcher,
        [&](uint64_t off, std::span<char> buf) {
          return src.read_at(
              off, std::span<std::byte>(reinterpret_cast<std::byte*>(buf.data()), buf.size()));
        },
        src.size(), r.volume, r.label, 0, options, store, diag);
  }
}

}  // namespace deadbox::collect
