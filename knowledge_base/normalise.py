"""Fold text to a plain lower-case form before safety and injection checks.

Checks that look for phrasings ("bypass the interlock", "ignore previous
instructions") are easy to dodge with spelling tricks a reader does not even
notice: a Cyrillic "а" inside "bypаss", a zero-width space, "By-pass",
"b y p a s s", fullwidth or mathematical letters, "byp4ss". :func:`fold`
undoes those tricks; the folded text is only ever *checked*, never shown.

* NFKC, then accents stripped (the word lists are written without them);
* characters that draw like Latin letters (Cyrillic, Greek, a few IPA and
  Armenian ones) mapped to those letters;
* zero-width and other invisible format characters dropped, soft hyphens too;
* a hyphen, dot, underscore or slash between letters dropped ("by-pass",
  "e-stop", "cut-out" read "bypass", "estop", "cutout"); runs of single
  letters spaced out ("b y p a s s", "b.y.p.a.s.s") joined, a wider gap
  kept as a word break ("l i g h t  c u r t a i n"), the last letter of a
  contraction left alone ("don't b y p a s s");
* leetspeak digits inside words of letters ("byp4ss", "1nterl0ck") read as
  letters; designations such as K7, S4, F0031 or E-104 are left alone.

Chinese and other scripts without look-alikes pass through unchanged.

>>> fold("Bypаss the guard interlock")   # Cyrillic a
'bypass the guard interlock'
>>> fold("By-pass the E-stop; b y p a s s it, byp4ss the 1nterl0ck at K7")
'bypass the estop; bypass it, bypass the interlock at k7'
>>> fold("don't b y p a s s the l i g h t  c u r t a i n")
'dont bypass the light curtain'
>>> fold("Ｄｉｓａｂｌｅ the door\u200bswitch")
'disable the doorswitch'
>>> fold("Überbrücken Sie den Türschalter")
'uberbrucken sie den turschalter'
"""

from __future__ import annotations

import re
import unicodedata

_LOOKALIKE = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "ɡ": "g", "һ": "h", "ӏ": "l", "ո": "n", "ս": "u", "ց": "g", "օ": "o",
    "ь": "b", "п": "n", "г": "r", "л": "n", "ы": "bi",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j", "μ": "u", "ς": "s",
    # Latin look-alikes outside ASCII that NFKC keeps
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss", "æ": "ae", "œ": "oe",
    "ɑ": "a", "ɩ": "i", "ʏ": "y", "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g",
    "ʜ": "h", "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
    "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z",
}
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
_DASHES = re.compile(r"(?<=[^\W\d_])[-\u2010-\u2015\u2212._/*'’](?=[^\W\d_])")
_SPACED = re.compile(r"(?<![\w'’])(?:[^\W\d_](?:[ .\-_*]| - )){2,}[^\W\d_]\b")  # not the "t" of "don't"
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
                       "8": "b", "9": "g"})
_TOKEN = re.compile(r"[\w@$]*[\d@$][\w@$]*")  # only tokens that may hide letters
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKE)
_DESIGNATION = re.compile(r"^(?:[a-z]{1,3}\d+[a-z]?|\d+[a-z]{0,3}|[a-z]\d+[a-z]\d*)$")


_SPLIT_DASH = re.compile(r"([^\W\d_]+)[-\u2010-\u2015\u2212](?=([^\W\d_]+))")
_JOINED = {"by", "e", "inter", "over", "cut", "re", "de", "un", "pre", "non", "co", "dis", "in", "pass", "stop"}


def _dash(m: re.Match) -> str:
    left, right = m.group(1), m.group(2)
    if len(left) == 1 or len(right) == 1 or left in _JOINED or right in _JOINED:
        return left
    return left + " "


def _leet(token: str) -> str:
    """``token`` with leet digits read as letters when it is a word that hides
    letters behind digits ("byp4ss"), not a designation ("k7", "f0031")."""
    token, tail = token.rstrip("$"), token[len(token.rstrip("$")):]
    letters = sum(c.isalpha() for c in token)
    if letters < 2 or token.isalpha() or _DESIGNATION.match(token) or \
            not any(c.isdigit() or c in "@$" for c in token):
        return token + tail
    return token.translate(_LEET) + tail


def fold(text: str, join: bool = True) -> str:
    """The folded, lower-case form of ``text`` (see the module docstring);
    ``join=False`` reads a hyphen between two words as a space ("high-temperature
    limit" -> "high temperature limit") unless one side is a single letter or a
    prefix ("by-pass", "e-stop", "cut-out" are still joined)."""
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).lower().translate(_LOOKALIKE_TABLE)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = text.translate(_LOOKALIKE_TABLE)
    # spaced-out letters are joined before runs of spaces shrink, so a wider gap
    # still ends a word: "l i g h t  c u r t a i n" reads "light curtain"
    text = " ".join(_SPACED.sub(lambda m: re.sub(r"[ .\-_*]", "", m.group(0)), text.replace("\u3000", "  ")).split())
    text = _DASHES.sub("", text) if join else _SPLIT_DASH.sub(_dash, text)
    text = _TOKEN.sub(lambda m: _leet(m.group(0)), text)
    return " ".join(text.split())
