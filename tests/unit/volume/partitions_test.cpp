// SPDX-License-Identifier: Apache-2.0
// Partition discovery against oracles: mmls (TSK's own listing) for offsets, sfdisk --json for
// Linux numbering, GPT GUIDs and names; the same listing from every container render.
#include <gtest/gtest.h>

#include <sstream>

#include "deadbox/image/image.hpp"
#include "deadbox/volume/volume.hpp"
#include "support/fixture.hpp"
#include "unit/volume/volume_test_util.hpp"

namespace deadbox::volume {
namespace {

namespace fs = std::filesystem;
using deadbox::testing::make_temp_dir;
using deadbox::testing::run_program;
using testing::find;

Layout discover_one(const fs::path& p, Diagnostics& diag) {
  return discover({image::open_image({p.string()})}, diag);
}

/// mmls rows of allocated partitions as "start len" (sectors), in mmls order (by start).
std::vector<std::string> mmls_allocated(const fs::path& p) {
  auto r = run_program({"mmls", p.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string idx, slot;
    uint64_t start = 0, end = 0, len = 0;
    if (!(f >> idx >> slot >> start >> end >> len)) continue;
    if (slot == "Meta" || slot.find("---") != std::string::npos) continue;
    out.push_back(std::to_string(start) + " " + std::to_string(len));
  }
  return out;
}

/// sfdisk's view (the kernel's numbering): "pN start size type uuid name" per partition.
std::vector<std::string> sfdisk_listing(const fs::path& p) {
  static const char* kScript = R"(
import json, re, sys
t = json.load(open(sys.argv[1]))["partitiontable"]
for e in t["partitions"]:
    n = re.search(r"(\d+)$", e["node"]).group(1)
    print("p%s %d %d %s %s %s" % (n, e["start"], e["size"], e["type"].upper(), e.get("uuid", "-").upper(), e.get("name", "-")))
)";
  auto dump = run_program({"sfdisk", "--json", p.string()});
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  auto dir = make_temp_dir("sfdisk-json");
  std::ofstream(dir / "t.json") << dump.out;
  auto r = run_program({"python3", "-c", kScript, (dir / "t.json").string()});
  fs::remove_all(dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::vector<std::string> our_allocated(const Layout& l) {
  std::vector<std::string> out;
  for (const auto& v : l.volumes) {
    if (v.kind == VolumeKind::kPartition) {
      out.push_back(std::to_string(v.sector_offset) + " " + std::to_string(v.length / 512));
    }
  }
  return out;
}

TEST(Partitions, MbrMatchesMmlsAndSfdisk) {
  auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  Diagnostics diag;
  Layout l = discover_one(raw, diag);
  ASSERT_EQ(l.tables, std::vector<std::string>{"mbr"});
  EXPECT_EQ(our_allocated(l), mmls_allocated(raw));
  for (const auto& line : sfdisk_listing(raw)) {
    std::istringstream f(line);
    std::string name, type;
    uint64_t start = 0, size = 0;
    f >> name >> start >> size >> type;
    const Volume* v = find(l, name);
    ASSERT_NE(v, nullptr) << line;
    EXPECT_EQ(v->sector_offset, start) << line;
    EXPECT_EQ(v->length, size * 512) << line;
    EXPECT_EQ(v->type, "0x" + std::string(type == "8E" ? "8e" : type)) << line;
  }
  EXPECT_EQ(find(l, "p2")->type_description, "Linux Logical Volume Manager (0x8e)");
}

TEST(Partitions, ExtendedAndLogicalNumberedAsLinux) {
  auto dir = make_temp_dir("vol-logical");
  const fs::path img = dir / "disk.img";
  std::ofstream(img).close();
  fs::resize_file(img, 64 << 20);
  // p1 primary, p2 extended holding three logicals (p5, p6, p7), p3 primary after it.
  auto r = run_program({"sh", "-c",
                        "printf 'label: dos\\nstart=2048,size=8M,type=83\\nstart=18432,size=40M,"
                        "type=5\\nstart=104448,size=8M,type=83\\nstart=20480,size=8M,type=83\\n"
                        "start=38912,size=8M,type=82\\nstart=57344,size=8M,type=8e\\n' | "
                        "sfdisk -q " +
                            img.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Diagnostics diag;
  Layout l = discover_one(img, diag);
  auto expected = sfdisk_listing(img);
  std::vector<std::string> names;
  for (const auto& v : l.volumes) names.push_back(v.name);
  EXPECT_EQ(names, (std::vector<std::string>{"p1", "p5", "p6", "p7", "p3"}));
  size_t checked = 0;
  for (const auto& line : expected) {
    std::istringstream f(line);
    std::string name;
    uint64_t start = 0, size = 0;
    f >> name >> start >> size;
    if (name == "p2") {
      EXPECT_EQ(find(l, "p2"), nullptr) << "the extended container is not a volume";
      continue;
    }
    const Volume* v = find(l, name);
    ASSERT_NE(v, nullptr) << line;
    EXPECT_EQ(v->sector_offset, start) << line;
    EXPECT_EQ(v->length, size * 512) << line;
    ++checked;
  }
  EXPECT_EQ(checked, 5u);
  EXPECT_EQ(find(l, "p6")->type, "0x82");
  fs::remove_all(dir);
}

TEST(Partitions, GptMatchesSfdiskGuidsAndNames) {
  auto raw = DEADBOX_FIXTURE("gpt_basic", "disk.raw");
  Diagnostics diag;
  Layout l = discover_one(raw, diag);
  ASSERT_EQ(l.tables, std::vector<std::string>{"gpt"});
  EXPECT_EQ(our_allocated(l), mmls_allocated(raw));
  auto expected = sfdisk_listing(raw);
  ASSERT_EQ(expected.size(), 4u);
  for (const auto& line : expected) {
    std::istringstream f(line);
    std::string name, type, uuid, label;
    uint64_t start = 0, size = 0;
    f >> name >> start >> size >> type >> uuid >> label;
    const Volume* v = find(l, name);
    ASSERT_NE(v, nullptr) << line;
    EXPECT_EQ(v->sector_offset, start) << line;
    EXPECT_EQ(v->length, size * 512) << line;
    EXPECT_EQ(v->type, type) << line;
    EXPECT_EQ(v->part_guid, uuid) << line;
    EXPECT_EQ(v->label, label) << line;
  }
  EXPECT_EQ(find(l, "p3")->type_description, "Linux filesystem");
}

std::string listing(const Layout& l) {
  std::ostringstream out;
  for (const auto& v : l.volumes) {
    out << v.name << ' ' << v.offset << ' ' << v.length << ' ' << v.type << ' ' << v.segments.size()
        << ' ' << v.unsupported_reason << '\n';
  }
  return out.str();
}

TEST(Partitions, SameListingFromEveryRender) {
  auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  Diagnostics d0;
  const std::string expected = listing(discover_one(raw, d0));
  for (const char* render : {"disk.001", "disk-split.E01", "disk.qcow2", "disk-compressed.qcow2",
                             "disk.vmdk", "disk.vhd"}) {
    auto p = raw.parent_path() / render;
    if (!fs::exists(p)) continue;
    Diagnostics d;
    EXPECT_EQ(listing(discover_one(p, d)), expected) << render;
  }
}

TEST(Partitions, BareFilesystemIsTheWholeImage) {
  auto raw = DEADBOX_FIXTURE("bare_ext4", "disk.raw");
  Diagnostics diag;
  Layout l = discover_one(raw, diag);
  EXPECT_EQ(l.tables, std::vector<std::string>{"none"});
  ASSERT_EQ(l.volumes.size(), 1u);
  EXPECT_EQ(l.volumes[0].name, "whole");
  EXPECT_EQ(l.volumes[0].length, fs::file_size(raw));
  ASSERT_NE(l.volumes[0].source, nullptr);
}

TEST(Partitions, UnusualTypeIsListedWithAWarning) {
  auto raw = DEADBOX_FIXTURE("bad_unknown_ptype", "disk.raw");
  Diagnostics diag;
  Layout l = discover_one(raw, diag);
  ASSERT_NE(find(l, "p1"), nullptr);
  EXPECT_EQ(find(l, "p1")->type, "0x42");
  EXPECT_NE(find(l, "p1")->source, nullptr);
  EXPECT_EQ(find(l, "p2")->type, "0x83");
  EXPECT_TRUE(testing::has_diag(diag, "unknown_partition_type", "p1"));
  EXPECT_FALSE(testing::has_diag(diag, "unknown_partition_type", "p2"));
}

TEST(Partitions, TruncatedImageClipsAndReports) {
  auto half = DEADBOX_FIXTURE("bad_truncated", "disk-half.raw");
  Diagnostics diag;
  Layout l = discover_one(half, diag);
  const Volume* p2 = find(l, "p2");
  ASSERT_NE(p2, nullptr);
  EXPECT_EQ(p2->length, 131072u * 512);  // what the table declares
  ASSERT_NE(p2->source, nullptr);
  EXPECT_EQ(p2->source->size(), fs::file_size(half) - p2->offset);  // what exists
  EXPECT_TRUE(testing::has_diag(diag, "truncated_image", "p2"));
  EXPECT_FALSE(testing::has_diag(diag, "truncated_image", "p1"));

  auto tiny = DEADBOX_FIXTURE("bad_truncated", "disk-600k.raw");
  Diagnostics d2;
  Layout l2 = discover_one(tiny, d2);  // the table survives, both partitions lie past the end
  for (const char* name : {"p1", "p2"}) {
    ASSERT_NE(find(l2, name), nullptr) << name;
    EXPECT_TRUE(testing::has_diag(d2, "truncated_image", name)) << name;
  }
}

}  // namespace
}  // namespace deadbox::volume
