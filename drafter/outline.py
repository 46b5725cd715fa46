"""Stage 2: a clean Document in, its Outline out (title, speaker, date, occasion, salutation,
opening, section tree, closing).

The header is read by header.py, the section tree by sections.py; textmap.py keeps every body
offset tied to its line in the original file. This module puts them together and is the public
face of the stage: `parse_outline`, `outline_to_dict`, `render_outline_text`.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.document import Document
from drafter.header import occasion_in_opening, parse_header
from drafter.sections import (
    Section,
    build_tree,
    closing_start,
    find_markers,
    first_section_start,
    is_bare_marker,
    iter_sections,
    trim_last,
    unnumbered_parts,
)
from drafter.textmap import BodyText

__all__ = ["Outline", "Section", "iter_sections", "outline_to_dict", "parse_outline", "render_outline_text"]


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


def section_to_dict(section: Section) -> dict:
    data = {
        "level": section.level,
        "number": section.number,
        "marker": section.marker,
        "heading": section.heading,
        "line": section.line,
        "children": [section_to_dict(child) for child in section.children],
    }
    if section.heading_full is not None:
        data["heading_full"] = section.heading_full  # additive: only where the heading was cut
    return data


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
    header = parse_header(doc)
    body = BodyText(doc, header.body)
    text = body.text
    markers = find_markers(text)
    sections = build_tree(body, markers, 0, len(text), 1)
    if sections:
        first = first_section_start(body, markers, sections[0])
    else:
        sections, first = unnumbered_parts(body)
    opening, closing = text.strip(), ""
    if sections:
        opening = text[:first].strip()
        start = closing_start(body, sections)
        if start is not None:
            closing = text[start:].strip()
            trim_last(sections, closing)
    return Outline(
        source=doc.source,
        title=header.title,
        speaker=header.speaker,
        date=header.date,
        occasion=header.occasion or occasion_in_opening(opening),
        salutation=header.salutation,
        opening=opening,
        sections=sections,
        closing=closing,
    )


def render_outline_text(outline: Outline) -> str:
    """An indented tree a person can read in a terminal."""
    out: list[str] = []
    out.append(f"标题：{outline.title or '（未识别）'}")
    facts = [
        ("讲话人", outline.speaker),
        ("日期", outline.date),
        ("会议类型", outline.occasion),
        ("称呼语", outline.salutation),
    ]
    for label, value in facts:
        if value:
            out.append(f"{label}：{value}")
    if outline.opening:
        out.append(f"开头：{_gist(outline.opening)}")
    if outline.sections:
        out.append("结构：")
        for section in iter_sections(outline.sections):
            indent = "  " * section.level
            marker = section.marker or "·"
            if is_bare_marker(marker):  # a bare numeral ("一" alone on its line in the source)
                marker += " "
            out.append(f"{indent}{marker}{section.heading}  （第 {section.line} 行）")
    else:
        out.append("结构：未发现编号标题")
    if outline.closing:
        out.append(f"结尾：{_gist(outline.closing)}")
    out.append(f"来源：{outline.source}")
    return "\n".join(out)


def _gist(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[:width] + "…"
