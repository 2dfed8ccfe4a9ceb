"""The one settings object.

Every value comes from the environment (prefix ``FAULTDESK_``) or a ``.env``
file in the working directory, is read once by :func:`get_settings`, and is
then passed down as constructor arguments. Library code never reads
``os.environ`` itself.

>>> s = Settings(kb="/tmp/kb-doctest")
>>> s.kb.name, s.embedder
('kb-doctest', 'minilm')
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import ConfigError

DEFAULT_CODE_PATTERNS: tuple[str, ...] = (
    # ALARM:9, ALARM 12, ALM-7  -> ALARM9 / ALM7. "\s*(?:[:#-]\s*)?", not "\s*[:#-]?\s*":
    # two adjacent \s* made a long run of spaces after ALARM take quadratic time.
    r"\b(?P<prefix>ALARM|ALM)\s*(?:[:#-]\s*)?(?P<num>\d{1,4})\b",
    # ERR 34, ERR-34, ERROR:34 -> ERR34
    r"\b(?P<prefix>ERR)(?:OR)?\s*(?:[:#-]\s*)?(?P<num>\d{1,4})\b",
    # E-104, E104, F0023, XX101, SP-112 -> E104, F0023, XX101, SP112
    r"\b(?P<prefix>[A-Z]{1,3})-?(?P<num>\d{2,4})\b",
)

# Tokens that look like codes but are ratings, standards or thread sizes.
DEFAULT_CODE_IGNORE = r"^(IP|ISO|DN|PN|EN|IEC|DIN|NPT|AWG|SAE|UL|M|G)\d+$"


class Settings(BaseSettings):
    """All faultdesk configuration; see README "Settings" for the table."""

    model_config = SettingsConfigDict(
        env_prefix="FAULTDESK_", env_file=".env", extra="ignore", frozen=True,
        use_attribute_docstrings=True,
    )

    kb: Path = Field(default_factory=lambda: Path.cwd() / ".faultdesk" / "kb")
    """Folder of the knowledge base (SQLite index, Chroma data, alerts)."""

    embedder: str = "minilm"
    """Embedding backend: ``minilm`` (all-MiniLM-L6-v2 from PyPI) or ``hash`` (test fake)."""
    embed_batch_size: int = 32
    """Chunks embedded per batch at ingest."""
    defeat_semantic: bool = False
    """Judge answer sentences for advice to defeat a safety device with the classifier
    trained on MiniLM vectors (``assistant.safety_filter.defeat_model``) instead of the lexical one;
    needs the MiniLM embedder (with another embedder the lexical one is used). Off: in
    cross-validation by set over five blind sets (v1-v5) it scored no better than the lexical one
    (90.47 vs 90.52) and it embeds answer sentences, which cost REST throughput (docs/notes/safety6.md)."""

    chroma_url: str | None = None
    """``http://host:port`` of a ``chroma run`` server; unset = embedded PersistentClient."""
    vector_backend: str = "chroma"
    """``chroma`` or ``memory`` (in-process, not persisted; for tests)."""

    keyword_backend: str = "tantivy"
    """Keyword lane: ``tantivy`` (a BM25 index with top-k retrieval in
    ``kb/keywords``, ranked as FTS5 ranks: ``knowledge_base.keyword_index``)
    or ``fts5`` (the baseline: SQLite FTS5 ``bm25()``, which scores every
    matching row, slow past ~100k chunks). Both are kept in step on every ingest."""

    max_file_mb: float = 100.0
    """Files larger than this are refused with FileTooLarge."""
    disk_reserve_mb: float = 8.0
    """Space an ingest leaves free on the knowledge base's disk, so that the store
    stays readable when the disk fills up (``knowledge_base.diskspace``)."""
    chunk_chars: int = 900
    """Target chunk size in characters (MiniLM reads 256 tokens, about 1,000 chars)."""
    chunk_max_chars: int = 1800
    """A procedure, warning or table row stays whole up to this size."""

    code_patterns: tuple[str, ...] = DEFAULT_CODE_PATTERNS
    """Seed regexes for fault codes (JSON list; groups ``prefix`` and ``num``); each
    document's own code vocabulary is learned at ingest on top of them."""
    code_ignore: str = DEFAULT_CODE_IGNORE
    """Regex of tokens that look like codes but are not (``IP65``, ``DN50``, ``M12`` ...)."""

    data_dir: Path = Field(default_factory=lambda: Path.cwd() / ".faultdesk")
    """Folder for assembled model files and other local data."""
    asset_register: Path | None = None
    """CSV with asset_id,equipment_model; adds to the assets known from work orders."""

    llm: str = "local"
    """Answer backend: ``local`` (llama.cpp GGUF), ``openai`` (compatible server) or ``extractive``."""
    llm_model_path: Path | None = None
    """GGUF for ``local``; unset = the embedded Qwen2.5-Coder-0.5B-Instruct from PyPI."""
    llm_threads: int | None = None
    """llama.cpp threads; unset = chosen per answer: all cores while the load average leaves them free, else one."""
    llm_load_s: float = 120.0
    """Seconds the model worker may take to load the model before it counts as failed."""
    llm_stall_s: float = 60.0
    """Seconds the model worker may send nothing mid-answer before it is killed as hung."""
    llm_deadline_s: float = 300.0
    """Seconds one answer may take at most before the model worker is killed as hung."""
    llm_worker_max_mb: int | None = None
    """Address-space limit of the model worker in MB (unset = none); above it the
    worker fails alone and is restarted, instead of the OOM killer choosing a victim."""
    llm_base_url: str | None = None
    """``http://host:port/v1`` of an OpenAI-compatible server (the ``openai`` backend)."""
    llm_model: str | None = None
    """Model name sent to that server."""
    llm_api_key: str | None = None
    """API key sent to that server."""
    answer_sources: int = 4
    """Sources shown to the generator (each adds its tokens to the prompt the model reads before its first word)."""
    answer_max_tokens: int = 200
    """Tokens the generator may write for one answer."""

    abstain_threshold: float = 0.65
    """Evidence score below which the assistant says the answer is not in the
    manuals (calibrated on the development gold set; see assistant/answer/abstain.py)."""
    abstain_coverage_weight: float = 0.2
    """Weight of the question's term coverage in that score."""
    abstain_asset_weight: float = 0.2
    """Weight of a matching asset or model in that score."""
    abstain_lexical_threshold: float = 0.4
    """Answer when a top passage holds this IDF-weighted share of the question's words
    (chosen on the real-docs development questions; see assistant/answer/abstain.py)."""

    fmea: Path | None = None
    """FMEA tables (a CSV file or a folder of them) that turn alerts into
    failure modes and fault codes; unset = the sample machines' tables."""
    alert_recent_h: float = 24.0
    """Closed alerts this recent (hours before the newest reading) still go into answers."""

    mqtt_host: str = "127.0.0.1"
    """MQTT broker the monitors read sensor streams from."""
    mqtt_port: int = 1883
    """Port of that broker."""

    api_origins: tuple[str, ...] = ()
    """Origins (``http://hmi.local:8080``) whose pages may call the REST API from a
    browser (CORS); empty = same origin only. JSON list in the environment."""
    api_rate_per_minute: float = 60.0
    """Requests per minute each API token may make on average (token bucket)."""
    api_rate_burst: int = 20
    """Requests a token may make at once before the per-minute rate applies."""
    api_max_json_mb: float = 1.0
    """Largest JSON request body the API accepts (413 above)."""
    api_max_upload_mb: float = 100.0
    """Largest upload request (all files together) ``POST /api/v1/ingest`` accepts (413 above)."""
    api_queue_size: int = 8
    """Answers that may wait while one is generated; more are refused with 503."""
    auth_failures_per_minute: float = 10.0
    """Failed logins / bad API tokens one client (IP address) may send per minute
    on average; beyond that every attempt of that client gets 429 until it backs off."""
    auth_failure_burst: int = 10
    """Failed attempts a client may make at once before the back-off applies."""
    ui_session_hours: float = 12.0
    """How long a UI login lasts (sessions live in the server's memory: a restart logs everyone out)."""
    ui_uploads_per_minute: float = 10.0
    """Uploads per minute one UI session may make on average (``/gradio_api/upload``)."""
    ui_upload_burst: int = 5
    """Uploads a UI session may make at once before the per-minute rate applies."""

    @field_validator("keyword_backend")
    @classmethod
    def _keyword_backend(cls, v: str) -> str:
        if v not in ("tantivy", "fts5"):
            raise ValueError(f"must be tantivy or fts5, got {v!r}")
        return v

    @field_validator("kb", "data_dir", mode="before")
    @classmethod
    def _expand(cls, v: object) -> object:
        return Path(v).expanduser() if isinstance(v, (str, Path)) else v

    @field_validator("embed_batch_size", "chunk_chars", "chunk_max_chars", "api_rate_per_minute",
                     "api_rate_burst", "api_max_json_mb", "api_max_upload_mb", "auth_failures_per_minute",
                     "auth_failure_burst", "ui_session_hours", "ui_uploads_per_minute", "ui_upload_burst",
                     "llm_load_s", "llm_stall_s", "llm_deadline_s")
    @classmethod
    def _positive(cls, v: float) -> float:
        if v <= 0:
            raise ValueError(f"must be positive, got {v}")
        return v

    @field_validator("api_queue_size", "disk_reserve_mb")
    @classmethod
    def _not_negative(cls, v: int) -> int:
        if v < 0:
            raise ValueError(f"must be 0 or more, got {v}")
        return v

    def with_kb(self, kb: str | Path | None) -> "Settings":
        """A copy with ``kb`` replaced (the ``--kb`` option), or self when None."""
        return self if kb is None else self.model_copy(update={"kb": Path(kb).expanduser()})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once; a bad value
    raises :class:`ConfigError` with one line naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(settings_error(exc)) from None


def settings_error(exc: ValidationError) -> str:
    """One line naming each bad variable, its value and the problem.

    >>> try:
    ...     Settings(api_rate_burst=-1, chunk_chars="many")
    ... except ValidationError as exc:
    ...     print(settings_error(exc))
    invalid setting FAULTDESK_CHUNK_CHARS='many': Input should be a valid integer, unable to parse string as an integer; invalid setting FAULTDESK_API_RATE_BURST=-1: must be positive, got -1
    """
    problems = []
    for e in exc.errors():
        name = "FAULTDESK_" + "_".join(str(p) for p in e["loc"]).upper()
        msg = e["msg"].removeprefix("Value error, ")
        problems.append(f"invalid setting {name}={e.get('input')!r}: {msg}")
    return "; ".join(problems)
