"""The contracts the fuzz tests check, one function per target.

Each ``check_*`` runs its target on one input and raises AssertionError when
the outcome breaks the target's contract; a refusal with the documented error
passes. The hypothesis properties (``test_*_properties.py``) and the atheris
harnesses (``atheris_*.py``) share them, so both fuzzers hold the code to the
same rules.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from ingest.loaders import LoadOptions, load_file, load_mapping_file
from ingest.loaders.columns import CANONICAL, map_columns
from knowledge_base.codes import CodeMatcher, normalize_code
from knowledge_base.errors import ConfigError, IngestError, PayloadError
from knowledge_base.types import ParsedDocument
from monitors.mqtt import parse_message
from monitors.types import Reading

# Formats read by our own code (or the standard library): a failure must be one of
# the loader's own errors. The binary formats' parsers are third-party, and
# load_file's safety net turning their exceptions into CorruptInput is their contract.
OWN_PARSERS = {".md", ".markdown", ".txt", ".html", ".htm", ".csv", ".json", ".jsonl"}
_MATCHER = CodeMatcher()


def check_load(path: Path, options: LoadOptions = LoadOptions()) -> ParsedDocument | IngestError:
    """A loaded document with text, or an IngestError that names the file on one line."""
    try:
        doc = load_file(path, options)
    except IngestError as err:
        message = str(err)
        assert err.path == str(path) and message.startswith(f"{path}: "), message
        assert "\n" not in message and err.problem, message
        if path.suffix.lower() in OWN_PARSERS:
            assert err.__cause__ is None, f"safety net caught a parser bug: {message}"
        return err
    assert doc.source == str(path)
    assert doc.blocks or doc.records, "a document without text must be EmptyInput"
    for text in _texts(doc):
        assert isinstance(text, str)
        text.encode("utf-8")  # the store writes UTF-8: a lone surrogate would fail there
    return doc


def _texts(doc: ParsedDocument):
    yield doc.title
    for block in doc.blocks:
        yield block.text
        yield from block.section
    for wo in doc.records:
        yield wo.as_text()
        yield from (v for pair in wo.extra for v in pair)


def check_codes(text: str, lenient: bool) -> tuple[str, ...]:
    """Codes found are normalised, distinct, and each occurs in ``text``."""
    codes = _MATCHER.find(text, lenient=lenient)
    assert len(set(codes)) == len(codes), codes
    flags = (re.IGNORECASE if lenient else 0) | re.ASCII
    for code in codes:
        assert normalize_code(code) == code, code
        prefix, num = re.fullmatch(r"(\D+)(\d+)", code).groups()
        # ASCII boundaries, as the patterns (a code right after Chinese text, "泵E-104", counts)
        written = rf"(?<![A-Za-z0-9_]){re.escape(prefix)}(?:OR)?[\s:#\-]*{num}(?![0-9])"
        assert re.search(written, text, flags), f"{code} not in {text[:200]!r}"
    return codes


def check_normalize(code: str) -> str:
    """normalize_code is idempotent and leaves no separator."""
    once = normalize_code(code)
    assert normalize_code(once) == once, (code, once)
    assert not re.search(r"[\s:#\-]", once), once
    return once


def check_mapping(headers: list[str], explicit: dict[str, str] | None) -> None:
    """Each header maps to at most one known field, each field and downtime at most once,
    explicit entries win, and every header is mapped or reported."""
    mapping = map_columns(headers, explicit)
    fields = list(mapping.fields.values())
    assert set(fields) <= CANONICAL and len(set(fields)) == len(fields), mapping
    assert sum(f in ("downtime_h", "downtime_min") for f in fields) <= 1 or explicit, mapping
    assert set(mapping.fields) | set(mapping.unmapped) == set(headers), mapping
    assert not set(mapping.fields) & set(mapping.unmapped), mapping
    for canon, source in (explicit or {}).items():
        assert canon in fields or source in mapping.missing, (canon, source, mapping)


def check_mapping_file(path: Path) -> dict[str, str] | ConfigError:
    """A {known field: header} dict, or a one-line ConfigError naming the file."""
    try:
        mapping = load_mapping_file(path)
    except ConfigError as err:
        message = str(err)
        assert message.startswith(f"{path}: ") and "\n" not in message, message
        return err
    assert set(mapping) <= CANONICAL and all(isinstance(v, str) for v in mapping.values()), mapping
    return mapping


def check_message(topic: str, payload: bytes, now: float) -> Reading | PayloadError:
    """A Reading for the topic's asset with finite values, or a one-line PayloadError."""
    try:
        reading = parse_message(topic, payload, now)
    except PayloadError as err:
        assert str(err) and "\n" not in str(err), str(err)
        return err
    assert reading.asset == topic.split("/")[1] and reading.asset, reading
    assert reading.values and math.isfinite(reading.timestamp), reading
    assert all(isinstance(k, str) and math.isfinite(v) for k, v in reading.values.items()), reading
    return reading
