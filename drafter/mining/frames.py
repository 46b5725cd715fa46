"""Heading frames: align sibling headings and keep what they share as a frame with slots.

以赤诚之心对待组织 / 以责任之心对待工作 / 以敬畏之心对待权力 → 以{}之心对待{} with fills
[赤诚, 组织], [责任, 工作], [敬畏, 权力]."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import combinations

SLOT = "{}"
_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』")
# Characters that carry no frame on their own: an anchor made only of them is coincidence.
_WEAK = set("的了和与及在是有为对把要上下中不之一二三四五六七八九十0123456789年月日，、；：。 我们你他她它这那")


def normalize_heading(heading: str) -> str:
    return heading.translate(_QUOTES).strip()


def align(headings: list[str]) -> tuple[str, list[list[str]]] | None:
    """The frame that every heading fills, and each heading's fills; None when they share
    too little to be a frame."""
    headings = [normalize_heading(h) for h in headings]
    if len(headings) < 2 or len(set(headings)) < len(headings) or any(not 2 <= len(h) <= 40 for h in headings):
        return None
    best: tuple[str, list[list[str]]] | None = None
    # The pairwise alignment depends on which heading leads (a stray shared character can hide
    # a real anchor), so try the first few as the base and keep the frame with the most literal text.
    for lead in range(min(len(headings), 3)):
        order = [headings[lead]] + headings[:lead] + headings[lead + 1:]
        found = _align_with_base(order)
        if found:
            fills = found[1][1:lead + 1] + [found[1][0]] + found[1][lead + 1:]
            literal = len(found[0].replace(SLOT, ""))
            if best is None or literal > len(best[0].replace(SLOT, "")):
                best = (found[0], fills)
    return best


def _align_with_base(headings: list[str]) -> tuple[str, list[list[str]]] | None:
    base = headings[0]
    # Only a character found in every heading can be matched in all of them: when those are too
    # weak already, no alignment can leave enough (the loop below would return None), so spare difflib.
    shared = set(base).intersection(*headings[1:])
    if sum(_strength(ch) for ch in base if ch in shared) < 2:
        return None
    keep = [True] * len(base)
    for other in headings[1:]:
        matched = [False] * len(base)
        for block in SequenceMatcher(None, base, other, autojunk=False).get_matching_blocks():
            for i in range(block.a, block.a + block.size):
                matched[i] = True
        keep = [k and m for k, m in zip(keep, matched)]
        if sum(_strength(ch) for ch, kept in zip(base, keep) if kept) < 2:
            return None  # what is left shared is too little for any frame (_fit would say so)
    anchors = _anchors(base, keep)
    while anchors:
        result = _fit(anchors, headings)
        if result:
            return result
        # drop the weakest anchor and try again
        weakest = min(range(len(anchors)), key=lambda i: (_strength(anchors[i][1]), -i))
        anchors.pop(weakest)
    return None


def _anchors(base: str, keep: list[bool]) -> list[tuple[int, str]]:
    anchors: list[tuple[int, str]] = []
    start = None
    for i, flag in enumerate(keep + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            anchors.append((start, base[start:i]))
            start = None
    return anchors


def _strength(anchor: str) -> float:
    """Content characters count one; a comma or enumeration mark counts half, since
    "{}，重在{}、{}" is structure too."""
    return sum(1.0 if ch not in _WEAK else 0.5 if ch in "，、之在" else 0.0 for ch in anchor)


def _fit(anchors: list[tuple[int, str]], headings: list[str]) -> tuple[str, list[list[str]]] | None:
    strength = sum(_strength(a) for _, a in anchors)
    if strength < 2:
        return None
    parts = _frame_parts(anchors, len(headings[0]))
    frame = "".join(parts)
    slots = frame.count(SLOT)
    if not slots or strength < 2 + 0.25 * (slots - 1):  # more slots need more shared text
        return None
    if slots == 1 and frame.startswith(SLOT) and strength < 3:  # "{}问题" says little; "始终{}" leads
        return None
    if frame.endswith(("{}过来", "{}起来", "{}下去")):
        return None
    fills = _fills(parts, headings)
    if fills is None or any(any(ch.isdigit() for ch in value) for fill in fills for value in fill):
        return None  # "{}年政府工作任务": years are not a frame's slots
    if any(len(set(column)) == 1 for column in zip(*fills)):
        return None  # every slot must vary, or it is part of the frame
    return frame, fills


def _frame_parts(anchors: list[tuple[int, str]], length: int) -> list[str]:
    """The shared pieces of the first heading with a slot wherever text lies between them."""
    parts: list[str] = []
    position = 0
    for start, text in anchors:
        if start > position:
            parts.append(SLOT)
        parts.append(text)
        position = start + len(text)
    if position < length:
        parts.append(SLOT)
    return parts


def _fills(parts: list[str], headings: list[str]) -> list[list[str]] | None:
    """What each heading puts in the slots, or None when one does not fit or leaves one empty."""
    pattern = re.compile("^" + "".join("(.+?)" if p == SLOT else re.escape(p) for p in parts) + "$")
    fills: list[list[str]] = []
    for heading in headings:
        match = pattern.match(heading)
        if not match:
            return None
        groups = [g.strip("，、 ") for g in match.groups()]
        if any(not g for g in groups):
            return None
        fills.append(groups)
    return fills


def frames_from_siblings(headings: list[str]) -> tuple[str, list[int], list[list[str]]] | None:
    """Align a set of sibling headings; when all of them do not share a frame, try leaving one
    out (four points where three share "要提高{}水平" and one is "要做到知行合一"). Long lists
    (a report's dozen headings) are aligned whole only: the search grows with the cube."""
    whole = align(headings)
    if whole:
        return whole[0], list(range(len(headings))), whole[1]
    if 4 <= len(headings) <= 8:
        for subset in combinations(range(len(headings)), len(headings) - 1):
            found = align([headings[i] for i in subset])
            if found:
                return found[0], list(subset), found[1]
    return None
