"""Bounded memory in the reduce: the token stream and the bank file written a few entries at a
time give what the straightforward ways give (the pruned n-gram counting: test_counting.py)."""

from __future__ import annotations

import pytest

from conftest import SEED_FILES
from drafter.corpus import load_corpus
from drafter.yamlwrite import dump_bank_yaml
from drafter.mining import _mine_one, reduce_entries
from drafter.mining.bankfiles import HEADER, bank_file
from drafter.mining import terms as T
from drafter.mining.mined import DocMined


def test_a_released_stream_locates_terms_as_the_token_lists_do():
    docs = load_corpus(SEED_FILES[:8])
    mined = [_mine_one(d) for d in docs]
    kwargs = {"min_count": 2, "min_docs": 2}
    terms = T.find_terms(mined, **kwargs)
    located = T.locate_terms(mined, terms)
    assert located, "the seeds hold set phrases"
    stream = T.TokenStream(mined, release=True)
    assert all(not m.packed_tokens for m in mined)  # the token lists are gone
    terms_again = T.find_terms(mined, stream=stream, **kwargs)
    assert [(t.text, list(t.positions)) for t in terms_again] == [(t.text, list(t.positions)) for t in terms]
    assert T.locate_terms(mined, terms_again, stream=stream) == located


@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_a_bank_file_written_in_chunks_is_the_yaml_of_the_whole(monkeypatch, chunk):
    docs = load_corpus(SEED_FILES[:6])
    mined = [_mine_one(d) for d in docs]
    entries = reduce_entries(mined, [], {"党建": ["党建", "从严治党"]})
    assert len(entries) > 3
    head = {"version": 1, "documents": len(mined), "catalog": {m.source: {"title": m.title} for m in mined}}
    monkeypatch.setattr("drafter.mining.bankfiles.ENTRY_CHUNK", chunk)
    whole = {**head, "entries": [e.to_bank_dict() for e in entries]}
    chunks, parsed = bank_file(head, entries)
    content = b"".join(chunks)
    assert content == (HEADER + dump_bank_yaml(whole)).encode("utf-8")
    assert parsed == whole  # filled in as the chunks were read
    chunks, parsed_empty = bank_file(head, [])
    assert b"".join(chunks) == (HEADER + dump_bank_yaml({**head, "entries": []})).encode("utf-8")
    assert parsed_empty == {**head, "entries": []}
    monkeypatch.setattr("drafter.mining.bankfiles.PRIME_LIMIT", 0)
    chunks, parsed = bank_file(head, entries)
    assert (b"".join(chunks), parsed) == (content, None)  # too many sources to hold twice


@pytest.mark.parametrize("chunk", [1, 3, 100_000])
def test_the_sentence_index_written_in_chunks_is_the_yaml_of_the_whole(monkeypatch, chunk):
    from drafter.bank import load_themes, themes_file
    from drafter.mining.sentences import _INDEX_HEADER, sentence_index

    docs = load_corpus(SEED_FILES[:6])
    themes = load_themes(themes_file(None))
    monkeypatch.setattr("drafter.mining.sentences.SENTENCE_CHUNK", chunk)
    for chosen in (docs, []):
        chunks, data = sentence_index(chosen, {d.source: (2024, None) for d in chosen}, themes)
        content = b"".join(chunks)
        assert content == (_INDEX_HEADER + dump_bank_yaml(data)).encode("utf-8")
        assert len(data["sentences"]) > 3 or not chosen


@pytest.mark.parametrize(
    "line_tokens, lines",
    [([], []), ([[]], [""]), ([["全面", "\x00", "从严治党"], [], ["我们"]], ["全面，从严治党", "", "我们"])],
)
def test_a_mined_document_keeps_its_lines_tokens_and_finds_packed(line_tokens, lines):
    from drafter.model import Found

    found = [Found("term", "从严治党", 3, "全面从严治党", total=7, years=(2019, 2024)), Found("parallel", "甲、乙", 1, "…", items=["甲", "乙"])]
    mined = DocMined.of("d", found, line_tokens, list(range(1, len(lines) + 1)), lines, year=2024)
    assert mined.token_lines() == line_tokens
    assert mined.text_lines() == lines
    assert mined.found == found
    mined.found[0].kind = "idiom"  # each call unpacks anew: a change is not kept
    assert mined.found == found
    mined.release()
    assert (mined.found, mined.token_lines(), mined.text_lines(), mined.year) == ([], [], [], 2024)


def test_a_mined_document_needs_one_token_list_and_number_per_line_and_clean_lines():
    with pytest.raises(ValueError):
        DocMined.of("d", [], [["甲"]], [1, 2], ["甲", "乙"])
    with pytest.raises(ValueError):  # a line separator inside a line would shift every later line
        DocMined.of("d", [], [["甲"], ["乙"]], [1, 2], ["甲\x02丙", "乙"])
    odd = DocMined.of("d", [], [["甲"]], [1], ["甲\udc80"])  # a lone surrogate survives
    assert odd.text_lines() == ["甲\udc80"]


def test_a_mined_document_is_smaller_packed(tmp_path):
    """The point of packing: a document's results take a fraction of its text as lists."""
    import pickle
    import sys

    doc = load_corpus(SEED_FILES[:1])[0]
    mined = _mine_one(doc)
    lists = mined.token_lines()
    as_lists = sum(sys.getsizeof(t) + 8 * len(t) for t in lists) + sum(map(sys.getsizeof, mined.text_lines()))
    assert len(mined.packed_tokens) + len(mined.packed_lines) < as_lists / 3
    assert pickle.loads(pickle.dumps(mined)).token_lines() == lists


def test_a_pickled_document_leaves_its_lines_as_they_were():
    """Pickling a str makes CPython keep its UTF-8 form in it: sending every document to the
    worker processes that way held a second copy of the corpus in the main process."""
    import pickle
    import sys

    from drafter.document import Document

    probe = "全面从严治党永远在路上"
    size = sys.getsizeof(probe)
    pickle.dumps([probe])
    if sys.getsizeof(probe) == size:
        pytest.skip("this Python keeps no UTF-8 form in a pickled str")
    lines = ["坚持以人民为中心的发展思想", "", "甲\udc80乙", "😀一"]
    doc = Document("d.txt", lines, [1, 2, 4, 5], title_hint="标题", removed=[(3, "广告")], joins=[(), (), ((1, 9),), ()])
    sizes = list(map(sys.getsizeof, lines))
    again = pickle.loads(pickle.dumps(doc))
    assert list(map(sys.getsizeof, lines)) == sizes
    assert again == doc
