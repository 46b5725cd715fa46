"""The phrasebank: load the YAML a person can read and edit, merge the user's custom.yaml, look up.

A bank folder holds phrases.yaml and frames.yaml (written by `drafter analyze`), themes.yaml
(the hand-kept theme lexicon) and custom.yaml (the user's own entries, same shape; an entry with
`hide: true` hides the mined entry with the same text). Nothing here imports jieba: look-ups and
drafting never segment text."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from drafter.canon import Canon, ExpiredEntry, canon_path, load_canon
from drafter.errors import DrafterError
from drafter.fileio import GENERATED_YAML_BYTES, MANIFEST_FILE, MAX_YAML_BYTES, cached_for_file, file_set_paths, load_yaml_cached
from drafter.model import KINDS, Entry, Source, kinds_help
from drafter.schema import ANY_KEYS, THEMES_SCHEMA
from drafter.resources import builtin_dir

PHRASES_FILE = "phrases.yaml"
FRAMES_FILE = "frames.yaml"
CUSTOM_FILE = "custom.yaml"
THEMES_FILE = "themes.yaml"
CUSTOM_DIR = "custom"


def _bank_file_schema() -> dict:
    """The keys a bank file and its entries may have (custom.yaml has the same shape): what
    Entry.from_dict reads, derived from the model so that a new field needs no second list."""
    entry = {f.name: None for f in dataclasses.fields(Entry)}
    for kind in KINDS.values():
        entry.update(dict.fromkeys(kind.fields))
    for internal in ("custom", "first_year", "last_year"):
        entry.pop(internal, None)
    entry.update({"years": None, "hide": None, "sources": [{f.name: None for f in dataclasses.fields(Source)}]})
    return {"version": None, "documents": None, "catalog": ANY_KEYS, "entries": [entry]}


BANK_FILE_SCHEMA = _bank_file_schema()


@dataclass
class PhraseBank:
    directory: Path
    entries: list[Entry]
    documents: int = 0
    themes: dict[str, list[str]] = field(default_factory=dict)  # the theme lexicon the bank goes with
    year: int | None = None  # a speech's year: entries holding an expression expired by then are left out
    stale: dict[int, bool] = field(default_factory=dict, repr=False, compare=False)  # id(entry) -> expired

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind and self.fresh(e)]

    def fresh(self, entry: Entry) -> bool:
        """Nothing in the entry expired before the speech's year (checked once per entry, on demand:
        a draft looks at a small part of a large bank)."""
        if self.year is None:
            return True
        key = id(entry)
        if key not in self.stale:
            self.stale[key] = bool(self.expired(entry, self.year))
        return not self.stale[key]

    @functools.cached_property
    def canon(self) -> Canon:
        """The canon that goes with the bank: its own canon.yaml, else the built-in one."""
        return load_canon(canon_path(self.directory))

    def expired(self, entry: Entry, year: int) -> list[ExpiredEntry]:
        """The canon's expressions in the entry (or the headings a frame came from) that are no
        longer current in `year`."""
        return self.canon.expired_in(" ".join([entry.text, *entry.examples]), year)

    def for_speech(self, year: int, since: int) -> PhraseBank:
        """The bank as a speech of `year` may use it: without the entries last seen before `since`
        (Entry.is_current) and, looked at through `fresh`, those that speak in expired terms."""
        return dataclasses.replace(self, entries=[e for e in self.entries if e.is_current(since)], year=year, stale={})


def default_bank_dir() -> Path:
    """DRAFTER_BANK if set, else the built-in phrasebank."""
    env = os.environ.get("DRAFTER_BANK")
    return Path(env) if env else builtin_dir("phrasebank")


def load_bank(directory: str | os.PathLike | None = None) -> PhraseBank:
    """The bank in `directory` (default: DRAFTER_BANK or the built-in bank): the generated
    files, then the user's custom entries over them."""
    folder = Path(directory) if directory else default_bank_dir()
    _check_bank_folder(folder)
    # the generated pair from one run (manifest.json), or an error naming the file that is not
    paths = file_set_paths(folder, [PHRASES_FILE, FRAMES_FILE])
    generated = [paths[PHRASES_FILE], paths[FRAMES_FILE]]
    custom_files = [folder / CUSTOM_FILE] + sorted((folder / CUSTOM_DIR).glob("*.yaml"))
    entries: list[Entry] = []
    documents = 0
    for path in generated:
        if path.exists():
            count, mined = _generated_entries(path)
            documents = max(documents, count)
            entries.extend(mined)
    themes = load_themes(themes_file(folder))
    custom: list[Entry] = []
    hidden: set[tuple[str, str | None]] = set()
    for path in custom_files:
        if path.exists():
            custom.extend(_custom_entries(path, themes, hidden))
    if hidden:
        entries = [e for e in entries if (e.text, None) not in hidden and (e.text, e.kind) not in hidden]
    custom_keys = {(e.text, e.kind) for e in custom}
    entries = custom + [e for e in entries if (e.text, e.kind) not in custom_keys]
    return PhraseBank(directory=folder, entries=entries, documents=documents, themes=themes)


