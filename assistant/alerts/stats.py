"""Fault-log analytics: pure functions over work orders (``SqliteIndex.work_orders()``).

A *failure* is a corrective work order: one with a fault code that is not
preventive work (``WorkOrder.is_failure``). Preventive / scheduled orders
(marked preventive by the export's work type, or without a code) are not
failures, so they count in neither MTTR nor MTBF. Codes are grouped
by their normalised key (``E-104`` and ``e104`` are one code, ``E104``).

- MTTR of an asset: mean ``downtime_h`` of its failures that record one.
- MTBF of an asset: mean hours between the timestamps of consecutive
  failures (start to start, calendar time), so it needs two or more
  timestamped failures; assets with fewer are left out.

>>> wos = [WorkOrder("1", "P-3", "2025-01-01T00:00", "E-104", downtime_h=2),
...        WorkOrder("2", "P-3", "2025-01-03T00:00", "E104", downtime_h=4),
...        WorkOrder("3", "P-3", "2025-01-04T00:00", None, downtime_h=9),
...        WorkOrder("4", "P-3", "2025-01-05T00:00", "E104", downtime_h=1, work_type="preventive")]
>>> mttr(wos), mtbf(wos), failure_counts_by_code(wos)
({'P-3': 3.0}, {'P-3': 48.0}, {'E104': 2})
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from statistics import fmean

from knowledge_base.codes import normalize_code
from knowledge_base.types import WorkOrder


def filter_orders(orders: Iterable[WorkOrder], *, since: date | str | None = None,
                  asset: str | None = None) -> list[WorkOrder]:
    """The orders of ``asset`` (exact id) dated on or after ``since``.
    With ``since`` set, orders without a timestamp are dropped."""
    day = date.fromisoformat(since) if isinstance(since, str) else since
    out = []
    for wo in orders:
        if asset is not None and wo.asset_id != asset:
            continue
        if day is not None and ((when := _when(wo.timestamp)) is None or when.date() < day):
            continue
        out.append(wo)
    return out


def failures(orders: Iterable[WorkOrder]) -> list[WorkOrder]:
    """The corrective work orders (a fault code, and not preventive work)."""
    return [wo for wo in orders if wo.is_failure()]


def failure_counts_by_code(orders: Iterable[WorkOrder]) -> dict[str, int]:
    """{normalised code: failures}, most frequent first."""
    return dict(Counter(normalize_code(wo.fault_code) for wo in failures(orders)).most_common())


def failure_counts_by_asset(orders: Iterable[WorkOrder]) -> dict[str, int]:
    """{asset id: failures}, most frequent first (orders without an asset are skipped)."""
    return dict(Counter(wo.asset_id for wo in failures(orders) if wo.asset_id).most_common())


def mttr(orders: Iterable[WorkOrder]) -> dict[str, float]:
    """{asset id: mean downtime in hours of its failures}, by asset id."""
    per: dict[str, list[float]] = {}
    for wo in failures(orders):
        if wo.asset_id and wo.downtime_h is not None:
            per.setdefault(wo.asset_id, []).append(float(wo.downtime_h))
    return {a: fmean(v) for a, v in sorted(per.items())}


def mtbf(orders: Iterable[WorkOrder]) -> dict[str, float]:
    """{asset id: mean hours between consecutive failures}, by asset id."""
    per: dict[str, list[datetime]] = {}
    for wo in failures(orders):
        if wo.asset_id and (when := _when(wo.timestamp)) is not None:
            per.setdefault(wo.asset_id, []).append(when)
    out = {}
    for asset, times in sorted(per.items()):
        times.sort()
        if len(times) >= 2:
            out[asset] = fmean((b - a).total_seconds() / 3600 for a, b in zip(times, times[1:]))
    return out


def top_recurring(orders: Iterable[WorkOrder], n: int = 10, min_count: int = 2) -> list[tuple[str, str, int]]:
    """(asset id, normalised code, failures) of the pairs seen ``min_count``
    or more times, most frequent first (ties by asset, then code)."""
    pairs = Counter((wo.asset_id, normalize_code(wo.fault_code)) for wo in failures(orders) if wo.asset_id)
    ranked = sorted(((a, c, m) for (a, c), m in pairs.items() if m >= min_count), key=lambda t: (-t[2], t[0], t[1]))
    return ranked[:n]


@dataclass(frozen=True)
class FleetStats:
    """Everything ``faultdesk stats`` reports, for one filtered set of orders."""

    work_orders: int
    failures: int
    by_code: dict[str, int]
    by_asset: dict[str, int]
    mttr_h: dict[str, float]
    mtbf_h: dict[str, float]
    recurring: tuple[tuple[str, str, int], ...]

    def as_json(self) -> dict:
        r = lambda d: {k: round(v, 3) for k, v in d.items()}  # noqa: E731
        return {"work_orders": self.work_orders, "failures": self.failures, "by_code": self.by_code,
                "by_asset": self.by_asset, "mttr_h": r(self.mttr_h), "mtbf_h": r(self.mtbf_h),
                "recurring": [{"asset_id": a, "fault_code": c, "count": m} for a, c, m in self.recurring]}


def fleet_stats(orders: Sequence[WorkOrder], top: int = 10) -> FleetStats:
    """All of the above for ``orders`` (already filtered)."""
    return FleetStats(len(orders), len(failures(orders)), failure_counts_by_code(orders),
                      failure_counts_by_asset(orders), mttr(orders), mtbf(orders),
                      tuple(top_recurring(orders, top)))


def write_plots(stats: FleetStats, out_dir: str | Path) -> list[Path]:
    """PNG charts of ``stats`` in ``out_dir``: failures by code, MTTR and
    MTBF per asset (a chart with no data is skipped). Needs matplotlib."""
    import matplotlib

    matplotlib.use("Agg")  # files only; never open a window
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    charts = (("failures_by_code.png", stats.by_code, "Failures by fault code", "failures"),
              ("mttr_by_asset.png", stats.mttr_h, "MTTR per asset", "hours"),
              ("mtbf_by_asset.png", stats.mtbf_h, "MTBF per asset", "hours"))
    written = []
    for name, data, title, unit in charts:
        if not data:
            continue
        fig, ax = plt.subplots(figsize=(max(4.0, 0.5 * len(data) + 2), 3.5))
        try:
            ax.bar(list(data), list(data.values()))
            ax.set_title(title)
            ax.set_ylabel(unit)
            ax.tick_params(axis="x", rotation=45)
            fig.tight_layout()
            fig.savefig(out / name, format="png")
        finally:
            plt.close(fig)
        written.append(out / name)
    return written


def _when(ts: str | None) -> datetime | None:
    """A naive UTC datetime from an ISO 8601 date or timestamp; None when
    missing or unreadable (such orders drop out of date-based figures)."""
    try:
        dt = datetime.fromisoformat((ts or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.astimezone(timezone.utc).replace(tzinfo=None) if dt.tzinfo else dt
