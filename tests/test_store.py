"""The store of per-document map results (drafter/mining/store.py)."""

from __future__ import annotations

import os
import time

from drafter.corpus import Document
from drafter.mining import store


def doc(source: str = "a.txt", lines=("同志们：", "今天我们召开警示教育大会。"), numbers=(1, 2), title=None) -> Document:
    return Document(source, list(lines), list(numbers), title)


def test_key_depends_on_what_mining_reads_and_not_on_the_name():
    salt = store.salt()
    base = store.document_key(doc(), salt)
    assert store.document_key(doc(source="b/renamed.txt"), salt) == base
    assert store.document_key(doc(numbers=(1, 3)), salt) != base
    assert store.document_key(doc(lines=("同志们：", "今天我们召开警示教育会。")), salt) != base
    assert store.document_key(doc(title="标题"), salt) != base
    moved = doc()
    moved.joins = [(), ((3, 5),)]
    assert store.document_key(moved, salt) != base
    assert store.document_key(doc(), store.salt()) == base  # stable


def test_salt_follows_the_hand_kept_files(tmp_path):
    themes = tmp_path / "themes.yaml"
    themes.write_text("廉洁自律: [廉洁]\n", encoding="utf-8")
    first = store.salt([themes, None])
    assert store.salt([themes]) == first
    themes.write_text("廉洁自律: [廉洁, 自律]\n", encoding="utf-8")
    assert store.salt([themes]) != first
    assert store.salt([tmp_path / "absent.yaml"]) != store.salt([])


def test_round_trip_and_missing_keys(tmp_path):
    with store.MapStore.open(tmp_path) as s:
        s.put_many([(b"k1", store.pack({"x": [1, 2]})), (b"k2", store.pack("二"))])
        found = s.get_many([b"k1", b"k3"])
        assert set(found) == {b"k1"}
        assert store.unpack(found[b"k1"]) == {"x": [1, 2]}
    with store.MapStore.open(tmp_path) as s:  # kept between runs
        assert store.unpack(s.get_many([b"k2"])[b"k2"]) == "二"


def test_least_recently_used_pruned(tmp_path):
    blob = os.urandom(1000)  # does not compress
    with store.MapStore.open(tmp_path) as s:
        s.put_many([(b"old", blob)])
    time.sleep(0.01)
    with store.MapStore.open(tmp_path) as s:
        s.put_many([(b"new", blob)])
    time.sleep(0.01)
    with store.MapStore.open(tmp_path) as s:
        s.get_many([b"old"])  # read: recently used again
    time.sleep(0.01)
    s = store.MapStore(tmp_path / store.FILE, limit=2500)
    s.put_many([(b"newest", blob)])
    s.close()
    with store.MapStore.open(tmp_path) as s:
        assert set(s.get_many([b"old", b"new", b"newest"])) == {b"old", b"newest"}


def test_a_broken_store_is_no_store(tmp_path):
    (tmp_path / store.FILE).write_bytes(b"not a database" * 100)
    assert store.MapStore.open(tmp_path) is None


def test_no_folder_no_store(monkeypatch):
    monkeypatch.setattr(store, "_cache_folder", lambda: None)
    assert store.MapStore.open() is None
