"""Small file helpers shared by every stage: atomic writes and YAML in and out."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from drafter.errors import DrafterError

try:  # the C loader/dumper are much faster on a large bank
    _Loader = yaml.CSafeLoader
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees either the old file or the new one, never half."""
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


def load_yaml(path: str | os.PathLike, what: str = "YAML 文件") -> Any:
    """Load a YAML file safely; a syntax error names the file and line, in Chinese."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DrafterError(f"找不到{what}：{path}") from None
    except IsADirectoryError:
        raise DrafterError(f"{path} 是一个文件夹，这里需要一个{what}。") from None
    except OSError as exc:
        raise DrafterError(f"无法读取{what} {path}：{exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DrafterError(f"{what} {path} 不是 UTF-8 编码，请用 UTF-8 保存后重试。") from None
    return parse_yaml(text, str(path), what)


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


def dump_yaml(data: Any) -> str:
    """Stable, readable YAML: keys in the order given, Chinese kept as is, long lines not folded."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
