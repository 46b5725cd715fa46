"""The map step of `analyze` on a Dask cluster (`--engine dask --scheduler tcp://host:port`).

Only the per-document work (near-duplicate signatures, mining) goes to the cluster's workers;
the corpus is read, and the reduce and the bank are done, on the calling machine. The workers
must run the same drafter (same code, same tokenizer) as the caller, or the bank would depend
on which worker mined which document: that is checked before any work is sent.

`distributed` is an optional dependency (`pip install "drafter[dask]"`), imported only here."""

from __future__ import annotations

import itertools
import logging
from typing import Callable

from drafter.errors import DrafterError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10  # seconds to reach the scheduler, and to wait for a first worker
TASKS_PER_THREAD = 4  # tasks in flight per worker thread: the workers never wait, the scheduler holds little
SCHEMES = ("tcp", "tls", "ws", "wss")  # the network ones: a scheduler on another machine
INSTALL = 'pip install "drafter[dask]"'


def connect(address: str | None) -> DaskEngine:
    """An engine on the cluster whose scheduler listens at `address`; a DrafterError that says
    what to do when there is no address, no `distributed`, no scheduler, no worker, or a worker
    with another drafter."""
    if not address:
        raise DrafterError("--engine dask 需要 Dask 调度器的地址：加上 --scheduler tcp://主机:端口（dask scheduler 启动时会打印它）。")
    try:
        from distributed import Client
    except ImportError:
        raise DrafterError(f"--engine dask 需要 Dask（distributed），本机没有安装。请运行：{INSTALL}") from None

    _check_address(address)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as error:  # OSError (refused, timed out), ValueError …
        raise DrafterError(
            f"连不上 Dask 调度器 {address}（{_reason(error)}）。请检查地址和端口（如 tcp://192.168.1.10:8786），"
            "确认调度器已启动（dask scheduler），且本机能访问该端口。"
        ) from None
    try:
        _check_workers(client, address)
    except BaseException:
        client.close()
        raise
    return DaskEngine(client)


def _check_address(address: str) -> None:
    """A malformed address is refused before a Client is made: a Client that failed on one
    waits twenty seconds at exit to close, and then prints a traceback."""
    from distributed.comm.addressing import get_address_host_port, parse_address

    try:
        scheme, _ = parse_address(address, strict=False)
        if scheme not in SCHEMES:
            raise ValueError(f"不支持 {scheme}://，可用：{'、'.join(SCHEMES)}")
        get_address_host_port(address)
    except ValueError as error:
        raise DrafterError(f"--scheduler {address}：地址格式不对（{error}）。应写成 tcp://主机:端口，如 tcp://192.168.1.10:8786。") from None


def _reason(error: BaseException) -> str:
    try:
        text = str(error).strip().splitlines()
    except Exception:  # an exception from the cluster whose message cannot be built here
        text = []
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _check_workers(client, address: str) -> None:
    """At least one worker, and every worker running the drafter the caller runs."""
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except Exception:
        raise DrafterError(
            f"Dask 调度器 {address} 上没有 worker（等了 {CONNECT_TIMEOUT} 秒）。请在各台机器上启动：dask worker {address}"
        ) from None
    try:
        theirs = client.run(identity)
    except Exception as error:
        raise DrafterError(
            f"Dask 集群的 worker 无法运行 drafter（{_reason(error)}）。"
            f"每台 worker 都要装与本机相同版本的 drafter：{INSTALL}"
        ) from None
    mine = identity()
    for worker, theirs_one in sorted(theirs.items()):
        different = [f"{what}：本机 {mine[what]}，worker {theirs_one.get(what)}" for what in mine if theirs_one.get(what) != mine[what]]
        if different:
            raise DrafterError(
                f"Dask worker {worker} 上的 drafter 与本机不同（{'；'.join(different)}），挖掘结果会不一致。"
                f"请在 worker 上安装与本机相同的 drafter（同一版本、同样的可选组件，{INSTALL}）后重启 dask worker。"
            )