def _generated_entries(path: Path) -> tuple[int, list[Entry]]:
    """The documents count and the checked, dated entries of a generated bank file; what the
    checks give is cached with the file's size and time, so a look-up rebuilds the entries
    without checking them again."""

    def compute() -> tuple[int, list[tuple]]:
        data = _read_bank_file(path)
        entries = _dated(_entries(data, path, custom=False), data.get("catalog"), path)
        return int(data.get("documents") or 0), [e.to_row() for e in entries]

    documents, rows = cached_for_file(path, f"bank-entries-{ENTRY_CACHE_VERSION}", compute)
    return documents, list(map(Entry.from_row, rows))


ENTRY_CACHE_VERSION = 7  # raise when Entry.to_row changes (7: in_speeches knows 关于…的决议 and (十八大) as no speech)


def _dated(entries: list[Entry], catalog: Any, path: Path) -> list[Entry]:
    """Each source gets its document's year and title from the file's catalog."""
    if catalog is None:
        return entries
    if not isinstance(catalog, dict):
        raise DrafterError(f"词库文件 {path} 中 catalog 应是“文档: {{title: …, year: …}}”的映射。请重新运行 drafter analyze 生成。")
    for entry in entries:
        for source in entry.sources:
            about = catalog.get(source.doc)
            if isinstance(about, dict):
                year = about.get("year")
                source.year = year if isinstance(year, int) and not isinstance(year, bool) else None
                source.title = about.get("title") if isinstance(about.get("title"), str) else None
    return entries


def _check_bank_folder(folder: Path) -> None:
    """A bank folder holds at least phrases.yaml: a folder without it is no bank (it used to
    load as an empty one, and every look-up then found nothing without a word)."""
    if not folder.is_dir():
        raise DrafterError(f"找不到词库文件夹：{folder}。请用 drafter analyze 讲话稿文件夹 -o {folder} 生成词库。")
    # with a manifest, file_set_paths finds a staged copy or names the file that is missing
    if not (folder / PHRASES_FILE).is_file() and not (folder / MANIFEST_FILE).is_file():
        raise DrafterError(
            f"词库文件夹 {folder} 中没有 {PHRASES_FILE}，不是一个词库。"
            f"请先运行 drafter analyze 讲话稿文件夹 -o {folder} 生成词库，或在 --bank 后给出正确的词库文件夹。"
        )


def _custom_entries(path: Path, themes: dict[str, list[str]], hidden: set[tuple[str, str | None]]) -> list[Entry]:
    """The user's entries of one custom file; what it hides goes into `hidden`."""
    data = _read_bank_file(path)
    for index, raw in enumerate(data.get("entries") or [], 1):
        if isinstance(raw, dict) and raw.get("hide"):
            if not isinstance(raw.get("text"), str):
                raise DrafterError(f"{path}：第 {index} 个条目有 hide 但缺少 text。请写明要隐藏的词句。")
            hidden.add((raw["text"], raw.get("kind")))
    lines = cached_for_file(path, "entry-lines", lambda: _entry_lines(path))  # a second parse, for places
    entries = _entries(data, path, custom=True)
    for index, entry in enumerate(entries):
        if not entry.sources and index < len(lines):
            # the user's own phrase: its place is its line in custom.yaml
            entry.sources = [Source(str(path), lines[index])]
        if not entry.themes and themes:
            entry.themes = assign_themes(entry.text, entry.examples + [s.context for s in entry.sources], themes, entry.kind)
    return entries


