// SPDX-License-Identifier: Apache-2.0
// linux/systemd_unit: unit files, timers and drop-ins (<unit>.d/*.conf): one record per
// directive that starts something or schedules it (Exec*, OnCalendar, On*Sec, Unit, WantedBy,
// Environment, User). Ref: systemd.unit(5), systemd.service(5), systemd.timer(5).
#include <string>

#include "deadbox/parsers/parser.hpp"
#include "parsers/text_lines.hpp"

namespace deadbox::parsers {
namespace {

constexpr Field kFields[] = {
    {"unit", FieldType::kString, "unit name (file name, or the drop-in's <unit>.d folder)"},
    {"unit_type", FieldType::kString, "service, timer, socket, path, …"},
    {"dropin", FieldType::kBool, "the directive comes from a <unit>.d/*.conf drop-in"},
    {"section", FieldType::kString, "Unit, Service, Timer, Install, …"},
    {"key", FieldType::kString, "directive name"},
    {"value", FieldType::kString, "directive value (continuation lines joined)"},
    {"line", FieldType::kString, "the raw (first) line"},
};

bool of_interest(std::string_view key) {
  for (std::string_view k :
       {"ExecStart", "ExecStartPre", "ExecStartPost", "ExecStop", "ExecStopPost", "ExecReload",
        "ExecCondition", "OnCalendar", "OnBootSec", "OnStartupSec", "OnActiveSec",
        "OnUnitActiveSec", "OnUnitInactiveSec", "Unit", "WantedBy", "RequiredBy", "Environment",
        "EnvironmentFile", "User", "Group", "Type", "Restart", "Description"})
    if (key == k) return true;
  return false;
}

void parse(std::string_view bytes, const std::shared_ptr<const Source>& src, RecordSink& out,
           Diagnostics& diag) {
  std::string_view path = src->path;
  std::string unit(text::basename(path));
  bool dropin = false;
  const auto slash = path.rfind('/');
  if (slash != std::string_view::npos && unit.ends_with(".conf")) {
    const std::string_view dir = text::basename(path.substr(0, slash));
    if (dir.size() > 2 && dir.ends_with(".d")) {
      unit = std::string(dir.substr(0, dir.size() - 2));
      dropin = true;
    }
  }
  const auto dot = unit.rfind('.');
  const std::string unit_type = dot == std::string::npos ? std::string() : unit.substr(dot + 1);
  std::string section;
  std::optional<Record> open;  // directive still being continued with trailing '\'
  auto flush = [&] {
    if (open) out.add(std::move(*open));
    open.reset();
  };
  text::for_each_line(bytes, *src, diag, [&](uint64_t n, std::string_view raw) {
    std::string_view l = text::trim(raw);
    if (open) {
      // Continuation of the previous directive's value.
      const bool more = l.ends_with("\\");
      if (more) l.remove_suffix(1);
      std::string v(*open->str("value"));
      v += " ";
      v += text::trim(l);
      open->set("value", v);
      if (!more) flush();
      return;
    }
    if (l.empty() || l[0] == '#' || l[0] == ';') return;
    if (l[0] == '[') {
      const auto close = l.find(']');
      if (close == std::string_view::npos)
        text::bad_line(diag, *src, "bad_unit_line", n, "unterminated section header");
      section = std::string(l.substr(1, close == std::string_view::npos ? l.npos : close - 1));
      return;
    }
    const auto eq = l.find('=');
    if (eq == std::string_view::npos) {
      text::bad_line(diag, *src, "bad_unit_line", n, "no '=' in directive");
      return;
    }
    const std::string_view key = text::trim(l.substr(0, eq));
    std::string_view value = text::trim(l.substr(eq + 1));
    const bool more = value.ends_with("\\");
    if (more) value.remove_suffix(1);
    if (!of_interest(key)) return;
    Record r = text::make_record("linux/systemd_unit", src, n);
    r.set("unit", unit).set("unit_type", unit_type).set("dropin", dropin);
    r.set("section", section).set("key", std::string(key));
    r.set("value", std::string(text::trim(value))).set("line", std::string(raw));
    open = std::move(r);
    if (!more) flush();
  });
  flush();
}

}  // namespace

extern const Parser kSystemdUnitParser{
    "linux/systemd_unit",
    "systemd units, timers and drop-ins: the directives that start or schedule programs "
    "(Exec*, OnCalendar, On*Sec, Unit, WantedBy, Environment, User).",
    {"LinuxSystemdServices", "LinuxSystemdTimers"},
    kFields,
    &parse,
    {"https://www.freedesktop.org/software/systemd/man/systemd.service.html",
     "https://www.freedesktop.org/software/systemd/man/systemd.timer.html"}};

}  // namespace deadbox::parsers
