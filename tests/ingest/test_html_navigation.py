"""Generated manuals' page navigation (texinfo, Sphinx, DocBook) is not ingested as content."""

import pytest

pytestmark = pytest.mark.unit


def test_generated_manuals_page_navigation_is_not_content(tmp_path):
    from ingest.loaders.options import LoadOptions
    from ingest.loaders.webpage import load_html

    page = tmp_path / "FAQ.html"
    page.write_text(
        '<html><body><div class="header"><p>Next: <a href="a.html">Tcl</a>, Previous: <a href="b.html">API</a>, '
        'Up: <a href="index.html">Guide</a> [Contents][Index]</p></div>'
        '<h2>22 FAQ</h2><p>ARM11 cores use an 8:1 division.</p>'
        '<div class="sphinxsidebar" role="navigation"><h3>Navigation</h3><ul><li>Quick starter guide</li></ul></div>'
        '<div class="navfooter"><table><tr><td>Prev</td><td>Up</td><td>Next</td></tr></table></div>'
        '</body></html>', encoding="utf-8")
    text = " ".join(b.text for b in load_html(page, LoadOptions()).blocks)
    assert "8:1 division" in text
    assert "Previous" not in text and "Quick starter" not in text and "Prev" not in text
