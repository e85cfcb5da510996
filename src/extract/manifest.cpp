// SPDX-License-Identifier: Apache-2.0
// manifest.jsonl / manifest.csv: one row per extracted or recorded entry, sorted, no wall-clock
// value, so two runs over the same evidence give identical bytes. Names are raw bytes escaped
// per sink (escape::json_string, escape::csv_field); JSON adds path_hex when the path is not
// valid UTF-8, so the exact bytes are recoverable.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>

#include "deadbox/extract/extractor.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"
#include "deadbox/util/time_format.hpp"

namespace deadbox::extract {
namespace {

std::string quoted(std::string_view raw) {
  return "\"" + escape::json_string(raw) + "\"";
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

void json_time(std::string& out, const char* key, const std::optional<int64_t>& ns) {
  out += ",\"";
  out += key;
  out += "\":";
  out += ns ? quoted(timefmt::iso_nanos(*ns)) : "null";
  out += ",\"";
  out += key;
  out += "_ns\":";
  out += ns ? std::to_string(*ns) : "null";
}

std::string iso_or_empty(const std::optional<int64_t>& ns) {
  return ns ? timefmt::iso_nanos(*ns) : "";
}
std::string ns_or_empty(const std::optional<int64_t>& ns) {
  return ns ? std::to_string(*ns) : "";
}

void write_or_throw(OutputDir& out, const std::string& name, const std::string& data) {
  const int fd = out.create_top(name);
  bool ok = fd >= 0;
  for (size_t done = 0; ok && done < data.size();) {
    const ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w < 0 && errno == EINTR) continue;
    ok = w > 0;
    if (ok) done += static_cast<size_t>(w);
  }
  const int saved = errno;
  if (fd >= 0) ::close(fd);
  if (!ok)
    throw Error(Layer::kExtract, "output_unwritable", out.path() + "/" + name,
                std::strerror(saved));
}

}  // namespace

std::string manifest_jsonl(const std::vector<ManifestRow>& rows) {
  std::string out;
  for (const auto& r : rows) {
    std::string line = "{\"volume\":" + quoted(r.volume) + ",\"path\":" + quoted(r.path);
    bool lossy = false;
    escape::utf8_lossless(r.path, &lossy);
    if (lossy) line += ",\"path_hex\":\"" + escape::hex(r.path) + "\"";
    line += ",\"artifacts\":[";
    for (size_t i = 0; i < r.artifacts.size(); ++i) line += (i ? "," : "") + quoted(r.artifacts[i]);
    line += "],\"extracted_as\":" + (r.extracted_as.empty() ? "null" : quoted(r.extracted_as));
    line += ",\"inode\":" + std::to_string(r.inode) + ",\"type\":\"" + std::string(1, r.type) +
            "\",\"size\":" + std::to_string(r.size) +
            ",\"bytes_extracted\":" + std::to_string(r.bytes_extracted);
    for (const auto& [k, v] : {std::pair{"md5", &r.md5}, {"sha1", &r.sha1}, {"sha256", &r.sha256}})
      line += std::string(",\"") + k + "\":" + (v->empty() ? "null" : quoted(*v));
    json_time(line, "atime", r.atime);
    json_time(line, "mtime", r.mtime);
    json_time(line, "ctime", r.ctime);
    json_time(line, "crtime", r.crtime);
    line += std::string(",\"deleted\":") + (r.deleted ? "true" : "false");
    line += ",\"symlink_target\":" + (r.type == 'l' ? quoted(r.symlink_target) : "null");
    line += ",\"notes\":[";
    for (size_t i = 0; i < r.notes.size(); ++i) line += (i ? "," : "") + quoted(r.notes[i]);
    line += "]}\n";
    out += line;
  }
  return out;
}

std::string manifest_csv(const std::vector<ManifestRow>& rows) {
  std::string out =
      "volume,path,artifacts,extracted_as,inode,type,size,bytes_extracted,md5,sha1,sha256,"
      "atime,atime_ns,mtime,mtime_ns,ctime,ctime_ns,crtime,crtime_ns,deleted,symlink_target,"
      "notes\n";
  for (const auto& r : rows) {
    const std::string fields[] = {r.volume,
                                  r.path,
                                  join(r.artifacts, ";"),
                                  r.extracted_as,
                                  std::to_string(r.inode),
                                  std::string(1, r.type),
                                  std::to_string(r.size),
                                  std::to_string(r.bytes_extracted),
                                  r.md5,
                                  r.sha1,
                                  r.sha256,
                                  iso_or_empty(r.atime),
                                  ns_or_empty(r.atime),
                                  iso_or_empty(r.mtime),
                                  ns_or_empty(r.mtime),
                                  iso_or_empty(r.ctime),
                                  ns_or_empty(r.ctime),
                                  iso_or_empty(r.crtime),
                                  ns_or_empty(r.crtime),
                                  r.deleted ? "true" : "false",
                                  r.symlink_target,
                                  join(r.notes, ";")};
    std::string line;
    for (const auto& f : fields) line += (line.empty() ? "" : ",") + escape::csv_field(f);
    out += line + "\n";
  }
  return out;
}

void Extractor::write_manifest() {
  std::sort(rows_.begin(), rows_.end(), [](const ManifestRow& a, const ManifestRow& b) {
    return std::tie(a.volume, a.path, a.deleted, a.inode, a.extracted_as) <
           std::tie(b.volume, b.path, b.deleted, b.inode, b.extracted_as);
  });
  write_or_throw(out_, "manifest.jsonl", manifest_jsonl(rows_));
  write_or_throw(out_, "manifest.csv", manifest_csv(rows_));
}

}  // namespace deadbox::extract
