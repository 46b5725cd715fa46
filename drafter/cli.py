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


# --- draft / templates ----------------------------------------------------------------


def main() -> None:  # pragma: no cover - console entry for tools that want a function
    app(prog_name="drafter")
