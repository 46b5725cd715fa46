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

from drafter.bank import PhraseBank, assign_themes
from drafter.errors import DrafterError
from drafter.genre import int_to_cn
from drafter.model import DRAFTING_KINDS, KINDS, Entry, Source
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


RECENT_YEARS = 10  # by default a draft uses material seen in the ten years before the speech date

@dataclass
class SuggestedPhrase:
    text: str
    kind: str
    source: dict  # {"doc", "line"}
    attribution: str | None = None

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind].label


@dataclass
class DraftPoint:
    heading: str
    phrases: list[SuggestedPhrase]
    number_cn: str = ""


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
    n = options.sections or occasion.sections_default
    if not occasion.sections_min <= n <= occasion.sections_max:
        raise DrafterError(
            f"“{occasion.name}”的讲话应有 {occasion.sections_min} 到 {occasion.sections_max} 个部分，"
            f"--sections {n} 超出范围。可在模板 {occasion.path} 的 sections 中调整。"
        )
    day = options.date or dt.date.today()
    bank = bank.for_speech(day.year, options.since if options.since is not None else day.year - RECENT_YEARS)
    themes = _dedupe(options.themes + occasion.themes) or sorted(point_library)
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
        return render_string(env, text, context, where).strip()

    frame, fills = _choose_frame(occasion, bank, themes, n, rng)
    used_phrases: set[str] = set()
    used_headings: set[str] = set()
    sections: list[DraftSection] = []
    for index, fill in enumerate(fills):
        heading = fill_frame(frame, fill)
        used_headings.add(heading)
        theme = _theme_for(heading, index, themes, options.themes, lexicon)
        count = rng.randint(occasion.points_min, occasion.points_max) if occasion.points_max else 0
        point_headings = _choose_points(theme, count, occasion, bank, point_library, used_headings, frame, rng)
        points = [
            DraftPoint(h, _choose_phrases(theme, h, occasion.phrases_per_point, bank, used_phrases, rng, day.year), int_to_cn(i + 1))
            for i, h in enumerate(point_headings)
        ]
        sections.append(DraftSection(heading, frame, theme, points, int_to_cn(index + 1)))

    draft = Draft(
        occasion=occasion.name,
        title=render(occasion.title),
        date=day.isoformat(),
        date_line=f"（{chinese_date(day)}）",
        salutation=render(occasion.salutation),
        opening=[render(p) for p in occasion.opening] + ([render(occasion.transition)] if occasion.transition else []),
        sections=sections,
        closing=[render(p) for p in occasion.closing],
        seed=options.seed,
        template=str(occasion.path),
    )
    check_rendered(draft)
    return draft


