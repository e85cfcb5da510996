// SPDX-License-Identifier: Apache-2.0
// Escapers for attacker-controlled bytes (names, log lines, usernames) in every output format.
// One place, so every writer makes the same promise (hostile-input.md items 8-10).
#pragma once
#include <string>
#include <string_view>

namespace deadbox::escape {

/// For terminals/stderr: printable ASCII kept, everything else (C0, DEL, C1 such as 0x9B CSI,
/// ESC, BEL, invalid UTF-8, bidi overrides U+202A-202E/U+2066-2069) as \xNN; valid non-ASCII
/// UTF-8 kept. Backslash doubled so the mapping is reversible.
std::string terminal(std::string_view raw);

/// Valid UTF-8 for JSON: valid sequences kept, each invalid byte replaced by "\xNN" text
/// (backslash itself kept as is). Returns true in *lossy when anything was replaced.
std::string utf8_lossless(std::string_view raw, bool* lossy = nullptr);

/// JSON string body (without the quotes) of utf8_lossless(raw): ", \\, controls escaped; also
/// <, >, &, U+2028/2029 as \uXXXX so the text is safe inside an HTML <script> block.
std::string json_string(std::string_view raw);

/// HTML text/attribute content: & < > " ' escaped, then terminal-style \xNN for controls and
/// invalid UTF-8.
std::string html(std::string_view raw);

/// One CSV field, RFC 4180 quoted, with a leading ' when it starts with = + - @ TAB CR or NUL
/// (OWASP CSV injection), controls and invalid UTF-8 as \xNN.
std::string csv_field(std::string_view raw);

/// Bodyfile name as fls prints it: control bytes < 0x20 replaced by '^', everything else raw
/// (DEL too, as TSK_IS_CNTRL leaves it; fls does not escape '|'; mactime then drops such
/// lines: documented).
std::string bodyfile_fls(std::string_view raw);

/// Opt-in bodyfile escaping that plaso decodes: '\\' -> "\\\\", '|' -> "\\|", controls and
/// invalid UTF-8 -> "\\xNN".
std::string bodyfile_plaso(std::string_view raw);

/// Hex string of bytes (lowercase).
std::string hex(std::string_view raw);

}  // namespace deadbox::escape
