// SPDX-License-Identifier: Apache-2.0
// Parsing `deadbox check --json` output (see src/collect/output.cpp for the producer).
#include "scenario/findings.hpp"

#include <rapidjson/document.h>

#include <cctype>
#include <map>
#include <sstream>

#include "support/fixture.hpp"

namespace deadbox::scenario {
namespace {

std::string str_member(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject()) return {};
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

int level_rank(const std::string& level) {
  static const std::map<std::string, int> kRank{
      {"info", 0}, {"low", 1}, {"medium", 2}, {"high", 3}, {"critical", 4}};
  auto it = kRank.find(level);
  return it == kRank.end() ? -1 : it->second;
}

std::vector<Finding> parse_findings(const std::string& jsonl, std::vector<std::string>* errors) {
  std::vector<Finding> out;
  std::istringstream in(jsonl);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    rapidjson::Document d;
    d.Parse(line.c_str(), line.size());
    if (d.HasParseError() || !d.IsObject()) {
      errors->push_back("line " + std::to_string(n) +
                        " is not a JSON object: " + line.substr(0, 200));
      continue;
    }
    Finding f;
    f.id = str_member(d, "id");
    f.rule_id = str_member(d, "rule_id");
    f.title = str_member(d, "title");
    f.level = str_member(d, "level");
    f.message = str_member(d, "message");
    f.json = line;
    auto ev = d.FindMember("evidence");
    if (ev != d.MemberEnd() && ev->value.IsArray()) {
      for (const auto& e : ev->value.GetArray())
        f.evidence.push_back(
            {str_member(e, "volume"), str_member(e, "path"), str_member(e, "excerpt")});
    } else {
      errors->push_back("line " + std::to_string(n) + " has no evidence array");
    }
    out.push_back(std::move(f));
  }
  return out;
}

const CheckRun& check_json(const std::string& image, const std::vector<std::string>& extra) {
  static std::map<std::vector<std::string>, CheckRun> cache;
  std::vector<std::string> args{"check", image, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto it = cache.find(args);
  if (it != cache.end()) return it->second;
  CheckRun run;
  auto r = testing::run_deadbox(args);
  run.exit_code = r.exit_code;
  run.out = std::move(r.out);
  run.err = std::move(r.err);
  run.findings = parse_findings(run.out, &run.parse_errors);
  return cache.emplace(args, std::move(run)).first->second;
}

std::string describe(const Finding& f) {
  std::string s = f.level + " " + f.rule_id;
  if (!f.evidence.empty()) {
    const auto& e = f.evidence.front();
    s += " " + e.volume + ":" + e.path;
    if (!e.excerpt.empty()) s += " | " + e.excerpt.substr(0, 160);
    if (f.evidence.size() > 1) s += " (+" + std::to_string(f.evidence.size() - 1) + " evidence)";
  }
  s += " | " + f.message.substr(0, 200);
  return s;
}

bool names_path(const Finding& f, const std::string& path) {
  for (const auto& e : f.evidence)
    if (e.path == path) return true;
  return f.message.find(path) != std::string::npos;
}

bool mentions(const Finding& f, const std::string& text) {
  if (f.message.find(text) != std::string::npos || f.title.find(text) != std::string::npos)
    return true;
  for (const auto& e : f.evidence)
    if (e.path.find(text) != std::string::npos || e.excerpt.find(text) != std::string::npos)
      return true;
  return false;
}

std::map<std::string, std::string> read_records(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir / "records", ec))
    out[e.path().filename().string()] = testing::read_text(e.path());
  return out;
}

bool any_line_has(const std::map<std::string, std::string>& records,
                  const std::vector<std::string>& needles, const std::string& file) {
  for (const auto& [name, text] : records) {
    if (!file.empty() && name != file) continue;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string_view line(text.data() + start, end - start);
      bool all = true;
      for (const auto& n : needles) all = all && line.find(n) != std::string_view::npos;
      if (all) return true;
      start = end + 1;
    }
  }
  return false;
}

std::vector<Indicator> load_indicators(const std::string& scenario) {
  std::vector<Indicator> out;
  const std::string text = testing::read_text(std::string(DEADBOX_SOURCE_DIR) +
                                              "/fixtures/scenarios/" + scenario + ".json");
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsObject()) return out;
  auto ex = d.FindMember("expect");
  if (ex == d.MemberEnd() || !ex->value.IsObject()) return out;
  auto list = ex->value.FindMember("indicators");
  if (list == ex->value.MemberEnd() || !list->value.IsArray()) return out;
  for (const auto& v : list->value.GetArray()) {
    Indicator ind;
    ind.index = static_cast<int>(out.size());
    ind.what = str_member(v, "what");
    ind.path = str_member(v, "path");
    ind.volume = str_member(v, "volume");
    ind.detail = str_member(v, "detail");
    out.push_back(ind);
  }
  return out;
}

std::string indicator_miss(const std::vector<Finding>& findings, const Indicator& ind,
                           const Finding** hit) {
  auto matches = [&](const Finding& f) {
    if (!ind.path.empty() && !names_path(f, ind.path)) return false;
    if (ind.path.empty() && !ind.volume.empty()) {
      bool on_volume = false;
      for (const auto& e : f.evidence) on_volume = on_volume || e.volume == ind.volume;
      if (!on_volume) return false;
    }
    return ind.detail.empty() || mentions(f, ind.detail);
  };
  std::string why;
  for (const auto& f : findings) {
    if (!matches(f)) continue;
    if (level_rank(f.level) >= 2) {
      if (hit != nullptr) *hit = &f;
      return {};
    }
    why += "  below medium: " + describe(f) + "\n";
  }
  const std::string key = !ind.path.empty() ? ind.path : ind.detail;
  for (const auto& f : findings)
    if (!key.empty() && mentions(f, key) && !matches(f)) why += "  related: " + describe(f) + "\n";
  return "indicator not named at medium+: " + ind.what + " (path '" + ind.path + "' volume '" +
         ind.volume + "' detail '" + ind.detail + "')\n" +
         (why.empty() ? std::string("  no finding mentions it at all\n") : why);
}

void PrintTo(const Indicator& ind, std::ostream* os) {
  *os << "{" << ind.what << ": " << (ind.path.empty() ? ind.volume : ind.path)
      << (ind.detail.empty() ? "" : " / " + ind.detail) << "}";
}

std::string indicator_name(const Indicator& ind) {
  std::string base = !ind.path.empty() ? ind.path : ind.volume;
  if (!ind.detail.empty()) base += "_" + ind.detail;
  std::string name = (ind.index < 10 ? "0" : "") + std::to_string(ind.index) + "_";
  for (char c : base) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

}  // namespace deadbox::scenario
