// SPDX-License-Identifier: Apache-2.0
// External merge sort for timeline rows (bounded memory for any number of files).
#include "spool_sort.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <queue>

#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::timeline {
namespace {

// Merging more files at once than this would exhaust descriptors; runs are pre-merged first.
constexpr size_t kMaxOpenRuns = 128;
constexpr uint32_t kMaxField = 64u << 20;  // sanity bound on a row read back from a run

bool less(const SortRow& a, const SortRow& b) {
  if (a.ns != b.ns) return a.ns < b.ns;
  if (a.inode != b.inode) return a.inode < b.inode;
  if (int c = a.name.compare(b.name); c != 0) return c < 0;
  return a.seq < b.seq;
}

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw Error(Layer::kTimeline, "spool", escape::terminal(where),
              what + ": " + std::strerror(errno));
}

void put(std::FILE* f, const SortRow& r) {
  const uint32_t nl = static_cast<uint32_t>(r.name.size());
  const uint32_t tl = static_cast<uint32_t>(r.tail.size());
  bool ok = std::fwrite(&r.ns, sizeof r.ns, 1, f) == 1 &&
            std::fwrite(&r.inode, sizeof r.inode, 1, f) == 1 &&
            std::fwrite(&r.seq, sizeof r.seq, 1, f) == 1 && std::fwrite(&nl, 4, 1, f) == 1 &&
            std::fwrite(&tl, 4, 1, f) == 1;
  ok = ok && (nl == 0 || std::fwrite(r.name.data(), nl, 1, f) == 1);
  ok = ok && (tl == 0 || std::fwrite(r.tail.data(), tl, 1, f) == 1);
  if (!ok) fail("sort spool", "write failed");
}

/// Reads the next row; false at the end of the run.
bool get(std::FILE* f, SortRow& r) {
  uint32_t nl = 0, tl = 0;
  if (std::fread(&r.ns, sizeof r.ns, 1, f) != 1) return false;
  if (std::fread(&r.inode, sizeof r.inode, 1, f) != 1 ||
      std::fread(&r.seq, sizeof r.seq, 1, f) != 1 || std::fread(&nl, 4, 1, f) != 1 ||
      std::fread(&tl, 4, 1, f) != 1 || nl > kMaxField || tl > kMaxField)
    fail("sort spool", "short read");
  r.name.resize(nl);
  r.tail.resize(tl);
  if ((nl != 0 && std::fread(r.name.data(), nl, 1, f) != 1) ||
      (tl != 0 && std::fread(r.tail.data(), tl, 1, f) != 1))
    fail("sort spool", "short read");
  return true;
}

}  // namespace

SpoolSorter::SpoolSorter(std::string dir, size_t run_bytes)
    : dir_(std::move(dir)), run_bytes_(std::max<size_t>(run_bytes, 1)) {}

SpoolSorter::~SpoolSorter() = default;

SpoolSorter::File SpoolSorter::new_run_file() {
  std::string tmpl = (dir_.empty() ? std::string("/tmp") : dir_) + "/deadbox-sort-XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) fail(tmpl, "cannot create temporary sort file");
  ::unlink(tmpl.c_str());  // anonymous from now on: freed when closed, even after a crash
  std::FILE* f = ::fdopen(fd, "w+b");
  if (f == nullptr) {
    ::close(fd);
    fail(tmpl, "fdopen");
  }
  return File(f);
}

void SpoolSorter::add(SortRow row) {
  bytes_ += sizeof(SortRow) + row.name.size() + row.tail.size();
  rows_.push_back(std::move(row));
  if (bytes_ >= run_bytes_) spill();
}

void SpoolSorter::spill() {
  std::sort(rows_.begin(), rows_.end(), less);
  File f = new_run_file();
  for (const auto& r : rows_) put(f.get(), r);
  if (std::fflush(f.get()) != 0) fail("sort spool", "flush failed");
  runs_.push_back(std::move(f));
  ++spilled_;
  rows_.clear();
  rows_.shrink_to_fit();
  bytes_ = 0;
  if (runs_.size() >= kMaxOpenRuns) {
    // Pre-merge into one run so descriptors and merge fan-in stay bounded.
    File merged = new_run_file();
    std::FILE* out = merged.get();
    merge(std::move(runs_), [out](const SortRow& r) { put(out, r); });
    if (std::fflush(out) != 0) fail("sort spool", "flush failed");
    runs_.clear();
    runs_.push_back(std::move(merged));
  }
}

void SpoolSorter::merge(std::vector<File> runs, const std::function<void(const SortRow&)>& emit) {
  struct Head {
    SortRow row;
    size_t run;
  };
  auto greater = [](const Head& a, const Head& b) { return less(b.row, a.row); };
  std::priority_queue<Head, std::vector<Head>, decltype(greater)> heap(greater);
  for (size_t i = 0; i < runs.size(); ++i) {
    std::rewind(runs[i].get());
    Head h{{}, i};
    if (get(runs[i].get(), h.row)) heap.push(std::move(h));
  }
  while (!heap.empty()) {
    Head h = std::move(const_cast<Head&>(heap.top()));
    heap.pop();
    emit(h.row);
    if (get(runs[h.run].get(), h.row)) heap.push(std::move(h));
  }
}

void SpoolSorter::finish(const std::function<void(const SortRow&)>& emit) {
  if (runs_.empty()) {
    // Everything fit in memory: no temporary file was ever created.
    std::sort(rows_.begin(), rows_.end(), less);
    for (const auto& r : rows_) emit(r);
  } else {
    if (!rows_.empty()) spill();
    merge(std::move(runs_), emit);
  }
  runs_.clear();
  rows_.clear();
  bytes_ = 0;
}

}  // namespace deadbox::timeline
