// SPDX-License-Identifier: Apache-2.0
// `deadbox info` end to end: the same disk in every container gives the same volume listing;
// GPT and bare filesystems are listed right; each bad input gives its one-line error and exit
// code with everything else still listed. Oracles: the fixture generator's layout.json (what
// mkfs/sfdisk/lvm were told to build), sha256sum, and the E01's stored MD5.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "deadbox/util/error.hpp"
#include "support/fixture.hpp"

namespace deadbox {
namespace {

namespace fsys = std::filesystem;
using deadbox::testing::run_deadbox;
using deadbox::testing::run_program;
using deadbox::testing::RunResult;

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text.substr(0, 400);
  return d;
}

std::string serialize(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

const rapidjson::Value* volume(const rapidjson::Document& d, const std::string& name) {
  for (const auto& v : d["volumes"].GetArray())
    if (name == v["name"].GetString()) return &v;
  return nullptr;
}

std::string fs_type(const rapidjson::Value& v) {
  return v["filesystem"].IsObject() ? v["filesystem"]["type"].GetString() : "";
}

size_t lines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

/// stderr lines that are errors (warnings say "warning:").
size_t error_lines(const std::string& s) {
  size_t n = 0, pos = 0;
  while (pos < s.size()) {
    const size_t nl = std::min(s.find('\n', pos), s.size());
    if (s.substr(pos, nl - pos).find(": warning: ") == std::string::npos) ++n;
    pos = nl + 1;
  }
  return n;
}

// Every stderr line has the documented form and no terminal control bytes.
void expect_clean_errors(const RunResult& r) {
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
  size_t pos = 0;
  while (pos < r.err.size()) {
    const size_t nl = r.err.find('\n', pos);
    const std::string line = r.err.substr(pos, nl - pos);
    EXPECT_EQ(line.rfind("deadbox: ", 0), 0u) << line;
    pos = nl == std::string::npos ? r.err.size() : nl + 1;
  }
}

// ---- container invariance ---------------------------------------------------------------------

TEST(InfoCli, SameVolumesInEveryContainer) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  const auto dir = raw.parent_path();
  const std::map<std::string, std::string> renders = {
      {"disk.raw", "raw"},       {"disk.001", "split_raw"}, {"disk.E01", "e01"},
      {"disk-split.E01", "e01"}, {"disk.qcow2", "qcow2"},   {"disk-compressed.qcow2", "qcow2"},
      {"disk.vmdk", "vmdk"},     {"disk.vhd", "vhd"}};
  auto ref = run_deadbox({"info", "--json", raw.string()});
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  EXPECT_EQ(ref.err, "");
  const auto ref_doc = parse(ref.out);
  const std::string want = serialize(ref_doc["volumes"]);
  for (const auto& [file, format] : renders) {
    if (!fsys::exists(dir / file)) {
      ADD_FAILURE() << "render missing: " << file;
      continue;
    }
    auto r = run_deadbox({"info", "--json", (dir / file).string()});
    ASSERT_EQ(r.exit_code, 0) << file << ": " << r.err;
    EXPECT_EQ(r.err, "") << file;
    const auto d = parse(r.out);
    EXPECT_EQ(std::string(d["evidence"][0]["format"].GetString()), format) << file;
    EXPECT_EQ(d["evidence"][0]["media_size"].GetUint64(), 96u << 20) << file;
    EXPECT_EQ(serialize(d["volumes"]), want) << file;
  }
  // The split sets really are several files.
  auto split = parse(run_deadbox({"info", "--json", (dir / "disk-split.E01").string()}).out);
  EXPECT_GT(split["evidence"][0]["files"].Size(), 1u);
  auto raw_split = parse(run_deadbox({"info", "--json", (dir / "disk.001").string()}).out);
  EXPECT_GT(raw_split["evidence"][0]["files"].Size(), 1u);
}

// ---- listings against the generator's layout.json ---------------------------------------------

void expect_matches_layout(const std::string& scenario, const rapidjson::Document& d) {
  const auto layout_path = deadbox::testing::fixtures_dir() / scenario / "layout.json";
  const auto layout = parse(deadbox::testing::read_text(layout_path));
  for (const auto& lv : layout["volumes"].GetArray()) {
    const std::string name = lv["name"].GetString();
    const auto* v = volume(d, name);
    ASSERT_NE(v, nullptr) << name;
    std::string want = lv["fs"].GetString();
    if (want == "lvm") want = "lvm2_pv";
    if (want == "xfs_centos7") want = "xfs";
    EXPECT_EQ(fs_type(*v), want) << name;
    EXPECT_EQ((*v)["length"].GetUint64(), lv["size"].GetUint64()) << name;
    if (lv.HasMember("disk_offset")) {
      EXPECT_EQ((*v)["offset"].GetUint64(), lv["disk_offset"].GetUint64());
    }
    if (lv.HasMember("uuid")) {
      EXPECT_EQ(std::string((*v)["filesystem"]["uuid"].GetString()), lv["uuid"].GetString());
    }
    if (lv.HasMember("label") && want != "none") {
      EXPECT_EQ(std::string((*v)["filesystem"]["label"].GetString()), lv["label"].GetString());
    }
    if (lv.HasMember("segments")) {
      EXPECT_EQ((*v)["segments"].Size(), lv["segments"].Size()) << name;
    }
    const bool readable = want == "ext4" || want == "xfs" || want == "ext2" || want == "ext3";
    if (!want.empty() && want != "none") {
      EXPECT_EQ((*v)["filesystem"]["opened"].GetBool(), readable) << name;
    }
  }
  EXPECT_EQ(d["volumes"].Size(), layout["volumes"].Size());
  const auto& expect = layout["expect"];
  if (expect.HasMember("mounts"))
    for (const auto& m : expect["mounts"].GetObject()) {
      const auto* v = volume(d, m.value.GetString());
      ASSERT_NE(v, nullptr);
      EXPECT_EQ(std::string((*v)["mount_point"].GetString()), m.name.GetString());
    }
  if (expect.HasMember("os")) {
    const auto* root = volume(d, expect["mounts"]["/"].GetString());
    ASSERT_TRUE(root && (*root)["is_root"].GetBool());
    const auto& os = (*root)["os"];
    EXPECT_EQ(std::string(os["id"].GetString()), expect["os"]["id"].GetString());
    EXPECT_EQ(std::string(os["version_id"].GetString()), expect["os"]["version_id"].GetString());
    EXPECT_EQ(std::string(os["hostname"].GetString()), expect["os"]["hostname"].GetString());
  }
}

TEST(InfoCli, MbrLvmMixedListedAsBuilt) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto r = run_deadbox({"info", "--json", raw.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto d = parse(r.out);
  expect_matches_layout("mbr_lvm_mixed", d);
  EXPECT_EQ(std::string(d["evidence"][0]["table"].GetString()), "mbr");
  const auto* root = volume(d, "p2/lvm/vg0/root");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ((*root)["segments"].Size(), 2u);
  EXPECT_EQ(std::string((*root)["path_prefix"].GetString()), "/");
  EXPECT_EQ(std::string((*volume(d, "p1"))["path_prefix"].GetString()), "/boot");
  EXPECT_EQ(d["volume_groups"].Size(), 1u);
  EXPECT_EQ(std::string(d["volume_groups"][0]["name"].GetString()), "vg0");
  // Text form: same facts, human layout.
  auto text = run_deadbox({"info", raw.string()});
  EXPECT_EQ(text.exit_code, 0);
  for (const char* s :
       {"volume p2/lvm/vg0/root", "filesystem xfs label \"root\"", "mounted at /boot",
        "os: CentOS Linux 7 (Core) [centos 7]", "hostname: web01", "2 segment(s)"})
    EXPECT_NE(text.out.find(s), std::string::npos) << s;
}

TEST(InfoCli, GptAndBareFilesystemsListedAsBuilt) {
  for (const char* scenario : {"gpt_basic", "bare_ext4", "bare_xfs"}) {
    const auto raw = DEADBOX_FIXTURE(scenario, "disk.raw");
    auto r = run_deadbox({"info", "--json", raw.string()});
    EXPECT_EQ(r.exit_code, 0) << scenario << ": " << r.err;
    const auto d = parse(r.out);
    expect_matches_layout(scenario, d);
  }
  const auto gpt =
      parse(run_deadbox({"info", "--json", DEADBOX_FIXTURE("gpt_basic", "disk.raw").string()}).out);
  EXPECT_EQ(std::string(gpt["evidence"][0]["table"].GetString()), "gpt");
  EXPECT_EQ(std::string((*volume(gpt, "p3"))["label"].GetString()), "root");
  EXPECT_EQ(std::string((*volume(gpt, "p4"))["label"].GetString()), "var");
  const auto bare =
      parse(run_deadbox({"info", "--json", DEADBOX_FIXTURE("bare_ext4", "disk.raw").string()}).out);
  EXPECT_EQ(std::string(bare["volumes"][0]["name"].GetString()), "whole");
}

TEST(InfoCli, HashMatchesSha256sumAndStoredMd5) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  const auto e01 = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.E01");
  auto sum = run_program({"/usr/bin/sha256sum", raw.string()});
  auto r = run_deadbox({"info", "--json", "--hash", e01.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto d = parse(r.out);
  const auto& h = d["evidence"][0]["hashes"];
  EXPECT_EQ(std::string(h["sha256"].GetString()), sum.out.substr(0, 64));
  EXPECT_TRUE(h["md5_matches_stored"].GetBool());
}

TEST(InfoCli, HashOfCorruptE01DiffersFromStoredAndIsPartial) {
  const auto e01 = DEADBOX_FIXTURE("bad_e01_corrupt_chunk", "disk.E01");
  auto r = run_deadbox({"info", "--json", "--hash", e01.string()});
  EXPECT_EQ(r.exit_code, kExitPartial) << r.err;
  EXPECT_NE(r.err.find("differs from the hash stored"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("failed their checksum"), std::string::npos) << r.err;
  const auto d = parse(r.out);
  const auto& h = d["evidence"][0]["hashes"];
  EXPECT_FALSE(h["md5_matches_stored"].GetBool());
  EXPECT_GE(h["checksum_error_ranges"].Size(), 1u);
}

TEST(InfoCli, HostileEvidenceFileNameIsEscapedOnStderr) {
  const auto dir = deadbox::testing::make_temp_dir("info_name");
  const auto evil = dir / "x\x1b]0;pwned\x07\x9b" "2J.raw";
  std::ofstream(evil) << "not an image at all";
  auto r = run_deadbox({"info", evil.string()});
  EXPECT_EQ(r.exit_code, kExitEvidenceUnreadable);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  for (char c : {'\x1b', '\x07', '\x9b'}) EXPECT_EQ(r.err.find(c), std::string::npos);
  EXPECT_NE(r.err.find("\\x1b"), std::string::npos) << r.err;
  fsys::remove_all(dir);
}

TEST(InfoCli, WritesNothing) {
  const auto raw = DEADBOX_FIXTURE("bare_ext4", "disk.raw");
  const auto dir = deadbox::testing::make_temp_dir("info_cwd");
  auto r = run_program({"/bin/sh", "-c", "cd \"$0\" && \"$1\" info --hash \"$2\" >/dev/null",
                        dir.string(), DEADBOX_BINARY, raw.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fsys::is_empty(dir));
  fsys::remove_all(dir);
}

// ---- bad inputs -------------------------------------------------------------------------------

struct BadCase {
  const char* scenario;
  const char* file;
  int exit_code;
  std::vector<std::string> stderr_has;  ///< every one must appear
  size_t error_lines;                   ///< one per problem; warnings come on extra lines
  std::map<std::string, std::string> still_listed;  ///< volume → filesystem type
  const char* named = nullptr;                      ///< file the error names, if not `file`
};

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, OneLineErrorExitCodeRestListed) {
  const BadCase& c = GetParam();
  const auto path = DEADBOX_FIXTURE(c.scenario, c.file);
  auto r = run_deadbox({"info", "--json", path.string()});
  EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
  EXPECT_EQ(error_lines(r.err), c.error_lines) << r.err;
  EXPECT_NE(r.err.find(c.named ? c.named : c.file), std::string::npos)
      << "names the file: " << r.err;
  for (const auto& s : c.stderr_has)
    EXPECT_NE(r.err.find(s), std::string::npos) << s << "\n" << r.err;
  expect_clean_errors(r);
  const auto d = parse(r.out);
  for (const auto& [name, type] : c.still_listed) {
    const auto* v = volume(d, name);
    ASSERT_NE(v, nullptr) << name;
    EXPECT_EQ(fs_type(*v), type) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BadInput,
    ::testing::Values(
        BadCase{"bad_notimage", "notes.txt", kExitEvidenceUnreadable, {"not a disk image"}, 1, {}},
        BadCase{"bad_notimage", "empty.raw", kExitEvidenceUnreadable, {"empty"}, 1, {}},
        BadCase{
            "bad_notimage", "garbage.bin", kExitEvidenceUnreadable, {"not a disk image"}, 1, {}},
        BadCase{"bad_qcow_backing",
                "abs_backing.qcow2",
                kExitNeedsParent,
                {"/etc/deadbox-fixture-nonexistent/shadow", "--qcow-parent"},
                1,
                {}},
        BadCase{"bad_qcow_backing", "chain_top.qcow2", kExitNeedsParent, {"backing file"}, 1, {}},
        BadCase{"bad_e01_missing_segment",
                "disk-split.E01",
                kExitEvidenceUnreadable,
                {"disk-split.E02", "missing"},
                1,
                {},
                "disk-split.E02"},
        BadCase{"bad_e01_corrupt_chunk",
                "disk.E01",
                kExitPartial,
                {"corrupt chunk"},
                1,
                {{"whole", "ext4"}}},
        BadCase{"bad_truncated",
                "disk-half.raw",
                kExitPartial,
                {"past the end of the image"},
                2,
                {{"p1", "ext4"}, {"p2/lvm/vg0/data", ""}}},
        BadCase{"bad_truncated", "disk-600k.raw", kExitPartial, {"p1", "p2", "past end"}, 2, {}},
        BadCase{"bad_unknown_ptype",
                "disk.raw",
                kExitOk,
                {"0x42"},
                0,
                {{"p1", "ext4"}, {"p2", "ext4"}}},
        BadCase{"bad_corrupt_superblock",
                "disk.raw",
                kExitPartial,
                {"p1: unrecognized filesystem"},
                1,
                {{"p1", "unknown"}, {"p2", "ext4"}}},
        BadCase{"bad_lv_past_pv",
                "disk.raw",
                kExitPartial,
                {"vgbad/far", "vgbad/huge", "past end of PV"},
                2,
                {{"p1/lvm/vgbad/good", "ext4"}}}));

TEST(InfoCli, GoodDiskNextToUnreadableOneIsPartialAndListed) {
  const auto good = DEADBOX_FIXTURE("bare_xfs", "disk.raw");
  const auto bad = DEADBOX_FIXTURE("bad_notimage", "notes.txt");
  auto r = run_deadbox({"info", "--json", bad.string(), good.string()});
  EXPECT_EQ(r.exit_code, kExitPartial);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  const auto d = parse(r.out);
  ASSERT_EQ(d["evidence"].Size(), 2u);
  EXPECT_TRUE(d["evidence"][0].HasMember("error"));
  EXPECT_EQ(fs_type(d["volumes"][0]), "xfs");
}

}  // namespace
}  // namespace deadbox
