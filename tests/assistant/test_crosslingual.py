"""Chinese questions on English manuals: boundaries, language, translation
hook, extractive fallback without a model, the marked summary."""

import pytest

from assistant.answer import crosslingual as xl
from assistant.answer.abstain import Abstainer
from assistant.answer.core import Assistant
from assistant.llm.base import LLM
from knowledge_base.assets import AssetResolver
from knowledge_base.codes import CodeMatcher
from knowledge_base.errors import ModelError


class Translator(LLM):
    """Deterministic stand-in for the local model: a fixed translation, a fixed
    summary, and (for the answer backend) a reply quoting source [1]."""

    name = "translator"

    def __init__(self, translation, summary="检查驱动端轴承和对中。", fail=False):
        self.translation, self.summary, self.fail, self.prompts = translation, summary, fail, []

    def stream(self, messages, *, max_tokens=384, temperature=0.0, stop=None):
        system = messages[0].content
        self.prompts.append(system)
        if self.fail:
            raise ModelError("worker down")
        if "translator" in system.lower():
            yield self.translation
        elif system.startswith("Summarise"):
            yield self.summary
        else:
            yield "Check the alignment and replace the drive-end bearing [1]."


@pytest.mark.unit
def test_codes_and_assets_found_inside_chinese_text():
    assert CodeMatcher().find("泵P-3出现E-104报警") == ("E104",)
    assert CodeMatcher().find("报e-104了", lenient=True) == ("E104",)
    assert AssetResolver({"P-3": "CP-80S"}).find("泵P-3出现E-104报警") == ("P-3",)
    assert AssetResolver({"P-3": "CP-80S"}).find("泵P-3现在有什么问题？") == ("P-3",)
    # ASCII letters still bound a code: no code inside a longer word
    assert CodeMatcher().find("XE-1040A") == ()


@pytest.mark.unit
@pytest.mark.parametrize("text, lang", [
    ("泵P-3现在有什么问题？", "zh"), ("P-3 报 E-104", "zh"), ("What does E-104 mean?", "en"),
    ("E-104", "en"), ("ポンプの振動", "ja"), ("펌프 진동", "ko"),
    ("How do I replace the 轴承 on the CP-80S drive end pump?", "en"),
])
def test_language(text, lang):
    assert xl.language(text) == lang


@pytest.mark.unit
def test_prepare_with_and_without_a_model():
    assert xl.prepare("What does E-104 mean?", None) is None
    q = xl.prepare("泵P-3出现E-104报警怎么办", Translator("Pump P-3 shows alarm E-104, what to do?"))
    assert q.translation == "Pump P-3 shows alarm E-104, what to do?"
    assert q.dense_text == q.translation and "泵P-3" in q.search_text and q.translation in q.search_text
    bare = xl.prepare("泵P-3出现E-104报警，bearing很烫", None, glossary=False)
    assert bare.translation is None and bare.dense_text == "P-3 E-104 bearing" and bare.notice == xl.NO_MODEL
    gloss = xl.prepare("泵P-3出现E-104报警，bearing很烫", None)
    assert gloss.dense_text == "P-3 E-104 bearing pump alarm fault hot appear"  # 出现: general dictionary
    assert gloss.evidence_text == "P-3 E-104 bearing; pump; alarm; fault; hot"  # glossary terms only
    assert gloss.search_text.startswith("泵P-3出现E-104报警") and gloss.notice == xl.NO_MODEL
    broken = xl.prepare("泵P-3出现E-104报警", Translator("", fail=True))
    assert broken.translation is None and broken.notice == xl.NO_MODEL


@pytest.mark.integration
def test_chinese_question_through_the_assistant(retriever):
    llm = Translator("Pump P-3 shows E-104, what should I do?")
    a = Assistant(retriever, Abstainer(retriever.store.index, threshold=0.3), llm, "local")
    ans = a.ask("泵P-3出现E-104报警怎么办")
    assert not ans.abstained and ans.question == "泵P-3出现E-104报警怎么办"
    assert ans.answer.startswith("【机器翻译摘要（machine translation）】检查驱动端轴承和对中。")
    assert "drive-end bearing" in ans.answer  # the manual's English text stays
    assert any(c.as_json()["source"].endswith("pump.md") for c in ans.citations)
    assert any("machine-translated" in n for n in ans.notices)
    assert "translate_ms" in ans.timings


