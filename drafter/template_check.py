"""Checking an occasion template (and a layout) as `drafter templates validate` does and as
every load does: YAML shape, known keys, types, ranges, and a trial rendering of every string
in the sandbox, each problem naming the file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import ChoiceLoader, StrictUndefined

from drafter.errors import DrafterError
from drafter.fileio import parse_yaml
from drafter.schema import check_keys
from drafter.templating import (
    MAX_LIST_ITEMS,
    OCCASION_SCHEMA,
    PLACEHOLDERS,
    GuardedSandbox,
    TemplateRefused,
    _FolderLoader,
    read_template_text,
    render_layout,
    render_string,
    sandbox,
    template_roots,
)


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
    """The raw mapping and every problem found, each naming the file and line. A layout
    (`*.j2`) is checked by check_layout instead."""
    if path.suffix == ".j2":
        return {}, check_layout(path)
    text = read_template_text(path, "模板文件")
    data = parse_yaml(text, str(path), "模板文件")
    if not isinstance(data, dict):
        return {}, [f"模板文件 {path}：顶层应是“键: 值”的映射（参照内置模板 廉政谈话.yaml）。"]
    check = _OccasionCheck(path, data, _key_lines(text))
    check.problems.extend(check_keys(data, OCCASION_SCHEMA, text, str(path), "模板文件"))
    check.types()
    check.lists()
    check.numbers()
    check.openings()
    check.frames()
    check.rendering()
    return data, check.problems


_TYPES: tuple[tuple[str, type | tuple, bool], ...] = (  # key, type, required
    ("name", str, False), ("title", str, True), ("salutation", str, False), ("transition", str, False),
    ("description", str, False), ("aliases", list, False), ("opening", list, True), ("closing", list, True),
    ("openings", list, False), ("themes", list, False), ("frames", list, False), ("sections", dict, False),
    ("points", dict, False),
)


@dataclass
class _OccasionCheck:
    """The checks of one occasion template, each adding to `problems`."""

    path: Path
    data: dict
    lines: dict[str, int]
    problems: list[str] = field(default_factory=list)

    def where(self, key: str) -> str:
        if key in self.lines:
            return f"模板文件 {self.path} 第 {self.lines[key]} 行（{key}）"
        return f"模板文件 {self.path}（{key}）"

    def _list(self, key: str) -> list:
        value = self.data.get(key)
        return value if isinstance(value, list) else []

    def _mapping(self, key: str) -> dict:
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    def types(self) -> None:
        data, path = self.data, self.path
        for key, kind, required in _TYPES:
            if key not in data:
                if required:
                    self.problems.append(f"模板文件 {path} 缺少 {key}。")
            elif not isinstance(data[key], kind):
                self.problems.append(f"{self.where(key)}：类型不对，应为{_type_name(kind)}。")
            if key == "name" and isinstance(data.get("name"), str) and data["name"] != path.stem:
                self.problems.append(
                    f"{self.where('name')}：name 是“{data['name']}”，与文件名“{path.stem}”不一致（会议类型按文件名查找）。"
                    f"请把 name 改成“{path.stem}”，或把文件改名为“{data['name']}.yaml”。"
                )

    def lists(self) -> None:
        for key in ("opening", "closing", "aliases", "themes"):
            if not all(isinstance(x, str) for x in self._list(key)):
                self.problems.append(f"{self.where(key)}：每一项都应是一段文字。")
        for key in ("opening", "closing", "aliases", "themes", "frames"):
            if len(self._list(key)) > MAX_LIST_ITEMS:
                self.problems.append(f"{self.where(key)}：有 {len(self.data[key])} 项，最多 {MAX_LIST_ITEMS} 项。")
                self.data[key] = self.data[key][:MAX_LIST_ITEMS]  # checked no further: one message is enough

    def numbers(self) -> None:
        sections = self._mapping("sections")
        numbers = {k: sections.get(k) for k in ("default", "min", "max") if k in sections}
        if any(not isinstance(v, int) or not 1 <= v <= 10 for v in numbers.values()):
            self.problems.append(f"{self.where('sections')}：default、min、max 应为 1 到 10 的整数。")
        elif numbers:
            low, high = numbers.get("min", 1), numbers.get("max", 10)
            if not low <= numbers.get("default", low) <= high:
                self.problems.append(f"{self.where('sections')}：应满足 min ≤ default ≤ max。")
        points = self._mapping("points")
        for key in ("min", "max", "phrases"):
            if key in points and (not isinstance(points[key], int) or not 0 <= points[key] <= 10):
                self.problems.append(f"{self.where('points')}：{key} 应为 0 到 10 的整数。")
        headings = points.get("headings")
        if "headings" in points and not (isinstance(headings, dict) and all(isinstance(v, list) for v in headings.values())):
            self.problems.append(f"{self.where('points')}：headings 应写成“主题: [要点, …]”。")

    def openings(self) -> None:
        for i, variant in enumerate(self._list("openings"), 1):
            if not _opening_variant(variant):
                self.problems.append(
                    f"{self.where('openings')}：第 {i} 个开头应写成 audience: [新任, 新提拔]（参会对象中出现其一即用）"
                    "和 opening: [段落, …]。"
                )

    def frames(self) -> None:
        for i, frame in enumerate(self._list("frames"), 1):
            if not isinstance(frame, dict) or not isinstance(frame.get("text"), str) or "{}" not in frame["text"]:
                self.problems.append(
                    f"{self.where('frames')}：第 {i} 个框架应有 text，且含 {{}} 表示填空位置，如 以{{}}之心对待{{}}。"
                )
                continue
            slots = frame["text"].count("{}")
            fills = frame.get("fills") or []
            if not isinstance(fills, list) or any(not isinstance(f, list) or len(f) != slots for f in fills):
                self.problems.append(f"{self.where('frames')}：第 {i} 个框架“{frame['text']}”的每组 fills 应有 {slots} 项。")

    def rendering(self) -> None:
        """Every string must render with the known placeholders; one runaway string is enough."""
        env = sandbox()
        context = {key: "测试" for key in PLACEHOLDERS}
        variants = [p for v in self._list("openings") if isinstance(v, dict) for p in v.get("opening") or []]
        for key in ("title", "salutation", "transition", "opening", "closing", "openings"):
            values = variants if key == "openings" else self.data.get(key)
            for value in values if isinstance(values, list) else [values]:
                if not isinstance(value, str):
                    continue
                try:
                    render_string(env, value, context, self.where(key))
                except TemplateRefused as exc:
                    self.problems.append(str(exc))
                    return  # do not wait for the others
                except DrafterError as exc:
                    self.problems.append(str(exc))


def _opening_variant(variant: Any) -> bool:
    return (
        isinstance(variant, dict)
        and set(variant) <= {"audience", "opening"}
        and isinstance(variant.get("audience"), list)
        and bool(variant["audience"])
        and all(isinstance(w, str) and w for w in variant["audience"])
        and isinstance(variant.get("opening"), list)
        and bool(variant["opening"])
        and all(isinstance(p, str) for p in variant["opening"])
    )


def check_layout(path: Path) -> list[str]:
    """Problems of a layout file (speech.md.j2 …): it is rendered, under the usual limits,
    with a small sample draft; includes are looked up beside it, then among the built-ins."""
    from drafter.draft import Draft, DraftPoint, DraftSection, SuggestedPhrase

    read_template_text(path, "版式文件")
    phrase = SuggestedPhrase("四个意识", "formula", {"doc": "seeds/示例.txt", "line": 1})
    points = [DraftPoint("坚定理想信念", [phrase], "一"), DraftPoint("严守纪律规矩", [], "二")]
    sample = Draft(
        occasion="示例", title="在示例会议上的讲话", date="2026-05-18", date_line="（2026年5月18日）",
        salutation="同志们：", opening=["开头。"], sections=[DraftSection("以赤诚之心对待组织", "以{}之心对待{}", "政治建设", points, "一")],
        closing=["结尾。"], seed=0, template="示例",
    )
    roots = [path.parent] + [root for root, _ in template_roots(None)]
    env = GuardedSandbox(
        loader=ChoiceLoader([_FolderLoader(root) for root in roots]),
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True, trim_blocks=False,
    )
    try:
        render_layout(env, path.name, {"draft": sample})
    except DrafterError as exc:
        return [str(exc)]
    return []


def _type_name(kind) -> str:
    names = {str: "文字", list: "列表（每项以“- ”开头）", dict: "映射（“键: 值”）", int: "整数"}
    if isinstance(kind, tuple):
        return "或".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)
