"""Find the files an ingest run covers.

A file named on the command line is always tried (an unknown extension is
then reported as an error). Inside a folder, walked recursively in sorted
order, only supported extensions are taken, hidden files and folders are
skipped, and a ``.faultdeskignore`` file (one glob per line, ``#`` comments,
a trailing ``/`` for folders) excludes paths relative to the folder it sits
in.
"""

from __future__ import annotations

import errno
import fnmatch
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

IGNORE_FILE = ".faultdeskignore"


def _read_ignore(folder: Path) -> list[str]:
    f = folder / IGNORE_FILE
    if not f.is_file():
        return []
    lines = (ln.strip() for ln in f.read_text(encoding="utf-8", errors="replace").splitlines())
    return [ln for ln in lines if ln and not ln.startswith("#")]


def _ignored(rel: str, is_dir: bool, rules: Iterable[tuple[str, list[str]]]) -> bool:
    for base, patterns in rules:
        if base and not rel.startswith(base + "/"):
            continue
        sub = rel[len(base) + 1:] if base else rel
        for pat in patterns:
            if pat.endswith("/"):
                if is_dir and (fnmatch.fnmatch(sub, pat[:-1]) or fnmatch.fnmatch(Path(sub).name, pat[:-1])):
                    return True
            elif fnmatch.fnmatch(sub, pat) or fnmatch.fnmatch(Path(sub).name, pat):
                return True
    return False


def walk(folder: Path, extensions: Iterable[str]) -> list[Path]:
    """Supported, non-hidden, non-ignored files under ``folder``, sorted."""
    exts = {e.lower() for e in extensions}
    rules: list[tuple[str, list[str]]] = []
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        d = Path(dirpath)
        rel_dir = d.relative_to(folder).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        if pats := _read_ignore(d):
            rules.append((rel_dir, pats))
        dirnames[:] = sorted(n for n in dirnames if not n.startswith(".")
                             and not _ignored(f"{rel_dir}/{n}".lstrip("/"), True, rules))
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}".lstrip("/")
            if name.startswith(".") or Path(name).suffix.lower() not in exts or _ignored(rel, False, rules):
                continue
            out.append(d / name)
    return out


def discover(paths: Sequence[str | Path], extensions: Iterable[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """(files to ingest, [(path, error)] for paths that do not exist or cannot
    be resolved, such as a symlink loop: each is one line, the others go on)."""
    exts = list(extensions)
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(walk(p, exts))
        elif p.is_file():
            files.append(p)
        elif p.is_symlink():
            missing.append((str(p), _unresolvable(p)))
        else:
            missing.append((str(p), "no such file or directory"))
    resolved: list[Path] = []
    for f in files:
        try:
            resolved.append(f.resolve(strict=True))
        except (OSError, RuntimeError):
            missing.append((str(f), _unresolvable(f)))
    return list(dict.fromkeys(resolved)), missing


def _unresolvable(path: Path) -> str:
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return "symlink loop"
    except OSError as exc:
        return "symlink loop" if exc.errno == errno.ELOOP else f"broken link ({exc.strerror or exc})"
    return "cannot be resolved"
