"""The contract every answer generator keeps (:class:`assistant.answer.generators.Generator`,
whose docstring is the spec), run against the extractive composer and a model-backed
generator around a scripted model (the model edge is the only fake)."""

from __future__ import annotations

import pytest

from assistant.answer.generators import Draft, ExtractiveGenerator, Final, Generator, ModelGenerator, as_generator
from assistant.answer.types import NOT_FOUND, Source
from assistant.llm import BACKENDS
from assistant.safety_filter.unsafe import RULES
from knowledge_base.retrieval import Retrieval
from knowledge_base.types import Chunk
from tests.fakes import ScriptedLLM

pytestmark = pytest.mark.unit

PASSAGES = ("Misalignment of the pump shaft causes high bearing vibration.",
            "Check the alignment of the shaft with a dial gauge and correct it.")
DRAFT = Draft("Why does the pump vibrate?", Retrieval(()),
              [Source(str(i), Chunk(f"c{i}", t, "pump.md", section=("Faults",)), t) for i, t in enumerate(PASSAGES, 1)])


@pytest.fixture(params=["extractive", "model"])
def generator(request) -> Generator:
    if request.param == "extractive":
        return ExtractiveGenerator()
    return ModelGenerator(ScriptedLLM("Check the alignment of the shaft with a dial gauge [2]."), "local")


def test_it_is_a_generator_with_a_name(generator):
    assert isinstance(generator, Generator) and generator.name


def test_it_streams_text_pieces_and_finishes_with_cited_labels_of_the_draft(generator):
    pieces = list(generator.stream(DRAFT, {}))
    assert pieces and all(isinstance(p, str) for p in pieces)
    final = generator.finish("".join(pieces).strip(), DRAFT, RULES, [])
    assert isinstance(final, Final) and final.text
    assert final.used and set(final.used) <= DRAFT.labels


def test_nothing_streamed_is_answered_from_the_sources(generator):
    final = generator.finish("", DRAFT, RULES, [])
    assert final.composed and final.text and set(final.used) <= DRAFT.labels


def test_perf_is_a_dict_and_the_preface_a_string(generator):
    assert isinstance(generator.perf(), dict) and isinstance(generator.preface(DRAFT), str)


def test_a_model_claiming_no_answer_is_replaced_by_the_extractive_text():
    final = ModelGenerator(ScriptedLLM(NOT_FOUND), "local").finish(NOT_FOUND, DRAFT, RULES, [])
    assert final.composed and "found no answer" in final.notes[0]


def test_every_backend_of_the_registry_has_a_generator():
    assert as_generator(None).name == "extractive" and BACKENDS["extractive"] is None
    assert as_generator(ScriptedLLM("x"), "local").llm is not None
    with pytest.raises(TypeError):
        as_generator(object())
