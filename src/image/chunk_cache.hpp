// SPDX-License-Identifier: Apache-2.0
// A small LRU of decoded fixed-size blocks (E01 chunks, qcow2 clusters), keyed by block index,
// so neighbouring small reads share one decompression. Single-threaded; bounded by its capacity.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace deadbox::image {

class ChunkCache {
 public:
  /// `capacity` blocks of `block_size` bytes each, allocated up front (capacity >= 1).
  ChunkCache(size_t block_size, size_t capacity)
      : block_size_(block_size), slots_(std::max<size_t>(capacity, 1)) {
    for (auto& s : slots_) s.data.resize(block_size_);
  }

  size_t block_size() const { return block_size_; }

  /// The cached block, or nullptr. A hit makes the block most recently used.
  const std::byte* find(uint64_t index) {
    for (auto& s : slots_) {
      if (s.valid && s.index == index) {
        s.used = ++tick_;
        return s.data.data();
      }
    }
    return nullptr;
  }

  /// Storage for block `index`, taken from the least recently used slot (which stops being
  /// valid). Fill it, then publish() it; a slot never published is simply reused later.
  std::span<std::byte> claim(uint64_t index) {
    Slot* victim = &slots_.front();
    for (auto& s : slots_) {
      if (!s.valid) {
        victim = &s;
        break;
      }
      if (s.used < victim->used) victim = &s;
    }
    victim->valid = false;
    victim->index = index;
    claimed_ = victim;
    return victim->data;
  }

  /// Copies a whole block in (claim + publish).
  void insert(uint64_t index, const std::byte* data) {
    auto slot = claim(index);
    std::copy(data, data + block_size_, slot.data());
    publish();
  }

  /// Marks the block last claimed as holding valid data.
  void publish() {
    if (claimed_ == nullptr) return;
    claimed_->valid = true;
    claimed_->used = ++tick_;
    claimed_ = nullptr;
  }

 private:
  struct Slot {
    uint64_t index = 0;
    uint64_t used = 0;
    bool valid = false;
    std::vector<std::byte> data;
  };
  size_t block_size_;
  std::vector<Slot> slots_;
  Slot* claimed_ = nullptr;
  uint64_t tick_ = 0;
};

}  // namespace deadbox::image
