"""The options every loader takes, and the loader signature.

Kept apart from ``__init__`` so that format modules can import it without a
circular import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from knowledge_base.types import ParsedDocument


@dataclass(frozen=True)
class LoadOptions:
    """How to read one file.

    ``asset_model`` overrides the equipment model found in the file;
    ``column_mapping`` maps canonical work-order fields to source headers
    (``{"fault_code": "Alarm No."}``) and wins over the automatic matching.

    >>> LoadOptions(asset_model="CP-80S").max_file_mb
    100.0
    """

    max_file_mb: float = 100.0
    asset_model: str | None = None
    column_mapping: Mapping[str, str] | None = None


class Loader(Protocol):
    """Reads one file of a known format into a ParsedDocument.

    Raises an IngestError subclass for input it cannot read; any other
    exception is turned into CorruptInput by ``load_file``.
    """

    def __call__(self, path: Path, options: LoadOptions) -> ParsedDocument: ...
