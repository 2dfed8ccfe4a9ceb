"""The README's settings table equals the one written from the Settings class."""

from pathlib import Path

import pytest

from knowledge_base.settings_doc import BEGIN, END, replace_table, settings_table, undocumented

pytestmark = pytest.mark.unit

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_has_a_docstring():
    assert undocumented() == []


def test_readme_table_matches_the_settings_class():
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    assert replace_table(text) == text, (
        "README's settings table differs from knowledge_base/settings.py: "
        "run python -m knowledge_base.settings_doc --write README.md")


def test_table_has_one_row_per_field():
    from knowledge_base.settings import Settings
    assert len(settings_table().splitlines()) == 2 + len(Settings.model_fields)
