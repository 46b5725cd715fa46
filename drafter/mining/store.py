"""What the map step found in each document, kept between runs of `analyze` (incremental analysis).

One SQLite file in the user's cache folder (`~/.cache/drafter/mined-N.sqlite`), not in the bank
folder: a bank folder may be shared or committed, and the results are only a cache. A document's
results are stored under a key made of its cleaned content (lines, original line numbers, joins,
title) and a salt: drafter's version, a fingerprint of drafter's own code, Python's version,
jieba's dictionary (size and time) and the hand-kept files the analysis reads (themes, canon).
Change any of these and the old results are no longer found. The source name is not part of the
key: a file renamed or moved is not mined again.

A file removed from the corpus simply is not asked for, so its results do not reach the bank;
they stay in the store until the least recently used records are pruned (`LIMIT` bytes in all).
Any trouble with the store (no home folder, a read-only or locked or broken file) means no
store: the analysis then mines every document, as without one."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import sqlite3
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import drafter
from drafter.document import Document

log = logging.getLogger(__name__)

FORMAT = 1  # bump when what is stored changes shape
LIMIT = 512 * 1024 * 1024  # bytes of stored results; the least recently used go first
FILE = f"mined-{FORMAT}.sqlite"


def _cache_folder() -> Path | None:
    """The user's cache folder, created if needed (only its last two levels), or None."""
    from drafter.fileio import cache_dir, make_cache_dir

    folder = cache_dir()
    return folder if folder is not None and make_cache_dir(folder) else None


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of drafter's own source files: results of an edited (not yet re-versioned) drafter
    are not mixed with results of the code before the edit."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(drafter.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def salt(files: Iterable[str | os.PathLike | None] = (), options: Any = None) -> bytes:
    """What every key depends on besides the document: drafter, Python, jieba's dictionary, the
    contents of `files` (themes, canon; a missing file counts as missing) and `options` (the
    arguments the map step is given, e.g. the default year), by their repr."""
    from drafter.mining.segment import _dictionary_path

    parts = [f"format {FORMAT}", f"drafter {drafter.__version__}", code_fingerprint(), sys.version.split()[0], sys.byteorder]
    parts.append(f"options {options!r}")
    dictionary = _dictionary_path()
    try:
        stat = dictionary.stat() if dictionary else None
        parts.append(f"dict {dictionary} {stat.st_size} {stat.st_mtime_ns}" if stat else "dict none")
    except OSError:
        parts.append("dict missing")
    for file in files:
        if file is None:
            continue
        try:
            parts.append(hashlib.blake2b(Path(file).read_bytes(), digest_size=16).hexdigest())
        except OSError:
            parts.append(f"missing {file}")
    return "\n".join(parts).encode("utf-8")


def document_key(doc: Document, salt: bytes) -> bytes:
    """The key of `doc`'s results: the whole cleaned document (its lines, their original line
    numbers, its source name, which may date it, the title and year given beside the text ...:
    every field, so that a field added later cannot be forgotten here)."""
    digest = hashlib.blake2b(salt, digest_size=20)
    digest.update(pickle.dumps(doc, protocol=4))
    return digest.digest()


def file_key(path: Path, salt: bytes) -> bytes | None:
    """The key of what was read from the file at `path`: its name and its bytes. None when it
    cannot be read (what reading it gives is then never stored)."""
    digest = hashlib.blake2b(salt + b"\nfile\n" + os.fsencode(path) + b"\0", digest_size=20)
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.digest()


def cleaned_salt(salt: bytes) -> bytes:
    """The salt of what a file gave when read and cleaned (drafter.corpus.load_corpus)."""
    return salt + b"\ncleaned"


def not_stored(files: Sequence[Path], salt: bytes, folder=None) -> list[Path]:
    """The files whose cleaned documents are not in the store (all of them when there is no
    store): those an analysis will read and, most likely, mine. Looked up without loading
    anything or marking anything used."""
    path = _store_path(folder)
    if path is None or not path.is_file():
        return list(files)
    keys = [file_key(f, cleaned_salt(salt)) for f in files]
    found: set[bytes] = set()
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=10)) as db:
            wanted = [k for k in keys if k is not None]
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(k for (k,) in db.execute(f"SELECT key FROM mined WHERE key IN ({marks})", chunk))
    except sqlite3.Error as error:
        log.info("map results store unreadable: %s", error)
        return list(files)
    return [f for f, k in zip(files, keys) if k not in found]


def _store_path(folder=None) -> Path | None:
    base = Path(folder) if folder is not None else _cache_folder()
    return base / FILE if base is not None else None


def pack(value: Any) -> bytes:
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(blob: bytes) -> Any:
    return pickle.loads(zlib.decompress(blob))


UNREADABLE = object()  # what _readable gives for a record it cannot unpack


def _readable(blob: bytes) -> Any:
    """The stored value, or UNREADABLE for a record from another pickle world (as if not stored)."""
    try:
        return unpack(blob)
    except Exception as error:
        log.info("stored record unreadable: %s", error)
        return UNREADABLE


