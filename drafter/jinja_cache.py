"""Compiled Jinja code kept in the user's cache folder, so that a draft does not compile its
template strings and layouts again on every run (compiling is a good part of a draft's time).

One marshal file holds the code objects, keyed by the template's source (strings of an
occasion's YAML) or by Jinja's bucket key and checksum (layout files). Its name carries what
the compiled code depends on: the Python and Jinja versions, the environment's settings and
class, and this package's code generator (templating.py, limits.py). Any trouble with the file
falls back to compiling; the file is rewritten once, when the process ends, if it grew."""

from __future__ import annotations

import atexit
import hashlib
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from drafter.fileio import atomic_write_bytes, cache_dir, code_stamp, make_cache_dir, prune_cache

CODE_CACHE_LIMIT = 2000  # entries; beyond this the file is started afresh


class CodeCache(BytecodeCache):
    """Jinja's bytecode cache for layouts (env.bytecode_cache) and a memo for template strings."""

    def __init__(self, env_key: str):
        self.env_key = env_key
        self._codes: dict[str, CodeType] | None = None
        self._dirty = False

    # -- Jinja's interface, for layout files -------------------------------------------------
    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._load().get(f"layout:{bucket.key}:{bucket.checksum}")
        if isinstance(code, CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._store(f"layout:{bucket.key}:{bucket.checksum}", bucket.code)

    # -- template strings ----------------------------------------------------------------------
    def string_code(self, env: jinja2.Environment, source: str) -> CodeType:
        key = "string:" + hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()
        code = self._load().get(key)
        if not isinstance(code, CodeType):
            code = env.compile(source)  # a TemplateSyntaxError goes to the caller, as from_string's
            self._store(key, code)
        return code

    # -- the file ------------------------------------------------------------------------------
    def _path(self) -> Path | None:
        folder = cache_dir()
        return folder / f"jinja-{self.env_key}.marshal" if folder else None

    def _load(self) -> dict[str, CodeType]:
        if self._codes is None:
            self._codes = {}
            path = self._path()
            try:
                data = marshal.loads(path.read_bytes()) if path and path.is_file() else {}
                if isinstance(data, dict):
                    self._codes = data
            except (OSError, EOFError, ValueError, TypeError):
                pass
        return self._codes

    def _store(self, key: str, code: CodeType) -> None:
        codes = self._load()
        if len(codes) >= CODE_CACHE_LIMIT:
            codes.clear()
        codes[key] = code
        if not self._dirty:
            self._dirty = True
            atexit.register(self.save)

    def save(self) -> None:
        path = self._path()
        if not self._dirty or path is None or not make_cache_dir(path.parent):
            return
        try:
            atomic_write_bytes(path, marshal.dumps(self._codes), durable=False)
            prune_cache(path.parent, keep=path)
        except (OSError, ValueError):
            pass
        self._dirty = False


_CACHES: dict[str, CodeCache] = {}


def code_cache_for(env_key: str) -> CodeCache:
    """The one CodeCache of this process for environments of `env_key`: a draft makes several
    sandboxes (checking the occasion, drafting, rendering), and each of their own would read the
    file again and, when they compiled something, write it back without the others' code."""
    if env_key not in _CACHES:
        _CACHES[env_key] = CodeCache(env_key)
    return _CACHES[env_key]


def environment_key(env: jinja2.Environment, code_files: list[Path]) -> str:
    """What compiled code depends on, hashed: Python, Jinja, the environment, and our code files."""
    parts: list[Any] = [sys.implementation.cache_tag, sys.version, jinja2.__version__, type(env).__qualname__]
    parts += [getattr(env, name) for name in (
        "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
        "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
        "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
    )]
    parts.append(bool(env.autoescape) if not callable(env.autoescape) else "callable")
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:16] + code_stamp(code_files)
