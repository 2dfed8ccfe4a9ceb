"""Word manuals (.docx), read with python-docx in body order.

Heading styles give the section path (the Title style or a leading Heading 1
names the document); "List Number" paragraphs and paragraphs starting ``1.``
are procedure steps; each table row is a block; warnings as everywhere else.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from knowledge_base.errors import CorruptInput, EncryptedInput
from knowledge_base.types import MANUAL, ParsedDocument

from .images import docx_images, skipped_note
from .options import LoadOptions
from .structure import BlockBuilder, step_number
from .textio import find_model
from .zipguard import check_zip

# Office files saved with a password are OLE compound files, not zip packages.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"^Heading (\d)$")


def open_docx(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    with path.open("rb") as f:
        if f.read(8) == OLE_MAGIC:
            raise EncryptedInput(path, "document is password protected (or a legacy .doc file)")
    check_zip(path)
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise CorruptInput(path, f"not a readable DOCX file ({type(exc).__name__})") from None


def load_docx(path: Path, options: LoadOptions) -> ParsedDocument:
    from docx.table import Table

    document = open_docx(path)
    reader = _Reader()
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            reader.table(item)
        else:
            reader.paragraph(item)
    reader.flush_steps()
    title = reader.title or (document.core_properties.title or "").strip() or reader.builder.first_heading
    return ParsedDocument(
        source=str(path), title=title or path.stem, doc_type=MANUAL, blocks=reader.builder.blocks(),
        equipment_model=options.asset_model or find_model(reader.lines),
        notes=skipped_note(docx_images(document)),
    )


class _Reader:
    def __init__(self) -> None:
        self.builder = BlockBuilder()
        self.title: str | None = None
        self.steps: list[str] = []
        self.lines: list[str] = []  # paragraph texts, for the model line

    def paragraph(self, par) -> None:
        text = " ".join(par.text.split())
        if not text:
            return
        self.lines.append(text)
        style = par.style.name if par.style is not None else ""
        level = _heading_level(style)
        if style.startswith("List Number") or (step_number(text) is not None and level is None):
            number = len(self.steps) + 1
            self.steps.append(text if step_number(text) is not None else f"{number}. {text}")
            return
        self.flush_steps()
        if style == "Title" and self.title is None:
            self.title = text
        elif level is not None:
            if level == 1 and self.title is None and self.builder.first_heading is None and not self.builder.blocks():
                self.title = text  # a leading Heading 1 names the document
            else:
                self.builder.heading(text, level)
        else:
            self.builder.paragraph(text)

    def flush_steps(self) -> None:
        if self.steps:
            self.builder.procedure(self.steps)
            self.steps = []

    def table(self, table) -> None:
        self.flush_steps()
        rows = [[" ".join(cell.text.split()) for cell in _unique_cells(row)] for row in table.rows]
        if len(rows) < 2:
            for row in rows:
                self.builder.table_row([], row)
            return
        for row in rows[1:]:
            self.builder.table_row(rows[0], row)


def _unique_cells(row):
    # Merged cells appear once per grid column they span; keep each once.
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _heading_level(style: str) -> int | None:
    m = _HEADING_STYLE.match(style)
    return int(m.group(1)) if m else None
