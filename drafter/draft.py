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
from drafter.examples import ExampleIndex, Exemplar, load_examples
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
    length: int | None = None  # characters the speech should have (--length, or --minutes × CHARS_PER_MINUTE)


RECENT_YEARS = 10  # by default a draft uses material seen in the ten years before the speech date
CHARS_PER_MINUTE = 200  # a speech read aloud at a steady pace
MAX_POINTS = 6  # points a section may have when a length asks for many
MAX_EXAMPLES = 3  # example sentences under one point


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
class ExampleSentence:
    """A real sentence from a speech, as material to adapt under a point."""

    text: str
    source: dict  # {"doc", "line", "year"?, "title"?}
    occasion: str | None = None


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
    return sum(len(_BLANK.sub("", t)) for t in texts)


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
        out = render_string(env, text, context, where).strip()
        out = undouble(out, [options.org, options.audience])
        if options.org:
            out = out.replace("【单位】", options.org)
        if options.audience:
            out = out.replace("【参会人员】", options.audience)
        return out

    examples = load_examples(bank.directory)
    cache: dict = {"frames": bank.of_kind("frame")}  # per draft: the mined frames, each theme's candidates, bigrams
    frame, headings = _choose_frame(occasion, cache["frames"], examples, n, options.themes, lexicon, rng)
    themes = _section_themes(headings, occasion, bank, options.themes, lexicon)
    if options.themes:  # the sections of the asked themes lead, in the order asked
        order = sorted(range(len(headings)), key=lambda i: (options.themes.index(themes[i]) if themes[i] in options.themes else len(options.themes), i))
        headings, themes = [headings[i] for i in order], [themes[i] for i in order]
    opening = [render(p) for p in _opening_for(occasion, options.audience)]
    opening += [render(occasion.transition)] if occasion.transition else []
    closing = [render(p) for p in occasion.closing]
    used_phrases: list[str] = []
    used_headings: list[str] = list(headings)
    used_sentences: set[str] = set()
    sections: list[DraftSection] = []
    for index, (heading, theme) in enumerate(zip(headings, themes)):
        count = _points_for(target, n) if target else (rng.randint(occasion.points_min, occasion.points_max) if occasion.points_max else 0)
        point_headings = _choose_points(heading, theme, count, occasion, cache["frames"], examples, point_library, used_headings, rng)
        points = []
        for i, h in enumerate(point_headings):
            stress = options.themes[(index + i) % len(options.themes)] if options.themes else None
            phrases = _choose_phrases(theme, h, occasion.phrases_per_point, bank, used_phrases, rng, day.year, stress, cache)
            wanted = MAX_EXAMPLES if target else rng.randint(1, 2)
            found = _choose_examples(h, heading, theme, wanted, occasion.name, examples, bank, used_sentences, since, day.year, rng, cache)
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
    else:  # points never fewer than the template asks, even where material ran short
        pass
    for section in draft.sections:
        for i, point in enumerate(section.points):
            point.number_cn = int_to_cn(i + 1)
    check_rendered(draft, given=[options.org, options.audience])
    return draft


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

    def apply() -> int:
        for section, points, k, ex in zip(draft.sections, full, keep_points, keep_examples):
            section.points = [p for p, _ in points[:k]]
            for (point, sentences), m in zip(points[:k], ex):
                point.examples = sentences[: max(1, m)]
        return draft.length

    total = apply()
    moves: list[tuple[int, int | None]] = []  # (section, point to deepen) or (section, None) = add a point
    # first the points the template asks for at most, then a second and a third sentence under
    # each, and only then further points (a short speech has fewer points, not thinner ones)
    for _ in range(max(0, points_max - (points_min or 1))):
        moves.extend((s, None) for s in range(len(full)))
    for _depth in range(2, MAX_EXAMPLES + 1):
        for s, points in enumerate(full):
            moves.extend((s, i) for i in range(len(points)))
    for _ in range(max(len(points) for points in full) if full else 0):
        for s, points in enumerate(full):
            moves.append((s, None))
            moves.extend((s, i) for i in range(len(points)))
    for _round in range(3):
        changed = False
        for s, i in moves:
            if i is None:
                if keep_points[s] >= len(full[s]):
                    continue
                keep_points[s] += 1
                keep_examples[s][keep_points[s] - 1] = 1
                undo = lambda s=s: (keep_points.__setitem__(s, keep_points[s] - 1), keep_examples[s].__setitem__(keep_points[s], 0))
            else:
                if i >= keep_points[s] or keep_examples[s][i] >= len(full[s][i][1]) or keep_examples[s][i] >= MAX_EXAMPLES:
                    continue
                keep_examples[s][i] += 1
                undo = lambda s=s, i=i: keep_examples[s].__setitem__(i, keep_examples[s][i] - 1)
            new = apply()
            if abs(new - target) < abs(total - target):
                total, changed = new, True
            else:
                undo()
                apply()
        if not changed:
            break
    apply()


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
    known = _dedupe(list(lexicon) + list(point_library) + list(occasion.themes) + list(occasion.point_headings))
    unknown = [t for t in asked if t not in known]
    if unknown:
        raise DrafterError(
            f"--theme {'、'.join(unknown)}：没有主题“{'、'.join(unknown)}”。可用的主题：{'、'.join(known)}。"
            "主题名见词库的 themes.yaml。"
        )


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


