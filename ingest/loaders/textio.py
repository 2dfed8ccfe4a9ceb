"""Reading text files, and spotting the equipment model.

UTF-8 (with or without a byte-order mark) is read as is. Other bytes are
decoded with the encoding charset-normalizer detects (cp1252, latin-1,
Shift-JIS, UTF-16 ...), and :func:`encoding_note` names it, so the ingest
summary says which files were guessed at; bytes no encoding explains
(binary data) are refused with an EncodingError giving the byte offset.
"""

from __future__ import annotations

import contextvars
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


_DETECTED: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("detected", default=None)


def read_text(path: Path) -> str:
    """The file's text; a UTF-8 byte-order mark is accepted and dropped, other
    encodings are detected (and remembered for :func:`encoding_note`)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text, encoding = _detect(data) if _nul_free_or_wide(data) else (None, "")
        if text is None or _binary(text):
            raise EncodingError(path, f"not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}) "
                                      "and no text encoding fits (binary data?)") from None
        _DETECTED.set((str(path), encoding))
        return text


# Legacy encodings in the order they are met in exports and manuals. charset-normalizer
# scores a short German text as well in cp775 as in cp1252; among its near-best
# candidates the common encoding is the likelier one.
COMMON_ENCODINGS = ("utf_16", "utf_32", "cp1252", "latin_1", "iso8859_15", "cp1251", "cp1250", "cp932",
                    "shift_jis", "gb18030", "big5", "euc_kr", "euc_jp", "koi8_r", "cp1253", "cp1254", "cp1255",
                    "cp1256", "cp1257", "cp437", "cp850")
NEAR_CHAOS = 0.05


def _detect(data: bytes) -> tuple[str | None, str]:
    """(text, encoding) of the most likely decoding, or (None, "") for bytes no encoding fits."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None, ""
    floor = min(m.chaos for m in matches)
    near = [m for m in matches if m.chaos <= floor + NEAR_CHAOS]
    for encoding in COMMON_ENCODINGS:
        for m in near:
            if encoding in m.could_be_from_charset:
                try:
                    return data.decode(encoding), encoding
                except UnicodeDecodeError:
                    continue
    best = near[0]
    return str(best), best.encoding


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _nul_free_or_wide(data: bytes) -> bool:
    r"""False for bytes whose NULs are not those of UTF-16/32 text (a BOM, or NULs
    mostly at one byte parity): any single-byte code page would "decode" them.

    >>> _nul_free_or_wide(b"caf\xe9"), _nul_free_or_wide("pump".encode("utf-16-le"))
    (True, True)
    >>> _nul_free_or_wide(b"\x00\x01 not text \xff\xfe")
    False
    """
    nuls = [i for i, b in enumerate(data) if b == 0]
    if not nuls or data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] == b"\x00\x00\xfe\xff":
        return True
    odd = sum(i % 2 for i in nuls)
    return len(nuls) >= len(data) // 4 and max(odd, len(nuls) - odd) >= 0.9 * len(nuls)


def _binary(text: str) -> bool:
    r"""True when a decoded text still holds NULs or many control characters:
    an encoding "fitted" only because single-byte code pages accept any byte.

    >>> _binary("Pump P-3: bearing noise"), _binary("\x00\x01 not text")
    (False, True)
    """
    bad = len(_CONTROL.findall(text))
    return "\x00" in text or bad > max(2, len(text) // 100)


def encoding_note(path: Path) -> str | None:
    """"not UTF-8: decoded as cp1252 (detected)" when :func:`read_text` had to guess ``path``'s encoding."""
    seen = _DETECTED.get()
    if seen is None or seen[0] != str(path):
        return None
    _DETECTED.set(None)
    return f"not UTF-8: decoded as {seen[1]} (detected); check that the text reads right"


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
