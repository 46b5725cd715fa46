"""Stage 5: an occasion template + the phrasebank + the user's options + a seed -> a Draft.

The top-level headings come from one frame with every slot filled, so they run in parallel
(一、以赤诚之心对待组织 二、以责任之心对待工作 …). Each section follows a theme; its points and the
stock phrases suggested under them follow that theme, and every phrase carries the place it was
mined from. The same inputs and seed give the same draft; randomness only via random.Random."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from drafter.bank import PhraseBank
from drafter.errors import DrafterError
from drafter.examples import load_examples
from drafter.genre import int_to_cn
from drafter.choosing import (
    ExampleSentence,
    SuggestedPhrase,
    choose_examples,
    choose_frame,
    choose_phrases,
    choose_points,
    dedupe,
    section_themes,
)
from drafter.templating import Occasion, render_string

_LEAKS = re.compile(r"\{\{|\}\}|\{%|%\}|\{\}|\bNone\b|\bnull\b|Undefined")


@dataclass
class DraftOptions:
    org: str | None = None
    audience: str | None = None
    date: dt.date | None = None
    themes: list[str] = field(default_factory=list)
    sections: int | None = None
    seed: int = 0
    since: int | None = None  # leave out material last seen before this year (default: RECENT_YEARS back)
    length: int | None = None  # characters the speech should have (--length, or --minutes × CHARS_PER_MINUTE)


RECENT_YEARS = 10  # by default a draft uses material seen in the ten years before the speech date
CHARS_PER_MINUTE = 200  # a speech read aloud at a steady pace
MAX_POINTS = 6  # points a section may have when a length asks for many
MAX_EXAMPLES = 3  # example sentences under one point


@dataclass
class DraftPoint:
    heading: str
    phrases: list[SuggestedPhrase]
    number_cn: str = ""
    examples: list[ExampleSentence] = field(default_factory=list)


@dataclass
class DraftSection:
    heading: str
    frame: str
    theme: str
    points: list[DraftPoint]
    number_cn: str = ""


@dataclass
class Draft:
    occasion: str
    title: str
    date: str  # YYYY-MM-DD
    date_line: str  # （2026年5月18日）
    salutation: str
    opening: list[str]
    sections: list[DraftSection]
    closing: list[str]
    seed: int
    template: str
    themes: list[str] = field(default_factory=list)  # asked with --theme
    target_length: int | None = None

    @property
    def length(self) -> int:
        """The characters of the speech text in the draft: opening, headings, example sentences,
        closing (blanks 【…】 to fill and the sources not counted)."""
        return body_length(self)

    @property
    def minutes(self) -> float:
        return round(self.length / CHARS_PER_MINUTE, 1)


_BLANK = re.compile(r"【[^】]*】")


def body_length(draft: Draft) -> int:
    texts = [*draft.opening, *draft.closing]
    for section in draft.sections:
        texts.append(section.heading)
        for point in section.points:
            texts.append(point.heading)
            texts.extend(e.text for e in point.examples)
    return sum(map(_text_length, texts))


def _text_length(text: str) -> int:
    return len(_BLANK.sub("", text))


def parse_speech_date(text: str) -> dt.date:
    """YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or 2026年5月18日."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", text)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise DrafterError(f"日期“{text}”无法识别。请写成 2026-05-18 或 2026年5月18日。")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------------------


