// SPDX-License-Identifier: Apache-2.0
// OpenSSH key helpers shared by the authorized_keys and known_hosts parsers: key-type words
// and the `SHA256:<base64, unpadded>` fingerprint that `ssh-keygen -l` prints.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace deadbox::parsers::ssh {

/// ssh-rsa, ssh-ed25519, ecdsa-sha2-*, sk-*@openssh.com, *-cert-v01@openssh.com, ssh-dss.
bool is_key_type(std::string_view word);
/// Fingerprint of the base64 key blob, nullopt when the blob is not valid base64.
std::optional<std::string> fingerprint(std::string_view base64_blob);

}  // namespace deadbox::parsers::ssh