def _dedupe(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def fill_frame(frame: str, fill: list[str]) -> str:
    parts = frame.split("{}")
    out = parts[0]
    for value, part in zip(fill, parts[1:]):
        out += value + part
    return out


MAX_HEADING = 20  # characters a top heading of a speech may have on average


def _choose_frame(occasion: Occasion, bank: PhraseBank, themes: list[str], n: int, rng: random.Random):
    """One frame with at least n fills: the template's own frames (with fills the bank adds to
    them) and the bank's recurring frames, chosen by weight."""
    mined = {e.text: e for e in bank.of_kind("frame")}
    candidates: list[tuple[float, str, list[list[str]]]] = []
    for spec in occasion.frames:
        fills = _dedupe_fills((mined[spec.text].fills if spec.text in mined else []) + spec.fills)
        if len(fills) >= n:
            candidates.append((4.0 + (mined[spec.text].docs if spec.text in mined else 0), spec.text, fills))
    named = {spec.text for spec in occasion.frames}
    for entry in mined.values():
        if entry.text in named or len(entry.fills) < n:
            continue
        headings = [fill_frame(entry.text, fill) for fill in entry.fills]
        if sum(map(len, headings)) > MAX_HEADING * len(headings):
            continue  # a report's long headings (坚持正确把握宏观调控的方向和力度，实施…) make no outline
        overlap = len(set(entry.themes) & set(themes))
        if overlap or entry.docs >= 2:
            candidates.append((1.0 + entry.docs + overlap, entry.text, entry.fills))
    if not candidates:
        raise DrafterError(
            f"模板 {occasion.path} 中没有至少 {n} 组填充的标题框架（frames），词库里也没有。"
            f"请在模板的 frames 中补充填充，或减少 --sections。"
        )
    weights = [c[0] for c in candidates]
    _, frame, fills = rng.choices(candidates, weights=weights, k=1)[0]
    chosen = sorted(rng.sample(range(len(fills)), n))
    return frame, [fills[i] for i in chosen]


def _dedupe_fills(fills: list[list[str]]) -> list[list[str]]:
    out: list[list[str]] = []
    for fill in fills:
        if fill not in out and all(f.strip() for f in fill):
            out.append(fill)
    return out


def _theme_for(heading: str, index: int, themes: list[str], asked: list[str], lexicon: dict[str, list[str]]) -> str:
    """The theme a heading speaks of (by the theme lexicon), else the next theme in turn."""
    named = assign_themes(heading, [], lexicon, "move")
    preferred = [t for t in named if t in themes]
    if asked and not preferred:
        return asked[index % len(asked)]
    if preferred:
        return preferred[0]
    return themes[index % len(themes)]


def _choose_points(
    theme: str,
    count: int,
    occasion: Occasion,
    bank: PhraseBank,
    library: dict[str, list[str]],
    used: set[str],
    top_frame: str,
    rng: random.Random,
) -> list[str]:
    """Point headings that run in parallel: the examples of one mined frame of this theme, or
    the template's / points.yaml list for the theme."""
    if count <= 0:
        return []
    options: list[list[str]] = []
    for entry in bank.of_kind("frame"):
        if entry.text == top_frame or theme not in entry.themes:
            continue
        examples = [e for e in entry.examples if e not in used]
        if len(examples) >= count:
            options.append(examples)
    listed = [h for h in occasion.point_headings.get(theme) or library.get(theme) or [] if h not in used]
    if len(listed) >= count:
        options.append(listed)
    if not options:
        pool = [h for items in library.values() for h in items if h not in used]
        options.append(pool)
    source = options[rng.randrange(len(options))]
    picked = sorted(rng.sample(range(len(source)), min(count, len(source))))
    headings = [source[i] for i in picked]
    used.update(headings)
    return headings


def _choose_phrases(
    theme: str, heading: str, count: int, bank: PhraseBank, used: set[str], rng: random.Random, year: int
) -> list[SuggestedPhrase]:
    """Stock phrases for a point: of the section's theme, never twice in a draft, each with its
    source; a quotation first when there is one, then numbered formulas, set phrases, idioms."""
    if count <= 0:
        return []

    def available(entry: Entry) -> bool:
        return (
            entry.kind in DRAFTING_KINDS
            and entry.sources
            and entry.text not in used
            and entry.text not in heading
            and bank.fresh(entry)
        )

    themed = [e for e in bank.entries if theme in e.themes and available(e)]
    if len(themed) < count:
        themed += [e for e in bank.entries if e.kind != "term" and e not in themed and available(e)][: count * 4]
    picked = _pick_by_kind(themed, count, rng)
    phrases = []
    for entry in picked[:count]:
        used.add(entry.text)
        source = _latest_source(entry, year)
        cited = {key: value for key, value in source.to_full_dict().items() if key != "context"}
        phrases.append(SuggestedPhrase(entry.text, entry.kind, cited, entry.attribution))
    return phrases


def _latest_source(entry: Entry, year: int) -> Source:
    """The place to cite: the newest document not after the speech's year (else the first)."""
    dated = [s for s in entry.sources if s.year and s.year <= year]
    return max(dated, key=lambda s: s.year) if dated else entry.sources[0]


def _pick_by_kind(candidates: list[Entry], count: int, rng: random.Random) -> list[Entry]:
    """A quotation first when there is one, then a formula or series, then a set phrase or
    idiom, then any kind, each drawn from the most used of its kinds."""
    picked: list[Entry] = []
    for kinds in (("quote",), ("formula", "parallel"), ("term", "idiom"), DRAFTING_KINDS):
        pool = [e for e in candidates if e.kind in kinds and e not in picked]
        if not pool or len(picked) >= count:
            continue
        pool.sort(key=lambda e: (-(e.custom * 100 + e.docs * 3 + min(e.count, 10)), e.text))
        top = pool[: max(4, count * 3)]
        picked.append(top[rng.randrange(len(top))])
        if kinds is DRAFTING_KINDS:
            while len(picked) < count:
                rest = [e for e in top if e not in picked]
                if not rest:
                    break
                picked.append(rest[rng.randrange(len(rest))])
    return picked


def check_rendered(draft: Draft) -> None:
    """Nothing unrendered may reach the user: no template marks, no None, no empty heading."""
    texts = [draft.title, draft.salutation, *draft.opening, *draft.closing]
    for section in draft.sections:
        texts.append(section.heading)
        for point in section.points:
            texts.append(point.heading)
    for text in texts:
        if not text or not text.strip() or _LEAKS.search(text):
            raise DrafterError(
                f"模板 {draft.template} 生成了不完整的内容（“{text}”）。请检查模板中的占位写法，可用 drafter templates validate 检查。"
            )


def draft_to_dict(draft: Draft) -> dict:
    return {
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
                    }
                    for p in s.points
                ],
            }
            for s in draft.sections
        ],
        "closing": draft.closing,
        "seed": draft.seed,
    }
