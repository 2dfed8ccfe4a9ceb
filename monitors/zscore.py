"""Robust EWMA z-score: the default detector.

Written here rather than taken from river because the hot path must run at
>50,000 readings/s on plain floats with JSON state; river's estimators keep
Python objects per statistic and pickle-only state.

Per signal it tracks an exponentially weighted mean and, over a longer
memory, a mean absolute deviation (a robust scale). The score compares a *smoothed* recent level
(a short EWMA of the raw values, so one noisy sample does not alarm) with that
baseline. Updates are Huber-clipped: a reading far from the baseline moves it
by at most ``clip`` scales, so an anomaly does not teach the model that it is
normal for a long time.

The defaults (``alpha``, ``fast``) were chosen by a small grid search on the
*tuning split only* -- the first half of the NAB machine-temperature trace --
and are reported on the held-out second half (``benchmarks/monitors.py``
prints the grid on both halves).
"""

from __future__ import annotations

from .base import UnivariateDetector

_SQRT_PI_2 = 1.2533141373155003  # mean |x| of N(0,1) is sqrt(2/pi)


class RobustZScore(UnivariateDetector):
    """Robust rolling z-score on an EWMA baseline.

    ``alpha``: baseline weight per reading (memory ~ 1/alpha readings);
    ``beta``: weight of the scale estimate (keep it below ``alpha``);
    ``fast``: weight of the short smoothing EWMA (1.0 = no smoothing);
    ``clip``: Huber clip of baseline updates, in scales; ``warmup``: readings
    before any score is given; ``half``: z that maps to score 0.5.

    >>> from monitors.types import Reading
    >>> d = RobustZScore(warmup=5)
    >>> for i in range(50):
    ...     d.learn_one(Reading("A", i, {"t": 20.0 + (i % 3) * 0.1}))
    >>> d.score_one(Reading("A", 50, {"t": 20.1})) < 0.1 < d.score_one(Reading("A", 50, {"t": 30.0}))
    True
    """

    name = "zscore"

    def __init__(self, alpha: float = 0.0005, beta: float = 0.0003, fast: float = 0.03,
                 clip: float = 1.5, warmup: int = 50, half: float = 4.0) -> None:
        super().__init__()
        self.alpha, self.beta, self.fast, self.clip = alpha, beta, fast, clip
        self.warmup, self.half = warmup, half

    # state: [n, mean, mad, level]
    def _new(self, x: float, ts: float) -> list:
        return [1, x, 0.0, x]

    def _z(self, st: list, x: float, ts: float) -> float:
        if st[0] < self.warmup:
            return 0.0
        level = st[3] + self.fast * (x - st[3])
        return abs(level - st[1]) / (st[2] * _SQRT_PI_2 + 1e-9 + 1e-6 * abs(st[1]))

    def _learn(self, st: list, x: float, ts: float) -> None:
        n, mean, mad = st[0] + 1, st[1], st[2]
        a = max(self.alpha, 1.0 / n)
        b = max(self.beta, 1.0 / n)
        r = x - mean
        lim = self.clip * mad * _SQRT_PI_2
        if n > self.warmup and lim > 0.0 and abs(r) > lim:
            r = lim if r > 0 else -lim
        st[0] = n
        st[1] = mean + a * r
        st[2] = mad + b * (abs(r) - mad)
        st[3] = st[3] + self.fast * (x - st[3])

    def baseline(self) -> dict[str, tuple[float, float]]:
        return {n: (st[1], st[2] * _SQRT_PI_2) for n, st in self._s["signals"].items()}

    def _observe(self, st: list, x: float) -> None:
        st[3] = st[3] + self.fast * (x - st[3])
