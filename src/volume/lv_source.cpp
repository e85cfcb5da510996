// SPDX-License-Identifier: Apache-2.0
// LvSource: LV bytes through validated linear segment maps (binary search per read).
#include <algorithm>

#include "volume/volume_internal.hpp"

namespace deadbox::volume {

LvSource::LvSource(std::vector<LvExtentMap> maps, uint64_t size, std::string name)
    : maps_(std::move(maps)), size_(size), name_(std::move(name)) {
  std::sort(maps_.begin(), maps_.end(),
            [](const LvExtentMap& a, const LvExtentMap& b) { return a.lv_offset < b.lv_offset; });
}

size_t LvSource::read_at(uint64_t offset, std::span<std::byte> buf) {
  size_t done = 0;
  while (done < buf.size() && offset + done < size_) {
    const uint64_t pos = offset + done;
    auto it = std::upper_bound(maps_.begin(), maps_.end(), pos,
                               [](uint64_t p, const LvExtentMap& m) { return p < m.lv_offset; });
    if (it == maps_.begin()) break;
    --it;
    if (pos >= it->lv_offset + it->length) break;  // cannot happen for contiguous maps
    const uint64_t in_seg = pos - it->lv_offset;
    const size_t want = static_cast<size_t>(
        std::min<uint64_t>({buf.size() - done, it->length - in_seg, size_ - pos}));
    const size_t got = it->pv->read_at(it->pv_offset + in_seg, buf.subspan(done, want));
    done += got;
    if (got < want) {
      // The PV's image ends inside this LV (truncated evidence). Report what was read; a read
      // that starts in the missing part is an error, not silent zeros.
      if (done == 0) {
        throw Error(Layer::kVolume, "truncated", name_ + " @" + std::to_string(pos),
                    "LV data lies past the end of the image (truncated evidence)");
      }
      break;
    }
  }
  return done;
}

}  // namespace deadbox::volume
