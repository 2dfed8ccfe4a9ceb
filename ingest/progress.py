"""A terminal progress display for ingest runs: one bar for files, one for chunks."""

from __future__ import annotations

import sys

from .report import Progress


class TqdmProgress(Progress):
    """Two tqdm bars on stderr; the chunk bar's total grows as files are parsed."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self._files = self._chunks = None

    def start(self, files: int) -> None:
        from tqdm import tqdm

        self._files = tqdm(total=files, desc="files ", unit="file", position=0, file=self.stream)
        self._chunks = tqdm(total=0, desc="chunks", unit="chunk", position=1, file=self.stream)

    def file_done(self, path: str) -> None:
        self._files.update(1)

    def chunks_found(self, n: int) -> None:
        self._chunks.total += n
        self._chunks.refresh()

    def chunks_done(self, n: int) -> None:
        self._chunks.update(n)

    def close(self) -> None:
        for bar in (self._chunks, self._files):
            if bar is not None:
                bar.close()
