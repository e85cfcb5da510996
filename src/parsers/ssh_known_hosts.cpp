// SPDX-License-Identifier: Apache-2.0
// unix/ssh_known_host: known_hosts entries ([marker] hosts keytype base64 [comment]); hashed
// host lists (|1|salt|hash, HashKnownHosts) kept as they are: they cannot be reversed here.
// Ref: https://man.openbsd.org/sshd.8#SSH_KNOWN_HOSTS_FILE_FORMAT
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/ssh_fingerprint.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"user", FieldType::kString, "account whose home holds the file (from the path)"},
    {"marker", FieldType::kString, "@cert-authority or @revoked, when present"},
    {"hosts", FieldType::kString, "comma-separated host patterns, or the |1|salt|hash form"},
    {"hashed", FieldType::kBool, "host names are hashed (HashKnownHosts yes)"},
    {"key_type", FieldType::kString, "ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256, …"},
    {"fingerprint", FieldType::kString, "SHA256:… fingerprint of the key blob"},
    {"comment", FieldType::kString, "free-text comment"},
    {"line", FieldType::kString, "the raw line"},
};

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  const auto user = text::user_from_home(src->path);
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    std::string_view l = text::trim(raw);
    if (l.empty() || l[0] == '#') return;
    std::string_view marker;
    if (l[0] == '@') {
      const auto w = text::split_ws(l, 2);
      marker = w[0];
      l = w.size() > 1 ? w[1] : std::string_view{};
    }
    const auto words = text::split_ws(l, 4);
    if (words.size() < 3 || !ssh::is_key_type(words[1])) {
      text::bad_line(diag, *src, "bad_known_host", n, "expected hosts, key type, key");
      return;
    }
    const auto fp = ssh::fingerprint(words[2]);
    if (!fp) text::bad_line(diag, *src, "bad_key_blob", n, "key is not valid base64");
    Record r = text::make_record("unix/ssh_known_host", src, n);
    if (user) r.set("user", *user);
    if (!marker.empty()) r.set("marker", std::string(marker));
    r.set("hosts", std::string(words[0])).set("hashed", words[0].starts_with("|1|"));
    r.set("key_type", std::string(words[1]));
    if (fp) r.set("fingerprint", *fp);
    if (words.size() > 3) r.set("comment", std::string(words[3]));
    r.set("line", std::string(raw));
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kSshKnownHostParser{
    "unix/ssh_known_host",
    "SSH known_hosts entries (where this machine connected to): host patterns or hashed "
    "entries, markers, key type and SHA-256 fingerprint.",
    {"SSHKnownHostsFiles"},
    kFields,
    &parse,
    {"https://man.openbsd.org/sshd.8#SSH_KNOWN_HOSTS_FILE_FORMAT"}};

}  // namespace deadbox::parsers
