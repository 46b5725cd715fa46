"""The command line as users meet it: help everywhere, documented in the README, and bad input
answered with one Chinese line and exit code 1, never a traceback."""

from __future__ import annotations

import zipfile

import pytest

from conftest import ROOT, run, seed

COMMANDS = [
    ["outline"], ["analyze"], ["phrases"], ["draft"],
    ["templates", "list"], ["templates", "show"], ["templates", "new"], ["templates", "validate"],
]


def test_top_level_help_lists_the_commands(runner):
    result = run(runner, "--help")
    assert result.exit_code == 0
    for name in ("outline", "analyze", "phrases", "draft", "templates"):
        assert name in result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(runner, command):
    result = run(runner, *command, "--help")
    assert result.exit_code == 0 and "Usage" in result.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "drafter " + " ".join(command) in readme


def test_every_option_is_in_the_readme(runner):
    import typer.main

    from drafter.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    commands = dict(group.commands)
    commands.update({f"templates {k}": v for k, v in group.commands["templates"].commands.items()})
    for name, command in commands.items():
        if hasattr(command, "commands"):  # the templates group (typer vendors its own click)
            continue
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, (name, opt)


def _bad(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("empty.txt", b"", "空文件"),
        ("blank.txt", b" \n\t\n\xe3\x80\x80\n", "空文件"),
        ("binary.txt", bytes(range(256)) * 8, "二进制"),
        ("fake.docx", "这不是 Word 文件".encode("utf-8"), "不是有效的 .docx"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "另存为 .docx"),
    ],
    ids=["empty", "blank", "binary", "docx-not-zip", "old-doc"],
)
def test_bad_files_give_one_chinese_line_and_exit_1(runner, tmp_path, name, content, words):
    path = _bad(tmp_path, name, content)
    result = run(runner, "outline", str(path), code=1)
    assert result.exit_code == 1
    assert words in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_broken_docx_zip(runner, tmp_path):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "no word document here")
    result = run(runner, "outline", str(path), code=1)
    assert result.exit_code == 1 and "Word" in result.stderr and "Traceback" not in result.stderr


def test_folder_where_a_file_is_needed(runner, tmp_path):
    result = run(runner, "outline", str(tmp_path), code=1)
    assert result.exit_code == 1 and "文件夹" in result.stderr


def test_missing_path(runner, tmp_path):
    missing = tmp_path / "没有这个文件.txt"
    for args in (["outline", str(missing)], ["analyze", str(missing), "-o", str(tmp_path / "b")]):
        result = run(runner, *args, code=1)
        assert result.exit_code == 1 and "找不到" in result.stderr and str(missing) in result.stderr


def test_analyze_output_that_is_a_file(runner, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = run(runner, "analyze", str(seed("000")), "-o", str(target), code=1)
    assert result.exit_code == 1 and "文件夹" in result.stderr


def test_missing_bank_folder(runner, tmp_path):
    result = run(runner, "phrases", "担当", "--bank", str(tmp_path / "nope"), code=1)
    assert result.exit_code == 1 and "drafter analyze" in result.stderr


def test_analyze_json_summary(runner, tmp_path):
    import json

    result = run(runner, "analyze", str(seed("002")), str(seed("003")), "-o", str(tmp_path), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["documents"] == 2 and data["counts"]["formula"] >= 1
    assert (tmp_path / "phrases.yaml").exists() and (tmp_path / "frames.yaml").exists()


def test_usage_errors_exit_2(runner):
    assert run(runner, "draft", code=2).exit_code == 2
    assert run(runner, "phrases", "--limit", "0", code=2).exit_code == 2


def test_python_dash_m_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "drafter", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and "draft" in out.stdout


def test_the_console_entry_builds_only_the_command_asked_for(runner):
    """`drafter draft …` builds an app holding the draft command alone (Typer would build every
    command's options first); the output is the whole app's, byte for byte. Help, a mistyped
    command and `templates …` get the whole app."""
    import typer.main

    from drafter.cli import app, app_for

    lean = typer.main.get_command(app_for(["draft", "廉政谈话"]))
    assert sorted(lean.commands) == ["draft"]
    for argv in ([], ["--help"], ["draftt"], ["templates", "list"]):
        assert app_for(argv) is app
    args = ["draft", "廉政谈话", "--seed", "3", "--date", "2026-05-18", "--org", "市税务局"]
    whole = run(runner, *args).stdout
    assert runner.invoke(app_for(args), args, catch_exceptions=False).stdout == whole
    mistake = runner.invoke(app_for(["draft", "--lenght", "4000"]), ["draft", "--lenght", "4000"])
    assert mistake.exit_code == 2 and "--length" in mistake.stderr


def test_help_into_a_closed_pipe_ends_without_a_traceback():
    """`drafter --help | head -1`: the reader goes away while rich is still writing."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "drafter", "--help"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the program starts writing: its first write finds no reader
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err


def test_the_readme_example_draft_is_what_the_command_prints(runner):
    """README's 一份完整的提纲 is the command's output, unedited (regenerate it when drafting or
    the built-in bank changes)."""
    import re
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 一份完整的提纲", 1)[1]
    command = re.search(r"`(drafter draft [^`]+)`", section).group(1)
    shown = re.search(r"````markdown\n(.*?)````", section, re.S).group(1)
    assert run(runner, *shlex.split(command)[1:]).stdout == shown
