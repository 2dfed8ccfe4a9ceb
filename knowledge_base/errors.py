"""The one error tree of faultdesk.

::

    FaultdeskError
    ├── ConfigError            a setting or option has a bad value
    ├── IngestError            one input file cannot be ingested (carries .path)
    │   ├── UnsupportedFormat  unknown extension
    │   ├── EmptyInput         0 bytes, or no text / no records in it
    │   ├── FileTooLarge       over settings.max_file_mb
    │   ├── EncryptedInput     password-protected PDF / DOCX / XLSX
    │   ├── CorruptInput       the bytes do not parse as the format claims
    │   ├── EncodingError      text that is not valid UTF-8 (or declared charset)
    │   └── MalformedRecords   a log export whose rows cannot be read (quoting, shape)
    ├── StoreError             the knowledge base on disk cannot be used
    │   ├── EmbeddingMismatch  the store was built with another embedding model
    │   └── DiskFull           no room left on the knowledge base's disk
    ├── ModelError             a model cannot be loaded or run
    │   └── ModelStopped       the model's worker process crashed, hung or is restarting
    ├── MonitorError           a stream, detector or alert store problem
    │   └── PayloadError       one reading / message cannot be parsed
    ├── NotFound               a named thing (alert id, ...) does not exist
    ├── AuthError              an API bearer token is missing, unknown or revoked
    │   └── ScopeError         a valid token whose scope does not allow the operation
    └── Overloaded             more work than allowed now (carries .retry_after seconds)
        ├── RateLimited        a token used up its request budget
        └── QueueFull          the bounded answer-generation queue is full

Messages state the bad value. Only front ends (CLI, UI, API) turn these into
user-facing text; library code raises them and lets them travel.
"""

from __future__ import annotations

from pathlib import Path


def one_line(text: str) -> str:
    r"""``text`` with line breaks and other control characters escaped, so a
    message that quotes a file name stays one line.

    >>> one_line("bad\nname.txt: no text"), one_line("Ölpumpe.pdf")
    ('bad\\nname.txt: no text', 'Ölpumpe.pdf')
    """
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


class FaultdeskError(Exception):
    """Base of every error faultdesk raises on purpose."""


class ConfigError(FaultdeskError):
    """A setting, option or mapping file has a bad value."""


class IngestError(FaultdeskError):
    """One input file cannot be ingested.

    ``str(err)`` is a single line that names the file and the problem, e.g.
    ``manuals/pump.pdf: PDF is encrypted``.
    """

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = " ".join(str(problem).split())  # always one line
        super().__init__(f"{one_line(self.path)}: {self.problem}")


class UnsupportedFormat(IngestError):
    """The file's extension is not one faultdesk reads."""


class EmptyInput(IngestError):
    """The file has 0 bytes, or no text or records could be found in it."""


class FileTooLarge(IngestError):
    """The file is larger than ``Settings.max_file_mb``."""


class EncryptedInput(IngestError):
    """The document is password protected."""


class CorruptInput(IngestError):
    """The bytes do not parse as the format the extension claims."""


class EncodingError(IngestError):
    """Text that is not valid UTF-8."""


class MalformedRecords(IngestError):
    """A fault-log export whose rows cannot be read (broken quoting, bad shape)."""


class StoreError(FaultdeskError):
    """The knowledge base on disk cannot be opened or used."""


class EmbeddingMismatch(StoreError):
    """The store holds vectors from another embedding model or dimension."""


class DiskFull(StoreError):
    """The disk of the knowledge base is full: a write was refused or failed and
    nothing of it was kept (``knowledge_base.diskspace``)."""


class ModelError(FaultdeskError):
    """A model (embedder, LLM, detector) cannot be loaded or run."""


class ModelStopped(ModelError):
    """The language model's worker process crashed, hung or is restarting
    (``assistant.llm.supervisor``); the answer is composed from the manuals
    instead, even when some text was already streamed."""


class MonitorError(FaultdeskError):
    """A sensor stream, detector state or alert store problem."""


class PayloadError(MonitorError):
    """One reading or MQTT message cannot be parsed; the monitor skips it."""


class NotFound(FaultdeskError):
    """A named thing (an alert id, ...) does not exist."""


class AuthError(FaultdeskError):
    """An API request carries no bearer token, an unknown one or a revoked one."""


class ScopeError(AuthError):
    """The token is valid but its scope (ask < ingest < admin) is too low."""


class Overloaded(FaultdeskError):
    """More work than the server accepts right now; retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class RateLimited(Overloaded):
    """A token sent more requests than its rate limit allows."""


class QueueFull(Overloaded):
    """The bounded queue of answers waiting for generation is full."""
