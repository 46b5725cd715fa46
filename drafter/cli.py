"""The command line: parse arguments, call the library, print. No logic of its own.

Every command goes through `_command`, which turns a DrafterError (and any other failure)
into a one-line Chinese message on stderr and exit code 1, never a traceback."""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Any, Callable, List, Optional

import typer
from typer import _click as click

from drafter import api
from drafter.errors import DrafterError
from drafter.usage import ChineseTyperGroup


class _ConsoleApp(typer.Typer):
    """The `drafter` app. Run as the console command (no arguments given: the command line is
    sys.argv), it builds only the command asked for (app_for) and ends quickly after commands
    that start no processes (QUICK_EXIT); called with arguments, or through Typer's test
    runner, it is an ordinary Typer app."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args or "args" in kwargs:
            return super().__call__(*args, **kwargs)
        argv = sys.argv[1:]
        try:
            return typer.Typer.__call__(app_for(argv), *args, **kwargs)
        except SystemExit as done:
            if argv and argv[0] in QUICK_EXIT:
                _exit_now(done.code)
            raise


def _new_app(cls: type[typer.Typer] = typer.Typer) -> typer.Typer:
    return cls(
        cls=ChineseTyperGroup,  # usage errors in Chinese, exit code 2
        name="drafter",
        help="drafter：离线讲话稿起草助手。从真实讲话稿中学习结构与常用语，按会议类型生成讲话提纲。",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _new_app(_ConsoleApp)
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
            except KeyboardInterrupt as exc:
                # Ctrl-C: 130 as shells expect; SIGTERM/SIGHUP (workers.Stopped): 1
                signum = getattr(exc, "signum", signal.SIGINT)
                name = {signal.SIGINT: "Ctrl-C"}.get(signum) or signal.Signals(signum).name
                typer.echo(f"已中断（{name}）。没有写入任何文件，原有的文件保持不变。", err=True)
                raise typer.Exit(130 if signum == signal.SIGINT else 1)
            except (typer.Exit, typer.Abort, SystemExit, click.exceptions.UsageError):  # usage errors: exit 2 (usage.py)
                raise
            except BrokenPipeError:  # `drafter phrases … | head`: the reader has gone, stop quietly
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(0)
            except MemoryError:  # a last resort: every input has its own size limit before this
                _fail("内存不足，无法完成。请检查输入的文件是否过大或内容异常（可分成几个文件再试）。")
            except RecursionError:
                _fail("输入的内容嵌套过深，无法处理。请检查输入的文件是否内容异常。")
            except OSError as exc:
                where = f"{exc.filename}：" if getattr(exc, "filename", None) else ""
                _fail(f"{where}文件读写失败（{exc.strerror or exc}）。请检查路径、权限和磁盘空间。")
            except Exception as exc:  # never a traceback for the user
                if os.environ.get("DRAFTER_DEBUG"):
                    raise
                import logging  # only here: the draft path need not import it

                logging.getLogger(__name__).debug("unexpected error", exc_info=True)
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


# --- options shared by several commands -------------------------------------------------

JsonOption = Annotated[bool, typer.Option("--json", help="以 JSON 输出")]
SinceOption = Annotated[
    Optional[int], typer.Option("--since", min=1900, max=2100, help="只用某年及以后的文档里出现过的词句，如 --since 2016")
]
BankOption = Annotated[Optional[Path], typer.Option("--bank", help="词库文件夹（默认：内置词库，或环境变量 DRAFTER_BANK）")]
TemplatesOption = Annotated[
    Optional[Path], typer.Option("--templates", help="自己的模板文件夹（或环境变量 DRAFTER_TEMPLATES），同名覆盖内置")
]


# --- outline ------------------------------------------------------------------------


@_command(name="outline")
def outline_command(
    file: Annotated[Path, typer.Argument(help="讲话稿文件：.txt、.md、.docx（UTF-8、GB18030、UTF-16 均可）")],
    as_json: JsonOption = False,
) -> None:
    """显示一篇讲话稿的结构：标题、讲话人、日期、会议类型、称呼语、开头、各级标题、结尾。"""
    from drafter.outline import outline_to_dict, render_outline_text

    outline = api.outline(file)
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


ENGINES = ("local", "dask")


def _check_engine(value: str) -> str:
    if value not in ENGINES:
        raise typer.BadParameter(f"不支持“{value}”，可用：{'、'.join(ENGINES)}")
    return value


def _check_engine_options(engine: str, scheduler: Optional[str], workers: Optional[int]) -> None:
    """--scheduler belongs to --engine dask, --workers to this machine: a mix is a usage error."""
    if scheduler is not None and engine != "dask":
        raise click.exceptions.UsageError(f"--scheduler {scheduler} 只用于 Dask 集群，请同时写 --engine dask。")
    if workers is not None and engine == "dask":
        raise click.exceptions.UsageError("--workers 是本机的进程数；用 --engine dask 时由各台 dask worker 决定，请去掉 --workers。")


@_command(name="analyze")
def analyze_command(
    paths: Annotated[List[Path], typer.Argument(help="讲话稿文件、文件夹（递归）或 JSONL 语料，可给多个")],
    output: Annotated[Path, typer.Option("-o", "--output", help="词库文件夹（写入 phrases.yaml、frames.yaml）")] = Path("phrasebank"),
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="并行进程数（默认：大语料用 2 个，小语料 1 个；最多为 CPU 数）")] = None,
    year: Annotated[
        Optional[int], typer.Option("--year", min=1900, max=2100, help="给没有注明日期（标题、文件名、正文开头都没有年份）的文档指定年份")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="遇到无法读取的文件就停止（默认：跳过并提示）")] = False,
    engine: Annotated[
        str, typer.Option("--engine", callback=_check_engine, help="在哪里逐篇分析：local 本机（默认）；dask 在 Dask 集群上（需 --scheduler）")
    ] = "local",
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", help="Dask 调度器地址，如 tcp://192.168.1.10:8786（与 --engine dask 一起用）")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="不用也不保存以前分析的逐篇结果（~/.cache/drafter），每篇都重新分析")] = False,
    as_json: JsonOption = False,
) -> None:
    """从讲话稿中挖掘常用语（数字概括语、成语、固定提法、排比、引语、标题框架、开头结尾句），写成 YAML 词库。"""
    _check_engine_options(engine, scheduler, workers)
    cpus = os.cpu_count() or 1
    if workers is not None and workers > cpus:
        typer.echo(f"提示：本机只有 {cpus} 个 CPU，--workers {workers} 按 {cpus} 个进程运行（再多只会更慢）。", err=True)
    summary = api.analyze(
        paths, output, workers=workers, progress=_progress_printer(), year=year, strict=strict,
        engine=engine, scheduler=scheduler, cache=not no_cache,
    )
    for skipped in summary.skipped:
        typer.echo(f"已跳过：{skipped.reason}", err=True)
    emit(summary.as_dict() if as_json else summary, as_json, _analysis_text)


def _analysis_text(summary) -> str:
    from drafter.model import KINDS

    counts = "，".join(f"{KINDS[k].label} {n}" for k, n in summary.counts.items())
    years = "，".join(f"{how} {n} 篇" for how, n in summary.years.items())
    skipped = f"另有 {len(summary.skipped)} 个文件无法读取，已跳过（见上；加 --strict 则遇到即停止）。\n" if summary.skipped else ""
    return (
        f"分析了 {summary.documents} 篇文档（{summary.characters} 字），得到：{counts}。\n"
        + skipped
        + (f"其中 {summary.folded} 篇是其他文档的转载（正文九成以上相同），只计一次。\n" if summary.folded else "")
        + f"文档年份的来源：{years}（“未注明”的文档起草时不因年代被排除，可用 --year 指定）。\n"
        f"已写入：{'、'.join(summary.files)}\n"
        f"查词：drafter phrases 关键词 --bank {summary.output}"
    )


@_command(name="phrases")
def phrases_command(
    query: Annotated[Optional[str], typer.Argument(help="要查的词，如 担当、廉洁；不给则列出全部")] = None,
    theme: Annotated[Optional[str], typer.Option("--theme", "-t", help="按主题筛选，如 廉洁自律")] = None,
    kind: Annotated[
        Optional[str],
        typer.Option(
            "--kind", "-k",
            help="按类别筛选：idiom 成语 / formula 数字概括语 / term 提法 / parallel 排比 / quote 引语 / frame 标题框架 / move 开头结尾句",
        ),
    ] = None,
    bank: BankOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="最多显示几条")] = 20,
    since: SinceOption = None,
    as_json: JsonOption = False,
) -> None:
    """按关键词、主题、类别查常用语，显示出处（文件:行）、年份和上下文。"""
    found = api.phrases(query, theme=theme, kind=kind, bank=bank, limit=limit, since=since)
    if as_json:
        emit([e.to_dict() for e in found], True, str)
    elif not found:
        typer.echo("没有找到匹配的词句。可以换个关键词，或去掉 --theme/--kind 再试。")
    else:
        typer.echo(_phrases_text(found))


def _phrases_text(entries) -> str:
    from drafter.model import KINDS, ROLES

    out = []
    for entry in entries:
        label = KINDS[entry.kind].label
        if entry.role:
            label += f"·{ROLES.get(entry.role, entry.role)}"
        extra = ""
        if entry.attribution:
            extra = f"（{entry.attribution}）"
        if entry.fills:
            extra = "  例：" + "、".join(entry.examples[:4] or ["/".join(f) for f in entry.fills[:4]])
        mine = "  [自定义]" if entry.custom else ""
        for old in entry.expired:
            if old.get("variant"):
                mine += f"  〔不规范：“{old['text']}”应作“{old['replaced_by']}”〕"
                continue
            instead = f"，现用“{old['replaced_by']}”" if old["replaced_by"] else ""
            mine += f"  〔已过时：“{old['text']}”用于 {old['from']}–{old['until']} 年{instead}〕"
        themes = f"  主题：{'、'.join(entry.themes)}" if entry.themes else ""
        out.append(f"{entry.text}{extra}  〔{label}〕 {entry.count} 次 / {entry.docs} 篇{_years(entry)}{themes}{mine}")
        for source in entry.sources[:2]:
            year = f"（{source.year}）" if source.year else ""
            out.append(f"    {source.doc}:{source.line}{year}  {source.context}")
    return "\n".join(out)


def _years(entry) -> str:
    if not entry.first_year:
        return ""
    span = str(entry.first_year) if entry.first_year == entry.last_year else f"{entry.first_year}–{entry.last_year}"
    return f" / {span}年"


# --- draft / templates ----------------------------------------------------------------


def _check_format(value: str) -> str:
    """An unknown --format is a usage error (exit 2), as the README says."""
    if value not in api.FORMATS:
        raise typer.BadParameter(f"不支持“{value}”，可用：{'、'.join(api.FORMATS)}")
    return value


@_command(name="draft")
def draft_command(
    occasion: Annotated[str, typer.Argument(help="会议类型，如 廉政谈话、警示教育大会、座谈会（drafter templates list 查看全部）")],
    org: Annotated[Optional[str], typer.Option("--org", help="单位，如 市纪委")] = None,
    audience: Annotated[Optional[str], typer.Option("--audience", help="参会对象，如 新任科级干部")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="讲话日期，如 2026-05-18 或 2026年5月18日（默认今天）")] = None,
    theme: Annotated[List[str], typer.Option("--theme", "-t", help="侧重的主题，可重复，如 --theme 廉洁自律 --theme 家风建设")] = [],
    sections: Annotated[Optional[int], typer.Option("--sections", help="一级标题个数（默认按模板）")] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="随机种子（0 或正整数）：同一种子得到同一稿，换一个数得到另一种写法")] = 0,
    since: Annotated[
        Optional[int],
        typer.Option("--since", min=1900, max=2100, help="只用某年及以后出现过的材料（默认：讲话日期前十年内；没有年份的材料不受限）"),
    ] = None,
    length: Annotated[Optional[int], typer.Option("--length", help="篇幅（字数），如 4000：按此安排要点和例句的多少")] = None,
    minutes: Annotated[Optional[float], typer.Option("--minutes", help="讲话时长（分钟），按每分钟 200 字折算篇幅，如 20")] = None,
    bank: BankOption = None,
    templates: TemplatesOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", callback=_check_format, help="输出格式：md、txt、json、docx")] = "md",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="写入文件（docx 必须给出）；默认打印到屏幕")] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """按会议类型起草讲话提纲：标题、称呼、开头、并列的一级标题、要点、可用提法（附出处）和结尾。"""
    if fmt == "docx" and output is None:
        raise DrafterError("Word 格式需要用 -o 指定文件名，如 -o 讲话稿.docx。")
    speech = api.draft(
        occasion, org=org, audience=audience, date=date, themes=theme, sections=sections, seed=seed,
        bank=bank, templates=templates, since=since, length=length, minutes=minutes,
    )
    data = api.render(speech, fmt, templates=templates)
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        api.write_output(output, data, force=force)
        if str(output) != "-":  # `-o -` is standard output
            typer.echo(f"已写入 {output}", err=True)


@_command(templates_app, name="list")
def templates_list_command(templates: TemplatesOption = None, as_json: JsonOption = False) -> None:
    """列出可用的会议类型（内置的和自己的）。"""
    data = [
        {"name": i.name, "aliases": i.aliases, "description": i.description, "origin": i.origin, "path": str(i.path)}
        for i in api.list_templates(templates)
    ]

    def plain(items) -> str:
        lines = []
        for item in items:
            aliases = f"（又称：{'、'.join(item['aliases'])}）" if item["aliases"] else ""
            lines.append(f"{item['name']}{aliases}  [{item['origin']}]  {item['description']}")
        return "\n".join(lines)

    emit(data, as_json, plain)


@_command(templates_app, name="show")
def templates_show_command(
    name: Annotated[str, typer.Argument(help="会议类型名称")],
    templates: TemplatesOption = None,
) -> None:
    """显示一个会议类型模板的 YAML 原文。"""
    path, text = api.show_template(name, templates)
    typer.echo(f"# 文件：{path}", err=True)
    typer.echo(text, nl=False)


@_command(templates_app, name="new")
def templates_new_command(
    name: Annotated[str, typer.Argument(help="新会议类型的名称，如 我的廉政谈话")],
    base: Annotated[str, typer.Option("--from", help="以哪个会议类型为底稿，如 廉政谈话")],
    directory: Annotated[Path, typer.Option("--dir", help="自己的模板文件夹，新文件写到 DIR/occasions/NAME.yaml")],
) -> None:
    """复制一个会议类型模板，改名后写到自己的模板文件夹，供修改。"""
    path = api.new_template(name, base, directory)
    typer.echo(f"已创建 {path}\n修改后可用：drafter draft {name} --templates {directory}")


@_command(templates_app, name="validate")
def templates_validate_command(
    file: Annotated[Path, typer.Argument(help="要检查的模板文件（occasions/*.yaml）")],
) -> None:
    """检查一个会议类型模板：YAML 格式、必填字段、类型，并试渲染每段文字。"""
    problems = api.validate_template(file)
    if problems:
        for problem in problems:
            typer.echo(problem, err=True)
        raise typer.Exit(1)
    typer.echo(f"{file}：检查通过。")


def main() -> None:
    """The console entry (`drafter`, `python -m drafter`), for tools that want a function."""
    app(prog_name="drafter")


# commands that start no processes or threads: once they are done, the process may end without
# freeing every object one by one (for a draft from a large bank, a tenth of its time)
QUICK_EXIT = frozenset({"draft", "phrases", "outline"})


def _exit_now(code: Any) -> None:
    """End the process as `sys.exit(code)` would, after the exit handlers and with the output
    flushed, but without tearing the interpreter down."""
    import atexit

    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`| head`) is no error of ours
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def app_for(argv: list[str]) -> typer.Typer:
    """`app`, or, when `argv` starts with the name of one of its commands, an app holding only
    that command: Typer builds the options of every command before it reads the command line,
    which costs a draft about a twentieth of its time. Anything else (help, a mistyped command,
    `templates …`) gets the whole app."""
    name = argv[0] if argv else None
    wanted = [c for c in app.registered_commands if c.name == name]
    if not wanted:
        return app
    lean = _new_app()
    lean.registered_commands = wanted
    lean.callback()(_no_options)  # with a callback Typer keeps a group: `drafter draft …` as before
    return lean


def _no_options() -> None:
    """The app's own options: none but --help."""
