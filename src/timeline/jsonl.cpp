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
  const std::string line = jsonl_line(event);
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  out.put('\n');
}

void JsonlWriter::on_entry(const pipeline::VolumeContext& ctx, const tree::FileEntry& entry) {
  if (!entry.has_meta) return;
  const MacbEvents ev = macb_events(entry.stat);
  bool any = false;
  for (int i = 0; i < ev.count; ++i) any = any || options_.window.contains(ev.events[i].ns);
  if (!any) return;
  // The bytes jsonl_line() gives for the fs:stat event (field order: message, datetime,
  // timestamp, timestamp_desc, data_type, extras), rendered from parts: what is the same for
  // every event of the entry is escaped once. The message is name + " (macb)"; the suffix is
  // ASCII, so escaping the name alone gives the same text.
  name_.clear();
  append_display_name(name_, ctx.path_prefix, entry);
  const std::string path = pipeline::system_path(ctx.path_prefix, entry.path);
  bool lossy = false;
  escape::utf8_lossless(path, &lossy);
  head_ = "{\"message\":\"";
  head_ += escape::json_string(name_);
  head_ += " (";
  extras_ = "\",\"data_type\":\"fs:stat\",\"path\":\"";
  extras_ += escape::json_string(path);
  extras_ += "\",\"inode\":";
  extras_ += std::to_string(static_cast<int64_t>(entry.stat.inode));
  extras_ += ",\"volume\":\"";
  extras_ += escape::json_string(ctx.volume);
  extras_ += "\",\"size\":";
  extras_ += std::to_string(static_cast<int64_t>(entry.stat.size));
  extras_ += ",\"uid\":";
  extras_ += std::to_string(static_cast<int64_t>(entry.stat.uid));
  extras_ += ",\"gid\":";
  extras_ += std::to_string(static_cast<int64_t>(entry.stat.gid));
  extras_ += ",\"mode\":\"";
  extras_ += escape::json_string(mode_string(entry));
  extras_ += entry.name_deleted ? "\",\"deleted\":true" : "\",\"deleted\":false";
  extras_ += ",\"file_type\":\"";
  extras_ += file_type_name(entry.stat.type);
  extras_ += "\",\"reader\":\"";
  extras_ += escape::json_string(entry.reader);
  extras_ += "\",\"macb\":\"";
  tail_ = "\"";
  if (entry.stat.type == tree::FileType::kSymlink) {
    tail_ += ",\"symlink_target\":\"";
    tail_ += escape::json_string(entry.symlink_target);
    tail_ += '"';
  }
  if (lossy) {
    tail_ += ",\"path_hex\":\"";
    tail_ += escape::hex(path);
    tail_ += '"';
  }
  tail_ += "}\n";

  // plaso emits one event per timestamp kind; keep that so timestamp_desc filters work, and
  // carry the letters of every kind sharing the value in "macb" and the message.
  for (int i = 0; i < ev.count; ++i) {
    const MacbEvent& me = ev.events[i];
    if (!options_.window.contains(me.ns)) continue;
    const std::string_view macb(me.macb, 4);
    // "<datetime>","timestamp":<µs>: the seconds part from a small cache (an entry's times,
    // and neighbouring files, share seconds).
    const int64_t sec = timefmt::seconds_of(me.ns);
    DateSlot& slot = dates_[static_cast<uint64_t>(sec) % dates_.size()];
    if (!slot.valid || slot.sec != sec) {
      slot.text = timefmt::iso_seconds(me.ns);
      slot.text.pop_back();  // the 'Z'
      slot.sec = sec;
      slot.valid = true;
    }
    when_ = "\",\"datetime\":\"";
    when_ += slot.text;
    char frac[7];
    frac[0] = '.';
    uint32_t us = timefmt::subsec_ns_of(me.ns) / 1000;
    for (int k = 6; k >= 1; --k, us /= 10) frac[k] = static_cast<char>('0' + us % 10);
    when_.append(frac, sizeof frac);
    when_ += "+00:00\",\"timestamp\":";
    when_ += std::to_string(floor_div(me.ns, 1000));
    when_ += ",\"timestamp_desc\":\"";
    for (int k = 0; k < 4; ++k) {
      if (me.macb[k] == '.') continue;
      line_ = head_;
      line_ += macb;
      line_ += ')';
      line_ += when_;
      line_ += timestamp_desc(me.macb[k]);
      line_ += extras_;
      line_ += macb;
      line_ += tail_;
      out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
      ++events_;
    }
  }
}

}  // namespace deadbox::timeline
