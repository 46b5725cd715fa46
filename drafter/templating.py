"""Occasion templates: find them (a user folder over the built-ins, name by name), load and check
their YAML, and render text through a sandboxed Jinja environment.

Templates from colleagues are not trusted code: every string and layout is rendered by
jinja2.sandbox.SandboxedEnvironment, so `{{ cycler.__init__.__globals__.os.system(...) }}`
is refused, and the loaders only read files inside the template folders."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateNotFound, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from drafter.errors import DrafterError
from drafter.fileio import load_yaml, parse_yaml
from drafter.resources import builtin_dir

OCCASIONS_DIR = "occasions"
POINTS_FILE = "points.yaml"
PLACEHOLDERS = ("org", "audience", "date", "occasion", "n_sections")


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
            occasion = load_occasion(path, origin)
            seen[path.stem] = OccasionInfo(occasion.name, occasion.aliases, occasion.description, origin, path)
    return sorted(seen.values(), key=lambda o: (o.origin != "用户", o.name))


def find_occasion(name: str, user_dir: Path | None) -> Occasion:
    """The occasion called `name` (or with `name` among its aliases), user templates first."""
    for root, origin in template_roots(user_dir):
        path = root / OCCASIONS_DIR / f"{name}.yaml"
        if path.is_file():
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


def _key_lines(text: str) -> dict[str, int]:
    """1-based line of each top-level key, for messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def check_occasion(path: Path) -> tuple[dict, list[str]]:
    """The raw mapping and every problem found, each naming the file and line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DrafterError(f"找不到模板文件：{path}") from None
    except UnicodeDecodeError:
        raise DrafterError(f"模板文件 {path} 不是 UTF-8 编码，请另存为 UTF-8 后重试。") from None
    data = parse_yaml(text, str(path), "模板文件")
    if not isinstance(data, dict):
        return {}, [f"模板文件 {path}：顶层应是“键: 值”的映射（参照内置模板 廉政谈话.yaml）。"]
    lines = _key_lines(text)
    problems: list[str] = []

    def where(key: str) -> str:
        return f"模板文件 {path} 第 {lines[key]} 行（{key}）" if key in lines else f"模板文件 {path}（{key}）"

    def expect(key: str, kind: type | tuple, required: bool = False) -> None:
        if key not in data:
            if required:
                problems.append(f"模板文件 {path} 缺少 {key}。")
            return
        if not isinstance(data[key], kind):
            problems.append(f"{where(key)}：类型不对，应为{_type_name(kind)}。")

    expect("name", str)
    expect("title", str, required=True)
    expect("salutation", str)
    expect("transition", str)
    expect("description", str)
    expect("aliases", list)
    expect("opening", list, required=True)
    expect("closing", list, required=True)
    expect("openings", list)
    expect("themes", list)
    expect("frames", list)
    expect("sections", dict)
    expect("points", dict)
    for key in ("opening", "closing", "aliases", "themes"):
        if isinstance(data.get(key), list) and not all(isinstance(x, str) for x in data[key]):
            problems.append(f"{where(key)}：每一项都应是一段文字。")
    sections = data.get("sections") if isinstance(data.get("sections"), dict) else {}
    numbers = {k: sections.get(k) for k in ("default", "min", "max") if k in sections}
    if any(not isinstance(v, int) or not 1 <= v <= 10 for v in numbers.values()):
        problems.append(f"{where('sections')}：default、min、max 应为 1 到 10 的整数。")
    elif numbers:
        low, high = numbers.get("min", 1), numbers.get("max", 10)
        if not low <= numbers.get("default", low) <= high:
            problems.append(f"{where('sections')}：应满足 min ≤ default ≤ max。")
    points = data.get("points") if isinstance(data.get("points"), dict) else {}
    for key in ("min", "max", "phrases"):
        if key in points and (not isinstance(points[key], int) or not 0 <= points[key] <= 10):
            problems.append(f"{where('points')}：{key} 应为 0 到 10 的整数。")
    if "headings" in points and not (
        isinstance(points["headings"], dict) and all(isinstance(v, list) for v in points["headings"].values())
    ):
        problems.append(f"{where('points')}：headings 应写成“主题: [要点, …]”。")
    for i, variant in enumerate(data.get("openings") or [], 1) if isinstance(data.get("openings"), list) else []:
        if not (
            isinstance(variant, dict)
            and set(variant) <= {"audience", "opening"}
            and isinstance(variant.get("audience"), list)
            and variant["audience"]
            and all(isinstance(w, str) and w for w in variant["audience"])
            and isinstance(variant.get("opening"), list)
            and variant["opening"]
            and all(isinstance(p, str) for p in variant["opening"])
        ):
            problems.append(
                f"{where('openings')}：第 {i} 个开头应写成 audience: [新任, 新提拔]（参会对象中出现其一即用）"
                "和 opening: [段落, …]。"
            )
    for i, frame in enumerate(data.get("frames") or [], 1) if isinstance(data.get("frames"), list) else []:
        if not isinstance(frame, dict) or not isinstance(frame.get("text"), str) or "{}" not in frame["text"]:
            problems.append(f"{where('frames')}：第 {i} 个框架应有 text，且含 {{}} 表示填空位置，如 以{{}}之心对待{{}}。")
            continue
        slots = frame["text"].count("{}")
        fills = frame.get("fills") or []
        if not isinstance(fills, list) or any(not isinstance(f, list) or len(f) != slots for f in fills):
            problems.append(f"{where('frames')}：第 {i} 个框架“{frame['text']}”的每组 fills 应有 {slots} 项。")
    # every string must render with the known placeholders
    env = sandbox()
    context = {key: "测试" for key in PLACEHOLDERS}
    variants = [p for v in data.get("openings") or [] if isinstance(v, dict) for p in v.get("opening") or []]
    for key in ("title", "salutation", "transition", "opening", "closing", "openings"):
        values = variants if key == "openings" else data.get(key)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str):
                try:
                    render_string(env, value, context, where(key))
                except DrafterError as exc:
                    problems.append(str(exc))
    return data, problems


def _type_name(kind) -> str:
    names = {str: "文字", list: "列表（每项以“- ”开头）", dict: "映射（“键: 值”）", int: "整数"}
    if isinstance(kind, tuple):
        return "或".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def load_occasion(path: Path, origin: str = "用户") -> Occasion:
    data, problems = check_occasion(path)
    if problems:
        raise DrafterError("\n".join(problems) + "\n请修改后用 drafter templates validate 检查。")
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


def load_point_headings(user_dir: Path | None) -> dict[str, list[str]]:
    """templates/points.yaml, the user's file (if any) taking precedence theme by theme."""
    merged: dict[str, list[str]] = {}
    for root, _ in reversed(template_roots(user_dir)):
        path = root / POINTS_FILE
        if not path.exists():
            continue
        data = load_yaml(path, "要点备选文件")
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


