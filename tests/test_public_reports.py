"""The public-domain reports shipped under seeds/reports/ and the five original seeds."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "seeds" / "reports"
REPORT_FILES = sorted(REPORTS.glob("*.txt"))

# The five seed speeches as received (sha256). They must stay byte-for-byte as they are.
ORIGINAL_SEEDS = {
    "000_7a7045657be6b44d.txt": "1d19a9b3b2301c9dfc99e4cbb63d1d2f0df330993e462c1a2b4447d3ad31fd9e",
    "001_f98ef615eacbb84f.txt": "29de87790824ed358aef953013c6da122b7f022f3945d1b0e881a1674dbe17ac",
    "002_c0d82546797d9c92.txt": "c9da9303955f4608c48e022af06b407e7958fb383747fac79bf263869723b5ca",
    "003_c471762b3d7290a8.txt": "ddf57db576614a2ac3f4249ff841c981d8936e23a860856efa385120f1e7db11",
    "004_a52a82cb622118a0.txt": "99d39d2fda6146cc3a36451df93f558603bd0380029202c400f5f6ac6157bfc9",
}


def shared_dir() -> Path | None:
    """../shared beside the repository, or higher up for a worktree that sits deeper."""
    for parent in ROOT.parents:
        if (parent / "shared").is_dir():
            return parent / "shared"
    return None


SHARED = shared_dir()


def test_the_expected_reports_are_shipped():
    names = {p.name for p in REPORT_FILES}
    gov = {f"{year}年政府工作报告.txt" for year in [*range(2013, 2020), *range(2021, 2026)]}
    congress = {
        "2012年中国共产党第十八次全国代表大会报告.txt",
        "2017年中国共产党第十九次全国代表大会报告.txt",
        "2022年中国共产党第二十次全国代表大会报告.txt",
    }
    assert names == gov | congress


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.name)
def test_each_report_has_title_year_source_and_public_domain_note(path):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    year = int(re.match(r"(\d{4})年", path.name).group(1))
    # the title first, as printed
    assert lines[0] in ("政府工作报告",) or "政府工作报告" not in path.name
    assert lines[0] and lines[0][-1] not in "。！？：，"
    # the year, the source and Wikisource's public-domain note, at the end
    assert f"年份：{year}" in lines
    source = [x for x in lines if x.startswith("来源：维基文库《")]
    assert len(source) == 1 and re.search(r" https://zh\.wikisource\.org/wiki/\S+$", source[0])
    note = [x for x in lines if x.startswith("本作品")]
    assert note and "公有领域" in note[0] and "著作权法" in note[0]
    assert lines.index(note[0]) > len(lines) - 16  # the note closes the text, it does not open it
    # no wiki leftovers, one paragraph a line
    assert "Public domain" not in text and "\u200b" not in text and "\u3000" not in text
    assert not re.search(r"\n{3,}", text)


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.name)
def test_drafter_reads_title_date_and_body_and_drops_the_metadata(path):
    from drafter.corpus import load_document
    from drafter.outline import parse_outline

    year = re.match(r"(\d{4})年", path.name).group(1)
    doc = load_document(path)
    outline = parse_outline(doc)
    assert outline.date and outline.date.startswith(year + "-")
    assert outline.title.startswith(path.read_text(encoding="utf-8").splitlines()[0])
    assert outline.salutation in ("各位代表：", "同志们：")
    assert outline.speaker in ("温家宝", "李克强", "李强", "胡锦涛", "习近平")
    assert len(outline.sections) >= 2  # the 2023 report has two parts
    # the licence note, source URL, year and remark are the document's tail: cleaning drops them
    kept = "\n".join(doc.lines)
    for leak in ("wikisource", "https://", "公有领域", "著作权法", "维基文库", "年份：", "ship_public_reports"):
        assert leak not in kept, leak
    # the last line kept is the report's own last paragraph
    assert doc.lines[-1][-1] in "！。"


def test_the_five_original_seeds_are_unchanged():
    for name, digest in ORIGINAL_SEEDS.items():
        assert hashlib.sha256((ROOT / "seeds" / name).read_bytes()).hexdigest() == digest, name
    assert {p.name for p in (ROOT / "seeds").glob("*.txt")} == set(ORIGINAL_SEEDS)


@pytest.mark.skipif(SHARED is None or not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not present")
def test_the_five_original_seeds_are_the_shared_ones():
    for name in ORIGINAL_SEEDS:
        assert (ROOT / "seeds" / name).read_bytes() == (SHARED / "seeds" / name).read_bytes(), name


@pytest.mark.skipif(SHARED is None or not (SHARED / "corpora").is_dir(), reason="../shared/corpora is not present")
def test_the_shipped_reports_are_what_the_script_regenerates():
    spec = importlib.util.spec_from_file_location("ship_public_reports", ROOT / "tools" / "ship_public_reports.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    files = module.build(SHARED / "corpora")
    assert {f.name: f.text for f in files} == {p.name: p.read_text(encoding="utf-8") for p in REPORT_FILES}
    # the body is Wikisource's: every body paragraph of a file occurs in the corpus text once
    # whitespace is ignored
    import json

    corpus = "".join(
        re.sub(r"\s", "", json.loads(line)["content"])
        for name in ("government_work_reports.jsonl", "cpc_congress_reports.jsonl")
        for line in (SHARED / "corpora" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ).replace("\u200b", "")
    for f in files:
        body = f.text.split("\n\n")[1:]
        body = body[: next(i for i, p in enumerate(body) if p.startswith("本作品"))]
        for paragraph in body:
            assert re.sub(r"\s", "", paragraph) in corpus, (f.name, paragraph[:30])
