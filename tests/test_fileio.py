"""The fast bank writer must read back exactly as written, whatever the text holds."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from drafter.fileio import dump_bank_yaml

_SCALARS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["四个意识", "以{}之心对待{}", "true", "null", "1.5", "- 项", "a: b", "#注", "“引语”：说", "…上下文…", "", " 空格 ", "0x1F", "~"]),
    st.integers(-5, 10**6),
    st.none(),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), _DATA, max_size=5))
def test_round_trip_of_arbitrary_data(data):
    assert yaml.safe_load(dump_bank_yaml(data)) == (data or None)


def test_round_trip_of_the_shipped_bank():
    for name in ("phrases.yaml", "frames.yaml"):
        data = yaml.safe_load((ROOT / "phrasebank" / name).read_text(encoding="utf-8"))
        assert yaml.safe_load(dump_bank_yaml(data)) == data


def test_readable_output():
    text = dump_bank_yaml({"entries": [{"text": "四个意识", "kind": "formula", "themes": ["政治建设"], "fills": [["赤诚", "组织"]]}]})
    assert text == "entries:\n- text: 四个意识\n  kind: formula\n  themes:\n  - 政治建设\n  fills:\n  - [赤诚, 组织]\n"


def test_cached_yaml_follows_the_file(tmp_path, monkeypatch):
    import os

    from drafter.fileio import load_yaml_cached

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "bank.yaml"
    path.write_text("entries: [一]\n", encoding="utf-8")
    assert load_yaml_cached(path) == {"entries": ["一"]}
    assert load_yaml_cached(path) == {"entries": ["一"]}  # from the cache
    assert len(list((tmp_path / "cache" / "drafter").iterdir())) == 1
    path.write_text("entries: [一, 二]\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert load_yaml_cached(path) == {"entries": ["一", "二"]}
    assert len(list((tmp_path / "cache" / "drafter").iterdir())) == 1


def test_trailing_newlines_survive():
    for value in ["A\n", "四个意识\n", "seeds/a.txt\n", "x\n\n"]:
        assert yaml.safe_load(dump_bank_yaml({"k": value})) == {"k": value}


def test_odd_spaces_and_flow_indicators_survive():
    for value in ["\u2000?", "\u3000开头", "a, b", "[x]", "? 问", "：冒号", "赤诚?"]:
        data = {"k": value, "fills": [[value, "组织"]]}
        assert yaml.safe_load(dump_bank_yaml(data)) == data


def test_a_freshly_mined_bank_is_cached_as_it_reads_back(tmp_path, monkeypatch):
    """analyze primes the look-up cache with the data it wrote: it must be what parsing the
    YAML gives, and the first look-up must not need to parse."""
    from conftest import SEEDS
    from drafter.fileio import cached_for_file, load_yaml
    from drafter.mining import analyze

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    analyze([SEEDS], tmp_path / "bank")
    for name in ("phrases.yaml", "frames.yaml"):
        path = tmp_path / "bank" / name

        def parse_again():
            raise AssertionError("the cache was not primed")

        assert cached_for_file(path, "yaml", parse_again) == load_yaml(path)


def test_the_cache_folder_keeps_to_its_limit_dropping_the_least_recently_used(tmp_path, monkeypatch):
    import os

    import drafter.fileio as fileio

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = []
    for i in range(3):
        path = tmp_path / f"bank{i}.yaml"
        path.write_text("entries: [" + ", ".join(["一"] * 300) + "]\n", encoding="utf-8")
        files.append(path)
    fileio.load_yaml_cached(files[0])
    fileio.load_yaml_cached(files[1])
    cache = tmp_path / "cache" / "drafter"
    monkeypatch.setattr(fileio, "CACHE_LIMIT", sum(p.stat().st_size for p in cache.iterdir()) + 10)  # room for two
    for n, marshal_file in enumerate(sorted(cache.iterdir(), key=lambda p: p.stat().st_mtime)):
        os.utime(marshal_file, (1_000_000 + n, 1_000_000 + n))  # bank0 used first, bank1 later
    fileio.load_yaml_cached(files[0])  # a hit makes bank0 the most recently used
    fileio.load_yaml_cached(files[2])  # over the limit: bank1's entry goes
    assert len(list(cache.iterdir())) == 2
    calls = []
    assert fileio.cached_for_file(files[0], "yaml", lambda: calls.append(0)) == {"entries": ["一"] * 300}
    assert not calls
