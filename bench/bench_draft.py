"""Benchmark: the wall time of `python -m drafter draft 廉政谈话` against a bare
`python -c "import typer, jinja2, yaml"`, both measured in this run, as fresh processes; also
with `--length 6000` and with a bank mined from ../shared/corpora (mined first, not timed; or
given with --corpus-bank DIR).

    python bench/bench_draft.py [--repeat N] [--format md|txt|json|docx] [--corpus-bank DIR]

drafter's modules are byte-compiled first (python -m compileall), as `pip install` does for an
installed drafter and as typer, jinja2 and yaml are in the baseline: without it, a source tree
under PYTHONDONTWRITEBYTECODE=1 compiles every module on every run (about 60 ms).
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
CORPORA = ROOT.parent / "shared" / "corpora"


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{done.stderr.decode('utf-8', 'replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--format", default="md", choices=["md", "txt", "json", "docx"])
    parser.add_argument("--corpus-bank", type=Path, help="a bank mined from ../shared/corpora (else mined here when present)")
    args = parser.parse_args()
    baseline_cmd = [sys.executable, "-c", "import typer, jinja2, yaml"]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "drafter")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        draft_cmd = [sys.executable, "-m", "drafter", "draft", "廉政谈话", "--format", args.format]
        if args.format == "docx":
            draft_cmd += ["-o", str(Path(tmp) / "d.docx"), "--force"]
        cases = {"draft 廉政谈话": draft_cmd, "draft 廉政谈话 --length 6000": draft_cmd + ["--length", "6000"]}
        corpus_bank = args.corpus_bank
        if corpus_bank is None and CORPORA.is_dir():
            corpus_bank = Path(tmp) / "corpus_bank"
            subprocess.run([sys.executable, "-m", "drafter", "analyze", str(CORPORA), "-o", str(corpus_bank)], cwd=ROOT, check=True,
                           capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if corpus_bank is not None:
            cases["draft 廉政谈话 --bank <corpus>"] = draft_cmd + ["--bank", str(corpus_bank)]
            cases["draft 廉政谈话 --bank <corpus> --length 6000"] = draft_cmd + ["--bank", str(corpus_bank), "--length", "6000"]
        wall(baseline_cmd)
        for cmd in cases.values():  # warm the OS file cache and the parsed-bank cache
            wall(cmd)
        base: list[float] = []
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeat):  # interleaved, so drift affects all alike
            base.append(wall(baseline_cmd))
            for name, cmd in cases.items():
                times[name].append(wall(cmd))
    b = statistics.median(base)
    print(f"{args.repeat} runs each, median wall time, --format {args.format}")
    print(f'bare python -c "import typer, jinja2, yaml": {b * 1000:7.1f} ms')
    for name, values in times.items():
        d = statistics.median(values)
        print(f"{name:45s} {d * 1000:7.1f} ms   ratio {d / b:5.2f}")


if __name__ == "__main__":
    main()
