"""The work-order table of :class:`knowledge_base.index.SqliteIndex`: structured fault-log
rows (asset, timestamp, code, symptom, cause, action, downtime), each tied to its chunk."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence

from .types import WorkOrder

_WO_COLS = ("wo_id, file_path, asset_id, ts, fault_code, fault_code_norm, symptom, cause, action, downtime_h,"
            " equipment_model, chunk_id, extra, work_type")
_WO_READ = "wo_id, asset_id, ts, fault_code, symptom, cause, action, downtime_h, equipment_model, extra, work_type"


class WorkOrderTable:
    """Work orders (a part of :class:`~knowledge_base.index.SqliteIndex`, which owns ``_db``)."""

    _db: sqlite3.Connection
    _lock: threading.RLock

    def _insert_work_orders(self, path: str, work_orders: Sequence[tuple[WorkOrder, str | None]]) -> None:
        """Inside a write transaction: ``path``'s work orders, each with the id of its chunk."""
        self._db.executemany(f"INSERT INTO work_orders({_WO_COLS}) VALUES({','.join('?' * 14)})",
                             [_wo_row(path, wo, cid) for wo, cid in work_orders])

    def _delete_work_orders(self, path: str) -> None:
        self._db.execute("DELETE FROM work_orders WHERE file_path=?", (path,))

    def asset_models(self) -> list[tuple[str, str | None]]:
        """(asset id, equipment model) of every work order that names an asset."""
        return self._db.execute(
            "SELECT asset_id, equipment_model FROM work_orders WHERE asset_id IS NOT NULL").fetchall()

    def work_orders(self, *, asset_id: str | None = None, fault_code: str | None = None,
                    equipment_model: str | None = None, limit: int | None = None) -> list[WorkOrder]:
        conds, params = [], []
        for col, val in (("asset_id", asset_id), ("fault_code_norm", fault_code),
                         ("equipment_model", equipment_model)):
            if val is not None:
                conds.append(f"{col} = ?")
                params.append(val)
        q = (f"SELECT {_WO_READ} FROM work_orders"
             + (" WHERE " + " AND ".join(conds) if conds else "") + " ORDER BY ts, wo_id")
        if limit:
            q += f" LIMIT {int(limit)}"
        return [_work_order(r) for r in self._db.execute(q, params)]

    def work_orders_by_chunk(self, chunk_ids: Sequence[str]) -> dict[str, WorkOrder]:
        """{chunk id: the work order that chunk represents}."""
        ids, out = list(chunk_ids), {}
        for s in range(0, len(ids), 500):
            part = ids[s:s + 500]
            q = (f"SELECT chunk_id, {_WO_READ} FROM work_orders"
                 f" WHERE chunk_id IN ({','.join('?' * len(part))})")
            for r in self._db.execute(q, part):
                out[r[0]] = _work_order(r[1:])
        return out


def _work_order(r: Sequence) -> WorkOrder:
    """A WorkOrder from the columns of ``_WO_READ``."""
    return WorkOrder(*r[:9], extra=tuple(tuple(x) for x in json.loads(r[9] or "[]")), work_type=r[10])


def _wo_row(path: str, wo: WorkOrder, chunk_id: str | None) -> tuple:
    from .codes import normalize_code

    return (wo.wo_id, path, wo.asset_id, wo.timestamp, wo.fault_code,
            normalize_code(wo.fault_code) if wo.fault_code else None, wo.symptom, wo.cause,
            wo.action, wo.downtime_h, wo.equipment_model, chunk_id, json.dumps([list(x) for x in wo.extra]),
            wo.work_type)
