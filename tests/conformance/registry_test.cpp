// SPDX-License-Identifier: Apache-2.0
// Conformance of the two registries (modelled on dissect.target's tests/test_plugin.py): ids
// unique and matching their files, documentation present, `needs` resolvable, artifact names
// defined in artifacts/*.json, field names snake_case with one type per name, ATT&CK ids
// well-formed.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "deadbox/artifacts/definition.hpp"
#include "deadbox/checks/check.hpp"
#include "deadbox/collect/collect.hpp"
#include "deadbox/parsers/parser.hpp"

namespace deadbox {
namespace {

const std::regex kSnake("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");
const std::regex kAttack("^T[0-9]{4}(\\.[0-9]{3})?$");
const std::regex kId("^[a-z0-9_]+(/[a-z0-9_]+)+$");

std::vector<const checks::Check*> checks_list() {
  auto s = checks::all_checks();
  return {s.begin(), s.end()};
}
std::vector<const parsers::Parser*> parsers_list() {
  auto s = parsers::all_parsers();
  return {s.begin(), s.end()};
}

class CheckConformance : public ::testing::TestWithParam<const checks::Check*> {};
class ParserConformance : public ::testing::TestWithParam<const parsers::Parser*> {};

TEST_P(CheckConformance, IdMatchesItsSourceFile) {
  const auto* c = GetParam();
  EXPECT_TRUE(std::regex_match(std::string(c->id), kId)) << c->id;
  const auto file =
      std::filesystem::path(DEADBOX_SOURCE_DIR) / "src" / "checks" / (std::string(c->id) + ".cpp");
  EXPECT_TRUE(std::filesystem::exists(file)) << file;
  EXPECT_EQ(checks::find_check(c->id), c) << "duplicate id " << c->id;
}

TEST_P(CheckConformance, DocumentedForTheCatalogue) {
  const auto* c = GetParam();
  EXPECT_FALSE(c->title.empty()) << c->id;
  EXPECT_GE(c->description.size(), 40u) << c->id;
  EXPECT_FALSE(c->false_positives.empty()) << c->id;
  EXPECT_FALSE(c->references.empty()) << c->id;
  EXPECT_NE(c->run, nullptr) << c->id;
}

TEST_P(CheckConformance, AttackIdWellFormed) {
  const auto* c = GetParam();
  EXPECT_TRUE(std::regex_match(std::string(c->attack_id), kAttack))
      << c->id << ": '" << c->attack_id << "'";
}

// The report names techniques and tactics from artifacts/lists/attack_techniques.txt (data,
// bumped with ATT&CK releases): every id a check reports must be there.
TEST_P(CheckConformance, AttackIdNamedInTheTechniqueList) {
  const auto* c = GetParam();
  static const auto knowledge = checks::Knowledge::load(DEADBOX_ARTIFACTS_DIR);
  bool found = false;
  for (const auto& line : knowledge.list("attack_techniques"))
    found = found || line.substr(0, line.find('|')) == c->attack_id;
  EXPECT_TRUE(found) << c->id << ": " << c->attack_id
                     << " missing from artifacts/lists/attack_techniques.txt";
}

TEST_P(CheckConformance, NeedsAreProducedBySomething) {
  const auto* c = GetParam();
  EXPECT_FALSE(c->needs.empty()) << c->id;
  for (std::string_view need : c->needs) {
    const bool collected = need == collect::kFileRecord || need == collect::kContentMatchRecord ||
                           need == collect::kArtifactRecord;
    EXPECT_TRUE(collected || parsers::find_parser(need) != nullptr)
        << c->id << " needs '" << need << "', which no parser or collector produces";
  }
}

TEST_P(ParserConformance, IdUniqueAndDocumented) {
  const auto* p = GetParam();
  EXPECT_TRUE(std::regex_match(std::string(p->id), kId)) << p->id;
  EXPECT_EQ(parsers::find_parser(p->id), p) << "duplicate id " << p->id;
  EXPECT_GE(p->description.size(), 10u) << p->id;
  EXPECT_NE(p->parse, nullptr) << p->id;
  EXPECT_FALSE(p->artifacts.empty()) << p->id;
  EXPECT_FALSE(p->fields.empty()) << p->id;
  EXPECT_FALSE(p->references.empty()) << p->id << ": no references (format spec, man page)";
}

TEST_P(ParserConformance, ArtifactsAreDefined) {
  static const artifacts::Registry registry = artifacts::Registry::load(DEADBOX_ARTIFACTS_DIR);
  const auto* p = GetParam();
  for (std::string_view name : p->artifacts)
    EXPECT_NE(registry.find(name), nullptr)
        << p->id << " consumes '" << name << "', not defined in artifacts/*.json";
}

TEST_P(ParserConformance, FieldNamesSnakeCaseAndUniqueInParser) {
  const auto* p = GetParam();
  std::set<std::string_view> seen;
  for (const auto& f : p->fields) {
    EXPECT_TRUE(std::regex_match(std::string(f.name), kSnake)) << p->id << "." << f.name;
    EXPECT_TRUE(seen.insert(f.name).second) << p->id << " declares " << f.name << " twice";
    EXPECT_FALSE(f.doc.empty()) << p->id << "." << f.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Registry, CheckConformance, ::testing::ValuesIn(checks_list()),
                         [](const auto& info) {
                           std::string n(info.param->id);
                           for (char& c : n)
                             if (c == '/') c = '_';
                           return n;
                         });
INSTANTIATE_TEST_SUITE_P(Registry, ParserConformance, ::testing::ValuesIn(parsers_list()),
                         [](const auto& info) {
                           std::string n(info.param->id);
                           for (char& c : n)
                             if (c == '/') c = '_';
                           return n;
                         });

TEST(RegistryConformance, OneTypePerFieldNameAcrossParsers) {
  std::map<std::string_view, std::pair<parsers::FieldType, std::string_view>> first;
  for (const auto* p : parsers::all_parsers())
    for (const auto& f : p->fields) {
      auto [it, fresh] = first.try_emplace(f.name, f.type, p->id);
      EXPECT_TRUE(fresh || it->second.first == f.type)
          << "field '" << f.name << "' is typed differently in " << p->id << " and "
          << it->second.second;
    }
}

TEST(RegistryConformance, BothRegistriesAreNonEmpty) {
  EXPECT_FALSE(checks::all_checks().empty());
  EXPECT_FALSE(parsers::all_parsers().empty());
}

}  // namespace
}  // namespace deadbox
