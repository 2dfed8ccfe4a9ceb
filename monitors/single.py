"""The single-signal default: the contextual detector beside the tail-probability ensemble.

- :class:`~monitors.context.ContextDetector` (after CAD OSE) scores
  *novelty*: a level, or a sequence of levels, that its memory did not
  predict. It is what scores well on NAB, but it goes quiet as soon as it
  has learned a new level -- a lasting fault alerts for a few readings only;
- :class:`~monitors.ensemble.TailEnsemble` scores *improbability* under the
  stream's own statistics, which stays high while a fault lasts (the alert
  layer keeps the fault out of its model).

The score is the larger of the two. The alert layer may protect a reading
from learning (``observe_one``): the ensemble then only moves its smoothing,
while the contextual memory still learns it -- a novelty detector goes
quiet only by learning what it has seen. NAB's harness hints (value range,
probation) go to the contextual detector.
"""

from __future__ import annotations

from .base import BaseDetector
from .context import ContextDetector
from .ensemble import TailEnsemble
from .types import Reading


class SingleSignal(BaseDetector):
    """``max(context, ensemble)``; ``context`` and ``ensemble`` are parameter dicts.

    >>> from monitors.types import Reading
    >>> d = SingleSignal(context={"warmup": 20}, ensemble={"warmup": 20})
    >>> for i in range(300):
    ...     d.learn_one(Reading("A", i, {"v": 20.0 + (i % 5) * 0.1}))
    >>> d.score_one(Reading("A", 300, {"v": 20.0})) < 0.5 < d.score_one(Reading("A", 300, {"v": 35.0}))
    True
    """

    name = "single"

    def __init__(self, context: dict | None = None, ensemble: dict | None = None) -> None:
        super().__init__()
        self.context, self.ensemble = dict(context or {}), dict(ensemble or {})
        self._cad = ContextDetector(**self.context)
        self._ens = TailEnsemble(**self.ensemble)

    def nab_hint(self, lo: float, hi: float, probation: float) -> None:
        self._cad.nab_hint(lo, hi, probation)
        self.context = dict(self.context, value_range=[lo, hi], rest=self._cad.rest)

    def score_one(self, reading: Reading) -> float:
        return max(self._cad.score_one(reading), self._ens.score_one(reading))

    def explain_one(self, reading: Reading) -> tuple[tuple[str, float], ...]:
        best = self._cad if self._cad.score_one(reading) > self._ens.score_one(reading) else self._ens
        return best.explain_one(reading)

    def baseline(self) -> dict[str, tuple[float, float]]:
        return self._ens.baseline()

    def learn_one(self, reading: Reading) -> None:
        self._cad.learn_one(reading)
        self._ens.learn_one(reading)

    def observe_one(self, reading: Reading) -> None:
        self._cad.learn_one(reading)
        self._ens.observe_one(reading)

    def state(self) -> dict:
        st = super().state()
        st["data"] = {"context": self._cad.state(), "ensemble": self._ens.state()}
        return st

    def load_state(self, state: dict) -> None:
        super().load_state(state)
        self._cad.load_state(self._s.pop("context"))
        self._ens.load_state(self._s.pop("ensemble"))
