"""Loaders: every input format into a :class:`~knowledge_base.types.ParsedDocument`.

Manuals (PDF, Markdown, text, HTML, DOCX) become structure-aware ``blocks``;
fault-log exports (CSV, JSON / JSON Lines, XLSX) become WorkOrder ``records``,
other tables (FMEA sheets, registers, code lists) table-row ``blocks``.
:func:`load_file` is the one entry point: it checks the file, picks the
loader by extension and guarantees that failures surface as one-line
IngestErrors naming the file.

>>> sorted(SUPPORTED)[:4]
['.adoc', '.asciidoc', '.csv', '.docx']
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from knowledge_base.errors import CorruptInput, EmptyInput, FileTooLarge, IngestError, UnsupportedFormat
from knowledge_base.types import ParsedDocument

from .columns import load_mapping_file
from .logs import load_csv, load_json, load_xlsx
from .markdown import load_markdown
from .options import Loader, LoadOptions
from .pdf import load_pdf
from .plaintext import load_text
from .suggest import Suggestion, suggest_mapping
from .textio import encoding_note
from .webpage import load_html
from .word import load_docx

__all__ = ["LOADERS", "SUPPORTED", "LoadOptions", "Loader", "Suggestion", "load_file", "load_mapping_file",
           "suggest_mapping"]

LOADERS: dict[str, Loader] = {
    ".pdf": load_pdf,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".rst": load_text,
    ".adoc": load_text,
    ".asciidoc": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".docx": load_docx,
    ".csv": load_csv,
    ".json": load_json,
    ".jsonl": load_json,
    ".xlsx": load_xlsx,
}
SUPPORTED = frozenset(LOADERS)


def load_file(path: Path, options: LoadOptions = LoadOptions()) -> ParsedDocument:
    """Read one file; raise an IngestError subclass when it cannot be read or holds no text."""
    path = Path(path)
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise UnsupportedFormat(path, f"unsupported file type {path.suffix or '(none)'!r}; "
                                      f"supported: {' '.join(sorted(SUPPORTED))}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(path, f"cannot read file: {exc.strerror or exc}") from None
    if size == 0:
        raise EmptyInput(path, "file is empty (0 bytes)")
    if size > options.max_file_mb * 1024 * 1024:
        raise FileTooLarge(path, f"{size / 1024 / 1024:.1f} MB is over the {options.max_file_mb:g} MB limit")
    try:
        doc = loader(path, options)
    except IngestError:
        raise
    except Exception as exc:  # a parser bug or odd input must not escape as a traceback
        raise CorruptInput(path, f"cannot parse as {path.suffix.lower()[1:].upper()}: "
                                 f"{type(exc).__name__}: {exc}") from exc
    if not doc.blocks and not doc.records:
        raise EmptyInput(path, "no text in it (only whitespace or markup)")
    if note := encoding_note(path):
        doc = replace(doc, notes=(note, *doc.notes))
    return doc
