// SPDX-License-Identifier: Apache-2.0
// Matcher: one pass over all patterns, homedir expansion (passwd homes as literal text,
// including homes outside /home), pruning.
#include "deadbox/artifacts/matcher.hpp"

#include <gtest/gtest.h>

#include "deadbox/util/error.hpp"

namespace deadbox::artifacts {
namespace {

Definition file_def(std::string name, std::vector<std::string> paths) {
  Definition d;
  d.name = std::move(name);
  d.doc = "d";
  d.file = "t.json";
  d.supported_os = {"Linux"};
  d.sources.push_back({"FILE", std::move(paths), {}, "/", {}});
  return d;
}
Definition group_def(std::string name, std::vector<std::string> names) {
  Definition d;
  d.name = std::move(name);
  d.doc = "d";
  d.file = "t.json";
  d.sources.push_back({"ARTIFACT_GROUP", {}, std::move(names), "/", {}});
  return d;
}

Registry sample() {
  std::vector<Definition> defs;
  defs.push_back(file_def("BashShellHistoryFile", {"%%users.homedir%%/.bash_history"}));
  defs.push_back(file_def("UnixPasswdFile", {"/etc/passwd"}));
  defs.push_back(file_def("LoginPolicyConfiguration", {"/etc/passwd", "/etc/shadow"}));
  defs.push_back(
      file_def("LinuxCronTabs", {"/etc/crontab", "/etc/cron.d/*", "/var/spool/cron/**"}));
  defs.push_back(file_def("LinuxBootDirectory", {"/boot/**"}));
  defs.push_back(file_def("Deep", {"/opt/**2/conf"}));
  defs.push_back(group_def("DeadboxDefaultCollection",
                           {"BashShellHistoryFile", "UnixPasswdFile", "LinuxCronTabs",
                            "LinuxBootDirectory", "LoginPolicyConfiguration", "Deep"}));
  defs.push_back(group_def("Accounts", {"UnixPasswdFile"}));
  return Registry::from_definitions(std::move(defs));
}

using Names = std::vector<std::string>;

TEST(Matcher, DefaultCollectionMatchesAndReportsEveryOwner) {
  const auto reg = sample();
  Matcher m(reg, {}, {});
  EXPECT_EQ(m.match("/etc/passwd"), (Names{"LoginPolicyConfiguration", "UnixPasswdFile"}));
  EXPECT_EQ(m.match("/etc/shadow"), Names{"LoginPolicyConfiguration"});
  EXPECT_EQ(m.match("/etc/cron.d/job"), Names{"LinuxCronTabs"});
  EXPECT_EQ(m.match("/var/spool/cron/crontabs/root"), Names{"LinuxCronTabs"});
  EXPECT_EQ(m.match("/boot/grub/grub.cfg"), Names{"LinuxBootDirectory"});
  EXPECT_TRUE(m.match("/etc/cron.d").empty());
  EXPECT_TRUE(m.match("/usr/bin/ls").empty());
  EXPECT_TRUE(m.match("/").empty());
}

TEST(Matcher, FallbackHomesAreHomeStarAndRoot) {
  const auto reg = sample();
  Matcher m(reg, {"BashShellHistoryFile"}, {});
  EXPECT_EQ(m.homedirs(), (Names{"/home/*", "/root"}));
  EXPECT_EQ(m.match("/home/alice/.bash_history"), Names{"BashShellHistoryFile"});
  EXPECT_EQ(m.match("/root/.bash_history"), Names{"BashShellHistoryFile"});
  EXPECT_TRUE(m.match("/srv/app/.bash_history").empty());
  EXPECT_TRUE(m.match("/etc/passwd").empty()) << "only the selected artifact";
}

TEST(Matcher, PasswdHomesReplaceTheFallbackIncludingOnesOutsideHome) {
  const auto reg = sample();
  Matcher m(reg, {"BashShellHistoryFile"}, {"/srv/app", "/root/", "/home/*", "../x", "/a/../b"});
  EXPECT_EQ(m.homedirs(), (Names{"/srv/app", "/root", "/home/*"}));
  EXPECT_EQ(m.match("/srv/app/.bash_history"), Names{"BashShellHistoryFile"});
  EXPECT_EQ(m.match("/root/.bash_history"), Names{"BashShellHistoryFile"});
  // A hostile passwd home "/home/*" is a literal directory name, not a glob.
  EXPECT_EQ(m.match("/home/*/.bash_history"), Names{"BashShellHistoryFile"});
  EXPECT_TRUE(m.match("/home/alice/.bash_history").empty());
}

TEST(Matcher, GroupsAndAliasesSelectTheirLeaves) {
  const auto reg = sample();
  Matcher m(reg, {"Accounts"}, {});
  EXPECT_EQ(m.match("/etc/passwd"), Names{"UnixPasswdFile"});
  EXPECT_TRUE(m.match("/etc/shadow").empty());
}

TEST(Matcher, UnknownNameThrows) {
  const auto reg = sample();
  try {
    Matcher m(reg, {"NoSuchArtifact"}, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "unknown_artifact");
    EXPECT_EQ(e.where(), "NoSuchArtifact");
  }
}

TEST(Matcher, DeduplicatesPatternsSharedByDefinitions) {
  const auto reg = sample();
  Matcher m(reg, {}, {"/root"});
  // /etc/passwd is owned by two artifacts but compiled once.
  EXPECT_EQ(m.pattern_count(), 8u);
}

TEST(Matcher, MayDescendPrunesDirectoriesNoPatternReaches) {
  const auto reg = sample();
  Matcher m(reg, {}, {"/srv/app"});
  EXPECT_TRUE(m.may_descend("/"));
  EXPECT_TRUE(m.may_descend("/etc"));
  EXPECT_TRUE(m.may_descend("/etc/cron.d"));
  EXPECT_FALSE(m.may_descend("/etc/cron.d/sub"));
  EXPECT_TRUE(m.may_descend("/srv"));
  EXPECT_TRUE(m.may_descend("/srv/app"));
  EXPECT_FALSE(m.may_descend("/srv/app/.bash_history"));
  EXPECT_FALSE(m.may_descend("/usr"));
  EXPECT_FALSE(m.may_descend("/home")) << "passwd homes replace /home/*";
  EXPECT_TRUE(m.may_descend("/boot/a/b/c"));
  EXPECT_FALSE(m.may_descend("/boot/1/2/3/4/5/6/7/8/9/10"));
  EXPECT_TRUE(m.may_descend("/opt/a/b"));
  EXPECT_FALSE(m.may_descend("/opt/a/b/c"));
}

}  // namespace
}  // namespace deadbox::artifacts
