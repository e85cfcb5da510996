// SPDX-License-Identifier: Apache-2.0
// Small helpers for building the report's HTML: every text goes through escape::html.
#pragma once
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "deadbox/report/report.hpp"
#include "deadbox/util/escape.hpp"

namespace deadbox::report::detail {

inline std::string h(std::string_view s) { return escape::html(s); }

/// <table> with a header row; cells are escaped here, so callers pass raw text.
void table(std::ostream& out, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows, std::string_view css_class = {});

void section_summary(std::ostream& out, const CaseData& d);
void section_evidence(std::ostream& out, const CaseData& d);
void section_findings(std::ostream& out, const CaseData& d);
void section_window(std::ostream& out, const CaseData& d);
void section_records(std::ostream& out, const CaseData& d);
void section_coverage(std::ostream& out, const CaseData& d);

}  // namespace deadbox::report::detail
