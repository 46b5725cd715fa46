"""The bank is the same bytes however the map step runs: one process, two worker processes,
the files named in reverse order, or a Dask cluster (`analyze --engine dask --scheduler …`).
And every way of asking for a cluster wrongly is one Chinese line, never a traceback."""

from __future__ import annotations

import itertools
import json
import socket
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from drafter import mining
from drafter.errors import DrafterError
from drafter.mining import analyze, cluster, store
from tests.conftest import CORPORA, SEED_FILES, SEEDS, run
from tests.test_incremental import reposted

RECORDS_PER_CORPUS = 4  # the first reports of each JSONL corpus: a few long real documents


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory) -> list[Path]:
    """The seeds (speeches and reports), a reposted seed (a near-duplicate to fold) and a slice
    of each real JSONL corpus, in the order a folder walk would give them."""
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "zz_转载.txt").write_text(reposted(SEED_FILES[0]), encoding="utf-8")
    files = sorted(SEEDS.rglob("*.txt")) + [folder / "zz_转载.txt"]
    for corpus in sorted(CORPORA.glob("*.jsonl")) if CORPORA.is_dir() else []:
        part = folder / corpus.name
        with open(corpus, encoding="utf-8") as whole:
            part.write_text("".join(itertools.islice(whole, RECORDS_PER_CORPUS)), encoding="utf-8")
        files.append(part)
    return files


@pytest.fixture(scope="module")
def local_bank(corpus_files, tmp_path_factory) -> Path:
    """The reference: one process, the files in order, no store."""
    out = tmp_path_factory.mktemp("banks") / "local"
    summary = analyze(corpus_files, out, workers=1, cache=False)
    assert summary.folded >= 1 and summary.mined == summary.documents - summary.folded  # the repost, and reports in both
    return out


def same_bank(one: Path, other: Path) -> None:
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in other.iterdir())
    assert "phrases.yaml" in names and "manifest.json" in names
    for name in names:  # the manifest holds hashes and sizes, no time: it must match too
        assert (one / name).read_bytes() == (other / name).read_bytes(), name


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_two_workers_and_reversed_file_order_give_the_same_bytes(corpus_files, local_bank, tmp_path, empty_cache):
    summary = analyze(corpus_files[::-1], tmp_path / "reversed", workers=2)
    assert summary.workers == 2 and summary.mined == summary.documents - summary.folded
    same_bank(local_bank, tmp_path / "reversed")
    assert (empty_cache / "drafter" / store.FILE).is_file()  # with the store this time


def test_no_cache_neither_reads_nor_writes_the_store(tmp_path, empty_cache, runner):
    seeds = [str(f) for f in SEED_FILES[:3]]
    run(runner, "analyze", *seeds, "-o", str(tmp_path / "kept"))
    assert (empty_cache / "drafter" / store.FILE).is_file()
    stored = (empty_cache / "drafter" / store.FILE).read_bytes()
    result = run(runner, "analyze", *seeds, "-o", str(tmp_path / "fresh"), "--no-cache", "--json")
    assert json.loads(result.stdout)["mined"] == 3  # none taken from the store
    assert (empty_cache / "drafter" / store.FILE).read_bytes() == stored
    same_bank(tmp_path / "kept", tmp_path / "fresh")


# --- a real cluster on loopback ------------------------------------------------------------


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of two worker processes on 127.0.0.1; its scheduler's address."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as local_cluster:
        yield local_cluster.scheduler_address


def test_the_cluster_gives_the_local_bytes(corpus_files, local_bank, scheduler, tmp_path, empty_cache, monkeypatch, runner):
    def not_here(*args, **kwargs):
        raise AssertionError("mined in the calling process, not on the cluster")

    monkeypatch.setattr(mining, "mine_document", not_here)  # the workers import their own
    out = tmp_path / "dask"
    result = run(runner, "analyze", *map(str, corpus_files), "-o", str(out), "--engine", "dask", "--scheduler", scheduler, "--no-cache", "--json")
    summary = json.loads(result.stdout)
    assert summary["workers"] == 2 and summary["mined"] == summary["documents"] - summary["folded"]
    same_bank(local_bank, out)
    assert not (empty_cache / "drafter" / store.FILE).exists()


def test_the_cluster_reports_progress_and_keeps_results_in_the_store(scheduler, tmp_path, empty_cache):
    calls = []
    files = SEED_FILES[:3]
    analyze(files, tmp_path / "a", engine="dask", scheduler=scheduler, progress=lambda *call: calls.append(call))
    assert [c for c in calls if c[0] == "分析"] == [("分析", 1, 3), ("分析", 2, 3), ("分析", 3, 3)]
    again = analyze(files, tmp_path / "b", engine="dask", scheduler=scheduler)
    assert again.mined == 0
    same_bank(tmp_path / "a", tmp_path / "b")


