"""Refusing zip bombs before a DOCX or XLSX file is opened.

Office files are zip packages, and python-docx and openpyxl read their parts
whole or row by row without a limit. The central directory declares every
part's size, and :mod:`zipfile` never inflates a part past its declared size
(it fails the CRC instead), so the declared sizes are safe to check up front.
The limits follow Apache POI's ``ZipSecureFile``: a part may not inflate more
than 100-fold once it is over 100 KB, and the package is bounded in parts and
in total size.

>>> check_zip(Path("tests/data/manual.docx"))
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from knowledge_base.errors import CorruptInput, FileTooLarge

MAX_RATIO = 100            # inflated / compressed size of one part
RATIO_GRACE = 100 * 1024   # parts smaller than this are not held to MAX_RATIO
MAX_PARTS = 10_000
MAX_UNZIPPED = 1024**3     # 1 GiB of parts in all


def check_zip(path: Path) -> None:
    """Raise CorruptInput for a file that is not a zip package or looks like a zip bomb."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptInput(path, f"not a readable {path.suffix[1:].upper()} file ({_one_line(exc)})") from None
    if len(parts) > MAX_PARTS:
        raise CorruptInput(path, f"zip package has {len(parts)} parts, over the limit of {MAX_PARTS}")
    total = sum(p.file_size for p in parts)
    if total > MAX_UNZIPPED:
        raise FileTooLarge(path, f"unzips to {total / 1024**2:.0f} MB, over the {MAX_UNZIPPED // 1024**2} MB limit")
    for part in parts:
        if part.file_size > RATIO_GRACE and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise CorruptInput(path, f"part {part.filename!r} inflates {part.file_size // max(part.compress_size, 1)}"
                                     f"-fold (over {MAX_RATIO}): a zip bomb?")


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
