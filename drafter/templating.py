"""Occasion templates: find them (a user folder over the built-ins, name by name), load and check
their YAML, and render text through a sandboxed Jinja environment.

Templates from colleagues are not trusted code: every string and layout is rendered by
jinja2.sandbox.SandboxedEnvironment, so `{{ cycler.__init__.__globals__.os.system(...) }}`
is refused, and the loaders only read files inside the template folders."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import BaseLoader, ChoiceLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.exceptions import SecurityError, TemplateNotFound, UndefinedError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, safe_range

from drafter import limits as _limits
from drafter.errors import DrafterError
from drafter.fileio import cached_for_file, code_stamp, parse_yaml, read_bytes
from drafter.jinja_cache import code_cache_for, environment_key
from drafter.resources import builtin_dir
from drafter.schema import check_keys

OCCASIONS_DIR = "occasions"
POINTS_FILE = "points.yaml"
PLACEHOLDERS = ("org", "audience", "date", "occasion", "n_sections")
MAX_TEMPLATE_BYTES = 1024 * 1024  # an occasion YAML or a layout is a few KB
MAX_LIST_ITEMS = 100  # paragraphs of an opening, frames of a template …: each is rendered or read

# The keys an occasion template may have (see templates/occasions/廉政谈话.yaml); anything
# else is an error naming the nearest known key, never a setting silently ignored.
OCCASION_SCHEMA: dict = {
    "name": None,
    "aliases": None,
    "description": None,
    "title": None,
    "salutation": None,
    "opening": None,
    "openings": [{"audience": None, "opening": None}],  # openings for audiences (新任 …), else `opening`
    "transition": None,
    "sections": {"default": None, "min": None, "max": None},
    "themes": None,
    "frames": [{"text": None, "fills": None}],
    "points": {"min": None, "max": None, "phrases": None, "headings": None},
    "closing": None,
}
POINTS_SCHEMA: dict = {"headings": None}


@dataclass
class FrameSpec:
    text: str
    fills: list[list[str]]


@dataclass
class Occasion:
    name: str
    path: Path
    origin: str  # 内置 / 用户
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    title: str = "在{{ org }}{{ occasion }}上的讲话"
    salutation: str = "同志们："
    opening: list[str] = field(default_factory=list)
    # openings for particular audiences: (words any of which in --audience selects it, paragraphs)
    openings: list[tuple[list[str], list[str]]] = field(default_factory=list)
    transition: str = "下面，我讲{{ n_sections }}点意见。"
    sections_default: int = 4
    sections_min: int = 3
    sections_max: int = 5
    themes: list[str] = field(default_factory=list)
    frames: list[FrameSpec] = field(default_factory=list)
    points_min: int = 2
    points_max: int = 3
    phrases_per_point: int = 3
    point_headings: dict[str, list[str]] = field(default_factory=dict)
    closing: list[str] = field(default_factory=list)


def user_templates_dir(given: str | os.PathLike | None) -> Path | None:
    """--templates, else DRAFTER_TEMPLATES, else none."""
    value = given or os.environ.get("DRAFTER_TEMPLATES")
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise DrafterError(f"模板文件夹不存在：{path}。请检查 --templates 或环境变量 DRAFTER_TEMPLATES。")
    return path


def template_roots(user_dir: Path | None) -> list[tuple[Path, str]]:
    roots = [(builtin_dir("templates"), "内置")]
    if user_dir:
        roots.insert(0, (user_dir, "用户"))
    return roots


# ---------------------------------------------------------------------------
# finding occasions


@dataclass
class OccasionInfo:
    name: str
    aliases: list[str]
    description: str
    origin: str
    path: Path


def list_occasions(user_dir: Path | None) -> list[OccasionInfo]:
    """Every occasion, a user's file hiding the built-in one of the same name."""
    seen: dict[str, OccasionInfo] = {}
    for root, origin in template_roots(user_dir):
        for path in sorted((root / OCCASIONS_DIR).glob("*.yaml")):
            if path.stem in seen:
                continue
            if not _inside(root, path):
                raise DrafterError(f"模板文件 {path} 指向模板文件夹 {root} 之外，未读取。请把模板文件本身放进模板文件夹。")
            occasion = load_occasion(path, origin)
            seen[path.stem] = OccasionInfo(occasion.name, occasion.aliases, occasion.description, origin, path)
    return sorted(seen.values(), key=lambda o: (o.origin != "用户", o.name))


