// SPDX-License-Identifier: Apache-2.0
// case.json: the court record of the examination. Everything but the "run" object is a
// function of the evidence and the options, so two runs differ only inside "run".
#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include "deadbox/fs/filesystem.hpp"
#include "deadbox/image/image.hpp"
#include "deadbox/util/escape.hpp"
#include "examine/internal.hpp"

namespace deadbox::examine::detail {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::OStreamWrapper>;

/// RapidJSON passes bytes through: image text is made valid UTF-8 ("\xNN") first.
void str(Writer& w, std::string_view s) {
  const std::string clean = escape::utf8_lossless(s);
  w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void kv(Writer& w, std::string_view k, std::string_view v) {
  str(w, k);
  str(w, v);
}

void kv(Writer& w, std::string_view k, uint64_t v) {
  str(w, k);
  w.Uint64(v);
}

void string_map(Writer& w, std::string_view key, const std::map<std::string, std::string>& m) {
  str(w, key);
  w.StartObject();
  for (const auto& [k, v] : m) kv(w, k, v);
  w.EndObject();
}

void volumes(Writer& w, const inventory::Inventory& inv) {
  str(w, "volumes");
  w.StartArray();
  for (const auto& v : inv.volumes) {
    w.StartObject();
    kv(w, "name", v.volume.name);
    kv(w, "table", v.volume.table);
    kv(w, "offset", v.volume.offset);
    kv(w, "length", v.volume.length);
    kv(w, "type", v.volume.type);
    if (v.probe) {
      kv(w, "filesystem", fs::fs_type_name(v.probe->type));
      kv(w, "label", v.probe->label);
      kv(w, "uuid", v.probe->uuid);
    }
    kv(w, "mount_point", v.mount_point);
    kv(w, "status", !v.volume.unsupported_reason.empty() ? "unsupported"
                    : !v.open_error.empty()              ? "error"
                    : v.tree                             ? "read"
                                                         : "no_filesystem");
    if (!v.volume.unsupported_reason.empty()) kv(w, "reason", v.volume.unsupported_reason);
    if (!v.open_error.empty()) kv(w, "reason", v.open_error);
    if (v.tree) kv(w, "reader", v.tree->info().reader);
    if (v.os) {
      kv(w, "os", v.os->pretty_name);
      kv(w, "hostname", v.os->hostname);
    }
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

void write_case_json(std::ostream& out, const inventory::Inventory& inv,
                     const std::vector<report::EvidenceRow>& evidence,
                     const std::vector<checks::Finding>& findings, const CaseSummary& summary,
                     const Diagnostics& diag, const RunInfo& run) {
  rapidjson::OStreamWrapper os(out);
  Writer w(os);
  w.SetIndent(' ', 1);
  w.StartObject();
  str(w, "deadbox");
  w.StartObject();
  kv(w, "version", DEADBOX_VERSION);
  kv(w, "git_commit", DEADBOX_GIT_COMMIT);
  w.EndObject();
  auto libs = image::library_versions();
  for (const auto& [k, v] : fs::library_versions()) libs[k] = v;
  string_map(w, "libraries", libs);

  str(w, "evidence");
  w.StartArray();
  for (const auto& e : evidence) {
    w.StartObject();
    kv(w, "files", e.files);
    kv(w, "format", e.format);
    kv(w, "media_size", e.size);
    string_map(w, "facts", e.facts);
    w.EndObject();
  }
  w.EndArray();

  str(w, "time_zone");
  w.StartObject();
  kv(w, "zone", summary.tz.zone);
  kv(w, "source", summary.tz.source);
  kv(w, "note", "all outputs are UTC; the zone only sets the CSV's human Date column");
  w.EndObject();
  volumes(w, inv);

  str(w, "counts");
  w.StartObject();
  for (const auto& [k, v] : summary.counts) kv(w, k, v);
  w.EndObject();
  str(w, "diagnostics");
  w.StartObject();
  for (const auto& [k, v] : diag.counts()) kv(w, k, v);
  w.EndObject();

  str(w, "findings_summary");
  w.StartObject();
  for (auto s : {checks::Severity::kCritical, checks::Severity::kHigh, checks::Severity::kMedium,
                 checks::Severity::kLow, checks::Severity::kInfo}) {
    uint64_t n = 0;
    for (const auto& f : findings) n += f.severity == s;
    kv(w, checks::severity_name(s), n);
  }
  w.EndObject();

  // Everything that legitimately differs between two runs on the same evidence.
  str(w, "run");
  w.StartObject();
  str(w, "argv");
  w.StartArray();
  for (const auto& a : run.argv) str(w, a);
  w.EndArray();
  kv(w, "started_utc", run.started);
  kv(w, "finished_utc", run.finished);
  w.EndObject();
  w.EndObject();
  out << "\n";
}

}  // namespace deadbox::examine::detail
