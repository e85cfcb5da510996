// SPDX-License-Identifier: Apache-2.0
// `deadbox timeline`: one walk per readable filesystem into a bodyfile, CSV or JSONL writer.
// Output is created O_EXCL|O_NOFOLLOW (never overwrites, never follows a planted link).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <streambuf>
#include <vector>

#include "cli/commands.hpp"
#include "deadbox/inventory/inventory.hpp"
#include "deadbox/pipeline/walk_consumer.hpp"
#include "deadbox/timeline/bodyfile.hpp"
#include "deadbox/timeline/csv.hpp"
#include "deadbox/timeline/human_date.hpp"
#include "deadbox/timeline/jsonl.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"
#include "deadbox/util/time_format.hpp"

namespace deadbox::cli {
namespace {

/// Buffered output to a file descriptor (stdout or the O_EXCL file). Write errors are
/// remembered and reported once at the end instead of silently truncating the timeline.
class FdBuf final : public std::streambuf {
 public:
  explicit FdBuf(int fd, bool owned) : fd_(fd), owned_(owned), buf_(1 << 20) {
    setp(buf_.data(), buf_.data() + buf_.size());
  }
  ~FdBuf() override {
    sync();
    if (owned_) ::close(fd_);
  }
  bool failed() const { return failed_; }
  int error() const { return errno_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* p = pbase();
    size_t left = static_cast<size_t>(pptr() - pbase());
    while (left > 0 && !failed_) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        failed_ = true;
        errno_ = errno;
        break;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    setp(buf_.data(), buf_.data() + buf_.size());
    return !failed_;
  }
  int fd_;
  bool owned_;
  std::vector<char> buf_;
  bool failed_ = false;
  int errno_ = 0;
};

int open_output(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd >= 0) return fd;
  const int err = errno;
  if (err == EEXIST || err == ELOOP)
    throw Error(Layer::kCli, "output_exists", escape::terminal(path),
                "exists; deadbox timeline never overwrites (choose another -o)");
  throw Error(Layer::kCli, "output_failed", escape::terminal(path), std::strerror(err));
}

void print_diag(const Diagnostic& d) {
  if (d.level == DiagLevel::kInfo) return;
  std::cerr << "deadbox: " << (d.level == DiagLevel::kError ? "error" : "warning") << ": ["
            << escape::terminal(d.volume) << "]";
  if (d.inode != 0) std::cerr << " inode " << d.inode;
  if (!d.path.empty()) std::cerr << " " << escape::terminal(d.path);
  std::cerr << ": " << escape::terminal(d.message) << " (" << escape::terminal(d.code) << ")\n";
}

// A hostile image can yield millions of bad inodes: stderr shows the first ones per volume,
// the summary counts all.
constexpr size_t kMaxPrintedPerVolume = 50;

bool no_filesystem(const inventory::VolumeEntry& v) {
  if (!v.probe) return false;
  switch (v.probe->type) {
    case fs::FsType::kNone:
    case fs::FsType::kSwap:
    case fs::FsType::kLvmPv:
    case fs::FsType::kLuks: return true;
    default: return false;
  }
}

}  // namespace

