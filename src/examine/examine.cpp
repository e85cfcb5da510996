// SPDX-License-Identifier: Apache-2.0
// `deadbox examine`: evidence → one walk per filesystem feeding every consumer → checks →
// the case folder and the report. Phases that fail on one volume leave a diagnostic and the
// rest of the case is still written.
#include "deadbox/examine/examine.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "deadbox/artifacts/definition.hpp"
#include "deadbox/artifacts/matcher.hpp"
#include "deadbox/checks/check.hpp"
#include "deadbox/collect/collect.hpp"
#include "deadbox/collect/output.hpp"
#include "deadbox/extract/extractor.hpp"
#include "deadbox/extract/output_dir.hpp"
#include "deadbox/timeline/bodyfile.hpp"
#include "deadbox/timeline/csv.hpp"
#include "deadbox/timeline/jsonl.hpp"
#include "deadbox/util/error.hpp"
#include "deadbox/util/escape.hpp"
#include "deadbox/util/time_format.hpp"
#include "examine/internal.hpp"

namespace deadbox::examine {
namespace {

using detail::CaseFile;
namespace fsys = std::filesystem;

constexpr int64_t kWindowHalfWidth = 3600LL * timefmt::kNsPerSec;  // ±1 h around the evidence
constexpr size_t kMaxWindowEvents = 5000;

std::string now_iso() {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return timefmt::iso_seconds(ns);
}

std::vector<report::EvidenceRow> evidence_rows(inventory::Inventory& inv, bool hash,
                                               detail::CaseSummary& summary, Diagnostics& diag) {
  std::vector<report::EvidenceRow> rows;
  for (auto& ev : inv.evidence) {
    report::EvidenceRow row;
    for (const auto& p : ev.paths) row.files += (row.files.empty() ? "" : " ") + p;
    if (!ev.image) {
      row.format = "unreadable";
      row.facts["error"] = ev.error;
      rows.push_back(std::move(row));
      continue;
    }
    const auto& info = ev.image->info();
    row.format = info.format;
    row.size = info.media_size;
    for (const auto& [k, v] : info.metadata) row.facts[k] = v;
    if (info.stored_md5) row.facts["stored_md5"] = *info.stored_md5;
    if (info.stored_sha1) row.facts["stored_sha1"] = *info.stored_sha1;
    if (info.backing_file) row.facts["backing_file"] = *info.backing_file;
    if (hash) {
      try {
        const auto h = image::hash_media(*ev.image);
        row.facts["md5"] = h.md5;
        row.facts["sha1"] = h.sha1;
        row.facts["sha256"] = h.sha256;
        if (info.stored_md5)
          row.facts["md5_matches_stored"] = h.md5 == *info.stored_md5 ? "yes" : "NO";
        if (!h.checksum_error_ranges.empty())
          row.facts["checksum_error_ranges"] = std::to_string(h.checksum_error_ranges.size());
        if (h.unreadable_bytes != 0)
          row.facts["unreadable_bytes"] = std::to_string(h.unreadable_bytes);
        summary.evidence_hashes[row.files] = h.sha256;
      } catch (const Error& e) {
        diag.add(DiagLevel::kError, Layer::kImage, e.code(), e.what());
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<report::VolumeRow> volume_rows(const inventory::Inventory& inv) {
  std::vector<report::VolumeRow> rows;
  for (const auto& v : inv.volumes) {
    report::VolumeRow r;
    r.name = v.volume.name;
    r.table = v.volume.table;
    r.offset = v.volume.offset;
    r.length = v.volume.length;
    r.type = v.volume.type_description.empty() ? v.volume.type : v.volume.type_description;
    if (v.probe) {
      r.fs = fs::fs_type_name(v.probe->type);
      r.label = v.probe->label;
      r.uuid = v.probe->uuid;
    }
    r.mount_point = v.mount_point;
    r.status = !v.volume.unsupported_reason.empty() ? v.volume.unsupported_reason
               : !v.open_error.empty()              ? v.open_error
               : v.tree                             ? "read"
                                                    : "no filesystem read";
    rows.push_back(std::move(r));
  }
  return rows;
}

std::map<std::string, std::string> host_facts(const inventory::Inventory& inv,
                                              const detail::TimeZoneDecision& tz) {
  std::map<std::string, std::string> facts;
  for (const auto& v : inv.volumes) {
    if (!v.os) continue;
    const std::string where = " (" + v.volume.name + ")";
    if (!v.os->hostname.empty()) facts["hostname" + where] = v.os->hostname;
    if (!v.os->pretty_name.empty()) facts["os" + where] = v.os->pretty_name;
  }
  for (const auto& v : inv.volumes)
    if (!v.mount_point.empty()) facts["mount " + v.mount_point] = v.volume.name;
  facts["time zone"] = tz.zone + " (" + tz.source + ")";
  return facts;
}

std::map<std::string, std::string> attack_names(const checks::Knowledge& k) {
  std::map<std::string, std::string> out;
  for (const auto& line : k.list("attack_techniques")) {
    const auto bar = line.find('|');
    if (bar != std::string::npos) out[line.substr(0, bar)] = line.substr(bar + 1);
  }
  return out;
}

int exit_code(const inventory::Inventory& inv, const std::vector<checks::Finding>& findings,
              checks::Severity fail_on, const Diagnostics& diag) {
  const int inv_code = inv.exit_code();
  if (inv_code == kExitEvidenceUnreadable || inv_code == kExitNeedsParent) return inv_code;
  for (const auto& f : findings)
    if (f.severity >= fail_on) return kExitFindings;
  if (inv_code != kExitOk || diag.count(DiagLevel::kError) > 0) return kExitPartial;
  return kExitOk;
}

}  // namespace

int run(const Options& o) {
  const auto fail_on = checks::parse_severity(o.fail_on);
  if (!fail_on) throw Error(Layer::kCli, "usage", "--fail-on", "unknown severity " + o.fail_on);
  detail::RunInfo run_info{o.argv, now_iso(), {}};
  const bool tty = isatty(STDERR_FILENO) == 1;
  detail::Progress progress(std::cerr, !o.quiet && (o.progress || tty), 0);

  // Definitions and lists first: a broken artifacts/ folder fails before any evidence work.
  const auto registry = artifacts::Registry::load(o.artifacts_dir);
  const auto knowledge = checks::Knowledge::load(o.artifacts_dir);

  progress.phase("opening evidence");
  inventory::Options iopts;
  if (!o.qcow_parent.empty()) iopts.open.qcow_parent = o.qcow_parent;
  inventory::Inventory inv = inventory::open(o.images, iopts);
  for (const auto& ev : inv.evidence)
    if (!ev.error.empty()) std::cerr << "deadbox: " << escape::terminal(ev.error) << "\n";
  const bool any_image = std::any_of(inv.evidence.begin(), inv.evidence.end(),
                                     [](const inventory::Evidence& e) { return e.image; });
  if (!any_image) return std::max(inv.exit_code(), static_cast<int>(kExitEvidenceUnreadable));

  // The case folder: refused when it holds anything and --force is not given.
  extract::OutputDir case_guard = extract::OutputDir::open(o.output, o.force);
  const fsys::path case_dir = o.output;
  detail::make_case_dir(case_dir / "timeline");
  extract::OutputDir artifacts_out = extract::OutputDir::open((case_dir / "artifacts").string(),
                                                              true);
  Diagnostics diag;
  diag.merge(inv.diag);
  detail::CaseSummary summary;
  summary.tz = detail::decide_time_zone(o.tz, inv);

  CaseFile body_file(case_dir / "timeline" / "bodyfile.txt");
  CaseFile csv_file(case_dir / "timeline" / "timeline.csv");
  CaseFile jsonl_file(case_dir / "timeline" / "timeline.jsonl");
  timeline::BodyfileWriter body(body_file.stream(), timeline::BodyfileOptions{});
  timeline::CsvOptions csv_opts;
  csv_opts.tz = summary.tz.zone;
  csv_opts.spool_dir = (case_dir / "timeline").string();
  timeline::CsvWriter csv(csv_file.stream(), csv_opts);
  timeline::JsonlWriter jsonl(jsonl_file.stream(), timeline::JsonlOptions{});

  // The extractor's matcher needs the image's homes, which collect reads before the walk.
  std::unique_ptr<artifacts::Matcher> matcher;
  std::unique_ptr<extract::Extractor> extractor;
  collect::Options copts;
  copts.knowledge = &knowledge;
  copts.extra_consumers = [&](const std::vector<std::string>& homes) {
    matcher = std::make_unique<artifacts::Matcher>(registry, std::vector<std::string>{}, homes);
    extractor = std::make_unique<extract::Extractor>(*matcher, artifacts_out);
    return std::vector<pipeline::WalkConsumer*>{&body, &csv, &jsonl, extractor.get(), &progress};
  };
  parsers::RecordStore records;
  progress.phase("walking filesystems");
  collect::run(inv, o.artifacts_dir, {}, copts, records, diag);
  progress.phase("checks");
  const auto findings = checks::run_all(records, knowledge, diag);

  progress.phase("writing the case");
  csv.finish();
  if (extractor) {
    extractor->write_manifest();
    const auto& s = extractor->summary();
    summary.counts["artifact_files_extracted"] = s.files;
    summary.counts["artifact_bytes_extracted"] = s.bytes;
    summary.counts["artifact_files_capped"] = s.capped;
    summary.counts["artifact_rows_skipped"] = s.skipped;
    summary.counts["artifact_files_failed"] = s.failed;
    summary.counts["deleted_files_recovered"] = s.deleted;
  }
  summary.counts["timeline_bodyfile_lines"] = body.lines();
  summary.counts["timeline_csv_rows"] = csv.rows();
  const auto logs = detail::record_events(records);
  const auto finding_evs = detail::finding_events(findings);
  for (const auto* evs : {&logs, &finding_evs})
    for (const auto& e : *evs) timeline::write_jsonl_event(jsonl_file.stream(), e);
  summary.counts["timeline_jsonl_events"] = jsonl.events() + logs.size() + finding_evs.size();
  summary.counts["records"] = records.size();
  summary.counts["findings"] = findings.size();
  summary.counts["entries_walked"] = progress.entries();
  body_file.close();
  csv_file.close();
  jsonl_file.close();

  collect::write_records_jsonl(records, case_dir);
  {
    CaseFile f(case_dir / "findings.jsonl");
    collect::write_findings_jsonl(findings, f.stream());
    f.close();
  }

  report::CaseData data;
  data.title = "deadbox case report";
  data.deadbox_version = DEADBOX_VERSION " (" DEADBOX_GIT_COMMIT ")";
  data.evidence = evidence_rows(inv, o.hash, summary, diag);
  data.volumes = volume_rows(inv);
  data.host = host_facts(inv, summary.tz);
  data.findings = findings;
  data.records = &records;
  data.diagnostics = &diag;
  data.counts = summary.counts;
  data.attack = attack_names(knowledge);
  if (extractor)
    for (const auto& row : extractor->rows())
      if (!row.extracted_as.empty()) data.extracted[row.path] = "artifacts/" + row.extracted_as;
  if (auto span = detail::incident_span(findings, checks::Severity::kHigh, kWindowHalfWidth)) {
    data.window_start = span->start - kWindowHalfWidth;
    data.window_end = span->end + kWindowHalfWidth;
    data.window = detail::window_events(case_dir / "timeline" / "bodyfile.txt", logs, findings,
                                        data.window_start, data.window_end, kMaxWindowEvents);
  }
  {
    CaseFile f(case_dir / "report.html");
    report::write_html(data, f.stream());
    f.close();
  }
  run_info.finished = now_iso();
  {
    CaseFile f(case_dir / "case.json");
    detail::write_case_json(f.stream(), inv, data.evidence, findings, summary, diag, run_info);
    f.close();
  }
  progress.done();
  if (!o.quiet) detail::print_summary(std::cerr, findings, case_dir, summary.counts);
  return exit_code(inv, findings, *fail_on, diag);
}

}  // namespace deadbox::examine