@pytest.mark.integration
def test_extractive_without_a_model_searches_codes_and_says_so(retriever):
    a = Assistant(retriever, Abstainer(retriever.store.index, threshold=0.3), None, "extractive")
    ans = a.ask("泵P-3出现E-104报警怎么办")
    assert not ans.abstained and "E-104" in ans.answer and "【" not in ans.answer
    assert xl.NO_MODEL in ans.notices


@pytest.mark.integration
def test_a_summary_not_in_the_question_language_is_not_labelled(retriever):
    llm = Translator("Pump P-3 shows E-104, what should I do?", summary="Check the drive-end bearing.")
    ans = Assistant(retriever, Abstainer(retriever.store.index, threshold=0.3), llm, "local").ask("泵P-3出现E-104报警怎么办")
    assert "【" not in ans.answer and "drive-end bearing" in ans.answer
    assert "No summary in the question's language: the model did not write one." in ans.notices


@pytest.mark.unit
def test_with_a_model_the_glossary_joins_the_keyword_search_and_the_evidence():
    q = xl.prepare("联轴器对中偏了多少", Translator("How much is the axiser offset?"))
    assert q.dense_text == q.translation
    assert "coupling" in q.evidence_text and "axiser" not in q.evidence_text  # judged on what the question says
    nothing = xl.prepare("他叫什么名字", Translator("What is his name?"))  # no code, no glossary word
    assert nothing.evidence_text == nothing.translation
    assert "coupling" in q.search_text and "alignment" in q.search_text and "axiser" in q.search_text
    plain = xl.prepare("联轴器对中偏了多少", Translator("How much is the axiser offset?"), glossary=False)
    assert "coupling" not in plain.search_text


@pytest.mark.integration
def test_without_a_model_a_glossary_word_finds_the_english_passage(retriever):
    """No code, no asset, no Latin letter: only the glossary can find the passage."""
    from knowledge_base.retrieval import Query

    question = "联轴器对中怎么检查"  # how is the coupling alignment checked
    xq = xl.prepare(question, None)
    assert xq.notice == xl.NO_MODEL and "alignment" in xq.dense_text
    hits = retriever.retrieve(Query(xq.search_text, k=5, dense_text=xq.dense_text)).hits
    bare = xl.prepare(question, None, glossary=False)
    bare_hits = retriever.retrieve(Query(bare.search_text, k=5, dense_text=bare.dense_text)).hits
    assert "align" in hits[0].chunk.text.lower()
    assert "align" not in (bare_hits[0].chunk.text.lower() if bare_hits else "")


@pytest.mark.unit
def test_a_glued_or_dropped_code_is_put_back_into_the_translation():
    q = xl.prepare("泵P-3出现E-104报警怎么办", Translator("The pumpP-3 has an alarm, what to do?"))
    assert q.translation == "The pump P-3 has an alarm, what to do? (E-104)"
    assert q.dense_text == q.translation and "E-104" in q.evidence_text and "P-3" in q.evidence_text
    assert AssetResolver({"P-3": "CP-80S"}).find(q.translation) == ("P-3",)
    assert CodeMatcher().find(q.translation) == ("E104",)


@pytest.mark.unit
def test_a_translation_that_changes_what_is_asked_is_only_an_extra_search():
    """"what's wrong with P-3 now" translated as a statement: the state question is lost."""
    q = xl.prepare("泵P-3现在有什么问题？", Translator("The pumpP-3 has a problem."))
    assert q.translation is None and q.extra == "The pump P-3 has a problem."
    assert q.notice == xl.UNFAITHFUL.format(q.extra)
    assert q.extra in q.search_text and q.search_text.startswith("泵P-3现在有什么问题？")
    assert "P-3" in q.dense_text and "pump" in q.dense_text and "P-3" in q.evidence_text
    good = xl.prepare("泵P-3现在有什么问题？", Translator("What is wrong with pump P-3 now?"))
    assert good.translation == "What is wrong with pump P-3 now?" and good.extra is None and good.notice is None


@pytest.mark.integration
def test_a_loose_translation_that_asks_the_same_kind_of_question_is_used_with_its_id_set_apart(retriever):
    llm = Translator("The pumpP-3 has an E-104 alarm.")  # "what should I do" lost, but no state question either
    a = Assistant(retriever, Abstainer(retriever.store.index, threshold=0.3), llm, "local")
    ans = a.ask("泵P-3出现E-104报警怎么办")
    assert not ans.abstained and "drive-end bearing" in ans.answer
    assert ans.answer.startswith("【机器翻译摘要（machine translation）】")
    assert any("machine-translated" in n and "The pump P-3 has an E-104 alarm." in n for n in ans.notices)


