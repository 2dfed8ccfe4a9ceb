"""Asset awareness: find asset ids in a question and resolve them to models.

Known assets come from the work-order history in the store (each asset's
most frequent equipment model) and, optionally, an asset register CSV with
columns ``asset_id`` and ``equipment_model``. Matching ignores case and the
separator, so ``p3``, ``P 3`` and ``P-3`` are all ``P-3``.

>>> r = AssetResolver({"P-3": "CP-80S", "AC-1": "RS-37E"})
>>> r.find("pump p3 rattles, and ac-1 too")
('P-3', 'AC-1')
>>> r.model("P-3")
'CP-80S'
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from .errors import ConfigError


def _key(asset_id: str) -> str:
    return re.sub(r"[\s\-_]+", "", asset_id).upper()


class AssetResolver:
    """Maps asset ids (as engineers type them) to canonical ids and models."""

    def __init__(self, models: Mapping[str, str | None]) -> None:
        self._models = dict(models)
        self._by_key = {_key(a): a for a in self._models}
        alts = sorted(self._models, key=len, reverse=True)
        parts = [r"[\s\-_]?".join(map(re.escape, re.findall(r"[A-Za-z]+|\d+", a))) for a in alts]
        self._rx = re.compile(r"(?<![\w-])(" + "|".join(parts) + r")(?![\w-])", re.I | re.ASCII) if parts else None

    @classmethod
    def from_store(cls, index, register: str | Path | None = None) -> "AssetResolver":
        """Assets of the store's work orders, overridden by a register CSV."""
        counts: dict[str, Counter] = {}
        for asset, model in index.asset_models():
            counts.setdefault(asset, Counter())[model] += 1
        models = {a: (c.most_common(1)[0][0]) for a, c in counts.items()}
        if register:
            models.update(read_register(register))
        return cls(models)

    def find(self, text: str) -> tuple[str, ...]:
        """Canonical ids of the known assets named in ``text``, in order."""
        if not self._rx:
            return ()
        found = (self._by_key.get(_key(m.group(1))) for m in self._rx.finditer(text))
        return tuple(dict.fromkeys(a for a in found if a))

    def canonical(self, asset_id: str) -> str | None:
        return self._by_key.get(_key(asset_id))

    def model(self, asset_id: str) -> str | None:
        canon = self.canonical(asset_id)
        return self._models.get(canon) if canon else None

    def assets(self) -> dict[str, str | None]:
        return dict(self._models)


def read_register(path: str | Path) -> dict[str, str]:
    """{asset_id: equipment_model} from a CSV with those two columns."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read asset register: {exc.strerror or exc}") from exc
    if rows and not {"asset_id", "equipment_model"} <= set(rows[0]):
        raise ConfigError(f"{path}: asset register needs columns asset_id and equipment_model")
    return {r["asset_id"].strip(): r["equipment_model"].strip() for r in rows if r.get("asset_id")}
