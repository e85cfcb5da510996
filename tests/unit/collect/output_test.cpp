// SPDX-License-Identifier: Apache-2.0
#include "deadbox/collect/output.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/fixture.hpp"

namespace deadbox::collect {
namespace {

parsers::Record sample() {
  auto src = std::make_shared<parsers::Source>();
  src->volume = "p2/lvm/vg0/root";
  src->path = "/tmp/\x1b]0;x\x07<b>\xff";
  src->inode = 42;
  src->artifact = "UnixPasswdFile";
  parsers::Record r;
  r.type = "fs/file";
  r.source = src;
  r.line = 3;
  r.set("name", std::string("a\"b\\c"));
  r.set("size", int64_t{-1});
  r.set("is_elf", true);
  r.set("mtime", parsers::Timestamp{1'719'782'045'000'000'001});
  r.set("line", std::string("pts/0"));  // a parser field named like a provenance key
  return r;
}

TEST(RecordJson, TypedEscapedAndProvenanceFirst) {
  EXPECT_EQ(record_json(sample()),
            "{\"type\":\"fs/file\",\"volume\":\"p2/lvm/vg0/root\","
            "\"path\":\"/tmp/\\u001b]0;x\\u0007\\u003cb\\u003e\\\\xff\",\"inode\":42,\"line\":3,"
            "\"artifact\":\"UnixPasswdFile\",\"name\":\"a\\\"b\\\\c\",\"size\":-1,"
            "\"is_elf\":true,\"mtime\":\"2024-06-30T21:14:05.000000001Z\","
            "\"field_line\":\"pts/0\"}");
}

TEST(RecordsJsonl, OneFilePerTypeWithSlashesReplaced) {
  parsers::RecordStore store;
  store.add(sample());
  auto other = sample();
  other.type = "linux/log/utmp";
  store.add(other);
  store.add(other);
  const auto dir = testing::make_temp_dir("records");
  write_records_jsonl(store, dir);
  std::ifstream utmp(dir / "records" / "linux_log_utmp.jsonl");
  std::string line;
  int n = 0;
  while (std::getline(utmp, line)) ++n;
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(std::filesystem::exists(dir / "records" / "fs_file.jsonl"));
  std::filesystem::remove_all(dir);
}

checks::Finding finding() {
  checks::Finding f;
  f.check_id = "files/elf_in_odd_place";
  f.title = "t";
  f.severity = checks::Severity::kHigh;
  f.attack_id = "T1036.005";
  f.message = "ELF exec file in /boot: /boot/wkwfnxjpaa";
  checks::Evidence e;
  e.volume = "p1";
  e.path = "/boot/wkwfnxjpaa";
  e.inode = 12;
  e.times = {{"mtime", 0}};
  f.evidence.push_back(e);
  f.first_seen = 0;
  return f;
}

TEST(FindingJson, StableIdLevelTagsAndDescriptor) {
  const std::string j = finding_json(finding());
  EXPECT_EQ(finding_id(finding()), finding_id(finding()));
  auto other = finding();
  other.evidence[0].inode = 13;
  EXPECT_NE(finding_id(finding()), finding_id(other));
  EXPECT_NE(j.find("\"rule_id\":\"files/elf_in_odd_place\""), std::string::npos);
  EXPECT_NE(j.find("\"level\":\"high\""), std::string::npos);
  EXPECT_NE(j.find("\"attack\":[{\"id\":\"T1036.005\"}]"), std::string::npos);
  EXPECT_NE(j.find("\"tags\":[\"attack.t1036.005\"]"), std::string::npos);
  EXPECT_NE(j.find("\"times\":{\"mtime\":\"1970-01-01T00:00:00.000000000Z\"}"), std::string::npos);
  EXPECT_NE(j.find("\"last_seen\":null"), std::string::npos);
  // The registered descriptor supplies description and references.
  EXPECT_NE(j.find("https://attack.mitre.org/techniques/T1036/005/"), std::string::npos);
  std::ostringstream out;
  write_findings_jsonl({finding(), finding()}, out);
  EXPECT_EQ(out.str(), j + "\n" + j + "\n");
}

}  // namespace
}  // namespace deadbox::collect
