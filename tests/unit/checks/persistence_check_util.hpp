// SPDX-License-Identifier: Apache-2.0
// Test helpers for the persistence/execution/services checks: parse real text with the
// registered parsers into a RecordStore (as the driver would), run one check with the real
// artifacts/lists, and look findings up.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "deadbox/checks/check.hpp"
#include "deadbox/parsers/parser.hpp"

namespace deadbox::checks::persistence_testing {

class Case {
 public:
  /// Parses `text` as parser `id` would see the file at `path` on volume "p1".
  Case& add(std::string_view id, std::string path, std::string_view text,
            std::optional<int64_t> mtime = std::nullopt) {
    const parsers::Parser* p = parsers::find_parser(id);
    if (p == nullptr) throw std::runtime_error("no parser " + std::string(id));
    auto src = std::make_shared<parsers::Source>();
    src->volume = "p1";
    src->path = std::move(path);
    src->inode = 100 + records_.size();
    src->mtime = mtime;
    p->parse(text, src, records_, diag_);
    return *this;
  }

  std::vector<Finding> run(std::string_view check_id) const {
    const Check* c = find_check(check_id);
    if (c == nullptr) throw std::runtime_error("no check " + std::string(check_id));
    struct Sink : FindingSink {
      std::vector<Finding> all;
      void add(Finding f) override { all.push_back(std::move(f)); }
    } sink;
    c->run(records_, knowledge(), sink);
    return sink.all;
  }

  std::vector<Finding> run_all_checks() const {
    Diagnostics d;
    return checks::run_all(records_, knowledge(), d);
  }

  const parsers::RecordStore& records() const { return records_; }

  static const Knowledge& knowledge() {
    static const Knowledge k = Knowledge::load(DEADBOX_ARTIFACTS_DIR);
    return k;
  }

 private:
  parsers::RecordStore records_;
  Diagnostics diag_;
};

inline Severity max_severity(const std::vector<Finding>& fs) {
  Severity s = Severity::kInfo;
  for (const auto& f : fs) s = std::max(s, f.severity);
  return s;
}

/// All messages, for assertion output.
inline std::string dump(const std::vector<Finding>& fs) {
  std::string out;
  for (const auto& f : fs)
    out += std::string(severity_name(f.severity)) + " " + f.check_id + ": " + f.message + "\n";
  return out;
}

}  // namespace deadbox::checks::persistence_testing
