"""Benchmark: `drafter analyze` on the real corpora against a bare jieba.lcut of the same texts.

Both run in fresh Python processes, one after the other, in the same run of this script, so
each pays the same start-up (interpreter, jieba's dictionary) and the ratio speaks of the work
itself. Prints wall times, the ratios, and each process's peak resident memory.

analyze runs twice per round, with a cache folder of the benchmark's own (whose tables derived
from jieba's dictionary are built once by a warm-up run, as on a user's machine): "first" with
no stored map results (a corpus never analysed before), then "re-run" on the same corpus with
the results the first run stored (what a user pays after changing nothing, or little).

    python bench/bench_analyze.py [CORPUS_DIR] [--repeat N] [--code DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from drafter.mining.counting import counting_label  # noqa: E402  (this checkout's drafter)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora"

BASELINE = r"""
import json, sys
from pathlib import Path
import jieba
jieba.setLogLevel(60)
texts = []
for path in sorted(Path(sys.argv[1]).glob("*.jsonl")):
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts.append(record.get("content") or record.get("text") or "")
tokens = sum(len(jieba.lcut(text)) for text in texts)
print(sum(map(len, texts)), tokens)
"""


def timed(cmd: list[str], code: Path = ROOT) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MiB) of that one process (its worker processes included, as
    wait4 reports them), and its stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=code, env={**os.environ, "PYTHONPATH": str(code)})
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if process.returncode != 0:
            sys.exit(f"command failed: {' '.join(cmd)}\n{err.read().decode('utf-8', 'replace')}")
        return wall, usage.ru_maxrss // 1024, out.read().decode("utf-8").strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--code", default=str(ROOT), help="the drafter checkout to run (default: this one)")
    args = parser.parse_args()
    corpus, code = Path(args.corpus), Path(args.code).resolve()
    if not corpus.is_dir():
        sys.exit(f"corpus folder not found: {corpus}")
    times: dict[str, list[float]] = {"lcut": [], "first": [], "re-run": []}
    rss: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as work:
        os.environ["XDG_CACHE_HOME"] = str(Path(work) / "cache")
        stored = Path(work) / "cache" / "drafter"
        out = str(Path(work) / "bank")
        analyze = [sys.executable, "-m", "drafter", "analyze", str(corpus), "-o", out, "--json"]
        if args.workers:
            analyze += ["--workers", str(args.workers)]
        warm = Path(work) / "warm-up"
        warm.mkdir()
        (warm / "warm.txt").write_text("同志们：\n今天我们召开全面从严治党工作会议。\n", encoding="utf-8")
        timed([sys.executable, "-m", "drafter", "analyze", str(warm), "-o", str(Path(work) / "warm-bank")], code)
        for _ in range(args.repeat):
            wall, rss["lcut"], info = timed([sys.executable, "-c", BASELINE, str(corpus)], code)
            times["lcut"].append(wall)
            for old in stored.glob("mined-*.sqlite*"):
                old.unlink()
            for run in ("first", "re-run"):
                wall, rss[run], _ = timed(analyze, code)
                times[run].append(wall)
    chars, tokens = info.split()
    base, first, again = (statistics.median(times[k]) for k in ("lcut", "first", "re-run"))
    print(f"corpus: {corpus} ({int(chars):,} characters, {int(tokens):,} jieba tokens), {args.repeat} runs, median")
    print(f"code: {code}, workers={args.workers or 'auto'}, cores={os.cpu_count()}, segmenter={os.environ.get('DRAFTER_SEGMENTER') or 'auto'}, counting={counting_label()}")
    print(f"bare jieba.lcut (fresh process):            {base:6.2f} s")
    print(f"drafter analyze, first (no stored results): {first:6.2f} s   ratio to lcut {first / base:5.2f}")
    print(f"drafter analyze, re-run (results stored):   {again:6.2f} s   ratio to lcut {again / base:5.2f}")
    print(f"peak memory (largest single process): analyze first {rss['first']} MiB, re-run {rss['re-run']} MiB, lcut {rss['lcut']} MiB")


if __name__ == "__main__":
    main()
