"""Where the built-in templates/ and phrasebank/ folders are.

A wheel carries them as drafter/_data/<name> (pyproject.toml force-includes them); a source
checkout or an editable install finds them at the top of the repository, next to the package.
Both are looked up through importlib.resources, so the package's location is never guessed."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def builtin_dir(name: str) -> Path:
    """The built-in `templates` or `phrasebank` folder, as a real folder on disk (Jinja's
    loader and the YAML cache need paths, so a zipped install is not supported)."""
    package = files("drafter")
    inside = package.joinpath("_data", name)
    if inside.is_dir():
        return Path(str(inside))
    return Path(str(package)).parent / name