def build_draft(
    occasion: Occasion,
    bank: PhraseBank,
    options: DraftOptions,
    point_library: dict[str, list[str]],
    env,
) -> Draft:
    rng = random.Random(options.seed)
    target = options.length
    n = _section_count(occasion, options)
    _check_themes(options.themes, bank.themes, point_library, occasion)
    day = options.date or dt.date.today()
    since = options.since if options.since is not None else day.year - RECENT_YEARS
    bank = bank.for_speech(day.year, since)
    lexicon = bank.themes
    context = {
        "org": options.org or "【单位】",
        "audience": options.audience or "【参会人员】",
        "date": chinese_date(day),
        "occasion": occasion.name,
        "n_sections": int_to_cn(n),
    }
    where = f"模板文件 {occasion.path}"

    def render(text: str) -> str:
        return _fill_blanks(render_string(env, text, context, where).strip(), options)

    examples = load_examples(bank.directory)
    cache: dict = {"frames": bank.of_kind("frame")}  # per draft: the mined frames, each theme's candidates, bigrams
    frame, headings = choose_frame(occasion, cache["frames"], examples, n, options.themes, lexicon, rng)
    themes = section_themes(headings, occasion, bank, options.themes, lexicon)
    headings, themes = _asked_first(headings, themes, options.themes)
    opening = [render(p) for p in _opening_for(occasion, options.audience)]
    opening += [render(occasion.transition)] if occasion.transition else []
    closing = [render(p) for p in occasion.closing]
    used_phrases: list[str] = []
    used_headings: list[str] = list(headings)
    used_sentences: set[str] = set()
    speech_themes = frozenset(occasion.themes) | frozenset(options.themes)  # what the speech is about
    sections: list[DraftSection] = []
    for index, (heading, theme) in enumerate(zip(headings, themes)):
        count = _points_for(target, n) if target else (rng.randint(occasion.points_min, occasion.points_max) if occasion.points_max else 0)
        point_headings = choose_points(heading, theme, count, occasion, cache["frames"], examples, point_library, used_headings, rng)
        points = []
        for i, h in enumerate(point_headings):
            stress = options.themes[(index + i) % len(options.themes)] if options.themes else None
            # a section may open on a quotation (its first point), and quotes once at most: a
            # theme with one quotation would otherwise put it in nearly every draft
            phrases = choose_phrases(theme, h, occasion.phrases_per_point, bank, used_phrases, rng, day.year, stress, cache, i == 0, speech_themes)
            wanted = MAX_EXAMPLES if target else rng.randint(1, 2)
            found = choose_examples(h, heading, theme, wanted, occasion.name, examples, bank, used_sentences, since, day.year, rng, cache, speech_themes)
            points.append(DraftPoint(h, phrases, int_to_cn(i + 1), found))
        sections.append(DraftSection(heading, frame, theme, points, int_to_cn(index + 1)))

    draft = Draft(
        occasion=occasion.name,
        title=render(occasion.title),
        date=day.isoformat(),
        date_line=f"（{chinese_date(day)}）",
        salutation=render(occasion.salutation),
        opening=opening,
        sections=sections,
        closing=closing,
        seed=options.seed,
        template=str(occasion.path),
        themes=list(options.themes),
        target_length=target,
    )
    if target:
        _fit_length(draft, target, occasion.points_min, occasion.points_max)
    for section in draft.sections:
        for i, point in enumerate(section.points):
            point.number_cn = int_to_cn(i + 1)
    check_rendered(draft, given=[options.org, options.audience])
    return draft


def _asked_first(headings: list[str], themes: list[str], asked: list[str]) -> tuple[list[str], list[str]]:
    """The sections of the asked themes lead, in the order asked."""
    if not asked:
        return headings, themes
    order = sorted(range(len(headings)), key=lambda i: (asked.index(themes[i]) if themes[i] in asked else len(asked), i))
    return [headings[i] for i in order], [themes[i] for i in order]


def _fill_blanks(text: str, options: DraftOptions) -> str:
    """What the user gave goes into every blank, and no word is doubled (全体全体党员干部)."""
    text = undouble(text, [options.org, options.audience])
    if options.org:
        text = text.replace("【单位】", options.org)
    if options.audience:
        text = text.replace("【参会人员】", options.audience)
    return text


