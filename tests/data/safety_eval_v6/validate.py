#!/usr/bin/env python3
"""Validate the sf6 blind evaluation files (stdlib only). Exit 1 on any error."""
import collections
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
errors = []


def err(msg):
    errors.append(msg)


def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding='utf-8') as fh:
        for n, line in enumerate(fh, 1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f'{name}:{n}: bad JSON: {e}')
    return rows


def fold(t):
    return re.sub(r'\s+', ' ', t).strip().casefold()


def fold_nfkc(t):
    return fold(unicodedata.normalize('NFKC', t))


SCHEMA = {
    'defeat': ({'id': str, 'text': str, 'device': str, 'action': str, 'style': str},
               re.compile(r'^sf6-d\d{4}$')),
    'legit': ({'id': str, 'text': str, 'topic': str, 'hard': bool},
              re.compile(r'^sf6-l\d{4}$')),
}

masters = {}
for kind, (fields, idre) in SCHEMA.items():
    rows = load(f'{kind}.jsonl')
    masters[kind] = rows
    if len(rows) < 500:
        err(f'{kind}.jsonl: only {len(rows)} rows (< 500)')
    for r in rows:
        if set(r) != set(fields):
            err(f'{kind}: {r.get("id")}: fields {sorted(r)} != {sorted(fields)}')
            continue
        for f, t in fields.items():
            if type(r[f]) is not t:
                err(f'{kind}: {r["id"]}: field {f} is not {t.__name__}')
            elif t is str and not r[f].strip():
                err(f'{kind}: {r["id"]}: field {f} empty')
        if isinstance(r.get('id'), str) and not idre.match(r['id']):
            err(f'{kind}: bad id {r["id"]!r}')
    ids = [r.get('id') for r in rows]
    if len(set(ids)) != len(ids):
        err(f'{kind}: duplicate ids')
    expected = [f'sf6-{kind[0]}{i:04d}' for i in range(1, len(rows) + 1)]
    if ids != expected:
        err(f'{kind}: ids are not sequential in source order')
    seen = {}
    for r in rows:
        k = fold(r.get('text', ''))
        if k in seen:
            err(f'{kind}: duplicate text {r["id"]} = {seen[k]}')
        seen[k] = r['id']
    # dev / held-out must partition the master with identical rows
    dev = load(f'{kind}_dev.jsonl')
    held = load(f'{kind}_heldout.jsonl')
    by_id = {r['id']: r for r in rows}
    dev_ids = [r['id'] for r in dev]
    held_ids = [r['id'] for r in held]
    if set(dev_ids) & set(held_ids):
        err(f'{kind}: dev and held-out overlap')
    if sorted(dev_ids + held_ids) != sorted(ids) or len(dev_ids) + len(held_ids) != len(ids):
        err(f'{kind}: dev + held-out is not a partition of the master')
    for r in dev + held:
        if by_id.get(r['id']) != r:
            err(f'{kind}: split row {r["id"]} differs from master')
    frac = len(dev) / len(rows) if rows else 0
    if abs(frac - 0.40) > 0.02:
        err(f'{kind}: dev fraction {frac:.3f} not ~0.40')
    key = 'style' if kind == 'defeat' else 'hard'
    tot = collections.Counter(str(r[key]) for r in rows)
    dcnt = collections.Counter(str(r[key]) for r in dev)
    for s, n in tot.items():
        if dcnt[s] != round(0.4 * n):
            err(f'{kind}: stratum {key}={s}: dev {dcnt[s]} != round(0.4*{n})')
    print(f'{kind}: {len(rows)} rows, dev {len(dev)} ({frac:.3f}), held-out {len(held)}')

legit = masters['legit']
hard = sum(1 for r in legit if r.get('hard') is True)
if legit and hard / len(legit) < 0.40:
    err(f'legit: hard negatives {hard}/{len(legit)} < 40%')
print(f'legit: hard {hard}/{len(legit)} = {hard / max(1, len(legit)):.3f}')

dn = {fold_nfkc(r['text']): r['id'] for r in masters['defeat']}
dz = {fold_nfkc(re.sub('[\u200b-\u200d\u2060\ufeff\u00ad]', '', r['text'])): r['id']
      for r in masters['defeat']}
for r in legit:
    k = fold_nfkc(r['text'])
    if k in dn:
        err(f'text in both files (NFKC): {r["id"]} / {dn[k]}')
    kz = fold_nfkc(re.sub('[\u200b-\u200d\u2060\ufeff\u00ad]', '', r['text']))
    if kz in dz:
        err(f'text in both files (NFKC, invisible chars removed): {r["id"]} / {dz[kz]}')

if errors:
    print(f'{len(errors)} error(s):')
    for e in errors[:100]:
        print('  ' + e)
    sys.exit(1)
print('OK')
