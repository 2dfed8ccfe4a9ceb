"""The contextual memory's indexed evaluation gives exactly what the plain walk over contexts gives."""

from __future__ import annotations

import json
import math
import random

import pytest

from monitors.cadcore import CadMemory

pytestmark = pytest.mark.unit


class WalkMemory(CadMemory):
    """The reference: every matched left semi-context walks all its contexts
    (the description's definition, as the memory first did it)."""

    def _evaluate(self, sens, skip):
        rmatch: dict[int, list[int]] = {}
        for f in sens:
            for rid in self.rindex.get(f, ()):
                rmatch.setdefault(rid, []).append(f)
        active, selected, potential = [], 0, []
        here = set(self.left)
        for lid in self.lmatch:  # every left semi-context sharing a fact with the previous step
            lm = [f for f in self.lfacts[lid] if f in here]
            full_left = len(lm) == len(self.lfacts[lid])
            for rid, cid in self.lctx[lid].items():
                if cid == skip:
                    continue
                c = self.ctx[cid]
                rm = rmatch.get(rid)
                if full_left:
                    selected += 1
                    if rm:
                        if len(rm) == len(self.rfacts[rid]):
                            active.append((c[0] + 1, c[2], c[3], cid))
                        elif c[1]:
                            potential.append((tuple(lm), tuple(rm)))
                elif c[1] and rm and len(rm) == len(self.rfacts[rid]) and len(lm) <= self.maxlen:
                    potential.append((tuple(lm), tuple(rm)))
        return active, selected, potential


def _levels(seed: int, n: int = 700):
    rng = random.Random(seed)
    for i in range(n):
        x = 3.5 + 3 * math.sin(i / 25) + rng.gauss(0, 0.8 if seed % 2 else 0.2)
        if 500 <= i < 530:
            x += 3  # an anomaly
        yield max(0, min(7, int(x)))


@pytest.mark.parametrize("seed", [1, 2])
def test_indexed_evaluation_and_memo_match_the_walk(seed):
    fast, walk = CadMemory(), WalkMemory()
    for i, level in enumerate(_levels(seed)):
        if i % 7 == 3:  # a protected reading moves on without learning
            fast.observe(level)
            walk.observe(level)
            continue
        assert fast.raw(level) == walk.raw(level)
        assert fast.raw(level) == walk.raw(level)  # asked again (score, then explain): the memo
        walk._memo = (None, None, None)  # the reference evaluates afresh in step()
        assert fast.step(level) == walk.step(level)
    assert fast.ctx == walk.ctx and fast.size() > 50


def test_indices_survive_a_json_round_trip():
    mem = CadMemory()
    levels = list(_levels(4, 500))
    for level in levels[:300]:
        mem.step(level)
    back = CadMemory.from_json(json.loads(json.dumps(mem.to_json())), 3, 15, 7)
    for level in levels[300:]:
        assert back.raw(level) == mem.raw(level)
        assert back.step(level) == mem.step(level)
