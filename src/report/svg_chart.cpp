// SPDX-License-Identifier: Apache-2.0
// Inline SVG histogram of incident-window events: numbers only, no text from the image.
#include <algorithm>
#include <array>
#include <sstream>

#include "deadbox/report/report.hpp"
#include "deadbox/util/time_format.hpp"

namespace deadbox::report {

std::string window_chart_svg(const std::vector<WindowEvent>& events, int64_t start, int64_t end) {
  constexpr int kBins = 60, kWidth = 900, kHeight = 160, kPad = 30;
  constexpr std::array<std::string_view, 3> kSources{"fs", "log", "finding"};
  constexpr std::array<std::string_view, 3> kColors{"#78909c", "#1e88e5", "#c62828"};
  if (end <= start) return {};
  std::array<std::array<int, kBins>, 3> counts{};
  const long double span = static_cast<long double>(end - start);
  for (const auto& e : events) {
    if (e.ns < start || e.ns > end) continue;
    int bin = static_cast<int>((e.ns - start) / span * kBins);
    bin = std::clamp(bin, 0, kBins - 1);
    for (size_t s = 0; s < kSources.size(); ++s)
      if (e.source == kSources[s]) ++counts[s][static_cast<size_t>(bin)];
  }
  int max = 1;
  for (int b = 0; b < kBins; ++b) {
    int total = 0;
    for (const auto& c : counts) total += c[static_cast<size_t>(b)];
    max = std::max(max, total);
  }
  std::ostringstream svg;
  const double bar_w = static_cast<double>(kWidth - 2 * kPad) / kBins;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\""
      << kHeight + 44 << "\" role=\"img\" aria-label=\"events per time bin\">";
  for (int b = 0; b < kBins; ++b) {
    double y = kHeight;
    for (size_t s = 0; s < kSources.size(); ++s) {
      const int n = counts[s][static_cast<size_t>(b)];
      if (n == 0) continue;
      const double hgt = static_cast<double>(n) / max * (kHeight - 10);
      y -= hgt;
      svg << "<rect x=\"" << kPad + b * bar_w << "\" y=\"" << y << "\" width=\"" << bar_w - 1
          << "\" height=\"" << hgt << "\" fill=\"" << kColors[s] << "\"/>";
    }
  }
  svg << "<text x=\"" << kPad << "\" y=\"" << kHeight + 18 << "\" font-size=\"11\">"
      << timefmt::iso_seconds(start) << "</text><text x=\"" << kWidth - kPad
      << "\" y=\"" << kHeight + 18 << "\" font-size=\"11\" text-anchor=\"end\">"
      << timefmt::iso_seconds(end) << "</text>";
  for (size_t s = 0; s < kSources.size(); ++s)
    svg << "<rect x=\"" << kPad + 120 * s << "\" y=\"" << kHeight + 32
        << "\" width=\"10\" height=\"8\" fill=\"" << kColors[s] << "\"/><text x=\""
        << kPad + 120 * s + 14 << "\" y=\"" << kHeight + 40 << "\" font-size=\"11\">"
        << kSources[s] << "</text>";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace deadbox::report
