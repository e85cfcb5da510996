// SPDX-License-Identifier: Apache-2.0
// Artifact files → parsers (see artifact_collector.hpp).
#include "collect/artifact_collector.hpp"

#include <algorithm>
#include <tuple>

#include "deadbox/parsers/decompress.hpp"
#include "deadbox/parsers/parser.hpp"
#include "deadbox/util/error.hpp"

namespace deadbox::collect {
namespace {

tree::FileType type_of(const tree::FileEntry& e) {
  return e.has_meta && e.stat.type != tree::FileType::kUnknown ? e.stat.type : e.name_type;
}

}  // namespace

void run_parsers(std::string_view bytes, const std::shared_ptr<const parsers::Source>& source,
                 std::vector<std::string_view>* done, parsers::RecordSink& out, Diagnostics& diag) {
  for (const parsers::Parser* p : parsers::all_parsers()) {
    if (std::find(p->artifacts.begin(), p->artifacts.end(), source->artifact) == p->artifacts.end())
      continue;
    // Two artifact names can select one file for the same parser (UnixPasswdFile and a
    // group containing it): parse it once.
    if (std::find(done->begin(), done->end(), p->id) != done->end()) continue;
    done->push_back(p->id);
    try {
      p->parse(bytes, source, out, diag);
    } catch (const std::exception& e) {
      // Parsers must not throw on content; if one does, the others still run.
      diag.add(DiagLevel::kError, Layer::kParser, "parser_failed",
               std::string(p->id) + ": " + e.what(), source->volume, source->path, source->inode);
    }
  }
}

ArtifactCollector::ArtifactCollector(const ArtifactSelector& selector, const Limits& limits,
                                     parsers::RecordSink& out)
    : selector_(selector), limits_(limits), out_(out) {}

void ArtifactCollector::begin_volume(const pipeline::VolumeContext&) {
  matches_.clear();
}

void ArtifactCollector::on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& e) {
  const tree::FileType t = type_of(e);
  if (t != tree::FileType::kRegular && t != tree::FileType::kSymlink) return;
  std::string path = pipeline::system_path(ctx.path_prefix, e.path);
  std::vector<std::string> names = selector_.match(path);
  if (names.empty()) return;
  matches_.push_back({e, std::move(path), std::move(names)});
}

void ArtifactCollector::end_volume(const pipeline::VolumeContext& ctx) {
  std::sort(matches_.begin(), matches_.end(), [](const Match& a, const Match& b) {
    return std::tie(a.path, a.entry.name_deleted, a.entry.stat.inode) <
           std::tie(b.path, b.entry.name_deleted, b.entry.stat.inode);
  });
  for (const auto& m : matches_) process(ctx, m);
  matches_.clear();
}

void ArtifactCollector::process(const pipeline::VolumeContext& ctx, const Match& m) {
  const tree::FileEntry& e = m.entry;
  auto base = std::make_shared<parsers::Source>();
  base->volume = ctx.volume;
  base->path = m.path;
  base->inode = e.stat.inode;
  base->mtime = e.stat.mtime;
  base->ctime = e.stat.ctime;
  base->deleted = e.name_deleted;
  for (const auto& name : m.artifacts) {
    auto src = std::make_shared<parsers::Source>(*base);
    src->artifact = name;
    parsers::Record r;
    r.type = std::string(kArtifactRecord);
    r.source = src;
    const bool link = type_of(e) == tree::FileType::kSymlink;
    r.set("file_type", std::string(link ? "symlink" : "file"));
    r.set("size", static_cast<int64_t>(e.stat.size));
    r.set("mode", static_cast<int64_t>(e.stat.mode));
    r.set("uid", static_cast<int64_t>(e.stat.uid));
    if (e.stat.mtime) r.set("mtime", parsers::Timestamp{*e.stat.mtime});
    if (e.stat.ctime) r.set("ctime", parsers::Timestamp{*e.stat.ctime});
    if (link) r.set("symlink_target", e.symlink_target);
    r.set("deleted", e.name_deleted);
    out_.add(std::move(r));
  }
  if (type_of(e) != tree::FileType::kRegular || !e.has_meta || e.meta_reallocated) return;
  std::string bytes;
  bool truncated = false;
  try {
    bytes = tree::read_all(*ctx.tree, e.stat.inode, e.stat.size, limits_.max_artifact_bytes,
                           &truncated);
  } catch (const Error& err) {
    ctx.diag->add(DiagLevel::kWarning, Layer::kTree, "unreadable", err.what(), ctx.volume, m.path,
                  e.stat.inode);
    return;
  }
  if (truncated)
    ctx.diag->add(DiagLevel::kWarning, Layer::kParser, "capped",
                  "artifact larger than " + std::to_string(limits_.max_artifact_bytes) +
                      " bytes: only the start was parsed",
                  ctx.volume, m.path, e.stat.inode);
  const std::string text = parsers::decompress_if_needed(bytes, limits_.max_artifact_bytes,
                                                         *ctx.diag, nullptr, base.get());
  std::vector<std::string_view> done;
  for (const auto& name : m.artifacts) {
    auto src = std::make_shared<parsers::Source>(*base);
    src->artifact = name;
    run_parsers(text, src, &done, out_, *ctx.diag);
  }
}

}  // namespace deadbox::collect