def _choose_frame(
    occasion: Occasion,
    frames: list[Entry],
    examples: ExampleIndex,
    n: int,
    asked: list[str],
    lexicon: dict[str, list[str]],
    rng: random.Random,
) -> tuple[str, list[str]]:
    """One frame with at least n fills, and n headings from it: the template's own frames (with
    the fills the bank adds to them), or a frame mined from the level-1 headings of speeches of
    this very occasion. A frame mined elsewhere (a report, another kind of speech, a point
    heading) never heads the speech. Headings that speak of distinct themes, and of the themes
    asked for, come first."""
    candidates = _frame_candidates(occasion, frames, examples, n)
    if asked:  # a frame whose headings name the asked themes
        weights = [c[0] * (1 + 3 * len({t for f in c[2] for t in _lexicon_themes(fill_frame(c[1], f), lexicon)} & set(asked))) for c in candidates]
    else:
        weights = [c[0] for c in candidates]
    _, frame, fills = rng.choices(candidates, weights=weights, k=1)[0]
    headings = _dedupe([fill_frame(frame, f) for f in fills])
    return frame, _pick_headings(headings, n, asked, lexicon, rng)


def _frame_candidates(
    occasion: Occasion, frames: list[Entry], examples: ExampleIndex, n: int
) -> list[tuple[float, str, list[list[str]]]]:
    """(weight, frame, fills) of the frames that may head this occasion's speech with n headings."""
    mined = {e.text: e for e in frames}
    candidates: list[tuple[float, str, list[list[str]]]] = []
    for spec in occasion.frames:
        extra = mined[spec.text].fills if spec.text in mined and _heads(mined[spec.text], occasion.name, examples) else []
        fills = _dedupe_fills(spec.fills + extra)
        if len(fills) >= n:
            candidates.append((4.0 + (mined[spec.text].docs if spec.text in mined else 0), spec.text, fills))
    named = {spec.text for spec in occasion.frames}
    for entry in mined.values():
        if entry.text in named or len(entry.fills) < n or not _heads(entry, occasion.name, examples):
            continue
        headings = [fill_frame(entry.text, fill) for fill in entry.fills]
        if sum(map(len, headings)) > MAX_HEADING * len(headings):
            continue  # a report's long headings (坚持正确把握宏观调控的方向和力度，实施…) make no outline
        candidates.append((2.0 + entry.docs, entry.text, entry.fills))
    if not candidates:
        raise DrafterError(
            f"模板 {occasion.path} 中没有至少 {n} 组填充的标题框架（frames），词库里也没有同类讲话的框架。"
            f"请在模板的 frames 中补充填充，或减少 --sections。"
        )
    return candidates


