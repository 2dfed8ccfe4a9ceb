"""Request and response bodies of the REST API (pydantic, for validation and
the OpenAPI schema). Responses mirror the ``as_json`` / ``to_dict`` formats
of the Python API's dataclasses, which the CLI's ``--json`` prints too."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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


class CitationOut(BaseModel):
    n: int | str
    source: str
    page: int | None
    section: str
    text: str


class AnswerOut(BaseModel):
    """The final answer; streamed tokens are provisional, this text is authoritative."""

    question: str
    answer: str
    citations: list[CitationOut]
    abstained: bool
    backend: str
    timings: dict[str, float]
    notices: list[str]


class HitOut(BaseModel):
    rank: int
    score: float
    text: str
    source: str
    page: int | None
    section: str
    fault_codes: list[str]
    doc_type: str
    equipment_model: str | None


class AlertOut(BaseModel):
    """An alert of the monitors (:meth:`monitors.types.Alert.to_dict`); times in
    epoch seconds and ISO 8601, ``window`` the latest ``[time, {signal: value}]``."""

    model_config = ConfigDict(extra="allow")

    id: str
    asset: str
    signals: list[str]
    detector: str
    score: float
    severity: str
    started: float
    updated: float
    closed: float | None
    top_signals: list[str]
    window: list[list]
    signal_labels: dict[str, str] = Field(default_factory=dict, description=(
        "{tag: readable name with its unit}, e.g. bearing_de_rms -> "
        "'drive-end bearing vibration (bearing_de_rms, mm/s)' (units from the manuals' signal tables)."))


class FailureOut(BaseModel):
    path: str
    error: str = Field(description="One line naming the file and the problem.")


class IngestOut(BaseModel):
    files_seen: int
    added: int
    updated: int
    unchanged: int
    removed: int
    failed: list[FailureOut]
    chunks: int
    embedded: int
    seconds: float
    notes: list[str]
    phases: dict[str, float]


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


class TokenOut(BaseModel):
    id: str
    name: str
    scope: str
    created: float
    revoked: float | None


class ErrorOut(BaseModel):
    error: str
