"""Stage 3: mine a corpus into a phrasebank.

`analyze(paths, output_dir)` loads the corpus, runs the per-document map step (extract.py; in
worker processes for a large corpus), finds set phrases from corpus statistics (terms.py),
merges everything into entries (reduce), assigns themes, and writes phrases.yaml and frames.yaml
atomically. It never writes custom.yaml, themes.yaml or anything under custom/."""

from __future__ import annotations

import dataclasses
import functools
import logging
import multiprocessing
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from drafter.bank import load_themes, theme_assigner, themes_file
from drafter.canon import Canon, CanonicalEntry, canon_path, load_canon
from drafter.corpus import Skipped, expand_paths, load_corpus
from drafter.document import Document
from drafter.errors import DrafterError
from drafter.fileio import folder_lock
from drafter.genre import FORMULA_NUMERALS
from drafter.mining.canonical import CanonMatcher
from drafter.mining import dedup, store
from drafter.mining.bankfiles import catalog, check_output, write_bank
from drafter.mining.extract import mine_document
from drafter.mining.mined import DocMined
from drafter.mining.sentences import sentence_index
from drafter.examples import SENTENCES_FILE
from drafter.mining.readings import set_phrase_readings
from drafter.mining.segment import WordClasses, lexicon, segment, word_classes
from drafter.mining.terms import TokenStream, find_terms, locate_terms
from drafter.model import BANK_ORDER, KINDS, Entry, Found, Source
from drafter.runtime import few_collections, give_back_memory
from drafter.workers import Stopped, cap_workers, quiet_worker, stop_on_signals, stop_pool, stops_held

log = logging.getLogger(__name__)

MAX_SOURCES = 20
_NO_QUOTES = dict.fromkeys(map(ord, "“”‘’"), None)
PARALLEL_THRESHOLD = 200_000  # characters: below this, worker processes cost more than they save


@dataclass
class AnalysisSummary:
    documents: int
    characters: int
    counts: dict[str, int]
    files: list[str]
    output: str
    years: dict[str, int] = field(default_factory=dict)  # how many documents were dated how (日期, 标题 … 未注明)
    skipped: list[Skipped] = field(default_factory=list)  # files left out, each with why
    workers: int = 1  # worker processes used (never more than the CPU count); with --engine dask, the cluster's workers
    # near-duplicates (the same speech reposted) counted once: how many copies were folded into
    # the document kept, and the copies of each kept document
    folded: int = 0
    copies: dict[str, list[str]] = field(default_factory=dict)
    mined: int = 0  # documents mined in this run (the others' results came from the store)

    def as_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["skipped"] = len(self.skipped)
        data["skipped_files"] = [dataclasses.asdict(s) for s in self.skipped]
        return data


# ---------------------------------------------------------------------------
# map


def _mine_one(
    doc: Document, default_year: int | None = None, canon: CanonMatcher | None = None, themes: dict[str, list[str]] | None = None
) -> DocMined:
    return mine_document(doc, lexicon(), segment, default_year, canon, themes)


def _start_pool(workers: int):
    """Worker processes: they read and clean the corpus files, then mine the documents (loading
    jieba's dictionary when the first document comes). They leave Ctrl-C to the main process,
    die silently when terminated and die with it (workers.py). A stop while they start is acted
    on once they are started: they are stopped and Stopped raised here."""
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with stops_held() as held:
        pool = context.Pool(workers, initializer=quiet_worker)
    if held:  # stopped while the workers were being started
        stop_pool(pool)
        raise Stopped(held[0])
    return pool


