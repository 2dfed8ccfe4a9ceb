"""Under CI a skip is a failure (tests/conftest.py): the rule itself on every
kind of skip, and real tests run with mosquitto, chromium or llama_cpp missing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SKIPPING = '''
import pytest

def test_skip_call():
    pytest.skip("no broker here")

@pytest.mark.skipif(True, reason="no browser here")
def test_skipif_mark():
    pass

def test_importorskip():
    pytest.importorskip("no_such_module_faultdesk")

@pytest.fixture
def part():
    pytest.skip("no tmpfs here")

def test_skip_in_fixture(part):
    pass

@pytest.mark.xfail(reason="known", strict=False)
def test_xfail_is_not_a_skip():
    assert False

def test_passes():
    pass
'''
MODULE_SKIP = 'import pytest\npytest.importorskip("no_such_module_faultdesk")\n\ndef test_x():\n    pass\n'


def run_pytest(args, env_extra: dict, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PYTHONPATH": str(ROOT)} | env_extra
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def counts(out: str) -> dict[str, int]:
    last = [ln for ln in out.splitlines() if re.search(r"\d+ (passed|failed|skipped|error)", ln)][-1]
    return {k: int(n) for n, k in re.findall(r"(\d+) (passed|failed|skipped|xfailed|errors?)", last)}


@pytest.fixture
def skipping_suite(tmp_path):
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401\n")
    (tmp_path / "test_skipping.py").write_text(SKIPPING)
    (tmp_path / "module" ).mkdir()
    (tmp_path / "module" / "test_module_skip.py").write_text(MODULE_SKIP)
    return tmp_path


@pytest.mark.integration
def test_every_kind_of_skip_fails_under_ci_and_skips_elsewhere(skipping_suite):
    local = run_pytest(["test_skipping.py", "module"], {}, skipping_suite)
    assert local.returncode == 0, local.stdout + local.stderr
    assert counts(local.stdout) == {"passed": 1, "skipped": 5, "xfailed": 1}, local.stdout
    ci = run_pytest(["test_skipping.py"], {"CI": "true"}, skipping_suite)
    assert ci.returncode == 1, ci.stdout + ci.stderr
    c = counts(ci.stdout)
    # the four skips fail (the fixture's at setup, reported as an error); xfail is not a skip
    assert c.get("passed") == 1 and c.get("xfailed") == 1 and "skipped" not in c, ci.stdout
    assert c.get("failed", 0) + c.get("error", 0) + c.get("errors", 0) == 4, ci.stdout
    for reason in ("no broker here", "no browser here", "no tmpfs here", "no_such_module_faultdesk"):
        assert re.search(rf"skipped under CI, which must have every real part: .*{reason}", ci.stdout), reason
    module = run_pytest(["module"], {"CI": "true"}, skipping_suite)  # a module-level skip fails collection
    assert module.returncode == 2 and "skipped under CI" in module.stdout, module.stdout
    assert run_pytest(["test_skipping.py"], {"CI": "0"}, skipping_suite).returncode == 0  # CI=0 is not CI


SHIM = "raise ModuleNotFoundError('llama_cpp hidden by tests/test_ci_skips.py', name='llama_cpp')\n"

REAL = {
    "mosquitto": ("tests/monitors/test_streams.py::test_mqtt_round_trip",
                  {"FAULTDESK_TEST_MOSQUITTO": "/nonexistent/mosquitto"}, "mosquitto is not installed"),
    "chromium": ("tests/browser/test_ui.py::test_faultdesk_serve_serves_the_ui_at_the_root",
                 {"FAULTDESK_TEST_CHROMIUM": "/nonexistent/chromium"}, "chromium is not installed"),
    "llama_cpp": ("tests/assistant/test_llm.py::test_local_load_failure_names_the_file", {},
                  "could not import 'llama_cpp'"),
}


@pytest.mark.integration
@pytest.mark.parametrize("part", sorted(REAL))
def test_a_missing_real_part_fails_ci(part, tmp_path):
    nodeid, env, reason = REAL[part]
    if part == "llama_cpp":  # a package earlier on sys.path that cannot be imported
        (tmp_path / "llama_cpp").mkdir()
        (tmp_path / "llama_cpp" / "__init__.py").write_text(SHIM)
        env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    ci = run_pytest([nodeid], {**env, "CI": "true"}, ROOT)
    assert ci.returncode == 1 and "skipped under CI" in ci.stdout and reason in ci.stdout, ci.stdout + ci.stderr
    local = run_pytest([nodeid], env, ROOT)
    assert local.returncode == 0 and counts(local.stdout) == {"skipped": 1}, local.stdout + local.stderr
