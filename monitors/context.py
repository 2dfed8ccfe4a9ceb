"""Contextual anomaly detector in the manner of CAD OSE (Smirnov, NAB 2016).

Written here from the published description, not from its code (the
memory itself is :mod:`monitors.cadcore`). Per signal:

- each reading is **quantised** into ``2**bits`` levels over the signal's
  value range and turned into facts (one per bit);
- **contexts** pair the facts of the previous step (its level and the
  contexts that were active then, which become facts of their own) with the
  facts that followed; partial matches of whole-step contexts add
  generalised contexts;
- the raw anomaly is ``(1 - share of the selected contexts that came true +
  share of the potential new contexts that were new) / 2``;
- a **rest period**: after a raw anomaly of ``base`` or more the next
  ``rest`` readings report 0 (one report per event).

The value range is ``value_range`` when given -- a sensor's measuring span,
or, on NAB, the file's minimum and maximum, which NAB's harness hands every
detector on its scoreboard (``inputMin`` / ``inputMax``) and
:func:`monitors.nabcorpus.run_series` passes the same way through
:meth:`nab_hint`. Without it the range of the first ``warmup`` readings is
used, widened by ``margin`` of itself on each side (values outside fall into
the edge levels). Scores are 0 until the memory has learned ``warmup``
readings (an empty memory finds everything new). Published settings: 3 bits, 15 active contexts, left
sides of at most 7 facts, base 0.75, rest = NAB's probation / 5 (150 for
long series, the default here). No setting was tuned on NAB.

The memory grows with novelty; past ``capacity`` contexts it starts afresh
(no NAB series comes near the default). State is plain JSON.
"""

from __future__ import annotations

from .base import BaseDetector
from .cadcore import CadMemory
from .types import Reading


class ContextDetector(BaseDetector):
    """CAD-style contextual detector; a reading's score is the max over signals.

    >>> from monitors.types import Reading
    >>> d = ContextDetector(warmup=20, rest=5)
    >>> for i in range(400):
    ...     d.learn_one(Reading("A", i, {"v": float(i % 4)}))
    >>> d.score_one(Reading("A", 400, {"v": 0.0})) < 0.5 < d.score_one(Reading("A", 400, {"v": 2.0}))
    True
    """

    name = "context"
    # A novelty detector goes quiet by learning what it has seen: an alert
    # layer should let it learn every reading (see ThresholdFilter's protect).
    learns_anomalies = True

    def __init__(self, bits: int = 3, neurons: int = 15, maxlen: int = 7, base: float = 0.75,
                 rest: int = 0, warmup: int = 150, margin: float = 1.0,
                 value_range: tuple[float, float] | list[float] | None = None,
                 capacity: int = 50000) -> None:
        super().__init__()
        self.bits, self.neurons, self.maxlen, self.base, self.rest = bits, neurons, maxlen, base, rest
        self.warmup, self.margin, self.capacity = warmup, margin, capacity
        self.value_range = list(value_range) if value_range is not None else None
        self._s = {"signals": {}}
        self._mem: dict[str, CadMemory] = {}

    def nab_hint(self, lo: float, hi: float, probation: float) -> None:
        """NAB's harness hints: the file's value range and probation length."""
        self.value_range = [lo, hi]
        self.rest = max(1, int(probation / 5.0))

    # per-signal state: {"n", "lo", "hi", "since"}; memory in self._mem
    def _level(self, st: dict, x: float) -> int:
        top = (1 << self.bits) - 1
        lo, hi = st["lo"], st["hi"]
        step = (hi - lo) / top if hi > lo else 1.0
        k = int((x - lo) / step)
        return 0 if k < 0 else top if k > top else k

    def _ready(self, st: dict) -> bool:
        # scores start once the memory itself has learned ``warmup`` readings
        # (after the range's own warm-up when the range is learned): an empty
        # memory finds everything new
        return st["lo"] is not None and st["n"] >= (1 if self.value_range else 2) * self.warmup

    def _signal_score(self, name: str, x: float) -> float:
        st = self._s["signals"].get(name)
        if st is None or not self._ready(st) or st["since"] < self.rest:
            return 0.0
        return self._mem[name].raw(self._level(st, x))

    def score_one(self, reading: Reading) -> float:
        return max((self._signal_score(n, x) for n, x in reading.values.items()), default=0.0)

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]:
        parts = [(n, self._signal_score(n, x)) for n, x in reading.values.items()]
        total = sum(p for _, p in parts) or 1.0
        return tuple(sorted(((n, p / total) for n, p in parts), key=lambda q: -q[1]))

    def learn_one(self, reading: Reading) -> None:
        sigs = self._s["signals"]
        for name, x in reading.values.items():
            st = sigs.get(name)
            if st is None:
                st = sigs[name] = {"n": 0, "lo": None, "hi": None, "since": 1 << 30, "mean": x, "var": 0.0}
                if self.value_range:
                    st["lo"], st["hi"] = self.value_range
                self._mem[name] = self._new_memory()
            st["n"] += 1
            a = max(0.001, 1.0 / st["n"])  # the baseline alerts are compared with
            d = x - st["mean"]
            st["mean"] += a * d
            st["var"] = (1.0 - a) * (st["var"] + a * d * d)
            if not self.value_range and st["n"] <= self.warmup:
                st["lo"] = x if st["lo"] is None else min(st["lo"], x)
                st["hi"] = x if st["hi"] is None else max(st["hi"], x)
                if st["n"] == self.warmup:
                    pad = self.margin * (st["hi"] - st["lo"])
                    st["lo"], st["hi"] = st["lo"] - pad, st["hi"] + pad
                continue
            mem = self._mem[name]
            raw = mem.step(self._level(st, x))
            st["since"] = 0 if raw >= self.base else st["since"] + 1
            if mem.size() > self.capacity:
                self._mem[name] = self._new_memory()

    def baseline(self) -> dict[str, tuple[float, float]]:
        """Exponentially weighted mean and standard deviation of each signal
        (memory ~1,000 readings): what an alert's signals are compared with."""
        return {n: (st["mean"], st["var"] ** 0.5) for n, st in self._s["signals"].items()}

    def observe_one(self, reading: Reading) -> None:
        """Advance each signal's context without learning (see ``CadMemory.observe``)."""
        for name, x in reading.values.items():
            st = self._s["signals"].get(name)
            if st is not None and self._ready(st):
                self._mem[name].observe(self._level(st, x))
                st["since"] += 1

    def _new_memory(self) -> CadMemory:
        return CadMemory(self.bits, self.neurons, self.maxlen)

    def state(self) -> dict:
        st = super().state()
        st["data"]["memory"] = {n: m.to_json() for n, m in self._mem.items()}
        return st

    def load_state(self, state: dict) -> None:
        super().load_state(state)
        mem = self._s.pop("memory", {})
        self._mem = {n: CadMemory.from_json(d, self.bits, self.neurons, self.maxlen) for n, d in mem.items()}
