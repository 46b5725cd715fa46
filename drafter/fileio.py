"""Small file helpers shared by every stage: atomic writes and YAML in and out."""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from drafter.errors import DrafterError
from drafter.workers import result_in_place

try:  # the C loader is much faster on a large bank
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


def _mode_for(path: Path | None = None) -> int:
    """mkstemp makes a file private: the mode an ordinary new file would have (or the mode of
    the file at `path` that it replaces)."""
    if path is not None:
        try:
            return path.stat().st_mode & 0o777
        except FileNotFoundError:
            pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_bytes(path: str | os.PathLike, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` so that a reader sees either the old file or the new one, never half.
    `durable`: flush it to disk before the rename (not needed for a cache file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary, _ = _write_temporary(path.parent, path.name, [data], _mode_for(path), durable)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_temporary(folder: Path, name: str, chunks: Iterable[bytes], mode: int, durable: bool = True, digest=None) -> tuple[str, int]:
    """The chunks written to a new temporary file beside `name` in `folder` (flushed to disk
    when `durable`; each chunk also given to `digest` when there is one): the file and its
    size. A failed write leaves no file behind."""
    import tempfile  # not at the top: a draft that writes nothing need not import it

    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    size = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            for chunk in chunks:
                if digest is not None:
                    digest.update(chunk)
                handle.write(chunk)
                size += len(chunk)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary, size


STDOUT = "-"  # `-o -`: standard output


def write_new_file(path: str | os.PathLike, data: bytes, force: bool = False, option: str = "-o") -> None:
    """Write an output file the user asked for (`-o FILE`).

    `-` is standard output. Otherwise the folder must exist (a missing one is named, never
    created); an existing file is replaced only with `force`, and only if it is a regular file
    with no other hard link: a symlink (never followed), a folder, a FIFO, a device or a socket
    is refused, as is a file whose other names would keep the old content."""
    if str(path) == STDOUT:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a text-only stdout (a test runner's capture)
            sys.stdout.write(data.decode("utf-8"))
        else:
            stream.write(data)
        sys.stdout.flush()
        return
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        missing = parent
        while not missing.parent.exists() and missing.parent != missing:
            missing = missing.parent
        what = "不是文件夹" if missing.exists() else "不存在"
        raise DrafterError(f"{option} {path}：文件夹 {missing} {what}。请先建好文件夹，或换一个路径。")
    problem = output_problem(path, force)
    if problem:
        raise DrafterError(f"{option} {path}：{problem}")
    try:
        if force and os.path.lexists(path):
            atomic_write_bytes(path, data)
        else:
            _write_exclusive(path, data)
    except FileExistsError:
        raise DrafterError(f"{option} {path}：文件已存在，未覆盖。请换一个文件名，或加 --force 覆盖。") from None
    except PermissionError:
        raise DrafterError(f"{option} {path}：没有权限写入文件夹 {parent}。请换一个位置。") from None


def output_problem(path: Path, force: bool) -> str | None:
    """Why `path` may not be written as an output file (in Chinese), or None."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"无法检查该路径（{exc.strerror}）。"
    if stat.S_ISLNK(st.st_mode):
        return "这是一个符号链接，drafter 不会跟随或替换它。请给出一个普通文件的路径。"
    if stat.S_ISDIR(st.st_mode):
        return "这是一个文件夹，请在后面给出文件名。"
    if not stat.S_ISREG(st.st_mode):
        return "这不是普通文件（是设备、管道或套接字），不能写入。请给出一个普通文件的路径；要打印到屏幕请用 -o -。"
    if not force:
        return "文件已存在，未覆盖。请换一个文件名，或加 --force 覆盖。"
    if st.st_nlink > 1:
        return f"这个文件还有另外 {st.st_nlink - 1} 个硬链接，替换它会使那些链接仍指向旧内容。请换一个文件名，或先删除其他链接。"
    return None


def _write_exclusive(path: Path, data: bytes) -> None:
    """Create `path` with `data`, atomically, failing with FileExistsError if anything is
    already there (also something that appeared meanwhile): written to a temporary file in the
    same folder, then hard-linked into place (link never replaces)."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: the check before is all we have
            if os.path.lexists(path):
                raise FileExistsError(path) from None
            os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


# A YAML file a person writes (custom.yaml, themes.yaml …): parsing takes about 0.3 s and 25 MB
# of memory per MB, so 32 MB stays within seconds and a gigabyte. A generated bank file may be
# larger (a bank mined from 1.5 million characters is about 11 MB): GENERATED_YAML_BYTES.
MAX_YAML_BYTES = 32 * 1024 * 1024
GENERATED_YAML_BYTES = 128 * 1024 * 1024


def open_regular(path: str | os.PathLike, what: str = "文件"):
    """Open a regular file for reading in binary; a missing file, a folder, a device, a FIFO
    (never waited on) or a socket, or a permission problem is a Chinese message."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DrafterError(f"找不到{what}：{path}。请检查路径是否正确。") from None
    except IsADirectoryError:
        raise DrafterError(f"{path} 是一个文件夹，这里需要一个{what}。") from None
    except PermissionError:
        raise DrafterError(f"没有权限读取{what} {path}。请检查文件权限。") from None
    except OSError as exc:
        raise DrafterError(f"无法读取{what} {path}：{exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise DrafterError(f"{path} 是一个文件夹，这里需要一个{what}。")
        if not stat.S_ISREG(st.st_mode):
            raise DrafterError(f"{path} 不是普通文件（是设备、管道或套接字），这里需要一个{what}。")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | os.PathLike, what: str = "文件", limit: int | None = None) -> bytes:
    """A regular file's bytes (see open_regular); with `limit`, a file larger than `limit`
    bytes is a Chinese message, and no more than that is ever read."""
    path = Path(path)
    with open_regular(path, what) as handle:
        size = os.fstat(handle.fileno()).st_size
        if limit is not None and size > limit:
            raise DrafterError(f"{what} {path} 太大（{_size(size)}，上限 {_size(limit)}），未读取。请检查是否选错了文件。")
        try:
            data = handle.read(limit + 1 if limit is not None else -1)
        except OSError as exc:
            raise DrafterError(f"无法读取{what} {path}：{exc.strerror}") from None
        if limit is not None and len(data) > limit:  # it grew while we read it
            raise DrafterError(f"{what} {path} 太大（超过 {_size(limit)}），未读取。请检查是否选错了文件。")
        return data


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


def load_yaml(path: str | os.PathLike, what: str = "YAML 文件", schema: Any = None, limit: int = MAX_YAML_BYTES) -> Any:
    """Load a YAML file safely; a syntax error names the file and line, in Chinese. With a
    `schema` (see drafter/schema.py), an unknown key is an error naming file, line and the
    nearest known key."""
    path = Path(path)
    raw = read_bytes(path, what, limit=limit)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DrafterError(f"{what} {path} 不是 UTF-8 编码，请用 UTF-8 保存后重试。") from None
    data = parse_yaml(text, str(path), what)
    if schema is not None:
        from drafter.schema import check_keys

        problems = check_keys(data, schema, text, str(path), what)
        if problems:
            raise DrafterError("\n".join(problems))
    return data


def cache_dir() -> Path | None:
    """The user's cache folder for drafter (`$XDG_CACHE_HOME/drafter`, else `~/.cache/drafter`),
    or None when there is no usable one. Only the last two levels are ever created: with HOME
    (or XDG_CACHE_HOME's parent) missing, empty or relative, there is no cache, never a
    created folder."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        base = Path(xdg)
    else:
        home = os.environ["HOME"] if "HOME" in os.environ else os.path.expanduser("~")
        if not home or not os.path.isabs(home) or home == "~":
            return None
        base = Path(home) / ".cache"
    if not base.parent.is_dir():
        return None
    return base / "drafter"


def make_cache_dir(folder: Path) -> bool:
    """Create the cache folder (and its parent, the cache base) if needed; False on any trouble."""
    try:
        for level in (folder.parent, folder):
            try:
                level.mkdir(mode=0o700)
            except FileExistsError:
                pass
        return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
    except OSError:
        return False


YAML_CACHE_KIND = "yaml-2"  # parsed YAML in the cache; "-2": since keys are checked before caching


def load_yaml_cached(path: str | os.PathLike, what: str = "YAML 文件", schema: Any = None, limit: int = MAX_YAML_BYTES) -> Any:
    """load_yaml, with the parsed (and checked) data kept in the user's cache folder: a large
    generated bank loads in a few milliseconds the second time."""
    return cached_for_file(path, YAML_CACHE_KIND, lambda: load_yaml(path, what, schema, limit))


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


def code_stamp(code_files: list[Path]) -> str:
    """A short hash of the Python version and of the size and time of our own code files, for
    cache keys of what those files compute (a changed or upgraded drafter computes afresh)."""
    parts: list[Any] = [sys.version]
    for path in code_files:
        try:
            stat = os.stat(path)
            parts.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            parts.append((str(path), None))
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:16]


def prime_yaml_cache(path: str | os.PathLike, data: Any) -> None:
    """Record that the YAML file just written at `path` loads as `data`, so that its first
    load_yaml_cached is as fast as the later ones."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return
    _save_cache(_cache_file(path, YAML_CACHE_KIND), (stat.st_size, stat.st_mtime_ns), data)


def _cache_file(path: Path, kind: str) -> Path | None:
    folder = cache_dir()
    key = f"{kind}:{path.resolve()}".encode("utf-8")
    return folder / (hashlib.sha1(key).hexdigest() + ".marshal") if folder else None


CACHE_LIMIT = 256 * 1024 * 1024  # bytes the cache folder may hold; the least recently used go first


def _save_cache(cached: Path | None, stamp: tuple[int, int], data: Any) -> None:
    if cached and make_cache_dir(cached.parent):
        try:
            atomic_write_bytes(cached, marshal.dumps((stamp, data)), durable=False)
            prune_cache(cached.parent, keep=cached)
        except (OSError, ValueError):  # read-only home, or data marshal cannot hold
            pass


def prune_cache(folder: Path, keep: Path) -> None:
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
    """Parse YAML from a user's file safely: no Python objects (safe loader), and no anchors or
    aliases (`&a` / `*a`), whose nesting can make a few lines stand for billions of items."""
    try:
        if "&" in text or "*" in text:  # cheap test first: a generated bank has neither
            _refuse_aliases(text, name, what)
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
    except RecursionError:
        raise DrafterError(f"{what} {name} 的嵌套层次太深，无法读取。请检查文件内容。") from None
    except MemoryError:
        raise DrafterError(f"{what} {name} 的内容太多，读取时内存不足。请检查文件内容。") from None


def _refuse_aliases(text: str, name: str, what: str) -> None:
    for event in yaml.parse(text, Loader=_Loader):
        alias = isinstance(event, yaml.AliasEvent)
        if alias or getattr(event, "anchor", None) is not None:
            mark = event.start_mark
            sign = f"*{event.anchor}" if alias else f"&{event.anchor}"
            raise DrafterError(
                f"{what} {name} 第 {mark.line + 1} 行用了 YAML 锚点或别名（{sign}）。"
                "drafter 不接受锚点和别名（它们可以让几行文字展开成上亿项），请把内容直接写出来。"
            )


# ---------------------------------------------------------------------------
# Several files written as one unit (a bank's phrases.yaml and frames.yaml)

MANIFEST_FILE = "manifest.json"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_file_set(folder: str | os.PathLike, files: dict[str, bytes | Iterable[bytes]], manifest: str = MANIFEST_FILE) -> str:
    """Write `files` (name → bytes, or the bytes in chunks: a large bank file is written as it
    is made, never held whole) into `folder` so that a reader, whatever moment the writer is
    killed at, sees all of them from this run or all from the one before: never a mix.

    The files are first written whole beside their final names (`.NAME.GEN`), then the
    manifest naming this generation and each file's SHA-256 replaces the old one in one
    rename (the commit point), then the staged files are renamed into place. A reader
    (file_set_paths) takes a file whose content the manifest names, falling back to the
    staged copy when the writer died between the commit and the last rename.
    Returns the generation (a hash of the contents: the same run gives the same bytes)."""
    folder = Path(folder)
    staged: dict[str, tuple[str, str, int]] = {}  # name -> (temporary file, SHA-256, bytes)
    try:
        for name, data in files.items():
            staged[name] = _stage(folder, name, [data] if isinstance(data, (bytes, bytearray)) else data)
        hashes = {name: sha for name, (_, sha, _) in staged.items()}
        generation = _sha256("".join(f"{name}\0{hashes[name]}\n" for name in sorted(files)).encode())[:16]
        for name, (temporary, _, _) in staged.items():
            os.replace(temporary, folder / f".{name}.{generation}")
    except BaseException:
        for temporary, _, _ in staged.values():
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise
    record = {
        "generation": generation,
        "files": {name: {"sha256": hashes[name], "bytes": staged[name][2]} for name in sorted(files)},
    }
    result_in_place()  # from the commit on, a stop (Ctrl-C, SIGTERM) has nothing to undo
    atomic_write_bytes(folder / manifest, (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    _fsync_folder(folder)
    for name in files:
        os.replace(folder / f".{name}.{generation}", folder / name)
    _fsync_folder(folder)
    _remove_stale(folder, files)
    return generation


def _stage(folder: Path, name: str, chunks: Iterable[bytes]) -> tuple[str, str, int]:
    """The chunks written to a new temporary file beside `name` and flushed to disk: the
    file, the SHA-256 of its content and its size."""
    digest = hashlib.sha256()
    temporary, size = _write_temporary(folder, name, chunks, _mode_for(), digest=digest)
    return temporary, digest.hexdigest(), size


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale(folder: Path, names) -> None:
    """Staged or temporary copies left by a writer that was killed."""
    for name in names:
        for stale in folder.glob(f".{glob_escape(name)}.*"):
            with contextlib.suppress(OSError):
                stale.unlink()


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def file_set_paths(folder: str | os.PathLike, names: list[str], manifest: str = MANIFEST_FILE, what: str = "词库") -> dict[str, Path]:
    """Where to read each of `names` so that all come from one run (see write_file_set).
    A folder without a manifest (made by hand, or by an older drafter) is taken as it is.
    A file that is neither the one the manifest names nor its staged copy is an error."""
    folder = Path(folder)
    paths = {name: folder / name for name in names}
    manifest_path = folder / manifest
    if not manifest_path.is_file():
        return paths
    record = _read_manifest(manifest_path, what)
    generation, listed = record["generation"], record["files"]
    for name in names:
        if name not in listed:
            continue
        expected = listed[name]["sha256"]
        if _file_sha256(folder / name) == expected:
            continue
        staged = folder / f".{name}.{generation}"
        if _file_sha256(staged) == expected:
            paths[name] = staged  # the writer died after its commit: this run's copy is whole
            continue
        others = [n for n in names if n != name and n in listed]
        raise DrafterError(
            f"{what} {folder} 不完整：{name} 与清单 {manifest} 不符"
            + (f"，和 {'、'.join(others)} 不是同一次分析写出的" if others else "")
            + f"（或被手工改动过）。请重新运行 drafter analyze … -o {folder}；自己的条目请写在 custom.yaml 里。"
        )
    return paths


def _read_manifest(path: Path, what: str) -> dict:
    broken = f"{what}清单 {path} 已损坏。请重新运行 drafter analyze 生成词库（清单由分析写出，请勿手工修改）。"
    try:
        record = json.loads(read_bytes(path, f"{what}清单", limit=1024 * 1024).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DrafterError(broken) from None
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(record.get("generation") if isinstance(record, dict) else None, str) or not isinstance(files, dict):
        raise DrafterError(broken)
    if not all(isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in files.values()):
        raise DrafterError(broken)
    return record


def _file_sha256(path: Path) -> str | None:
    """The file's SHA-256, kept in the cache beside the parsed YAML (keyed by size and time)."""
    try:
        if not path.is_file():
            return None
    except OSError:
        return None

    def compute() -> str | None:
        try:
            digest = hashlib.sha256()
            with open_regular(path) as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            return digest.hexdigest()
        except (DrafterError, OSError):
            return None

    return cached_for_file(path, "sha256", compute)


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike, what: str = "词库文件夹"):
    """Hold `folder`/.drafter.lock for the length of a write: a second writer of the same
    folder is refused at once with a message. The lock goes with the process (also when it is
    killed); the file is removed at the end, so none is left in the folder."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux or macOS
        yield
        return
    folder = Path(folder)
    path = folder / ".drafter.lock"
    busy = f"另一个 drafter analyze 正在写入{what} {folder}。同一个文件夹不能同时分析，请等它结束后再运行。"
    for _ in range(10):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise DrafterError(f"无法在{what} {folder} 中建立锁文件（{exc.strerror}）。请检查该文件夹的权限。") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise DrafterError(busy) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino
        except OSError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed this file as we opened it: try the new one
    else:  # pragma: no cover - ten races in a row
        raise DrafterError(busy)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)