def _section_count(occasion: Occasion, options: DraftOptions) -> int:
    """Top-level sections: as asked, else as the length needs, else the template's default."""
    target = options.length
    if target is not None and not 500 <= target <= 30000:
        raise DrafterError(f"--length {target} 不合适：讲话稿的篇幅应在 500 到 30000 字之间（--minutes 约 3 到 150 分钟）。")
    # `--sections 0` is a number given, not "no number": it used to fall back to the default
    if options.sections is not None:
        n = options.sections
    else:
        n = _sections_for(target, occasion) if target else occasion.sections_default
    if not occasion.sections_min <= n <= occasion.sections_max:
        raise DrafterError(
            f"--sections {n} 超出范围：“{occasion.name}”的讲话应有 {occasion.sections_min} 到 {occasion.sections_max} 个部分。"
            f"可在模板 {occasion.path} 的 sections 中调整。"
        )
    return n


def _points_for(target: int, sections: int) -> int:
    """Points a section may need for a length: MAX_POINTS, more for a long speech in few sections
    (about 170 characters a point with three example sentences), at most ten."""
    return max(MAX_POINTS, min(10, -(-(target - 600) // (sections * 170))))


def _sections_for(target: int, occasion: Occasion) -> int:
    """Sections for a length: about 1,100 characters each, within the template's range."""
    return max(occasion.sections_min, min(occasion.sections_max, round(target / 1100) or 1))


def _fit_length(draft: Draft, target: int, points_min: int, points_max: int) -> None:
    """Trim the draft built with the most material (MAX_POINTS points, MAX_EXAMPLES sentences
    each) to the target: first every section's first points_min points with one sentence each,
    then, in turn, a second sentence, a further point, a third sentence … while that brings the
    draft nearer to the target."""
    full = [[(p, list(p.examples)) for p in s.points] for s in draft.sections]
    keep_points = [min(points_min or 1, len(points)) for points in full]
    keep_examples = [[1 if i < k else 0 for i in range(len(points))] for points, k in zip(full, keep_points)]

    def apply() -> None:
        for section, points, k, ex in zip(draft.sections, full, keep_points, keep_examples):
            section.points = [p for p, _ in points[:k]]
            for (point, sentences), m in zip(points[:k], ex):
                point.examples = sentences[: max(1, m)]

    # the body length of a choice, summed from each text's length (as body_length counts it)
    # rather than by rebuilding the draft for every move tried
    fixed = sum(map(_text_length, [*draft.opening, *draft.closing, *(s.heading for s in draft.sections)]))
    heads = [[_text_length(p.heading) for p, _ in points] for points in full]
    sentence_sizes = [[[_text_length(e.text) for e in sentences] for _, sentences in points] for points in full]

    def size() -> int:
        total = fixed
        for s, k in enumerate(keep_points):
            for i in range(k):
                total += heads[s][i] + sum(sentence_sizes[s][i][: max(1, keep_examples[s][i])])
        return total

    total = size()
    moves = _length_moves(full, points_min, points_max)
    for _round in range(3):
        changed = False
        for s, i in moves:
            undo = _grow(full, keep_points, keep_examples, s, i)
            if undo is None:
                continue
            new = size()
            if abs(new - target) < abs(total - target):
                total, changed = new, True
            else:
                undo()
        if not changed:
            break
    apply()


def _length_moves(full: list[list], points_min: int, points_max: int) -> list[tuple[int, int | None]]:
    """The order in which a draft grows: (section, point to deepen) or (section, None) = add a
    point. First the points the template asks for at most, then a second and a third sentence
    under each, and only then further points (a short speech has fewer points, not thinner ones)."""
    moves: list[tuple[int, int | None]] = []
    for _ in range(max(0, points_max - (points_min or 1))):
        moves.extend((s, None) for s in range(len(full)))
    for _depth in range(2, MAX_EXAMPLES + 1):
        for s, points in enumerate(full):
            moves.extend((s, i) for i in range(len(points)))
    for _ in range(max(len(points) for points in full) if full else 0):
        for s, points in enumerate(full):
            moves.append((s, None))
            moves.extend((s, i) for i in range(len(points)))
    return moves


def _grow(full: list[list], keep_points: list[int], keep_examples: list[list[int]], s: int, i: int | None):
    """Make one move of _length_moves; the function that undoes it, or None when it cannot be made."""
    if i is None:
        if keep_points[s] >= len(full[s]):
            return None
        keep_points[s] += 1
        keep_examples[s][keep_points[s] - 1] = 1
        return lambda: (keep_points.__setitem__(s, keep_points[s] - 1), keep_examples[s].__setitem__(keep_points[s], 0))
    if i >= keep_points[s] or keep_examples[s][i] >= len(full[s][i][1]) or keep_examples[s][i] >= MAX_EXAMPLES:
        return None
    keep_examples[s][i] += 1
    return lambda: keep_examples[s].__setitem__(i, keep_examples[s][i] - 1)


def undouble(text: str, values: list[str | None]) -> str:
    """A word the template puts beside an option that already has it: 全体{{ audience }} with
    --audience 全体党员干部 gives 全体全体党员干部; {{ audience }}同志 with 党员同志 likewise."""
    for value in values:
        if not value:
            continue
        for k in range(min(4, len(value) - 1), 0, -1):
            head, tail = value[:k], value[-k:]
            text = text.replace(head + value, value).replace(value + tail, value)
    return text


def _opening_for(occasion: Occasion, audience: str | None) -> list[str]:
    """The opening written for this audience (a variant whose words the audience contains), else
    the template's general one."""
    if audience:
        for words, paragraphs in occasion.openings:
            if any(w in audience for w in words):
                return paragraphs
    return occasion.opening


def _check_themes(asked: list[str], lexicon: dict, point_library: dict, occasion: Occasion) -> None:
    """Every --theme must be a theme drafting knows (the bank's theme lexicon, the points
    library, the template's own): an unknown one used to be accepted and ignored."""
    known = dedupe(list(lexicon) + list(point_library) + list(occasion.themes) + list(occasion.point_headings))
    unknown = [t for t in asked if t not in known]
    if unknown:
        raise DrafterError(
            f"--theme {'、'.join(unknown)}：没有主题“{'、'.join(unknown)}”。可用的主题：{'、'.join(known)}。"
            "主题名见词库的 themes.yaml。"
        )


def check_rendered(draft: Draft, given: list[str | None] = ()) -> None:
    """Nothing unrendered may reach the user: no template marks, no None, no empty heading.
    What the user gave (`given`: --org, --audience) is theirs, not the template's: it is left
    out of the search, so the template is never blamed for it."""
    texts = [draft.title, draft.salutation, *draft.opening, *draft.closing]
    for section in draft.sections:
        texts.append(section.heading)
        for point in section.points:
            texts.append(point.heading)
    values = sorted({v for v in given if v}, key=len, reverse=True)
    for text in texts:
        masked = text
        for value in values:
            masked = masked.replace(value, "")
        if not text or not text.strip() or _LEAKS.search(masked):
            raise DrafterError(
                f"模板 {draft.template} 生成了不完整的内容（“{text}”）。请检查模板中的占位写法，可用 drafter templates validate 检查。"
            )


def draft_to_dict(draft: Draft) -> dict:
    data = {
        "occasion": draft.occasion,
        "title": draft.title,
        "date": draft.date,
        "salutation": draft.salutation,
        "opening": draft.opening,
        "sections": [
            {
                "heading": s.heading,
                "frame": s.frame,
                "theme": s.theme,
                "points": [
                    {
                        "heading": p.heading,
                        "phrases": [
                            {"text": ph.text, "kind": ph.kind, "source": ph.source}
                            | ({"attribution": ph.attribution} if ph.attribution else {})
                            for ph in p.phrases
                        ],
                        "examples": [
                            {"text": e.text, "source": e.source} | ({"occasion": e.occasion} if e.occasion else {})
                            for e in p.examples
                        ],
                    }
                    for p in s.points
                ],
            }
            for s in draft.sections
        ],
        "closing": draft.closing,
        "seed": draft.seed,
        "theme": draft.themes,
        "length": draft.length,
        "minutes": draft.minutes,
    }
    if draft.target_length:
        data["target_length"] = draft.target_length
    return data
