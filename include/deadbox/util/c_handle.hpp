// SPDX-License-Identifier: Apache-2.0
// CloseWith: a zero-size deleter so C handles live in std::unique_ptr (house style §3.6).
#pragma once
#include <memory>

namespace deadbox {

template <auto Fn>
struct CloseWith {
  template <class T>
  void operator()(T* p) const noexcept {
    if (p != nullptr) Fn(p);
  }
};

}  // namespace deadbox