def check_plain_name(name: str, what: str = "会议类型") -> None:
    """An occasion name is a plain name, never a path: `../../outside` or `a/b` is refused."""
    bad = (
        not name
        or not name.strip()
        or name.startswith(".")
        or any(ch in name for ch in "/\\\x00")
        or Path(name).name != name
        or len(name) > 100
    )
    if bad:
        raise DrafterError(
            f"{what}名称“{name}”不能用：名称里不能有 / \\ 等路径符号，也不能以“.”开头。"
            "请写会议类型本身的名称，如 廉政谈话（drafter templates list 查看全部）。"
        )


def _inside(root: Path, path: Path) -> bool:
    """True if `path`, with symlinks resolved, lies inside `root`."""
    try:
        real_root = os.path.realpath(root)
        return os.path.commonpath([real_root, os.path.realpath(path)]) == real_root
    except ValueError:  # different drives
        return False


def find_occasion(name: str, user_dir: Path | None) -> Occasion:
    """The occasion called `name` (or with `name` among its aliases), user templates first."""
    check_plain_name(name)
    for root, origin in template_roots(user_dir):
        path = root / OCCASIONS_DIR / f"{name}.yaml"
        if path.is_file() or path.is_symlink():
            if not _inside(root, path):
                raise DrafterError(f"模板文件 {path} 指向模板文件夹 {root} 之外，未读取。请把模板文件本身放进模板文件夹。")
            return load_occasion(path, origin)
    infos = list_occasions(user_dir)
    for info in infos:
        if name in info.aliases:
            return load_occasion(info.path, info.origin)
    close = [i.name for i in infos if name in i.name or i.name in name]
    hint = f"您是不是要找：{'、'.join(close)}？" if close else ""
    raise DrafterError(
        f"没有“{name}”这个会议类型。{hint}可用的会议类型：{'、'.join(i.name for i in infos)}。"
        "也可以用 drafter templates new 新建一个。"
    )


# ---------------------------------------------------------------------------
# loading and checking an occasion


def read_template_text(path: Path, what: str) -> str:
    """A template file's text: a regular file of at most MAX_TEMPLATE_BYTES, in UTF-8."""
    raw = read_bytes(path, what, limit=MAX_TEMPLATE_BYTES)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DrafterError(f"{what} {path} 不是 UTF-8 编码，请另存为 UTF-8 后重试。") from None


def load_occasion(path: Path, origin: str = "用户") -> Occasion:
    def checked() -> dict:
        from drafter.template_check import check_occasion  # it renders with this module's sandbox

        data, problems = check_occasion(path)
        if problems:
            raise DrafterError("\n".join(problems) + "\n请修改后用 drafter templates validate 检查。")
        return data

    # a file that passed the checks is not checked again until it changes, or the checks do
    data = cached_for_file(path, f"occasion-{_checks_stamp()}", checked)
    sections = data.get("sections") or {}
    points = data.get("points") or {}
    occasion = Occasion(name=data.get("name") or path.stem, path=path, origin=origin)
    occasion.aliases = list(data.get("aliases") or [])
    occasion.description = data.get("description") or ""
    occasion.title = data["title"]
    occasion.salutation = data.get("salutation", occasion.salutation)
    occasion.opening = list(data["opening"])
    occasion.openings = [([str(w) for w in v["audience"]], [str(p) for p in v["opening"]]) for v in data.get("openings") or []]
    occasion.transition = data.get("transition", occasion.transition)
    occasion.sections_min = sections.get("min", occasion.sections_min)
    occasion.sections_max = sections.get("max", occasion.sections_max)
    occasion.sections_default = sections.get("default", min(max(occasion.sections_default, occasion.sections_min), occasion.sections_max))
    occasion.themes = list(data.get("themes") or [])
    occasion.frames = [FrameSpec(f["text"], [[str(x) for x in fill] for fill in f.get("fills") or []]) for f in data.get("frames") or []]
    occasion.points_min = points.get("min", occasion.points_min)
    occasion.points_max = max(points.get("max", occasion.points_max), occasion.points_min)
    occasion.phrases_per_point = points.get("phrases", occasion.phrases_per_point)
    occasion.point_headings = {str(k): [str(x) for x in v] for k, v in (points.get("headings") or {}).items()}
    occasion.closing = list(data["closing"])
    return occasion


