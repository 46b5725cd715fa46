"""A cleaned speech and where each of its lines came from in the user's file."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field


@dataclass
class Document:
    """One speech, cleaned. `lines[i]` came from original line `line_numbers[i]` (1-based)."""

    source: str
    lines: list[str]
    line_numbers: list[int]
    title_hint: str | None = None  # a title given outside the text (a JSONL "title" field)
    year_hint: int | None = None  # a year given outside the text (a JSONL "year", "date" or "congress" field)
    removed: list[tuple[int, str]] = field(default_factory=list)  # (line, text) stripped as boilerplate
    # for a clean line re-joined from several original lines (a web page's broken sentence):
    # (offset in the clean line, original line number) where each later piece begins
    joins: list[tuple[tuple[int, int], ...]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    # Pickled (for worker processes, a cluster, the store of map results, its key) with its lines
    # as one UTF-8 string: pickling each line would leave its UTF-8 form cached in the line
    # (CPython keeps it), a second copy of a corpus in the process that sent it.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        lines = state.pop("lines")
        state["packed_lines"] = ("".join(lines).encode("utf-8", "surrogatepass"), array("q", map(len, lines)))
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        text, lengths = state.pop("packed_lines")
        text = text.decode("utf-8", "surrogatepass")
        lines, at = [], 0
        for length in lengths:
            lines.append(text[at : at + length])
            at += length
        state["lines"] = lines
        self.__dict__.update(state)

    def line_of(self, index: int, offset: int = 0) -> int:
        """The original 1-based line number of character `offset` of clean line `index`."""
        return line_at(self.line_numbers, self.joins, index, offset)


def line_at(line_numbers: list[int], joins: list[tuple[tuple[int, int], ...]], index: int, offset: int = 0) -> int:
    number = line_numbers[index]
    for start, original in joins[index] if index < len(joins) else ():
        if offset >= start:
            number = original
    return number
