"""Images inside DOCX and HTML files are not read (no OCR there): a note says so.

>>> skipped_note(0), skipped_note(1), skipped_note(3)
((), ('1 image skipped: text inside images is not read in this file type',), ('3 images skipped: text inside images is not read in this file type',))
"""

from __future__ import annotations


def skipped_note(count: int) -> tuple[str, ...]:
    """The file's note for ``count`` skipped images (none for zero)."""
    if count <= 0:
        return ()
    word = "image" if count == 1 else "images"
    return (f"{count} {word} skipped: text inside images is not read in this file type",)


def docx_images(document) -> int:
    """Pictures in a python-docx ``document`` (image parts of its main part)."""
    try:
        return sum(1 for rel in document.part.rels.values() if rel.reltype.endswith("/image"))
    except Exception:  # a broken relationship list is no reason to refuse the file
        return 0


def html_images(soup) -> int:
    """``<img>`` elements with a source in a BeautifulSoup tree."""
    return sum(1 for tag in soup.find_all("img") if tag.get("src"))
