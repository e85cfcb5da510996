// SPDX-License-Identifier: Apache-2.0
// Helpers for the extraction fixture tests (see extract_support.hpp).
#include "extract/extract_support.hpp"

#include <openssl/evp.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace deadbox::extract_test {
namespace {

std::string unhex(const std::string& h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

std::string str(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsString()) return "";
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::optional<int64_t> opt_i64(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsInt64()) return std::nullopt;
  return it->value.GetInt64();
}

std::vector<std::string> strings(const rapidjson::Value& v, const char* key) {
  std::vector<std::string> out;
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsArray()) return out;
  for (const auto& s : it->value.GetArray())
    if (s.IsString()) out.emplace_back(s.GetString(), s.GetStringLength());
  return out;
}

}  // namespace

bool Row::has_note(const std::string& prefix) const {
  return std::any_of(notes.begin(), notes.end(),
                     [&](const std::string& n) { return n.rfind(prefix, 0) == 0; });
}

std::vector<Row> read_manifest(const std::filesystem::path& dir) {
  std::vector<Row> rows;
  std::istringstream in(testing::read_text(dir / "manifest.jsonl"));
  for (std::string line; std::getline(in, line);) {
    rapidjson::Document d;
    d.Parse(line.c_str(), line.size());
    if (d.HasParseError() || !d.IsObject()) {
      ADD_FAILURE() << "malformed manifest line: " << line;
      continue;
    }
    Row r;
    r.volume = str(d, "volume");
    r.path = d.HasMember("path_hex") ? unhex(str(d, "path_hex")) : str(d, "path");
    r.extracted_as = str(d, "extracted_as");
    r.sha256 = str(d, "sha256");
    r.md5 = str(d, "md5");
    r.sha1 = str(d, "sha1");
    r.type = str(d, "type");
    r.symlink_target = str(d, "symlink_target");
    r.artifacts = strings(d, "artifacts");
    r.notes = strings(d, "notes");
    r.inode = d["inode"].GetUint64();
    r.size = d["size"].GetUint64();
    r.bytes_extracted = d["bytes_extracted"].GetUint64();
    r.mtime_ns = opt_i64(d, "mtime_ns");
    r.atime_ns = opt_i64(d, "atime_ns");
    r.deleted = d["deleted"].GetBool();
    rows.push_back(std::move(r));
  }
  return rows;
}

const Row* find_row(const std::vector<Row>& rows, const std::string& volume,
                    const std::string& path, bool deleted) {
  for (const auto& r : rows)
    if (r.volume == volume && r.path == path && r.deleted == deleted) return &r;
  return nullptr;
}

std::string Layout::system_path(const Planted& p) const {
  std::string path = p.path;
  for (const auto& [from, to] : renames) {
    const auto at = path.find(from);
    if (at != std::string::npos) path.replace(at, from.size(), to);
  }
  auto it = mount_of.find(p.volume);
  return (it == mount_of.end() ? "" : it->second) + path;
}

std::optional<Layout> read_layout(const std::string& scenario, std::string* skip_reason) {
  auto file = testing::fixture(scenario, "layout.json", skip_reason);
  if (!file) return std::nullopt;
  const std::string text = testing::read_text(*file);
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.HasMember("planted")) {
    *skip_reason = scenario + "/layout.json has no \"planted\" (rebuild the fixtures)";
    return std::nullopt;
  }
  Layout l;
  for (const auto& vol : d["planted"].GetObject()) {
    for (const auto& f : vol.value.GetObject()) {
      Planted p;
      p.volume = vol.name.GetString();
      p.path = {f.name.GetString(), f.name.GetStringLength()};
      p.kind = str(f.value, "kind");
      p.sha256 = str(f.value, "sha256");
      p.target = str(f.value, "target");
      p.size = f.value.HasMember("size") ? f.value["size"].GetUint64() : 0;
      p.mtime_ns = f.value["mtime_ns"].GetInt64();
      p.deleted = f.value["deleted"].GetBool();
      l.planted.push_back(std::move(p));
    }
  }
  const auto& expect = d["expect"];
  if (expect.HasMember("mounts"))
    for (const auto& m : expect["mounts"].GetObject()) {
      const std::string mount = m.name.GetString();
      l.mount_of[m.value.GetString()] = mount == "/" ? "" : mount;
    }
  for (const auto& p : d["raw_patches"].GetArray())
    l.renames.emplace_back(str(p, "find"), unhex(str(p, "replace_hex")));
  return l;
}

std::string sha256_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return "";
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

std::optional<struct stat> lstat_of(const std::filesystem::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) return std::nullopt;
  return st;
}

std::vector<std::string> listing(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto st = lstat_of(it->path());
    out.push_back(it->path().lexically_relative(dir).string() + " " +
                  (st ? std::to_string(st->st_mode & S_IFMT) : "?"));
  }
  std::sort(out.begin(), out.end());
  return out;
}

testing::RunResult run_extract(const std::filesystem::path& image, const std::filesystem::path& out,
                               std::vector<std::string> extra) {
  std::vector<std::string> args{"extract", image.string(), "-o", out.string(), "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return testing::run_deadbox(args);
}

}  // namespace deadbox::extract_test
