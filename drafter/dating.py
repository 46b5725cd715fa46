"""The year a document was given in, so that every source can say how current it is.

One documented order, first found wins:
  1. the date in the speech's own header (“（2018年2月12日）”),
  2. a year given with the document (a JSONL record's `year`, `date` or `congress` field),
  3. a year in its title (“2025年政府工作报告”), then in its file name,
  4. the year the user gave (`drafter analyze --year 2024`),
  5. the latest past year the text itself mentions (“2020年以来”; not targets like “到2035年”):
     a speech is not older than the last year it speaks of, so this is a lower bound.
A document with none of these stays undated: drafting then neither prefers nor excludes it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from drafter.genre import CONGRESS_YEARS

FIRST_YEAR = 1900  # no speech of this genre is older; a smaller number is no year of it

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_YEAR_IN_TEXT = re.compile(r"(?<![\d到至])((?:19|20)\d\d)年(?!代|远景|前后)")
_TARGET_BEFORE = ("到", "至", "于", "在", "争取", "力争", "预计", "计划")


@dataclass(frozen=True)
class Dated:
    year: int | None
    how: str | None  # 日期 / 字段 / 标题 / 文件名 / --year / 正文 (for the bank's catalog)


def year_from_record(record: dict[str, Any]) -> int | None:
    """A JSONL record's own year: `year` (2024 or "2024"), `date` ("2024-03-05"), or the number of
    a Party congress (`congress`: 20 → 2022)."""
    for key in ("year", "date"):
        value = record.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            if _plausible(value):
                return value
        elif isinstance(value, str):
            match = _YEAR.search(value)
            if match and _plausible(int(match.group(1))):
                return int(match.group(1))
    congress = record.get("congress")
    if isinstance(congress, str) and congress.strip().isdigit():
        congress = int(congress)
    if isinstance(congress, int) and not isinstance(congress, bool):
        return CONGRESS_YEARS.get(congress)
    return None


def year_in_name(text: str | None) -> int | None:
    """The first plausible year written in a title or file name."""
    for match in _YEAR.finditer(text or ""):
        if _plausible(int(match.group(1))):
            return int(match.group(1))
    return None


def latest_year_mentioned(text: str, today: dt.date | None = None) -> int | None:
    """The latest year up to this one that the text speaks of as past or present."""
    this_year = (today or dt.date.today()).year
    years = []
    for match in _YEAR_IN_TEXT.finditer(text):
        year = int(match.group(1))
        before = text[max(0, match.start() - 4):match.start()]
        if FIRST_YEAR <= year <= this_year and not before.endswith(_TARGET_BEFORE):
            years.append(year)
    return max(years) if years else None


def document_year(
    header_date: str | None,
    year_hint: int | None,
    title: str | None,
    source: str,
    text: str,
    default_year: int | None = None,
) -> Dated:
    """The year of a document by the order in the module's docstring."""
    if header_date and _plausible(int(header_date[:4])):
        return Dated(int(header_date[:4]), "日期")
    if year_hint:
        return Dated(year_hint, "字段")
    if year_in_name(title):
        return Dated(year_in_name(title), "标题")
    name = PurePath(source.split("#", 1)[0]).name if "#" in source else PurePath(source).name
    if year_in_name(name):
        return Dated(year_in_name(name), "文件名")
    if default_year:
        return Dated(default_year, "--year")
    mentioned = latest_year_mentioned(text)
    return Dated(mentioned, "正文" if mentioned else None)


def _plausible(year: int) -> bool:
    return FIRST_YEAR <= year <= dt.date.today().year + 1
