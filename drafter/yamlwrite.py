"""A fast YAML writer for the generated bank (phrases.yaml, frames.yaml, sentences.yaml).

PyYAML's representer costs seconds on a bank mined from a large corpus; the bank is plain data
(mappings, lists, strings, integers, None), so it is written directly: plain scalars where YAML
reads them back unchanged, JSON-style double quotes (valid YAML) everywhere else.
tests/test_fileio.py checks the round trip. Only analysis imports this module: compiling its
regular expressions takes longer than a draft may spend on them."""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Iterator

_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_./-]*/[A-Za-z0-9_./-]*$")  # seeds/000_x.txt
_NUMBER = re.compile(r"^[-+.0-9_eE]+$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}
# characters YAML does not allow even inside quotes, written as \\u escapes
_NOT_PRINTABLE = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PLAIN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff…“‘《（【][^\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff:#'\"{}\[\],&*!|>%@`\\]*$")


_quoted = json.encoder.encode_basestring  # what json.dumps(text, ensure_ascii=False) gives, without its set-up


def _scalar(value: Any) -> str:
    if type(value) is str:
        return _text_scalar(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _text_scalar(str(value))


def _text_scalar(text: str) -> str:
    # fullmatch, not match: "$" would let a trailing newline through
    if (
        _PLAIN.fullmatch(text)
        or (_PATH.fullmatch(text) and not _NUMBER.fullmatch(text))
        or (_WORD.fullmatch(text) and text.lower() not in _YAML_WORDS)
    ) and not text.endswith(" "):
        return text
    return _NOT_PRINTABLE.sub(_escape, _quoted(text))


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group(0)):04x}"


_FLOW_PLAIN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _flow_scalar(value: Any) -> str:
    """Inside [ … ] only Chinese characters stay plain ([赤诚, 组织]); anything else is quoted."""
    if isinstance(value, str) and not _FLOW_PLAIN.fullmatch(value):
        return _NOT_PRINTABLE.sub(_escape, _quoted(value))
    return _scalar(value)


def _emit(value: Any, indent: int, out: list[str], memo: dict) -> None:
    """`memo` remembers how short strings were written: keys and source names recur thousands
    of times in a bank, and each costs several regular expressions."""
    if isinstance(value, dict):
        _emit_mapping(value, indent, out, memo)
    elif isinstance(value, list):
        _emit_sequence(value, indent, out, memo)


def _emit_mapping(value: dict, indent: int, out: list[str], memo: dict, lead: str | None = None) -> None:
    """`lead`: what the first line starts with instead of the indent (a list item's "- ")."""
    pad = " " * indent
    lead = pad if lead is None else lead
    append = out.append
    for key, item in value.items():
        written_key = memo.get(key) or _memo_scalar(key, memo)
        kind = type(item)
        if kind is str:  # most values: checked first
            append(f"{lead}{written_key}: {memo.get(item) or _memo_scalar(item, memo)}")
        elif kind is int:
            append(f"{lead}{written_key}: {item}")
        elif isinstance(item, (dict, list)):
            if item:
                append(f"{lead}{written_key}:")
                if isinstance(item, dict):
                    _emit_mapping(item, indent + 2, out, memo)
                else:
                    _emit_sequence(item, indent, out, memo)
            else:
                append(f"{lead}{written_key}: {_empty(item)}")
        else:
            append(f"{lead}{written_key}: {memo.get(item) or _memo_scalar(item, memo)}")
        lead = pad


def _emit_sequence(value: list, indent: int, out: list[str], memo: dict) -> None:
    pad = " " * indent
    item_lead = pad + "- "
    append = out.append
    for item in value:
        if isinstance(item, dict) and item:
            _emit_mapping(item, indent + 2, out, memo, item_lead)
        elif isinstance(item, list) and item and all(not isinstance(x, (dict, list)) for x in item):
            append(item_lead + "[" + ", ".join(_flow_scalar(x) for x in item) + "]")
        elif isinstance(item, (dict, list)):
            if item:
                append(f"{pad}-")
                _emit(item, indent + 2, out, memo)
            else:
                append(f"{item_lead}{_empty(item)}")
        else:
            append(f"{item_lead}{_scalar(item)}")


def _memo_scalar(value: Any, memo: dict) -> str:
    written = _scalar(value)
    if isinstance(value, str) and len(value) <= 40:
        memo[value] = written
    return written


def _empty(value: Any) -> str:
    return "{}" if isinstance(value, dict) else "[]"


def dump_bank_yaml(data: dict) -> str:
    """Block-style YAML for plain data, byte-for-byte stable for the same input."""
    out: list[str] = []
    _emit(data, 0, out, {})
    return "\n".join(out) + "\n"


def dump_bank_yaml_in_chunks(head: dict, key: str, chunks: Iterable[list]) -> Iterator[str]:
    """The text of dump_bank_yaml({**head, key: items}), where `key` comes last and its items
    come in `chunks` (lists, in order): a chunk at a time, never the whole text at once. The
    same bytes: a sequence under a top-level key is not indented, so a chunk's lines are the
    lines it has in the whole."""
    opening = dump_bank_yaml({**head, key: []})  # ends with "KEY: []"
    for items in chunks:
        if not items:
            continue
        if opening:
            yield opening[: -len(" []\n")] + "\n"
            opening = ""
        text = dump_bank_yaml({key: items})
        yield text[text.index("\n") + 1 :]
    if opening:  # no item at all
        yield opening
