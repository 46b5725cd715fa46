"""Small file helpers shared by every stage: atomic writes and YAML in and out."""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable

import yaml

from drafter.errors import DrafterError

try:  # the C loader is much faster on a large bank
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


def atomic_write_bytes(path: str | os.PathLike, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` so that a reader sees either the old file or the new one, never half.
    `durable`: flush it to disk before the rename (not needed for a cache file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; give it the mode an ordinary new file would have
        # (or keep the mode of the file it replaces)
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mask = os.umask(0)
            os.umask(mask)
            mode = 0o666 & ~mask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def write_new_file(path: str | os.PathLike, data: bytes, force: bool = False) -> None:
    """Write an output file the user asked for; refuse to replace an existing one unless `force`."""
    path = Path(path)
    if path.is_dir():
        raise DrafterError(f"{path} 是一个文件夹，请在 -o 后给出文件名。")
    if path.exists() and not force:
        raise DrafterError(f"{path} 已存在，未覆盖。请换一个文件名，或加 --force 覆盖。")
    atomic_write_bytes(path, data)


def read_bytes(path: str | os.PathLike, what: str = "文件") -> bytes:
    """A file's bytes; a missing file, a folder or a permission problem is a Chinese message."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DrafterError(f"找不到{what}：{path}。请检查路径是否正确。") from None
    except IsADirectoryError:
        raise DrafterError(f"{path} 是一个文件夹，这里需要一个{what}。") from None
    except PermissionError:
        raise DrafterError(f"没有权限读取{what} {path}。请检查文件权限。") from None
    except OSError as exc:
        raise DrafterError(f"无法读取{what} {path}：{exc.strerror}") from None


def load_yaml(path: str | os.PathLike, what: str = "YAML 文件") -> Any:
    """Load a YAML file safely; a syntax error names the file and line, in Chinese."""
    path = Path(path)
    raw = read_bytes(path, what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DrafterError(f"{what} {path} 不是 UTF-8 编码，请用 UTF-8 保存后重试。") from None
    return parse_yaml(text, str(path), what)


def _cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "drafter" if base else None


def load_yaml_cached(path: str | os.PathLike, what: str = "YAML 文件") -> Any:
    """load_yaml, with the parsed data kept in the user's cache folder: a large generated bank
    loads in a few milliseconds the second time."""
    return cached_for_file(path, "yaml", lambda: load_yaml(path, what))


def cached_for_file(path: str | os.PathLike, kind: str, compute: Callable[[], Any]) -> Any:
    """What `compute` derives from the file at `path`, kept in a marshal file in the user's
    cache folder, keyed by the file's path and `kind`, and checked against the file's size and
    modification time. Any trouble with the cache falls back to computing."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return compute()
    stamp = (stat.st_size, stat.st_mtime_ns)
    cached = _cache_file(path, kind)
    if cached and cached.exists():
        try:
            saved_stamp, data = marshal.loads(cached.read_bytes())
            if tuple(saved_stamp) == stamp:
                with contextlib.suppress(OSError):
                    os.utime(cached)  # recently used: the last to be pruned
                return data
        except (OSError, EOFError, ValueError, TypeError):
            pass
    data = compute()
    _save_cache(cached, stamp, data)
    return data


def prime_yaml_cache(path: str | os.PathLike, data: Any) -> None:
    """Record that the YAML file just written at `path` loads as `data`, so that its first
    load_yaml_cached is as fast as the later ones."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return
    _save_cache(_cache_file(path, "yaml"), (stat.st_size, stat.st_mtime_ns), data)


def _cache_file(path: Path, kind: str) -> Path | None:
    folder = _cache_dir()
    key = f"{kind}:{path.resolve()}".encode("utf-8")
    return folder / (hashlib.sha1(key).hexdigest() + ".marshal") if folder else None


CACHE_LIMIT = 256 * 1024 * 1024  # bytes the cache folder may hold; the least recently used go first


def _save_cache(cached: Path | None, stamp: tuple[int, int], data: Any) -> None:
    if cached:
        try:
            atomic_write_bytes(cached, marshal.dumps((stamp, data)), durable=False)
            _prune_cache(cached.parent, keep=cached)
        except (OSError, ValueError):  # read-only home, or data marshal cannot hold
            pass


def _prune_cache(folder: Path, keep: Path) -> None:
    files = []
    for entry in os.scandir(folder):
        if entry.name.endswith(".marshal") and entry.is_file():
            stat = entry.stat()
            files.append((stat.st_mtime, stat.st_size, Path(entry.path)))
    total = sum(size for _, size, _ in files)
    for _, size, path in sorted(files):
        if total <= CACHE_LIMIT:
            break
        if path != keep:
            path.unlink(missing_ok=True)
            total -= size


def parse_yaml(text: str, name: str, what: str = "YAML 文件") -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        problem = exc.problem or exc.context or "格式错误"
        raise DrafterError(
            f"{what} {name} {where}有 YAML 格式错误（{problem}）。请检查缩进、冒号和引号后重试。"
        ) from None
    except yaml.YAMLError as exc:
        raise DrafterError(f"{what} {name} 有 YAML 格式错误：{exc}。请检查后重试。") from None


# ---------------------------------------------------------------------------
# A fast YAML writer for the generated bank. PyYAML's representer costs seconds on a bank mined
# from a large corpus; the bank is plain data (mappings, lists, strings, integers, None), so it
# is written directly: plain scalars where YAML reads them back unchanged, JSON-style double
# quotes (valid YAML) everywhere else. tests/test_fileio.py checks the round trip.

_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_./-]*/[A-Za-z0-9_./-]*$")  # seeds/000_x.txt
_NUMBER = re.compile(r"^[-+.0-9_eE]+$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}
# characters YAML does not allow even inside quotes, written as \\u escapes
_NOT_PRINTABLE = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PLAIN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff…“‘《（【][^\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff:#'\"{}\[\],&*!|>%@`\\]*$")


