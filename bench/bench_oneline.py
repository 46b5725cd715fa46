"""Benchmark: `drafter outline` and `drafter analyze` on one-line text against the same text with
its line breaks (issue 11: time must be linear in size, whatever the line length).

Builds texts of 1, 10 and 50 MB (UTF-8) from the corpora — the documents one after another,
repeated as needed — once with their line breaks and once with every line break removed, as a
web page pasted into a file gives them. Each command runs in a fresh process; both forms of one
size are timed in the same run, so the ratio speaks of the line length alone. Prints seconds,
seconds per MB and the ratio one-line / with breaks.

    python bench/bench_oneline.py [CORPUS_DIR] [--sizes 1 10 50] [--commands outline analyze]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora"
MB = 1_000_000


def corpus_text(corpus: Path) -> str:
    texts = []
    for path in sorted(corpus.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                texts.append(record.get("content") or record.get("text") or "")
    return "\n".join(texts)


def text_of_size(source: str, megabytes: int) -> str:
    """`source` repeated and cut at a line end, about `megabytes` MB of UTF-8."""
    per_char = len(source.encode("utf-8")) / len(source)
    chars = int(megabytes * MB / per_char)
    repeated = (source + "\n") * (chars // len(source) + 1)
    cut = repeated.rfind("\n", 0, chars)
    return repeated[: cut if cut > 0 else chars]


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{result.stderr.decode('utf-8', 'replace')}")
    return wall


def command(name: str, path: Path, out: Path) -> list[str]:
    if name == "outline":
        return [sys.executable, "-m", "drafter", "outline", str(path), "--json"]
    return [sys.executable, "-m", "drafter", "analyze", str(path), "-o", str(out), "--workers", "1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50], help="sizes in MB")
    parser.add_argument("--commands", nargs="+", default=["outline", "analyze"], choices=["outline", "analyze"])
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    source = corpus_text(corpus)
    print(f"{'command':8} {'MB':>4} {'breaks s':>9} {'s/MB':>6} {'one-line s':>11} {'s/MB':>6} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            broken = text_of_size(source, size)
            files = {"breaks": Path(tmp, f"breaks-{size}.txt"), "oneline": Path(tmp, f"oneline-{size}.txt")}
            files["breaks"].write_text(broken, encoding="utf-8")
            files["oneline"].write_text(broken.replace("\n", ""), encoding="utf-8")
            megabytes = files["breaks"].stat().st_size / MB
            for name in args.commands:
                times = {form: timed(command(name, path, Path(tmp, f"bank-{form}"))) for form, path in files.items()}
                print(
                    f"{name:8} {megabytes:4.0f} {times['breaks']:9.2f} {times['breaks'] / megabytes:6.2f} "
                    f"{times['oneline']:11.2f} {times['oneline'] / megabytes:6.2f} {times['oneline'] / times['breaks']:6.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
