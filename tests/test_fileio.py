"""The fast bank writer must read back exactly as written, whatever the text holds."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from drafter.yamlwrite import dump_bank_yaml

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
    from drafter.fileio import YAML_CACHE_KIND, cached_for_file, load_yaml
    from drafter.mining import analyze

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    analyze([SEEDS], tmp_path / "bank")
    for name in ("phrases.yaml", "frames.yaml", "sentences.yaml"):
        path = tmp_path / "bank" / name

        def parse_again():
            raise AssertionError("the cache was not primed")

        assert cached_for_file(path, YAML_CACHE_KIND, parse_again) == load_yaml(path)


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
    assert fileio.cached_for_file(files[0], fileio.YAML_CACHE_KIND, lambda: calls.append(0)) == {"entries": ["一"] * 300}
    assert not calls


def _read_set(folder):
    from drafter.fileio import file_set_paths

    paths = file_set_paths(folder, ["phrases.yaml", "frames.yaml"])
    return tuple(paths[name].read_bytes() for name in ("phrases.yaml", "frames.yaml"))


def test_a_file_set_read_after_a_kill_at_any_step_is_old_or_new(tmp_path, monkeypatch):
    """Every file operation of write_file_set is a place the writer may die at."""
    import os

    import drafter.fileio as fileio

    old = {"phrases.yaml": b"old phrases\n", "frames.yaml": b"old frames\n"}
    new = {"phrases.yaml": b"new phrases\n", "frames.yaml": b"new frames\n"}
    steps = 0
    while True:
        folder = tmp_path / f"bank{steps}"
        folder.mkdir()
        fileio.write_file_set(folder, old)
        calls = {"n": 0}

        class Killed(BaseException):
            pass

        def dying(real):
            def wrapper(*args, **kwargs):
                if calls["n"] == steps:
                    raise Killed()
                calls["n"] += 1
                return real(*args, **kwargs)

            return wrapper

        with monkeypatch.context() as patch:
            patch.setattr(fileio, "atomic_write_bytes", dying(fileio.atomic_write_bytes))
            patch.setattr(os, "replace", dying(os.replace))
            try:
                fileio.write_file_set(folder, new)
                finished = True
            except Killed:
                finished = False
        assert _read_set(folder) in (tuple(old.values()), tuple(new.values())), steps
        if finished:
            assert _read_set(folder) == tuple(new.values())
            assert sorted(p.name for p in folder.iterdir()) == ["frames.yaml", "manifest.json", "phrases.yaml"]
            break
        steps += 1
    assert steps >= 5  # two staged files (each a write and a rename), the manifest, two renames


def test_a_mismatched_file_set_is_an_error_naming_it(tmp_path):
    from drafter.errors import DrafterError
    from drafter.fileio import write_file_set

    write_file_set(tmp_path, {"phrases.yaml": b"a\n", "frames.yaml": b"b\n"})
    (tmp_path / "frames.yaml").write_bytes(b"from another run\n")
    with pytest.raises(DrafterError, match="frames.yaml.*不是同一次分析"):
        _read_set(tmp_path)
    (tmp_path / "manifest.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(DrafterError, match="清单.*损坏"):
        _read_set(tmp_path)
    (tmp_path / "manifest.json").unlink()  # a bank made by hand or by an older drafter
    assert _read_set(tmp_path) == (b"a\n", b"from another run\n")


def test_a_second_writer_of_a_folder_is_refused(tmp_path):
    from drafter.errors import DrafterError
    from drafter.fileio import folder_lock

    with folder_lock(tmp_path):
        with pytest.raises(DrafterError, match="另一个 drafter analyze"):
            with folder_lock(tmp_path):
                pass
    with folder_lock(tmp_path):  # released
        pass
    assert not list(tmp_path.iterdir())  # and no lock file left behind


def test_yaml_anchors_and_aliases_are_refused_with_the_line():
    from drafter.errors import DrafterError
    from drafter.fileio import parse_yaml

    for text, line in (("a: &x [1]\nb: *x\n", 1), ("a: 1\nb: [&y 2]\n", 2), ("- 星号*不是别名\n- a & b\n", None)):
        if line is None:
            assert parse_yaml(text, "t.yaml") == ["星号*不是别名", "a & b"]
        else:
            with pytest.raises(DrafterError, match=f"t.yaml 第 {line} 行.*锚点或别名"):
                parse_yaml(text, "t.yaml")
