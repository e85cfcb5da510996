// SPDX-License-Identifier: Apache-2.0
// JSONL for Timesketch: every line parses, mandatory fields, integer µs, stable field types,
// valid UTF-8 for hostile names.
#include "deadbox/timeline/jsonl.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>

#include <map>
#include <sstream>

#include "deadbox/timeline/bodyfile.hpp"
#include "deadbox/tree/memory_tree.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::timeline {
namespace {

constexpr int64_t kS = 1'000'000'000;

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

rapidjson::Document parse_utf8(const std::string& line) {
  rapidjson::Document d;
  // kParseValidateEncodingFlag: Timesketch rejects invalid UTF-8, so must we.
  d.Parse<rapidjson::kParseValidateEncodingFlag>(line.c_str(), line.size());
  EXPECT_FALSE(d.HasParseError()) << rapidjson::GetParseError_En(d.GetParseError()) << ": " << line;
  return d;
}

TEST(Jsonl, FileEventsHaveMandatoryFieldsAndStableTypes) {
  tree::MemoryTree t;
  tree::Stat st;
  st.mtime = 1700000000 * kS + 123456789;
  st.ctime = st.mtime;
  st.atime = -1;  // 1969-12-31T23:59:59.999999999: floor, not truncation
  st.crtime = 1600000000 * kS;
  t.add_file("/etc/passwd", "x", st);
  t.add_symlink("/etc/mtab", "/proc/mounts", st);
  t.add_deleted_file(std::string("/tmp/evil\n\x1b[31m\xff\xfe|\"<b>", 22), "", st);
  std::ostringstream out;
  JsonlWriter w(out, {});
  Diagnostics diag;
  pipeline::VolumeContext ctx{"p2/lvm/vg0/root", "/", &t, &diag};
  pipeline::walk_volume(ctx, {}, {&w});
  const auto lines = lines_of(out.str());
  // 2 dirs (/etc, /tmp) have no times; each file: m and c share a value, so 4 events each.
  ASSERT_EQ(lines.size(), 12u);
  EXPECT_EQ(w.events(), 12u);
  std::map<std::string, rapidjson::Type> types;
  std::map<std::string, int> descs;
  for (const auto& line : lines) {
    auto d = parse_utf8(line);
    ASSERT_TRUE(d.IsObject());
    for (const char* k : {"message", "datetime", "timestamp_desc", "data_type"}) {
      ASSERT_TRUE(d.HasMember(k)) << k;
      ASSERT_TRUE(d[k].IsString()) << k;
    }
    ASSERT_TRUE(d["timestamp"].IsInt64());
    for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) {
      const std::string key = it->name.GetString();
      rapidjson::Type ty = it->value.GetType();
      if (ty == rapidjson::kTrueType) ty = rapidjson::kFalseType;  // both are "bool"
      auto [pos, fresh] = types.emplace(key, ty);
      EXPECT_EQ(pos->second, ty) << "field " << key << " changed type";
    }
    ++descs[d["timestamp_desc"].GetString()];
    EXPECT_STREQ(d["data_type"].GetString(), "fs:stat");
    EXPECT_STREQ(d["volume"].GetString(), "p2/lvm/vg0/root");
  }
  EXPECT_EQ(descs["Content Modification Time"], 3);
  EXPECT_EQ(descs["Metadata Modification Time"], 3);
  EXPECT_EQ(descs["Last Access Time"], 3);
  EXPECT_EQ(descs["Creation Time"], 3);

  auto first = parse_utf8(lines[0]);  // /etc/mtab: walk order, ascending time inside a file
  EXPECT_STREQ(first["path"].GetString(), "/etc/mtab");
  EXPECT_STREQ(first["datetime"].GetString(), "1969-12-31T23:59:59.999999+00:00");
  EXPECT_EQ(first["timestamp"].GetInt64(), -1);
  EXPECT_STREQ(first["symlink_target"].GetString(), "/proc/mounts");
  auto mod = parse_utf8(lines[2]);
  EXPECT_EQ(mod["timestamp"].GetInt64(), 1700000000123456);
  EXPECT_STREQ(mod["datetime"].GetString(), "2023-11-14T22:13:20.123456+00:00");
  EXPECT_STREQ(mod["macb"].GetString(), "m.c.");
  EXPECT_STREQ(mod["message"].GetString(), "/etc/mtab -> /proc/mounts (m.c.)");

  auto evil = parse_utf8(lines.back());
  EXPECT_TRUE(evil["deleted"].GetBool());
  EXPECT_STREQ(evil["path"].GetString(), "/tmp/evil\n\x1b[31m\\xff\\xfe|\"<b>");
  EXPECT_STREQ(evil["path_hex"].GetString(), "2f746d702f6576696c0a1b5b33316dfffe7c223c623e");
  // Raw control bytes never appear in the text itself.
  EXPECT_EQ(lines.back().find('\x1b'), std::string::npos);
}

