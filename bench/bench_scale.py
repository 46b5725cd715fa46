"""Benchmark: how `drafter analyze` grows with the corpus.

Builds 1x, 4x, 16x and 34x corpora from ../shared/corpora in a temporary folder and runs
`python -m drafter analyze` on each in a fresh process, reporting wall time, CPU time (all
processes), characters per second and the peak memory of the whole process tree (the analysis
and its worker processes, polled from /proc: the sum of resident sets, and the sum of
proportional sets, which counts pages shared after fork once). Then the incremental case: one
new file added to the analysed corpus, analysed again into the same bank folder (with the map
results of the full run kept in the benchmark's own cache folder): its time, and its peak
memory measured the same way.

The copies are deterministic and not identical: copy 0 is the real corpus; every further copy
rebuilds each document with a quarter of its paragraphs taken from other documents of the same
era (same decade, or neighbouring congresses), neighbouring paragraphs swapped, and a few
synonyms exchanged (加强/强化, 推进/推动 ...); one document in twenty of each copy is instead a
repost of a real one (another header, a 新华社 dateline, a photo caption): a near-duplicate.
Short documents (a few paragraphs, whose first three stay) change too little to be new
speeches, so their copies are folded as near-duplicates as well: the `folded` column.

    python bench/bench_scale.py [--sizes 1,4,16,34] [--corpus DIR] [--workers N] [--keep DIR]

The machine may be shared: compare sizes within one run; CPU seconds say more than wall time
when other processes compete for the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from drafter.mining.counting import counting_label  # noqa: E402  (this checkout's drafter)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora"
if not DEFAULT_CORPUS.is_dir():  # a worktree one level deeper
    DEFAULT_CORPUS = ROOT.parents[1] / "shared" / "corpora"

SYNONYMS = [
    ("加强", "强化"), ("推进", "推动"), ("提高", "提升"), ("促进", "推动"), ("坚决", "坚定"),
    ("深入", "深化"), ("积极", "主动"), ("认真", "切实"), ("巩固", "夯实"), ("完善", "健全"),
    ("重大", "重要"), ("努力", "奋力"), ("发扬", "弘扬"), ("显著", "明显"), ("广大", "全体"),
]
REPOST_SHARE = 0.05
MIX_SHARE = 0.25
SWAP_SHARE = 0.1


# ---------------------------------------------------------------------------
# corpora


@dataclass
class Record:
    file: str
    row: int
    data: dict

    @property
    def era(self) -> tuple:
        if self.data.get("congress"):
            return (self.file, int(self.data["congress"]) // 3)
        year = str(self.data.get("year") or "") or "".join(c for c in str(self.data.get("title", ""))[:4] if c.isdigit())
        return (self.file, int(year) // 10 if year else 0)

    @property
    def content(self) -> str:
        return self.data.get("content") or self.data.get("text") or ""


def read_records(corpus: Path) -> list[Record]:
    records = []
    for path in sorted(corpus.glob("*.jsonl")):
        for row, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                records.append(Record(path.name, row, json.loads(line)))
    return records


def repost(record: Record, rng: random.Random) -> dict:
    paragraphs = record.content.split("\n")
    at = min(len(paragraphs), 3)
    content = "\n".join(
        [f"【转载】{record.data.get('title', '')}（全文）", f"新华社北京{rng.randint(1, 12)}月{rng.randint(1, 28)}日电"]
        + paragraphs[:at]
        + ["（图为会议现场。新华社记者 摄）"]
        + paragraphs[at:]
        + ["（责任编辑：李明）"]
    )
    return {**record.data, "title": "转载：" + str(record.data.get("title", "")), "content": content}


def perturbed(record: Record, same_era: list[Record], rng: random.Random) -> dict:
    paragraphs = record.content.split("\n")
    donors = [r for r in same_era if r is not record] or [record]
    for i in range(3, len(paragraphs)):  # the title lines stay
        if paragraphs[i].strip() and rng.random() < MIX_SHARE:
            # of a few paragraphs of other documents, the one closest in length
            candidates = []
            for _ in range(4):
                donor = [p for p in rng.choice(donors).content.split("\n") if p.strip()] or [paragraphs[i]]
                candidates.append(donor[rng.randrange(len(donor))])
            paragraphs[i] = min(candidates, key=lambda p: abs(len(p) - len(paragraphs[i])))
    for i in range(3, len(paragraphs) - 1):
        if rng.random() < SWAP_SHARE:
            paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    content = "\n".join(paragraphs)
    for a, b in SYNONYMS:
        if rng.random() < 0.4:
            content = content.replace(a, b) if rng.random() < 0.5 else content.replace(b, a)
    return {**record.data, "content": content}


def build_corpus(records: list[Record], copies: int, folder: Path) -> int:
    """`copies` x the corpus as JSONL files in `folder`; the characters of content written."""
    folder.mkdir(parents=True, exist_ok=True)
    eras: dict[tuple, list[Record]] = {}
    for record in records:
        eras.setdefault(record.era, []).append(record)
    characters = 0
    for copy in range(copies):
        for name in sorted({r.file for r in records}):
            rows = []
            for record in (r for r in records if r.file == name):
                if copy == 0:
                    data = record.data
                else:
                    rng = random.Random(f"{copy}:{record.file}:{record.row}")
                    if rng.random() < REPOST_SHARE:
                        data = repost(record, rng)
                    else:
                        data = perturbed(record, eras[record.era], rng)
                characters += len(data.get("content") or "")
                rows.append(json.dumps(data, ensure_ascii=False))
            stem = Path(name).stem
            (folder / f"{stem}.{copy:03d}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return characters


# ---------------------------------------------------------------------------
# measuring a process tree


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree(pid: int) -> list[int]:
    children = _children_map()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB, 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            values = dict(line.split(":", 1) for line in handle if line.startswith(("Rss:", "Pss:")))
        return int(values["Rss"].split()[0]), int(values["Pss"].split()[0])
    except (OSError, KeyError, ValueError):
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
                        return rss, rss
        except OSError:
            pass
        return 0, 0


@dataclass
class Run:
    wall: float
    cpu: float
    peak_rss_mib: float
    peak_pss_mib: float
    processes: int
    stdout: str


def measure(cmd: list[str], interval: float = 0.1) -> Run:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env)
        peak_rss = peak_pss = 0
        seen: set[int] = set()
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tree = _tree(process.pid)
            seen.update(tree)
            rss = pss = 0
            for member in tree:
                r, p = _memory_kib(member)
                rss, pss = rss + r, pss + p
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(interval)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if process.returncode != 0:
            sys.exit(f"command failed: {' '.join(cmd)}\n{err.read().decode('utf-8', 'replace')[-3000:]}")
        # user + system seconds of the process and the worker processes it waited for
        return Run(wall, usage.ru_utime + usage.ru_stime, peak_rss / 1024, peak_pss / 1024, len(seen), out.read().decode("utf-8"))


# ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,4,16,34", help="corpus sizes, comma-separated (default 1,4,16,34)")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-incremental", action="store_true", help="skip the one-file-added re-run")
    parser.add_argument("--keep", help="build the corpora in this folder and keep them")
    parser.add_argument("--segmenter", choices=("auto", "jieba", "python", "rjieba"), default="auto",
                        help="python: without the accelerator even when rjieba is installed; jieba: jieba alone")
    args = parser.parse_args()
    if args.segmenter != "auto":
        os.environ["DRAFTER_SEGMENTER"] = args.segmenter
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"corpus folder not found: {corpus}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    records = read_records(corpus)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="drafter-scale-"))
    # a cache folder of the benchmark's own: the full runs start without stored map results
    # (earlier runs on the same texts would otherwise serve them), while the caches derived from
    # jieba's dictionary are built once, by a small warm-up run, as on a user's machine
    cache = work / "cache"
    os.environ["XDG_CACHE_HOME"] = str(cache)
    warm = work / "warm-up"
    warm.mkdir(parents=True, exist_ok=True)
    (warm / "warm.txt").write_text(records[0].content[:2000], encoding="utf-8")
    measure([sys.executable, "-m", "drafter", "analyze", str(warm), "-o", str(work / "warm-bank")])
    rows = []
    try:
        for size in sizes:
            for stored in (cache / "drafter").glob("mined-*.sqlite*"):
                stored.unlink()
            folder = work / f"corpus-{size}x"
            if folder.exists():
                shutil.rmtree(folder)
            characters = build_corpus(records, size, folder)
            bank = work / f"bank-{size}x"
            cmd = [sys.executable, "-m", "drafter", "analyze", str(folder), "-o", str(bank), "--json"]
            if args.workers:
                cmd += ["--workers", str(args.workers)]
            run = measure(cmd)
            summary = json.loads(run.stdout)
            row = {
                "size": size, "documents": summary["documents"], "characters": summary["characters"], "raw": characters,
                "run": run, "folded": summary.get("folded", "-"),
            }
            if not args.no_incremental:  # one new speech: a perturbed copy of one report
                rng = random.Random(f"new:{size}")
                record = records[rng.randrange(len(records))]
                new = perturbed(record, [r for r in records if r.era == record.era], rng)
                (folder / "新增讲话.txt").write_text(new["content"], encoding="utf-8")
                row["incremental"] = measure(cmd)
            rows.append(row)
            report(rows, args.workers)
            shutil.rmtree(bank, ignore_errors=True)
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(rows: list[dict], workers: int | None) -> None:
    base = rows[0]
    segmenter = os.environ.get("DRAFTER_SEGMENTER") or "auto (rjieba when installed)"
    print(f"\ndrafter analyze, workers={workers or 'auto'}, segmenter={segmenter}, counting={counting_label()}, cores={os.cpu_count()}, Python {sys.version.split()[0]}")
    print("| corpus | docs | chars | wall s | CPU s | chars/s (wall) | wall / 1st | chars / 1st | peak RSS MiB (sum) | peak PSS MiB | +1 file s | +1 file CPU s | +1 file / full (wall) | +1 file peak RSS MiB (sum) | folded |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        run: Run = row["run"]
        inc: Run | None = row.get("incremental")
        print(
            f"| {row['size']}x | {row['documents']:,} | {row['characters'] / 1e6:.1f}M | {run.wall:.1f} | {run.cpu:.1f} | "
            f"{row['characters'] / run.wall:,.0f} | {run.wall / base['run'].wall:.2f} | {row['characters'] / base['characters']:.2f} | "
            f"{run.peak_rss_mib:,.0f} | {run.peak_pss_mib:,.0f} | "
            + (f"{inc.wall:.1f} | {inc.cpu:.1f} | {inc.wall / run.wall:.2f} | {inc.peak_rss_mib:,.0f} |" if inc else "- | - | - | - |")
            + f" {row['folded']} |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