def identity() -> dict[str, str]:
    """What a worker's results depend on besides the document: drafter's version and code, the
    tokenizer and its dictionary (jieba's version), Python's minor version."""
    import sys

    import jieba

    import drafter
    from drafter.mining import store
    from drafter.mining.segment import segmenter_name

    return {
        "drafter": drafter.__version__,
        "代码指纹": store.code_fingerprint(),
        "分词器": f"{segmenter_name()} (jieba {jieba.__version__})",
        "Python": "%d.%d" % sys.version_info[:2],  # a minor version may change Unicode data, and so the tokens
    }


class DaskEngine:
    """The map step on a Dask cluster: the same `map` as mining.LocalEngine."""

    local = False  # the cluster's workers may not see this machine's files: they are read here

    def __init__(self, client):
        self.client = client
        self.threads = max(1, sum(client.nthreads().values()))
        self.workers = len(client.nthreads())
        logging.getLogger("tornado.application").addFilter(_quiet_loop)

    def map(
        self,
        function: Callable,
        items: list,
        progress: Callable[[int, int], None] | None = None,
        shared: dict | None = None,
        batch: int = 1,
    ) -> list:
        """`function(item, **shared)` for every item on the workers, results in the order of
        `items`. `shared` is sent to every worker once; tasks of `batch` items are submitted a
        few per worker thread at a time, the next as each one finishes."""
        if not items:
            return []
        try:
            return self._map(function, items, progress, shared or {}, batch)
        except Exception as error:
            raise _task_error(error) from None

    def _map(self, function: Callable, items: list, progress, shared: dict, batch: int) -> list:
        from distributed import as_completed

        [shared_data] = self.client.scatter([shared], broadcast=True, hash=False)  # in a list: a dict would scatter its values
        chunks = ((start, items[start : start + batch]) for start in range(0, len(items), batch))

        def submit(chunk: tuple[int, list]):
            return self.client.submit(_call_chunk, function, *chunk, shared_data, pure=False)

        # results are fetched here, not by as_completed(with_results=True): its fetches run in
        # the client's thread and, stopped by Ctrl-C mid-fetch, print a traceback there
        first = [submit(chunk) for chunk in itertools.islice(chunks, TASKS_PER_THREAD * self.threads)]
        results: list = [None] * len(items)
        done = 0
        running = as_completed(first, loop=self.client.loop)
        for finished in running:
            start, chunk_results = finished.result()
            results[start : start + len(chunk_results)] = chunk_results
            done += len(chunk_results)
            following = next(chunks, None)
            if following is not None:
                running.add(submit(following))
            if progress:
                progress(done, len(items))
        return results

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            logging.getLogger("tornado.application").removeFilter(_quiet_loop)


def _quiet_loop(record: logging.LogRecord) -> bool:
    """Drop what the client's event-loop thread logs as tornado.application errors: stopped
    mid-call (Ctrl-C, SIGTERM), distributed's callbacks there print tracebacks of their own
    (a fetch on a closed connection, a cancel before its future exists). The main thread
    reports the interruption and every failed task itself."""
    log.debug("event loop: %s", record.getMessage(), exc_info=record.exc_info)
    return False


def _call_chunk(function: Callable, start: int, chunk: list, shared: dict) -> tuple[int, list]:
    return start, [function(item, **shared) for item in chunk]


def _task_error(error: Exception) -> Exception:
    """A failed task as the user's problem (a worker lost, drafter missing on a worker), or as
    it is: a fault of drafter's own code is reported like one in a local run."""
    name = type(error).__name__
    if name == "KilledWorker":
        return DrafterError(
            f"Dask 集群上处理同一批文档的 worker 多次退出（{_reason(error)}）。"
            "请检查 worker 的内存和日志（内存不足时可减少每台的线程数：dask worker --nthreads 1）。"
        )
    if isinstance(error, (ImportError, AttributeError)) and "drafter" in str(error):
        return DrafterError(f"Dask worker 无法运行 drafter（{_reason(error)}）。每台 worker 都要装与本机相同版本的 drafter：{INSTALL}")
    if isinstance(error, (OSError, TimeoutError)) or name in {"CommClosedError", "FutureCancelledError", "CancelledError"}:
        return DrafterError(f"与 Dask 集群的连接中断（{_reason(error)}）。请检查调度器和 worker 是否仍在运行，然后重新分析。")
    return error
