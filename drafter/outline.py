"""Stage 2: a clean Document in, its Outline out (title, speaker, date, occasion, salutation,
opening, section tree, closing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from drafter.corpus import Document


@dataclass
class Section:
    level: int  # depth, 1 = top
    number: int  # position in its numbering sequence, 1-based
    marker: str  # the numbering as written: "一、", "（一）", "第一，", "一要", "一是", "第一个问题："
    heading: str  # heading text without marker and trailing punctuation (inline: up to the first 。！？)
    line: int  # 1-based line in the original file
    children: list["Section"] = field(default_factory=list)
    body: str = ""  # the text the heading introduces, up to the next heading (not in the JSON)


@dataclass
class Outline:
    source: str
    title: str | None
    speaker: str | None
    date: str | None  # YYYY-MM-DD
    occasion: str | None
    salutation: str | None
    opening: str
    sections: list[Section]
    closing: str
    opening_line: int | None = None  # original line of the opening's first sentence
    closing_line: int | None = None


def section_to_dict(section: Section) -> dict:
    return {
        "level": section.level,
        "number": section.number,
        "marker": section.marker,
        "heading": section.heading,
        "line": section.line,
        "children": [section_to_dict(child) for child in section.children],
    }


def outline_to_dict(outline: Outline) -> dict:
    return {
        "source": outline.source,
        "title": outline.title,
        "speaker": outline.speaker,
        "date": outline.date,
        "occasion": outline.occasion,
        "salutation": outline.salutation,
        "opening": outline.opening,
        "sections": [section_to_dict(s) for s in outline.sections],
        "closing": outline.closing,
    }


def parse_outline(doc: Document) -> Outline:
    raise NotImplementedError("outline parsing is being written (issue 2)")
