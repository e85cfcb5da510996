// SPDX-License-Identifier: Apache-2.0
#include "deadbox/report/report.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace deadbox::report {
namespace {

const char* const kHostile[] = {
    "<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>",
    "\"><svg onload=alert(1)>",     "javascript:alert(1)",
    "\x1b]0;title\x07\x9b" "2J",    "' onmouseover='alert(1)",
};

CaseData hostile_case(parsers::RecordStore& store) {
  CaseData d;
  d.deadbox_version = "test";
  for (const char* s : kHostile) {
    checks::Finding f;
    f.check_id = "files/test";
    f.title = s;
    f.severity = checks::Severity::kHigh;
    f.message = s;
    checks::Evidence e;
    e.volume = s;
    e.path = std::string("/etc/") + s;
    e.excerpt = s;
    e.times.push_back({"mtime", 1'700'000'000'000'000'000});
    f.evidence.push_back(e);
    d.findings.push_back(f);
    d.extracted[e.path] = std::string("artifacts/p1/../../") + s;
    d.window.push_back({1'700'000'000'000'000'000, "fs", "m...", s, s});
    d.host[s] = s;
    parsers::Record r;
    r.type = "unix/passwd";
    auto src = std::make_shared<parsers::Source>();
    src->path = s;
    r.source = src;
    r.set("name", std::string(s));
    store.add(r);
  }
  d.records = &store;
  d.window_start = 1'699'999'000'000'000'000;
  d.window_end = 1'700'001'000'000'000'000;
  return d;
}

TEST(HtmlReport, NoMarkupOrEscapeBytesFromTheImage) {
  parsers::RecordStore store;
  std::ostringstream out;
  write_html(hostile_case(store), out);
  const std::string html = out.str();
  for (const char* s : kHostile) {
    if (std::string_view(s).find_first_of("<>\"'\x1b") != std::string_view::npos) {
      EXPECT_EQ(html.find(s), std::string::npos) << s;
    }
  }
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);  // as text it is harmless
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("onload="), html.find("onload=alert"));  // only as escaped text
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  EXPECT_EQ(html.find('\x9b'), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  // Every tag in the page is one the template writes.
  const std::regex tag("<([a-zA-Z][a-zA-Z0-9]*)");
  const std::set<std::string> allowed{"html", "head", "meta", "title", "style", "body", "header",
                                      "h1", "nav", "a", "main", "section", "h2", "h3", "p",
                                      "span", "table", "tr", "th", "td", "div", "b", "code",
                                      "details", "summary", "ul", "li", "svg", "rect", "text",
                                      "footer"};
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it)
    EXPECT_TRUE(allowed.count((*it)[1].str())) << (*it)[1].str();
}

TEST(HtmlReport, LinksCannotLeaveTheCaseOrFormASchemeOrAttribute) {
  EXPECT_EQ(safe_relative_href("artifacts/p1/../../x"), "artifacts/p1/%2E%2E/%2E%2E/x");
  EXPECT_EQ(safe_relative_href("javascript:alert(1)"), "javascript%3Aalert%281%29");
  EXPECT_EQ(safe_relative_href("a\"b c"), "a%22b%20c");
}

TEST(HtmlReport, ChartIsNumbersOnly) {
  std::vector<WindowEvent> ev{{10, "fs", "m", "<x>", "v"}, {20, "log", "e", "y", "v"}};
  const std::string svg = window_chart_svg(ev, 0, 100);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_EQ(svg.find("<x>"), std::string::npos);
}

}  // namespace
}  // namespace deadbox::report
