"""Run a ``chroma run`` server as a child process on a free loopback port.

Used by the tests and ``benchmarks/scale.py`` to put a knowledge base's
vectors on a real Chroma server (``FAULTDESK_CHROMA_URL``); also a quick way
to try server mode on one machine. The ``chroma`` command is the one shipped
in the chromadb wheel, next to the running Python.

    with ChromaServer(tmp / "chroma-data") as url:
        store = open_store(Settings(kb=tmp / "kb", chroma_url=url))
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from .errors import StoreError


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """A ``chroma run`` child storing under ``data_dir``; ``start`` returns its URL
    once the heartbeat answers, ``stop`` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, data_dir: str | Path, port: int | None = None, timeout_s: float = 60.0) -> None:
        self.data_dir, self.port, self.timeout_s = Path(data_dir), port, timeout_s
        self.url: str | None = None
        self._proc: subprocess.Popen | None = None

    def start(self) -> str:
        exe = Path(sys.executable).with_name("chroma")
        exe = str(exe) if exe.exists() else shutil.which("chroma")
        if not exe:
            raise StoreError("no `chroma` command next to this Python or on PATH (it ships with chromadb)")
        port = self.port or free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.data_dir.parent / f"chroma-{port}.log", "wb")
        self._proc = subprocess.Popen([exe, "run", "--path", str(self.data_dir), "--host", "127.0.0.1",
                                       "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
        log.close()  # the child holds its own copy
        self.url = f"http://127.0.0.1:{port}"
        self._wait_for_heartbeat()
        return self.url

    def _wait_for_heartbeat(self) -> None:
        import httpx

        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise StoreError(f"chroma run exited with {self._proc.returncode}; see {self.data_dir.parent}")
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise StoreError(f"chroma run at {self.url} gave no heartbeat within {self.timeout_s:.0f} s")

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
