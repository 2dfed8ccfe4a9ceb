"""Static hash partitions: how several ``monitor run`` workers split the assets.

Every asset's detector state must live in exactly one worker, and that worker
must see all of the asset's readings, in order: a detector fed every third
reading calibrates on a different signal, and three workers scoring one asset
raise three different alerts for one fault.

MQTT v5 shared subscriptions (``$share/GROUP/plant/#``) cannot give that on
mosquitto. The standard leaves the choice of group member to the server, and
mosquitto picks per *message*, round-robin: ``subs__shared_process`` in its
``src/subs.c`` sends each message to the head of the group's member list and
moves that member to the tail, with no sticky or hash-by-topic strategy
(eclipse-mosquitto/mosquitto#3085 asks for one and is open). With three
members, the readings of one asset went 10 / 10 / 10 to the three workers.
Forwarding readings on from whichever worker received them to the asset's
owner does not fix it either: readings of one asset then travel two paths
and can arrive out of order, and the monitor drops those.

So the assets are split statically: worker ``K/N`` scores the assets whose
CRC-32 (stable across processes and machines, unlike Python's salted
``hash``) modulo N is K - 1, and ignores the rest by topic alone, before
parsing the payload. Each worker subscribes to the whole topic, so the broker
sends every reading to every worker (N times the traffic; dropping a foreign
message costs a topic split and a CRC). Publishers keep the plain
``plant/<asset>/...`` topics. Changing N moves assets between workers; their
state stays behind in the old partition's state file and they warm up again.

>>> p = Partition.parse("2/3")
>>> str(p), [a for a in ("P-1", "P-2", "P-3", "AC-1", "CV-2") if p.owns(a)]
('2/3', ['P-2'])
>>> sum(Partition(k, 3).owns("P-1") for k in (1, 2, 3))
1
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from knowledge_base.errors import ConfigError


@dataclass(frozen=True)
class Partition:
    """Worker ``number`` of ``count`` (1-based, like ``split -n K/N``)."""

    number: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= self.count:
            raise ConfigError(f"partition {self.number}/{self.count}: need 1 <= K <= N")

    @classmethod
    def parse(cls, text: str) -> Partition:
        """``"K/N"`` -> Partition(K, N)."""
        k, sep, n = text.partition("/")
        if not (sep and k.strip().isdigit() and n.strip().isdigit()):
            raise ConfigError(f"bad partition {text!r}; use K/N, e.g. 1/3")
        return cls(int(k), int(n))

    def owns(self, asset: str) -> bool:
        """Does this worker score ``asset``?"""
        return zlib.crc32(asset.encode("utf-8")) % self.count == self.number - 1

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"