def _entry_lines(path: Path) -> list[int]:
    """The 1-based line of each non-hidden entry in a bank file, in order."""
    import yaml

    try:
        node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    lines = []
    for key, value in node.value:
        if getattr(key, "value", None) == "entries" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                hidden = isinstance(item, yaml.MappingNode) and any(
                    k.value == "hide" and getattr(v, "value", "") in ("true", "True", "yes") for k, v in item.value
                )
                if not hidden:
                    lines.append(item.start_mark.line + 1)
    return lines


def _read_bank_file(path: Path) -> dict:
    generated = path.name.lstrip(".").startswith((PHRASES_FILE, FRAMES_FILE))
    limit = GENERATED_YAML_BYTES if generated else MAX_YAML_BYTES
    data = load_yaml_cached(path, "词库文件", schema=BANK_FILE_SCHEMA, limit=limit)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DrafterError(f"词库文件 {path} 的格式不对：顶层应是含 entries: 列表的映射。请参照 custom.yaml 中的示例。")
    if "entries" in data and data["entries"] is not None and not isinstance(data["entries"], list):
        raise DrafterError(f"词库文件 {path} 中 entries 应是一个列表（每项以“- text:”开头）。")
    return data


def _entries(data: dict, path: Path, custom: bool) -> list[Entry]:
    return [
        Entry.from_dict(raw, f"词库文件 {path} 第 {index} 个条目", custom)
        for index, raw in enumerate(data.get("entries") or [], 1)
        if not (isinstance(raw, dict) and raw.get("hide"))
    ]


# ---------------------------------------------------------------------------
# themes


def themes_file(bank_dir: str | os.PathLike | None = None, given: str | os.PathLike | None = None) -> Path:
    """The theme lexicon to use, in one documented order: the file given explicitly, else the
    bank folder's own themes.yaml, else the built-in one."""
    if given:
        return Path(given)
    if bank_dir is not None and (Path(bank_dir) / THEMES_FILE).is_file():
        return Path(bank_dir) / THEMES_FILE
    return builtin_dir("phrasebank") / THEMES_FILE


class Themes(dict):
    """The theme lexicon: {主题名: [关键词, …]}, and the `exceptions`: phrases that hold a theme's
    word but do not speak of its theme (强权政治 holds 政治, 服务业 holds 服务): inside one of
    them, the word does not count. A plain dict serves as a lexicon without exceptions.

    `policy_words` name a field of government policy (粮食, 房地产, 教育强国 …) and
    `policy_themes` the themes whose sections a report's sentence on such a field may serve as an
    example for (改革发展): a work report's 落实地方政府主体责任，促进房地产市场平稳健康发展 is no
    example for 压实主体责任 in a 廉政谈话 (choosing.choose_examples)."""

    exceptions: tuple[str, ...] = ()
    policy_words: tuple[str, ...] = ()
    policy_themes: tuple[str, ...] = ()


def load_themes(path: str | os.PathLike) -> Themes:
    """themes.yaml: `themes: {主题名: [关键词, …]}` and, optionally, `exceptions: [说法, …]`,
    `policy_words: [词, …]` and `policy_themes: [主题名, …]`."""
    path = Path(path)
    data = load_yaml_cached(path, "主题词表", schema=THEMES_SCHEMA)
    themes = data.get("themes") if isinstance(data, dict) else None
    if not isinstance(themes, dict):
        raise DrafterError(f"主题词表 {path} 的格式不对：应为 themes: 下列出“主题名: [关键词, …]”。")
    result = Themes()
    for name, words in themes.items():
        if not isinstance(words, list) or not all(isinstance(w, (str, int)) for w in words):
            raise DrafterError(f"主题词表 {path} 中主题“{name}”的关键词应是一个列表，如 [廉洁, 清廉]。")
        result[str(name)] = [str(w) for w in words if str(w)]
    result.exceptions = _word_list(data, "exceptions", path, "[强权政治, 服务业]")
    result.policy_words = _word_list(data, "policy_words", path, "[粮食, 房地产]")
    result.policy_themes = _word_list(data, "policy_themes", path, "[改革发展]")
    unknown = [name for name in result.policy_themes if name not in result]
    if unknown:
        raise DrafterError(f"主题词表 {path} 的 policy_themes 中的“{'”“'.join(unknown)}”不是 themes 下的主题。可用的主题：{'、'.join(result)}。")
    return result


