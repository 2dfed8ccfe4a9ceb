"""Follow-up questions: rewrite the retrieval query from earlier turns.

"and if that doesn't help?" retrieves nothing useful on its own. A question
that leans on the conversation (short, or with a pronoun or "again"/"else"/
"instead", and no fault code or asset of its own) is retrieved together
with the previous user question; the generator still sees the question as
asked. A question that starts a new topic starts fresh: it names its own
code, model or asset, says so ("separate question", "different thing"), or
names another kind of equipment than the previous turn ("the compressor"
after a pump question). Deterministic and instant: no model call.

>>> rewrite("and if that doesn't help?", ["P-3 shows E-104, what do I check first?"])
"P-3 shows E-104, what do I check first? and if that doesn't help?"
>>> rewrite("What does ALARM:9 mean?", ["P-3 shows E-104"])
'What does ALARM:9 mean?'
>>> rewrite("the compressor discharge temperature keeps rising, what then?", ["How do I change the pump seal?"])
'the compressor discharge temperature keeps rising, what then?'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .intent import equipment_words

_LEANS = re.compile(r"\b(it|that|this|those|these|them|there|again|else|instead|also|then|next|"
                    r"same|other|another|one)\b|^(and|but|so|what if|what about|how about)\b", re.I)
_ANCHOR = re.compile(r"\b([A-Z]{1,5}[-:\s]?\d{1,4}|ALARM|ERR)\b")


_NEW_TOPIC = re.compile(r"\b(separate|different|new|unrelated|another|other) (question|thing|topic|issue|subject)\b"
                        r"|^(by the way|btw|also unrelated)\b", re.I)


def is_follow_up(question: str, previous: str = "") -> bool:
    """True when ``question`` leans on the previous turn (``previous``, its
    retrieval query) rather than starting a topic of its own."""
    q = question.strip()
    if _ANCHOR.search(q) or _NEW_TOPIC.search(q):
        return False
    named = equipment_words(q)
    if named and previous and not named & equipment_words(previous):
        return False  # another machine than the one talked about
    return len(q.split()) <= 6 or bool(_LEANS.search(q))


def rewrite(question: str, history: Sequence[str]) -> str:
    """The retrieval query for ``question`` given earlier user questions."""
    if not history or not is_follow_up(question, history[-1]):
        return question
    return f"{history[-1].strip()} {question.strip()}"
