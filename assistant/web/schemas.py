"""Request and response bodies of the REST API (pydantic, for validation and
the OpenAPI schema).

A response that is a dataclass of the Python API (an answer, an ingest report,
an alert, a token) is not written again here: its model is made from the
dataclass's fields by :func:`from_dataclass` (a search hit: from its chunk's),
so the dataclass is the one definition and its ``as_json`` / ``to_dict`` (what
the CLI's ``--json`` prints too) the one encoder; ``tests/web/test_schemas.py`` checks that each encoder's
output is exactly its model.

>>> sorted(CitationOut.model_fields)
['n', 'page', 'section', 'source', 'text']
>>> AnswerOut.model_fields["notices"].annotation
list[str]
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from assistant.answer.types import Answer, Citation
from assistant.web.tokens import TokenInfo
from ingest.report import Failure, IngestReport
from knowledge_base.types import Chunk
from monitors.types import Alert

MAX_QUESTION = 2000


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    asset: str | None = Field(None, max_length=64, description="Scope the question to this asset, e.g. P-3.")
    history: list[str] = Field([], max_length=20, description="Earlier questions of this conversation, "
                                                                "oldest first (follow-ups are read with them).")
    stream: bool = Field(False, description="Answer as Server-Sent Events: `token` events with "
                                            "`{\"text\"}`, then one `done` event with the answer "
                                            "(or one `error` event with `{\"error\"}`).")


def _json_type(t: Any) -> Any:
    """The JSON form of a dataclass field's type: tuples are lists."""
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin is tuple:
        return list[_json_type(args[0])] if len(args) == 2 and args[1] is Ellipsis else list
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_json_type(a) for a in args)]
    return t


def from_dataclass(cls: type, name: str, *, only: tuple[str, ...] | None = None, exclude: tuple[str, ...] = (),
                   lead: dict[str, Any] | None = None, doc: str | None = None, config: ConfigDict | None = None,
                   **fields: Any) -> type[BaseModel]:
    """The pydantic model ``name`` of dataclass ``cls``'s JSON form: its fields in
    order (or ``only`` those, in that order), less ``exclude``, tuples as lists, each one required
    (a response always carries it). ``fields`` gives the type, or (type, Field),
    of a field whose JSON form differs (a nested dataclass's model, a rounded or
    converted value) or that the JSON adds after the dataclass's; ``lead`` those it
    puts before them; ``doc`` is the schema's description."""
    hints, lead = typing.get_type_hints(cls), lead or {}
    names = [n for n in (only or [f.name for f in dataclasses.fields(cls)]) if n not in exclude]
    spec: dict[str, Any] = {}
    for key in [*lead, *names, *(k for k in fields if k not in names)]:
        if key not in lead and key not in fields and key not in hints:
            raise TypeError(f"{cls.__name__} has no field {key!r}")
        t = lead.get(key) or fields.get(key) or _json_type(hints[key])
        spec[key] = t if isinstance(t, tuple) else (t, ...)
    return create_model(name, __config__=config, __doc__=doc, __module__=__name__, **spec)


CitationOut = from_dataclass(Citation, "CitationOut", exclude=("kind",), n=int | str)

AnswerOut = from_dataclass(
    Answer, "AnswerOut", exclude=("retrieval_query",), citations=list[CitationOut], timings=dict[str, float],
    doc="The final answer; streamed tokens are provisional, this text is authoritative.")


HitOut = from_dataclass(  # a search result: its rank and score, then its chunk's fields
    Chunk, "HitOut", lead={"rank": int, "score": float}, section=str,
    only=("text", "source", "page", "section", "fault_codes", "doc_type", "equipment_model"))


AlertOut = from_dataclass(
    Alert, "AlertOut", config=ConfigDict(extra="allow"),  # lead, trail, scores, ... and *_iso pass as they are
    only=("id", "asset", "signals", "detector", "score", "severity", "started", "updated", "closed",
          "top_signals", "window"),
    window=list[list],
    signal_labels=(dict[str, str], Field(default_factory=dict, description=(
        "{tag: readable name with its unit}, e.g. bearing_de_rms -> "
        "'drive-end bearing vibration (bearing_de_rms, mm/s)' (units from the manuals' signal tables)."))),
    doc="""An alert of the monitors (:meth:`monitors.types.Alert.to_dict`); times in
    epoch seconds and ISO 8601, ``window`` the latest ``[time, {signal: value}]``.""")

FailureOut = from_dataclass(Failure, "FailureOut",
                            error=(str, Field(description="One line naming the file and the problem.")))

IngestOut = from_dataclass(IngestReport, "IngestOut", failed=list[FailureOut], phases=dict[str, float])


class AnswerRated(BaseModel):
    """The part of an :class:`AnswerOut` that a rating keeps (post the answer back as received)."""

    model_config = ConfigDict(extra="ignore")

    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    answer: str = Field(max_length=20_000)
    citations: list[CitationOut] = Field([], max_length=50)
    abstained: bool = False


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: AnswerRated
    rating: Literal["up", "down"]
    correction: str = Field("", max_length=MAX_QUESTION, description="What the answer should have said.")
    asset: str | None = Field(None, max_length=64)


class FeedbackOut(BaseModel):
    id: int


class QueueOut(BaseModel):
    depth: int = Field(description="Answers generating or waiting.")
    capacity: int = Field(description="Answers admitted at most; more are refused with 503.")


class HealthOut(BaseModel):
    status: Literal["ok", "starting"] = Field(description="`starting` until the models are loaded.")
    kb: dict[str, int] = Field(description="Counts of files, chunks and work orders.")
    llm: Literal["ok", "starting", "restarting", "down"] = Field(
        description="The answer model: `restarting` after its worker crashed or hung (answers come "
                    "from the manuals meanwhile), `down` after repeated failures.")
    llm_backend: str = Field(description="`local`, `openai` or `extractive`.")
    llm_detail: str = Field("", description="The model worker's last failure, if any.")
    queue: QueueOut


TokenOut = from_dataclass(TokenInfo, "TokenOut")


class ErrorOut(BaseModel):
    error: str