def _pick_headings(headings: list[str], n: int, asked: list[str], lexicon: dict[str, list[str]], rng: random.Random) -> list[str]:
    """n of the frame's headings, in its order: those of the asked themes first, then those of
    a theme not yet taken, then any."""
    order = list(range(len(headings)))
    rng.shuffle(order)
    chosen: list[int] = []
    taken: set[str] = set()
    # first the headings of the asked themes, then those of a theme not yet taken, then any
    passes = (
        lambda t: bool(set(t) & set(asked) - taken),
        lambda t: bool(t) and t[0] not in taken,
        lambda t: True,
    )
    for wanted in passes:
        for i in order:
            if len(chosen) >= n:
                break
            themes = _lexicon_themes(headings[i], lexicon)
            if i not in chosen and wanted(themes):
                chosen.append(i)
                taken.update(themes[:1] if not asked else [t for t in themes if t in asked][:1] or themes[:1])
    chosen.sort()
    return [headings[i] for i in chosen]


def _heads(entry: Entry, occasion: str, examples: ExampleIndex) -> bool:
    """A mined frame heads a speech of `occasion`: every heading it came from is a level-1
    heading of a speech of that occasion."""
    return bool(entry.sources) and all(
        examples.occasion_of(s.doc) == occasion and examples.is_top_heading(s.doc, s.line) for s in entry.sources
    )


def _dedupe_fills(fills: list[list[str]]) -> list[list[str]]:
    out: list[list[str]] = []
    for fill in fills:
        if fill not in out and all(f.strip() for f in fill):
            out.append(fill)
    return out


def _lexicon_themes(text: str, lexicon: dict[str, list[str]]) -> list[str]:
    """Themes whose words the text holds, the most and longest words first."""
    scored = []
    for name, words in lexicon.items():
        score = sum(len(w) for w in {name, *words} if w and w in text)
        if score:
            scored.append((-score, name))
    return [name for _, name in sorted(scored)]


def _theme_scores(heading: str, bank: PhraseBank, lexicon: dict[str, list[str]]) -> dict[str, float]:
    """What a heading speaks of, from its words: the theme lexicon (strongest), the canon's
    formulations in it with their themes, and the themes of the bank's stock phrases that stand
    in the heading (co-occurrence)."""
    scores: dict[str, float] = {}
    for name, words in lexicon.items():
        hit = sum(len(w) for w in {name, *words} if w and w in heading)
        if hit:
            scores[name] = scores.get(name, 0) + 3 * hit
    try:
        for _, _, entry in bank.canon.canonical_in(heading):
            for theme in entry.themes:
                scores[theme] = scores.get(theme, 0) + 2 * len(entry.text)
    except DrafterError:
        pass
    for entry in bank.entries:
        if entry.kind in ("term", "idiom", "formula") and len(entry.text) >= 2 and entry.themes and entry.text in heading:
            for theme in entry.themes:
                scores[theme] = scores.get(theme, 0) + len(entry.text) / len(entry.themes)
    return scores


