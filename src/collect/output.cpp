// SPDX-License-Identifier: Apache-2.0
// JSONL writers for records and findings (see output.hpp). Ref: https://jsonlines.org,
// formats-and-libraries.md §1.5 (hayabusa/Sigma-style levels and ATT&CK tags).
#include "deadbox/collect/output.hpp"

#include <fstream>
#include <map>

#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"
#include "deadbox/util/time_format.hpp"

namespace deadbox::collect {
namespace {

void put_string(std::string& out, std::string_view s) {
  out += '"';
  out += escape::json_string(s);
  out += '"';
}

void put_key(std::string& out, std::string_view key) {
  if (out.back() != '{' && out.back() != '[') out += ',';
  put_string(out, key);
  out += ':';
}

void put_value(std::string& out, const parsers::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    put_string(out, *s);
  } else if (const auto* i = std::get_if<int64_t>(&v)) {
    out += std::to_string(*i);
  } else if (const auto* b = std::get_if<bool>(&v)) {
    out += *b ? "true" : "false";
  } else if (const auto* t = std::get_if<parsers::Timestamp>(&v)) {
    put_string(out, timefmt::iso_nanos(t->ns));
  } else {
    out += "null";
  }
}

bool is_provenance_key(std::string_view k) {
  return k == "type" || k == "volume" || k == "path" || k == "inode" || k == "line" ||
         k == "artifact";
}

std::string file_name_for(std::string type) {
  for (char& c : type)
    if (c == '/') c = '_';
  return type + ".jsonl";
}

uint64_t fnv1a(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= 0xff;  // field separator, so ("ab","c") and ("a","bc") differ
  h *= 1099511628211ull;
  return h;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::string record_json(const parsers::Record& r) {
  std::string out = "{";
  put_key(out, "type");
  put_string(out, r.type);
  const parsers::Source* s = r.source.get();
  if (s != nullptr) {
    put_key(out, "volume");
    put_string(out, s->volume);
    put_key(out, "path");
    put_string(out, s->path);
    put_key(out, "inode");
    out += std::to_string(s->inode);
  }
  put_key(out, "line");
  out += std::to_string(r.line);
  if (s != nullptr && !s->artifact.empty()) {
    put_key(out, "artifact");
    put_string(out, s->artifact);
  }
  // A record's own "deleted" field wins over the source flag (fs/file sets both).
  if (s != nullptr && s->deleted && r.get("deleted") == nullptr) {
    put_key(out, "deleted");
    out += "true";
  }
  for (const auto& [k, v] : r.fields) {
    // A parser field named like a provenance key (utmp's terminal "line") is kept under
    // "field_<name>" so every JSON object has unique keys.
    put_key(out, is_provenance_key(k) ? "field_" + k : k);
    put_value(out, v);
  }
  out += '}';
  return out;
}

void write_records_jsonl(const parsers::RecordStore& store, const std::filesystem::path& dir) {
  const std::filesystem::path records = dir / "records";
  std::error_code ec;
  std::filesystem::create_directory(records, ec);
  if (ec) throw Error(Layer::kReport, "write_failed", records.string(), ec.message());
  for (const std::string& type : store.types()) {
    const std::filesystem::path file = records / file_name_for(type);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    for (const auto& r : store.of(type)) out << record_json(r) << '\n';
    out.flush();
    if (!out) throw Error(Layer::kReport, "write_failed", file.string(), "cannot write");
  }
}

std::string finding_id(const checks::Finding& f) {
  uint64_t h = 14695981039346656037ull;
  h = fnv1a(h, f.check_id);
  h = fnv1a(h, f.message);
  for (const auto& e : f.evidence) {
    h = fnv1a(h, e.volume);
    h = fnv1a(h, e.path);
    h = fnv1a(h, std::to_string(e.inode));
    h = fnv1a(h, std::to_string(e.line));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 0xf];
  return out;
}

std::string finding_json(const checks::Finding& f) {
  const checks::Check* check = checks::find_check(f.check_id);
  std::string out = "{";
  put_key(out, "id");
  put_string(out, finding_id(f));
  put_key(out, "rule_id");
  put_string(out, f.check_id);
  put_key(out, "title");
  put_string(out, f.title);
  put_key(out, "level");
  put_string(out, checks::severity_name(f.severity));
  put_key(out, "attack");
  out += '[';
  if (!f.attack_id.empty()) {
    out += '{';
    put_key(out, "id");
    put_string(out, f.attack_id);
    out += '}';
  }
  out += ']';
  put_key(out, "tags");
  out += '[';
  if (!f.attack_id.empty()) put_string(out, "attack." + lower(f.attack_id));
  out += ']';
  put_key(out, "message");
  put_string(out, f.message);
  put_key(out, "evidence");
  out += '[';
  for (const auto& e : f.evidence) {
    if (out.back() != '[') out += ',';
    out += '{';
    put_key(out, "volume");
    put_string(out, e.volume);
    put_key(out, "path");
    put_string(out, e.path);
    put_key(out, "inode");
    out += std::to_string(e.inode);
    put_key(out, "line");
    out += std::to_string(e.line);
    if (!e.record_type.empty()) {
      put_key(out, "record_type");
      put_string(out, e.record_type);
    }
    if (!e.excerpt.empty()) {
      put_key(out, "excerpt");
      put_string(out, e.excerpt);
    }
    put_key(out, "times");
    out += '{';
    for (const auto& [name, ns] : e.times) {
      put_key(out, name);
      put_string(out, timefmt::iso_nanos(ns));
    }
    out += "}}";
  }
  out += ']';
  put_key(out, "first_seen");
  if (f.first_seen)
    put_string(out, timefmt::iso_nanos(*f.first_seen));
  else
    out += "null";
  put_key(out, "last_seen");
  if (f.last_seen)
    put_string(out, timefmt::iso_nanos(*f.last_seen));
  else
    out += "null";
  put_key(out, "description");
  put_string(out, check != nullptr ? check->description : std::string_view());
  put_key(out, "false_positives");
  put_string(out, check != nullptr ? check->false_positives : std::string_view());
  put_key(out, "references");
  out += '[';
  if (check != nullptr)
    for (const auto& ref : check->references) {
      if (out.back() != '[') out += ',';
      put_string(out, ref);
    }
  out += "]}";
  return out;
}

void write_findings_jsonl(const std::vector<checks::Finding>& findings, std::ostream& out) {
  for (const auto& f : findings) out << finding_json(f) << '\n';
}

}  // namespace deadbox::collect
