// SPDX-License-Identifier: Apache-2.0
// Timesketch JSONL writer. Ref: google/timesketch timesketch/lib/utils.py (mandatory fields),
// issue #1752 (type-stable fields), #1869 (integer µs timestamp).
#include "deadbox/timeline/jsonl.hpp"

#include <array>

#include "deadbox/timeline/bodyfile.hpp"
#include "deadbox/util/escape.hpp"
#include "deadbox/util/time_format.hpp"

namespace deadbox::timeline {
namespace {

void put_string(std::string& out, std::string_view raw) {
  out += '"';
  out += escape::json_string(raw);
  out += '"';
}

bool reserved_key(const std::string& k) {
  return k.empty() || k.front() == '_' || k == "message" || k == "datetime" || k == "timestamp" ||
         k == "timestamp_desc" || k == "data_type" || k == "tag";
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

const char* file_type_name(tree::FileType type) {
  switch (type) {
    case tree::FileType::kRegular: return "file";
    case tree::FileType::kDirectory: return "directory";
    case tree::FileType::kSymlink: return "symlink";
    case tree::FileType::kCharDev: return "char_device";
    case tree::FileType::kBlockDev: return "block_device";
    case tree::FileType::kFifo: return "fifo";
    case tree::FileType::kSocket: return "socket";
    case tree::FileType::kWhiteout: return "whiteout";
    case tree::FileType::kVirtual: return "virtual";
    case tree::FileType::kUnknown: break;
  }
  return "unknown";
}

std::string jsonl_line(const JsonlEvent& e) {
  std::string out;
  out.reserve(256 + e.message.size());
  out += "{\"message\":";
  put_string(out, e.message);
  out += ",\"datetime\":\"";
  out += timefmt::iso_micros_offset(e.ns);
  out += "\",\"timestamp\":";
  out += std::to_string(floor_div(e.ns, 1000));
  out += ",\"timestamp_desc\":";
  put_string(out, e.timestamp_desc);
  out += ",\"data_type\":";
  put_string(out, e.data_type);
  for (const auto& [key, value] : e.extra) {
    if (reserved_key(key)) continue;
    out += ',';
    put_string(out, key);
    out += ':';
    if (const auto* s = std::get_if<std::string>(&value)) {
      put_string(out, *s);
    } else if (const auto* i = std::get_if<int64_t>(&value)) {
      out += std::to_string(*i);
    } else {
      out += std::get<bool>(value) ? "true" : "false";
    }
  }
  if (!e.tags.empty()) {
    out += ",\"tag\":[";
    for (size_t i = 0; i < e.tags.size(); ++i) {
      if (i != 0) out += ',';
      put_string(out, e.tags[i]);
    }
    out += ']';
  }
  out += '}';
  return out;
}

void write_jsonl_event(std::ostream& out, const JsonlEvent& event) {
  const std::string line = jsonl_line(event) + '\n';
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
}

void JsonlWriter::on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) {
  if (!entry.has_meta) return;
  const MacbEvents ev = macb_events(entry.stat);
  if (ev.count == 0) return;
  const std::string name = display_name(ctx.path_prefix, entry);
  const std::string path = pipeline::system_path(ctx.path_prefix, entry.path);
  bool lossy = false;
  escape::utf8_lossless(path, &lossy);

  JsonlEvent e;
  e.data_type = "fs:stat";
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
             {"macb", std::string()}};
  const size_t macb_index = e.extra.size() - 1;
  if (entry.stat.type == tree::FileType::kSymlink)
    e.extra.emplace_back("symlink_target", entry.symlink_target);
  if (lossy) e.extra.emplace_back("path_hex", escape::hex(path));

  // plaso emits one event per timestamp kind; keep that so timestamp_desc filters work, and
  // carry the letters of every kind sharing the value in "macb" and the message.
  for (int i = 0; i < ev.count; ++i) {
    const MacbEvent& me = ev.events[i];
    if (!options_.window.contains(me.ns)) continue;
    e.ns = me.ns;
    e.extra[macb_index].second = std::string(me.macb);
    e.message = name + " (" + me.macb + ")";
    for (int k = 0; k < 4; ++k) {
      if (me.macb[k] == '.') continue;
      e.timestamp_desc = timestamp_desc(me.macb[k]);
      write_jsonl_event(out_, e);
      ++events_;
    }
  }
}

}  // namespace deadbox::timeline
