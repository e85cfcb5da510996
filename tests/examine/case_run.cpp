// SPDX-License-Identifier: Apache-2.0
// examine-test helpers (see case_run.hpp).
#include "examine/case_run.hpp"

#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

namespace deadbox::examine_test {

const CaseRun& examine(const std::string& image, const std::vector<std::string>& extra, int slot) {
  static std::map<std::pair<std::vector<std::string>, int>, CaseRun> cache;
  std::vector<std::string> key{image};
  key.insert(key.end(), extra.begin(), extra.end());
  auto it = cache.find({key, slot});
  if (it != cache.end()) return it->second;
  CaseRun run;
  run.dir = testing::make_temp_dir("examine") / "case";
  std::vector<std::string> args{"examine", image, "-o", run.dir.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  run.result = testing::run_deadbox(args);
  return cache.emplace(std::make_pair(key, slot), std::move(run)).first->second;
}

std::map<std::string, std::string> read_tree(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    out[std::filesystem::relative(e.path(), dir).string()] = testing::read_text(e.path());
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

std::vector<Indicator> layout_indicators(const std::string& scenario) {
  std::vector<Indicator> out;
  std::string skip;
  const auto layout = testing::fixture(scenario, "layout.json", &skip);
  if (!layout) return out;
  const std::string text = testing::read_text(*layout);
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("expect")) return out;
  const auto& ex = d["expect"];
  if (!ex.IsObject() || !ex.HasMember("indicators") || !ex["indicators"].IsArray()) return out;
  for (const auto& v : ex["indicators"].GetArray()) {
    auto get = [&](const char* k) {
      return v.HasMember(k) && v[k].IsString() ? std::string(v[k].GetString()) : std::string();
    };
    Indicator ind{get("what"), get("path"), get("volume"), get("detail")};
    ind.deleted = v.HasMember("deleted") && v["deleted"].IsBool() && v["deleted"].GetBool();
    out.push_back(std::move(ind));
  }
  return out;
}

std::optional<std::filesystem::path> hostile_root_image(std::string* skip, std::string* error) {
  static std::optional<std::filesystem::path> made;
  static std::string missing, why;
  if (made || !missing.empty() || !why.empty()) {
    *skip = missing;
    *error = why;
    return made;
  }
  const auto raw = testing::fixture("hostile_names", "disk.raw", &missing);
  if (!raw) {
    *skip = missing;
    return std::nullopt;
  }
  // p1's offset from the layout the generator wrote (debugfs opens "image?offset=N").
  const std::string layout = testing::read_text(raw->parent_path() / "layout.json");
  rapidjson::Document d;
  d.Parse(layout.c_str(), layout.size());
  uint64_t offset = 0;
  if (!d.HasParseError() && d.IsObject() && d.HasMember("volumes") && d["volumes"].IsArray())
    for (const auto& v : d["volumes"].GetArray())
      if (v.HasMember("name") && std::string(v["name"].GetString()) == "p1")
        offset = v["disk_offset"].GetUint64();
  if (offset == 0) {
    *error = why = "hostile_names layout.json has no p1 disk_offset";
    return std::nullopt;
  }
  const auto dir = testing::make_temp_dir("examine-hostile-root");
  const auto copy = dir / "hostile_root.raw";
  auto run = [&](const std::vector<std::string>& argv) {
    const auto r = testing::run_program(argv);
    if (r.exit_code != 0 && why.empty())
      why = argv[0] + " failed (" + std::to_string(r.exit_code) + "): " + r.err.substr(0, 300);
    return r;
  };
  run({"cp", "--sparse=always", raw->string(), copy.string()});
  const std::string target = copy.string() + "?offset=" + std::to_string(offset);
  // The fixture's own passwd, plus a uid-0 account whose name is an OSC title sequence.
  const auto dump = dir / "passwd.orig";
  run({"debugfs", "-R", "dump /etc/passwd " + dump.string(), target});
  {
    std::ofstream out(dir / "passwd", std::ios::binary);
    out << testing::read_text(dump) << "\x1b]0;pwned\x07:x:0:0:\x9b" "2J:/root:/bin/bash\n";
    std::ofstream os(dir / "os-release", std::ios::binary);
    // Single quotes (os-release(5) allows them) keep the '"' of the breakout inside the value.
    os << "NAME=\"Hostile\"\nID=hostile\nPRETTY_NAME='<script>alert(2)</script>"
          "\"><svg onload=alert(3)> \x1b]0;os\x07'\n";
    std::ofstream cmds(dir / "debugfs.cmd", std::ios::binary);
    cmds << "rm /etc/passwd\nwrite " << (dir / "passwd").string() << " /etc/passwd\nwrite "
         << (dir / "os-release").string() << " /etc/os-release\n";
  }
  run({"debugfs", "-w", "-f", (dir / "debugfs.cmd").string(), target});
  // debugfs reports command errors on stderr but exits 0: verify the result instead.
  const auto check = run({"debugfs", "-R", "cat /etc/passwd", target});
  if (check.out.find("pwned") == std::string::npos && why.empty())
    why = "debugfs did not rewrite /etc/passwd: " + check.err.substr(0, 300);
  if (!why.empty()) {
    *error = why;
    return std::nullopt;
  }
  made = copy;
  return made;
}

}  // namespace deadbox::examine_test
