// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "support/fixture.hpp"
#include "unit/parsers/text_parse_util.hpp"

namespace deadbox::parsers {
namespace {

using text_testing::parse;

// Made with `ssh-keygen -t ed25519 -C admin@laptop`; `ssh-keygen -l -E sha256` printed the
// fingerprint below.
constexpr std::string_view kEd25519 =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGvTxxTnyscQ6DZhVOwXHluOMZPlkeTjXKUQV96Vq9PJ";
constexpr std::string_view kEd25519Fp = "SHA256:DvgKSe+ztbgma9xCDNdZhinZE2LZVViEGbjGJdY/+I8";

TEST(SshAuthorizedKeyParser, PlainKeyOptionsAndComment) {
  const std::string file =
      std::string(kEd25519) + " admin@laptop\n" +
      "from=\"10.0.0.0/8,!10.0.0.5\",command=\"/usr/bin/rrsync -ro \\\"/srv\\\"\",no-pty " +
      std::string(kEd25519) + " backup key\n# comment\nnot a key line\n";
  const auto r = parse("unix/ssh_authorized_key", file, "/home/alice/.ssh/authorized_keys");
  const auto& recs = r.of("unix/ssh_authorized_key");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].str("key_type"), "ssh-ed25519");
  EXPECT_EQ(recs[0].str("fingerprint"), kEd25519Fp);
  EXPECT_EQ(recs[0].str("comment"), "admin@laptop");
  EXPECT_EQ(recs[0].str("user"), "alice");
  EXPECT_EQ(recs[0].str("options"), std::nullopt);
  EXPECT_EQ(recs[1].str("command"), "/usr/bin/rrsync -ro \"/srv\"");
  EXPECT_EQ(recs[1].str("from"), "10.0.0.0/8,!10.0.0.5");
  EXPECT_EQ(recs[1].str("comment"), "backup key");
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(r.diags("bad_authorized_key"), 1u);
}

TEST(SshAuthorizedKeyParser, BadBase64IsDiagnosedNotFatal) {
  const auto r = parse("unix/ssh_authorized_key", "ssh-rsa AAAA$$$ x\n", "/root/.ssh/authorized_keys");
  ASSERT_EQ(r.of("unix/ssh_authorized_key").size(), 1u);
  EXPECT_EQ(r.of("unix/ssh_authorized_key")[0].str("fingerprint"), std::nullopt);
  EXPECT_EQ(r.diags("bad_key_blob"), 1u);
}

TEST(SshAuthorizedKeyParser, RedisWrittenFileKeepsKeyAndFlag) {
  const std::string rdb =
      text_testing::redis_rdb("crackit", "\n\n\n" + std::string(kEd25519) + " root@attacker\n\n\n");
  const auto r = parse("unix/ssh_authorized_key", rdb, "/root/.ssh/authorized_keys");
  const auto& recs = r.of("unix/ssh_authorized_key");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].flag("redis_rdb"), true);
  EXPECT_EQ(recs[0].str("fingerprint"), kEd25519Fp);
  EXPECT_EQ(recs[0].str("comment"), "root@attacker");
  EXPECT_EQ(r.diags("bad_authorized_key"), 0u);
}

// Oracle: a fresh key, fingerprinted by ssh-keygen itself.
TEST(SshAuthorizedKeyParser, FingerprintMatchesSshKeygen) {
  if (access("/usr/bin/ssh-keygen", X_OK) != 0) GTEST_SKIP() << "ssh-keygen not installed";
  const auto dir = deadbox::testing::make_temp_dir("sshfp");
  const auto key = (dir / "k").string();
  const auto gen = deadbox::testing::run_program(
      {"/usr/bin/ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "c", "-f", key});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const auto fp = deadbox::testing::run_program(
      {"/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub"});
  ASSERT_EQ(fp.exit_code, 0);
  const std::string pub = deadbox::testing::read_text(key + ".pub");
  std::filesystem::remove_all(dir);
  const auto r = parse("unix/ssh_authorized_key", pub, "/root/.ssh/authorized_keys");
  ASSERT_EQ(r.of("unix/ssh_authorized_key").size(), 1u);
  const auto mine = r.of("unix/ssh_authorized_key")[0].str("fingerprint");
  ASSERT_TRUE(mine.has_value());
  EXPECT_NE(fp.out.find(std::string(*mine) + " "), std::string::npos) << fp.out;
}

TEST(SshKnownHostParser, PlainHashedAndMarkedEntries) {
  const std::string file = "github.com,140.82.121.4 " + std::string(kEd25519) + "\n" +
                           "|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= " +
                           std::string(kEd25519) + "\n@revoked * " + std::string(kEd25519) +
                           " old\nhost-only-line\n";
  const auto r = parse("unix/ssh_known_host", file, "/root/.ssh/known_hosts");
  const auto& recs = r.of("unix/ssh_known_host");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].str("hosts"), "github.com,140.82.121.4");
  EXPECT_EQ(recs[0].flag("hashed"), false);
  EXPECT_EQ(recs[0].str("fingerprint"), kEd25519Fp);
  EXPECT_EQ(recs[1].flag("hashed"), true);
  EXPECT_EQ(recs[2].str("marker"), "@revoked");
  EXPECT_EQ(recs[2].str("comment"), "old");
  EXPECT_EQ(r.diags("bad_known_host"), 1u);
}

}  // namespace
}  // namespace deadbox::parsers
