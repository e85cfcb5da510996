// SPDX-License-Identifier: Apache-2.0
// External merge sort for timeline rows (bounded memory for any number of files).
#include "spool_sort.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>

#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::timeline {
namespace {

// Merging more files at once than this would exhaust descriptors; runs are pre-merged first.
constexpr size_t kMaxOpenRuns = 128;
constexpr uint32_t kMaxField = 64u << 20;  // bound on a name or payload (also read back)
constexpr size_t kRecordHeader = 8;        // u32 name size, u32 payload size
// Offsets into the arena are 32-bit; a run is cut before the arena reaches this.
constexpr size_t kMaxArena = std::numeric_limits<uint32_t>::max() - 2 * size_t{kMaxField};
constexpr size_t kWriteBuffer = 1u << 20;
constexpr size_t kReadBuffer = 64u << 10;  // per run while merging (up to kMaxOpenRuns)
constexpr size_t kMaxReserve = size_t{1} << 30;
constexpr size_t kRowHeader = 8 + 8 + 1 + 4 + 4;  // ns, inode, tag, name size, payload size

// Radix sort of the keys by time: 11-bit digits keep the histograms in L1.
constexpr int kDigitBits = 11;
constexpr int kPasses = (64 + kDigitBits - 1) / kDigitBits;
constexpr size_t kBuckets = size_t{1} << kDigitBits;
constexpr size_t kRadixMin = 512;  // below this a comparison sort is as fast

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw Error(Layer::kTimeline, "spool", escape::terminal(where),
              what + ": " + std::strerror(errno));
}

uint64_t radix_key(int64_t ns) {
  return static_cast<uint64_t>(ns) ^ (uint64_t{1} << 63);  // signed order as unsigned
}

uint32_t load_u32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

/// Owns one unlinked run file's descriptor.
class SpoolSorter::Run {
 public:
  explicit Run(int fd) : fd_(fd) {}
  ~Run() { ::close(fd_); }
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

namespace {

/// Buffered sequential writer of spilled rows.
class RunWriter {
 public:
  explicit RunWriter(int fd) : fd_(fd) { buf_.reserve(kWriteBuffer); }
  void row(int64_t ns, uint64_t inode, uint8_t tag, std::string_view name,
           std::string_view payload) {
    char h[kRowHeader];
    const auto nl = static_cast<uint32_t>(name.size());
    const auto pl = static_cast<uint32_t>(payload.size());
    std::memcpy(h, &ns, 8);
    std::memcpy(h + 8, &inode, 8);
    h[16] = static_cast<char>(tag);
    std::memcpy(h + 17, &nl, 4);
    std::memcpy(h + 21, &pl, 4);
    put(h, sizeof h);
    put(name.data(), name.size());
    put(payload.data(), payload.size());
  }
  void flush() {
    const char* p = buf_.data();
    size_t left = buf_.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("sort spool", "write failed");
      p += n;
      left -= static_cast<size_t>(n);
    }
    buf_.clear();
  }

 private:
  void put(const char* p, size_t n) {
    if (buf_.size() + n > kWriteBuffer) flush();
    if (n >= kWriteBuffer) {
      buf_.assign(p, p + n);
      flush();
      return;
    }
    buf_.insert(buf_.end(), p, p + n);
  }
  int fd_;
  std::vector<char> buf_;
};

/// Buffered sequential reader of one run, from its start.
class RunReader {
 public:
  explicit RunReader(int fd) : fd_(fd), buf_(kReadBuffer) {
    if (::lseek(fd_, 0, SEEK_SET) != 0) fail("sort spool", "seek failed");
  }
  /// Next row into the members; false at the end of the run.
  bool next() {
    char h[kRowHeader];
    const size_t got = read(h, sizeof h);
    if (got == 0) return false;
    if (got != sizeof h) fail("sort spool", "short read");
    std::memcpy(&ns, h, 8);
    std::memcpy(&inode, h + 8, 8);
    tag = static_cast<uint8_t>(h[16]);
    const uint32_t nl = load_u32(h + 17), pl = load_u32(h + 21);
    if (nl > kMaxField || pl > kMaxField) fail("sort spool", "corrupt run");
    name.resize(nl);
    payload.resize(pl);
    if (read(name.data(), nl) != nl || read(payload.data(), pl) != pl)
      fail("sort spool", "short read");
    return true;
  }
  int64_t ns = 0;
  uint64_t inode = 0;
  uint8_t tag = 0;
  std::string name, payload;

 private:
  size_t read(char* out, size_t n) {
    size_t done = 0;
    while (done < n) {
      if (pos_ == end_) {
        ssize_t r;
        do {
          r = ::read(fd_, buf_.data(), buf_.size());
        } while (r < 0 && errno == EINTR);
        if (r < 0) fail("sort spool", "read failed");
        if (r == 0) break;
        pos_ = 0;
        end_ = static_cast<size_t>(r);
      }
      const size_t k = std::min(n - done, end_ - pos_);
      std::memcpy(out + done, buf_.data() + pos_, k);
      pos_ += k;
      done += k;
    }
    return done;
  }
  int fd_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
};

}  // namespace

