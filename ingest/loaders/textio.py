"""Reading text files strictly as UTF-8, and spotting the equipment model.

Bytes that are not UTF-8 are refused (EncodingError with the byte offset)
rather than guessed at: a wrongly decoded manual would silently index
mojibake.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from knowledge_base.errors import EncodingError

# "Model: CP-80S", "Equipment model: XR 200", "Model no.: 4711-B". No two \s* side by
# side: on a long run of spaces that made the match take quadratic time.
_MODEL = re.compile(
    r"^\W*(?:equipment\s+|machine\s+)?model(?:\s+(?:no\.?|number))?\s*[:#]\s*(?:\*+\s*)?"
    r"(?P<model>[A-Za-z0-9][\w./-]*(?:\s[A-Z0-9][\w./-]*)?)",
    re.IGNORECASE,
)


def read_text(path: Path) -> str:
    """The file's text; a UTF-8 byte-order mark is accepted and dropped."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(path, f"not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x})") from None


def find_model(lines: Iterable[str], limit: int = 40) -> str | None:
    """The model named by a ``Model: XXX`` line among the first ``limit`` lines.

    >>> find_model(["# CP-80S Pump", "", "Model: CP-80S", "Model: other"])
    'CP-80S'
    >>> find_model(["**Equipment model:** XR 200"]) is None, find_model(["The model is big"])
    (False, None)
    """
    for i, line in enumerate(lines):
        if i >= limit:
            break
        m = _MODEL.match(line.replace("**", "").strip())
        if m:
            return m.group("model").strip()
    return None
