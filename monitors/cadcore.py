"""The contextual anomaly detector's memory for one signal (see :mod:`monitors.context`).

Written from the published description of CAD OSE (Smirnov, NAB 2016).
Vocabulary:

- a **fact** is an integer: bit ``s`` of the quantised level set or clear
  gives fact ``2s + bit`` (so ``bits`` facts per reading); an active context
  ``c`` gives the fact ``NEURON + c``;
- a **semi-context** is a sorted tuple of facts; a **context** joins a left
  semi-context (facts of the previous step: its level and its active
  contexts) with a right one (the sensor facts that followed) and keeps a
  use count and whether it was made whole from a step (*zero level*) or
  generalised from a partial match;
- **crossing** a fact set with the semi-contexts finds, for each
  semi-context sharing a fact, which of its facts are present (all: fully
  matched).

One :meth:`CadMemory.step` does, in order: make the zero-level context
(previous left facts, current facts); cross the current facts with the
right semi-contexts; for each left semi-context matched at the previous
step, a fully matched left side *selects* its contexts, and a selected
context whose right side is fully matched now is *active* (its count goes
up); partial matches of zero-level contexts give *potential new contexts*
(the matched parts, left side at most ``maxlen`` facts); the new left facts
are the current facts and the ``neurons`` most used active contexts; the
potential contexts are added; the new left facts are crossed with the left
semi-contexts. The raw anomaly is ``(1 - active / selected + new /
potential) / 2``.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain

NEURON = 1_000_000


class CadMemory:
    """Semi-contexts, contexts and the crossing state of one signal."""

    def __init__(self, bits: int = 3, neurons: int = 15, maxlen: int = 7) -> None:
        self.bits, self.neurons, self.maxlen = bits, neurons, maxlen
        self.lfacts: list[tuple] = []
        self.lctx: list[dict[int, int]] = []  # left id -> {right id: context id}
        self.rfacts: list[tuple] = []
        self.ctx: list[list[int]] = []  # [uses, zero level, left id, right id]
        self.left: tuple = ()  # left facts of the previous step
        self.lmatch: dict[int, int] = {}  # left id -> how many of its facts are in self.left
        self._memo: tuple = (None, None, None)  # (level, evaluation, raw) of the last raw() since the last step
        self._reindex()

    def _reindex(self) -> None:
        self.lkey = {f: i for i, f in enumerate(self.lfacts)}
        self.rkey = {f: i for i, f in enumerate(self.rfacts)}
        self.lindex: dict[int, list[int]] = {}
        self.rindex: dict[int, list[int]] = {}
        self.lzero: list[list[tuple[int, int]]] = [[] for _ in self.lfacts]  # left id -> [(right id, context id)] of zero level
        for cid, (_, zero, lid, rid) in enumerate(self.ctx):
            if zero:
                self.lzero[lid].append((rid, cid))
        for i, fs in enumerate(self.lfacts):
            for f in fs:
                self.lindex.setdefault(f, []).append(i)
        for i, fs in enumerate(self.rfacts):
            for f in fs:
                self.rindex.setdefault(f, []).append(i)

    def facts(self, level: int) -> tuple:
        """Sensor facts of a quantised level."""
        return tuple(s * 2 + ((level >> s) & 1) for s in range(self.bits))

    def _find(self, left: tuple, right: tuple) -> int | None:
        lid, rid = self.lkey.get(left), self.rkey.get(right)
        return None if lid is None or rid is None else self.lctx[lid].get(rid)

    def _add(self, left: tuple, right: tuple, zero: int) -> tuple[int, bool]:
        lid = self.lkey.get(left)
        if lid is None:
            lid = self.lkey[left] = len(self.lfacts)
            self.lfacts.append(left)
            self.lctx.append({})
            self.lzero.append([])
            for f in left:
                self.lindex.setdefault(f, []).append(lid)
        rid = self.rkey.get(right)
        if rid is None:
            rid = self.rkey[right] = len(self.rfacts)
            self.rfacts.append(right)
            for f in right:
                self.rindex.setdefault(f, []).append(rid)
        cid = self.lctx[lid].get(rid)
        if cid is None:
            cid = self.lctx[lid][rid] = len(self.ctx)
            self.ctx.append([0, zero, lid, rid])
            if zero:
                self.lzero[lid].append((rid, cid))
            return cid, True
        if zero and not self.ctx[cid][1]:
            self.ctx[cid][1] = 1
            self.lzero[lid].append((rid, cid))
        return cid, False

    def _evaluate(self, sens: tuple, skip: int | None):
        """Active contexts (uses+1, left, right, id), selected count, potential contexts.

        Only right semi-contexts that share a fact with ``sens`` can be
        matched, and there are few of them (at most ``3**bits - 1``), so each
        matched left semi-context looks its contexts up by those right ids
        instead of walking all its contexts; a fully matched left side
        selects all of its contexts (less the one skipped). The result is
        the same as the walk (the lists' order differs; callers sort or
        de-duplicate them)."""
        rmatch: dict[int, list[int]] = {}
        for f in sens:
            for rid in self.rindex.get(f, ()):
                rmatch.setdefault(rid, []).append(f)
        rfacts, lfacts, lctx, ctx, maxlen = self.rfacts, self.lfacts, self.lctx, self.ctx, self.maxlen
        full_r, part_r, full_set = [], [], {}
        for rid, rm in rmatch.items():
            if len(rm) == len(rfacts[rid]):
                full_r.append((rid, tuple(rm)))
                full_set[rid] = full_r[-1][1]
            else:
                part_r.append((rid, tuple(rm)))
        lzero = self.lzero
        skip_lid = ctx[skip][2] if skip is not None and 0 <= skip < len(ctx) else -1
        active, selected, potential = [], 0, []
        here = None  # the previous step's left facts as a set, made when first needed
        for lid, hits in self.lmatch.items():
            conts = lctx[lid]
            if not conts:
                continue
            lf = lfacts[lid]
            if hits == len(lf):
                selected += len(conts) - (lid == skip_lid)
                for rid, rm in full_r:
                    cid = conts.get(rid)
                    if cid is not None and cid != skip:
                        c = ctx[cid]
                        active.append((c[0] + 1, c[2], c[3], cid))
                for rid, rm in part_r:
                    cid = conts.get(rid)
                    if cid is not None and cid != skip and ctx[cid][1]:
                        potential.append((lf, rm))
            elif hits <= maxlen:
                tl = None
                for rid, cid in lzero[lid]:
                    rm = full_set.get(rid)
                    if rm is not None and cid != skip:
                        if tl is None:
                            here = here or set(self.left).__contains__
                            tl = tuple(filter(here, lf))  # sorted, as lf is
                        potential.append((tl, rm))
        return active, selected, potential

    def raw(self, level: int) -> float:
        """The raw anomaly of ``level`` now, without learning it (asked again
        before the memory moves on -- a monitor scores, then explains -- it
        is not evaluated twice)."""
        if self._memo[0] == level:
            return self._memo[2]
        sens = self.facts(level)
        zero = (self.left, sens) if self.left else None
        skip = self._find(*zero) if zero else None  # an existing zero-level context is not skipped
        ev = self._evaluate(sens, None if skip is not None else -1)
        active, selected, potential = ev
        uniq = set(potential)
        new = sum(1 for p in uniq if p != zero and self._find(*p) is None)
        if zero:
            new += skip is None
            uniq.add(zero)
        out = self._combine(len(active), selected, new, len(uniq))
        self._memo = (level, ev, out)
        return out

    @staticmethod
    def _combine(active: int, selected: int, new: int, uniq: int) -> float:
        share_active = active / selected if selected else 0.0
        share_new = new / uniq if uniq else 0.0
        return (1.0 - share_active + share_new) / 2.0

    def step(self, level: int) -> float:
        """Learn ``level``; returns its raw anomaly (as :meth:`raw` gave)."""
        sens = self.facts(level)
        zero = (self.left, sens) if self.left else None
        new_flag, skip = False, -1
        if zero:
            cid, new_flag = self._add(*zero, 1)
            skip = cid if new_flag else -1
        # The evaluation raw() made of the same level is the one needed here:
        # the zero-level context just added is skipped, and no other context
        # uses its (possibly new) semi-contexts.
        memo_level, ev, _ = self._memo
        self._memo = (None, None, None)
        active, selected, potential = ev if memo_level == level else self._evaluate(sens, skip)
        active = list(active)
        for uses, _, _, cid in active:
            self.ctx[cid][0] = uses
        uniq = set(potential)
        if zero:
            uniq.add(zero)
        active.sort()
        fired = [NEURON + a[3] for a in active[-self.neurons:]]
        left = tuple(sorted(set(sens) | set(fired)))
        # sorted: new ids must not depend on the order the evaluation found them in
        new = sum(self._add(lf, rf, 0)[1] for lf, rf in sorted(set(potential))) + (1 if new_flag else 0)
        self.left, self.lmatch = left, self._cross(left)
        return self._combine(len(active), selected, new, len(uniq))

    def observe(self, level: int) -> None:
        """Move on to ``level`` without learning: the left facts become this
        level and the contexts that predicted it (no context is added and no
        count changes), so a stream kept out of the memory still advances."""
        sens = self.facts(level)
        self._memo = (None, None, None)
        active = sorted(self._evaluate(sens, -1)[0])
        left = tuple(sorted(set(sens) | {NEURON + a[3] for a in active[-self.neurons:]}))
        self.left, self.lmatch = left, self._cross(left)

    def _cross(self, left: tuple) -> dict[int, int]:
        """Left id -> how many of its facts ``left`` holds, for every left
        semi-context sharing a fact with ``left`` (counted in C by ``Counter``:
        this crossing touches hundreds of semi-contexts per reading)."""
        idx = self.lindex
        return Counter(chain.from_iterable([idx[f] for f in left if f in idx]))

    def size(self) -> int:
        return len(self.ctx)

    def to_json(self) -> dict:
        return {"lfacts": [list(f) for f in self.lfacts], "rfacts": [list(f) for f in self.rfacts],
                "lctx": [[[r, c] for r, c in d.items()] for d in self.lctx], "ctx": self.ctx,
                "left": list(self.left), "lmatch": self._lmatch_json()}

    def _lmatch_json(self) -> list:
        here = set(self.left)
        return [[k, [f for f in self.lfacts[k] if f in here]] for k in self.lmatch]

    @classmethod
    def from_json(cls, d: dict, bits: int, neurons: int, maxlen: int) -> "CadMemory":
        m = cls(bits, neurons, maxlen)
        m.lfacts = [tuple(f) for f in d["lfacts"]]
        m.rfacts = [tuple(f) for f in d["rfacts"]]
        m.lctx = [{r: c for r, c in pairs} for pairs in d["lctx"]]
        m.ctx = [list(c) for c in d["ctx"]]
        m.left = tuple(d["left"])
        m.lmatch = {k: len(v) for k, v in d["lmatch"]}
        m._reindex()
        return m
