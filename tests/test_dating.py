"""Every source has a year: how a document is dated, what a bank keeps of it, and how drafting
keeps to material of the last ten years."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, run
from drafter import api
from drafter.dating import document_year, latest_year_mentioned, year_from_record


def test_a_documents_year_comes_in_the_documented_order():
    body = "2019年以来，我们……到2035年基本实现现代化。"
    assert document_year("2018-02-12", 2017, "2016年报告", "a/2015年.txt", body, 2014).how == "日期"
    assert document_year(None, 2017, "2016年报告", "a/2015年.txt", body, 2014).year == 2017
    assert document_year(None, None, "2016年政府工作报告", "a/2015年.txt", body, 2014).year == 2016
    assert document_year(None, None, "政府工作报告", "a/2015年讲话.txt", body, 2014).year == 2015
    assert document_year(None, None, "讲话", "a/讲话.txt", body, 2014).year == 2014
    dated = document_year(None, None, "讲话", "a/讲话.txt", body)
    assert (dated.year, dated.how) == (2019, "正文")
    assert document_year(None, None, "讲话", "a/讲话.txt", "没有年份。").year is None


def test_target_years_and_decades_do_not_date_a_text():
    assert latest_year_mentioned("到2035年基本实现，力争2030年前达峰，八十年代和1990年代") is None
    assert latest_year_mentioned("2012年召开十八大，2020年全面建成小康社会") == 2020


def test_a_record_gives_its_year_date_or_congress():
    assert year_from_record({"year": "2024"}) == 2024
    assert year_from_record({"year": 2013}) == 2013
    assert year_from_record({"date": "2020-01-08"}) == 2020
    assert year_from_record({"congress": 19}) == 2017
    assert year_from_record({"year": None, "title": "决议"}) is None
    assert year_from_record({"year": True}) is None


def test_analyze_year_dates_undated_files_and_sources_carry_year_and_title(tmp_path):
    speech = tmp_path / "讲话.txt"
    speech.write_text((ROOT / "seeds" / "002_c0d82546797d9c92.txt").read_text(encoding="utf-8"), encoding="utf-8")
    summary = api.analyze([speech], tmp_path / "bank", year=2023)
    assert summary.years == {"--year": 1}
    entry = api.phrases("四个意识", bank=tmp_path / "bank")[0]
    assert (entry.first_year, entry.last_year) == (2023, 2023)
    assert entry.sources[0].year == 2023 and "廉政谈话" in entry.sources[0].title


def test_phrases_since_keeps_what_is_in_use_since_that_year(runner, corpus_bank_dir):
    old = api.phrases("阶级斗争", bank=corpus_bank_dir)
    assert old and all(e.last_year < 2013 for e in old[:3])
    assert not [e for e in api.phrases("阶级斗争", bank=corpus_bank_dir, since=2013) if e.last_year < 2013]
    data = json.loads(run(runner, "phrases", "全面从严治党", "--bank", str(corpus_bank_dir), "--since", "2016", "--json").stdout)
    assert data and all(e["last_year"] >= 2016 for e in data)
    assert all("year" in s and "title" in s for s in data[0]["sources"])


OCCASIONS = ["廉政谈话", "警示教育大会", "座谈会", "集体约谈", "组织生活会", "民主生活会", "专题党课", "工作会议", "表彰大会"]


@pytest.mark.parametrize("occasion", OCCASIONS)
def test_drafts_from_the_corpus_bank_hold_nothing_only_older_than_ten_years(corpus_bank_dir, occasion):
    from drafter.bank import load_bank

    entries = {(e.text, e.kind): e for e in load_bank(corpus_bank_dir).entries}
    for seed in range(10):
        speech = api.draft(occasion, date="2026-05-18", seed=seed, bank=corpus_bank_dir)
        for section in speech.sections:
            for point in section.points:
                for phrase in point.phrases:
                    entry = entries[(phrase.text, phrase.kind)]
                    assert entry.last_year is None or entry.last_year >= 2016, (occasion, seed, phrase.text, entry.last_year)
                    assert phrase.source.get("year", 2026) >= 2016


def test_asking_for_older_material_brings_it_back(corpus_bank_dir):
    def texts(since):
        return {
            p.text
            for seed in range(5)
            for s in api.draft("工作会议", date="2026-05-18", seed=seed, bank=corpus_bank_dir, since=since).sections
            for pt in s.points
            for p in pt.phrases
        }

    assert texts(1950) != texts(None)
