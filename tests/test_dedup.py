"""Near-duplicate documents (drafter/mining/dedup.py), on real speeches and reports."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.corpus import load_corpus, load_document
from drafter.mining import dedup
from drafter.mining.dedup import DuplicateGroup, near_duplicates
from tests.conftest import CORPORA, ROOT, seed

CORPORA_DIR = Path(os.environ.get("DRAFTER_CORPORA") or CORPORA)


def seed_text(prefix: str) -> str:
    return load_document(seed(prefix)).text


def reposted(text: str) -> str:
    """The same speech as a news site reposts it: another header, a dateline, a photo caption."""
    lines = text.split("\n")
    return "\n".join(
        ["【廉政教育】市委秘书长讲话全文", "新华社北京5月18日电（记者 王某某）"]
        + lines[1:3]
        + ["（图为警示教育大会现场。新华社记者 李某 摄）"]
        + lines[3:]
        + ["责任编辑：张某"]
    )


def test_a_reposted_speech_is_one_group():
    original = seed_text("000")
    group = near_duplicates([("z/repost.txt", reposted(original)), ("a/speech.txt", original)])
    assert group == [DuplicateGroup("a/speech.txt", ("z/repost.txt",))]


def test_different_speeches_are_not_grouped():
    docs = [(p, seed_text(p)) for p in ("000", "001", "002", "003", "004")]
    assert near_duplicates(docs) == []


def test_a_tenth_rewritten_is_another_speech():
    """A tenth of the sentences replaced by sentences of another speech: 82% shared, below 90%."""
    original = seed_text("000")
    other = seed_text("001").split("。")
    sentences = original.split("。")
    rng = random.Random(0)
    for i in rng.sample(range(len(sentences)), len(sentences) // 10):
        sentences[i] = rng.choice(other)
    changed = "。".join(sentences)
    assert dedup.jaccard(dedup.shingles(original), dedup.shingles(changed)) < 0.9
    assert near_duplicates([("a", original), ("b", changed)]) == []


def test_the_kept_document_does_not_depend_on_input_order():
    text = seed_text("002")
    docs = [(f"c.jsonl#{i}", reposted(text) if i % 2 else text) for i in (12, 9, 10, 3)]
    expected = [DuplicateGroup("c.jsonl#3", ("c.jsonl#9", "c.jsonl#10", "c.jsonl#12"))]
    for order in (docs, docs[::-1], sorted(docs)):
        assert near_duplicates(order) == expected


def test_natural_source_order():
    names = ["b.jsonl#10", "a.txt", "b.jsonl#9", "b.jsonl#100", "b.jsonl#2"]
    assert sorted(names, key=dedup.source_key) == ["a.txt", "b.jsonl#2", "b.jsonl#9", "b.jsonl#10", "b.jsonl#100"]


def test_short_and_empty_texts():
    assert near_duplicates([("a", "同志们好"), ("b", "同志们好！"), ("c", "大家好"), ("d", ""), ("e", "")]) == [
        DuplicateGroup("a", ("b",))
    ]


def test_signatures_are_the_same_in_every_process():
    """str hashes are salted per process; the signature must not depend on them."""
    code = "import sys; from drafter.mining.dedup import signature; print(repr(signature(sys.stdin.read())))"
    text = seed_text("003")
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True, cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": salt},
        ).stdout
        for salt in ("1", "2")
    }
    assert len(outputs) == 1


def test_signature_agrees_with_jaccard():
    """The share of equal bins estimates the Jaccard similarity (within a few hundredths)."""
    a, b = seed_text("000"), seed_text("000").replace("同志", "干部")
    exact = dedup.jaccard(dedup.shingles(a), dedup.shingles(b))
    sa, sb = dedup.signature(a), dedup.signature(b)
    estimate = sum(x == y for x, y in zip(sa.bins, sb.bins)) / dedup.BINS
    assert 0.5 < exact < 0.99
    assert abs(estimate - exact) < 0.12


@pytest.fixture(scope="module")
def reports():
    if not CORPORA_DIR.is_dir():
        pytest.skip("../shared/corpora is not present")
    return {d.source.rsplit("/", 1)[-1]: d.text for d in load_corpus([CORPORA_DIR])}


def test_corpus_reports_are_all_different(reports):
    """Consecutive government work reports share much wording (at most 0.35 of their
    shingles), far from the same speech."""
    assert near_duplicates(reports.items()) == []


def test_a_reposted_report_is_found_in_the_corpus(reports):
    name = "government_work_reports.jsonl#2"  # 2024
    docs = list(reports.items()) + [("repost/" + name, reposted(reports[name]))]
    assert near_duplicates(docs[::-1]) == [DuplicateGroup(name, ("repost/" + name,))]


def test_two_years_reports_are_not_grouped(reports):
    a, b = reports["government_work_reports.jsonl#4"], reports["government_work_reports.jsonl#2"]  # 2023, 2024
    assert near_duplicates([("2023", a), ("2024", b)]) == []
    assert dedup.jaccard(dedup.shingles(a), dedup.shingles(b)) < 0.5


def test_known_signatures_give_the_same_groups():
    text = seed_text("004")
    docs = [("b", reposted(text)), ("a", text), ("c", seed_text("001"))]
    signatures = [dedup.signature(t) for _, t in docs]
    assert near_duplicates(docs, signatures=signatures) == near_duplicates(docs) == [DuplicateGroup("a", ("b",))]
    with pytest.raises(ValueError):
        near_duplicates(docs, signatures=signatures[:2])


def test_fold_keeps_the_order_and_lists_the_copies():
    from drafter.document import Document

    text = seed_text("003")
    docs = [Document(name, body.split("\n"), list(range(1, body.count("\n") + 2))) for name, body in
            [("x#2", reposted(text)), ("y", seed_text("001")), ("x#1", text), ("x#10", text)]]
    kept, copies = dedup.fold(docs)
    assert [d.source for d in kept] == ["y", "x#1"]
    assert copies == {"x#1": ["x#2", "x#10"]}


class _Verdicts(dict):
    """A PairVerdicts kept in memory, counting what is asked and kept."""

    def get_many(self, keys):
        return {k: self[k] for k in keys if k in self}

    def put_many(self, items):
        self.update(items)


def test_a_pair_checked_once_is_not_checked_again(monkeypatch):
    """A re-run reads the verdicts of the pairs it checked before instead of both texts in full;
    a changed text is a new pair."""
    from drafter.document import Document

    def document(source: str, text: str) -> Document:
        lines = text.split("\n")
        return Document(source, lines, list(range(1, len(lines) + 1)))

    text, other = seed_text("004"), seed_text("001")
    docs = [document("b", reposted(text)), document("a", text), document("c", other)]
    signatures = [dedup.signature(d.text) for d in docs]
    verdicts = _Verdicts()
    first = dedup.fold(docs, signatures, verdicts=verdicts)
    assert first == ([docs[1], docs[2]], {"a": ["b"]}) and list(verdicts.values()) == [True]

    def no_check(a, b):
        raise AssertionError("the verdict was stored")

    monkeypatch.setattr(dedup, "jaccard", no_check)
    assert dedup.fold(docs, signatures, verdicts=verdicts) == first
    changed = document("b", reposted(text) + "\n新增一段话。")
    with pytest.raises(AssertionError, match="stored"):
        dedup.fold([changed, docs[1]], [dedup.signature(changed.text), signatures[1]], verdicts=verdicts)
    # the verdict is stored as it was found: a stored "not the same" keeps the pair apart
    monkeypatch.undo()
    verdicts.update(dict.fromkeys(verdicts, False))
    assert dedup.fold(docs, signatures, verdicts=verdicts) == (docs, {})
