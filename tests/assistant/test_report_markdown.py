"""The Markdown report's escaping (``report_render.md_text``): only what would be markup
where the text stands is escaped (numbers stay "1.25" in table cells and prose), and
document or model text still creates no markup or HTML (issue 12 item 9). Checked by
rendering with markdown-it (CommonMark with GFM tables and strikethrough, raw HTML on)."""

import html
import re

import pytest
from markdown_it import MarkdownIt

from assistant.alerts.report_render import md_text

pytestmark = pytest.mark.unit

RENDER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

PLAIN = ["1.25", "+2.3", "-1.5", "2.25 h", "5.2 Checking shaft_alignment", "#1 pump", "E-104 (WO-7)",
         "Oil 10W-30, 0.5 l", "Hello!", "a & b"]
HOSTILE = ["# heading", "> quote", "- item", "+ item", "1. step", "3) step", "---", "___", "***",
           "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "![x](http://e.example/t.png)",
           "[click](javascript:alert(1))", "`code`", "*em* **strong** _em_ __strong__", "~~gone~~",
           "a | b", "\\| escaped", "&lt;script&gt;", "<!-- comment -->", "<http://e.example>",
           "| --- |", "x\n# second line", "1.25 | <b>bold</b>"]


def _shown(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.mark.parametrize("text", PLAIN + HOSTILE)
def test_a_paragraph_shows_the_text_as_written_and_nothing_else(text):
    out = RENDER.render(md_text(text))
    assert re.fullmatch(r"<p>[^<]*</p>\n", out), out  # one paragraph, no other element
    assert _shown(out) == " ".join(text.split())


@pytest.mark.parametrize("text", PLAIN + HOSTILE)
def test_a_table_cell_shows_the_text_as_written_and_nothing_else(text):
    cells = [md_text(t, cell=True) for t in ("head", text, "after")]
    out = RENDER.render(f"| {cells[0]} | h2 |\n|---|---|\n| {cells[1]} | {cells[2]} |\n")
    body = re.search(r"<tbody>\n<tr>\n<td>([^<]*)</td>\n<td>([^<]*)</td>\n</tr>\n</tbody>", out)
    assert body, out  # one row of two plain cells: no pipe split the row, no element inside
    assert _shown(body[1]) == " ".join(text.split()) and body[2] == "after"


@pytest.mark.parametrize("text", PLAIN)
def test_numbers_and_plain_words_are_not_escaped(text):
    assert md_text(text, cell=True) == html.escape(text, quote=False).replace("&gt;", ">")
    if not re.match(r"[#+-]\D", text):
        assert "\\" not in md_text(text)


def test_escapes_are_where_markdown_needs_them():
    assert md_text("1.25", cell=True) == "1.25" and md_text("+2.3", cell=True) == "+2.3"
    assert md_text("1. Isolate") == "1\\. Isolate" and md_text("1. Isolate", cell=True) == "1. Isolate"
    assert md_text("a|b", cell=True) == "a\\|b"
    assert md_text("<b>x</b>", cell=True) == "&lt;b>x&lt;/b>"
