// SPDX-License-Identifier: Apache-2.0
// LVM2: LV bytes equal what the fixture generator placed on disk (multi-segment root LV), the
// same through qcow2, hostile metadata (LV past PV) is listed not read, truncated PVs are
// reported, and a VG spanning two evidence items (synthetic PVs written here) maps across both.
#include <gtest/gtest.h>

#include <sstream>

#include "deadbox/image/image.hpp"
#include "deadbox/volume/volume.hpp"
#include "support/fixture.hpp"
#include "unit/volume/synthetic_pv.hpp"
#include "unit/volume/volume_test_util.hpp"
#include "volume/volume_internal.hpp"

namespace deadbox::volume {
namespace {

namespace fs = std::filesystem;
using deadbox::testing::make_temp_dir;
using deadbox::testing::run_program;
using testing::file_bytes;
using testing::find;
using testing::has_diag;
using testing::source_bytes;
using testing::vg_text;
using testing::write_pv;
constexpr uint64_t kMiB = testing::kMiB;

Layout discover_paths(const std::vector<fs::path>& paths, Diagnostics& diag) {
  std::vector<std::shared_ptr<image::Image>> imgs;
  for (const auto& p : paths) imgs.push_back(image::open_image({p.string()}));
  return discover(imgs, diag);
}

struct FixtureSegment {
  std::string lv;
  uint64_t lv_offset, disk_offset, length;
};

/// The generator's own record of where each LV segment landed (layout.json).
std::vector<FixtureSegment> fixture_segments(const fs::path& layout_json) {
  static const char* kScript = R"(
import json, sys
for v in json.load(open(sys.argv[1]))["volumes"]:
    for s in v.get("segments", []):
        print(v["name"], s["lv_offset"], s["disk_offset"], s["length"])
)";
  auto r = run_program({"python3", "-c", kScript, layout_json.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<FixtureSegment> out;
  std::istringstream in(r.out);
  FixtureSegment s;
  while (in >> s.lv >> s.lv_offset >> s.disk_offset >> s.length) out.push_back(s);
  return out;
}

void expect_lv_bytes_match(const Layout& l, const fs::path& raw, const fs::path& layout_json,
                           const std::vector<std::string>& only = {}) {
  auto segs = fixture_segments(layout_json);
  ASSERT_FALSE(segs.empty());
  for (const auto& s : segs) {
    if (!only.empty() && std::find(only.begin(), only.end(), s.lv) == only.end()) continue;
    const Volume* v = find(l, s.lv);
    ASSERT_NE(v, nullptr) << s.lv;
    ASSERT_NE(v->source, nullptr) << s.lv << ": " << v->unsupported_reason;
    EXPECT_TRUE(source_bytes(*v->source, s.lv_offset, s.length) ==
                file_bytes(raw, s.disk_offset, s.length))
        << s.lv << " segment at LV offset " << s.lv_offset;
  }
}

TEST(Lvm, MultiSegmentLvBytesEqualTheFixture) {
  auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  Diagnostics diag;
  Layout l = discover_paths({raw}, diag);
  const Volume* root = find(l, "p2/lvm/vg0/root");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->segments.size(), 2u);
  EXPECT_EQ(root->length, 32u << 20);
  EXPECT_EQ(root->extent_size, 4u << 20);
  EXPECT_EQ(find(l, "p2/lvm/vg0/data")->segments.size(), 1u);
  EXPECT_EQ(find(l, "p2/lvm/vg0/swap")->segments.size(), 1u);
  expect_lv_bytes_match(l, raw, raw.parent_path() / "layout.json");
  // The real PV's metadata CRC verifies: our CRC is LVM's.
  EXPECT_FALSE(has_diag(diag, "lvm_metadata_crc", "p2"));
  EXPECT_FALSE(has_diag(diag, "lvm_label_crc", "p2"));
  ASSERT_EQ(l.pvs.size(), 1u);
  EXPECT_EQ(l.pvs[0].on_volume, "p2");
  EXPECT_EQ(l.pvs[0].vg_name, "vg0");
  EXPECT_EQ(l.pvs[0].pe_start, 1u << 20);
  ASSERT_EQ(l.vgs.size(), 1u);
  EXPECT_TRUE(l.vgs[0].missing_pv_uuids.empty());
  // Order: partitions, then LVs by name.
  std::vector<std::string> names;
  for (const auto& v : l.volumes) names.push_back(v.name);
  EXPECT_EQ(names, (std::vector<std::string>{"p1", "p2", "p2/lvm/vg0/data", "p2/lvm/vg0/root",
                                             "p2/lvm/vg0/swap"}));
}

TEST(Lvm, LvBytesThroughCompressedQcow2) {
  auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  auto q = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk-compressed.qcow2");
  Diagnostics diag;
  Layout l = discover_paths({q}, diag);
  expect_lv_bytes_match(l, raw, raw.parent_path() / "layout.json");
}

TEST(Lvm, LvPastPvIsListedNotRead) {
  auto raw = DEADBOX_FIXTURE("bad_lv_past_pv", "disk.raw");
  Diagnostics diag;
  Layout l = discover_paths({raw}, diag);
  for (const char* bad : {"p1/lvm/vgbad/far", "p1/lvm/vgbad/huge"}) {
    const Volume* v = find(l, bad);
    ASSERT_NE(v, nullptr) << bad;
    EXPECT_EQ(v->source, nullptr) << bad;
    EXPECT_NE(v->unsupported_reason.find("past end of PV pv0"), std::string::npos)
        << v->unsupported_reason;
    EXPECT_TRUE(has_diag(diag, "lv_extent_out_of_range", bad)) << bad;
  }
  expect_lv_bytes_match(l, raw, raw.parent_path() / "layout.json", {"p1/lvm/vgbad/good"});
}

TEST(Lvm, TruncatedPvKeepsWhatExists) {
  auto half = DEADBOX_FIXTURE("bad_truncated", "disk-half.raw");
  auto full = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  const uint64_t cut = fs::file_size(half);
  Diagnostics diag;
  Layout l = discover_paths({half}, diag);
  // Per the generator's layout: every LV of vg0 has a segment reaching past the cut, and the
  // part of each that lies before it must still read back intact.
  size_t partial = 0;
  for (const auto& s : fixture_segments(full.parent_path() / "layout.json")) {
    const Volume* v = find(l, s.lv);
    ASSERT_NE(v, nullptr) << s.lv;
    ASSERT_NE(v->source, nullptr) << s.lv << ": " << v->unsupported_reason;
    if (s.disk_offset + s.length <= cut) continue;
    EXPECT_TRUE(has_diag(diag, "truncated_image", s.lv)) << s.lv;
    std::string buf(4096, '\0');
    auto span = std::as_writable_bytes(std::span(buf.data(), buf.size()));
    if (s.disk_offset >= cut) {
      // Wholly missing: an error, never silent zeros.
      EXPECT_THROW(v->source->read_at(s.lv_offset, span), Error) << s.lv;
    } else {
      const uint64_t present = cut - s.disk_offset;
      EXPECT_TRUE(source_bytes(*v->source, s.lv_offset, present) ==
                  file_bytes(full, s.disk_offset, present))
          << s.lv;
      EXPECT_EQ(v->source->read_at(s.lv_offset + present - 100, span), 100u) << s.lv;
      ++partial;
    }
  }
  EXPECT_EQ(partial, 1u);  // root's first segment is cut in the middle
}

TEST(Lvm, VgSpanningTwoEvidenceItems) {
  auto dir = make_temp_dir("vol-span");
  // pv0 carries an older copy of the metadata (no "span" LV, text wrapped around the circular
  // buffer); pv1 the newer one: the highest seqno must win.
  write_pv(dir / "a.raw", std::string(32, 'A'), vg_text(4, false), 1, true);
  write_pv(dir / "b.raw", std::string(32, 'B'), vg_text(5, true), 2, false);
  Diagnostics diag;
  Layout l = discover_paths({dir / "a.raw", dir / "b.raw"}, diag);
  EXPECT_EQ(l.tables, (std::vector<std::string>{"none", "none"}));
  ASSERT_EQ(l.vgs.size(), 1u);
  EXPECT_EQ(l.vgs[0].seqno, 5u);
  EXPECT_TRUE(l.vgs[0].missing_pv_uuids.empty());
  EXPECT_FALSE(has_diag(diag, "lvm_metadata_crc", "whole"));
  // span starts on pv1 (second evidence item, a whole-disk PV): named after its holder.
  const Volume* span = find(l, "d2/lvm/vgx/span");
  ASSERT_NE(span, nullptr);
  ASSERT_NE(span->source, nullptr) << span->unsupported_reason;
  EXPECT_EQ(span->length, 5 * kMiB);
  EXPECT_EQ(span->evidence_index, 1);
  // LV extents 0-2 = pv1 extents 2-4 (tag 2), extents 3-4 = pv0 extents 5-6 (tag 1).
  const int expect_byte[] = {0x22, 0x23, 0x24, 0x15, 0x16};
  for (int e = 0; e < 5; ++e) {
    std::string got = source_bytes(*span->source, e * kMiB + kMiB - 2, 4);
    ASSERT_GE(got.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(got[1]), expect_byte[e]) << "extent " << e;
    if (e < 4) {
      EXPECT_EQ(static_cast<unsigned char>(got[2]), expect_byte[e + 1]) << "extent " << e;
    }
  }
  const Volume* wide = find(l, "lvm/vgx/wide");
  ASSERT_NE(wide, nullptr);
  EXPECT_EQ(wide->source, nullptr);
  EXPECT_EQ(wide->unsupported_reason, "striped LV (2 stripes) unsupported");
  const Volume* thin = find(l, "lvm/vgx/thinvol");
  ASSERT_NE(thin, nullptr);
  EXPECT_EQ(thin->source, nullptr);
  EXPECT_NE(thin->unsupported_reason.find("thin LV unsupported"), std::string::npos);
  ASSERT_NE(find(l, "lvm/vgx/lone"), nullptr);
  EXPECT_NE(find(l, "lvm/vgx/lone")->source, nullptr);

  // Only the first disk given: its own (older) metadata is all there is, and pv1 is missing.
  Diagnostics d1;
  Layout one = discover_paths({dir / "a.raw"}, d1);
  ASSERT_EQ(one.vgs.size(), 1u);
  EXPECT_EQ(one.vgs[0].missing_pv_uuids,
            std::vector<std::string>{"BBBBBB-BBBB-BBBB-BBBB-BBBB-BBBB-BBBBBB"});
  EXPECT_EQ(find(one, "lvm/vgx/span"), nullptr);  // not in seqno 4
  EXPECT_NE(find(one, "lvm/vgx/lone")->source, nullptr);
  fs::remove_all(dir);
}

TEST(Lvm, SnapshotCowStoreIsListedNotRead) {
  auto dir = make_temp_dir("vol-snap");
  std::string text = vg_text(5, false);
  // As lvcreate -s writes it: the visible COW LV "snap" plus a hidden snapshot0 tying it to
  // its origin "lone".
  const std::string extra =
      R"(snap { id = "c" status = ["READ", "WRITE", "VISIBLE"] segment_count = 1
 segment1 { start_extent = 0 extent_count = 1 type = "striped" stripe_count = 1 stripes = [ "pv0", 3 ] }
}
snapshot0 { id = "z" status = ["READ"] segment_count = 1
 segment1 { start_extent = 0 extent_count = 1 type = "snapshot" chunk_size = 8 origin = "lone" cow_store = "snap" }
}
)";
  text.insert(text.find("logical_volumes {\n") + 18, extra);
  write_pv(dir / "a.raw", std::string(32, 'A'), text, 1, false);
  Diagnostics diag;
  Layout l = discover_paths({dir / "a.raw"}, diag);
  const Volume* snap = find(l, "lvm/vgx/snap");
  ASSERT_NE(snap, nullptr);
  EXPECT_EQ(snap->source, nullptr);
  EXPECT_NE(snap->unsupported_reason.find("snapshot of lone"), std::string::npos)
      << snap->unsupported_reason;
  EXPECT_EQ(find(l, "lvm/vgx/snapshot0"), nullptr);  // hidden
  ASSERT_NE(find(l, "lvm/vgx/lone"), nullptr);
  EXPECT_NE(find(l, "lvm/vgx/lone")->source, nullptr);  // the origin itself reads normally
  fs::remove_all(dir);
}

