// SPDX-License-Identifier: Apache-2.0
// Reads artifacts/*.json (FA's JSON form: a top-level array of definitions) into Definitions.
// Unknown keys are refused so a typo ("path" for "paths") fails loudly instead of silently
// collecting nothing. Ref: ForensicArtifacts docs/sources/Format-specification.md.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "artifacts/validate.hpp"
#include "deadbox/artifacts/definition.hpp"
#include "deadbox/util/error.hpp"

namespace deadbox::artifacts {
namespace {

constexpr uintmax_t kMaxFileBytes = 16 << 20;

[[noreturn]] void invalid(const std::string& file, const std::string& name,
                          const std::string& reason) {
  throw Error(Layer::kArtifacts, "invalid_definition", file + ": " + name, reason);
}

bool one_of(std::string_view key, std::initializer_list<std::string_view> keys) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::vector<std::string> strings(const rapidjson::Value& v, const char* key,
                                 const std::string& file, const std::string& name) {
  std::vector<std::string> out;
  if (!v.IsArray()) invalid(file, name, std::string("'") + key + "' must be an array of strings");
  for (const auto& item : v.GetArray()) {
    if (!item.IsString())
      invalid(file, name, std::string("'") + key + "' must be an array of strings");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

std::string text(const rapidjson::Value& v, const char* key, const std::string& file,
                 const std::string& name) {
  if (!v.IsString()) invalid(file, name, std::string("'") + key + "' must be a string");
  return std::string(v.GetString(), v.GetStringLength());
}

SourceDef read_source(const rapidjson::Value& v, const std::string& file, const std::string& name) {
  if (!v.IsObject()) invalid(file, name, "a source must be an object");
  SourceDef src;
  bool has_type = false;
  for (const auto& m : v.GetObject()) {
    const std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (key == "type") {
      src.type = text(m.value, "type", file, name);
      has_type = true;
    } else if (key == "supported_os") {
      src.supported_os = strings(m.value, "supported_os", file, name);
    } else if (key == "attributes") {
      if (!m.value.IsObject()) invalid(file, name, "'attributes' must be an object");
      for (const auto& a : m.value.GetObject()) {
        const std::string_view akey(a.name.GetString(), a.name.GetStringLength());
        if (akey == "paths") {
          src.paths = strings(a.value, "paths", file, name);
        } else if (akey == "names") {
          src.names = strings(a.value, "names", file, name);
        } else if (akey == "separator") {
          src.separator = text(a.value, "separator", file, name);
        } else if (!one_of(akey,
                           {"cmd", "args", "keys", "key_value_pairs", "query", "base_object"})) {
          // cmd/args/keys/… belong to COMMAND/registry/WMI sources, refused by validate().
          invalid(file, name, "unknown attribute '" + std::string(akey) + "'");
        }
      }
    } else if (!one_of(key, {"conditions", "returned_types"})) {
      invalid(file, name, "unknown source key '" + std::string(key) + "'");
    }
  }
  if (!has_type) invalid(file, name, "source without 'type'");
  return src;
}

Definition read_definition(const rapidjson::Value& v, const std::string& file, size_t index) {
  const std::string fallback = "#" + std::to_string(index);
  if (!v.IsObject()) invalid(file, fallback, "a definition must be an object");
  Definition def;
  def.file = file;
  if (auto it = v.FindMember("name"); it != v.MemberEnd())
    def.name = text(it->value, "name", file, fallback);
  const std::string& name = def.name.empty() ? fallback : def.name;
  if (def.name.empty()) invalid(file, name, "missing 'name'");
  bool has_doc = false, has_sources = false;
  for (const auto& m : v.GetObject()) {
    const std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (key == "name") continue;
    if (key == "doc") {
      def.doc = text(m.value, "doc", file, name);
      has_doc = true;
    } else if (key == "aliases") {
      def.aliases = strings(m.value, "aliases", file, name);
    } else if (key == "supported_os") {
      def.supported_os = strings(m.value, "supported_os", file, name);
    } else if (key == "urls") {
      def.urls = strings(m.value, "urls", file, name);
    } else if (key == "sources") {
      if (!m.value.IsArray()) invalid(file, name, "'sources' must be an array");
      for (const auto& s : m.value.GetArray()) def.sources.push_back(read_source(s, file, name));
      has_sources = true;
    } else if (!one_of(key, {"labels", "conditions", "provides"})) {
      // labels/conditions/provides are deprecated FA keys: accepted, ignored.
      invalid(file, name, "unknown key '" + std::string(key) + "'");
    }
  }
  if (!has_doc) invalid(file, name, "missing 'doc'");
  if (!has_sources) invalid(file, name, "missing 'sources'");
  return def;
}

}  // namespace

std::vector<Definition> parse_definitions(std::string_view json, const std::string& file) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError())
    throw Error(Layer::kArtifacts, "invalid_definition", file + ": (file)",
                std::string("JSON error at offset ") + std::to_string(doc.GetErrorOffset()) + ": " +
                    rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsArray())
    throw Error(Layer::kArtifacts, "invalid_definition", file + ": (file)",
                "top level must be an array of definitions");
  std::vector<Definition> out;
  size_t i = 0;
  for (const auto& v : doc.GetArray()) out.push_back(read_definition(v, file, i++));
  return out;
}

Registry Registry::load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json" && it->is_regular_file()) files.push_back(it->path());
  if (ec) throw Error(Layer::kArtifacts, "unreadable", dir, ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Definition> defs;
  for (const auto& path : files) {
    const std::string file = path.filename().string();
    if (fs::file_size(path, ec) > kMaxFileBytes || ec)
      throw Error(Layer::kArtifacts, "unreadable", path.string(), "missing or larger than 16 MiB");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in) throw Error(Layer::kArtifacts, "unreadable", path.string(), "cannot read");
    auto more = parse_definitions(buf.str(), file);
    for (auto& d : more) defs.push_back(std::move(d));
  }
  return from_definitions(std::move(defs));
}

}  // namespace deadbox::artifacts