def _word_list(data: dict, key: str, path: Path, example: str) -> tuple[str, ...]:
    words = data.get(key) or []
    if not isinstance(words, list) or not all(isinstance(w, (str, int)) for w in words):
        raise DrafterError(f"主题词表 {path} 中 {key} 应是一个列表，如 {example}。")
    return tuple(str(w) for w in words if str(w))


Matcher = Callable[[str], bool]


def assign_themes(text: str, contexts: list[str], themes: dict[str, list[str]], kind: str) -> list[str]:
    """Themes whose words occur in the entry; for short entries with none, the themes the
    entry's contexts mostly speak of."""
    return theme_assigner(themes)(text, contexts, kind)


def theme_assigner(themes: dict[str, list[str]]) -> Callable[[str, list[str], str], list[str]]:
    """assign_themes with the lexicon's matchers looked up once (a look-up reads the whole
    lexicon: the analysis assigns themes to every entry and every example sentence)."""
    return functools.partial(_assign_themes, _theme_matchers(*_lexicon_key(themes)))


def _assign_themes(matchers: list[tuple[str, ThemeWords]], text: str, contexts: list[str], kind: str) -> list[str]:
    found = [name for name, words in matchers if words(text)]
    if found or kind in ("quote", "move") or not contexts:
        return found
    need = max(1, (len(contexts) + 1) // 2)
    if any("\n" in context for context in contexts):
        return [name for name, words in matchers if sum(map(bool, map(words, contexts))) >= need][:2]
    # the contexts as one text, one line each: a regex pass per theme instead of one per context
    joined = "\n".join(contexts)
    starts = list(itertools.accumulate((len(c) + 1 for c in contexts[:-1]), initial=0))
    return [name for name, words in matchers if words.texts_holding(joined, starts) >= need][:2]


class ThemeWords:
    """Whether a text holds one of a theme's words (its name included) outside the lexicon's
    exceptions: called on a text, a bool. One alternation of the words, so a look-up is one regex
    search. Where an exception holds one of the theme's words, the exceptions are matched first
    and skipped: the words count only outside them (强权政治 holds 政治)."""

    def __init__(self, words: list[str], exceptions: list[str]):
        self.words = re.compile("|".join(map(re.escape, words)))
        # exceptions, else a word in group 1; None where no exception holds a word
        self.walk = re.compile("(?:" + "|".join(map(re.escape, exceptions)) + ")|(" + self.words.pattern + ")") if exceptions else None

    def __call__(self, text: str) -> bool:
        # most texts hold none of the words: one search settles those, before the walk
        return self.words.search(text) is not None and (self.walk is None or any(m.lastindex for m in self.walk.finditer(text)))

    def texts_holding(self, joined: str, starts: list[int]) -> int:
        """How many of the texts that `joined` holds, one a line (each starting at `starts`),
        hold a word. No word or exception holds a line break, so a match stays in its line and
        the walk goes through each line as through the text alone."""
        if self.words.search(joined) is None:
            return 0
        if self.walk is None:
            return len({bisect.bisect_right(starts, m.start()) for m in self.words.finditer(joined)})
        return len({bisect.bisect_right(starts, m.start()) for m in self.walk.finditer(joined) if m.lastindex})


def theme_matcher(themes: dict[str, list[str]], theme: str) -> Matcher | None:
    """Whether a text holds one of `theme`'s words (its name included; not inside one of the
    lexicon's exceptions); None for a theme the lexicon does not hold."""
    return dict(_theme_matchers(*_lexicon_key(themes))).get(theme)


def policy_matcher(themes: dict[str, list[str]], section: str | None = None) -> Matcher | None:
    """Whether a text names a field of government policy (the lexicon's `policy_words`), one
    that a section of theme `section` does not take; None for a lexicon that lists none, or for
    a section of one of its `policy_themes`."""
    words = getattr(themes, "policy_words", ())
    if not words or section in getattr(themes, "policy_themes", ()):
        return None
    return _words_matcher(tuple(words))


@functools.lru_cache(maxsize=8)
def _words_matcher(words: tuple[str, ...]) -> Matcher:
    return re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))).search