def test_batches_come_back_in_order(scheduler):
    engine = cluster.connect(scheduler)
    try:
        items = list(range(23))
        seen = []
        results = engine.map(pow, items, lambda done, total: seen.append((done, total)), shared={"exp": 2}, batch=3)
        assert results == [i * i for i in items]
        assert seen[-1] == (23, 23) and len(seen) == 8
        assert engine.map(pow, [], shared={"exp": 2}) == []
    finally:
        engine.close()


# --- asking for a cluster wrongly ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_naming_the_address(tmp_path, runner, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    address = f"tcp://127.0.0.1:{_free_port()}"
    result = run(runner, "analyze", str(SEED_FILES[0]), "-o", str(tmp_path / "bank"), "--engine", "dask", "--scheduler", address, code=1)
    assert f"连不上 Dask 调度器 {address}" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "bank").exists()


@pytest.mark.parametrize("address", ["192.168.1.10", "tcp://host:port", "inproc://here"])
def test_a_malformed_address_is_refused_before_connecting(tmp_path, runner, address):
    pytest.importorskip("distributed")
    result = run(runner, "analyze", str(SEED_FILES[0]), "-o", str(tmp_path / "bank"), "--engine", "dask", "--scheduler", address, code=1)
    assert "地址格式不对" in result.stderr and "tcp://主机:端口" in result.stderr


def test_dask_without_a_scheduler_says_to_give_one(tmp_path, runner):
    result = run(runner, "analyze", str(SEED_FILES[0]), "-o", str(tmp_path / "bank"), "--engine", "dask", code=1)
    assert "--scheduler tcp://" in result.stderr


def test_dask_not_installed_says_what_to_install(tmp_path, runner, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    result = run(runner, "analyze", str(SEED_FILES[0]), "-o", str(tmp_path / "bank"), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", code=1)
    assert 'pip install "drafter[dask]"' in result.stderr


@pytest.mark.parametrize(
    "options, words",
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--engine dask"),
        (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"], "--workers"),
        (["--engine", "spark"], "local、dask"),
    ],
)
def test_options_that_do_not_go_together_are_usage_errors(tmp_path, runner, options, words):
    result = run(runner, "analyze", str(SEED_FILES[0]), "-o", str(tmp_path / "bank"), *options, code=2)
    assert words in result.stderr and "drafter analyze -h" in result.stderr


def test_the_api_refuses_a_scheduler_for_the_local_engine(tmp_path):
    with pytest.raises(DrafterError, match="--engine dask"):
        analyze([SEED_FILES[0]], tmp_path / "bank", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(DrafterError, match="local"):
        analyze([SEED_FILES[0]], tmp_path / "bank", engine="spark")


class _Client:
    """What connect() asks of a distributed.Client, with workers that run `theirs`."""

    def __init__(self, theirs: dict | None, workers: bool = True):
        self.theirs, self.workers, self.closed = theirs, workers, False

    def wait_for_workers(self, n, timeout):
        if not self.workers:
            raise TimeoutError("no workers")

    def run(self, function):
        if self.theirs is None:
            raise ModuleNotFoundError("No module named 'drafter'")
        return self.theirs

    def close(self):
        self.closed = True


@pytest.mark.parametrize(
    "client, words",
    [
        (_Client({}, workers=False), "dask worker tcp://127.0.0.1:8786"),
        (_Client(None), 'pip install "drafter[dask]"'),
        (_Client({"tcp://10.0.0.2:40000": {**cluster.identity(), "drafter": "0.0.1"}}), "tcp://10.0.0.2:40000"),
    ],
    ids=["no worker", "no drafter on a worker", "another drafter on a worker"],
)
def test_workers_that_cannot_give_the_same_results_are_refused(client, words):
    with pytest.raises(DrafterError) as refused:
        cluster._check_workers(client, "tcp://127.0.0.1:8786")
    assert words in str(refused.value)


def test_a_worker_like_this_machine_is_accepted():
    cluster._check_workers(_Client({"tcp://10.0.0.2:40000": cluster.identity()}), "tcp://127.0.0.1:8786")


def test_failed_tasks_say_what_to_do_and_drafter_faults_stay_faults():
    distributed = pytest.importorskip("distributed")
    lost = cluster._task_error(distributed.KilledWorker("_call_chunk-1", SimpleNamespace(address="tcp://10.0.0.2:40000"), 3))
    assert isinstance(lost, DrafterError) and "dask worker --nthreads 1" in str(lost)
    missing = cluster._task_error(ModuleNotFoundError("No module named 'drafter'"))
    assert isinstance(missing, DrafterError) and 'pip install "drafter[dask]"' in str(missing)
    closed = cluster._task_error(distributed.comm.CommClosedError("in <TCP (closed)>: Stream is closed"))
    assert isinstance(closed, DrafterError) and "连接中断" in str(closed)
    fault = ValueError("a bug in mining")
    assert cluster._task_error(fault) is fault  # reported as an internal error, like in a local run
