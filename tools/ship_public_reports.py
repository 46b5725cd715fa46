"""Regenerate seeds/reports/ from the public-domain reports in ../shared/corpora.

    python tools/ship_public_reports.py [--corpora DIR] [--out DIR] [--check]

What it writes, one UTF-8 text file per document, named with its year:
  - the government work reports 2013-2025 (the corpus has no 2020 report), e.g.
    seeds/reports/2025年政府工作报告.txt
  - the reports to the 18th, 19th and 20th CPC national congresses, e.g.
    seeds/reports/2022年中国共产党第二十次全国代表大会报告.txt

Layout of a file (so that `drafter outline` reads the title, date and speaker, and so that
`drafter analyze` never mines the metadata: everything from the licence note on is the
document's tail, which drafter/corpus.py drops):

    政府工作报告                                              <- the title (two lines when the
    ——2025年3月5日在第十四届全国人民代表大会第三次会议上           printed title has two)
    李强                                                      <- the speaker
    <blank>
    各位代表：
    ... the text, one paragraph a line ...
    <blank>
    本作品是中华人民共和国的法律……属于公有领域。              <- Wikisource's note, as it stands
    ...                                                           at the end of the page
    来源：维基文库《…》 https://zh.wikisource.org/wiki/…
    年份：2025
    说明：…

The text is Wikisource's, changed only in layout: indents and invisible characters removed,
runs of blank lines collapsed, and lines that the wiki's links broke mid-sentence joined
again (a line is joined to the next one of the same paragraph unless it ends a sentence).
Where the Wikisource page has no title block, the title, date, session and speaker come from
META below; every fact there is checked against the corpus (the report's own title block
where it has one, and the NPC's resolution on the report, which names session and premier),
and the script stops if one disagrees. The output is deterministic: the same corpora give the
same bytes. --check compares instead of writing and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Government work reports: year -> (date, NPC session, premier). Every NPC session of these
# years opened on 5 March, when the premier delivers the report (the 2020 session opened on
# 22 May; the corpus has no 2020 report). Session and premier are checked against the NPC's
# resolution on each report in the corpus; the date against the report's title block where
# Wikisource has one (2017, 2021-2024).
GOV: dict[int, tuple[str, str, str]] = {
    2013: ("2013年3月5日", "第十二届全国人民代表大会第一次会议", "温家宝"),
    2014: ("2014年3月5日", "第十二届全国人民代表大会第二次会议", "李克强"),
    2015: ("2015年3月5日", "第十二届全国人民代表大会第三次会议", "李克强"),
    2016: ("2016年3月5日", "第十二届全国人民代表大会第四次会议", "李克强"),
    2017: ("2017年3月5日", "第十二届全国人民代表大会第五次会议", "李克强"),
    2018: ("2018年3月5日", "第十三届全国人民代表大会第一次会议", "李克强"),
    2019: ("2019年3月5日", "第十三届全国人民代表大会第二次会议", "李克强"),
    2021: ("2021年3月5日", "第十三届全国人民代表大会第四次会议", "李克强"),
    2022: ("2022年3月5日", "第十三届全国人民代表大会第五次会议", "李克强"),
    2023: ("2023年3月5日", "第十四届全国人民代表大会第一次会议", "李克强"),
    2024: ("2024年3月5日", "第十四届全国人民代表大会第二次会议", "李强"),
    2025: ("2025年3月5日", "第十四届全国人民代表大会第三次会议", "李强"),
}

# Party congress reports: congress -> (year, ordinal, date, speaker). The 19th and 20th are
# checked against their title blocks on Wikisource; the 18th congress opened on 8 November
# 2012 with Hu Jintao's report (the Wikisource page starts at "同志们：").
CONGRESS: dict[int, tuple[int, str, str, str]] = {
    18: (2012, "第十八次", "2012年11月8日", "胡锦涛"),
    19: (2017, "第十九次", "2017年10月18日", "习近平"),
    20: (2022, "第二十次", "2022年10月16日", "习近平"),
}

NOTE_START = re.compile(r"^本作品")  # Wikisource's licence note opens with 本作品是/本作品来自
SENTENCE_END = "。！？!?：:；;…"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SALUTATION = re.compile(r"^(各位代表|同志们)[：:]$")
TEMPLATE_LINES = {"Public domain", "false", "↑"}  # the licence template's leftovers


@dataclass(frozen=True)
class Shipped:
    name: str  # file name
    text: str  # file content


def tidy_lines(text: str) -> list[str]:
    """Paragraphs, one a line: strip indents and invisible characters, join lines a wiki link
    broke (same paragraph, the line before does not end a sentence)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        had_invisible_only = raw.strip() == "" and raw.translate(_INVISIBLE) != raw
        line = raw.translate(_INVISIBLE).strip(" \t\u3000\u00a0\u2002\u2003\u2009\u202f")
        if line in TEMPLATE_LINES:
            line = ""
        if not line:
            if had_invisible_only:
                continue  # "人\n\u200b\n民满意": a zero-width space, not a paragraph break
            if current:
                paragraphs.append(current)
                current = []
            continue
        current.append(line)
    if current:
        paragraphs.append(current)
    out: list[str] = []
    for paragraph in paragraphs:
        merged = [paragraph[0]]
        for line in paragraph[1:]:
            if merged[-1][-1] in SENTENCE_END:
                merged.append(line)
            else:
                merged[-1] += line
        out.extend(merged)
    return out


def split_note(content: str) -> tuple[list[str], list[str]]:
    lines = tidy_lines(content)
    for i, line in enumerate(lines):
        if NOTE_START.match(line) and i > len(lines) // 2:
            return lines[:i], lines[i:]
    raise SystemExit("没有找到维基文库的版权说明（以“本作品”开头的段落）")