class LocalEngine:
    """The map step on this machine: in this process, or in a pool of worker processes.
    An engine (this one, or cluster.DaskEngine) has `map`, `workers` and `close`."""

    local = True  # its workers read the same files as this process

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = _start_pool(workers) if workers > 1 else None

    def map(
        self,
        function: Callable,
        items: list,
        progress: Callable[[int, int], None] | None = None,
        shared: dict | None = None,
        batch: int = 1,
    ) -> list:
        """`function(item, **shared)` for every item, results in the order of `items`;
        `progress(done, total)` as results come in; `batch` items go to a worker at a time."""
        if shared:
            function = functools.partial(function, **shared)
        if self.pool is None or len(items) < 2:
            results = []
            for item in items:
                results.append(function(item))
                if progress:
                    progress(len(results), len(items))
            return results
        results = [None] * len(items)
        tasks = ((function, index, item) for index, item in enumerate(items))
        for done, (index, result) in enumerate(self.pool.imap_unordered(_call_indexed, tasks, chunksize=batch), 1):
            results[index] = result
            if progress:
                progress(done, len(items))
        return results

    def close(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            stop_pool(pool)


def _call_indexed(task: tuple[Callable, int, object]) -> tuple[int, object]:
    function, index, item = task
    return index, function(item)


def _start_engine(files: list[Path], workers: int | None, engine: str, scheduler: str | None):
    if engine == "dask":
        from drafter.mining.cluster import connect

        return connect(scheduler)
    if engine != "local":
        raise DrafterError(f"不支持的运行方式：{engine}。可用：local（本机）、dask（Dask 集群，需给出 --scheduler）。")
    if scheduler:
        raise DrafterError(f"--scheduler {scheduler} 只用于 Dask 集群：请同时给出 --engine dask，或去掉 --scheduler。")
    return LocalEngine(_worker_count(files, workers))


def _map(
    docs: list[Document],
    engine,
    progress: Callable[[int, int], None] | None,
    default_year: int | None = None,
    canon: CanonMatcher | None = None,
    themes: dict[str, list[str]] | None = None,
) -> list[DocMined]:
    """Mine every document with the engine (in this process, worker processes or a cluster);
    with `themes`, find its example sentences too."""
    # big documents first, so the workers finish together
    order = sorted(range(len(docs)), key=lambda i: -len(docs[i].text))
    shared = {"default_year": default_year, "canon": canon, "themes": themes}
    mined = engine.map(_mine_one, [docs[i] for i in order], progress, shared=shared)
    results: list[DocMined] = [None] * len(docs)  # type: ignore[list-item]
    for index, result in zip(order, mined):
        results[index] = result
    return results


# ---------------------------------------------------------------------------
# reduce


def _only_weak(founds: Iterable[Found]) -> bool:
    """Every find is form-only evidence (an unquoted 四个X), none quoted."""
    return all(f.weak for f in founds)


def _keep_weak(kind: str, founds: list[Found], docs: int, strong_texts: set[str], classes: WordClasses = WordClasses()) -> bool:
    """Form-only evidence (an unquoted 四个X) needs the corpus to confirm it."""
    if not _only_weak(founds):
        return True
    text = founds[0].text
    if kind == "formula":
        if any(text != s and text in s and "、" not in s for s in strong_texts):
            return False  # 三个区分 inside “三个区分开来” (but 两个基本点 is an item of 一个中心、两个基本点)
        # a short count of one word (两个孩子, 两个目标) is as often a plain count as a formula:
        # it needs more documents than a count of a longer phrase (三大历史任务, 两个积极性)
        return docs >= 3 or (docs >= 2 or len(founds) >= 3) and len(text) >= 5
    if kind == "idiom" and len(text) == 4:
        if not any(f.quoted for f in founds):
            return len(founds) >= 2  # a rare dictionary idiom (清正廉洁) that recurs
        return _coined_idiom_kept(text, docs, classes)
    return True


def _coined_idiom_kept(text: str, docs: int, classes: WordClasses) -> bool:
    """A quoted four-character expression that jieba's dictionary does not hold as an idiom
    (“大水漫灌”, “击鼓传花”) is kept when several documents quote it, when the dictionary
    knows it as a word of another tag (烫手山芋, 柳暗花明) or when it has an idiom's form
    (又富又美); a one-off coinage of one speech (“惊天伟举”, “折扇之谏”) is not a stock phrase."""
    return docs >= 2 or text in classes.known_four or _idiom_form(text)


def _choose_counted_phrases(groups: dict[tuple[str, str], list[tuple[str, Found]]]) -> None:
    """An unquoted numeral and measure was mined with one, two and three of the words after it
    (四项基本 / 四项基本原则 / …), all marked with the same place. Read across the corpus, these
    form a tree: keep a length where most places that reach it stop there (四个意识, and not
    四项基本, which always goes on as 四项基本原则), and where most places that reach the
    shortest length go on to it (四项基本原则, but not 两个基本点统一). Drop the unquoted
    lengths that fail; quoted formulas are never dropped."""
    chains: dict[tuple, list[str]] = defaultdict(list)
    for (kind, text), items in groups.items():
        if kind == "formula":
            for source, found in items:
                if found.chain is not None:
                    chains[(source, found.line, found.chain)].append(text)
    reached: Counter = Counter()
    stopped: Counter = Counter()
    stems: dict[str, Counter] = defaultdict(Counter)  # the shortest length at the same places
    for texts in chains.values():
        texts.sort(key=len)
        reached.update(texts)
        stopped[texts[-1]] += 1
        for longer in texts[1:]:
            stems[longer][texts[0]] += 1
    for text, count in reached.items():
        if not _only_weak(f for _, f in groups[("formula", text)]):
            continue
        stem = stems[text].most_common(1)[0][0] if stems[text] else None
        goes_on = stopped[text] < 0.5 * count
        branch = stem is not None and count < 0.5 * reached[stem]
        if goes_on or branch:
            del groups[("formula", text)]


_NUMERAL = re.compile(f"[{FORMULA_NUMERALS}]")
_NUMERAL_IDIOM = re.compile(f"^[{FORMULA_NUMERALS}].[{FORMULA_NUMERALS}].$")  # 五湖四海, 千篇一律, 一国两制


def _idiom_form(word: str) -> bool:
    a, b, c, d = word
    return (a == b and c == d) or a == c or b == d


QUOTED_SHARE = 0.5  # at least half of its occurrences in quotation marks: a slogan


def _choose_quoted_terms(groups: dict[tuple[str, str], list[tuple[str, Found]]]) -> None:
    """A quoted expression is a set phrase when several documents quote it and they mostly use
    it in quotes (“放管服”, “走出去”; not “和平”). Where statistics found the term as well, its
    counts stand and the quoted finds go."""
    for key in [k for k in groups if k[0] == "term"]:
        items = groups[key]
        quoted = [(source, f) for source, f in items if f.quoted]
        if not quoted:
            continue
        if len(quoted) < len(items):
            groups[key] = [(source, f) for source, f in items if not f.quoted]
            continue
        occurrences = {source: f.in_document for source, f in quoted}
        if len(occurrences) < 2 or len(quoted) < QUOTED_SHARE * sum(occurrences.values()):
            del groups[key]
            continue
        for _, found in quoted:
            found.total, found.total_docs = sum(occurrences.values()), len(occurrences)


def _choose_no_connectives(groups: dict[tuple[str, str], list[tuple[str, Found]]]) -> None:
    """A word that links sentences (也就是说, 总的说来) is no entry of any kind, though the
    statistics find it as a set phrase."""
    connectives = set_phrase_readings()["connectives"]
    for key in [k for k in groups if k[1] in connectives]:
        del groups[key]


def _kind(found: Found, classes: WordClasses) -> str | None:
    """The kind an entry is filed under, or None to drop it. jieba's "set phrases" built as
    a modifier and a noun (高等教育, 固定资产) are terms, not idioms; a quoted four-character
    dictionary word that is no idiom (“马来西亚”) is no idiom either."""
    if found.kind == "idiom" and not found.canonical:
        return _idiom_kind(found, classes)
    if found.kind == "term" and found.quoted and found.text in classes.everyday_two:
        return None  # “减法”, “乘法”: an everyday word quoted for emphasis
    if found.kind == "formula" and not found.canonical and found.text in classes.numeral_nouns:
        return "term"  # “一把手”, “双刃剑”, “两张皮”: a numeral in the name of a thing, no summary of a policy
    if found.kind == "formula" and found.weak and not found.canonical and _NUMERAL_IDIOM.match(found.text) and found.text in classes.known_four:
        return "idiom"  # 五湖四海, 千篇一律 unquoted; a quoted “一国两制” stays a formula
    return found.kind


def _idiom_kind(found: Found, classes: WordClasses) -> str | None:
    text = found.text
    readings = set_phrase_readings()
    if text in classes.compounds or text in readings["terms"]:
        return "term"
    if text in readings["connectives"] or text in readings["verb_objects"]:
        return None  # 也就是说, 尽管如此: a word that links sentences; 发生变化, 强化食品: no idiom
    if text in classes.plain_phrases:
        return None  # 不久以后: a time word, no idiom
    if found.weak:
        if text in classes.plain_four:
            return None
        if _NUMERAL.search(text) and text not in classes.known_four:
            # “三权分置”, “四下基层”: a numeral-led summary; “天问一号”: a name
            return "formula" if text[0] in FORMULA_NUMERALS else None
        if text[2:] in classes.nouns and text[:2] in classes.nouns:
            return None  # “僵尸企业”, “形象工程”: a compound noun (the quoted-term finder has it)
    return "idiom"


def reduce_entries(
    mined: list[DocMined],
    terms: list[tuple[str, Found]],
    themes: dict[str, list[str]],
    classes: WordClasses = WordClasses(),
    canon: Canon | None = None,
) -> list[Entry]:
    """Every find of every document, grouped by kind and text, into entries with their sources.
    The canon's formulations are entries whenever they occur, of the canon's kind and themes;
    their truncations (以习近平同志为核心 without 的党中央) never are."""
    canon = canon or Canon([], [])
    by_source = {m.source: m for m in mined}
    rank = {m.source: (-(m.year or 0), i) for i, m in enumerate(mined)}  # newest first, then in corpus order
    groups = _group(mined, terms, classes)
    _choose_counted_phrases(groups)
    _choose_quoted_terms(groups)
    _choose_no_connectives(groups)
    strong_formulas = {
        text for (kind, text), items in groups.items() if kind == "formula" and not _only_weak(f for _, f in items)
    }
    best_kind = _best_kinds(groups, canon)
    assign_themes = theme_assigner(themes)
    entries: list[Entry] = []
    for (kind, text), items in groups.items():
        if best_kind[text] != kind or canon.is_truncation(text):
            continue
        founds = [f for _, f in items]
        canonical = canon.canonical_entry(text)
        if not canonical and not _keep_weak(kind, founds, len({source for source, _ in items}), strong_formulas, classes):
            continue
        # newest documents first, so that the sources kept (MAX_SOURCES) include the current ones
        items.sort(key=lambda item: (rank[item[0]], item[1].line))
        entries.append(_entry(kind, text, items, by_source, assign_themes, canonical))
    entries.sort(key=lambda e: (KINDS[e.kind].bank_rank, -e.docs, -e.count, e.text))
    return entries


def _entry(
    kind: str,
    text: str,
    items: list[tuple[str, Found]],
    by_source: dict[str, DocMined],
    assign_themes: Callable[[str, list[str], str], list[str]],
    canonical: CanonicalEntry | None,
) -> Entry:
    founds = [f for _, f in items]
    count, docs = _count(items)
    years = _years([by_source[source].year for source, _ in items] + [y for f in founds if f.years for y in f.years])
    entry = Entry(
        text=text,
        kind=kind,
        themes=[],
        count=count,
        docs=docs,
        sources=_sources(items, by_source),
        first_year=years[0] if years else None,
        last_year=years[1] if years else None,
        canonical=canonical is not None,
    )
    _merge_kind_fields(entry, founds)
    entry.themes = assign_themes(text, [s.context for s in entry.sources], kind)
    if canonical:
        entry.themes += [t for t in canonical.themes if t not in entry.themes]
    return entry


def _best_kinds(groups: dict[tuple[str, str], list[tuple[str, Found]]], canon: Canon) -> dict[str, str]:
    """The kind each text is filed under: the canon's, else the more specific of those mined."""
    best: dict[str, str] = {}
    for kind, text in groups:
        if text not in best or KINDS[kind].merge_rank < KINDS[best[text]].merge_rank:
            best[text] = kind
    for text in best:
        entry = canon.canonical_entry(text)
        if entry is not None and (entry.kind, text) in groups:
            best[text] = entry.kind
    return best


def _count(items: list[tuple[str, Found]]) -> tuple[int, int]:
    """Occurrences and documents. The canon's finds see every occurrence of a formulation; set
    phrases were located by position and counted in full there; else each find is one."""
    canonical = [(source, f) for source, f in items if f.canonical]
    if canonical:
        return len(canonical), len({source for source, _ in canonical})
    first = items[0][1]
    if first.total is not None:
        return first.total, first.total_docs or 0
    return len(items), len({source for source, _ in items})


def _group(
    mined: list[DocMined], terms: list[tuple[str, Found]], classes: WordClasses
) -> dict[tuple[str, str], list[tuple[str, Found]]]:
    """Every find under (kind, text), with the document it came from."""
    groups: dict[tuple[str, str], list[tuple[str, Found]]] = defaultdict(list)
    kinds: dict[tuple, str | None] = {}  # what _kind reads of a find: the same text recurs in many documents
    for doc in mined:
        for found in doc.found:
            read = (found.kind, found.text, found.canonical, found.quoted, found.weak)
            kind = kinds[read] if read in kinds else kinds.setdefault(read, _kind(found, classes))
            if kind:
                found.kind = kind
                groups[(kind, found.text)].append((doc.source, found))
    for source, found in terms:
        groups[("term", found.text)].append((source, found))
    return groups


def _years(years: Iterable[int | None]) -> tuple[int, int] | None:
    known = [year for year in years if year]
    return (min(known), max(known)) if known else None


def _sources(items: list[tuple[str, Found]], by_source: dict[str, DocMined]) -> list[Source]:
    """The first MAX_SOURCES distinct places of `items` (in their order: newest documents first)."""
    seen_places: set[tuple[str, int]] = set()
    sources: list[Source] = []
    for source, found in items:
        if (source, found.line) in seen_places:
            continue
        if len(sources) >= MAX_SOURCES:
            break  # a common phrase has thousands of finds: the rest are not read
        seen_places.add((source, found.line))
        doc = by_source[source]
        sources.append(Source(source, found.line, found.context, doc.year, doc.title))
    return sources


def _merge_kind_fields(entry: Entry, founds: list[Found]) -> None:
    if entry.kind == "frame":
        for found in founds:
            for fill, example in zip(found.fills or [], found.examples or []):
                if fill not in entry.fills:
                    entry.fills.append(fill)
                    entry.examples.append(example)
    elif entry.kind == "parallel":  # the canon's series come without items: split them
        entry.items = next((f.items for f in founds if f.items), None) or re.split("[、，；]", entry.text.translate(_NO_QUOTES))
    elif entry.kind == "quote":
        sayers = Counter(f.attribution for f in founds if f.attribution)  # the canon's finds name no sayer
        entry.attribution = sayers.most_common(1)[0][0] if sayers else None
    elif entry.kind == "move":
        entry.role = Counter(f.role for f in founds).most_common(1)[0][0]
        occasions = sorted({f.occasion for f in founds if f.occasion})
        entry.occasion = occasions[0] if len(occasions) == 1 else None


# ---------------------------------------------------------------------------


# In a large corpus, a set phrase found by statistics recurs at least this often per million
# characters (and at least 6 times in all: up to 1.75 million characters, as in the 88 reports of
# ../shared/corpora). A fixed count lets ever more word pairs through as a library grows: the
# terms, and the time and memory spent on them, grew faster than the corpus (16 times the text
# gave 31 times the time in find_terms and 39 times in locate_terms).
MIN_COUNT_PER_MILLION = 4


def term_thresholds(documents: int, characters: int) -> dict:
    """A handful of speeches: a phrase seen twice in two speeches counts; a large corpus must
    show more, or every frequent word pair would pass."""
    if documents < 20 and characters < 300_000:
        return {"min_count": 2, "min_docs": min(2, documents), "min_pmi": 3.0, "min_entropy": 0.6}
    min_count = max(6, characters * MIN_COUNT_PER_MILLION // 1_000_000)
    return {"min_count": min_count, "min_docs": 4, "min_pmi": 4.0, "min_entropy": 1.8}


def analyze(
    paths: Iterable[str | os.PathLike],
    output_dir: str | os.PathLike,
    workers: int | None = None,
    themes_path: str | os.PathLike | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    default_year: int | None = None,
    strict: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    cache: bool = True,
) -> AnalysisSummary:
    """Mine `paths` (files, folders, JSONL) into a phrasebank in `output_dir`. `default_year`
    dates the documents that carry no date, year field, or year in their title or file name.
    The per-document map step runs in `workers` processes here (`engine` "local") or on the
    Dask cluster whose scheduler is at `scheduler` (`engine` "dask", drafter.mining.cluster);
    the reduce and the files stay here. With `cache` False, the store of map results
    (drafter.mining.store) is neither read nor written.

    A file that cannot be read is left out and listed in the summary's `skipped` (with
    `strict`, it stops the run). The bank folder is locked for the whole run (a second
    analysis of it is refused), and its files are written as one unit: killed at any moment,
    the run leaves the old bank or the new one, never a mix. SIGTERM and SIGHUP stop it like
    Ctrl-C (KeyboardInterrupt), the old bank untouched."""
    output = Path(output_dir)
    check_output(output)
    skipped: list[Skipped] | None = None if strict else []
    files = expand_paths(list(paths), skipped)
    with stop_on_signals(), few_collections():
        created = not output.exists()
        output.mkdir(exist_ok=True)
        try:
            with folder_lock(output):
                start = functools.partial(_start_engine, workers=workers, engine=engine, scheduler=scheduler)
                return _analyze_locked(files, output, start, themes_path, progress, default_year, skipped, cache)
        except BaseException:
            if created:  # a failed or stopped first run leaves no empty bank folder behind
                try:
                    output.rmdir()
                except OSError:
                    pass
            raise


def _analyze_locked(files, output, start_engine, themes_path, progress, default_year, skipped, cache=True) -> AnalysisSummary:
    themes = load_themes(themes_file(output, themes_path))
    canon = load_canon(canon_path(output))
    salt = store.salt([themes_file(output, themes_path), canon_path(output)], options=(default_year,))
    # a re-run with a few new files mines them in this process (worker processes would cost more)
    engine = start_engine(store.not_stored(files, salt) if cache else files)
    try:
        # the corpus in one order however the files were named: the reduce breaks ties by
        # corpus order (sources of one year, the first fills of a frame, the commoner sayer)
        docs = load_corpus(sorted(files), skipped=skipped, salt=salt if cache else None, map_files=engine.map if engine.local else None)
        give_back_memory()  # what reading the files took in passing
        if not docs:
            why = f"（{len(skipped)} 个文件无法读取，见上面的说明）" if skipped else ""
            raise DrafterError(f"没有找到可分析的文档{why}。请给出讲话稿文件、文件夹或 JSONL 文件。")
        kept, copies = _fold_copies(docs, salt, engine, cache)
        give_back_memory()
        matcher = CanonMatcher(canon)
        mined_now: list[int] = []

        def mine(todo: list[Document]) -> list[DocMined]:
            mined_now.append(len(todo))
            stored = len(kept) - len(todo)  # results taken from the store count as done
            report = (lambda done, _: progress("分析", stored + done, len(kept))) if progress else None
            return _map(todo, engine, report, default_year, matcher, themes)

        mined = _cached_map(kept, mine, salt, cache)
        engine.close()  # the last map: the worker processes' memory goes before the reduce's peak
        if progress and not sum(mined_now):  # every result came from the store
            progress("分析", len(kept), len(kept))
        # from here on only the mined results are read: the documents' text goes (a corpus's worth)
        documents, characters = len(docs), sum(map(_length, docs))
        kept_characters = sum(map(_length, kept))
        del docs
        kept = [Document(d.source, [], []) for d in kept]
        give_back_memory()
        entries, written = _merge_and_write(output, mined, kept, kept_characters, copies, themes, canon, progress)
    finally:
        engine.close()
    counts = Counter(e.kind for e in entries)
    return AnalysisSummary(
        documents=documents,
        characters=characters,
        counts={k: counts.get(k, 0) for k in BANK_ORDER},
        files=written,
        output=str(output),
        years=dict(sorted(Counter(m.dated_by or "未注明" for m in mined).items())),
        skipped=list(skipped or []),
        workers=engine.workers,
        folded=documents - len(kept),
        copies=copies,
        mined=sum(mined_now),
    )


def _length(doc: Document) -> int:
    """Characters of a document's text (its lines and the line breaks between them)."""
    return sum(map(len, doc.lines)) + max(len(doc.lines) - 1, 0)


def _worker_count(files: list[Path], workers: int | None) -> int:
    """Two processes for a large corpus, one for a small one; never more than the CPU count.
    `files`: those to be read and mined (a re-run with a few new files mines them in this
    process: starting worker processes would cost more than it saves)."""
    if workers is None:  # about three bytes a character in UTF-8
        size = sum(f.stat().st_size for f in files)
        workers = min(2, os.cpu_count() or 1) if size >= 3 * PARALLEL_THRESHOLD else 1
    return cap_workers(workers)


def _merge_and_write(output, mined, kept, kept_characters, copies, themes, canon, progress) -> tuple[list[Entry], list[str]]:
    """The reduce step over the mined documents, and the bank written as one unit. `kept`: the
    documents (their names: their text is no longer needed), `kept_characters` their length."""

    def merging(done: int) -> None:
        if progress:
            progress("汇总", done, 3)

    merging(0)
    theme_words = frozenset(w for words in themes.values() for w in words if len(w) >= 2)
    classes = word_classes()
    stream = TokenStream(mined, release=True)  # the documents' token lists go as their ids come in
    give_back_memory()
    thresholds = term_thresholds(len(mined), kept_characters)
    term_stats = find_terms(mined, theme_words=theme_words, classes=classes, stream=stream, **thresholds)
    merging(1)
    located = locate_terms(mined, term_stats, MAX_SOURCES, stream)
    del stream, term_stats
    give_back_memory()
    entries = reduce_entries(mined, located, themes, classes, canon)
    del located
    found_sentences = [m.sentences for m in mined]
    for m in mined:  # from here on only their names, titles and years are read
        m.release()
    merging(2)
    index = sentence_index(kept, {m.source: (m.year, m.title) for m in mined}, themes, found_sentences)
    written = write_bank(output, entries, len(mined), catalog(mined, copies), {SENTENCES_FILE: index})
    merging(3)
    return entries, written


def _fold_copies(docs: list[Document], salt: bytes, engine, cache: bool = True) -> tuple[list[Document], dict[str, list[str]]]:
    """The documents without the near-duplicate copies of another (drafter.mining.dedup), and
    the copies of each kept one. Signatures are computed by the engine (worker processes, a
    cluster), and kept in the store like map results."""

    def sign(todo: list[Document]) -> list[dedup.Signature]:
        # the documents go to the engine, and each text is joined there: not a corpus's worth here
        return engine.map(_signature, todo, batch=max(1, len(todo) // 32))

    verdicts = store.KeyedStore(salt + b"\nsame speech") if cache else None
    return dedup.fold(docs, _cached_map(docs, sign, salt + b"\nsignature", cache), verdicts=verdicts)


def _signature(doc: Document) -> dedup.Signature:
    return dedup.signature(doc.text)


def _cached_map(docs: list[Document], mine: Callable[[list[Document]], list], salt: bytes, cache: bool) -> list:
    """`mine(docs)` through the store of map results, or without it (`analyze --no-cache`)."""
    return store.cached_map(docs, mine, salt) if cache else mine(list(docs))
