"""The page a question names by its file's name leads (one code defined on many pages)."""

import pytest

from ingest.chunker import Chunker
from ingest.loaders import load_file
from knowledge_base.codelane import CodeLane, pin_definitions
from knowledge_base.codes import CodeMatcher
from knowledge_base.index import SqliteIndex
from knowledge_base.named_docs import NamedDocuments, stem_words

pytestmark = pytest.mark.unit

PAGE = """ACME_{up}(3)              Acme Manual              ACME_{up}(3)

NAME
       acme_{name} - {what}

ERRORS
       EBADARG
           {meaning}

       ENOSPC
           No room left in the {what} table.
"""

PAGES = {"open_port": ("open a port", "The port number is above 65535."),
         "open_port_ex": ("open a port with options", "The options word has an unknown bit set."),
         "close_port": ("close a port", "The port was never opened."),
         "read_coil": ("read coils", "Too many coils were asked for.")}


def test_stems_prefixes_and_the_longest_name():
    assert stem_words("/m/acme_open_port.3.txt") == ("acme", "open", "port")
    n = NamedDocuments([f"/m/acme_{k}.3.txt" for k in PAGES] + ["/m/README.txt", "/m/ppstest.8.txt"])
    assert n.prefixes == {"acme"}
    assert n.find("EBADARG from acme_open_port") == ("/m/acme_open_port.3.txt",)
    assert n.find("acme_open_port_ex gives EBADARG") == ("/m/acme_open_port_ex.3.txt",)
    assert n.find("close port fails with EBADARG") == ("/m/acme_close_port.3.txt",)  # the set's prefix left out
    assert n.find("ppstest shows nothing") == ("/m/ppstest.8.txt",)
    assert n.find("see the readme for EBADARG") == ()  # README is a kind of file, not a thing's name
    assert n.find("acme says EBADARG") == ()           # the prefix alone names no page
    assert n.find("the port is open") == ()            # words out of order name nothing


@pytest.fixture
def lane(tmp_path):
    from knowledge_base.store import text_hash
    from knowledge_base.types import FileRecord

    index = SqliteIndex(":memory:")
    for name, (what, meaning) in PAGES.items():
        p = tmp_path / f"acme_{name}.3.txt"
        p.write_text(PAGE.format(up=name.upper(), name=name, what=what, meaning=meaning))
        chunks = Chunker().chunk(load_file(p), str(p)).chunks
        index.replace_file(FileRecord(str(p), name, 1, 0.0, len(chunks)), chunks, [text_hash(c) for c in chunks])
    return CodeLane(index, CodeMatcher())


@pytest.mark.parametrize("question, meaning", [
    ("EBADARG from acme_open_port, why?", "above 65535"),
    ("acme_open_port_ex -> EBADARG", "unknown bit"),
    ("EBADARG when I call acme_read_coil", "Too many coils"),
])
def test_the_named_pages_definition_is_pinned_first_and_the_others_follow(lane, question, meaning):
    codes = lane.question_codes(question)
    assert "EBADARG" in codes
    docs = lane.named_documents(question)
    assert len(docs) == 1
    hits = lane.search(codes, 2, docs=docs)  # fewer slots than pages: the named page is never cut off
    assert hits[0].chunk.source == docs[0]
    pinned = pin_definitions([], lane.search(codes, 10), codes, docs=docs)
    assert meaning in pinned[0].chunk.text
    assert len({h.chunk.source for h in pinned}) == 3  # every definition (up to three), the named one first


def test_without_a_named_page_no_page_is_preferred(lane):
    assert lane.named_documents("what does EBADARG mean") == ()
