"""SQLite persistence of alerts: ``alerts.sqlite`` in the knowledge-base folder.

The query API is deliberately small; the assistant uses it directly::

    store = AlertStore(kb)
    store.active(asset="P-3")     # open alerts, newest first
    store.history(asset="P-3")    # all alerts (open and closed), newest first
    store.get(alert_id)           # one Alert, or None

>>> import tempfile
>>> from monitors.types import Alert
>>> store = AlertStore(tempfile.mkdtemp())
>>> store.upsert(Alert("P-3-60", "P-3", ("rms",), "zscore", 0.9, "alarm", 60.0, 60.0))
>>> [a.id for a in store.active(asset="P-3")], store.get("nope")
(['P-3-60'], None)
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from knowledge_base.errors import MonitorError

from .types import Alert

FILENAME = "alerts.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, asset TEXT NOT NULL, severity TEXT NOT NULL,
    started REAL NOT NULL, updated REAL NOT NULL, closed REAL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alerts_asset ON alerts (asset, started);
"""


class AlertStore:
    """Alerts of one knowledge base, in ``<kb>/alerts.sqlite``."""

    def __init__(self, kb: str | Path) -> None:
        self.path = Path(kb) / FILENAME
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as err:
            raise MonitorError(f"{self.path}: cannot open alert store: {err}") from err

    def upsert(self, alert: Alert) -> None:
        """Insert the alert or replace the stored version with the same id."""
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?)",
                (alert.id, alert.asset, alert.severity, alert.started, alert.updated,
                 alert.closed, json.dumps(alert.to_dict())))

    def get(self, alert_id: str) -> Alert | None:
        """The alert with this id, or None."""
        rows = self._query("WHERE id = ?", (alert_id,), order=False)
        return rows[0] if rows else None

    def active(self, asset: str | None = None) -> list[Alert]:
        """Open alerts (not closed), newest first, optionally for one asset."""
        return self._query(*self._where(asset, "closed IS NULL"))

    def history(self, asset: str | None = None, limit: int = 100) -> list[Alert]:
        """Open and closed alerts, newest first, optionally for one asset."""
        where, args = self._where(asset, None)
        return self._query(where, args, limit=int(limit))

    def close(self) -> None:
        self._db.close()

    @staticmethod
    def _where(asset: str | None, extra: str | None) -> tuple[str, tuple]:
        conds, args = [], ()
        if asset is not None:
            conds, args = ["asset = ?"], (asset,)
        if extra:
            conds.append(extra)
        return ("WHERE " + " AND ".join(conds) if conds else ""), args

    def _query(self, where: str, args: tuple, order: bool = True,
               limit: int | None = None) -> list[Alert]:
        sql = f"SELECT body FROM alerts {where}" + (" ORDER BY started DESC" if order else "")
        if limit is not None:
            sql, args = sql + " LIMIT ?", args + (limit,)
        try:
            rows = self._db.execute(sql, args).fetchall()
        except sqlite3.Error as err:
            raise MonitorError(f"{self.path}: alert query failed: {err}") from err
        return [Alert.from_dict(json.loads(body)) for (body,) in rows]
