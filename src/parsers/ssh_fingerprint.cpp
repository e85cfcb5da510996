// SPDX-License-Identifier: Apache-2.0
// SHA-256 key fingerprints as ssh-keygen(1) -l -E sha256 prints them.
#include "parsers/ssh_fingerprint.hpp"

#include <openssl/evp.h>

#include <vector>

namespace deadbox::parsers::ssh {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::optional<std::vector<unsigned char>> decode(std::string_view in) {
  std::vector<unsigned char> out;
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : in) {
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad > 0) return std::nullopt;  // data after padding
    const auto v = kAlphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((acc >> bits) & 0xff));
    }
  }
  if (pad > 2 || out.empty()) return std::nullopt;
  return out;
}

std::string encode_unpadded(const unsigned char* p, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = static_cast<uint32_t>(p[i]) << 16;
    if (i + 1 < n) v |= static_cast<uint32_t>(p[i + 1]) << 8;
    if (i + 2 < n) v |= p[i + 2];
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    if (i + 1 < n) out.push_back(kAlphabet[(v >> 6) & 63]);
    if (i + 2 < n) out.push_back(kAlphabet[v & 63]);
  }
  return out;
}

}  // namespace

bool is_key_type(std::string_view w) {
  if (w == "ssh-rsa" || w == "ssh-dss" || w == "ssh-ed25519" || w == "ssh-ed448") return true;
  if (w.starts_with("ecdsa-sha2-")) return true;
  if (w.starts_with("sk-") && w.ends_with("@openssh.com")) return true;
  return w.ends_with("-cert-v01@openssh.com");
}

std::optional<std::string> fingerprint(std::string_view base64_blob) {
  const auto blob = decode(base64_blob);
  if (!blob) return std::nullopt;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(blob->data(), blob->size(), digest, &len, EVP_sha256(), nullptr) != 1)
    return std::nullopt;
  return "SHA256:" + encode_unpadded(digest, len);
}

}  // namespace deadbox::parsers::ssh
