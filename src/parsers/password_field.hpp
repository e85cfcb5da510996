// SPDX-License-Identifier: Apache-2.0
// Classifies a crypt(5) password field (passwd, shadow, gshadow) without keeping the hash:
// records carry whether a hash is there, its algorithm and lock state, never the hash itself.
#pragma once
#include <string>
#include <string_view>

#include "deadbox/parsers/record.hpp"

namespace deadbox::parsers {

struct PasswordInfo {
  bool empty = false;          ///< field is "": no password at all (login without one)
  bool hash_present = false;   ///< a crypt hash that a password can match
  bool locked = false;         ///< '!' prefix or a value no password can match ('*', "!!", "LK")
  std::string_view algorithm;  ///< "sha512", "yescrypt", …; "none" without a hash
};

/// Pure function of the field text; see crypt(5) for the prefixes.
PasswordInfo classify_password(std::string_view field);

/// Sets hash_present, hash_algorithm, locked and empty_password, in that order (the order of
/// the shadow and gshadow records' fields).
inline Record& set_password_state(Record& r, const PasswordInfo& pw) {
  return r.set("hash_present", pw.hash_present)
      .set("hash_algorithm", std::string(pw.algorithm))
      .set("locked", pw.locked)
      .set("empty_password", pw.empty);
}

}  // namespace deadbox::parsers
