"""Incremental analysis (results kept in the store between runs) and near-duplicates counted once:
the bank's bytes are those of a full run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from drafter.corpus import load_document
from drafter.mining import analyze, store
from tests.conftest import SEED_FILES


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def corpus(tmp_path: Path, name: str, files) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def bank_bytes(folder: Path) -> list[bytes]:
    return [(folder / name).read_bytes() for name in ("phrases.yaml", "frames.yaml", "sentences.yaml")]


def fresh(tmp_path: Path, folder: Path, out: str, monkeypatch) -> list[bytes]:
    """The bank of a run with an empty store."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"empty-{out}"))
    analyze([folder], tmp_path / out, workers=1)
    return bank_bytes(tmp_path / out)


def test_a_rerun_mines_nothing_and_writes_the_same_bytes(tmp_path, cache):
    seeds = corpus(tmp_path, "seeds", SEED_FILES)
    first = analyze([seeds], tmp_path / "a", workers=1)
    assert first.mined == 5
    assert (cache / "drafter" / store.FILE).is_file()
    again = analyze([seeds], tmp_path / "b", workers=1)
    assert again.mined == 0
    assert bank_bytes(tmp_path / "a") == bank_bytes(tmp_path / "b")


def test_an_added_file_is_the_only_one_mined(tmp_path, cache, monkeypatch):
    seeds = corpus(tmp_path, "seeds", SEED_FILES[:4])
    analyze([seeds], tmp_path / "a", workers=1)
    shutil.copy(SEED_FILES[4], seeds / SEED_FILES[4].name)
    summary = analyze([seeds], tmp_path / "a", workers=2)
    assert summary.mined == 1
    assert bank_bytes(tmp_path / "a") == fresh(tmp_path, seeds, "full", monkeypatch)


def test_a_removed_file_leaves_the_bank(tmp_path, cache, monkeypatch):
    seeds = corpus(tmp_path, "seeds", SEED_FILES)
    analyze([seeds], tmp_path / "a", workers=1)
    gone = seeds / SEED_FILES[2].name
    gone.unlink()
    summary = analyze([seeds], tmp_path / "a", workers=1)
    assert summary.mined == 0
    assert bank_bytes(tmp_path / "a") == fresh(tmp_path, seeds, "full", monkeypatch)
    assert gone.name not in (tmp_path / "a" / "phrases.yaml").read_text(encoding="utf-8")


def test_an_edited_file_is_read_and_mined_again(tmp_path, cache, monkeypatch):
    seeds = corpus(tmp_path, "seeds", SEED_FILES[:4])
    analyze([seeds], tmp_path / "a", workers=1)
    edited = seeds / SEED_FILES[1].name
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("。", "。\n必须坚持以人民为中心的发展思想，切实增强群众的获得感。", 1), encoding="utf-8")
    summary = analyze([seeds], tmp_path / "a", workers=1)
    assert summary.mined == 1
    assert bank_bytes(tmp_path / "a") == fresh(tmp_path, seeds, "full", monkeypatch)
    assert "必须坚持以人民为中心的发展思想" in (tmp_path / "a" / "sentences.yaml").read_text(encoding="utf-8")


def test_a_changed_themes_file_mines_again(tmp_path, cache):
    seeds = corpus(tmp_path, "seeds", SEED_FILES[:3])
    analyze([seeds], tmp_path / "a", workers=1)
    themes = tmp_path / "themes.yaml"
    themes.write_text("themes:\n  廉洁自律: [廉洁]\n", encoding="utf-8")
    assert analyze([seeds], tmp_path / "a", workers=1, themes_path=themes).mined == 3


def reposted(path: Path) -> str:
    doc = load_document(path)
    lines = doc.text.split("\n")
    return "\n".join(["【转载】讲话全文", "新华社北京5月18日电（记者 王某某）", *lines[:3], "（图为会议现场。新华社记者 李某 摄）", *lines[3:]])


def test_a_reposted_speech_is_counted_once(tmp_path, cache):
    seeds = corpus(tmp_path, "seeds", SEED_FILES[:5])
    analyze([seeds], tmp_path / "alone", workers=1)
    original = SEED_FILES[0]
    (seeds / "zz_转载.txt").write_text(reposted(original), encoding="utf-8")
    summary = analyze([seeds], tmp_path / "twice", workers=1)
    assert summary.documents == 6 and summary.folded == 1
    assert summary.copies == {str(seeds / original.name): [str(seeds / "zz_转载.txt")]}
    alone = yaml.safe_load((tmp_path / "alone" / "phrases.yaml").read_text(encoding="utf-8"))
    twice = yaml.safe_load((tmp_path / "twice" / "phrases.yaml").read_text(encoding="utf-8"))
    assert twice["entries"] == alone["entries"]  # the same counts, docs and sources
    assert twice["documents"] == alone["documents"] == 5  # the copy is not counted
    kept = next(about for doc, about in twice["catalog"].items() if doc.endswith(original.name))
    assert [c.endswith("zz_转载.txt") for c in kept["copies"]] == [True]


def test_the_cli_says_how_many_were_folded(tmp_path, cache, runner):
    import json

    from tests.conftest import run

    seeds = corpus(tmp_path, "seeds", SEED_FILES[:3])
    (seeds / "zz_转载.txt").write_text(reposted(SEED_FILES[1]), encoding="utf-8")
    result = run(runner, "analyze", str(seeds), "-o", str(tmp_path / "bank"))
    assert result.exit_code == 0
    assert "其中 1 篇是其他文档的转载" in result.stdout
    result = run(runner, "analyze", str(seeds), "-o", str(tmp_path / "bank"), "--json")
    summary = json.loads(result.stdout)
    assert (summary["folded"], summary["mined"]) == (1, 0)


def test_progress_counts_stored_results_as_done(tmp_path, cache):
    seeds = corpus(tmp_path, "seeds", SEED_FILES[:3])
    analyze([seeds], tmp_path / "a", workers=1)
    shutil.copy(SEED_FILES[3], seeds / SEED_FILES[3].name)
    for expected in ([("分析", 4, 4)], [("分析", 4, 4)]):  # one mined, then none
        calls = []
        analyze([seeds], tmp_path / "a", workers=1, progress=lambda stage, done, total: calls.append((stage, done, total)))
        assert [c for c in calls if c[0] == "分析"] == expected


def test_a_few_new_files_are_mined_without_worker_processes(tmp_path, cache, monkeypatch):
    from drafter import mining

    seeds = corpus(tmp_path, "seeds", SEED_FILES[:4])
    new = SEED_FILES[4]
    # a threshold that makes the four seeds a large corpus and the fifth alone a small one
    monkeypatch.setattr(mining, "PARALLEL_THRESHOLD", new.stat().st_size // 3 + 1)
    assert sum(f.stat().st_size for f in SEED_FILES[:4]) >= 3 * mining.PARALLEL_THRESHOLD
    two = mining.cap_workers(2)  # one on a one-core machine
    assert analyze([seeds], tmp_path / "a").workers == two
    shutil.copy(new, seeds / new.name)
    summary = analyze([seeds], tmp_path / "a")
    assert (summary.workers, summary.mined) == (1, 1)
    assert bank_bytes(tmp_path / "a") == fresh(tmp_path, seeds, "full", monkeypatch)
    assert analyze([seeds], tmp_path / "b", workers=2).workers == two  # as asked
