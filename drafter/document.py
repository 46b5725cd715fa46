"""A cleaned speech and where each of its lines came from in the user's file."""

from __future__ import annotations

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

    def line_of(self, index: int, offset: int = 0) -> int:
        """The original 1-based line number of character `offset` of clean line `index`."""
        return line_at(self.line_numbers, self.joins, index, offset)


def line_at(line_numbers: list[int], joins: list[tuple[tuple[int, int], ...]], index: int, offset: int = 0) -> int:
    number = line_numbers[index]
    for start, original in joins[index] if index < len(joins) else ():
        if offset >= start:
            number = original
    return number
