// SPDX-License-Identifier: Apache-2.0
// Progress on stderr for the long phases: phase, volume, entries done (of the inodes the
// filesystems claim), rate and ETA; redrawn at most 4 times a second on one line.
#include <cstdio>

#include "deadbox/util/escape.hpp"
#include "examine/internal.hpp"

namespace deadbox::examine::detail {

Progress::Progress(std::ostream& err, bool enabled, uint64_t total_inodes)
    : err_(err), enabled_(enabled), total_(total_inodes) {
  start_ = last_ = std::chrono::steady_clock::now();
}

void Progress::phase(const std::string& name) {
  phase_ = name;
  draw(true);
}

void Progress::begin_volume(const pipeline::VolumeContext& ctx) {
  volume_ = ctx.volume;
  if (ctx.tree != nullptr) total_ += ctx.tree->info().inode_count;
  draw(true);
}

void Progress::on_entry(const pipeline::VolumeContext&, const tree::FileEntry&) {
  ++entries_;
  if ((entries_ & 1023) == 0) draw(false);
}

void Progress::end_volume(const pipeline::VolumeContext&) { draw(true); }

void Progress::done() {
  if (enabled_) err_ << "\r\x1b[K" << std::flush;
}

void Progress::draw(bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double rate = secs > 0 ? static_cast<double>(entries_) / secs : 0;
  char line[200];
  if (total_ > entries_ && rate > 0)
    std::snprintf(line, sizeof line, "%llu/%llu entries, %.0f/s, ETA %.0fs",
                  static_cast<unsigned long long>(entries_),
                  static_cast<unsigned long long>(total_), rate,
                  static_cast<double>(total_ - entries_) / rate);
  else
    std::snprintf(line, sizeof line, "%llu entries, %.0f/s",
                  static_cast<unsigned long long>(entries_), rate);
  // Volume names come from the image (LV names): escaped like everything else printed.
  err_ << "\r\x1b[K[deadbox] " << phase_ << (volume_.empty() ? "" : " ")
       << escape::terminal(volume_) << ": " << line << std::flush;
}

}  // namespace deadbox::examine::detail
