// SPDX-License-Identifier: Apache-2.0
// Private: JSON parsing and validation steps of the registry.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/artifacts/definition.hpp"

namespace deadbox::artifacts {

/// Parses one file's JSON text; throws deadbox::Error "invalid_definition" with file + name.
std::vector<Definition> parse_definitions(std::string_view json, const std::string& file);

/// Validates one definition on its own (keys, types, paths, globs, OS names). Throws.
void validate_definition(const Definition& def);

/// Validates the set: unique names/aliases, group members exist, no group cycles. Throws.
void validate_set(const std::vector<Definition>& defs);

}  // namespace deadbox::artifacts
