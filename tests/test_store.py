"""The store of per-document map results (drafter/mining/store.py)."""

from __future__ import annotations

import os
import time

from drafter.document import Document
from drafter.mining import store


def doc(source: str = "a.txt", lines=("同志们：", "今天我们召开警示教育大会。"), numbers=(1, 2), title=None) -> Document:
    return Document(source, list(lines), list(numbers), title)


def test_key_depends_on_what_mining_reads():
    salt = store.salt()
    base = store.document_key(doc(), salt)
    assert store.document_key(doc(source="b/2019年讲话.txt"), salt) != base  # a file name may date it
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


def test_salt_follows_the_options():
    assert store.salt(options=(None,)) == store.salt(options=(None,))
    assert store.salt(options=(2020,)) != store.salt(options=(None,))


def test_cached_map_mines_only_what_it_has_not_seen(tmp_path):
    calls = []

    def mine(docs):
        calls.append([d.source for d in docs])
        return [(d.source, len(d.lines)) for d in docs]

    salt = store.salt()
    first = [doc("a.txt"), doc("b.txt")]
    assert store.cached_map(first, mine, salt, tmp_path) == [("a.txt", 2), ("b.txt", 2)]
    again = [doc("b.txt"), doc("c.txt"), doc("a.txt")]
    assert store.cached_map(again, mine, salt, tmp_path) == [("b.txt", 2), ("c.txt", 2), ("a.txt", 2)]
    assert calls == [["a.txt", "b.txt"], ["c.txt"]]
    assert store.cached_map(again, mine, store.salt(options=1), tmp_path) == [("b.txt", 2), ("c.txt", 2), ("a.txt", 2)]
    assert calls[-1] == ["b.txt", "c.txt", "a.txt"]  # another salt: nothing found


def test_cached_map_without_store(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "_cache_folder", lambda: None)
    assert store.cached_map([doc("a.txt")], lambda docs: [d.source for d in docs], store.salt()) == ["a.txt"]


def test_file_key_follows_name_and_bytes(tmp_path):
    salt = store.salt()
    a = tmp_path / "a.txt"
    a.write_text("同志们：", encoding="utf-8")
    first = store.file_key(a, salt)
    assert store.file_key(a, salt) == first
    b = tmp_path / "b.txt"
    b.write_text("同志们：", encoding="utf-8")
    assert store.file_key(b, salt) != first  # the name is in every source it gives
    a.write_text("同志们！", encoding="utf-8")
    assert store.file_key(a, salt) != first
    assert store.file_key(tmp_path / "absent.txt", salt) is None


def test_cached_map_keeps_no_errors_and_no_unkeyed_items(tmp_path):
    calls = []

    def load(items):
        calls.append(list(items))
        return [ValueError(i) if i == "bad" else i.upper() for i in items]

    def key(item, salt):
        return None if item == "nokey" else salt + item.encode()

    items = ["a", "bad", "nokey"]
    first = store.cached_map(items, load, b"s", tmp_path, key=key)
    assert first[0] == "A" and isinstance(first[1], ValueError) and first[2] == "NOKEY"
    assert store.cached_map(items, load, b"s", tmp_path, key=key)[0] == "A"
    assert calls == [["a", "bad", "nokey"], ["bad", "nokey"]]


def test_keyed_facts_round_trip_under_their_salt(tmp_path):
    facts = store.KeyedStore(b"salt", tmp_path)
    assert facts.get_many([b"a"]) == {}
    facts.put_many({b"a": True, b"b": False})
    assert facts.get_many([b"a", b"b", b"c"]) == {b"a": True, b"b": False}
    assert store.KeyedStore(b"other salt", tmp_path).get_many([b"a"]) == {}  # a new drafter starts afresh


def test_keyed_facts_without_store(monkeypatch):
    monkeypatch.setattr(store, "_cache_folder", lambda: None)
    facts = store.KeyedStore(b"salt")
    facts.put_many({b"a": True})
    assert facts.get_many([b"a"]) == {}


def test_an_unreadable_record_is_as_if_not_stored(tmp_path):
    """A record that does not unpack (another pickle world, a damaged file) is mined again, or
    not known; the run goes on."""
    salt = store.salt()
    mined = []

    def mine(docs):
        mined.extend(d.source for d in docs)
        return [d.source for d in docs]

    assert store.cached_map([doc("a.txt")], mine, salt, tmp_path) == ["a.txt"]
    facts = store.KeyedStore(b"salt", tmp_path)
    facts.put_many({b"f": True, b"g": False})
    with store.MapStore.open(tmp_path) as s:  # every record replaced by bytes that do not unpack
        keys = [k for (k,) in s._db.execute("SELECT key FROM mined")]
        s.put_many((k, b"not zlib") for k in keys)
    assert store.cached_map([doc("a.txt")], mine, salt, tmp_path) == ["a.txt"] and mined == ["a.txt", "a.txt"]
    assert facts.get_many([b"f", b"g"]) == {}