def strip_title_block(body: list[str]) -> list[str]:
    """Everything before the salutation is Wikisource's title block, replaced by ours."""
    for i, line in enumerate(body[:12]):
        if _SALUTATION.match(line):
            return body[i:]
    raise SystemExit(f"没有找到称呼语（各位代表：/同志们：）：{body[:3]}")


def render(header: list[str], body: list[str], note: list[str], source: str, url: str, year: int, remark: str) -> str:
    """Title block, then one paragraph a line with a blank line between paragraphs."""
    tail = note + [f"来源：维基文库《{source}》 {url}", f"年份：{year}", f"说明：{remark}"]
    return "\n".join(header) + "\n\n" + "\n\n".join(body + tail) + "\n"


REMARK = "本文件由 tools/ship_public_reports.py 从维基文库的文本生成，正文只调整了排版（去掉缩进、合并被链接断开的行）"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gov_reports(corpora: Path) -> list[Shipped]:
    records = read_jsonl(corpora / "government_work_reports.jsonl")
    resolutions = {r["title"]: r["content"] for r in records if not r.get("year")}
    shipped = []
    for record in records:
        if not record.get("year") or int(record["year"]) not in GOV:
            continue
        year = int(record["year"])
        date, session, premier = GOV[year]
        resolution = resolutions.get(f"{session}关于政府工作报告的决议", "")
        if f"国务院总理{premier}所作的" not in resolution.replace("\n", ""):
            raise SystemExit(f"{year}：语料中{session}的决议没有写明国务院总理{premier}作报告")
        body, note = split_note(record["content"])
        own = body[: next(i for i, x in enumerate(body) if _SALUTATION.match(x))]
        subtitle = f"——{date}在{session}上"
        if own and subtitle not in own:
            raise SystemExit(f"{year}：维基文库标题块 {own} 与 {subtitle} 不符")
        if own and not any(premier in x.replace("\u3000", "").replace(" ", "") for x in own):
            raise SystemExit(f"{year}：维基文库标题块 {own} 没有 {premier}")
        # the printed report has "国务院总理　李强" under the subtitle; the office is left out
        # here, or analysis mines "国务院总理李克强" (nine reports) as a set phrase
        header = ["政府工作报告", subtitle, premier]
        if own:
            remark = REMARK + "；报告人一行只写姓名（原文作“国务院总理 " + premier + "”）。"
        else:
            remark = REMARK + "；维基文库原文没有标题块，标题、日期、会议届次和报告人为补入（届次和报告人见同一会议关于政府工作报告的决议），报告人一行只写姓名。"
        text = render(header, strip_title_block(body), note, record["title"], record["url"], year, remark)
        shipped.append(Shipped(f"{year}年政府工作报告.txt", text))
    return shipped


def congress_reports(corpora: Path) -> list[Shipped]:
    shipped = []
    for record in read_jsonl(corpora / "cpc_congress_reports.jsonl"):
        congress = int(record.get("congress") or 0)
        if congress not in CONGRESS:
            continue
        year, ordinal, date, speaker = CONGRESS[congress]
        body, note = split_note(record["content"])
        own = body[: next(i for i, x in enumerate(body) if _SALUTATION.match(x))]
        title_lines = re.sub(r"\s*\([^()]*\)\s*$", "", record["title"]).split()
        subtitle = f"——在中国共产党{ordinal}全国代表大会上的报告"
        header = title_lines + [subtitle, f"（{date}）", speaker]
        own = [x.replace("\u3000", "").replace(" ", "") for x in own]
        if own and own[-3:] != header[-3:]:
            raise SystemExit(f"第{congress}次代表大会：维基文库标题块 {own} 与 {header} 不符")
        if not own:
            remark = REMARK + "；维基文库原文没有标题块，标题、日期和报告人为补入（标题见维基文库页面名称）。"
        elif own[:-3] != title_lines:
            # the 19th: the page's title block reads 为夺取…, the page name (and the report as
            # published) 夺取…; the page name is used, and the difference said
            remark = REMARK + f"；标题据维基文库页面名称，原文标题块作“{' '.join(own[:-3])}”。"
        else:
            remark = REMARK + "。"
        text = render(header, strip_title_block(body), note, record["title"], record["url"], year, remark)
        shipped.append(Shipped(f"{year}年中国共产党{ordinal}全国代表大会报告.txt", text))
    return shipped


def build(corpora: Path) -> list[Shipped]:
    files = gov_reports(corpora) + congress_reports(corpora)
    if len(files) != len(GOV) + len(CONGRESS):
        raise SystemExit(f"应生成 {len(GOV) + len(CONGRESS)} 个文件，只找到 {len(files)} 个")
    return sorted(files, key=lambda f: f.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--out", type=Path, default=ROOT / "seeds" / "reports")
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing")
    args = parser.parse_args(argv)
    if not args.corpora.is_dir():
        for parent in ROOT.parents:  # a worktree may sit deeper than the shared folder
            if (parent / "shared" / "corpora").is_dir():
                args.corpora = parent / "shared" / "corpora"
                break
    files = build(args.corpora)
    if args.check:
        stale = [f.name for f in files if not (args.out / f.name).is_file() or (args.out / f.name).read_text(encoding="utf-8") != f.text]
        extra = sorted({p.name for p in args.out.glob("*.txt")} - {f.name for f in files}) if args.out.is_dir() else []
        for name in stale + extra:
            print(f"不一致：{args.out / name}")
        return 1 if stale or extra else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for f in files:
        (args.out / f.name).write_bytes(f.text.encode("utf-8"))
        print(args.out / f.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
