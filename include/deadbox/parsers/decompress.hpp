// SPDX-License-Identifier: Apache-2.0
// Transparent decompression of rotated logs (.gz, .xz, .bz2) before parsing, recognised by
// magic bytes (never by name: a hostile image can name anything anything), with an output cap
// so a decompression bomb costs at most `cap` bytes (hostile-input.md item 12).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "deadbox/parsers/record.hpp"
#include "deadbox/util/diagnostics.hpp"

namespace deadbox::parsers {

/// "gzip", "xz", "bzip2", or "" when bytes start with none of their magics.
std::string_view compression_of(std::string_view bytes);

/// Returns the decompressed bytes when bytes are gzip (multi-member), xz (concatenated
/// streams) or bzip2 (multi-stream), else a copy of bytes unchanged. Output stops at cap bytes
/// (*capped = true, diagnostic "capped"); corrupt or truncated streams keep what decoded so
/// far and add a "decompress_error" diagnostic. Never throws on content. source (optional)
/// labels the diagnostics with volume/path/inode.
std::string decompress_if_needed(std::string_view bytes, uint64_t cap, Diagnostics& diag,
                                 bool* capped = nullptr, const Source* source = nullptr);

}  // namespace deadbox::parsers
