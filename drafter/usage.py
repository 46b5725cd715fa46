"""Usage errors (a missing argument, an unknown option, a value of the wrong type) in Chinese,
with exit code 2, as the README promises: Typer's own messages are English.

`ChineseTyperGroup` is the click group class of the `drafter` app (typer.Typer(cls=…)); it runs
the command line in click's non-standalone mode and prints each usage error itself."""

from __future__ import annotations

import re
import sys
from typing import Any

from typer import _click as click
from typer.core import TyperGroup
from typer.exceptions import Abort

USAGE_EXIT = 2


def _quoted(text: str) -> str:
    return text.strip("'\"")


_VALUE_MESSAGES = [
    (re.compile(r"^'?(.*?)'? is not a valid (?:int|integer)(?: range)?\.?$", re.S), lambda m: f"“{m[1]}”不是整数"),
    (re.compile(r"^'?(.*?)'? is not a valid float(?: range)?\.?$", re.S), lambda m: f"“{m[1]}”不是数字"),
    (re.compile(r"^'?(.*?)'? is not a valid boolean\.?$", re.S), lambda m: f"“{m[1]}”不是是/否值"),
    (re.compile(r"^(.*?) is not in the range (.*?)\.?$", re.S), lambda m: f"{_quoted(m[1])} 超出允许的范围（{m[2]}）"),
    (re.compile(r"^'?(.*?)'? is not one of (.*?)\.?$", re.S), lambda m: f"“{m[1]}”不是可选的值（可选：{m[2]}）"),
    (re.compile(r"^'?(.*?)'? is not (?:a valid )?choice.*?(?:one of|choose from) (.*?)\.?$", re.S), lambda m: f"“{m[1]}”不是可选的值（可选：{m[2]}）"),
    (re.compile(r"^(?:File|Directory|Path) '?(.*?)'? does not exist\.?$", re.S), lambda m: f"{m[1]} 不存在"),
]


def translate(error: Exception) -> str:
    """A Chinese message for one of click's usage errors."""
    message = getattr(error, "message", str(error))
    if isinstance(error, click.exceptions.NoSuchOption):
        hint = f"您是不是要写 {'、'.join(error.possibilities)}？" if error.possibilities else ""
        return f"没有 {error.option_name} 这个选项。{hint}"
    if isinstance(error, click.exceptions.MissingParameter):
        return _missing(error)
    if isinstance(error, click.exceptions.BadParameter):
        return _bad_value(error, message)
    return _by_message(error, message)


def _missing(error: click.exceptions.MissingParameter) -> str:
    param = error.param
    kind = "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"
    name = param.human_readable_name if param is not None else ""
    name = name.upper() if kind == "参数" else name
    return f"缺少{kind} {name}。"


def _bad_value(error: click.exceptions.BadParameter, message: str) -> str:
    param = error.param
    if error.param_hint is not None:
        hint = error.param_hint if isinstance(error.param_hint, str) else " / ".join(error.param_hint)
    elif param is not None:
        hint = " / ".join(getattr(param, "opts", []) or [param.human_readable_name])
    else:
        hint = "参数"
    for pattern, chinese in _VALUE_MESSAGES:
        match = pattern.match(message)
        if match:
            return f"{hint} 的值不对：{chinese(match)}。"
    return f"{hint} 的值不对：{message}"


def _by_message(error: Exception, message: str) -> str:
    """The usage errors click tells apart only by their English message."""
    match = re.match(r"^Option '?(.*?)'? requires an argument\.?$", message)
    if match:
        return f"选项 {match[1]} 后面要跟一个值。"
    match = re.match(r"^Got unexpected extra arguments? ?\(?s?\)? \((.*)\)$", message)
    if match:
        return f"多出了参数：{match[1]}。"
    match = re.match(r"^No such command '?(.*?)'?\.?$", message)
    if match:
        ctx = getattr(error, "ctx", None)
        commands = ctx.command.list_commands(ctx) if ctx is not None and hasattr(ctx.command, "list_commands") else []
        known = f"可用的命令：{'、'.join(commands)}。" if commands else ""
        return f"没有 {match[1]} 这个命令。{known}"
    match = re.match(r"^Option '?(.*?)'? does not take a value\.?$", message)
    if match:
        return f"选项 {match[1]} 后面不能跟值。"
    return message


class ChineseTyperGroup(TyperGroup):
    """The top-level group: usage errors as one Chinese message and exit code 2."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except click.exceptions.UsageError as error:
            ctx = getattr(error, "ctx", None)
            path = ctx.command_path if ctx is not None else (prog_name or "drafter")
            click.echo(f"错误：{translate(error)}\n用 {path} -h 查看用法。", err=True)
            sys.exit(USAGE_EXIT)
        except click.exceptions.ClickException as error:
            click.echo(f"错误：{error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except Abort:
            click.echo("已取消。", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)
