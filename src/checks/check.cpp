// SPDX-License-Identifier: Apache-2.0
#include "deadbox/checks/check.hpp"

#include <algorithm>
#include <tuple>

namespace deadbox::checks {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view name) {
  for (auto s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh,
                 Severity::kCritical})
    if (severity_name(s) == name) return s;
  return std::nullopt;
}

const Check* find_check(std::string_view id) {
  for (const Check* c : all_checks())
    if (c->id == id) return c;
  return nullptr;
}

namespace {

class VectorSink final : public FindingSink {
 public:
  explicit VectorSink(std::vector<Finding>& out) : out_(out) {}
  void add(Finding f) override { out_.push_back(std::move(f)); }

 private:
  std::vector<Finding>& out_;
};

auto sort_key(const Finding& f) {
  static const Evidence kNone;
  const Evidence& e = f.evidence.empty() ? kNone : f.evidence.front();
  return std::make_tuple(-static_cast<int>(f.severity), std::cref(f.check_id),
                         std::cref(e.volume), std::cref(e.path), e.line, std::cref(f.message));
}

}  // namespace

std::vector<Finding> run_all(const parsers::RecordStore& records, const Knowledge& knowledge,
                             Diagnostics& diag) {
  std::vector<Finding> findings;
  for (const Check* check : all_checks()) {
    std::vector<Finding> mine;
    VectorSink sink(mine);
    try {
      check->run(records, knowledge, sink);
    } catch (const std::exception& e) {
      // One broken check must not cost the analyst the others.
      diag.add(DiagLevel::kError, Layer::kCheck, "check_failed",
               std::string(check->id) + ": " + e.what());
    }
    for (auto& f : mine) {
      if (f.check_id.empty()) f.check_id = check->id;
      if (f.title.empty()) f.title = check->title;
      if (f.attack_id.empty()) f.attack_id = check->attack_id;
      findings.push_back(std::move(f));
    }
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return sort_key(a) < sort_key(b); });
  return findings;
}

}  // namespace deadbox::checks
