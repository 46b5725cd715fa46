"""The command line: parse arguments, call the library, print. No logic of its own.

Every command goes through `_command`, which turns a DrafterError (and any other failure)
into a one-line Chinese message on stderr and exit code 1, never a traceback."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from drafter.errors import DrafterError

log = logging.getLogger(__name__)

app = typer.Typer(
    name="drafter",
    help="drafter：离线讲话稿起草助手。从真实讲话稿中学习结构与常用语，按会议类型生成讲话提纲。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
templates_app = typer.Typer(
    help="查看、新建、校验会议类型模板（templates/occasions/*.yaml）。",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(templates_app, name="templates")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)


def _command(group: typer.Typer = app, **options: Any) -> Callable:
    """Register a command whose user-facing errors become a message and exit code 1."""

    def register(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except DrafterError as exc:
                _fail(str(exc))
            except KeyboardInterrupt:
                typer.echo("已中断。", err=True)
                raise typer.Exit(130)
            except (typer.Exit, typer.Abort, SystemExit):
                raise
            except BrokenPipeError:  # `drafter ... | head`
                sys.stderr.close()
                raise typer.Exit(0)
            except OSError as exc:
                where = f"{exc.filename}：" if getattr(exc, "filename", None) else ""
                _fail(f"{where}文件读写失败（{exc.strerror or exc}）。请检查路径、权限和磁盘空间。")
            except Exception as exc:  # never a traceback for the user
                if os.environ.get("DRAFTER_DEBUG"):
                    raise
                log.debug("unexpected error", exc_info=True)
                _fail(
                    f"内部错误（{type(exc).__name__}: {exc}）。这是 drafter 的缺陷，"
                    "请设置环境变量 DRAFTER_DEBUG=1 重新运行，并把输出报告给维护者。"
                )

        return group.command(**options)(wrapper)

    return register


def emit(data: Any, as_json: bool, plain: Callable[[Any], str]) -> None:
    """Print `data` as JSON (for programs) or through `plain` (for people)."""
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(plain(data))


# --- outline ------------------------------------------------------------------------


@_command(name="outline")
def outline_command(
    file: Path = typer.Argument(..., help="讲话稿文件：.txt、.md、.docx（UTF-8、GB18030、UTF-16 均可）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """显示一篇讲话稿的结构：标题、讲话人、日期、会议类型、称呼语、开头、各级标题、结尾。"""
    from drafter.corpus import load_document
    from drafter.outline import outline_to_dict, parse_outline, render_outline_text

    outline = parse_outline(load_document(file))
    emit(outline_to_dict(outline) if as_json else outline, as_json, render_outline_text)


# --- analyze / phrases ----------------------------------------------------------------


def _progress_printer() -> Optional[Callable[[str, int, int], None]]:
    """A one-line progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{stage} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


@_command(name="analyze")
def analyze_command(
    paths: list[Path] = typer.Argument(..., help="讲话稿文件、文件夹（递归）或 JSONL 语料，可给多个"),
    output: Path = typer.Option(Path("phrasebank"), "-o", "--output", help="词库文件夹（写入 phrases.yaml、frames.yaml）"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="并行进程数（默认：大语料用 2 个，小语料 1 个）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出统计"),
) -> None:
    """从讲话稿中挖掘常用语（数字概括语、成语、固定提法、排比、引语、标题框架、开头结尾句），写成 YAML 词库。"""
    from drafter.mining import analyze

    summary = analyze(paths, output, workers=workers, progress=_progress_printer())
    emit(summary.as_dict() if as_json else summary, as_json, _analysis_text)


def _analysis_text(summary) -> str:
    from drafter.bank import KINDS

    counts = "，".join(f"{KINDS[k]} {n}" for k, n in summary.counts.items())
    return (
        f"分析了 {summary.documents} 篇文档（{summary.characters} 字），得到：{counts}。\n"
        f"已写入：{'、'.join(summary.files)}\n"
        f"查词：drafter phrases 关键词 --bank {summary.output}"
    )


@_command(name="phrases")
def phrases_command(
    query: Optional[str] = typer.Argument(None, help="要查的词，如 担当、廉洁；不给则列出全部"),
    theme: Optional[str] = typer.Option(None, "--theme", "-t", help="按主题筛选，如 廉洁自律"),
    kind: Optional[str] = typer.Option(
        None, "--kind", "-k", help="按类别筛选：idiom 成语 / formula 数字概括语 / term 提法 / parallel 排比 / quote 引语 / frame 标题框架 / move 开头结尾句"
    ),
    bank: Optional[Path] = typer.Option(None, "--bank", help="词库文件夹（默认：内置词库，或环境变量 DRAFTER_BANK）"),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="最多显示几条"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """按关键词、主题、类别查常用语，显示出处（文件:行）和上下文。"""
    from drafter.bank import entry_to_dict, load_bank, search

    found = search(load_bank(bank), query, theme=theme, kind=kind, limit=limit)
    if as_json:
        emit([entry_to_dict(e) for e in found], True, str)
    elif not found:
        typer.echo("没有找到匹配的词句。可以换个关键词，或去掉 --theme/--kind 再试。")
    else:
        typer.echo(_phrases_text(found))


def _phrases_text(entries) -> str:
    from drafter.bank import KINDS, ROLES

    out = []
    for entry in entries:
        label = KINDS[entry.kind]
        if entry.role:
            label += f"·{ROLES.get(entry.role, entry.role)}"
        extra = ""
        if entry.attribution:
            extra = f"（{entry.attribution}）"
        if entry.fills:
            extra = "  例：" + "、".join(entry.examples[:4] or ["/".join(f) for f in entry.fills[:4]])
        mine = "  [自定义]" if entry.custom else ""
        themes = f"  主题：{'、'.join(entry.themes)}" if entry.themes else ""
        out.append(f"{entry.text}{extra}  〔{label}〕 {entry.count} 次 / {entry.docs} 篇{themes}{mine}")
        for source in entry.sources[:2]:
            out.append(f"    {source.doc}:{source.line}  {source.context}")
    return "\n".join(out)


# --- draft / templates ----------------------------------------------------------------


def main() -> None:  # pragma: no cover - console entry for tools that want a function
    app(prog_name="drafter")
