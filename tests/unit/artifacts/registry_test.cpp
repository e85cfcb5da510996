// SPDX-License-Identifier: Apache-2.0
// Validator: each invalid case is refused at load with the file and the definition's name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "deadbox/artifacts/definition.hpp"
#include "deadbox/util/error.hpp"
#include "support/fixture.hpp"

namespace deadbox::artifacts {
namespace {

std::string write_dir(const std::string& tag, const std::string& json,
                      const std::string& file = "bad.json") {
  auto dir = testing::make_temp_dir("artifacts_" + tag);
  std::ofstream(dir / file) << json;
  return dir.string();
}

// Loads `json` as one file and returns the refusal (where + reason), or "" when accepted.
std::string refusal(const std::string& tag, const std::string& json) {
  try {
    Registry::load(write_dir(tag, json));
  } catch (const Error& e) {
    EXPECT_EQ(e.layer(), Layer::kArtifacts);
    EXPECT_EQ(e.code(), "invalid_definition");
    return e.where() + " | " + e.reason();
  }
  return "";
}

std::string def(const std::string& name, const std::string& sources,
                const std::string& extra = "") {
  return R"({"name": ")" + name + R"(", "doc": "d", "sources": [)" + sources + "]" + extra + "}";
}
std::string file_src(const std::string& path) {
  return R"({"type": "FILE", "attributes": {"paths": [")" + path + R"("]}})";
}
std::string group_src(const std::string& names) {
  return R"({"type": "ARTIFACT_GROUP", "attributes": {"names": [)" + names + "]}}";
}

TEST(Registry, AcceptsAValidFolderAndIgnoresSubfolders) {
  auto dir = write_dir("ok",
                       "[" + def("A", file_src("/etc/a")) + "," +
                           def("G", group_src(R"("A")"), R"(, "aliases": ["GA"])") + "]",
                       "ok.json");
  std::filesystem::create_directories(std::filesystem::path(dir) / "lists");
  std::ofstream(std::filesystem::path(dir) / "lists" / "x.json") << "not json";
  auto r = Registry::load(dir);
  ASSERT_EQ(r.all().size(), 2u);
  EXPECT_EQ(r.find("GA"), r.find("G"));
  EXPECT_EQ(r.find("A")->file, "ok.json");
  EXPECT_EQ(r.leaves("G"), std::vector<std::string>{"A"});
}

TEST(Registry, RefusesMissingKeys) {
  EXPECT_EQ(refusal("noname", R"([{"doc": "d", "sources": []}])"), "bad.json: #0 | missing 'name'");
  EXPECT_EQ(refusal("nodoc", R"([{"name": "X", "sources": []}])"), "bad.json: X | missing 'doc'");
  EXPECT_EQ(refusal("nosrc", R"([{"name": "X", "doc": "d"}])"), "bad.json: X | missing 'sources'");
  EXPECT_EQ(refusal("typo", "[" + def("X", file_src("/a"), R"(, "path": 1)") + "]"),
            "bad.json: X | unknown key 'path'");
}

TEST(Registry, RefusesDuplicateNamesAcrossFiles) {
  auto dir = write_dir("dup", "[" + def("X", file_src("/a")) + "]", "a.json");
  std::ofstream(std::filesystem::path(dir) / "b.json") << "[" + def("X", file_src("/b")) + "]";
  try {
    Registry::load(dir);
    FAIL() << "duplicate accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), "b.json: X");
    EXPECT_NE(e.reason().find("already defined in a.json"), std::string::npos);
  }
}

TEST(Registry, RefusesOfflineInapplicableAndUnknownTypes) {
  EXPECT_EQ(
      refusal("cmd",
              "[" +
                  def("X", R"({"type": "COMMAND", "attributes": {"cmd": "/bin/ps", "args": []}})") +
                  "]"),
      "bad.json: X | source type COMMAND is not applicable offline");
  EXPECT_EQ(
      refusal("reg",
              "[" + def("X", R"({"type": "REGISTRY_KEY", "attributes": {"keys": []}})") + "]"),
      "bad.json: X | source type REGISTRY_KEY is not applicable offline");
  EXPECT_EQ(
      refusal("wmi", "[" + def("X", R"({"type": "WMI", "attributes": {"query": "q"}})") + "]"),
      "bad.json: X | source type WMI is not applicable offline");
  EXPECT_NE(
      refusal("unk", "[" + def("X", R"({"type": "BLOB", "attributes": {"paths": ["/a"]}})") + "]")
          .find("bad.json: X | unknown source type 'BLOB'"),
      std::string::npos);
}

TEST(Registry, RefusesBadPaths) {
  EXPECT_EQ(refusal("rel", "[" + def("X", file_src("etc/passwd")) + "]"),
            "bad.json: X | path 'etc/passwd': path is not absolute");
  EXPECT_EQ(refusal("dotdot", "[" + def("X", file_src("/etc/../shadow")) + "]"),
            "bad.json: X | path '/etc/../shadow': '..' segment");
  EXPECT_EQ(refusal("home", "[" + def("X", file_src("%%users.homedir%%/../x")) + "]"),
            "bad.json: X | path '%%users.homedir%%/../x': '..' segment");
  EXPECT_EQ(refusal("glob", "[" + def("X", file_src("/a/b**")) + "]"),
            "bad.json: X | path '/a/b**': '**' must be a whole segment");
  EXPECT_NE(refusal("var", "[" + def("X", file_src("%%environ_systemroot%%/x")) + "]")
                .find("bad.json: X | path '%%environ_systemroot%%/x'"),
            std::string::npos);
}

TEST(Registry, RefusesUnknownOs) {
  EXPECT_EQ(refusal("os", "[" + def("X", file_src("/a"), R"(, "supported_os": ["Linx"])") + "]"),
            "bad.json: X | unknown supported_os 'Linx' (known: Darwin, ESXi, Linux, Windows)");
}

TEST(Registry, RefusesMissingGroupMembersAndCycles) {
  EXPECT_EQ(refusal("member", "[" + def("G", group_src(R"("Nope")")) + "]"),
            "bad.json: G | group member 'Nope' is not defined");
  const std::string cyc = "[" + def("A", group_src(R"("B")")) + "," +
                          def("B", group_src(R"("C")")) + "," + def("C", group_src(R"("A")")) + "]";
  const std::string why = refusal("cycle", cyc);
  EXPECT_NE(why.find("group cycle"), std::string::npos) << why;
  EXPECT_EQ(why.rfind("bad.json: ", 0), 0u) << why;
}

TEST(Registry, RefusesJsonThatIsNotAnArray) {
  EXPECT_EQ(refusal("obj", R"({"name": "X"})"),
            "bad.json: (file) | top level must be an array of definitions");
  EXPECT_NE(refusal("syntax", "[").find("JSON error"), std::string::npos);
}

TEST(Registry, KeepsWindowsSourcesButNeverUsesThem) {
  auto dir = write_dir(
      "win",
      "[" +
          def("X",
              file_src("/etc/x") + "," +
                  R"({"type": "FILE", "attributes": {"paths": ["%%users.localappdata%%\\x"], "separator": "\\"}, "supported_os": ["Windows"]})") +
          "]");
  auto r = Registry::load(dir);
  EXPECT_EQ(r.patterns("X", {}), std::vector<std::string>{"/etc/x"});
}

TEST(Registry, PatternsExpandHomesAndGroups) {
  auto dir = write_dir("pat", "[" + def("H", file_src("%%users.homedir%%/.bash_history")) + "," +
                                  def("E", file_src("/etc/e")) + "," +
                                  def("G", group_src(R"("H", "E")")) + "]");
  auto r = Registry::load(dir);
  EXPECT_EQ(r.patterns("G", {}),
            (std::vector<std::string>{"/etc/e", "/home/*/.bash_history", "/root/.bash_history"}));
  EXPECT_EQ(r.patterns("G", {"/srv/app/", "/"}),
            (std::vector<std::string>{"/.bash_history", "/etc/e", "/srv/app/.bash_history"}));
  EXPECT_TRUE(r.patterns("Nope", {}).empty());
}

}  // namespace
}  // namespace deadbox::artifacts