@pytest.mark.integration
@pytest.mark.parametrize("llm", [None, "model"])
def test_glossary_terms_and_shop_acronyms_are_judged_as_words_not_codes(retriever, llm):
    """"e-stop alarm" (two glossary terms side by side) read as an undefined code ESTOP, and
    LOTO written by a Chinese engineer as a fault code the manuals never define: both made an
    in-scope question abstain where its English version does not; with and without a model."""
    from knowledge_base.retrieval import Query

    abstainer = Abstainer(retriever.store.index)
    model = Translator("Who repaired the emergency stop alarm on AC-1?") if llm else None
    for question in ("AC-1急停报警是谁修的", "泵P-3检修前LOTO怎么做"):
        xq = xl.prepare(question, model)
        ev = abstainer.evidence(xq.evidence_text, retriever.retrieve(Query(xq.search_text, dense_text=xq.dense_text)))
        assert ev.unknown_codes == () and ev.strong_unknown == (), (question, xq.evidence_text)
    assert "loto" in xl.prepare("泵P-3检修前LOTO怎么做", model).evidence_text
    assert "lockout" in xl.prepare("泵P-3检修前LOTO怎么做", model).search_text


@pytest.mark.unit
def test_dictionary_words_are_searched_but_not_judged():
    """The general dictionary's senses (noisy: one word, first sense) join the search, not the evidence
    (unless the glossary knows under half of the question: see the next test but one)."""
    xq = xl.prepare("泵轴封那里一直在滴水", None)
    assert "water" in xq.search_text and "water" in xq.dense_text
    assert "water" not in xq.evidence_text and "pump" in xq.evidence_text
    assert "water" not in xl.prepare("泵轴封那里一直在滴水", None, general=False).search_text


@pytest.mark.unit
def test_a_model_that_answers_instead_of_translating_is_not_used():
    """The small model's "... is not specified in the given text" is an answer from nothing, not a
    translation: embedded for the dense lane it made an in-scope question abstain. The question is
    searched and judged exactly as without a model, and a notice says why."""
    question = "皮带机变频器断电以后要等多久才能开盖？"
    xq = xl.prepare(question, Translator("The time to open the cover is not specified in the given text."))
    alone = xl.prepare(question, None)
    assert xq.translation is None and xq.extra is None and "instead of translating" in xq.notice
    assert (xq.search_text, xq.dense_text, xq.evidence_text) == (alone.search_text, alone.dense_text, alone.evidence_text)
    kept = xl.prepare(question, Translator("How long after switching off the conveyor VFD can I open the cover?"))
    assert kept.translation and kept.notice is None


@pytest.mark.unit
def test_a_question_the_glossary_barely_knows_is_judged_by_its_other_words_too():
    """维修技术员一年有几天年假 (vacation days of maintenance staff, out of scope): the glossary
    knows only 维修 "maintenance", which the manuals hold, so judged on that alone it was answered
    where its English version abstains. When glossary words are under half of a code-less
    question's content, the dictionary senses of its other words (two characters or more) join
    the evidence, with and without a model; a question the glossary mostly knows is judged as before."""
    question = "维修技术员一年有几天年假？"
    for model in (None, Translator("How many days of annual leave does a maintenance technician get?")):
        ev = xl.prepare(question, model).evidence_text
        assert "maintenance" in ev and "annual leave" in ev and "technician" in ev, ev
    mostly = xl.prepare("泵轴承刚打完黄油就发烫", None)  # pump bearing hot after greasing: glossary words
    assert "finish" in mostly.search_text and "finish" not in mostly.evidence_text
    coded = xl.prepare("P-3的技术员一年有几天年假？", None)  # a code or asset carries the topic
    assert "annual leave" in coded.search_text and "annual leave" not in coded.evidence_text



@pytest.mark.unit
def test_with_a_translation_only_the_senses_the_model_agrees_with_are_judged():
    """空压机已经停了，可以直接开机罩门吗 (in scope): the dictionary's first sense of 罩门 is
    "achilles' heel"; judged with it, the question abstained with the local model. A sense joins
    the evidence beside a translation only when the translation has one of its words."""
    q = xl.prepare("空压机已经停了，可以直接开机罩门吗？", Translator("The compressor has already stopped, can you open the cover?"))
    assert "achilles" not in q.evidence_text and "compressor" in q.evidence_text
    assert "achilles" in xl.prepare("空压机已经停了，可以直接开机罩门吗？", None).evidence_text
    leave = xl.prepare("维修技术员一年有几天年假？", Translator("The technician's annual absence is typically 2 days."))
    assert "annual leave" in leave.evidence_text and "technician" in leave.evidence_text