def _section_themes(
    headings: list[str], occasion: Occasion, bank: PhraseBank, asked: list[str], lexicon: dict[str, list[str]]
) -> list[str]:
    """One theme per section, from its heading's words, no two alike; the asked themes go to the
    headings that speak of them most (or least of anything else), so --theme always shows."""
    scores = [_theme_scores(h, bank, lexicon) for h in headings]
    result: list[str | None] = [None] * len(headings)
    taken: set[str] = set()
    for theme in asked:
        free = [i for i in range(len(headings)) if result[i] is None]
        if not free:
            break
        best = max(free, key=lambda i: (scores[i].get(theme, 0), -max(scores[i].values(), default=0), -i))
        result[best] = theme
        taken.add(theme)
    # the rest: the most certain heading first, each its best theme not yet taken
    pairs = sorted(
        ((score, i, theme) for i, s in enumerate(scores) for theme, score in s.items() if result[i] is None),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    for _, i, theme in pairs:
        if result[i] is None and theme not in taken:
            result[i] = theme
            taken.add(theme)
    spare = [t for t in _dedupe(occasion.themes + list(lexicon)) if t not in taken]
    for i in range(len(headings)):
        if result[i] is None:  # a heading whose words name no theme at all: the occasion's next
            result[i] = spare.pop(0) if spare else (occasion.themes or ["综合"])[0]
    return [r or "" for r in result]


_LEAD = re.compile(r"^(要|必须|务必|始终|坚持|切实|着力|进一步|更加|全面|持续|不断|做到|一|二|三|四|五)+")


def _core(heading: str) -> str:
    return _LEAD.sub("", re.sub(r"[，、。；：“”\s]", "", heading))


def overlaps(a: str, b: str) -> bool:
    """Two headings say the same (要始终做到情系百姓 / 始终做到情系百姓), one inside the other."""
    ca, cb = _core(a), _core(b)
    return bool(ca and cb) and (ca in cb or cb in ca)


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _choose_points(
    heading: str,
    theme: str,
    count: int,
    occasion: Occasion,
    frames: list[Entry],
    examples: ExampleIndex,
    library: dict[str, list[str]],
    used: list[str],
    rng: random.Random,
) -> list[str]:
    """Point headings for a section of `theme` under `heading`: the template's or points.yaml's
    list for the theme, and the point headings mined from speeches of the same occasion for that
    theme; none that repeats a heading at any level; those sharing words with the heading first."""
    if count <= 0:
        return []
    pool: list[str] = list(occasion.point_headings.get(theme) or []) + list(library.get(theme) or [])
    for entry in frames:
        if theme in entry.themes and entry.sources and all(examples.occasion_of(s.doc) == occasion.name for s in entry.sources):
            pool.extend(e for e in entry.examples if len(e) <= MAX_HEADING)
    pool = _dedupe(pool)
    near = _bigrams(heading)
    rng.shuffle(pool)
    pool.sort(key=lambda h: -len(_bigrams(h) & near))
    picked: list[str] = []
    for h in pool:
        if len(picked) >= count:
            break
        if any(overlaps(h, u) for u in used + picked):
            continue
        picked.append(h)
    used.extend(picked)
    return picked


def _choose_examples(
    heading: str,
    section_heading: str,
    theme: str,
    count: int,
    occasion: str,
    index: ExampleIndex,
    bank: PhraseBank,
    used: set[str],
    since: int,
    year: int,
    rng: random.Random,
    cache: dict,
) -> list[ExampleSentence]:
    """Real sentences to adapt under a point: of the section's theme and sharing words with the
    point, from speeches of the same occasion and recent ones first, never one used before in the
    draft, never one of a document older than `since` or in expired terms."""
    if count <= 0 or not index.sentences:
        return []
    near = _bigrams(heading)
    wider = _bigrams(section_heading)
    grams = cache.setdefault("bigrams", {})

    def score(s: Exemplar) -> float:
        if s.text not in grams:
            grams[s.text] = _bigrams(s.text)
        shared = len(grams[s.text] & near)
        value = 4.0 * (theme in s.themes) + 1.5 * min(3, shared) + 0.75 * min(2, len(grams[s.text] & wider)) - 2.0 * (not shared)
        value += 3.0 * (s.occasion == occasion) - 1.5 * bool(s.title and s.title.endswith("报告") and occasion != s.occasion) + (2.0 * (s.year - since) / max(1, year - since) if s.year else 0.5)
        return value - 0.01 * abs(len(s.text) - 60) + rng.random() * 1.5

    def in_years(s: Exemplar) -> bool:
        return s.year is None or since <= s.year <= year

    key = ("examples", theme)
    if key not in cache:
        cache[key] = [s for s in index.sentences if theme in s.themes and in_years(s)]
    themed = [s for s in cache[key] if s.text not in used]
    if len(themed) < count:
        themed += [s for s in index.sentences if in_years(s) and s.text not in used and theme not in s.themes]
    ranked = sorted(themed, key=score, reverse=True)
    out: list[ExampleSentence] = []
    for s in ranked:
        if len(out) >= count:
            break
        if s.text in used or (bank.canon.expired_in(s.text, year) if bank.year else False):
            continue
        used.add(s.text)
        source = {"doc": s.doc, "line": s.line} | ({"year": s.year} if s.year else {}) | ({"title": s.title} if s.title else {})
        out.append(ExampleSentence(s.text, source, s.occasion))
    return out


def _choose_phrases(
    theme: str,
    heading: str,
    count: int,
    bank: PhraseBank,
    used: list[str],
    rng: random.Random,
    year: int,
    stress: str | None = None,
    cache: dict | None = None,
) -> list[SuggestedPhrase]:
    """Stock phrases for a point: of the section's theme, none that contains or is contained in
    a phrase already in the draft, each with its source; a quotation first when there is one,
    then numbered formulas, set phrases, idioms."""
    if count <= 0:
        return []
    cache = {} if cache is None else cache

    def of_theme(name: str) -> list[Entry]:
        key = ("phrases", name)
        if key not in cache:
            cache[key] = [e for e in bank.entries if name in e.themes and e.kind in DRAFTING_KINDS and e.sources]
        return cache[key]

    def available(entry: Entry) -> bool:
        return (
            entry.text not in heading
            and not any(entry.text in u or u in entry.text for u in used)
            and bank.fresh(entry)
        )

    themed = of_theme(theme)
    picked = _pick_by_kind(themed, count, rng, available)
    if stress and not any(stress in e.themes for e in picked):  # --theme: one phrase of the asked theme
        extra = _pick_by_kind(of_theme(stress), 1, rng, lambda e: available(e) and all(e is not p for p in picked))
        if extra:
            picked = picked[: max(0, count - 1)] + extra
    phrases = []
    for entry in picked:
        if any(entry.text in u or u in entry.text for u in used):
            continue  # two picked for one point may overlap each other
        used.append(entry.text)
        source = _latest_source(entry, year)
        cited = {key: value for key, value in source.to_full_dict().items() if key != "context"}
        phrases.append(SuggestedPhrase(entry.text, entry.kind, cited, entry.attribution))
    return phrases


def _latest_source(entry: Entry, year: int) -> Source:
    """The place to cite: the newest document not after the speech's year (else the first)."""
    dated = [s for s in entry.sources if s.year and s.year <= year]
    return max(dated, key=lambda s: s.year) if dated else entry.sources[0]


def _pick_by_kind(candidates: list[Entry], count: int, rng: random.Random, ok=lambda e: True) -> list[Entry]:
    """A quotation first when there is one (any of the theme's, so quotations vary from seed to
    seed), then a formula or series, then a set phrase or idiom, then any kind, each drawn from
    the most used of its kinds that pass `ok` (checked on those looked at only)."""
    picked: list[Entry] = []
    for kinds in (("quote",), ("formula", "parallel"), ("term", "idiom"), DRAFTING_KINDS):
        if len(picked) >= count:
            break
        taken = set(map(id, picked))
        pool = sorted(
            (e for e in candidates if e.kind in kinds and id(e) not in taken),
            key=lambda e: (-(e.custom * 100 + e.docs * 3 + min(e.count, 10)), e.text),
        )
        size = max(12 if kinds == ("quote",) else 4, count * 3)
        top: list[Entry] = []
        for entry in pool:
            if ok(entry):
                top.append(entry)
                if len(top) >= size:
                    break
        if not top:
            continue
        if kinds == ("quote",) and rng.random() >= len(top) / 4:
            continue  # a theme with few quotations: not the same one in every draft
        picked.append(top[rng.randrange(len(top))])
        if kinds is DRAFTING_KINDS:
            while len(picked) < count:
                rest = [e for e in top if all(e is not p for p in picked)]
                if not rest:
                    break
                picked.append(rest[rng.randrange(len(rest))])
    return picked


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
