"""Benchmark: `drafter analyze` on the real corpora against a bare jieba.lcut of the same texts.

Both run in fresh Python processes, one after the other, in the same run of this script, so
each pays the same start-up (interpreter, jieba's dictionary) and the ratio speaks of the work
itself. Prints wall times, the ratio, and each process's peak resident memory.

    python bench/bench_analyze.py [CORPUS_DIR] [--repeat N]
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


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MiB) of that one process (its worker processes included, as
    wait4 reports them), and its stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
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
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"corpus folder not found: {corpus}")
    base_times, run_times = [], []
    base_rss = run_rss = 0
    with tempfile.TemporaryDirectory() as out:
        analyze = [sys.executable, "-m", "drafter", "analyze", str(corpus), "-o", out, "--json"]
        if args.workers:
            analyze += ["--workers", str(args.workers)]
        for _ in range(args.repeat):
            wall, rss, info = timed([sys.executable, "-c", BASELINE, str(corpus)])
            base_times.append(wall)
            base_rss = rss
            wall, rss, _ = timed(analyze)
            run_times.append(wall)
            run_rss = rss
    chars, tokens = info.split()
    base, run = statistics.median(base_times), statistics.median(run_times)
    print(f"corpus: {corpus} ({int(chars):,} characters, {int(tokens):,} jieba tokens), {args.repeat} runs, median")
    print(f"bare jieba.lcut (fresh process):  {base:6.2f} s")
    print(f"drafter analyze (fresh process):  {run:6.2f} s   workers={args.workers or 'auto'}, cores={os.cpu_count()}")
    print(f"ratio analyze / lcut:             {run / base:6.2f}")
    print(f"peak memory (largest single process): analyze {run_rss} MiB, lcut {base_rss} MiB")


if __name__ == "__main__":
    main()
