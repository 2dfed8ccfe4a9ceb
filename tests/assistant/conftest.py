"""A small two-machine knowledge base, ingested for real with the hash embedder."""


import pytest

from ingest.pipeline import Ingestor
from knowledge_base.embedder import HashEmbedder
from knowledge_base.index import SqliteIndex
from knowledge_base.retrieval import HybridRetriever
from knowledge_base.store import Store
from knowledge_base.vectors import MemoryVectorStore

PUMP = """# AquaMax CP-80S Centrifugal Pump - Service Manual

Model: CP-80S

## 4 Fault codes

| Code | Description | Possible cause | Remedy |
|---|---|---|---|
| E-104 | High bearing vibration | Worn drive-end bearing; misalignment | Check alignment (5.2); replace the drive-end bearing (5.3) |
| E-107 | Cavitation | Low suction pressure | Clean the suction strainer |

## 5 Repair

### 5.2 Checking shaft alignment

CAUTION: Check for a soft foot before aligning the motor.

To check the alignment:

1. Lock out the motor.
2. Mount the laser alignment tool on both shafts.
3. Correct the offset to within 0.05 mm.

### 5.3 Replacing the drive-end bearing

WARNING: Lock out and tag out the motor supply before opening the pump.

To replace the bearing:

1. Isolate the pump and drain the casing.
2. Remove the coupling guard.
3. Pull the old bearing and fit a new one.
"""

COMPRESSOR = """# Vortair RS-37E Rotary Screw Compressor - Service Manual

Model: RS-37E

## 4 Alarms

| Code | Description | Possible cause | Remedy |
|---|---|---|---|
| ALARM:9 | High discharge temperature | Dirty oil cooler | Clean the oil cooler (5.2) |

## 5 Repair

### 5.2 Cleaning the oil cooler

WARNING: Do not bridge the temperature sensor to keep the compressor running.

Blow the cooler fins clean with dry air from the fan side.
"""

LOG = ("WO,Asset,Equipment Model,Reported,Failure Code,Problem,Cause,Remedy,Downtime_h\n"
       "WO-1001,P-3,CP-80S,2025-03-01,E-104,rattling pump,worn bearing,replaced drive-end bearing,3.5\n"
       "WO-1002,AC-1,RS-37E,2025-07-02,ALARM:9,compressor tripped hot,dirty cooler,cleaned oil cooler,1\n")


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    root = tmp_path_factory.mktemp("kb-docs")
    (root / "pump.md").write_text(PUMP)
    (root / "compressor.md").write_text(COMPRESSOR)
    (root / "wo.csv").write_text(LOG)
    store = Store(SqliteIndex(root / "index.sqlite"), MemoryVectorStore())
    report = Ingestor(store, HashEmbedder()).run([root])
    assert report.failed == () and report.added == 3
    return store


@pytest.fixture(scope="module")
def retriever(kb):
    return HybridRetriever(kb, HashEmbedder())


@pytest.fixture
def cli_kb(tmp_path, monkeypatch):
    """The pump manual and work-order log ingested through the real CLI into
    a temporary KB with the hash embedder; yields ``run(args) -> Result``."""
    from click.testing import CliRunner

    from assistant.cli import main
    from knowledge_base.settings import get_settings

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "pump.md").write_text(PUMP)
    (tmp_path / "docs" / "wo.csv").write_text(LOG)
    monkeypatch.setenv("FAULTDESK_EMBEDDER", "hash")
    monkeypatch.setenv("FAULTDESK_KB", str(tmp_path / "kb"))
    get_settings.cache_clear()

    def run(args):
        return CliRunner().invoke(main, args)

    try:
        assert run(["ingest", str(tmp_path / "docs"), "--json"]).exit_code == 0
        yield run
    finally:
        get_settings.cache_clear()
