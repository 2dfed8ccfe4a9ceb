"""The REST models made from the Python API's dataclasses (``assistant.web.schemas``) and
the dataclasses' own encoders (``as_json`` / ``to_dict``) describe the same JSON."""

from __future__ import annotations

import pytest

from assistant.answer.types import Answer, Citation
from assistant.web.schemas import AlertOut, AnswerOut, HitOut, IngestOut, TokenOut
from assistant.web.tokens import TokenInfo
from ingest.report import Failure, IngestReport
from knowledge_base.types import Chunk, Hit
from monitors.types import Alert

pytestmark = pytest.mark.unit

ANSWER = Answer("E-104?", "Replace the bearing [1].", (Citation("1", "m.pdf", 3, "5 > 5.3", "Replace.", "text"),
                                                        Citation("W1", "wo.csv", None, "", "Done.", "work_order")),
                False, "extractive", {"retrieve_ms": 1.5}, ("a notice",), "E-104")
REPORT = IngestReport(2, 1, 0, 0, 0, (Failure("bad.pdf", "bad.pdf: not a PDF\nat all"),), 4, 4, 1.23456,
                      ("a note",), {"parse": 0.5})
ALERT = Alert("P-3-1", "P-3", ("bearing_de_rms",), "ewma", 7.1234567, "alarm", 100.0, 160.0, None,
              ("bearing_de_rms",), ((150.0, {"bearing_de_rms": 7.1}),), scores=((150.0, 7.0),), threshold=5.0)
TOKEN = TokenInfo("ab12", "ask-ab12", "ask", 1.0)
HIT = Hit(Chunk("c1", "Replace the bearing.", "m.pdf", page=3, section=("5", "5.3"), fault_codes=("E104",)), 0.0312345)


@pytest.mark.parametrize("model, data", [(AnswerOut, ANSWER.as_json()), (IngestOut, REPORT.as_json()),
                                         (TokenOut, TOKEN.as_json()), (HitOut, HIT.as_json(1))])
def test_each_encoder_writes_exactly_its_model(model, data):
    assert model.model_validate(data).model_dump() == data


def test_an_alert_carries_its_model_s_fields_and_passes_the_rest_through():
    data = ALERT.to_dict()
    out = AlertOut.model_validate(data).model_dump()
    assert set(AlertOut.model_fields) - {"signal_labels"} <= set(data)
    assert out == data | {"signal_labels": {}}


def test_the_models_follow_the_dataclasses_fields():
    assert list(AnswerOut.model_fields) == ["question", "answer", "citations", "abstained", "backend",
                                            "timings", "notices"]
    assert list(IngestOut.model_fields)[:6] == ["files_seen", "added", "updated", "unchanged", "removed", "failed"]
    assert all(f.is_required() for f in TokenOut.model_fields.values())
