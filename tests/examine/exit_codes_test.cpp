// SPDX-License-Identifier: Apache-2.0
// examine's exit codes for inputs it must refuse: not an image (3), a qcow2 that needs its
// backing file (5), a non-empty case folder without --force (6) — and in each case nothing is
// written where it should not be.
#include <gtest/gtest.h>

#include <fstream>

#include "deadbox/util/error.hpp"
#include "examine/case_run.hpp"

namespace deadbox::examine_test {
namespace {

namespace fsys = std::filesystem;

TEST(ExamineExit, NotAnImageIsThree) {
  const auto bad = DEADBOX_FIXTURE("bad_notimage", "notes.txt");
  const CaseRun& run = examine(bad.string());
  EXPECT_EQ(run.result.exit_code, kExitEvidenceUnreadable) << run.result.err;
  EXPECT_NE(run.result.err.find("not a disk image"), std::string::npos) << run.result.err;
  EXPECT_FALSE(fsys::exists(run.dir)) << "a case folder was created for unreadable evidence";
}

TEST(ExamineExit, QcowWithBackingFileIsFive) {
  for (const char* f : {"chain_top.qcow2", "rel_backing.qcow2", "abs_backing.qcow2"}) {
    const auto img = DEADBOX_FIXTURE("bad_qcow_backing", f);
    const CaseRun& run = examine(img.string());
    EXPECT_EQ(run.result.exit_code, kExitNeedsParent) << f << ": " << run.result.err;
    EXPECT_NE(run.result.err.find("backing file"), std::string::npos) << run.result.err;
    EXPECT_FALSE(fsys::exists(run.dir)) << f;
  }
}

TEST(ExamineExit, NonEmptyCaseFolderWithoutForceIsSix) {
  const auto img = DEADBOX_FIXTURE("hostile_names", "disk.qcow2");
  const auto dir = testing::make_temp_dir("examine-refuse");
  { std::ofstream(dir / "keep.txt") << "analyst notes\n"; }
  const auto r = testing::run_deadbox({"examine", img.string(), "-o", dir.string()});
  EXPECT_EQ(r.exit_code, kExitOutputRefused) << r.err;
  EXPECT_EQ(testing::read_text(dir / "keep.txt"), "analyst notes\n");
  EXPECT_EQ(read_tree(dir).size(), 1u) << "examine wrote into a refused folder";
  // --force reuses it; the analyst's file stays.
  const auto f = testing::run_deadbox({"examine", img.string(), "-o", dir.string(), "--force"});
  EXPECT_TRUE(f.exit_code == 0 || f.exit_code == 1 || f.exit_code == 4) << f.err;
  EXPECT_TRUE(fsys::is_regular_file(dir / "report.html"));
  EXPECT_EQ(testing::read_text(dir / "keep.txt"), "analyst notes\n");
  fsys::remove_all(dir);
}

}  // namespace
}  // namespace deadbox::examine_test
