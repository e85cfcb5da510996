// SPDX-License-Identifier: Apache-2.0
// The line loop shared by the passwd, group, shadow and gshadow parsers.
#include "parsers/colon_fields.hpp"

#include <string>

#include "parsers/line_reader.hpp"

namespace deadbox::parsers {

void for_each_colon_entry(std::string_view bytes, const Source& source, Diagnostics& diag,
                          const ColonFormat& format,
                          const std::function<void(uint64_t, const ColonFields&)>& fn) {
  using EmptyName = ColonFormat::EmptyName;
  const std::string kind(format.kind);
  const size_t min_fields = format.min_fields ? format.min_fields : format.fields;
  LineReader reader(bytes);
  Line line;
  while (reader.next(line)) {
    if (line.text.empty()) continue;
    const ColonFields f = split_fields(line.text, ':');
    const bool count_ok = f.size() >= min_fields && f.size() <= format.fields;
    if (!count_ok || (format.empty_name == EmptyName::kBadFieldCount && f[0].empty())) {
      std::string message = kind + " entry with " + std::to_string(f.size()) + " fields";
      if (!format.min_fields) message += ", expected " + std::to_string(format.fields);
      if (format.name_in_count_diag)
        message += ": " + quote_for_diag(f.empty() ? std::string_view{} : f[0]);
      diag_at(diag, source, "bad_field_count", std::move(message), line.number);
      continue;
    }
    if (format.nis_compat && (f[0].starts_with('+') || f[0].starts_with('-'))) {
      diag_at(diag, source, "nis_compat", "NIS compat entry " + quote_for_diag(f[0]), line.number,
              DiagLevel::kInfo);
      continue;
    }
    if (format.empty_name == EmptyName::kEmptyName && f[0].empty()) {
      diag_at(diag, source, "empty_name", kind + " entry without a name", line.number);
      continue;
    }
    fn(line.number, f);
  }
  report_truncations(reader, source, diag);
}

}  // namespace deadbox::parsers