def _checks_stamp() -> str:
    """What the checks of a template file depend on: the code of the checks."""
    here = Path(__file__).parent
    return code_stamp([Path(__file__), here / "limits.py", here / "schema.py", here / "template_check.py"])


def load_point_headings(user_dir: Path | None) -> dict[str, list[str]]:
    """templates/points.yaml, the user's file (if any) taking precedence theme by theme."""
    merged: dict[str, list[str]] = {}
    for root, _ in reversed(template_roots(user_dir)):
        path = root / POINTS_FILE
        if not path.exists():
            continue
        text = read_template_text(path, "要点备选文件")
        data = parse_yaml(text, str(path), "要点备选文件")
        problems = check_keys(data, POINTS_SCHEMA, text, str(path), "要点备选文件")
        if problems:
            raise DrafterError("\n".join(problems))
        headings = data.get("headings") if isinstance(data, dict) else None
        if not isinstance(headings, dict):
            raise DrafterError(f"要点备选文件 {path} 的格式不对：应为 headings: 下列出“主题: [要点, …]”。")
        for theme, items in headings.items():
            if not isinstance(items, list):
                raise DrafterError(f"要点备选文件 {path} 中主题“{theme}”应对应一个列表。")
            merged[str(theme)] = [str(x) for x in items]
    return merged


# ---------------------------------------------------------------------------
# the sandbox


class TemplateRefused(DrafterError):
    """A template asked for more time, memory or output than a template may have."""


