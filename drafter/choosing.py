"""Choosing what goes into a draft: the frame and headings of the occasion, a theme for each
section, points that follow their heading, example sentences and stock phrases, each sourced
and never twice in one draft."""

from __future__ import annotations

import functools
import heapq
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from drafter.bank import PhraseBank, policy_matcher, theme_matcher
from drafter.errors import DrafterError
from drafter.examples import ExampleIndex, Exemplar
from drafter.model import DRAFTING_KINDS, KINDS, Entry, Source, is_report_title
from drafter.templating import Occasion

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


def dedupe(items: list[str]) -> list[str]:
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


def choose_frame(
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
    headings = dedupe([fill_frame(frame, f) for f in fills])
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


def _lexicon_hits(text: str, lexicon: dict[str, list[str]]) -> dict[str, int]:
    """Each theme whose words the text holds outside the lexicon's exceptions (守牢安全底线: 底线
    there is no 纪律规矩), with the length of those words summed."""
    for phrase in getattr(lexicon, "exceptions", ()):
        if phrase in text:
            text = text.replace(phrase, "\u3000")
    hits = {}
    for name, words in lexicon.items():
        hit = sum(len(w) for w in {name, *words} if w and w in text)
        if hit:
            hits[name] = hit
    return hits


def _lexicon_themes(text: str, lexicon: dict[str, list[str]]) -> list[str]:
    """Themes whose words the text holds outside the lexicon's exceptions, the most and longest
    words first."""
    return [name for _, name in sorted((-hit, name) for name, hit in _lexicon_hits(text, lexicon).items())]


def _theme_scores(heading: str, bank: PhraseBank, lexicon: dict[str, list[str]], stock: list[Entry]) -> dict[str, float]:
    """What a heading speaks of, from its words: the theme lexicon (strongest), the canon's
    formulations in it with their themes, and the themes of the `stock` phrases (the bank's themed
    terms, idioms and formulas) that stand in the heading (co-occurrence)."""
    scores: dict[str, float] = {name: 3 * hit for name, hit in _lexicon_hits(heading, lexicon).items()}
    try:
        for _, _, entry in bank.canon.canonical_in(heading):
            for theme in entry.themes:
                scores[theme] = scores.get(theme, 0) + 2 * len(entry.text)
    except DrafterError:
        pass
    for entry in stock:
        if entry.text in heading:
            for theme in entry.themes:
                scores[theme] = scores.get(theme, 0) + len(entry.text) / len(entry.themes)
    return scores


def _themed_stock(bank: PhraseBank) -> list[Entry]:
    return [e for e in bank.entries if e.kind in ("term", "idiom", "formula") and len(e.text) >= 2 and e.themes]


def section_themes(
    headings: list[str], occasion: Occasion, bank: PhraseBank, asked: list[str], lexicon: dict[str, list[str]]
) -> list[str]:
    """One theme per section, from its heading's words, no two alike; the asked themes go to the
    headings that speak of them most (or least of anything else), so --theme always shows."""
    stock = _themed_stock(bank)
    scores = [_theme_scores(h, bank, lexicon, stock) for h in headings]
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
    spare = [t for t in dedupe(occasion.themes + list(lexicon)) if t not in taken]
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


def choose_points(
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
    pool = dedupe(pool)
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


def choose_examples(
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
    speech_themes: frozenset[str] = frozenset(),
) -> list[ExampleSentence]:
    """Real sentences to adapt under a point: of the section's theme and sharing words with the
    point, from speeches of the same occasion and recent ones first, never one used before in the
    draft, never one of a document older than `since` or in expired terms.

    `speech_themes`: what the speech is about (its occasion's themes and the asked ones). A
    report's sentence that speaks of none of them is off the speech, however many words it
    shares with the point and whatever its section's theme (落实地方主体责任 of the housing
    market, 扛稳粮食安全责任, under 压实主体责任 in a 廉政谈话, whose section 以责任之心对待工作 is
    of 责任落实). So is a report's sentence on a field of policy (the lexicon's `policy_words`:
    粮食, 房地产 …) under a section of another theme than the lexicon's `policy_themes`, and one
    that speaks of none of the themes the point's own words name (_examples_for). Such sentences
    are taken only where a point would otherwise have none, the least off first. (Another speech
    is of the speech's genre: its sentences are not held to this.)"""
    if count <= 0 or not index.sentences:
        return []
    passes = [(speech_themes, True, True), (speech_themes, False, True), (frozenset(), False, True), (frozenset(), False, False)]
    for themes, strict, fields in dict.fromkeys(passes):  # the first pass that finds any
        found = _examples_for(heading, section_heading, theme, count if strict else 1, occasion, index, bank, used, since, year, rng, cache, themes, strict, fields)
        if found:
            return found
    return []


def _examples_for(heading, section_heading, theme, count, occasion, index, bank, used, since, year, rng, cache, speech_themes, strict=True, fields=True) -> list[ExampleSentence]:
    """choose_examples' look-up with or without its rules: `strict`, a report's sentence must
    fit the point and one of another theme must share a word with it; `fields`, no report's
    sentence on a field of policy under a section of another theme."""
    near = _bigrams(heading)
    wider = _bigrams(section_heading)
    point_themes = frozenset(_lexicon_themes(heading, bank.themes)) if strict else frozenset()

    def score(item: Scored) -> float:
        _, grams, value, _ = item
        shared = len(grams & near)
        value += 1.5 * min(3, shared) + 0.75 * min(2, len(grams & wider)) - 2.0 * (not shared)
        return value + rng.random() * 1.5

    def fits(item: Scored) -> bool:
        """A report's sentence speaks of a theme the point's own words name (廉洁奉公 for
        永葆清廉本色; 扛稳粮食安全责任 is nothing to 提醒好配偶, nor 严格遵守宪法 to 严格家教家规,
        whatever words they share); a point whose words name no theme (慎独慎微慎初) takes the
        section's sentences."""
        return not item[3] or not point_themes or not point_themes.isdisjoint(item[0].themes)

    def shares(item: Scored) -> bool:
        return not strict or bool(item[1] & near)

    off_field = policy_matcher(bank.themes, theme) if fields else None
    scored = functools.partial(_scored_examples, occasion=occasion, index=index, since=since, year=year, cache=cache, speech_themes=speech_themes, off_field=off_field)
    themed = [item for item in scored(theme, True) if item[0].text not in used and fits(item)]
    if len(themed) < count:  # sentences of other themes, only where they share words with the point
        themed += [item for item in scored(theme, False) if item[0].text not in used and shares(item) and fits(item)]
        themed.sort(key=lambda item: -item[2])
    found = _take_examples(_best(themed, score, count + 4), count, used, bank, year, cache)
    if len(found) < count:  # more than four of the best were in expired terms: rank them all
        ranked = [item[0] for item in sorted(themed, key=score, reverse=True) if item[0].text not in used]
        found += _take_examples(ranked, count - len(found), used, bank, year, cache)
    return found


POINT_BONUS_MAX = 1.5 * 3 + 0.75 * 2 + 1.5  # the most choose_examples' score adds to a fixed part


def _best(items: list[Scored], score, need: int) -> list[Exemplar]:
    """The `need` items of highest score, best first. The items come in order of their fixed
    part: once that part plus the most a point can add falls below the need-th best score
    seen, no later item can enter, and the rest are not scored."""
    top: list[tuple[float, int, Exemplar]] = []  # a heap, the lowest of the best first
    for order, item in enumerate(items):
        if len(top) >= need and item[2] + POINT_BONUS_MAX < top[0][0]:
            break
        entry = (score(item), -order, item[0])
        if len(top) < need:
            heapq.heappush(top, entry)
        elif entry > top[0]:
            heapq.heapreplace(top, entry)
    return [s for _, _, s in sorted(top, reverse=True)]


OTHER_THEMES_LIMIT = 300  # sentences of other themes looked at when a theme runs short
Scored = tuple[Exemplar, set[str], float, bool]  # a sentence, its bigrams, its fixed score, a report's?


def _scored_examples(
    theme: str,
    of_theme: bool,
    occasion: str,
    index: ExampleIndex,
    since: int,
    year: int,
    cache: dict,
    speech_themes: frozenset[str] = frozenset(),
    off_field: Callable[[str], object] | None = None,
) -> list[Scored]:
    """The sentences of the speech's years that are (or are not) of `theme`, each with its
    bigrams, the part of its score that does not depend on the point (the theme, the same
    occasion, not a report's sentence in another occasion's speech, recent, near 60 characters)
    and whether it is a report's; the highest first. Of other themes, only the
    OTHER_THEMES_LIMIT highest (a large bank holds thousands). With `speech_themes`, a report's
    sentence only if it speaks of one of them; with `off_field`, none of a report's sentences
    it holds true for (a field of policy, under a section of another theme). Computed once per
    draft."""
    key = ("examples", theme, of_theme, speech_themes, off_field)
    if key not in cache:
        fixed = []
        for s in index.sentences:
            if (theme in s.themes) != of_theme or not (s.year is None or since <= s.year <= year):
                continue
            report = s.occasion != occasion and is_report_title(s.title)
            if report and (speech_themes and speech_themes.isdisjoint(s.themes) or off_field is not None and off_field(s.text)):
                continue  # a report's sentence off the speech, or on a field of policy off the section
            value = 4.0 * of_theme + 3.0 * (s.occasion == occasion) - 1.5 * report
            value += 2.0 * (s.year - since) / max(1, year - since) if s.year else 0.5
            fixed.append((s, value - 0.01 * abs(len(s.text) - 60), report))
        fixed.sort(key=lambda item: -item[1])  # highest fixed part first, for _best
        if not of_theme:
            del fixed[OTHER_THEMES_LIMIT:]
        grams = cache.setdefault("bigrams", {})
        for s, _, _ in fixed:
            if s.text not in grams:
                grams[s.text] = _bigrams(s.text)
        cache[key] = [(s, grams[s.text], value, report) for s, value, report in fixed]
    return cache[key]


NEAR_SAME = 0.7  # two sentences sharing this share of their character pairs say the same thing
NEAR_INSIDE = 0.8  # … as does a sentence with this share of its pairs inside a longer one


def _nearly_same(a: set[str], b: set[str]) -> bool:
    """A report's sentence repeated a year later with a clause added (70% of the character
    pairs of both shared), or cut short (政府工作人员要自觉接受法律监督、监察监督和人民监督。
    beside the same words going on: 80% of the shorter one's pairs in the other)."""
    shared = len(a & b)
    return shared >= NEAR_SAME * len(a | b) or shared >= NEAR_INSIDE * min(len(a), len(b))


def _take_examples(ranked: list[Exemplar], count: int, used: set[str], bank: PhraseBank, year: int, cache: dict) -> list[ExampleSentence]:
    """The first `count` of the ranked sentences not used yet, not nearly the same as one used
    (a report's sentence repeated a year later with a clause added) and in no expired terms."""
    out: list[ExampleSentence] = []
    taken: list[set[str]] = cache.setdefault("taken bigrams", [])  # the sentences of this draft so far
    bigrams = cache.setdefault("bigrams", {})  # _scored_examples made those of every candidate
    for s in ranked:
        if len(out) >= count:
            break
        if s.text in used or (bank.canon.expired_in(s.text, year) if bank.year else False):
            continue
        grams = bigrams.get(s.text) or _bigrams(s.text)
        if any(_nearly_same(grams, other) for other in taken):
            continue
        taken.append(grams)
        used.add(s.text)
        source = {"doc": s.doc, "line": s.line} | ({"year": s.year} if s.year else {}) | ({"title": s.title} if s.title else {})
        out.append(ExampleSentence(s.text, source, s.occasion))
    return out


def choose_phrases(
    theme: str,
    heading: str,
    count: int,
    bank: PhraseBank,
    used: list[str],
    rng: random.Random,
    year: int,
    stress: str | None = None,
    cache: dict | None = None,
    quote: bool = True,
    speech_themes: frozenset[str] = frozenset(),
) -> list[SuggestedPhrase]:
    """Stock phrases for a point: of the section's theme, none that contains or is contained in
    a phrase already in the draft, each with its source; a quotation first when there is one
    and `quote` allows it (a section quotes once), then numbered formulas, set phrases, idioms.
    A quotation seen in reports only that speaks of none of `speech_themes` (the occasion's and
    the asked ones) is not offered: 房子是用来住的、不是用来炒的 in a 组织生活会; nor is a phrase
    seen in reports only that names a field of policy (the lexicon's `policy_words`) under a
    section of another theme than its `policy_themes`: 脱贫攻坚 under 担当作为, 一国两制 under
    严守政治纪律."""
    if count <= 0:
        return []
    cache = {} if cache is None else cache

    def of_theme(name: str) -> list[Entry]:
        key = ("phrases", name)
        if key not in cache:
            cache[key] = [e for e in bank.entries if name in e.themes and e.kind in DRAFTING_KINDS and e.has_sources]
        return cache[key]

    clear = _clear_of(used, cache.setdefault(("checked", id(used)), {}))
    off_field = policy_matcher(bank.themes, theme)

    def available(entry: Entry, trust) -> bool:
        off_speech = entry.kind == "quote" and speech_themes and speech_themes.isdisjoint(entry.themes)
        if (off_speech or off_field is not None and off_field(entry.text)) and not entry.in_speeches:
            return False
        if entry.kind == "term" and trust(entry) == UNSURE:
            return False  # a report's policy word beside the theme's words (十国集团, 支持工会 for 组织建设)
        return entry.text not in heading and clear(entry) and bank.fresh(entry)

    themed = of_theme(theme)
    trust = _trust(bank, theme)
    picked = _pick_by_kind(themed, count, rng, trust, functools.partial(available, trust=trust), cache.setdefault(("ranked", theme), {}), quote)
    if stress and not any(stress in e.themes for e in picked):  # --theme: one phrase of the asked theme
        ranked = cache.setdefault(("ranked", stress), {})
        stress_trust = _trust(bank, stress)
        ok = lambda e: available(e, stress_trust) and all(e is not p for p in picked)  # noqa: E731
        extra = _pick_by_kind(of_theme(stress), 1, rng, stress_trust, ok, ranked, quote)
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


def _clear_of(used: list[str], checked: dict[int, int]):
    """A test that an entry neither contains nor is contained in a phrase of `used`, a list that
    only grows during a draft: each entry is compared with each used phrase once (`checked`:
    how many it was compared with, -1 once it overlapped one)."""

    def clear(entry: Entry) -> bool:
        done = checked.get(id(entry), 0)
        if done < 0:
            return False
        for u in used[done:]:
            if entry.text in u or u in entry.text:
                checked[id(entry)] = -1
                return False
        checked[id(entry)] = len(used)
        return True

    return clear


UNSURE = 2  # _trust's lowest tier: seen in reports only, of the theme by its surroundings only


def _trust(bank: PhraseBank, theme: str):
    """How surely an entry speaks of `theme`, 0 the surest: seen in a speech; seen in reports
    only, but of the theme by its own words (腐败问题 for 廉洁) or by the canon; seen in reports
    only and of the theme by the sentences around it (UNSURE). A report's policy word next to a
    theme word (人大代表 beside 监督) is the poorest material for a speech: such set phrases are
    not offered at all (idioms and numbered formulas are, last)."""
    speaks_of = theme_matcher(bank.themes, theme)

    def trust(entry: Entry) -> int:
        if entry.in_speeches:
            return 0
        return 1 if entry.canonical or (speaks_of is not None and speaks_of(entry.text)) else UNSURE

    return trust


def _ranked(candidates: list[Entry], kinds: tuple[str, ...], ranked: dict, trust) -> list[Entry]:
    """The candidates of `kinds`, the surest of the theme first (`trust`; quotations aside: a
    report quotes as well as a speech), then the user's own and the most used first (kept in
    `ranked`)."""
    if kinds not in ranked:
        ranked[kinds] = sorted(
            (e for e in candidates if e.kind in kinds),
            key=lambda e: (trust(e) if kinds != ("quote",) else 0, -(e.custom * 100 + e.docs * 3 + min(e.count, 10)), e.text),
        )
    return ranked[kinds]


_NOT_QUOTES = tuple(sorted(DRAFTING_KINDS - {"quote"}))


def _first_usable(pool, size: int, ok, trust=None) -> list[Entry]:
    """The first `size` entries of `pool` that pass `ok`; with `trust`, only those as sure of
    the theme as the first one: reports' words only where speeches have none, and words placed
    in the theme by their surroundings only where no surer ones are left."""
    top: list[Entry] = []
    for entry in pool:
        if trust is not None and top and trust(entry) > trust(top[0]):
            break
        if ok(entry):
            top.append(entry)
            if len(top) >= size:
                break
    return top


def _pick_by_kind(
    candidates: list[Entry],
    count: int,
    rng: random.Random,
    trust,
    ok=lambda e: True,
    ranked: dict | None = None,
    quote: bool = True,
) -> list[Entry]:
    """A quotation first when there is one and `quote` allows it (any of the theme's, so
    quotations vary from seed to seed), then a formula or series, then a set phrase or idiom,
    then any kind but a quotation, each drawn from the most used of its kinds that pass `ok`
    (checked on those looked at only). `ranked` keeps the candidates of each kind in that order
    for the next call with the same candidates."""
    picked: list[Entry] = []
    ranked = {} if ranked is None else ranked
    passes = [("formula", "parallel"), ("term", "idiom"), _NOT_QUOTES]
    for kinds in ([("quote",)] if quote else []) + passes:
        if len(picked) >= count:
            break
        taken = set(map(id, picked))
        pool = (e for e in _ranked(candidates, kinds, ranked, trust) if id(e) not in taken)
        top = _first_usable(pool, max(12 if kinds == ("quote",) else 4, count * 3), ok, trust if kinds != ("quote",) else None)
        if not top:
            continue
        if kinds == ("quote",) and rng.random() >= len(top) / 4:
            continue  # a theme with few quotations: not the same one in every draft
        if kinds == ("quote",):
            # a quotation of several themes is offered in sections of each of them: drawn in
            # proportion to 1 / its themes, it stands in no more drafts than one of a single theme
            picked.append(rng.choices(top, weights=[1 / max(1, len(e.themes)) for e in top])[0])
        else:
            picked.append(top[rng.randrange(len(top))])
        if kinds is _NOT_QUOTES:
            while len(picked) < count:
                rest = [e for e in top if all(e is not p for p in picked)]
                if not rest:
                    break
                picked.append(rest[rng.randrange(len(rest))])
    return picked
