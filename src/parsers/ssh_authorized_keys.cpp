// SPDX-License-Identifier: Apache-2.0
// unix/ssh_authorized_key: authorized_keys(2) entries: [options] keytype base64 [comment].
// The key itself is stored as its SHA-256 fingerprint (what ssh-keygen -l and sshd logs show).
// Ref: https://man.openbsd.org/sshd.8#AUTHORIZED_KEYS_FILE_FORMAT
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/ssh_fingerprint.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"user", FieldType::kString, "account whose home holds the file (from the path)"},
    {"options", FieldType::kString, "raw option list (command=, from=, no-pty, …)"},
    {"command", FieldType::kString, "value of the command= option (forced command)"},
    {"from", FieldType::kString, "value of the from= option (allowed sources)"},
    {"key_type", FieldType::kString, "ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256, …"},
    {"fingerprint", FieldType::kString, "SHA256:… fingerprint of the key blob"},
    {"comment", FieldType::kString, "free-text comment (often user@host)"},
    {"line", FieldType::kString, "the raw line"},
    {"redis_rdb", FieldType::kBool, "the file starts with a Redis RDB header"},
};

// Options end at the first unquoted blank; values may be "quoted, with \" escapes".
size_t options_end(std::string_view l) {
  bool quoted = false;
  for (size_t i = 0; i < l.size(); ++i) {
    if (quoted && l[i] == '\\' && i + 1 < l.size()) {
      ++i;
    } else if (l[i] == '"') {
      quoted = !quoted;
    } else if (!quoted && (l[i] == ' ' || l[i] == '\t')) {
      return i;
    }
  }
  return l.size();
}

// Value of name="…" in an option list (first occurrence), unescaped.
std::optional<std::string> option_value(std::string_view opts, std::string_view name) {
  size_t i = 0;
  while (i < opts.size()) {
    const bool at_start = i == 0 || opts[i - 1] == ',';
    if (at_start && text::starts_with_ci(opts.substr(i), name) &&
        opts.substr(i + name.size()).starts_with("=\"")) {
      std::string v;
      for (size_t j = i + name.size() + 2; j < opts.size(); ++j) {
        if (opts[j] == '\\' && j + 1 < opts.size()) v.push_back(opts[++j]);
        else if (opts[j] == '"') return v;
        else v.push_back(opts[j]);
      }
      return v;
    }
    if (opts[i] == '"') {
      const auto close = opts.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close + 1;
    } else {
      ++i;
    }
  }
  return std::nullopt;
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  const bool redis = text::has_redis_header(bytes);
  const auto user = text::user_from_home(src->path);
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    std::string_view l = text::trim(raw);
    if (l.empty() || l[0] == '#') return;
    std::string_view opts;
    auto words = text::split_ws(l, 3);
    if (!ssh::is_key_type(words[0])) {
      const size_t end = options_end(l);
      opts = l.substr(0, end);
      words = text::split_ws(l.substr(end), 3);
    }
    if (words.size() < 2 || !ssh::is_key_type(words[0])) {
      // In a Redis dump the key sits between binary framing lines: skip those quietly.
      if (!redis) text::bad_line(diag, *src, "bad_authorized_key", n, "no key type");
      return;
    }
    const auto fp = ssh::fingerprint(words[1]);
    if (!fp) text::bad_line(diag, *src, "bad_key_blob", n, "key is not valid base64");
    Record r = text::make_record("unix/ssh_authorized_key", src, n);
    if (user) r.set("user", *user);
    if (!opts.empty()) {
      r.set("options", std::string(opts));
      if (auto c = option_value(opts, "command")) r.set("command", *c);
      if (auto f = option_value(opts, "from")) r.set("from", *f);
    }
    r.set("key_type", std::string(words[0]));
    if (fp) r.set("fingerprint", *fp);
    if (words.size() > 2) r.set("comment", std::string(words[2]));
    r.set("line", std::string(raw));
    if (redis) r.set("redis_rdb", true);
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kSshAuthorizedKeyParser{
    "unix/ssh_authorized_key",
    "SSH authorized_keys entries: options (command=, from=), key type, SHA-256 fingerprint, "
    "comment; Redis-written files flagged.",
    {"SSHAuthorizedKeysFiles"},
    kFields,
    &parse,
    {"https://man.openbsd.org/sshd.8#AUTHORIZED_KEYS_FILE_FORMAT"}};

}  // namespace deadbox::parsers
