"""OCR letter confusions undone against English and the document's own words."""

from pathlib import Path

import pytest

from ingest.loaders.ocr_pages import ScannedPages
from ingest.loaders.ocr_words import Lexicon, mend, mend_text
from ingest.loaders.pdftext import Line


@pytest.mark.unit
@pytest.mark.parametrize("token, mended", [
    ("Possibie", "Possible"), ("spindie", "spindle"), ("bearing", "bearing"), ("E-104", "E-104"),
    ("F0023", "F0023"), ("bearing_de_rms", "bearing_de_rms"), ("AquaMax", "AquaMax"), ("VFD", "VFD"),
    ("cause:", "cause:"), ("Ioose", "Loose"), ("rnodule;", "module;"), ("the", "the"), ("xqzv", "xqzv"),
])
def test_mend_only_words_with_one_english_reading(token, mended):
    assert mend(token, Lexicon.english()) == mended


@pytest.mark.unit
def test_the_documents_majority_spelling_wins_for_words_english_lacks():
    doc = Lexicon.of_document(["regrease the overvoltage relay", "overvoltage trip", "overvoitage"])
    assert mend_text("Overvoitage fault", doc) == "Overvoltage fault"
    assert mend_text("overvoltage", doc) == "overvoltage"  # never mended towards the rarer reading
    assert mend_text("Overvoitage fault", Lexicon.english()) == "Overvoitage fault"


@pytest.mark.unit
def test_only_ocr_pages_are_mended(tmp_path):
    scanned = ScannedPages(Path(tmp_path / "m.pdf"))
    scanned.read_by_ocr.append(2)
    pages = [[Line("Possibie causes (text layer)")], [Line("Possibie causes: spindie bearing")]]
    out = scanned.mend(pages)
    assert out[0][0].text == "Possibie causes (text layer)"
    assert out[1][0].text == "Possible causes: spindle bearing" and out[1][0].x == pages[1][0].x
    assert ScannedPages(Path(tmp_path / "t.pdf")).mend(pages) is pages


@pytest.mark.unit
def test_underscore_names_read_elsewhere_in_the_document_are_restored(tmp_path):
    scanned = ScannedPages(Path(tmp_path / "m.pdf"))
    scanned.read_by_ocr.extend([1, 2])
    pages = [[Line("Signal suction_pressure_bar bar(g)")],
             [Line("Cavitation (suction pressure_bar below 0.3 bar); belt speed low; suction pressure high")]]
    out = scanned.mend(pages)
    assert out[1][0].text == ("Cavitation (suction_pressure_bar below 0.3 bar); belt speed low; "
                              "suction pressure high")  # plain words with no underscore left stay apart