TEST(Jsonl, ExternalEventsShareTheSink) {
  JsonlEvent e;
  e.ns = 1700000000 * kS;
  e.timestamp_desc = "Log Record Time";
  e.message = "sshd[100]: Accepted password for root";
  e.data_type = "linux:auth:sshd";
  e.extra = {{"hostname", std::string("victim")},
             {"pid", int64_t{100}},
             {"_id", std::string("dropped")},
             {"message", std::string("dup")},
             {"success", true}};
  e.tags = {"deadbox-finding", "high"};
  const std::string line = jsonl_line(e);
  EXPECT_EQ(line,
            "{\"message\":\"sshd[100]: Accepted password for root\",\"datetime\":"
            "\"2023-11-14T22:13:20.000000+00:00\",\"timestamp\":1700000000000000,"
            "\"timestamp_desc\":\"Log Record Time\",\"data_type\":\"linux:auth:sshd\","
            "\"hostname\":\"victim\",\"pid\":100,\"success\":true,"
            "\"tag\":[\"deadbox-finding\",\"high\"]}");
  parse_utf8(line);
  std::ostringstream out;
  write_jsonl_event(out, e);
  EXPECT_EQ(out.str(), line + "\n");
}

TEST(Jsonl, WindowFiltersEvents) {
  tree::MemoryTree t;
  tree::Stat st;
  st.mtime = 100 * kS;
  st.atime = 200 * kS;
  t.add_file("/a", "", st);
  std::ostringstream out;
  JsonlOptions o;
  o.window.from = 150 * kS;
  JsonlWriter w(out, o);
  Diagnostics diag;
  pipeline::VolumeContext ctx{"whole", "/", &t, &diag};
  pipeline::walk_volume(ctx, {}, {&w});
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("\"Last Access Time\""), std::string::npos);
}

/// The generic rendering of one fs:stat event (the field list the JsonlWriter documents),
/// the oracle for the writer's pre-rendered fast path.
std::string generic_lines(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry,
                          const TimeWindow& window) {
  std::string out;
  if (!entry.has_meta) return out;
  const MacbEvents ev = macb_events(entry.stat);
  const std::string path = pipeline::system_path(ctx.path_prefix, entry.path);
  bool lossy = false;
  escape::utf8_lossless(path, &lossy);
  for (int i = 0; i < ev.count; ++i) {
    const MacbEvent& me = ev.events[i];
    if (!window.contains(me.ns)) continue;
    for (int k = 0; k < 4; ++k) {
      if (me.macb[k] == '.') continue;
      JsonlEvent e;
      e.ns = me.ns;
      e.data_type = "fs:stat";
      e.timestamp_desc = timestamp_desc(me.macb[k]);
      e.message = display_name(ctx.path_prefix, entry) + " (" + me.macb + ")";
      e.extra = {{"path", path},
                 {"inode", static_cast<int64_t>(entry.stat.inode)},
                 {"volume", ctx.volume},
                 {"size", static_cast<int64_t>(entry.stat.size)},
                 {"uid", static_cast<int64_t>(entry.stat.uid)},
                 {"gid", static_cast<int64_t>(entry.stat.gid)},
                 {"mode", mode_string(entry)},
                 {"deleted", entry.name_deleted},
                 {"file_type", std::string(file_type_name(entry.stat.type))},
                 {"reader", entry.reader},
                 {"macb", std::string(me.macb)}};
      if (entry.stat.type == tree::FileType::kSymlink)
        e.extra.emplace_back("symlink_target", entry.symlink_target);
      if (lossy) e.extra.emplace_back("path_hex", escape::hex(path));
      out += jsonl_line(e) + "\n";
    }
  }
  return out;
}

TEST(Jsonl, WriterBytesEqualTheGenericEventRendering) {
  tree::MemoryTree t;
  tree::Stat st;
  st.mtime = 1700000000 * kS + 123456789;
  st.ctime = st.mtime;
  st.atime = -1500;  // before 1970, not on a µs boundary: floor in both columns
  st.crtime = -86400 * kS * 365 * 100;
  t.add_file("/etc/passwd", "x", st);
  t.add_symlink("/etc/mt\"ab<", std::string("/proc/\xffmounts\n", 15), st);
  t.add_deleted_file(std::string("/tmp/evil\n\x1b[31m\xff\xfe|\"<b>\xe2\x80\xa8", 25), "", st);
  st.atime = st.crtime = std::nullopt;
  t.add_file("/only-mc", "", st);
  for (const TimeWindow window : {TimeWindow{}, TimeWindow{0, std::nullopt}}) {
    for (const std::string prefix : {"/", "/bo\"ot&"}) {
      std::ostringstream out;
      JsonlWriter w(out, {window});
      Diagnostics diag;
      pipeline::VolumeContext ctx{"p2/<vg>\"x", prefix, &t, &diag};
      std::string want;
      struct Oracle final : pipeline::WalkConsumer {
        std::string* want;
        TimeWindow window;
        void on_entry(const pipeline::VolumeContext& c, const tree::FileEntry& e) override {
          *want += generic_lines(c, e, window);
        }
      } oracle;
      oracle.want = &want;
      oracle.window = window;
      pipeline::walk_volume(ctx, {}, {&w, &oracle});
      EXPECT_GT(lines_of(want).size(), 5u);
      EXPECT_EQ(out.str(), want) << prefix;
    }
  }
}

}  // namespace
}  // namespace deadbox::timeline
