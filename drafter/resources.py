"""Where the built-in templates/ and phrasebank/ folders are.

A wheel carries them as drafter/_data/<name>; a source checkout or an editable install
finds them at the top of the repository, next to the package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def builtin_dir(name: str) -> Path:
    """The built-in `templates` or `phrasebank` folder."""
    inside = _PACKAGE / "_data" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name
