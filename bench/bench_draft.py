"""Benchmark: the wall time of `python -m drafter draft 廉政谈话` against a bare
`python -c "import typer, jinja2, yaml"`, both measured in this run, as fresh processes.

    python bench/bench_draft.py [--repeat N] [--format md|txt|json|docx]
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
    args = parser.parse_args()
    baseline_cmd = [sys.executable, "-c", "import typer, jinja2, yaml"]
    with tempfile.TemporaryDirectory() as tmp:
        draft_cmd = [sys.executable, "-m", "drafter", "draft", "廉政谈话", "--format", args.format]
        if args.format == "docx":
            draft_cmd += ["-o", str(Path(tmp) / "d.docx"), "--force"]
        wall(baseline_cmd), wall(draft_cmd)  # warm the OS file cache for both
        base, draft = [], []
        for _ in range(args.repeat):  # interleaved, so drift affects both alike
            base.append(wall(baseline_cmd))
            draft.append(wall(draft_cmd))
    b, d = statistics.median(base), statistics.median(draft)
    print(f"{args.repeat} runs each, median wall time")
    print(f'bare python -c "import typer, jinja2, yaml": {b * 1000:7.1f} ms')
    print(f"python -m drafter draft 廉政谈话 --format {args.format}: {d * 1000:7.1f} ms")
    print(f"ratio draft / bare imports: {d / b:5.2f}")


if __name__ == "__main__":
    main()