class _GuardedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with `a ~ b` joined by a function that checks the size."""

    @optimizeconst
    def visit_Concat(self, node, frame) -> None:
        self.write("environment.join_checked((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class GuardedSandbox(SandboxedEnvironment):
    """SandboxedEnvironment that also bounds what a template may make (see drafter/limits.py):
    operators, filters, method calls and `~` are checked before and after, output is counted
    as it is produced; rendering itself runs under limits.RenderGuard (render_string,
    render_layout)."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    code_generator_class = _GuardedCodeGenerator

    def __init__(self, *args: Any, limits: _limits.RenderLimits = _limits.LIMITS, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.filters = {name: _limits.guard_function(name, func, limits) for name, func in self.filters.items()}
        self.globals.pop("lipsum", None)  # lorem ipsum of any length: no use in a speech
        # compiled templates kept between runs (drafter.jinja_cache); the key covers this module
        # and limits.py, whose code generator and guards shape the compiled code
        self.code_cache = code_cache_for(environment_key(self, [Path(__file__), Path(_limits.__file__)]))
        self.bytecode_cache = self.code_cache

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _limits.check_binop(operator, left, right, self.limits)
        return _limits.check_result(super().call_binop(context, operator, left, right), f"运算 {operator} ", self.limits)

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        guard = _limits._current()
        if guard is not None:
            guard.check_time()
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        name = "range" if target is safe_range else getattr(target, "__name__", None) or type(target).__name__
        if _limits.is_builtin(target) or target is safe_range:
            receiver = getattr(target, "__self__", None)
            values = (receiver, *args) if isinstance(receiver, (str, bytes, list, tuple, dict, set)) else args
            _limits.check_arguments(f"{name}", values, kwargs, __self.limits, formatting=name in ("format", "format_map"))
        else:
            for value in (*args, *kwargs.values()):
                if isinstance(value, int) and not isinstance(value, bool) and abs(value) > __self.limits.max_value:
                    _limits.check_arguments(f"{name}", (value,), {}, __self.limits)
        result = super().call(__context, __obj, *args, **kwargs)
        return _limits.check_result(result, f"{name} ", __self.limits)

    def concat(self, parts: Any) -> str:  # type: ignore[override]
        return _limits.guarded_concat(parts, self.limits)

    def join_checked(self, values: tuple) -> str:
        parts = [str(value) for value in values]
        total = sum(map(len, parts))
        if total > self.limits.max_value:
            raise _limits.TemplateLimitError(
                f"连接（~）结果过大（{total:,} 个字符，上限 {self.limits.max_value:,}）", *_limits.frame_position(sys._getframe(1))
            )
        return _limits.check_result("".join(parts), "连接（~）", self.limits)


class _FolderLoader(BaseLoader):
    """Layouts from one template folder: only regular files inside it (a symlink out of the
    folder is refused), at most MAX_TEMPLATE_BYTES each, in UTF-8."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def get_source(self, environment, template: str):
        path = self.root.joinpath(*split_template_path(template))  # refuses ".."
        if not (path.is_file() or path.is_symlink()):
            raise TemplateNotFound(template)
        if not _inside(self.root, path):
            raise DrafterError(f"版式文件 {path} 指向模板文件夹 {self.root} 之外，未读取。请把文件本身放进模板文件夹。")
        source = read_template_text(path, "版式文件")
        mtime = os.path.getmtime(path)
        return source, str(path), lambda: os.path.exists(path) and os.path.getmtime(path) == mtime

    def list_templates(self) -> list[str]:  # pragma: no cover - not used
        return []


def sandbox(user_dir: Path | None = None) -> SandboxedEnvironment:
    """Jinja for untrusted templates: sandboxed and bounded, strict about undefined names,
    user folder first."""
    loaders = [_FolderLoader(root) for root, _ in template_roots(user_dir)]
    return GuardedSandbox(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


# option values are put into templates as data, never run as templates: one that looks like
# template code is refused naming the option, so that the template is never blamed for it
_TEMPLATE_MARKS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{\}")
OPTION_NAMES = {"org": "--org", "audience": "--audience"}


def check_option_values(context: dict[str, Any]) -> None:
    for key, option in OPTION_NAMES.items():
        value = context.get(key)
        if not isinstance(value, str):
            continue
        if _TEMPLATE_MARKS.search(value):
            raise DrafterError(
                f"选项 {option} 的值“{value}”含有模板标记（{{{{ }}}}、{{% %}}、{{# #}} 或 {{}}）。"
                f"选项的值只作为文字填入，不能含这些符号，请去掉后重试。"
            )
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise DrafterError(f"选项 {option} 的值含有无法识别的字符（命令行参数不是 UTF-8 编码）。请检查终端的编码设置。")


def _guarded_env(env: SandboxedEnvironment) -> _limits.RenderLimits:
    return getattr(env, "limits", _limits.LIMITS)


def render_string(env: SandboxedEnvironment, source: str, context: dict[str, Any], where: str) -> str:
    """Render one string from a template's YAML (a title, an opening paragraph …)."""
    check_option_values(context)
    hint = f"可用的占位：{'、'.join(PLACEHOLDERS)}。"
    multiline = "\n" in source.strip()
    with _failures(where, multiline, hint):
        with _limits.RenderGuard(_guarded_env(env)):
            try:
                template = _from_string(env, source)
            except TemplateSyntaxError as exc:
                raise DrafterError(
                    f"{where}：模板语法错误（{exc.message}）。请检查 {{{{ }}}} 和 {{% %}} 是否成对。"
                ) from None
            return template.render(**context)


def _from_string(env: SandboxedEnvironment, source: str):
    """env.from_string, with the compiled code taken from the cache when it is there."""
    code_cache = getattr(env, "code_cache", None)
    if code_cache is None:
        return env.from_string(source)
    return env.template_class.from_code(env, code_cache.string_code(env, source), env.make_globals(None), None)


def render_layout(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    """Render a layout file (speech.md.j2 …), the user's folder first."""
    with _failures(f"版式文件 {name}", True, "", layout=True):
        with _limits.RenderGuard(_guarded_env(env)):
            try:
                template = env.get_template(name)
            except TemplateNotFound:
                raise DrafterError(f"找不到版式文件 {name}。模板文件夹里应有 {name}（可从内置 templates/ 复制）。") from None
            except TemplateSyntaxError as exc:
                raise DrafterError(f"版式文件 {exc.filename or name} 第 {exc.lineno} 行语法错误（{exc.message}）。") from None
            return template.render(**context)


class _failures:
    """Turn whatever a template's rendering raised into a DrafterError naming the template
    (the YAML key and line `where`, or the layout file) and the line inside it."""

    def __init__(self, where: str, multiline: bool, hint: str, layout: bool = False):
        self.where = where
        self.multiline = multiline
        self.hint = hint
        self.layout = layout

    def __enter__(self) -> None:
        return None

    def _at(self, filename: str | None, line: int | None) -> str:
        if self.layout and filename and not filename.startswith("<"):
            return f"版式文件 {filename}" + (f" 第 {line} 行" if line else "")
        if self.multiline and line:
            return f"{self.where}（该段第 {line} 行）"
        return self.where

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or isinstance(exc, DrafterError) or not isinstance(exc, Exception):
            return False
        if isinstance(exc, _limits.TemplateLimitError):
            filename, line = exc.filename, exc.line
            if not line:
                filename, line = _limits.traceback_position(exc.__traceback__)
            raise TemplateRefused(
                f"{self._at(filename, line)}：{exc.reason}，已停止。模板只应写文字和简单的占位，请删去或改小这段模板代码。"
            ) from None
        filename, line = _limits.traceback_position(exc.__traceback__)
        at = self._at(filename, line)
        if isinstance(exc, MemoryError):
            raise TemplateRefused(f"{at}：渲染用尽了内存上限，已停止。请删去或改小这段模板代码。") from None
        if isinstance(exc, RecursionError):
            raise TemplateRefused(f"{at}：模板递归太深（宏或 include 调用了自己？），已停止。请修改这段模板代码。") from None
        if isinstance(exc, SecurityError):
            raise DrafterError(f"{at}：模板试图访问不安全的内容（{exc}），已拒绝执行。请删除这段模板代码。") from None
        if isinstance(exc, UndefinedError):
            raise DrafterError(f"{at}：模板用到了不存在的字段（{exc.message}）。{self.hint}") from None
        if isinstance(exc, OverflowError):
            raise TemplateRefused(f"{at}：模板中的数字过大（{exc}），已停止。请改小这段模板代码中的数字。") from None
        if isinstance(exc, TemplateError):
            raise DrafterError(f"{at}：模板出错（{exc}）。") from None
        raise DrafterError(f"{at}：模板运行出错（{type(exc).__name__}: {exc}）。请检查这段模板代码。") from None


def new_occasion(name: str, base: str, directory: str | os.PathLike) -> Path:
    """Copy occasion `base` to DIR/occasions/NAME.yaml with its name changed; never overwrite.
    DIR and DIR/occasions are created if needed, but not the folders above DIR."""
    check_plain_name(name, "新会议类型")
    if any(ch in name for ch in ":*?\"<>|"):
        raise DrafterError(f"名称“{name}”不能用作文件名。请换一个不含 / \\ : * ? 等符号的名称。")
    directory = Path(directory)
    if not directory.parent.is_dir() and not directory.is_dir():
        raise DrafterError(f"--dir {directory}：上一级文件夹 {directory.parent} 不存在。请先建好它，或换一个位置。")
    if directory.exists() and not directory.is_dir():
        raise DrafterError(f"--dir {directory} 不是文件夹。请给出自己的模板文件夹。")
    source = find_occasion(base, directory if directory.is_dir() else None)
    target = directory / OCCASIONS_DIR / f"{name}.yaml"
    if os.path.lexists(target):
        raise DrafterError(f"{target} 已存在，未覆盖。请换一个名称，或直接编辑该文件。")
    text = read_template_text(source.path, "模板文件")
    lines = text.splitlines(keepends=True)
    name_line = yaml.safe_dump({"name": name}, allow_unicode=True, width=10_000)
    for i, line in enumerate(lines):
        if line.startswith("name:"):
            lines[i] = name_line
            break
    else:
        lines.insert(0, name_line)
    lines.insert(0, f"# 由 drafter templates new 从“{source.name}”复制。\n")
    from drafter.fileio import write_new_file

    for folder in (directory, target.parent):
        if not folder.is_dir():
            folder.mkdir()
    write_new_file(target, "".join(lines).encode("utf-8"), option="--dir")
    return target
