#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# report.html structure check for the examine tests: parses the page with html.parser and fails
# on any element, attribute, comment or link the report template does not write itself, so
# markup smuggled in through image names or log lines is caught however it got in.
#   check_report_html.py REPORT [--text STRING]...   (each STRING must appear as page text)
import re
import sys
from html.parser import HTMLParser

# Everything src/report/ writes. An image-controlled value must only ever be text.
TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "nav", "a", "main",
    "section", "h2", "h3", "p", "span", "b", "code", "div", "table", "tr", "th", "td",
    "details", "summary", "ul", "li", "footer", "svg", "rect", "text",
}
VOID = {"meta", "rect"}
ATTRS = {
    "html": {"lang"}, "meta": {"charset", "http-equiv", "content", "name"},
    "a": {"href"}, "section": {"id"}, "span": {"class"}, "p": {"class"}, "div": {"class"},
    "table": {"class"}, "td": {"class"}, "details": {"open"}, "footer": {"style"},
    "svg": {"xmlns", "width", "height", "role", "aria-label"},
    "rect": {"x", "y", "width", "height", "fill"},
    "text": {"x", "y", "font-size", "text-anchor"},
}
CLASSES = {"counts", "mono", "excerpt", "finding", "scroll", "rec", "long", "window", "sev",
           "critical", "high", "medium", "low", "info"}
CLASSES |= {"sev-" + s for s in ("critical", "high", "medium", "low", "info")}
SECTION_IDS = {"summary", "findings", "window", "records", "evidence", "coverage"}
HREF = re.compile(r"#(summary|findings|window|records|evidence|coverage)"
                  r"|artifacts/[A-Za-z0-9._%-]+(/[A-Za-z0-9._%-]+)*")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
META_CONTENT = {"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                "base-uri 'none'; form-action 'none'", "no-referrer"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.counts, self.text, self.stack = [], {}, [], []

    def bad(self, what):
        line, col = self.getpos()
        self.problems.append(f"line {line} col {col}: {what}")

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag not in TAGS:
            self.bad(f"element <{tag}> the template never writes")
        allowed = ATTRS.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.bad(f"event handler attribute {name}= on <{tag}>")
            elif name not in allowed:
                self.bad(f"attribute {name}= on <{tag}> the template never writes")
            elif name == "href" and not HREF.fullmatch(value):
                self.bad(f"link target {value!r} is neither a section nor a case file")
            elif name == "class" and not set(value.split()) <= CLASSES:
                self.bad(f"class {value!r}")
            elif name == "id" and value not in SECTION_IDS:
                self.bad(f"id {value!r}")
            elif name in ("x", "y", "width", "height", "font-size") and not NUMBER.fullmatch(value):
                self.bad(f"non-numeric {name}={value!r}")
            elif name == "content" and value not in META_CONTENT:
                self.bad(f"meta content {value!r}")
            elif name == "fill" and not re.fullmatch(r"#[0-9a-f]{6}", value):
                self.bad(f"fill {value!r}")
            if "javascript:" in value.lower():
                self.bad(f"javascript: in {name}= on <{tag}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in TAGS:
            self.bad(f"end tag </{tag}> the template never writes")
        if not self.stack or self.stack[-1] != tag:
            self.bad(f"</{tag}> does not close the open <{self.stack[-1] if self.stack else ''}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()

    def handle_data(self, data):
        # Text inside <style> is ours; elsewhere it is what the analyst reads.
        if not self.stack or self.stack[-1] != "style":
            self.text.append(data)

    def handle_comment(self, data):
        self.bad("comment (the template writes none)")

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.bad(f"declaration <!{decl}>")

    def handle_pi(self, data):
        self.bad(f"processing instruction <?{data}>")

    def unknown_decl(self, data):
        self.bad(f"unknown declaration {data!r}")


def main(argv):
    if len(argv) < 2:
        print(__doc__ or "usage: check_report_html.py REPORT [--text S]...", file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        raw = f.read()
    try:
        page = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"report.html is not valid UTF-8: {e}")
        return 1
    want = [argv[i + 1] for i in range(2, len(argv) - 1) if argv[i] == "--text"]
    c = Checker()
    c.feed(page)
    c.close()
    if c.stack:
        c.bad(f"unclosed elements at end: {c.stack}")
    lower = page.lower()
    for needle in ("<script", "javascript:", "<iframe", "<object", "<embed", "<img", "<link",
                   "<base", "<form", "<foreignobject"):
        if needle in lower:
            c.problems.append(f"raw {needle!r} in the page source")
    for tag, n in (("style", 1), ("title", 1), ("svg", None)):
        if n is not None and c.counts.get(tag, 0) != n:
            c.problems.append(f"<{tag}> appears {c.counts.get(tag, 0)} times, expected {n}")
    for sid in sorted(SECTION_IDS):
        if f'<section id="{sid}">' not in page:
            c.problems.append(f"section {sid} missing")
    text = "".join(c.text)
    for w in want:
        if w not in text:
            c.problems.append(f"expected text not shown to the reader: {w!r}")
    for p in c.problems[:50]:
        print(p)
    if len(c.problems) > 50:
        print(f"... {len(c.problems) - 50} more")
    print(f"elements: {sum(c.counts.values())}; problems: {len(c.problems)}")
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
