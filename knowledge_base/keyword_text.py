"""The keyword lane's tokens: SQLite FTS5's ``porter unicode61`` tokenizer, in Python.

The tantivy keyword index (``knowledge_base.keyword_index``) is fed these
tokens already made (its own tokenizer only splits on spaces), and queries
go through the same function, so index and query agree, and both agree with
the FTS5 baseline: the same tokens, the same stems.

* unicode61: a token is a run of token characters; ASCII letters and digits
  are, and each is lowercased. What a non-ASCII character is (a separator,
  or a token character and what it folds to: lowercase, Latin diacritics
  removed; SQLite's tables, of its own Unicode version, decide) is asked of
  SQLite's unicode61 tokenizer itself, once per distinct character;
* porter: ``knowledge_base.porter.stem`` of each token.

>>> terms("Replacing the BEARINGS, café E-104")
['replac', 'the', 'bear', 'cafe', 'e', '104']
"""

from __future__ import annotations

import re
import sqlite3
import threading

from .porter import stem

_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
_CACHE_MAX = 2_000_000


class _CharTable(dict):
    """``str.translate`` table: ASCII set up front, other characters filled
    in from SQLite on first sight (:meth:`learn`)."""

    def __init__(self) -> None:
        super().__init__({c: (chr(c).lower() if chr(c).isalnum() else " ") for c in range(128)})
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def __missing__(self, code: int) -> str:
        self.learn({chr(code)})
        return self[code]

    def learn(self, chars: set[str]) -> None:
        """Ask SQLite how unicode61 (remove_diacritics=1) treats each of ``chars``:
        ``x<c>x`` gives two tokens for a separator, else one, ``x<fold(c)>x``."""
        with self._lock:
            new = sorted(c for c in chars if ord(c) not in self)
            if not new:
                return
            if self._db is None:
                self._db = sqlite3.connect(":memory:", check_same_thread=False)
                self._db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61')")
                self._db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
            db = self._db
            db.execute("DELETE FROM t")
            db.executemany("INSERT INTO t(rowid, x) VALUES(?, ?)", [(i, f"x{c}x") for i, c in enumerate(new)])
            toks: dict[int, list[str]] = {}
            for term, doc in db.execute("SELECT term, doc FROM v ORDER BY doc, offset"):
                toks.setdefault(doc, []).append(term)
            for i, c in enumerate(new):
                got = toks.get(i, [])
                self[ord(c)] = got[0][1:-1] if len(got) == 1 else " "


_TABLE = _CharTable()


def tokens(text: str) -> list[str]:
    """The lowercase, folded, unstemmed tokens of ``text``."""
    if text.isascii():
        return _ASCII_TOKEN.findall(text.lower())
    unknown = {c for c in set(text) if ord(c) not in _TABLE}
    if unknown:
        _TABLE.learn(unknown)
    return [t for t in text.translate(_TABLE).split(" ") if t]


class _Stems(dict):
    """word -> Porter stem, filled on first sight (bounded)."""

    def __missing__(self, word: str) -> str:
        if len(self) >= _CACHE_MAX:
            self.clear()
        s = self[word] = stem(word)
        return s


_STEMS = _Stems()


def terms(text: str) -> list[str]:
    """The index terms of ``text``: :func:`tokens`, each stemmed."""
    return list(map(_STEMS.__getitem__, tokens(text)))


_QUERY_WORD = re.compile(r"\w+", re.UNICODE)


def query_phrases(query: str, extra_terms=()) -> list[tuple[str, ...]]:
    """The phrases the FTS5 lane ORs for ``query`` (``SqliteIndex.keyword``):
    each distinct lowercased ``\\w+`` word of the query, then each extra term,
    as FTS5 tokenizes it (a word with an underscore, or a code like
    ``ALARM:9``, is a phrase of several terms; two words with one stem are
    two phrases). Words with no token are left out.

    >>> query_phrases("Bearing bearings oil_temp_c", ["E104"])
    [('bear',), ('bear',), ('oil', 'temp', 'c'), ('e104',)]
    """
    words = [w.lower() for w in _QUERY_WORD.findall(query)] + [t.lower() for t in extra_terms]
    out = []
    for w in dict.fromkeys(words):
        p = tuple(terms(w))
        if p:
            out.append(p)
    return out
