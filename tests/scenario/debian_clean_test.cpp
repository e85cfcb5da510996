// SPDX-License-Identifier: Apache-2.0
// Issue 5 quality bar on a clean real Debian 12 tree with ordinary admin activity
// (fixtures/scenarios/debian_clean.json): no finding is high or critical; the findings that
// remain are printed so the false-positive rate shows in the test log. Positive controls
// prove the checks actually read the admin activity (a clean verdict on an unread disk is
// worthless).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "scenario/findings.hpp"
#include "support/fixture.hpp"

namespace deadbox::scenario {
namespace {

constexpr const char* kScenario = "debian_clean";
constexpr const char* kImage = "disk.raw";

TEST(DebianClean, NoHighOrCriticalFinding) {
  const auto image = DEADBOX_FIXTURE(kScenario, kImage);
  const CheckRun& run = check_json(image.string());
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1)
      << "deadbox check exit " << run.exit_code << "\nstderr:\n"
      << run.err.substr(0, 2000);
  for (const auto& e : run.parse_errors) ADD_FAILURE() << e;

  std::map<std::string, int> by_level;
  std::cout << "[debian_clean] " << run.findings.size() << " findings:\n";
  for (const auto& f : run.findings) {
    ++by_level[f.level];
    std::cout << "  " << describe(f) << "\n";
    EXPECT_LT(level_rank(f.level), 3) << "false positive at " << f.level << ": " << describe(f)
                                      << "\n  " << f.json.substr(0, 1500);
  }
  for (const auto& [level, n] : by_level)
    std::cout << "[debian_clean] " << level << ": " << n << "\n";
  // The default --fail-on is high: a clean system exits 0.
  EXPECT_EQ(run.exit_code, 0);
}

TEST(DebianClean, DeterministicAcrossRuns) {
  const auto image = DEADBOX_FIXTURE(kScenario, kImage);
  const auto a = testing::run_deadbox({"check", image.string(), "--json"});
  const auto b = testing::run_deadbox({"check", image.string(), "--json"});
  ASSERT_TRUE(a.exit_code == 0 || a.exit_code == 1) << a.err.substr(0, 2000);
  EXPECT_EQ(a.exit_code, b.exit_code);
  EXPECT_TRUE(a.out == b.out) << "two runs of check --json differ";
}

TEST(DebianClean, ChecksSawTheAdminActivity) {
  const auto image = DEADBOX_FIXTURE(kScenario, kImage);
  const auto tmp = testing::make_temp_dir("scenario-debian");
  const auto out = tmp / "out";
  const auto r = testing::run_deadbox({"check", image.string(), "--json", "-o", out.string()});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err.substr(0, 2000);
  const auto records = read_records(out);
  ASSERT_FALSE(records.empty()) << "no records/ written under " << out;
  // Each planted piece of ordinary activity was parsed (JSON-escaped '/' stays '/').
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected{
      {"admin in passwd", {"\"path\":\"/etc/passwd\"", "admin"}},
      {"admin key", {"\"path\":\"/home/admin/.ssh/authorized_keys\"", "admin@laptop"}},
      {"backup cron job", {"\"path\":\"/etc/cron.d/backup\"", "backup.sh"}},
      {"curl -I in history",
       {"\"path\":\"/home/admin/.bash_history\"", "curl -I https://example.com"}},
      {"typo'd password", {"\"path\":\"/var/log/auth.log\"", "192.168.10.23"}},
      {"wtmp login", {"\"path\":\"/var/log/wtmp\"", "192.168.10.23"}},
      {"btmp failure", {"\"path\":\"/var/log/btmp\"", "admin"}},
      {"stock redis.conf", {"\"path\":\"/etc/redis/redis.conf\""}},
      {"stock sshd_config", {"\"path\":\"/etc/ssh/sshd_config\""}},
      {"Debian os-release", {"bookworm"}},
  };
  for (const auto& [what, needles] : expected)
    EXPECT_TRUE(any_line_has(records, needles)) << "no record for " << what;
  std::filesystem::remove_all(tmp);
}

}  // namespace
}  // namespace deadbox::scenario