_quoted = json.encoder.encode_basestring  # what json.dumps(text, ensure_ascii=False) gives, without its set-up


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    # fullmatch, not match: "$" would let a trailing newline through
    path_like = _PATH.fullmatch(text) and not _NUMBER.fullmatch(text)
    if (_PLAIN.fullmatch(text) or path_like or (_WORD.fullmatch(text) and text.lower() not in _YAML_WORDS)) and not text.endswith(" "):
        return text
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", _quoted(text))


_FLOW_PLAIN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _flow_scalar(value: Any) -> str:
    """Inside [ … ] only Chinese characters stay plain ([赤诚, 组织]); anything else is quoted."""
    if isinstance(value, str) and not _FLOW_PLAIN.fullmatch(value):
        return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", _quoted(value))
    return _scalar(value)


def _emit(value: Any, indent: int, out: list[str], memo: dict) -> None:
    """`memo` remembers how short strings were written: keys and source names recur thousands
    of times in a bank, and each costs several regular expressions."""
    if isinstance(value, dict):
        _emit_mapping(value, indent, out, memo)
    elif isinstance(value, list):
        _emit_sequence(value, indent, out, memo)


def _emit_mapping(value: dict, indent: int, out: list[str], memo: dict) -> None:
    pad = " " * indent
    for key, item in value.items():
        written_key = memo.get(key) or _memo_scalar(key, memo)
        if isinstance(item, (dict, list)) and item:
            out.append(f"{pad}{written_key}:")
            _emit(item, indent + (2 if isinstance(item, dict) else 0), out, memo)
        elif isinstance(item, (dict, list)):
            out.append(f"{pad}{written_key}: {_empty(item)}")
        elif type(item) is int:
            out.append(f"{pad}{written_key}: {item}")
        else:
            out.append(f"{pad}{written_key}: {memo.get(item) or _memo_scalar(item, memo)}")


def _emit_sequence(value: list, indent: int, out: list[str], memo: dict) -> None:
    pad = " " * indent
    for item in value:
        if isinstance(item, dict) and item:
            first = len(out)
            _emit(item, indent + 2, out, memo)
            out[first] = f"{pad}- " + out[first][indent + 2:]
        elif isinstance(item, list) and item and all(not isinstance(x, (dict, list)) for x in item):
            out.append(f"{pad}- [" + ", ".join(_flow_scalar(x) for x in item) + "]")
        elif isinstance(item, (dict, list)):
            if item:
                out.append(f"{pad}-")
                _emit(item, indent + 2, out, memo)
            else:
                out.append(f"{pad}- {_empty(item)}")
        else:
            out.append(f"{pad}- {_scalar(item)}")


def _memo_scalar(value: Any, memo: dict) -> str:
    written = _scalar(value)
    if isinstance(value, str) and len(value) <= 40:
        memo[value] = written
    return written


def _empty(value: Any) -> str:
    return "{}" if isinstance(value, dict) else "[]"


def dump_bank_yaml(data: dict) -> str:
    """Block-style YAML for plain data, byte-for-byte stable for the same input."""
    out: list[str] = []
    _emit(data, 0, out, {})
    return "\n".join(out) + "\n"
