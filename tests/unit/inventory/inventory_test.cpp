// SPDX-License-Identifier: Apache-2.0
// inventory::open on generated disks: the mount points, OS facts and exit codes every command
// relies on, and bad evidence recorded rather than thrown.
#include "deadbox/inventory/inventory.hpp"

#include <gtest/gtest.h>

#include "support/fixture.hpp"

namespace deadbox::inventory {
namespace {

TEST(Inventory, MbrLvmMixedMountsOsAndPrefixes) {
  const auto raw = DEADBOX_FIXTURE("mbr_lvm_mixed", "disk.raw");
  Inventory inv = open({raw.string()}, {});
  ASSERT_EQ(inv.evidence.size(), 1u);
  ASSERT_TRUE(inv.evidence[0].image);
  EXPECT_EQ(inv.exit_code(), kExitOk);
  auto* root = inv.find("p2/lvm/vg0/root");
  auto* boot = inv.find("p1");
  auto* data = inv.find("p2/lvm/vg0/data");
  auto* swap = inv.find("p2/lvm/vg0/swap");
  ASSERT_TRUE(root && boot && data && swap);
  EXPECT_TRUE(root->is_root);
  EXPECT_FALSE(boot->is_root);
  EXPECT_EQ(root->mount_point, "/");
  EXPECT_EQ(boot->mount_point, "/boot");
  EXPECT_EQ(data->mount_point, "/srv");
  EXPECT_EQ(swap->mount_point, "");
  EXPECT_EQ(boot->path_prefix(), "/boot");
  EXPECT_EQ(swap->path_prefix(), "/p2/lvm/vg0/swap");
  ASSERT_TRUE(root->os);
  EXPECT_EQ(root->os->id, "centos");
  EXPECT_EQ(root->os->version_id, "7");
  EXPECT_EQ(root->os->hostname, "web01");
  EXPECT_EQ(root->os->pretty_name, "CentOS Linux 7 (Core)");
  ASSERT_EQ(root->fstab.size(), 4u);
  EXPECT_EQ(root->fstab[3].resolved_volume, "p2/lvm/vg0/swap");
  EXPECT_TRUE(root->tree && boot->tree && data->tree);
  EXPECT_FALSE(swap->tree);
  EXPECT_EQ(swap->probe->type, fs::FsType::kSwap);
  EXPECT_EQ(inv.find("p2")->probe->type, fs::FsType::kLvmPv);
  EXPECT_EQ(inv.find("nope"), nullptr);
}

TEST(Inventory, ProbeOnlyOpensNoTrees) {
  const auto raw = DEADBOX_FIXTURE("bare_ext4", "disk.raw");
  Options o;
  o.open_trees = false;
  Inventory inv = open({raw.string()}, o);
  ASSERT_EQ(inv.volumes.size(), 1u);
  EXPECT_EQ(inv.volumes[0].volume.name, "whole");
  EXPECT_EQ(inv.volumes[0].probe->type, fs::FsType::kExt4);
  EXPECT_FALSE(inv.volumes[0].tree);
}

TEST(Inventory, UnreadableEvidenceIsRecordedWithItsCode) {
  const auto dir = deadbox::testing::make_temp_dir("inv_bad");
  Inventory inv = open({(dir / "missing.raw").string()}, {});
  ASSERT_EQ(inv.evidence.size(), 1u);
  EXPECT_FALSE(inv.evidence[0].image);
  EXPECT_EQ(inv.evidence[0].error_code, "not_found");
  EXPECT_NE(inv.evidence[0].error.find("missing.raw"), std::string::npos);
  EXPECT_EQ(inv.exit_code(), kExitEvidenceUnreadable);
  std::filesystem::remove_all(dir);
}

TEST(Inventory, GoodDiskNextToBadOneIsPartial) {
  const auto raw = DEADBOX_FIXTURE("bare_xfs", "disk.raw");
  Inventory inv = open({"/nonexistent/deadbox/x.raw", raw.string()}, {});
  ASSERT_EQ(inv.evidence.size(), 2u);
  EXPECT_FALSE(inv.evidence[0].image);
  ASSERT_EQ(inv.volumes.size(), 1u);
  // Volumes keep the command-line numbering of their evidence item.
  EXPECT_EQ(inv.volumes[0].volume.evidence_index, 1);
  EXPECT_EQ(inv.layout.tables[0], "unreadable");
  EXPECT_TRUE(inv.volumes[0].tree);
  EXPECT_EQ(inv.exit_code(), kExitPartial);
}

}  // namespace
}  // namespace deadbox::inventory
