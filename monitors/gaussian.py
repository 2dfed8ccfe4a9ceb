"""NAB's windowed-Gaussian baseline, re-implemented from its description.

The score of a value is ``1 - Q(z)`` where ``Q`` is the normal tail
probability and ``z`` the distance from the mean of the last ``window`` values
in standard deviations; mean and deviation are refreshed every ``step``
values. NAB tuned ``window=6400, step=100``. It is a reference point, not a
production detector: its state is the window itself (bounded, but 6,400 floats
per signal), so it is O(window), not O(1) in the window size.
"""

from __future__ import annotations

import math

from .base import UnivariateDetector


class WindowedGaussian(UnivariateDetector):
    """Sliding-window Gaussian tail probability (NAB's simple baseline).

    >>> from monitors.types import Reading
    >>> d = WindowedGaussian(window=20, step=5)
    >>> for i in range(40):
    ...     d.learn_one(Reading("A", i, {"v": float(i % 4)}))
    >>> d.score_one(Reading("A", 40, {"v": 1.5})) < 0.6 < d.score_one(Reading("A", 40, {"v": 9.0}))
    True
    """

    name = "gaussian"

    def __init__(self, window: int = 6400, step: int = 100) -> None:
        super().__init__()
        self.window, self.step = window, step

    def score_one(self, reading) -> float:
        # NAB's score is the Gaussian CDF itself, not a squashed z.
        worst = 0.0
        for name, x in reading.values.items():
            st = self._s["signals"].get(name)
            if st is not None:
                worst = max(worst, 0.5 * math.erfc(-self._z(st, x, 0.0) / math.sqrt(2)))
        return worst

    # state: [mean, std, window values, step buffer, sum, sum of squares]
    def _new(self, x: float, ts: float) -> list:
        return [x, 1e-6, [x], [], x, x * x]

    def _z(self, st: list, x: float, ts: float) -> float:
        return abs(x - st[0]) / st[1]

    def _learn(self, st: list, x: float, ts: float) -> None:
        win, buf = st[2], st[3]
        if len(win) < self.window:
            # filling: running sums, O(1) per value (a full re-sum here made
            # the first `window` values cost O(window) each)
            win.append(x)
            st[4] += x
            st[5] += x * x
            n = len(win)
            mean = st[4] / n
            var = max(st[5] / n - mean * mean, 0.0)
        else:
            buf.append(x)
            if len(buf) < self.step:
                return
            del win[: self.step]
            win.extend(buf)
            buf.clear()
            # full: exact re-sum once per step (amortised window/step per value)
            n = len(win)
            mean = sum(win) / n
            var = sum((v - mean) ** 2 for v in win) / n
            st[4], st[5] = mean * n, sum(v * v for v in win)
        st[0], st[1] = mean, math.sqrt(var) or 1e-6
