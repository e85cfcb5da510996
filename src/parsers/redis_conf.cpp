// SPDX-License-Identifier: Apache-2.0
// linux/redis_conf: redis.conf directives that decide exposure (bind, port, protected-mode,
// requirepass — presence only, the secret is never stored), where SAVE writes (dir,
// dbfilename) and rename-command. Ref: https://redis.io/docs/latest/operate/oss_and_stack/management/config-file/
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"key", FieldType::kString, "directive, lower-cased"},
    {"value", FieldType::kString, "value; for requirepass/masterauth \"[set]\" or \"\" (empty)"},
    {"line", FieldType::kString, "the raw line (secrets replaced)"},
};

bool of_interest(std::string_view k) {
  for (std::string_view w : {"bind", "port", "protected-mode", "requirepass", "masterauth", "dir",
                             "dbfilename", "rename-command", "include", "user", "enable-debug-command",
                             "enable-module-command", "loadmodule", "tls-port"})
    if (k == w) return true;
  return false;
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    const std::string_view l = text::trim(raw);
    if (l.empty() || l[0] == '#') return;
    const auto words = text::split_ws(l, 2);
    const std::string key = text::lower(words[0]);
    if (!of_interest(key)) return;
    std::string value = words.size() > 1 ? std::string(text::trim(words[1])) : std::string();
    std::string line(raw);
    if (key == "requirepass" || key == "masterauth" || key == "user") {
      // Credentials stay out of records and reports; only "is one set" matters here.
      if (key == "user") {
        const auto parts = text::split_ws(value);
        std::string kept;
        for (auto p : parts) {
          if (p.starts_with(">") || p.starts_with("#")) p = "[secret]";
          if (!kept.empty()) kept += ' ';
          kept += p;
        }
        value = kept;
      } else {
        value = text::unquote(value).empty() ? std::string() : std::string("[set]");
      }
      line = words[0];
      line += " ";
      line += value;
    } else {
      value = std::string(text::unquote(value));
    }
    Record r = text::make_record("linux/redis_conf", src, n);
    r.set("key", key).set("value", value).set("line", line);
    out.add(std::move(r));
  });
}

}  // namespace

extern const Parser kRedisConfParser{
    "linux/redis_conf",
    "Redis server configuration: bind, port, protected-mode, whether requirepass is set (never "
    "its value), dir/dbfilename and rename-command.",
    // FA's RedisConfigFile is Debian's path only; deadbox's LinuxRedisConfigFile adds Red Hat's
    // /etc/redis.conf (the seed incident's file).
    {"RedisConfigFile", "LinuxRedisConfigFile"},
    kFields,
    &parse,
    {"https://redis.io/docs/latest/operate/oss_and_stack/management/config-file/",
     "https://redis.io/docs/latest/operate/oss_and_stack/management/security/"}};

}  // namespace deadbox::parsers
