"""One call per job. The command line calls these and only prints; a Python user imports them:

    from drafter import api
    speech = api.draft("廉政谈话", org="市纪委", audience="新任科级干部", date="2026-05-18")
    print(api.render(speech, "md").decode())

Each function takes plain values (paths may be str or Path) and raises DrafterError, with a
message in Chinese, for anything the user can fix. Heavy modules are imported inside the
functions, so `drafter draft` never loads jieba."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from drafter.errors import DrafterError

if TYPE_CHECKING:
    from drafter.draft import Draft
    from drafter.mining import AnalysisSummary
    from drafter.model import Entry
    from drafter.outline import Outline
    from drafter.templating import OccasionInfo

PathLike = str | os.PathLike
FORMATS = ("md", "txt", "json", "docx")


def outline(path: PathLike) -> Outline:
    """The structure of one speech file: title, speaker, date, occasion, salutation, sections …"""
    from drafter.corpus import load_document
    from drafter.outline import parse_outline

    return parse_outline(load_document(path))


def analyze(
    paths: Iterable[PathLike],
    output: PathLike = "phrasebank",
    *,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    year: int | None = None,
    strict: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    cache: bool = True,
) -> AnalysisSummary:
    """Mine speech files, folders and JSONL corpora into a phrasebank folder. `year` dates the
    documents that say nothing of their own year (see drafter.dating). A file that cannot be
    read is skipped and listed in the summary; with `strict`, it is an error. `engine` "dask"
    runs the per-document work on the Dask cluster whose scheduler is at `scheduler`
    ("tcp://host:port"; `workers` is then the cluster's); with `cache` False, results of earlier
    runs are neither used nor kept."""
    from drafter.mining import analyze as mine

    return mine(
        paths, output, workers=workers, progress=progress, default_year=year, strict=strict,
        engine=engine, scheduler=scheduler, cache=cache,
    )


def phrases(
    query: str | None = None,
    *,
    theme: str | None = None,
    kind: str | None = None,
    bank: PathLike | None = None,
    limit: int | None = None,
    since: int | None = None,
) -> list[Entry]:
    """Stock phrases matching a word, a theme and a kind, in use since a year; the user's own first."""
    from drafter.bank import load_bank, search

    return search(load_bank(bank), query, theme=theme, kind=kind, limit=limit, since=since)


def draft(
    occasion: str,
    *,
    org: str | None = None,
    audience: str | None = None,
    date: str | dt.date | None = None,
    themes: Iterable[str] = (),
    sections: int | None = None,
    seed: int = 0,
    bank: PathLike | None = None,
    templates: PathLike | None = None,
    since: int | None = None,
    length: int | None = None,
    minutes: float | None = None,
) -> Draft:
    """A speech skeleton for an occasion (廉政谈话, 警示教育大会 …); same inputs and seed, same draft.
    Material last seen before `since` is left out; by default, material last seen more than
    ten years before the speech date (drafter.draft.RECENT_YEARS). `length` (characters) or `minutes` (read aloud at
    drafter.draft.CHARS_PER_MINUTE) sizes the draft."""
    from drafter.bank import load_bank
    from drafter.draft import CHARS_PER_MINUTE, DraftOptions, build_draft, parse_speech_date
    from drafter.runtime import few_collections
    from drafter.templating import find_occasion, load_point_headings, sandbox, user_templates_dir

    if isinstance(date, str):
        if not date.strip():
            raise DrafterError("--date 是空的。请写讲话日期，如 2026-05-18 或 2026年5月18日；不写 --date 则用今天。")
        try:
            date = parse_speech_date(date)
        except DrafterError as exc:
            raise DrafterError(f"--date：{exc}") from None
    if seed < 0:
        raise DrafterError(f"--seed {seed}：随机种子应为 0 或正整数。")
    user_dir = user_templates_dir(templates)
    spec = find_occasion(occasion, user_dir)
    options = DraftOptions(
        org=org,
        audience=audience,
        date=date,
        themes=list(themes),
        sections=sections,
        seed=seed,
        since=since,
        length=length if length is not None else (round(minutes * CHARS_PER_MINUTE) if minutes is not None else None),
    )
    with few_collections():
        return build_draft(spec, load_bank(bank), options, load_point_headings(user_dir), sandbox(user_dir))


def render(speech: Draft, fmt: str = "md", *, templates: PathLike | None = None) -> bytes:
    """A draft as Markdown, plain text, JSON (UTF-8) or a Word file."""
    if fmt not in FORMATS:
        raise DrafterError(f"不支持的格式：{fmt}。可用：{'、'.join(FORMATS)}。")
    if fmt == "docx":
        from drafter.docx import draft_to_docx

        return draft_to_docx(speech)
    if fmt == "json":
        from drafter.render import render_json

        return render_json(speech).encode("utf-8")
    from drafter.render import render_text
    from drafter.templating import sandbox, user_templates_dir

    return render_text(speech, sandbox(user_templates_dir(templates)), fmt).encode("utf-8")


def write_output(path: PathLike, data: bytes, *, force: bool = False) -> None:
    """Write a generated file atomically; an existing file only with `force`."""
    from drafter.fileio import write_new_file

    write_new_file(path, data, force=force)


def list_templates(templates: PathLike | None = None) -> list[OccasionInfo]:
    """Every occasion template, the user's folder over the built-ins."""
    from drafter.templating import list_occasions, user_templates_dir

    return list_occasions(user_templates_dir(templates))


def show_template(name: str, templates: PathLike | None = None) -> tuple[Path, str]:
    """The file of an occasion template and its YAML text."""
    from drafter.templating import find_occasion, user_templates_dir

    occasion = find_occasion(name, user_templates_dir(templates))
    return occasion.path, occasion.path.read_text(encoding="utf-8-sig")


def new_template(name: str, base: str, directory: PathLike) -> Path:
    """Copy an occasion template under a new name into the user's folder (DIR/occasions/NAME.yaml)."""
    from drafter.templating import new_occasion

    return new_occasion(name, base, directory)


def validate_template(path: PathLike) -> list[str]:
    """The problems of an occasion template file (empty when it is fine)."""
    from drafter.template_check import check_occasion

    path = Path(path)
    if not path.exists():
        raise DrafterError(f"找不到模板文件：{path}")
    return check_occasion(path)[1]
