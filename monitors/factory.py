"""Detectors by name: the plain factory dict the CLI and the monitor use.

>>> make_detector("zscore", alpha=0.01).alpha
0.01
>>> sorted(DETECTORS)
['auto', 'context', 'ensemble', 'gaussian', 'mahalanobis', 'zscore']
"""

from __future__ import annotations

from knowledge_base.errors import ConfigError

from .base import BaseDetector
from .context import ContextDetector
from .auto import AutoDetector
from .ensemble import TailEnsemble
from .gaussian import WindowedGaussian
from .mahalanobis import Mahalanobis
from .zscore import RobustZScore

DETECTORS: dict[str, type[BaseDetector]] = {
    "auto": AutoDetector,
    "zscore": RobustZScore,
    "mahalanobis": Mahalanobis,
    "gaussian": WindowedGaussian,
    "ensemble": TailEnsemble,
    "context": ContextDetector,
}
# The contextual CUSUM that was here was removed: on every trace its sums sat
# at their cap on normal data (score 0.962 everywhere, NAB 0), because CUSUM
# assumes independent residuals and plant signals' residuals from a
# time-of-day baseline stay on one side for hours (load steps, thermal lag).
# monitors/drift.py (inside mahalanobis) standardises block means by their own
# spread and leaks its sums, which solves that.
DEFAULT_DETECTOR = "auto"


def make_detector(name: str = DEFAULT_DETECTOR, **params) -> BaseDetector:
    """A new detector of kind ``name`` built with ``params``."""
    try:
        cls = DETECTORS[name]
    except KeyError:
        raise ConfigError(f"unknown detector {name!r}; choose from {', '.join(sorted(DETECTORS))}") from None
    return cls(**params)


def detector_from_state(state: dict) -> BaseDetector:
    """Rebuild a detector saved with ``BaseDetector.state()``."""
    det = make_detector(state["detector"], **state.get("params", {}))
    det.load_state(state)
    return det