SpoolSorter::SpoolSorter(std::string dir, size_t run_bytes)
    : dir_(std::move(dir)), run_bytes_(std::max<size_t>(run_bytes, 1)) {}

SpoolSorter::~SpoolSorter() = default;

std::unique_ptr<SpoolSorter::Run> SpoolSorter::new_run_file() {
  std::string tmpl = (dir_.empty() ? std::string("/tmp") : dir_) + "/deadbox-sort-XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) fail(tmpl, "cannot create temporary sort file");
  ::unlink(tmpl.c_str());  // anonymous from now on: freed when closed, even after a crash
  return std::make_unique<Run>(fd);
}

size_t SpoolSorter::bytes() const {
  return arena_.size() + keys_.size() * kRowCost;
}

void SpoolSorter::store_record(uint64_t inode, std::string_view name, std::string_view payload) {
  const auto nl = static_cast<uint32_t>(name.size());
  const auto pl = static_cast<uint32_t>(payload.size());
  char h[kRecordHeader];
  std::memcpy(h, &nl, 4);
  std::memcpy(h + 4, &pl, 4);
  cur_rec_ = static_cast<uint32_t>(arena_.size());
  arena_.insert(arena_.end(), h, h + sizeof h);
  arena_.insert(arena_.end(), name.begin(), name.end());
  arena_.insert(arena_.end(), payload.begin(), payload.end());
  cur_inode_ = inode;
  have_record_ = true;
}

void SpoolSorter::add_record(uint64_t inode, std::string_view name, std::string_view payload) {
  if (arena_.capacity() == 0) {
    // Address space for a whole run up front: growing by copying cost more than the sort.
    // Pages are only touched as rows arrive, so a small image stays small.
    const size_t reserve = std::min(run_bytes_, kMaxReserve);
    arena_.reserve(reserve / 2);
    keys_.reserve(reserve / kRowCost);
  }
  name = name.substr(0, kMaxField);
  payload = payload.substr(0, kMaxField);
  if (!keys_.empty() && (bytes() >= run_bytes_ || arena_.size() >= kMaxArena)) spill();
  if (keys_.empty()) arena_.clear();  // records without rows are dropped with their run
  store_record(inode, name, payload);
}

void SpoolSorter::add_row(int64_t ns, uint8_t tag) {
  if (!have_record_) return;
  if (bytes() >= run_bytes_ && !keys_.empty()) {
    // A record with many rows: the rows so far go to disk, the record starts the next run.
    const char* r = arena_.data() + cur_rec_;
    const std::string copy(r, kRecordHeader + load_u32(r) + load_u32(r + 4));
    spill();
    arena_.clear();
    const std::string_view c(copy);
    store_record(cur_inode_, c.substr(kRecordHeader, load_u32(copy.data())),
                 c.substr(kRecordHeader + load_u32(copy.data())));
  }
  keys_.push_back(Key{ns, cur_inode_, cur_rec_, tag});
}

bool SpoolSorter::less(const Key& a, const Key& b) const {
  if (a.ns != b.ns) return a.ns < b.ns;
  if (a.inode != b.inode) return a.inode < b.inode;
  if (a.rec == b.rec) return false;
  const char* ra = arena_.data() + a.rec;
  const char* rb = arena_.data() + b.rec;
  const std::string_view na(ra + kRecordHeader, load_u32(ra));
  const std::string_view nb(rb + kRecordHeader, load_u32(rb));
  if (int c = na.compare(nb); c != 0) return c < 0;
  return a.rec < b.rec;  // records are appended in insertion order
}

SortedRow SpoolSorter::view(const Key& k) const {
  const char* r = arena_.data() + k.rec;
  const uint32_t nl = load_u32(r), pl = load_u32(r + 4);
  return SortedRow{k.ns, k.inode, k.tag, std::string_view(r + kRecordHeader, nl),
                   std::string_view(r + kRecordHeader + nl, pl)};
}

