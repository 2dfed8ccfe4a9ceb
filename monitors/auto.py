"""The default detector: relationships between signals, or one signal's level.

A machine's signals move together with its load, so most faults show first
as a broken relationship -- discharge temperature high *for this current*,
suction pressure low *for this flow* -- while each signal alone stays inside
its daily range (on the sample compressor an overheating never leaves the
range of the daily cycle). :class:`~monitors.mahalanobis.Mahalanobis` scores
exactly that, both as a short-term surprise and as a slow drift away from a
reference model (bearing wear over days). A stream with a single signal has no relationships; there the
contextual detector (:class:`~monitors.context.ContextDetector`, after CAD OSE)
beside the tail-probability ensemble (:class:`~monitors.single.SingleSignal`):
the contextual score is the share of unpredicted facts, the same unit on
every stream, so one threshold serves a whole corpus; the ensemble keeps a
lasting fault alerting after the contextual memory has learned it.

Which one is decided by the first reading's signals and kept in the state.
Their parameters are passed through as ``multi`` and ``single`` dicts.
"""

from __future__ import annotations

from .base import BaseDetector
from .mahalanobis import Mahalanobis
from .types import Reading
from .single import NAB_RATE_ALPHA, SingleSignal


class AutoDetector(BaseDetector):
    """Mahalanobis for two or more signals, the contextual detector for one.

    >>> from monitors.types import Reading
    >>> a, b = AutoDetector(), AutoDetector()
    >>> a.learn_one(Reading("M", 0, {"t": 1.0})); b.learn_one(Reading("P", 0, {"x": 1.0, "y": 2.0}))
    >>> a.state()["data"]["kind"], b.state()["data"]["kind"]
    ('single', 'multi')
    """

    name = "auto"

    def __init__(self, multi: dict | None = None, single: dict | None = None) -> None:
        super().__init__()
        self.multi, self.single = dict(multi or {}), dict(single or {})
        self._inner: BaseDetector | None = None
        self._s = {"kind": None}

    def _make(self, kind: str) -> BaseDetector:
        return Mahalanobis(**self.multi) if kind == "multi" else SingleSignal(**self.single)

    def nab_hint(self, lo: float, hi: float, probation: float) -> None:
        """Pass NAB's hints (value range, probation) to the single-signal detector."""
        rest = max(1, int(probation / 5.0))
        ctx = dict(self.single.get("context", {}), value_range=[lo, hi], rest=rest)
        self.single = dict(self.single, context=ctx, rest=rest, rate_alpha=NAB_RATE_ALPHA)

    def score_one(self, reading: Reading) -> float:
        return 0.0 if self._inner is None else self._inner.score_one(reading)

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]:
        return () if self._inner is None else self._inner.explain_one(reading)

    def baseline(self) -> dict[str, tuple[float, float]]:
        return {} if self._inner is None else self._inner.baseline()

    def adopt(self) -> None:
        if self._inner is not None:
            self._inner.adopt()

    def declare(self, signals: tuple[str, ...] = ()) -> None:
        if self._inner is not None:
            self._inner.declare(signals)

    def observe_one(self, reading: Reading) -> None:
        if self._inner is not None:
            self._inner.observe_one(reading)

    def learn_one(self, reading: Reading) -> None:
        if self._inner is None:
            self._s["kind"] = "multi" if len(reading.values) > 1 else "single"
            self._inner = self._make(self._s["kind"])
        self._inner.learn_one(reading)

    def state(self) -> dict:
        st = super().state()
        st["data"]["inner"] = None if self._inner is None else self._inner.state()
        return st

    def load_state(self, state: dict) -> None:
        super().load_state(state)
        inner = self._s.pop("inner", None)
        self._inner = None
        if self._s["kind"] is not None:
            self._inner = self._make(self._s["kind"])
            self._inner.load_state(inner)
