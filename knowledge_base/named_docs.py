"""Which documents a question names by their own name.

Many manuals are one page per function, command or backend (a library's man
pages ``modbus_new_tcp.3``, ``modbus_new_rtu.3``; a scanner package's
``sane-epson2.5``; a tool's ``nvme-wdc-namespace-resize.1``), and the same
error code (EINVAL, EMBMDATA) is defined on each with its own meaning. A
question that names the function ("EINVAL from modbus_new_tcp") wants that
page's definition first.

A document is *named* when the words of its file stem (the name without its
man section and extensions, split at ``-``, ``_`` and ``.``) occur in a row in
the question, or, when most of the set's pages share a first word ("nvme",
"modbus", "sane"), the rest of the stem of at least two words does
("wdc namespace-resize" names ``nvme-wdc-namespace-resize.1``). When one named
stem lies inside a longer named stem (``modbus_new_tcp`` inside
``modbus_new_tcp_pi``), only the longer one is kept.

>>> n = NamedDocuments(["/d/modbus_new_tcp.3.txt", "/d/modbus_new_tcp_pi.3.txt", "/d/modbus_new_rtu.3.txt"])
>>> n.find("EINVAL from modbus_new_tcp, why")
('/d/modbus_new_tcp.3.txt',)
>>> n.find("modbus_new_tcp_pi -> EINVAL")
('/d/modbus_new_tcp_pi.3.txt',)
>>> n.find("new rtu returns EINVAL")
('/d/modbus_new_rtu.3.txt',)
>>> n.find("EINVAL from the library")
()
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import PurePath

_WORD = re.compile(r"[a-z0-9]+")
_EXT = re.compile(r"(\.(txt|html?|md|rst|adoc|pdf|gz|[0-9][a-z]*))+$", re.I)


def stem_words(path: str) -> tuple[str, ...]:
    """A file's name as words, without its extensions and man section.

    >>> stem_words("/x/nvme-wdc-namespace-resize.1.txt")
    ('nvme', 'wdc', 'namespace', 'resize')
    """
    name = _EXT.sub("", PurePath(path).name)
    return tuple(_WORD.findall(name.lower()))


def _inside(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    n = len(small)
    return n < len(big) and any(big[i:i + n] == small for i in range(len(big) - n + 1))


class NamedDocuments:
    """File stems of a knowledge base's documents, found in questions."""

    def __init__(self, paths: Iterable[str]) -> None:
        stems = {p: stem_words(p) for p in paths}
        # a one-word upper-case name (README, NEWS, INSTALL) is a kind of file, not a thing's name
        self.stems = {p: s for p, s in stems.items()
                      if s and not (len(s) == 1 and _EXT.sub("", PurePath(p).name).isupper())}
        firsts = Counter(s[0] for s in self.stems.values() if len(s) > 1)
        n = max(1, len(self.stems))
        # a first word most pages share is the set's prefix, not a name
        self.prefixes = {w for w, c in firsts.items() if c >= 3 and c / n >= 0.3}

    def _forms(self, stem: tuple[str, ...]) -> list[tuple[str, ...]]:
        forms = [stem] if len(stem) > 1 or stem[0] not in self.prefixes else []
        if len(stem) >= 3 and stem[0] in self.prefixes:
            forms.append(stem[1:])
        return forms

    def stem_len(self, path: str) -> int:
        """How many words the document's name has (0: not a known document)."""
        return len(self.stems.get(path, ()))

    def find(self, text: str) -> tuple[str, ...]:
        """The documents the question names, longest name first."""
        words = tuple(_WORD.findall(text.lower()))
        if not words:
            return ()
        found: dict[str, tuple[str, ...]] = {}
        for path, stem in self.stems.items():
            for form in self._forms(stem):
                if len(form) == 1 and len(form[0]) < 4:
                    continue
                if any(words[i:i + len(form)] == form for i in range(len(words) - len(form) + 1)):
                    found[path] = form
                    break
        keep = [p for p, f in found.items() if not any(_inside(f, g) for q, g in found.items() if q != p)]
        return tuple(sorted(keep, key=lambda p: -len(found[p])))
