// SPDX-License-Identifier: Apache-2.0
// `deadbox list artifacts|checks|parsers [--json]`: the catalogues, from the definitions folder
// and the two registries. One branch per catalogue; descriptor text is the documentation.
#include <iostream>

#include "cli/commands.hpp"
#include "deadbox/artifacts/definition.hpp"
#include "deadbox/checks/check.hpp"
#include "deadbox/parsers/parser.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::cli {
namespace {

std::string json_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? ",\"" : "\"") + escape::json_string(v[i]) + "\"";
  return out + "]";
}

template <class Views>
std::vector<std::string> strings(const Views& views) {
  return {views.begin(), views.end()};
}

int list_artifacts(const ListOptions& o) {
  const auto reg = artifacts::Registry::load(o.artifacts_dir);
  for (const auto& d : reg.all()) {
    const auto members = d.is_group() ? reg.leaves(d.name) : std::vector<std::string>{};
    const auto paths = reg.patterns(d.name, {});
    if (o.json) {
      std::cout << "{\"name\":\"" << escape::json_string(d.name) << "\",\"doc\":\""
                << escape::json_string(d.doc) << "\",\"file\":\"" << escape::json_string(d.file)
                << "\",\"aliases\":" << json_list(d.aliases)
                << ",\"group\":" << (d.is_group() ? "true" : "false")
                << ",\"members\":" << json_list(members) << ",\"paths\":" << json_list(paths)
                << ",\"urls\":" << json_list(d.urls) << "}\n";
      continue;
    }
    std::string doc = d.doc.substr(0, d.doc.find('\n'));
    std::cout << escape::terminal(d.name) << (d.is_group() ? " (group)" : "") << "  "
              << escape::terminal(doc) << "\n";
    for (const auto& p : paths) std::cout << "    " << escape::terminal(p) << "\n";
  }
  return kExitOk;
}

std::string_view type_name(parsers::FieldType t) {
  switch (t) {
    case parsers::FieldType::kString: return "string";
    case parsers::FieldType::kInt: return "int";
    case parsers::FieldType::kBool: return "bool";
    case parsers::FieldType::kTimestamp: return "timestamp";
  }
  return "string";
}

int list_parsers(const ListOptions& o) {
  for (const auto* p : parsers::all_parsers()) {
    std::vector<std::string> arts(p->artifacts.begin(), p->artifacts.end());
    if (o.json) {
      std::cout << "{\"id\":\"" << escape::json_string(p->id) << "\",\"description\":\""
                << escape::json_string(p->description) << "\",\"artifacts\":" << json_list(arts)
                << ",\"fields\":[";
      for (size_t i = 0; i < p->fields.size(); ++i)
        std::cout << (i ? "," : "") << "{\"name\":\"" << escape::json_string(p->fields[i].name)
                  << "\",\"type\":\"" << type_name(p->fields[i].type) << "\",\"doc\":\""
                  << escape::json_string(p->fields[i].doc) << "\"}";
      std::cout << "],\"references\":" << json_list(strings(p->references)) << "}\n";
      continue;
    }
    std::cout << p->id << "  " << escape::terminal(p->description) << "\n";
    std::cout << "    artifacts: ";
    for (size_t i = 0; i < arts.size(); ++i) std::cout << (i ? ", " : "") << arts[i];
    std::cout << "\n    fields: ";
    for (size_t i = 0; i < p->fields.size(); ++i)
      std::cout << (i ? ", " : "") << p->fields[i].name << " (" << type_name(p->fields[i].type)
                << ")";
    std::cout << "\n";
  }
  return kExitOk;
}

int list_checks(const ListOptions& o) {
  for (const auto* c : checks::all_checks()) {
    if (o.json) {
      std::cout << "{\"id\":\"" << escape::json_string(c->id) << "\",\"title\":\""
                << escape::json_string(c->title) << "\",\"severity\":\""
                << checks::severity_name(c->severity) << "\",\"attack_id\":\""
                << escape::json_string(c->attack_id) << "\",\"description\":\""
                << escape::json_string(c->description) << "\",\"false_positives\":\""
                << escape::json_string(c->false_positives)
                << "\",\"needs\":" << json_list(strings(c->needs))
                << ",\"references\":" << json_list(strings(c->references)) << "}\n";
      continue;
    }
    std::cout << c->id << "  [" << checks::severity_name(c->severity) << ", " << c->attack_id
              << "]  " << escape::terminal(c->title) << "\n    " << escape::terminal(c->description)
              << "\n    false positives: " << escape::terminal(c->false_positives) << "\n";
  }
  return kExitOk;
}

}  // namespace

int run_list(const ListOptions& o) {
  if (o.what == "artifacts") return list_artifacts(o);
  if (o.what == "parsers") return list_parsers(o);
  if (o.what == "checks") return list_checks(o);
  return kExitUsage;
}

}  // namespace deadbox::cli
