"""The items of a grouped definition chunk that a question asks about.

The chunker groups a man page's short definition items (exit statuses,
return values, option values) into one chunk of up to 400 characters, with
the sentence that introduces them. An answer about one code quotes that
code's item (and the introducing sentence), not its neighbours' meanings.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge_base.vocabulary import line_codes, term_codes


def asked_items(codes: Sequence[str], text: str, section: Sequence[str] = ()) -> str:
    r"""Of a chunk of grouped definition items ("8\nRC 8 meaning\n\n9\nRC 9 ..."),
    only the items that define one of ``codes`` (by their term, or a code
    opening their body), after the sentence that introduces the list; the
    whole text when no item is picked out (one item, or none carries a code).

    >>> asked_items(["STATUS9"], "Exit codes:\n\n8\nBusy.\n\n9\nNo login.\n\n10\nTimeout.", ("EXIT STATUS",))
    'Exit codes:\n\n9\nNo login.'
    """
    items = text.split("\n\n")
    if len(items) < 2 or not codes:
        return text
    asked = set(codes)

    def carries(item: str) -> bool:
        term, _, body = item.partition("\n")
        return bool(asked & set(term_codes(term, section) + line_codes(body.split("\n", 1)[0], section)))

    keep = [i for i, item in enumerate(items) if carries(item)]
    if not keep or len(keep) == len(items):
        return text
    lead = [0] if "\n" not in items[0] and items[0].rstrip().endswith(":") and 0 not in keep else []
    return "\n\n".join(items[i] for i in lead + keep)
