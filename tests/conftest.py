"""Shared fixtures: the seeds in the repository and the real corpora beside it (when present)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = SHARED / "corpora"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed(prefix: str) -> Path:
    return next(p for p in SEED_FILES if p.name.startswith(prefix))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def corpus_docs():
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    from drafter.corpus import load_corpus

    return load_corpus([CORPORA])


@pytest.fixture(scope="session")
def corpus_bank_dir(tmp_path_factory):
    """A bank mined from all of ../shared/corpora (about ten seconds), shared by the tests."""
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    from drafter.mining import analyze

    folder = tmp_path_factory.mktemp("corpus_bank")
    analyze([CORPORA], folder)
    return folder


def run(runner: CliRunner, *args: str, code: int = 0):
    """Invoke the CLI (stdout and stderr kept apart) and check its exit code: every test that
    runs the CLI says which code it expects."""
    from drafter.cli import app

    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, f"drafter {' '.join(args)} exited {result.exit_code}, expected {code}:\n{result.stderr}"
    return result