class MapStore:
    """Packed map results by key, in one SQLite file."""

    def __init__(self, path: Path, limit: int = LIMIT):
        self.path = path
        self.limit = limit
        self._db = sqlite3.connect(path, timeout=10, isolation_level=None)
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE IF NOT EXISTS mined (key BLOB PRIMARY KEY, data BLOB NOT NULL, used REAL NOT NULL)")
        self._used: list[bytes] = []

    @classmethod
    def open(cls, folder: str | os.PathLike | None = None) -> MapStore | None:
        """The store in `folder` (default: the user's cache folder), or None when there is none
        to be had. Never creates a folder when there is no home folder to put it in."""
        try:
            if folder is not None:
                Path(folder).mkdir(parents=True, exist_ok=True)
            base = Path(folder) if folder is not None else _cache_folder()
            if base is None:
                return None
            return cls(base / FILE)
        except (OSError, sqlite3.Error) as error:
            log.info("no store for map results: %s", error)
            return None

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The packed results stored under any of `keys`."""
        found: dict[bytes, bytes] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                found.update(self._db.execute(f"SELECT key, data FROM mined WHERE key IN ({marks})", chunk).fetchall())
        except sqlite3.Error as error:
            log.info("map results store unreadable: %s", error)
            return {}
        self._used.extend(found)
        return found

    def put_many(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        now = time.time()
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(
                    "INSERT OR REPLACE INTO mined (key, data, used) VALUES (?, ?, ?)", ((k, d, now) for k, d in items)
                )
        except sqlite3.Error as error:
            log.info("map results not stored: %s", error)

    def close(self) -> None:
        """Mark what was read as recently used, prune to the size limit, close."""
        try:
            with self._db:
                self._db.execute("BEGIN")
                now = time.time()
                self._db.executemany("UPDATE mined SET used = ? WHERE key = ?", ((now, k) for k in self._used))
                total = self._db.execute("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM mined").fetchone()[0]
                if total > self.limit:
                    for key, size in self._db.execute("SELECT key, LENGTH(data) FROM mined ORDER BY used").fetchall():
                        if total <= self.limit:
                            break
                        self._db.execute("DELETE FROM mined WHERE key = ?", (key,))
                        total -= size
        except sqlite3.Error as error:
            log.info("map results store not updated: %s", error)
        finally:
            self._db.close()

    def __enter__(self) -> MapStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class KeyedStore:
    """Small facts kept under keys of the caller's (e.g. dedup's pair verdicts), beside the map
    results: each key is hashed with the salt, so a new drafter or a changed themes file starts
    afresh. Without a store, nothing is known and nothing kept."""

    def __init__(self, salt: bytes, folder=None):
        self.salt, self.folder = salt, folder

    def _key(self, key: bytes) -> bytes:
        return hashlib.blake2b(self.salt + b"\nkeyed\n" + key, digest_size=20).digest()

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, Any]:
        if not keys:
            return {}
        with_store = MapStore.open(self.folder)
        if with_store is None:
            return {}
        with with_store as kept:
            hashed = {self._key(k): k for k in keys}
            values = {hashed[stored]: _readable(blob) for stored, blob in kept.get_many(list(hashed)).items()}
            return {k: v for k, v in values.items() if v is not UNREADABLE}

    def put_many(self, items: dict[bytes, Any]) -> None:
        if not items:
            return
        with_store = MapStore.open(self.folder)
        if with_store is not None:
            with with_store as kept:
                kept.put_many((self._key(k), pack(v)) for k, v in items.items())


def cached_map(
    docs: Sequence[Any],
    mine: Callable[[list[Any]], list[Any]],
    salt: bytes,
    folder=None,
    key: Callable[[Any, bytes], bytes | None] = document_key,
) -> list[Any]:
    """`mine(docs)`, with the results of documents seen in an earlier run (same key) taken from
    the store instead of being mined again, and the new results stored. `mine` gets only the
    documents not found and returns one result per document, in order. `key` may give None
    (never stored); a result that is an exception is not stored either."""
    with_store = MapStore.open(folder)
    if with_store is None:
        return mine(list(docs))
    with with_store as kept:
        keys = [key(doc, salt) for doc in docs]
        found = kept.get_many([k for k in keys if k is not None])
        results: list[Any] = [None] * len(docs)
        todo = []
        for i, key in enumerate(keys):
            blob = found.get(key) if key is not None else None
            value = _readable(blob) if blob is not None else UNREADABLE
            if value is UNREADABLE:
                todo.append(i)  # never stored, or unreadable: mine again
            else:
                results[i] = value
        if todo:
            fresh = mine([docs[i] for i in todo])
            for i, result in zip(todo, fresh):
                results[i] = result
            kept.put_many((keys[i], pack(results[i])) for i in todo if keys[i] is not None and not isinstance(results[i], BaseException))
        log.info("map results: %d from the store, %d mined", len(docs) - len(todo), len(todo))
        return results
