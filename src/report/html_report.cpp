// SPDX-License-Identifier: Apache-2.0
// report.html: page frame, style and the Content-Security-Policy. No script at all: the CSP
// forbids it, so even an escaping bug cannot run code from the image.
#include <sstream>

#include "report/html_writer.hpp"

namespace deadbox::report {
namespace {

constexpr std::string_view kStyle = R"(
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#1b1f24;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
main{padding:8px 24px 40px;max-width:1400px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:16px 0;padding:8px 16px}
h2{font-size:17px;border-bottom:1px solid #eee;padding-bottom:4px}h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #e3e6ea;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f2f5}td{word-break:break-all}code,.mono{font-family:ui-monospace,monospace;font-size:12px}
.sev{font-weight:600;padding:1px 6px;border-radius:3px;color:#fff;white-space:nowrap}
.sev-critical{background:#7a0019}.sev-high{background:#c62828}.sev-medium{background:#ef6c00}
.sev-low{background:#5c6bc0}.sev-info{background:#78909c}
.finding{border-left:4px solid #ccc;padding:4px 10px;margin:10px 0}
.finding.critical{border-color:#7a0019}.finding.high{border-color:#c62828}
.finding.medium{border-color:#ef6c00}.finding.low{border-color:#5c6bc0}
.excerpt{background:#f6f8fa;padding:4px 6px;white-space:pre-wrap;word-break:break-all}
nav a{margin-right:14px;color:#9ecbff}.counts span{margin-right:16px}
details summary{cursor:pointer;font-weight:600;margin:6px 0}
.scroll{overflow-x:auto;max-width:100%}svg{max-width:100%;height:auto}
table.rec{width:auto;min-width:100%}table.rec td{word-break:normal;white-space:nowrap}
table.rec td.long{white-space:normal;overflow-wrap:anywhere;min-width:28em}
table.window td:nth-child(-n+4){white-space:nowrap;word-break:normal}
)";

}  // namespace

void write_html(const CaseData& d, std::ostream& out) {
  using detail::h;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
      << "<title>" << h(d.title) << "</title>\n<style>" << kStyle << "</style></head>\n<body>\n"
      << "<header><h1>" << h(d.title) << "</h1><nav><a href=\"#summary\">Summary</a>"
      << "<a href=\"#findings\">Findings</a><a href=\"#window\">Incident window</a>"
      << "<a href=\"#records\">Accounts, logins, persistence</a>"
      << "<a href=\"#evidence\">Evidence</a><a href=\"#coverage\">Coverage</a></nav></header>\n"
      << "<main>\n";
  detail::section_summary(out, d);
  detail::section_findings(out, d);
  detail::section_window(out, d);
  detail::section_records(out, d);
  detail::section_evidence(out, d);
  detail::section_coverage(out, d);
  out << "</main>\n<footer style=\"padding:8px 24px;color:#667\">deadbox "
      << h(d.deadbox_version) << "</footer>\n</body></html>\n";
}

std::string safe_relative_href(std::string_view rel) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  // Segment by segment so "." and ".." segments are encoded: the link stays in the case.
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = rel.find('/', start);
    if (end == std::string_view::npos) end = rel.size();
    std::string_view seg = rel.substr(start, end - start);
    if (!out.empty()) out += '/';
    const bool dots = seg == "." || seg == "..";
    for (char ch : seg) {
      const auto c = static_cast<unsigned char>(ch);
      const bool plain = !dots && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                   (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
      if (plain) {
        out += ch;
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
    }
    start = end + 1;
  }
  // A leading segment never looks like a scheme: ':' is always encoded above.
  return out;
}

}  // namespace deadbox::report
