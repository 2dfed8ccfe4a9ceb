"""Time bounds for the fuzz tests: hypothesis settings and a per-call time limit.

Hypothesis' deadline fails an example that is slow but finishes; it cannot stop
one that never returns. :func:`time_limit` does: a SIGALRM interrupts the call
(the regex engine and the parsers check for signals), raising :class:`Hang`,
a BaseException so that no ``except Exception`` in the code under test can
swallow it.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from hypothesis import HealthCheck, settings

# 200 examples a property keeps the default run at a few seconds each; the deadline
# is generous because the machine's two cores are shared with other work.
FAST = settings(max_examples=200, deadline=timedelta(seconds=2),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Binary formats parse slower (pypdf, python-docx, openpyxl): fewer examples, marked slow.
SLOW = settings(FAST, max_examples=100, deadline=timedelta(seconds=10))
CALL_LIMIT_S = 10.0


class Hang(BaseException):
    """A call ran past its time limit."""


@contextmanager
def time_limit(seconds: float = CALL_LIMIT_S) -> Iterator[None]:
    """Raise :class:`Hang` in the block if it runs longer than ``seconds`` (main thread only).

    >>> import time
    >>> with time_limit(0.05):
    ...     time.sleep(1)
    Traceback (most recent call last):
    tests.fuzz.bounds.Hang: over 0.05 s
    """
    def expire(signum, frame):
        raise Hang(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