def _lexicon_key(themes: dict[str, list[str]]) -> tuple[tuple, tuple[str, ...]]:
    return tuple((name, tuple(words)) for name, words in themes.items()), tuple(getattr(themes, "exceptions", ()))


@functools.lru_cache(maxsize=8)
def _theme_matchers(themes: tuple[tuple[str, tuple[str, ...]], ...], exceptions: tuple[str, ...] = ()) -> list[tuple[str, ThemeWords]]:
    """Each theme's words, longest first, and the exceptions that hold one of them."""
    matchers = []
    for name, words in themes:
        keys = sorted({name, *words}, key=len, reverse=True)
        around = sorted({e for e in exceptions if any(k in e for k in keys)}, key=len, reverse=True)
        matchers.append((name, ThemeWords(keys, around)))
    return matchers


# ---------------------------------------------------------------------------
# look-up


def search(
    bank: PhraseBank,
    query: str | None = None,
    *,
    theme: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
    since: int | None = None,
) -> list[Entry]:
    """Entries matching `query` (in the text, fills, items or attribution; or naming a theme),
    of `theme` and `kind`, seen in a document of `since` or later; the user's own entries
    first, then the most widely used. Each carries the canon's expressions in it that are no
    longer current this year (`expired`)."""
    if kind is not None and kind not in KINDS:
        raise DrafterError(f"未知的类别：{kind}。可用的类别：{kinds_help()}")
    if theme is not None:
        known = sorted({t for e in bank.entries for t in e.themes})
        if theme not in known:
            raise DrafterError(f"词库中没有主题“{theme}”。已有主题：{'、'.join(known) or '（无）'}。")
    results: list[tuple[tuple, Entry]] = []
    for entry in bank.entries:
        if not _wanted(entry, kind, theme, since):
            continue
        rank = _match_rank(entry, query) if query else 0
        if rank is not None:
            order = (not entry.custom, rank, KINDS[entry.kind].lookup_rank, -entry.docs, -entry.count, len(entry.text), entry.text)
            results.append((order, entry))
    results.sort(key=lambda item: item[0])
    found = [entry for _, entry in results][:limit] if limit else [entry for _, entry in results]
    _mark_expired(bank, found, dt.date.today().year)
    return found


def _mark_expired(bank: PhraseBank, entries: list[Entry], year: int) -> None:
    for entry in entries:
        entry.expired = [
            {"text": x.text, "replaced_by": x.replaced_by, "variant": True}
            if x.variant
            else {"text": x.text, "from": x.start, "until": x.until, "replaced_by": x.replaced_by}
            for x in bank.expired(entry, year)
        ]


def _wanted(entry: Entry, kind: str | None, theme: str | None, since: int | None) -> bool:
    if (kind and entry.kind != kind) or (theme and theme not in entry.themes):
        return False
    # asked for what is in use since a year: an undated mined entry cannot show that
    return not since or entry.custom or (entry.last_year or 0) >= since


def _match_rank(entry: Entry, query: str) -> int | None:
    """How well an entry matches a query: the text itself, inside the text, inside a fill, item,
    example or attribution, inside a theme name; None when nowhere."""
    if entry.text == query:
        return 0
    if query in entry.text:
        return 1
    if (
        any(query in f for fill in entry.fills for f in fill)
        or any(query in x for x in entry.items + entry.examples)
        or (entry.attribution and query in entry.attribution)
    ):
        return 2
    if any(query in t for t in entry.themes):
        return 3
    return None
