"""Unknown-code detection over what the documents mention (``assistant.answer.unknown``).

The documents here are a few lines in the shapes real manuals use (exit codes,
option flags, numbered part families, error messages); ``term_count`` is a
phrase search over them, as the full-text index's is (without its stemmer).
"""

import re

import pytest

from assistant.answer.unknown import absent_asked, mentioned
from assistant.answer.extractive import group_steps, passage
from assistant.answer.types import Source
from knowledge_base.types import PROCEDURE, Chunk

pytestmark = pytest.mark.unit

DOCS = [
    "gammu returns 0 on success. 101 No error. 172 Phone is locked.",
    "Use connection dku5 or dku2 for DKU-5 and DKU-2 cables; append -nodtr for ARK3116 cables.",
    "The THCAD-5 and THCAD-10 are precalibrated; THCAD-300 reads up to 300V.",
    "G38.2 probes toward the workpiece. G33.1 is rigid tapping. The ARM7TDMI has two breakpoints.",
    "Error: JTAG scan chain interrogation failed: all zeroes. Check the cable.",
    "Option -W intel20 works around Intel 2.0 session bugs.",
    "Perfection 2400 USB 0x04b8/0x011b Complete. The driver returns _E_NO_DEV (-9019) when no scanner answers.",
]


def term_count(phrase: str) -> int:
    words = phrase.split()
    return sum(1 for d in DOCS if re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", d.lower()))


TOKENS = frozenset(re.sub(r"[\W_]", "", t.upper()) for d in DOCS for t in re.findall(r"[A-Za-z]{1,10}-?\d[\w-]*", d))


@pytest.mark.parametrize("question, expected", [
    ("gammu exit code 173", ("173",)),                 # a number introduced as an exit code
    ("gammu returns 97", ("97",)),
    ("gdb_get_char(): read: 10060", ("10060",)),
    ("should i use the -norts variant on my cable", ("NORTS",)),   # an option flag
    ("Dell R740 timeouts, should I use -W dell20 like intel20?", ("DELL20",)),  # a documented option's value
    ("mesa THCAD-20 range?", ("THCAD20",)),            # a numbered family's member not documented
    ("G38.6 probing what does it do", ("G38.6",)),
    ("connection = dku7 for nokia", ("DKU7",)),
    ("Error: target not halted when flashing", ("target not halted when flashing",)),  # a message
    ("lsusb shows 04b8:01ff, supported?", ("0X04B8/0X01FF",)),   # a vendor/product id pair
    ("usb 0x04b8/0x012f which backend", ("0X04B8/0X012F",)),
    ("ioctl failed(-9021) on open", ("9021",)),        # a log line's number in parentheses
])
def test_absent_asked_codes_are_found(question, expected):
    assert absent_asked(question, term_count, TOKENS) == expected


@pytest.mark.parametrize("question", [
    "gammu exit code 172",                             # documented
    "usb id 04b8:011b status?",                        # a documented pair, other spelling
    "ioctl failed(-9019) on open",
    "meeting at 10:30 about the scanner",              # a time is not an id pair
    "use connection dku5 with -nodtr?",
    "thcad-10 or thcad-300 for 300V?",
    "G38.2 probe direction",
    "Error: JTAG scan chain interrogation failed: all zeroes",
    "R720: choose the dedicated nic",                  # a model prefix, not a message
    "why don't my filter's messages show up",          # apostrophes are not quotes
    "G38.2 probing on my ARM7 board",                  # an absent id beside a documented code qualifies it
])
def test_documented_or_qualifying_tokens_are_not_unknown(question):
    assert absent_asked(question, term_count, TOKENS) == ()


def test_a_name_the_documents_use_is_mentioned_though_not_defined():
    assert mentioned("ARM7TDMI", term_count, TOKENS)
    assert mentioned("STATUS172", lambda p: term_count(p.replace("status ", "")), TOKENS)
    assert not mentioned("LPC2148", term_count, TOKENS)


def test_a_step_running_into_the_next_chunk_keeps_its_continuation():
    a = Chunk("a", "1. Check the clock.\n2. Slow the JTAG clock", "f.html", kind=PROCEDURE)
    b = Chunk("b", ". ARM11 cores use an 8:1 division.\n3. Retry.", "f.html", kind=PROCEDURE)
    steps = group_steps([Source("1", a, ""), Source("2", b, "")])
    assert steps == ["1. Check the clock.", "2. Slow the JTAG clock . ARM11 cores use an 8:1 division.", "3. Retry."]


def test_a_long_passage_keeps_the_sentence_after_the_best_match():
    text = ("Intro sentence about adapters. " + "Filler text about nothing here. " * 20 +
            "Higher AP numbers return an error on old firmware. The limit depends on the firmware version. " +
            "More filler about other things. " * 10)
    out = passage(Source("1", Chunk("c", text, "f.html"), ""), "st-link returns error for higher AP numbers", 300)
    assert "Higher AP numbers return an error" in out and "The limit depends on the firmware version." in out


def test_a_number_shared_with_other_names_and_a_long_command_name():
    assert absent_asked("what does the hp20 workaround flag do", term_count, TOKENS) == ("HP20",)
    assert absent_asked("ipmi-oem get-fan-speed-offset output", term_count, TOKENS) == ("get-fan-speed-offset",)
    # documented: "JTAG scan chain interrogation failed"; two of four word pairs are not
    assert absent_asked("Error: JTAG scan chain capture failed: all ones", term_count, TOKENS) == (
        "JTAG scan chain capture failed",)



def test_a_number_after_any_label_is_not_an_exit_code():
    assert absent_asked("base_period: 25000 ok for steppers?", term_count, TOKENS) == ()


def test_english_hyphenated_compounds_are_not_commands():
    assert absent_asked("value out-of-range after a plug-and-play reset", term_count, TOKENS) == ()
