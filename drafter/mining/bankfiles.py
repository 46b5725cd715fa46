"""The generated bank files (phrases.yaml, frames.yaml, and the files written with them): their
header, their YAML written a few hundred entries at a time, and the check that a bank folder's
files are analysis's own before they are replaced."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from drafter.bank import FRAMES_FILE, PHRASES_FILE
from drafter.errors import DrafterError
from drafter.fileio import MANIFEST_FILE, prime_yaml_cache, write_file_set
from drafter.mining.mined import DocMined
from drafter.model import Entry
from drafter.yamlwrite import dump_bank_yaml_in_chunks

HEADER = "# 由 drafter analyze 生成，请勿手工修改：重新分析会覆盖本文件。\n# 自己的条目请写在同一文件夹的 custom.yaml 里（格式相同），分析永远不会改动它。\n"


def check_output(output: Path) -> None:
    """The bank folder: an existing folder, or a new one in an existing folder; its generated
    files, if any, regular files (a symlink is replaced, not followed) that analysis wrote."""
    if output.exists() and not output.is_dir():
        raise DrafterError(f"{output} 是一个文件，-o 需要一个文件夹。")
    if not output.exists():
        parent = output.parent
        if not parent.is_dir():
            missing = parent
            while not missing.parent.exists() and missing.parent != missing:
                missing = missing.parent
            raise DrafterError(f"-o {output}：文件夹 {missing} 不存在。请先建好它，或换一个位置（只会新建最后一层 {output.name}）。")
        return
    for name in (PHRASES_FILE, FRAMES_FILE, MANIFEST_FILE):
        path = output / name
        if path.is_symlink() or not path.exists():
            continue
        if not path.is_file():
            raise DrafterError(f"{path} 不是普通文件，无法写入词库。请换一个 -o 文件夹，或移走它。")
        if name != MANIFEST_FILE and not _written_by_analysis(path):
            raise DrafterError(
                f"{path} 不是 drafter analyze 生成的文件，未覆盖。请换一个 -o 文件夹；自己的词条请写在 custom.yaml 里。"
            )


def _written_by_analysis(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(HEADER.encode("utf-8")))
    except OSError:
        return False
    return not head.strip() or head.startswith(HEADER.splitlines()[0].encode("utf-8"))


def catalog(mined: list[DocMined], copies: dict[str, list[str]] | None = None) -> dict[str, dict]:
    """What a bank says of each document its entries cite: title, year, how the year was found,
    and the near-duplicate copies of it that were counted as this one."""
    copies = copies or {}
    return {
        m.source: {
            key: value
            for key, value in (("title", m.title), ("year", m.year), ("dated_by", m.dated_by), ("copies", copies.get(m.source)))
            if value
        }
        for m in mined
    }


PRIME_LIMIT = 200_000  # entry sources: a larger bank file is not held a second time as parsed data
ENTRY_CHUNK = 256  # entries turned into YAML at a time


def bank_file(head: dict, entries: list[Entry]) -> tuple[Iterator[bytes], dict | None]:
    """A bank file: its bytes (the YAML of `head` and then its `entries`) in chunks, made as
    they are read, and its data as parsed, for the look-up cache, filled in as the chunks are
    read; only for a bank of at most PRIME_LIMIT sources (else None)."""
    parsed: list[dict] | None = [] if sum(len(e.sources) for e in entries) <= PRIME_LIMIT else None
    return _bank_chunks(head, entries, parsed), ({**head, "entries": parsed} if parsed is not None else None)


def _bank_chunks(head: dict, entries: list[Entry], parsed: list[dict] | None = None) -> Iterator[bytes]:
    """A bank file's bytes, a few hundred entries at a time: the YAML of all entries at once
    (their dicts, its lines, the text and its bytes) holds a large bank four times over. With
    `parsed`, each entry's dict is added to it as its chunk is made."""

    def dicts() -> Iterator[list[dict]]:
        for start in range(0, len(entries), ENTRY_CHUNK):
            chunk = [e.to_bank_dict() for e in entries[start : start + ENTRY_CHUNK]]
            if parsed is not None:
                parsed.extend(chunk)
            yield chunk

    yield HEADER.encode("utf-8")
    for text in dump_bank_yaml_in_chunks(head, "entries", dicts()):
        yield text.encode("utf-8")


def write_bank(
    output: Path,
    entries: list[Entry],
    documents: int,
    documents_catalog: dict[str, dict],
    more: dict[str, tuple[Iterable[bytes], dict]] | None = None,
) -> list[str]:
    """phrases.yaml and frames.yaml (and `more` files beside them: their bytes in chunks, and
    their data for the look-up cache), written as one unit with manifest.json
    (fileio.write_file_set), each chunk as it is made:
    a run killed at any moment leaves the old pair or the new one, and the bank loader reads a
    pair from one run or says which file does not belong. Each file lists the documents its
    sources cite in `catalog` (title, year), once."""
    contents: dict[str, Iterable[bytes]] = {}
    parsed: dict[str, dict] = {}
    for name, chosen in ((PHRASES_FILE, [e for e in entries if e.kind != "frame"]), (FRAMES_FILE, [e for e in entries if e.kind == "frame"])):
        cited = sorted({s.doc for e in chosen for s in e.sources})
        head = {"version": 1, "documents": documents, "catalog": {doc: documents_catalog.get(doc) or {} for doc in cited}}
        contents[name], data = bank_file(head, chosen)
        if data is not None:
            parsed[name] = data  # filled in as the file is written
    for name, (content, data) in (more or {}).items():  # e.g. the example sentences
        contents[name], parsed[name] = content, data
    write_file_set(output, contents)
    for name, data in parsed.items():
        prime_yaml_cache(output / name, data)  # the first look-up need not parse the YAML
    return [str(output / name) for name in contents]
