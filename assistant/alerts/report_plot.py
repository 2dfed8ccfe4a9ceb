"""The plot of an alert: its top signals around the alert, then the detector
score with the threshold, the alert period shaded. PNG bytes, rendered with
matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import io
from datetime import datetime, timezone


def _series(alert) -> list[tuple[float, dict[str, float]]]:
    """Lead, trail and window readings in time order, without repeats."""
    seen: dict[float, dict[str, float]] = {}
    for t, values in (*alert.lead, *alert.trail, *alert.window):
        seen.setdefault(t, values)
    return sorted(seen.items())


def plot_alert(alert, signals: int = 3) -> bytes:
    """PNG of ``alert``: up to ``signals`` top signals, then score and threshold."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = _series(alert)
    names = list(alert.top_signals[:signals]) or sorted(alert.signals)[:signals]
    times = [datetime.fromtimestamp(t, tz=timezone.utc) for t, _ in rows]
    start = datetime.fromtimestamp(alert.started, tz=timezone.utc)
    end = datetime.fromtimestamp(alert.closed or alert.updated, tz=timezone.utc)
    fig, axes = plt.subplots(len(names) + 1, 1, sharex=True, figsize=(8, 1.6 * (len(names) + 1) + 0.6))
    try:
        for ax, name in zip(axes, names):
            pts = [(t, v[name]) for t, (_, v) in zip(times, rows) if name in v]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], lw=1.0)
            ax.set_ylabel(name, fontsize=8)
        ax = axes[-1]
        score_t = [datetime.fromtimestamp(t, tz=timezone.utc) for t, _ in alert.scores]
        ax.plot(score_t, [s for _, s in alert.scores], lw=1.0, color="black", label="score")
        if alert.threshold is not None:
            ax.axhline(alert.threshold, color="red", ls="--", lw=1.0, label=f"threshold {alert.threshold:.2f}")
        ax.set_ylabel("score", fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.legend(loc="upper left", fontsize=7)
        for a in axes:
            a.axvspan(start, end, color="orange", alpha=0.15)
            a.tick_params(labelsize=7)
        axes[0].set_title(f"{alert.asset}: alert {alert.id} ({alert.severity}), shaded = alert period", fontsize=9)
        fig.autofmt_xdate()
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        return buf.getvalue()
    finally:
        plt.close(fig)