TEST(Lvm, MissingPvMakesItsLvsUnreadable) {
  auto dir = make_temp_dir("vol-missing");
  write_pv(dir / "b.raw", std::string(32, 'B'), vg_text(5, true), 2, false);
  Diagnostics diag;
  Layout l = discover_paths({dir / "b.raw"}, diag);
  const Volume* span = find(l, "lvm/vgx/span");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(span->source, nullptr);
  EXPECT_EQ(span->unsupported_reason,
            "PV AAAAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAAAA not among the evidence");
  EXPECT_NE(find(l, "lvm/vgx/lone")->unsupported_reason, "");  // lone is on pv0 as well
  fs::remove_all(dir);
}

TEST(Lvm, CorruptMetadataCrcIsDiagnosedButParsed) {
  auto dir = make_temp_dir("vol-crc");
  write_pv(dir / "b.raw", std::string(32, 'B'), vg_text(5, true), 2, false);
  {
    // Flip one byte of the metadata text (a comment) after the CRC was computed.
    std::fstream f(dir / "b.raw", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 + 512 + 3);
    f.put('X');
  }
  Diagnostics diag;
  Layout l = discover_paths({dir / "b.raw"}, diag);
  EXPECT_TRUE(has_diag(diag, "lvm_metadata_crc", "whole"));
  EXPECT_EQ(l.vgs.size(), 1u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace deadbox::volume
