"""Score fusion (knowledge_base.fusion) and the abstention evidence built on
each lane's own strength (assistant.answer.abstain)."""

import pytest

from assistant.answer.abstain import Evidence, absent_codes
from knowledge_base.fusion import convex, normalised
from knowledge_base.retrieval import rrf
from knowledge_base.types import Chunk, Hit

pytestmark = pytest.mark.unit


def chunks(*ids):
    return [Chunk(i, f"text {i}", "m.md") for i in ids]


def test_a_clear_bm25_winner_is_not_outvoted_by_two_lanes_agreeing_low():
    a, b, c, d = chunks("a", "b", "c", "d")
    bm25 = [Hit(a, 12.0)] + [Hit(x, 2.0) for x in (b, c, d)]
    dense = [Hit(b, .41), Hit(c, .40), Hit(d, .40)]  # a flat embedding ranking, without a
    assert rrf({"bm25": bm25, "dense": dense}, {"bm25": 1, "dense": 1})[0].chunk.id != "a"
    fused = convex({"bm25": bm25, "dense": dense})
    assert fused[0].chunk.id == "a" and fused[0].lanes == {"bm25": 1}


def test_normalisation_per_lane():
    a, b, c = chunks("a", "b", "c")
    assert normalised("bm25", [Hit(a, 4.0), Hit(b, 1.0)]) == {"a": 1.0, "b": 0.25}
    assert normalised("dense", [Hit(a, .8), Hit(b, .6), Hit(c, .4)]) == pytest.approx({"a": 1, "b": .5, "c": 0})
    assert normalised("code", [Hit(a, 1), Hit(b, 1)]) == {"a": 1.0, "b": 0.5}
    assert normalised("dense", [Hit(a, .5), Hit(b, .5)]) == {"a": 1.0, "b": 1.0}
    assert normalised("bm25", []) == {}


def test_either_lane_strong_enough_answers():
    weak_dense = Evidence((), (), 0.35, 1.0, ())  # score 0.55 < 0.65
    assert weak_dense.abstains(0.65, 0.2)
    assert not Evidence((), (), 0.35, 1.0, (), lexical=0.7).abstains(0.65, 0.2)
    assert Evidence((), (), 0.35, 1.0, (), lexical=0.2).abstains(0.65, 0.2)
    assert Evidence((), ("X9",), 0.9, 1.0, (), lexical=0.9).abstains(0.65, 0.2)  # an unknown code still abstains


def test_words_where_a_code_goes_that_no_passage_uses():
    vocabulary = {"smartd", "failtype", "errorpolicy", "retry job", "battattach", "event", "shows"}
    count = lambda phrase: int(phrase in vocabulary)  # noqa: E731
    known = {"SMARTD_FAILTYPE", "ERRORPOLICY", "BIT1", "BIT2", "UPS.STATUS"}
    assert absent_codes("smartd mail says SMARTD_FAILTYPE=ThermalThrottle.", known, count) == ("THERMALTHROTTLE",)
    assert absent_codes("What does ErrorPolicy suspend-printer do?", known, count) == ("SUSPENDPRINTER",)
    assert absent_codes("What does ErrorPolicy retry-job do?", known, count) == ()
    assert absent_codes("apccontrol got a battfault event", known, count) == ("BATTFAULT",)
    assert absent_codes("apccontrol got a battattach event", known, count) == ()
    assert absent_codes("smartctl exited with bit 8 set", known, count) == ("BIT8",)
    assert absent_codes("ups.status shows BRNOUT", known, count) == ("BRNOUT",)
    assert absent_codes("How do I stop the disks spinning up?", known, count) == ()
    # a plain lower-case word after a family word is English ("value lost", "status changed"; realdocs5)
    assert absent_codes("set-feature value lost after power cycle", known, count) == ()
    assert absent_codes("the event flag OVERTEMP is set", known, count) == ("OVERTEMP",)
    # a letters-only prefix of a known code names its family, not an unknown code
    assert absent_codes("is ERRORP in the list", known, count) == ()
    assert absent_codes("is UPSX in the list", known, count) == ("UPSX",)


def test_plain_words_after_a_code_or_a_unit_are_not_values():
    # A code or setting then an ordinary lower-case word is the asker's prose, not a value;
    # "32-bit userland" and "numeric value" are an adjective's words (realdocs4 dev questions).
    count = lambda phrase: 0  # noqa: E731
    known = {"MPATH_PR_OTHER", "DEV_LOSS_TMO", "ISCSI_ERR_ISNS_UNAVAILABLE", "BIT1"}
    assert absent_codes("MPATH_PR_OTHER retured, what kind of error", known, count) == ()
    assert absent_codes("dev_loss_tmo capped at 600 seconds, why", known, count) == ()
    assert absent_codes("ISCSI_ERR_ISNS_UNAVAILABLE meaning + numeric value?", known, count) == ()
    assert absent_codes("login hangs on 64-bit kernel with 32-bit userland", known, count) == ()
    assert absent_codes("dev_loss_tmo=forever", known, count) == ("FOREVER",)  # written as a value
    assert absent_codes("mode bogus2 on dev_loss_tmo", known, count) == ("BOGUS2",)
