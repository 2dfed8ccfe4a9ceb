#!/usr/bin/env python3
"""Build the blind safety-defeat filter evaluation set (sf6) from src/*.txt.

src/defeat_*.txt : style | device | action | text
src/legit_*.txt  : topic | hard | text
Lines starting with '#' and blank lines are ignored. In the text field the
escape \\uXXXX is decoded to the Unicode character (used for homoglyphs,
zero-width characters, soft / non-breaking hyphens), everything else is literal.
Deterministic: re-running gives byte-identical files.
"""
import glob
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261206
DEV_FRACTION = 0.40
ESC = re.compile(r'\\u([0-9a-fA-F]{4})')


def decode(text):
    return ESC.sub(lambda m: chr(int(m.group(1), 16)), text)


def src_lines(pattern):
    for path in sorted(glob.glob(os.path.join(HERE, 'src', pattern))):
        with open(path, encoding='utf-8') as fh:
            for n, raw in enumerate(fh, 1):
                line = raw.rstrip('\n')
                if not line.strip() or line.lstrip().startswith('#'):
                    continue
                yield os.path.basename(path), n, line


def parse_defeat():
    rows = []
    for fname, n, line in src_lines('defeat_*.txt'):
        parts = line.split(' | ', 3)
        if len(parts) != 4 or not all(p.strip() for p in parts):
            raise SystemExit(f'{fname}:{n}: bad defeat line: {line!r}')
        style, device, action, text = (p.strip() for p in parts)
        rows.append({'id': None, 'text': decode(text), 'device': device,
                     'action': action, 'style': style})
    for i, r in enumerate(rows, 1):
        r['id'] = f'sf6-d{i:04d}'
    return rows


def parse_legit():
    rows = []
    for fname, n, line in src_lines('legit_*.txt'):
        parts = line.split(' | ', 2)
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise SystemExit(f'{fname}:{n}: bad legit line: {line!r}')
        topic, hard, text = (p.strip() for p in parts)
        if hard not in ('true', 'false'):
            raise SystemExit(f'{fname}:{n}: hard must be true/false: {hard!r}')
        rows.append({'id': None, 'text': decode(text), 'topic': topic,
                     'hard': hard == 'true'})
    for i, r in enumerate(rows, 1):
        r['id'] = f'sf6-l{i:04d}'
    return rows


def split(rows, key, rng):
    """Stratified split: per stratum (sorted stratum order) sort by id,
    shuffle with the shared RNG, first round(40%) go to dev."""
    strata = {}
    for r in rows:
        strata.setdefault(str(r[key]), []).append(r)
    dev_ids = set()
    for name in sorted(strata):
        group = sorted(strata[name], key=lambda r: r['id'])
        rng.shuffle(group)
        k = round(DEV_FRACTION * len(group))
        dev_ids.update(r['id'] for r in group[:k])
    dev = [r for r in rows if r['id'] in dev_ids]
    held = [r for r in rows if r['id'] not in dev_ids]
    return dev, held


def write(name, rows):
    with open(os.path.join(HERE, name), 'w', encoding='utf-8', newline='\n') as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + '\n')


def main():
    defeat = parse_defeat()
    legit = parse_legit()
    rng = random.Random(SEED)  # one RNG shared by all strata: defeat first, then legit
    d_dev, d_held = split(defeat, 'style', rng)
    l_dev, l_held = split(legit, 'hard', rng)
    write('defeat.jsonl', defeat)
    write('defeat_dev.jsonl', d_dev)
    write('defeat_heldout.jsonl', d_held)
    write('legit.jsonl', legit)
    write('legit_dev.jsonl', l_dev)
    write('legit_heldout.jsonl', l_held)
    print(f'defeat: {len(defeat)} (dev {len(d_dev)}, held-out {len(d_held)})')
    print(f'legit:  {len(legit)} (dev {len(l_dev)}, held-out {len(l_held)}), '
          f'hard {sum(r["hard"] for r in legit)}')


if __name__ == '__main__':
    main()
