"""Reading a page's HTML for anything a hostile record or address could make a browser run."""

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

DATA = Path(__file__).parent / "data"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background",
                  "poster", "lowsrc", "dynsrc", "codebase"}  # fmt: skip
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "livescript:")
# Never on the site's own pages.
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "isindex"}
# Drawn by the site's own charts; a payload must not add any.
COUNTED_TAGS = {"svg", "math", "style", "form", "meta", "link"}


def owasp_inputs():
    """The hand-picked hostile inputs of tests/data/owasp_inputs.txt, one a line."""
    lines = (DATA / "owasp_inputs.txt").read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line]


def xss_payloads():
    """The inputs of owasp_inputs.txt that try to get markup or a script URL into a page."""
    markers = ("<", "javascript", "vbscript", "data:")
    return [line for line in owasp_inputs() if any(m in line.lower() for m in markers)]


def squeeze(value):
    """A URL as a browser reads its scheme: without whitespace or control characters."""
    return "".join(ch for ch in value if ch > " ").lower()


class Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.tags = Counter()
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        names = {name for name, _ in attrs}
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"script element (src={src!r})")
            self._in_script = True
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"{name} attribute on <{tag}>")
        for name, value in attrs:
            if name in URL_ATTRIBUTES and squeeze(value or "").startswith(BAD_SCHEMES):
                self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._in_script = False

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:60]!r}")


def read_markup(page):
    parser = Markup()
    parser.feed(page)
    parser.close()
    return parser


def unsafe_markup(page, baseline=None):
    """What in `page` a browser could run: scripts, on* handlers, script URLs, frames...

    With `baseline` (the same page without the hostile input), also any <svg>, <math>, <style>,
    <form>, <meta> or <link> more than the baseline has.
    """
    found = read_markup(page)
    problems = list(found.problems)
    if baseline is not None:
        before = read_markup(baseline).tags
        for tag in COUNTED_TAGS:
            if found.tags[tag] > before[tag]:
                problems.append(f"{found.tags[tag] - before[tag]} more <{tag}> than without it")
    return problems
