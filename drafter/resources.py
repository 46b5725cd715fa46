"""Where the built-in templates/ and phrasebank/ folders are.

A wheel carries them as drafter/_data/<name> (pyproject.toml force-includes them); a source
checkout or an editable install finds them at the top of the repository, next to the package.
Both are found from the package's own folder (a zipped install is not supported: Jinja's
loader and the caches need real files)."""

from __future__ import annotations

from pathlib import Path


def builtin_dir(name: str) -> Path:
    """The built-in `templates` or `phrasebank` folder, as a real folder on disk."""
    package = Path(__file__).resolve().parent
    inside = package / "_data" / name
    if inside.is_dir():
        return inside
    return package.parent / name
