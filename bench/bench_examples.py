"""Benchmark of draft content: how many of a draft's example sentences and stock phrases are a
report's words on a field of policy (this checkout's themes.yaml `policy_words`: 粮食, 房地产,
化债 …) under a section whose theme is not one of `policy_themes` (改革发展): 扛稳粮食安全责任
under 提醒好配偶 in a 廉政谈话. Every built-in occasion x seeds 0-9, drafted with a bank mined
from ../shared/corpora (88 reports; mined first, not timed; or given with --bank DIR).

    python bench/bench_examples.py [--bank DIR] [--code DIR] [--seeds N]

--code runs the drafts of another drafter checkout (e.g. a worktree of an older commit), so the
figures of two versions come from one script; the count always uses this checkout's lists. A
sentence counts as a report's when its document's title is a report's (drafter.model.
is_report_title) and it comes from no speech of the occasion; a phrase, when none of its sources
is a speech (Entry.in_speeches).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"

# run with the checkout under test on sys.path: prints one JSON line per example and phrase
DRAFTS = r"""
import dataclasses, json, sys
from pathlib import Path
from drafter import api
from drafter.bank import load_bank
from drafter.examples import load_examples
from drafter.model import is_report_title
bank_dir, seeds = sys.argv[1], int(sys.argv[2])
titles = {s.text: s.title for s in load_examples(Path(bank_dir)).sentences}
spoken = {e.text for e in load_bank(Path(bank_dir)).entries if e.in_speeches}
for occasion in [t.name for t in api.list_templates()]:
    for seed in range(seeds):
        draft = api.draft(occasion, seed=seed, date="2026-12-05", bank=bank_dir, org="县委办", audience="机关党员干部")
        for section in draft.sections:
            for point in section.points:
                for e in point.examples:
                    report = e.occasion != occasion and is_report_title(titles.get(e.text))
                    print(json.dumps(["example", section.theme, e.text, report], ensure_ascii=False))
                for p in point.phrases:
                    print(json.dumps(["phrase", section.theme, p.text, p.text not in spoken], ensure_ascii=False))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bank", help="a bank folder (default: one mined from ../shared/corpora)")
    parser.add_argument("--code", default=str(ROOT), help="the drafter checkout whose drafts are counted")
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    lexicon = yaml.safe_load((ROOT / "phrasebank" / "themes.yaml").read_text(encoding="utf-8"))
    words = sorted(set(map(str, lexicon.get("policy_words") or [])), key=len, reverse=True)
    if not words:
        sys.exit("this checkout's themes.yaml lists no policy_words")
    on_policy = re.compile("|".join(map(re.escape, words))).search
    policy_themes = set(lexicon.get("policy_themes") or [])
    code = Path(args.code).resolve()
    env = {**os.environ, "PYTHONPATH": str(code)}
    with tempfile.TemporaryDirectory() as work:
        bank = args.bank
        if bank is None:
            if not CORPORA.is_dir():
                sys.exit(f"corpus folder not found: {CORPORA}")
            bank = str(Path(work) / "bank")
            subprocess.run([sys.executable, "-m", "drafter", "analyze", str(CORPORA), "-o", bank, "--no-cache"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True, capture_output=True)
        done = subprocess.run([sys.executable, "-c", DRAFTS, bank, str(args.seeds)], cwd=code, env=env, check=True, capture_output=True, text=True)
    counts = {"example": [0, 0, 0], "phrase": [0, 0, 0]}  # all, a report's, a report's on a policy field off its section
    for line in done.stdout.splitlines():
        kind, theme, text, report = json.loads(line)
        counts[kind][0] += 1
        counts[kind][1] += report
        counts[kind][2] += bool(report and theme not in policy_themes and on_policy(text))
    print(f"code: {code}, bank: {args.bank or 'mined from ' + str(CORPORA)}, every occasion x seeds 0-{args.seeds - 1}")
    for kind, (total, report, off) in counts.items():
        print(f"{kind}s: {total:,}, a report's: {report:,}, a report's on a policy field under a section of another theme: {off:,} ({off / max(total, 1):.1%})")


if __name__ == "__main__":
    main()