def sandbox(user_dir: Path | None = None) -> SandboxedEnvironment:
    """Jinja for untrusted templates: sandboxed, strict about undefined names, user folder first."""
    loaders = [FileSystemLoader(str(root)) for root, _ in template_roots(user_dir)]
    return SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def render_string(env: SandboxedEnvironment, source: str, context: dict[str, Any], where: str) -> str:
    """Render one string from a template's YAML (a title, an opening paragraph …)."""
    try:
        template = env.from_string(source)
    except TemplateSyntaxError as exc:
        raise DrafterError(f"{where}：模板语法错误（{exc.message}）。请检查 {{{{ }}}} 和 {{% %}} 是否成对。") from None
    hint = f"可用的占位：{'、'.join(PLACEHOLDERS)}。"
    return _render(template, context, where, hint)


def render_layout(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    """Render a layout file (speech.md.j2 …), the user's folder first."""
    try:
        template = env.get_template(name)
    except TemplateNotFound:
        raise DrafterError(f"找不到版式文件 {name}。模板文件夹里应有 {name}（可从内置 templates/ 复制）。") from None
    except TemplateSyntaxError as exc:
        raise DrafterError(f"版式文件 {exc.filename or name} 第 {exc.lineno} 行语法错误（{exc.message}）。") from None
    return _render(template, context, f"版式文件 {template.filename or name}", "")


def _render(template, context: dict[str, Any], where: str, hint: str) -> str:
    try:
        return template.render(**context)
    except SecurityError as exc:
        raise DrafterError(f"{where}：模板试图访问不安全的内容（{exc}），已拒绝执行。请删除这段模板代码。") from None
    except UndefinedError as exc:
        raise DrafterError(f"{where}：模板用到了不存在的字段（{exc.message}）。{hint}") from None
    except TemplateError as exc:
        raise DrafterError(f"{where}：模板出错（{exc}）。") from None


def new_occasion(name: str, base: str, directory: str | os.PathLike) -> Path:
    """Copy occasion `base` to DIR/occasions/NAME.yaml with its name changed; never overwrite."""
    if not name.strip() or any(ch in name for ch in "/\\:*?\"<>|") or name.startswith("."):
        raise DrafterError(f"名称“{name}”不能用作文件名。请换一个不含 / \\ : * ? 等符号的名称。")
    directory = Path(directory)
    source = find_occasion(base, directory if directory.is_dir() else None)
    target = directory / OCCASIONS_DIR / f"{name}.yaml"
    if target.exists():
        raise DrafterError(f"{target} 已存在，未覆盖。请换一个名称，或直接编辑该文件。")
    text = source.path.read_text(encoding="utf-8-sig")
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("name:"):
            lines[i] = f"name: {name}\n"
            break
    else:
        lines.insert(0, f"name: {name}\n")
    lines.insert(0, f"# 由 drafter templates new 从“{source.name}”复制。\n")
    from drafter.fileio import atomic_write_text

    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, "".join(lines))
    return target
