// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the files/* checks: evidence from fs/file and fs/content_match records,
// and path predicates. The records come from collect's file scanner.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>

#include "deadbox/checks/check.hpp"

namespace deadbox::checks::files {

inline constexpr std::string_view kFile = "fs/file";
inline constexpr std::string_view kContent = "fs/content_match";

/// Evidence for one record: provenance, the times it carries, an optional excerpt.
Evidence evidence_of(const parsers::Record& r, std::string excerpt = {});

/// True when path is dir or lies below it.
bool under(std::string_view path, std::string_view dir);
bool under_any(std::string_view path, std::initializer_list<std::string_view> dirs);

/// Directory part of a path ("/boot" for "/boot/x", "/" for "/x").
std::string_view parent_of(std::string_view path);

/// "~/.x/…" style: below /root/.<name> or /home/<user>/.<name>.
bool in_home_dotdir(std::string_view path);

/// Earliest/latest of the timestamps in the evidence list (for Finding first/last_seen).
void set_seen(Finding& f);

/// path of the record's source, or "".
std::string_view path_of(const parsers::Record& r);

}  // namespace deadbox::checks::files
