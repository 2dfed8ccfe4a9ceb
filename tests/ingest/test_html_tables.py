"""HTML tables whose cells span rows or columns (``ingest.loaders.webpage._grid``)."""

import pytest

from ingest.loaders import load_file

pytestmark = pytest.mark.unit

# A device list as sane-backends.html writes it: the manufacturer cell spans its
# models' rows (and its <td> is never closed), a comment cell spans two columns.
DEVICES = """<html><body><h2>Backend: genesys</h2><table border=1>
<tr><th>Manufacturer</th><th>Model</th><th>Interface</th><th>USB id</th><th>Status</th><th>Comment</th></tr>
<tr><td rowspan=2><a href="x">Plustek</a>
<td>OpticBook 3600</td><td>USB</td><td>0x07b3/0x0900</td><td>Basic</td><td>Has a Primax USB ID</td></tr>
<tr><td>OpticFilm 7200</td><td>USB</td><td>0x07b3/0x0807</td><td>Complete</td><td>900 dpi</td></tr>
<tr><td>Canon</td><td>LiDE 220</td><td>USB</td><td>0x04a9/0x190f</td><td colspan=2>see the manual</td></tr>
</table></body></html>"""


def test_a_row_spanning_cell_stays_under_its_header_in_every_row(tmp_path):
    p = tmp_path / "devices.html"
    p.write_text(DEVICES)
    rows = [b.text for b in load_file(p).blocks if b.kind == "table_row"]
    assert rows[1] == ("Manufacturer: Plustek | Model: OpticFilm 7200 | Interface: USB | USB id: 0x07b3/0x0807"
                       " | Status: Complete | Comment: 900 dpi")
    assert rows[0].startswith("Manufacturer: Plustek | Model: OpticBook 3600 |")
    assert rows[2] == ("Manufacturer: Canon | Model: LiDE 220 | Interface: USB | USB id: 0x04a9/0x190f"
                       " | Status: see the manual | Comment: see the manual")