void SpoolSorter::sort_keys() {
  const size_t n = keys_.size();
  auto cmp = [this](const Key& a, const Key& b) { return less(a, b); };
  if (n < kRadixMin) {
    std::stable_sort(keys_.begin(), keys_.end(), cmp);
    return;
  }
  // Stable LSD radix on the time, then the (usually short) runs of equal times by the rest of
  // the key. Stability keeps insertion order, which is the last key.
  std::vector<std::array<uint32_t, kBuckets>> counts(kPasses);
  for (auto& c : counts) c.fill(0);
  for (const Key& k : keys_) {
    const uint64_t v = radix_key(k.ns);
    for (int p = 0; p < kPasses; ++p) ++counts[p][(v >> (p * kDigitBits)) & (kBuckets - 1)];
  }
  if (scratch_size_ < n) {
    scratch_ = std::make_unique_for_overwrite<Key[]>(n);  // no zero fill: fully overwritten
    scratch_size_ = n;
  }
  Key* src = keys_.data();
  Key* dst = scratch_.get();
  for (int p = 0; p < kPasses; ++p) {
    auto& c = counts[p];
    const uint64_t first = (radix_key(src[0].ns) >> (p * kDigitBits)) & (kBuckets - 1);
    if (c[first] == n) continue;  // every key has this digit: the pass would change nothing
    uint32_t sum = 0;
    for (auto& x : c) {
      const uint32_t t = x;
      x = sum;
      sum += t;
    }
    for (size_t i = 0; i < n; ++i)
      dst[c[(radix_key(src[i].ns) >> (p * kDigitBits)) & (kBuckets - 1)]++] = src[i];
    std::swap(src, dst);
  }
  if (src != keys_.data()) std::copy(src, src + n, keys_.data());
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && keys_[j].ns == keys_[i].ns) ++j;
    if (j - i > 1) std::stable_sort(keys_.begin() + i, keys_.begin() + j, cmp);
    i = j;
  }
}

void SpoolSorter::clear_memory() {
  keys_.clear();
  arena_.clear();
  have_record_ = false;
}

void SpoolSorter::spill() {
  sort_keys();
  auto run = new_run_file();
  RunWriter w(run->fd());
  for (const Key& k : keys_) {
    const SortedRow r = view(k);
    w.row(r.ns, r.inode, r.tag, r.name, r.payload);
  }
  w.flush();
  runs_.push_back(std::move(run));
  ++spilled_;
  clear_memory();
  if (runs_.size() >= kMaxOpenRuns) {
    // Pre-merge into one run so descriptors and merge fan-in stay bounded.
    auto merged = new_run_file();
    RunWriter mw(merged->fd());
    merge(std::move(runs_), false,
          [&mw](const SortedRow& r) { mw.row(r.ns, r.inode, r.tag, r.name, r.payload); });
    mw.flush();
    runs_.clear();
    runs_.push_back(std::move(merged));
  }
}

void SpoolSorter::merge(std::vector<std::unique_ptr<Run>> runs, bool with_memory,
                        const std::function<void(const SortedRow&)>& emit) {
  // One cursor per run in insertion order, the in-memory rows (the newest) last: on equal
  // (ns, inode, name) the lower cursor index is the earlier insertion.
  struct Cursor {
    std::unique_ptr<RunReader> reader;  // null: the sorted in-memory keys
    size_t next = 0;
    SortedRow row;
  };
  std::vector<Cursor> cur(runs.size() + (with_memory ? 1 : 0));
  auto advance = [&](size_t i) {
    Cursor& c = cur[i];
    if (c.reader) {
      if (!c.reader->next()) return false;
      c.row = SortedRow{c.reader->ns, c.reader->inode, c.reader->tag, c.reader->name,
                        c.reader->payload};
      return true;
    }
    if (c.next == keys_.size()) return false;
    c.row = view(keys_[c.next++]);
    return true;
  };
  auto after = [&](size_t a, size_t b) {  // heap order: true when a comes after b
    const SortedRow& x = cur[a].row;
    const SortedRow& y = cur[b].row;
    if (x.ns != y.ns) return x.ns > y.ns;
    if (x.inode != y.inode) return x.inode > y.inode;
    if (int c = x.name.compare(y.name); c != 0) return c > 0;
    return a > b;
  };
  std::vector<size_t> heap;
  for (size_t i = 0; i < cur.size(); ++i) {
    if (i < runs.size()) cur[i].reader = std::make_unique<RunReader>(runs[i]->fd());
    if (advance(i)) heap.push_back(i);
  }
  std::make_heap(heap.begin(), heap.end(), after);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), after);
    const size_t i = heap.back();
    emit(cur[i].row);
    if (advance(i)) {
      std::push_heap(heap.begin(), heap.end(), after);
    } else {
      heap.pop_back();
    }
  }
}

void SpoolSorter::finish(const std::function<void(const SortedRow&)>& emit) {
  sort_keys();
  if (runs_.empty()) {
    // Everything fit in memory: no temporary file was ever created.
    // Sorted order visits the records at random: fetch a few rows ahead so the cache misses
    // overlap instead of stalling every row.
    constexpr size_t kAhead = 16;
    const size_t n = keys_.size();
    for (size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) {
        const char* r = arena_.data() + keys_[i + kAhead].rec;
        __builtin_prefetch(r);
        __builtin_prefetch(r + 64);
      }
      emit(view(keys_[i]));
    }
  } else {
    // The rows still in memory join the merge directly instead of making one more run.
    merge(std::move(runs_), true, emit);
  }
  runs_.clear();
  clear_memory();
  scratch_.reset();
  scratch_size_ = 0;
  arena_ = {};
  keys_ = {};
}

}  // namespace deadbox::timeline
