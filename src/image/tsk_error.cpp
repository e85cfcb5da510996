// SPDX-License-Identifier: Apache-2.0
// TSK error conversion (house style §3.5 "Wrapping TSK").
#include "image/tsk_error.hpp"

namespace deadbox::image {

std::string take_tsk_error() {
  const char* msg = tsk_error_get();
  std::string text = msg != nullptr && *msg != '\0' ? msg : "unknown TSK error";
  tsk_error_reset();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

void throw_tsk(Layer layer, std::string code, std::string where) {
  throw Error(layer, std::move(code), std::move(where), take_tsk_error());
}

}  // namespace deadbox::image
