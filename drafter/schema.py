"""Strict key checks for the YAML files people write by hand (templates, themes, custom
entries, the bank): a key drafter does not know is an error naming the file, the line and the
nearest known key, never a setting silently ignored (`salutaion:`, `phrases:` for `entries:`).

A schema is plain data: a dict maps each known key to the schema of its value; `[schema]` is a
list whose items follow `schema`; `ANY_KEYS` is a mapping with keys of the user's choosing
(theme names); `None` is any value."""

from __future__ import annotations

import difflib
from typing import Any

import yaml

ANY_KEYS = "any keys"


def unknown_keys(data: Any, schema: Any, path: tuple = ()) -> list[tuple[tuple, str, list[str]]]:
    """(path of the mapping, unknown key, known keys) for every unknown key in `data`."""
    found: list[tuple[tuple, str, list[str]]] = []
    if isinstance(schema, dict) and isinstance(data, dict):
        known = list(schema)
        for key, value in data.items():
            if key not in schema:
                found.append((path, str(key), known))
            elif schema[key] is not None:
                found.extend(unknown_keys(value, schema[key], path + (key,)))
    elif isinstance(schema, list) and schema and isinstance(data, list):
        for index, item in enumerate(data):
            found.extend(unknown_keys(item, schema[0], path + (index,)))
    return found


def nearest(key: str, known: list[str]) -> str | None:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    return close[0] if close else None


def compose(text: str) -> Any:
    """The YAML node tree of `text` (for line numbers), or None."""
    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None


def key_line(text_or_node: Any, path: tuple, key: str) -> int | None:
    """The 1-based line of `key` inside the mapping at `path` (keys and list indexes)."""
    node = compose(text_or_node) if isinstance(text_or_node, str) else text_or_node
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == str(step)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            return None
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if getattr(k, "value", None) == key:
                return k.start_mark.line + 1
    return None


def _where(path: tuple) -> str:
    parts = []
    for step in path:
        parts.append(f"第 {step + 1} 项" if isinstance(step, int) else f"{step}")
    return "（在 " + " → ".join(parts) + " 下）" if parts else ""


MAX_REPORTED = 5  # unknown keys reported one by one; the rest are counted


def check_keys(data: Any, schema: Any, text: str, name: str, what: str) -> list[str]:
    """One Chinese message per unknown key (file, line, the key, the nearest known key), at
    most MAX_REPORTED of them and then a count of the rest."""
    found = unknown_keys(data, schema)
    if not found:
        return []
    node = compose(text)
    problems = []
    for path, key, known in found[:MAX_REPORTED]:
        line = key_line(node, path, key)
        at = f" 第 {line} 行" if line else ""
        close = nearest(key, known)
        hint = f"您是不是要写“{close}”？" if close else ""
        problems.append(
            f"{what} {name}{at}：不认识的键“{key}”{_where(path)}。{hint}可用的键：{'、'.join(known)}。"
        )
    if len(found) > MAX_REPORTED:
        problems.append(f"{what} {name}：另有 {len(found) - MAX_REPORTED} 个不认识的键。")
    return problems


# The files of a bank (generated phrases.yaml / frames.yaml, the user's custom.yaml), an entry
# as drafter.model.Entry reads it, and the hand-kept themes lexicon.
SOURCE_SCHEMA: dict = {"doc": None, "line": None, "context": None}
ENTRY_SCHEMA: dict = {
    "text": None, "kind": None, "themes": None, "count": None, "docs": None, "sources": [SOURCE_SCHEMA],
    "fills": None, "examples": None, "items": None, "attribution": None, "role": None, "occasion": None,
    "years": None, "hide": None,
}
BANK_FILE_SCHEMA: dict = {"version": None, "documents": None, "catalog": ANY_KEYS, "entries": [ENTRY_SCHEMA]}
THEMES_SCHEMA: dict = {"themes": ANY_KEYS, "exceptions": None, "policy_words": None, "policy_themes": None}
