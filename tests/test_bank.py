"""The phrasebank as users edit it: custom.yaml merged in and hiding, clear errors, look-up."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, run
from drafter.bank import load_bank, search
from drafter.errors import DrafterError

BUILTIN = ROOT / "phrasebank"


@pytest.fixture
def bank_dir(tmp_path):
    target = tmp_path / "bank"
    shutil.copytree(BUILTIN, target)
    return target


def test_builtin_bank_loads_and_has_every_kind():
    bank = load_bank(BUILTIN)
    kinds = {e.kind for e in bank.entries}
    assert kinds == {"idiom", "formula", "term", "parallel", "quote", "frame", "move"}
    assert bank.documents == len(list((ROOT / "seeds").rglob("*.txt")))  # the five seeds and the shipped reports


def test_custom_entries_come_first_and_can_hide_mined_ones(bank_dir):
    (bank_dir / "custom.yaml").write_text(
        "entries:\n"
        "- text: 干净干事、清白做人\n  kind: parallel\n  themes: [廉洁自律]\n"
        "- text: 两袖清风\n  hide: true\n",
        encoding="utf-8",
    )
    bank = load_bank(bank_dir)
    texts = [e.text for e in bank.entries]
    assert "两袖清风" not in texts
    first = search(bank, "干净")[0]
    assert first.text == "干净干事、清白做人" and first.custom
    assert first.sources and first.sources[0].doc.endswith("custom.yaml") and first.sources[0].line == 2


def test_custom_entry_in_a_bank_without_themes_file_gets_builtin_themes_and_is_drafted(tmp_path):
    """A bank from `drafter analyze` has no themes.yaml of its own: the user's custom entries
    still get themes (from the built-in lexicon) and drafting picks them by theme."""
    from drafter import api

    bank = tmp_path / "bank"
    api.analyze([ROOT / "seeds"], bank)
    assert not (bank / "themes.yaml").exists()
    (bank / "custom.yaml").write_text("entries:\n- text: 廉洁从政是底线\n  kind: term\n", encoding="utf-8")
    entry = search(load_bank(bank), "廉洁从政是底线")[0]
    assert entry.custom and "廉洁自律" in entry.themes
    drafted = [
        p.text
        for seed in range(6)
        for s in api.draft("廉政谈话", seed=seed, bank=bank, themes=["廉洁自律"]).sections
        for point in s.points
        for p in point.phrases
    ]
    assert "廉洁从政是底线" in drafted


def test_custom_entry_without_themes_gets_them_from_the_lexicon(bank_dir):
    (bank_dir / "custom.yaml").write_text("entries:\n- text: 廉洁从政是底线\n  kind: term\n", encoding="utf-8")
    entry = search(load_bank(bank_dir), "廉洁从政")[0]
    assert "廉洁自律" in entry.themes


@pytest.mark.parametrize("name", ["phrases.yaml", "custom.yaml"])
def test_broken_yaml_names_file_and_line(bank_dir, name):
    # a generated file edited by hand no longer matches the bank's manifest (test_adversarial has
    # that case); without a manifest, as banks written before it, the YAML error itself is named
    (bank_dir / "manifest.json").unlink()
    (bank_dir / name).write_text("entries:\n- text: 好\n  kind: idiom\n   bad: [\n", encoding="utf-8")
    with pytest.raises(DrafterError) as info:
        load_bank(bank_dir)
    message = str(info.value)
    assert name in message and "第 4 行" in message


def test_broken_themes_yaml_names_file_and_line(tmp_path):
    from drafter.mining import analyze

    out = tmp_path / "bank"
    out.mkdir()
    (out / "themes.yaml").write_text("themes:\n  廉洁: [廉洁\n", encoding="utf-8")
    with pytest.raises(DrafterError) as info:
        analyze([ROOT / "seeds" / "000_7a7045657be6b44d.txt"], out)
    assert "themes.yaml" in str(info.value) and "行" in str(info.value)


def test_wrong_kind_in_custom_is_reported(bank_dir):
    (bank_dir / "custom.yaml").write_text("entries:\n- text: 某词\n  kind: 成语\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="kind"):
        load_bank(bank_dir)


def test_search_by_query_theme_and_kind():
    bank = load_bank(BUILTIN)
    found = search(bank, "担当")
    assert found
    for e in found:  # where the query was found, exactly as look-up promises, no kind let through
        assert (
            "担当" in e.text
            or any("担当" in part for fill in e.fills for part in fill)
            or any("担当" in x for x in e.items + e.examples)
            or "担当" in (e.attribution or "")
            or any("担当" in t for t in e.themes)
        ), e
    assert all(e.kind == "formula" for e in search(bank, kind="formula"))
    assert all("廉洁自律" in e.themes for e in search(bank, theme="廉洁自律"))
    assert search(bank, "四个意识")[0].text == "四个意识"
    with pytest.raises(DrafterError, match="类别"):
        search(bank, kind="nonsense")
    with pytest.raises(DrafterError, match="主题"):
        search(bank, theme="不存在的主题")


def test_phrases_command_json_shape(runner):
    result = run(runner, "phrases", "四个意识", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data[0]["text"] == "四个意识" and data[0]["kind"] == "formula"
    assert {"text", "kind", "themes", "count", "docs", "sources"} <= set(data[0])
    assert {"doc", "line"} <= set(data[0]["sources"][0])


def test_phrases_command_plain_shows_where(runner):
    result = run(runner, "phrases", "--theme", "廉洁自律", "--kind", "quote")
    assert result.exit_code == 0
    assert "seeds/" in result.stdout and "〔引语〕" in result.stdout


def test_phrases_command_no_result_is_friendly(runner):
    result = run(runner, "phrases", "绝对不会出现的词组合")
    assert result.exit_code == 0 and "没有找到" in result.stdout


def test_phrases_does_not_import_jieba(tmp_path):
    import subprocess
    import sys

    code = "import sys; from drafter.cli import app; from typer.testing import CliRunner; CliRunner().invoke(app, ['phrases', '担当']); print('jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_cached_entries_unpack_their_sources_only_when_used():
    """The look-up cache rebuilds entries with their sources packed: an entry compares equal to
    the one it was cached from, tells whether it cites anything without unpacking, and unpacks
    once on first use."""
    from drafter.model import Entry

    entries = load_bank().entries
    assert entries
    for entry in entries[:300] + [e for e in entries if e.kind == "frame"][:20]:
        rebuilt = Entry.from_row(entry.to_row())
        assert "sources" not in rebuilt.__dict__
        assert rebuilt.has_sources == bool(entry.sources)
        assert "sources" not in rebuilt.__dict__
        assert rebuilt == entry
        assert rebuilt.sources is rebuilt.sources  # unpacked once, then an ordinary attribute
        assert [s.to_full_dict() for s in rebuilt.sources] == [s.to_full_dict() for s in entry.sources]
    with pytest.raises(AttributeError):
        Entry.from_row(entries[0].to_row()).no_such_field


def test_cached_example_sentences_are_the_ones_in_the_file():
    """The sentence index rebuilt from the cache rows holds every field of each sentence."""
    import dataclasses

    from drafter import examples

    assert tuple(f.name for f in dataclasses.fields(examples.Exemplar)) == examples._FIELDS
    folder = ROOT / "phrasebank"
    _, rows = examples._index_rows(folder / examples.SENTENCES_FILE)
    index = examples.load_examples(folder)
    assert len(index.sentences) == len(rows) > 100
    for sentence, row in zip(index.sentences, rows):
        assert dataclasses.asdict(sentence) == row
