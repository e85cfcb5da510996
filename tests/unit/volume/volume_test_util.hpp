// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the volume tests: find a volume by name, read host-file bytes, read a
// ByteSource range.
#pragma once
#include <filesystem>
#include <fstream>
#include <string>

#include "deadbox/volume/volume.hpp"

namespace deadbox::volume::testing {

inline const Volume* find(const Layout& l, const std::string& name) {
  for (const auto& v : l.volumes) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

inline std::string file_bytes(const std::filesystem::path& p, uint64_t off, uint64_t len) {
  std::ifstream f(p, std::ios::binary);
  f.seekg(static_cast<std::streamoff>(off));
  std::string out(len, '\0');
  f.read(out.data(), static_cast<std::streamsize>(len));
  out.resize(static_cast<size_t>(f.gcount()));
  return out;
}

inline std::string source_bytes(image::ByteSource& s, uint64_t off, uint64_t len) {
  std::string out(len, '\0');
  size_t got = s.read_at(off, std::as_writable_bytes(std::span(out.data(), out.size())));
  out.resize(got);
  return out;
}

inline bool has_diag(const Diagnostics& d, const std::string& code, const std::string& volume) {
  for (const auto& e : d.entries()) {
    if (e.code == code && e.volume == volume) return true;
  }
  return false;
}

}  // namespace deadbox::volume::testing
