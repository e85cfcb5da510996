// SPDX-License-Identifier: Apache-2.0
// Private helper for the colon-separated account files (passwd, group, shadow, gshadow): one
// bounded line loop with the field-count, empty-name and NIS-compat diagnostics all four share.
#pragma once
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "deadbox/parsers/record.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::parsers {

using ColonFields = std::vector<std::string_view>;

/// What a line of one colon file must look like before its parser sees it.
struct ColonFormat {
  enum class EmptyName {
    kAccepted,       ///< the parser decides (group folds it into its bad_id diagnostic)
    kEmptyName,      ///< "empty_name": "<kind> entry without a name"
    kBadFieldCount,  ///< reported as a malformed line (gshadow)
  };
  std::string_view kind;  ///< "passwd": diagnostics say "passwd entry …"
  size_t fields = 0;      ///< fields a line must have
  /// When nonzero, min_fields..fields are accepted (shadow's optional reserved field); the
  /// count diagnostic then names no single expected count.
  size_t min_fields = 0;
  bool name_in_count_diag = false;  ///< the bad_field_count message ends with the quoted name
  bool nis_compat = false;  ///< "+…"/"-…" names import accounts from NIS: noted, not parsed
  EmptyName empty_name = EmptyName::kAccepted;
};

/// Calls fn(line number, fields) for every non-empty line (split on ':', empty fields kept) that
/// passes format's checks; the others get one diagnostic at their line. Lines cut by the
/// reader's length cap are reported once at the end. Never throws on content.
void for_each_colon_entry(std::string_view bytes, const Source& source, Diagnostics& diag,
                          const ColonFormat& format,
                          const std::function<void(uint64_t, const ColonFields&)>& fn);

}  // namespace deadbox::parsers