int run_timeline(const TimelineOptions& o) {
  timeline::TimeWindow window;
  for (auto [text, slot] : {std::pair{&o.from, &window.from}, std::pair{&o.to, &window.to}}) {
    if (text->empty()) continue;
    *slot = timefmt::parse_iso(*text);
    if (!*slot) {
      std::cerr << "deadbox timeline: cannot parse time '" << escape::terminal(*text)
                << "' (use 2024-01-02, 2024-01-02T03:04:05Z or epoch seconds)\n";
      return kExitUsage;
    }
  }
  if (o.format == "body" && (window.from || window.to)) {
    std::cerr << "deadbox timeline: --from/--to apply to --format csv and jsonl only\n";
    return kExitUsage;
  }

  if (o.format == "csv") {
    try {
      timeline::HumanDate check(o.tz);
    } catch (const Error& e) {
      std::cerr << "deadbox timeline: " << e.what() << "\n";
      return kExitUsage;
    }
  }

  inventory::Options iopts;
  iopts.open.qcow_parent = o.common.qcow_parent;
  inventory::Inventory inv = inventory::open(o.common.images, iopts);
  for (const auto& ev : inv.evidence)
    if (!ev.error.empty()) std::cerr << "deadbox: " << escape::terminal(ev.error) << "\n";
  if (!o.common.quiet) {
    size_t shown = 0;
    for (const auto& d : inv.diag.entries())
      if (d.level != DiagLevel::kInfo && shown++ < kMaxPrintedPerVolume) print_diag(d);
  }
  const bool any_image =
      std::any_of(inv.evidence.begin(), inv.evidence.end(),
                  [](const inventory::Evidence& e) { return e.image != nullptr; });
  if (!any_image) return std::max(inv.exit_code(), static_cast<int>(kExitEvidenceUnreadable));

  for (const auto& want : o.volumes) {
    if (inv.find(want) != nullptr) continue;
    std::cerr << "deadbox timeline: no volume '" << escape::terminal(want) << "'; volumes:";
    for (const auto& v : inv.volumes) std::cerr << " " << escape::terminal(v.volume.name);
    std::cerr << "\n";
    return kExitUsage;
  }

  // Output before any walk: a refused -o costs nothing.
  const bool to_file = !o.output.empty();
  FdBuf buf(to_file ? open_output(o.output) : STDOUT_FILENO, to_file);
  std::ostream out(&buf);

  std::unique_ptr<pipeline::WalkConsumer> writer;
  timeline::CsvWriter* csv = nullptr;
  if (o.format == "csv") {
    timeline::CsvOptions copts;
    copts.window = window;
    copts.tz = o.tz;
    // Sorted runs go next to the output (the analyst chose that disk for it), else $TMPDIR.
    if (to_file) copts.spool_dir = std::filesystem::absolute(o.output).parent_path().string();
    auto w = std::make_unique<timeline::CsvWriter>(out, copts);
    csv = w.get();
    writer = std::move(w);
  } else if (o.format == "jsonl") {
    writer = std::make_unique<timeline::JsonlWriter>(out, timeline::JsonlOptions{window});
  } else {
    timeline::BodyfileOptions bopts;
    bopts.ns = o.ns;
    bopts.escape = o.escape == "plaso" ? timeline::NameEscape::kPlaso : timeline::NameEscape::kFls;
    writer = std::make_unique<timeline::BodyfileWriter>(out, bopts);
  }

  // Entries counted by a tiny consumer riding the same walk.
  struct Counter final : pipeline::WalkConsumer {
    uint64_t n = 0;
    void on_entry(const pipeline::VolumeContext&, const tree::FileEntry&) override { ++n; }
  } counter;

  bool partial = false;
  Diagnostics all;
  std::map<std::string, uint64_t> entries_per_volume;
  uint64_t skipped_no_fs = 0;
  for (auto& v : inv.volumes) {
    const std::string& name = v.volume.name;
    if (!o.volumes.empty() &&
        std::find(o.volumes.begin(), o.volumes.end(), name) == o.volumes.end())
      continue;
    if (!v.tree) {
      // A BIOS-boot partition, swap or an LVM PV holds no file tree: normal, not an error.
      if (no_filesystem(v) || (v.probe && !v.probe->readable && v.open_error.empty() &&
                               v.volume.unsupported_reason.empty())) {
        ++skipped_no_fs;
        continue;
      }
      partial = true;
      std::cerr << "deadbox: error: [" << escape::terminal(name) << "] not walked: "
                << escape::terminal(!v.open_error.empty() ? v.open_error
                                    : !v.volume.unsupported_reason.empty()
                                        ? v.volume.unsupported_reason
                                        : "unreadable")
                << "\n";
      continue;
    }
    Diagnostics diag;
    pipeline::VolumeContext ctx{name, v.path_prefix(), v.tree.get(), &diag};
    tree::WalkOptions wopts;
    wopts.include_orphans = o.orphans;
    const uint64_t before = counter.n;
    try {
      pipeline::walk_volume(ctx, wopts, {writer.get(), &counter});
    } catch (const Error& e) {
      // A filesystem that fails mid-walk keeps what was written; the rest is reported.
      partial = true;
      diag.add(DiagLevel::kError, Layer::kTimeline, "walk_aborted",
               std::string("walk stopped: ") + e.what(), name);
    }
    entries_per_volume[name] = counter.n - before;
    size_t printed = 0;
    for (const auto& d : diag.entries()) {
      if (d.level == DiagLevel::kInfo) continue;
      if (printed++ < kMaxPrintedPerVolume && !o.common.quiet) print_diag(d);
    }
    if (diag.count(DiagLevel::kError) > 0) partial = true;
    all.merge(diag);
  }
  if (csv != nullptr) csv->finish();
  out.flush();
  if (buf.failed()) {
    std::cerr << "deadbox timeline: writing the output failed: " << std::strerror(buf.error())
              << "\n";
    return kExitPartial;
  }

  if (!o.common.quiet) {
    std::cerr << "deadbox timeline: " << counter.n << " entries from " << entries_per_volume.size()
              << " filesystem(s)";
    for (const auto& [vol, n] : entries_per_volume)
      std::cerr << "; " << escape::terminal(vol) << " " << n;
    std::cerr << "\n";
    if (skipped_no_fs > 0)
      std::cerr << "deadbox timeline: " << skipped_no_fs << " volume(s) without a filesystem\n";
    const auto counts = all.counts();
    // Which reader went where fls would not (issue: say which path was taken).
    if (auto it = counts.find("ext_fallback_dir"); it != counts.end())
      std::cerr << "deadbox timeline: " << it->second
                << " directories read by the ext4 fallback (libext2fs) where TSK failed\n";
    if (auto it = counts.find("ext_dir_beyond_tsk"); it != counts.end())
      std::cerr << "deadbox timeline: " << it->second
                << " directories fls (TSK 4.11) cannot map were read by the native ext reader\n";
    if (auto it = counts.find("ext_native_off"); it != counts.end())
      std::cerr << "deadbox timeline: " << it->second
                << " ext filesystem(s) listed through TSK only (see diagnostics)\n";
    for (const auto& [code, n] : counts) {
      if (code == "ext_fallback_dir" || code == "ext_dir_beyond_tsk" || code == "ext_native_off")
        continue;
      std::cerr << "deadbox timeline: skipped/problem items: " << escape::terminal(code) << " " << n
                << "\n";
    }
  }
  int rc = inv.exit_code();
  if (partial) rc = std::max(rc, static_cast<int>(kExitPartial));
  return rc;
}

}  // namespace deadbox::cli
