"""Issue 12: hostile files, interrupted runs and user mistakes.

Every case runs `python -m drafter` as a subprocess under a 2 GB address-space limit and a
20-second timeout, and must end with exit 1 or 2, a Chinese message naming the culprit, no
traceback, and nothing of the user's lost or replaced."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

MEMORY = 2 * 1024**3
TIMEOUT = 20
BUILTIN = ROOT / "templates"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _limit_memory() -> None:  # runs in the child, before exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


_SHARED_CACHE: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _shared_cache(tmp_path_factory):
    """One cache folder for the module's runs (the built-in bank parsed once, not per case)."""
    _SHARED_CACHE.append(tmp_path_factory.mktemp("cache"))
    yield
    _SHARED_CACHE.pop()


def drafter(tmp_path: Path, *args: str, env: dict | None = None, cwd: Path | None = None, timeout: float = TIMEOUT):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    cache = _SHARED_CACHE[-1] if _SHARED_CACHE else home / ".cache"
    environment.update({"HOME": str(home), "XDG_CACHE_HOME": str(cache), "PYTHONIOENCODING": "utf-8"})
    environment.update(env or {})
    for key in [k for k, v in environment.items() if v is None]:
        del environment[key]
    return subprocess.run(
        [sys.executable, "-m", "drafter", *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        preexec_fn=_limit_memory,
        cwd=str(cwd or tmp_path),
        env=environment,
    )


def refused(result, *culprits: str, codes=(1,)) -> str:
    """Exit 1 (or 2), a Chinese message naming every culprit, no traceback."""
    err = result.stderr
    assert result.returncode in codes, (result.returncode, err[-2000:])
    assert "Traceback" not in err and "内部错误" not in err, err[-2000:]
    assert CJK.search(err), err
    for culprit in culprits:
        assert culprit in err, (culprit, err)
    return err


def user_templates(tmp_path: Path, name: str = "我的谈话", **changes: str) -> Path:
    """A user template folder with one occasion copied from 廉政谈话, lines replaced."""
    folder = tmp_path / "tpl"
    (folder / "occasions").mkdir(parents=True, exist_ok=True)
    text = (BUILTIN / "occasions" / "廉政谈话.yaml").read_text(encoding="utf-8").replace("name: 廉政谈话", f"name: {name}")
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    (folder / "occasions" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


TITLE = "title: 在{{ org }}{{ audience }}集体廉政谈话会上的讲话"
CLOSING_LINE = "closing:\n  - 同志们，"


# ---------------------------------------------------------------------------
# Resources: templates


@pytest.mark.parametrize(
    "expression",
    [
        "{{ 'x' * 10**10 }}",
        "{{ range(10**9)|list|length }}",
        "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
        "{{ '{:>999999999}'.format(1) }}",
    ],
    ids=["repeat", "range", "recursive-macro", "format-width"],
)
def test_template_string_asking_for_too_much(tmp_path, expression):
    folder = user_templates(tmp_path, **{TITLE: f'title: "{expression}"'})
    path = folder / "occasions" / "我的谈话.yaml"
    err = refused(drafter(tmp_path, "draft", "我的谈话", "--templates", str(folder)), str(path), "第 10 行")
    assert "已停止" in err
    if expression == "{{ 'x' * 10**10 }}":
        refused(drafter(tmp_path, "templates", "validate", str(path)), str(path), "第 10 行")


def test_nested_loops_in_a_template_string_stop_in_time(tmp_path):
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    folder = user_templates(tmp_path, **{CLOSING_LINE: f"closing:\n  - \"{loops}\"\n  - 同志们，"})
    path = folder / "occasions" / "我的谈话.yaml"
    err = refused(drafter(tmp_path, "templates", "validate", str(path)), str(path), "closing")
    assert "秒" in err


def test_nested_loops_in_the_layout_stop_in_time_and_name_its_line(tmp_path):
    folder = user_templates(tmp_path)
    lines = (BUILTIN / "speech.md.j2").read_text(encoding="utf-8").splitlines()
    lines.insert(6, "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}")
    (folder / "speech.md.j2").write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(drafter(tmp_path, "draft", "我的谈话", "--templates", str(folder)), str(folder / "speech.md.j2"), "第 7 行")


HOSTILE = [
    "{{ 'x' * 10**10 }}",
    "{{ 9 ** 9 ** 9 ** 9 }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%999999999d'|format(1) }}",
    "{{ 'x'|center(10**9) }}",
    "{{ 'x'|indent(10**9) }}",
    "{{ ('x\n' * 100000)|indent('y' * 100000) }}",
    "{{ ('x' * 1000000)|replace('', 'yyyyyyyyyy') }}",
    "{{ ('\t' * 100000).expandtabs(100000) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ range(100000)|map('center', 100000)|join }}",
    "{{ ([('x' * 1000000)] * 1000)|join }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% set ns = namespace(n=3) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "{% set l = [1] %}{% for i in range(40) %}{{ l.extend(l) }}{% endfor %}",
    "{% macro m(n) %}{{ m(n) }}{{ m(n) }}{% endmacro %}{{ m(1) }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}",
    "{% macro m() %}{% for i in range(100000) %}{% for j in range(1000) %}xx{% endfor %}{% endfor %}{% endmacro %}{{ m() }}",
    "{% set x %}{% for i in range(100000) %}{% for j in range(1000) %}xx{% endfor %}{% endfor %}{% endset %}",
    "{{ lipsum(100000) }}",
    "{{ ((((((((((((((((((((((((((((((((((((((((1" + ")" * 40 + " }}",
]


def test_a_class_of_hostile_expressions_is_refused_quickly_in_one_process(tmp_path):
    """No case may take the machine's memory; each ends in a message naming the template."""
    script = (
        "import json, sys\n"
        "from drafter.limits import RenderLimits\n"
        "from drafter.templating import sandbox, render_string\n"
        "from drafter.errors import DrafterError\n"
        "env = sandbox()\n"
        "env.limits = RenderLimits(seconds=0.5)  # the default time limit is tested by the CLI cases\n"
        "ctx = dict(org='o', audience='a', date='d', occasion='c', n_sections='四')\n"
        "out = []\n"
        "for case in json.loads(sys.stdin.read()):\n"
        "    try:\n"
        "        text = render_string(env, case, ctx, '模板文件 T.yaml 第 3 行（title）')\n"
        "        out.append(['ok', len(text)])\n"
        "    except DrafterError as exc:\n"
        "        out.append(['refused', str(exc)])\n"
        "print(json.dumps(out, ensure_ascii=False))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(HOSTILE), capture_output=True, text=True,
        timeout=40, preexec_fn=_limit_memory, cwd=str(tmp_path),
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    outcomes = json.loads(result.stdout)
    for case, (kind, detail) in zip(HOSTILE, outcomes):
        if kind == "ok":  # allowed only if it stayed small
            assert detail <= 1_000_000, case
        else:
            assert "T.yaml 第 3 行" in detail and "内部错误" not in detail, (case, detail)
    assert sum(kind == "refused" for kind, _ in outcomes) >= len(HOSTILE) - 2


def test_an_ordinary_draft_still_renders(tmp_path):
    result = drafter(tmp_path, "draft", "廉政谈话", "--org", "市纪委", "--seed", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# 在市纪委")


# ---------------------------------------------------------------------------
# Resources: YAML and Word files

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)


def _bank_copy(tmp_path: Path) -> Path:
    """A small bank folder: two generated files with one entry, the shipped themes and custom files."""
    bank = tmp_path / "bank"
    bank.mkdir()
    header = "# 由 drafter analyze 生成，请勿手工修改：重新分析会覆盖本文件。\n"
    entry = "entries:\n- text: 敢于担当\n  kind: term\n  themes: [担当作为]\n  count: 2\n  docs: 2\n  sources: []\n"
    (bank / "phrases.yaml").write_text(header + "version: 1\ndocuments: 2\n" + entry, encoding="utf-8")
    (bank / "frames.yaml").write_text(header + "version: 1\ndocuments: 2\nentries: []\n", encoding="utf-8")
    for name in ("themes.yaml", "custom.yaml"):
        shutil.copy(ROOT / "phrasebank" / name, bank / name)
    return bank


def test_yaml_alias_bomb_in_custom_yaml(tmp_path):
    bank = _bank_copy(tmp_path)
    (bank / "custom.yaml").write_text(BOMB + "themes: *j\nentries: []\n", encoding="utf-8")
    err = refused(drafter(tmp_path, "phrases", "担当", "--bank", str(bank)), str(bank / "custom.yaml"), "第 1 行")
    assert "锚点" in err or "别名" in err


def test_yaml_alias_bomb_in_a_template(tmp_path):
    folder = user_templates(tmp_path, **{"themes: [政治建设": BOMB.replace("\n", "\nx") + "themes: [政治建设"})
    refused(drafter(tmp_path, "draft", "我的谈话", "--templates", str(folder)), "我的谈话.yaml", "别名")


def test_huge_yaml_is_not_read(tmp_path):
    from drafter.fileio import MAX_YAML_BYTES

    bank = _bank_copy(tmp_path)
    with open(bank / "custom.yaml", "wb") as handle:
        handle.truncate(MAX_YAML_BYTES + 1)  # sparse: costs no disk
    refused(drafter(tmp_path, "phrases", "担当", "--bank", str(bank)), str(bank / "custom.yaml"), "太大")


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_bomb(path: Path, megabytes: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ))
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            handle.write(f'<w:document xmlns:w="{W}"><w:body>'.encode())
            chunk = b"<w:p/>" * 100_000
            for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                handle.write(chunk)
            handle.write(b"</w:body></w:document>")


@pytest.mark.parametrize("megabytes, why", [(100, "解压后"), (30, "段落")], ids=["unpacked-size", "paragraphs"])
def test_docx_bomb(tmp_path, megabytes, why):
    path = tmp_path / "炸弹.docx"
    _docx_bomb(path, megabytes)
    assert path.stat().st_size < 200_000
    refused(drafter(tmp_path, "outline", str(path)), str(path), why)


def test_docx_with_too_many_members_is_refused_before_its_directory_is_read(tmp_path):
    path = tmp_path / "部件.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(12_000):
            archive.writestr(f"x{i}", b"")
    refused(drafter(tmp_path, "outline", str(path)), str(path), "12,000 个部件")


def test_text_file_too_large_is_not_read(tmp_path):
    from drafter.corpus import MAX_TEXT_BYTES

    path = tmp_path / "大.txt"
    with open(path, "wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)
    refused(drafter(tmp_path, "outline", str(path)), str(path), "太大")


def test_a_line_of_millions_of_characters_is_refused(tmp_path):
    """Within the size limit, but one line: outlining a 2.6-million-character line passed 2 GB."""
    from drafter.corpus import MAX_LINE_CHARS

    path = tmp_path / "一行.txt"
    seed = (SEEDS / "000_7a7045657be6b44d.txt").read_text(encoding="utf-8").replace("\n", "")
    path.write_text((seed * (MAX_LINE_CHARS // len(seed) + 2))[: MAX_LINE_CHARS + 10], encoding="utf-8")
    refused(drafter(tmp_path, "outline", str(path)), str(path), "第 1 行")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_special_files_as_input_are_refused_without_waiting(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "管道.txt"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    refused(drafter(tmp_path, "outline", str(path)), str(path), "普通文件")


# ---------------------------------------------------------------------------
# Reading: encodings


def test_big5_is_read_not_called_binary(tmp_path):
    """The Big5 file reads exactly as the same text saved in UTF-8."""
    text = (SEEDS / sorted(os.listdir(SEEDS))[0]).read_text(encoding="utf-8")
    import zhconv

    text = zhconv.convert(text, "zh-tw")
    big5 = tmp_path / "繁體.txt"
    big5.write_bytes(text.encode("big5", errors="ignore"))
    utf8 = tmp_path / "繁體-utf8.txt"
    utf8.write_text(big5.read_bytes().decode("big5"), encoding="utf-8")
    results = [drafter(tmp_path, "outline", str(path), "--json") for path in (big5, utf8)]
    assert all(r.returncode == 0 for r in results), results[0].stderr
    first, second = (json.loads(r.stdout) for r in results)
    first.pop("source"), second.pop("source")
    assert first == second and "們" in json.dumps(first, ensure_ascii=False)


# ---------------------------------------------------------------------------
# Writing files: -o


def _draft_to(tmp_path: Path, target: str, *extra: str):
    return drafter(tmp_path, "draft", "廉政谈话", "-o", target, *extra)


def test_output_symlink_is_never_followed_nor_replaced(tmp_path):
    victim = tmp_path / "重要.txt"
    victim.write_text("原文", encoding="utf-8")
    link = tmp_path / "out.md"
    link.symlink_to(victim)
    refused(_draft_to(tmp_path, str(link), "--force"), str(link), "符号链接")
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "原文"


def test_output_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    refused(_draft_to(tmp_path, str(fifo), "--force"), str(fifo), "不是普通文件")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_hard_link_is_not_broken(tmp_path):
    first = tmp_path / "a.md"
    first.write_text("原文", encoding="utf-8")
    second = tmp_path / "b.md"
    os.link(first, second)
    refused(_draft_to(tmp_path, str(second), "--force"), str(second), "硬链接")
    assert os.path.samefile(first, second) and first.read_text(encoding="utf-8") == "原文"


def test_output_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "out.md"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        refused(_draft_to(tmp_path, str(path), "--force"), str(path), "不是普通文件")
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_output_device_is_refused_before_anything_is_written():
    """Checked in-process: run as root by a broken drafter, this would replace /dev/full."""
    from drafter.fileio import output_problem

    for device in ("/dev/full", "/dev/null"):
        assert "不是普通文件" in output_problem(Path(device), force=True)


def test_output_existing_file_kept_without_force(tmp_path):
    target = tmp_path / "out.md"
    target.write_text("原文", encoding="utf-8")
    refused(_draft_to(tmp_path, str(target)), str(target), "--force")
    assert target.read_text(encoding="utf-8") == "原文"
    result = _draft_to(tmp_path, str(target), "--force")
    assert result.returncode == 0 and target.read_text(encoding="utf-8").startswith("# ")


def test_output_dash_is_standard_output(tmp_path):
    result = _draft_to(tmp_path, "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# ") and not (tmp_path / "-").exists()


def test_output_into_a_missing_folder_names_it_and_creates_nothing(tmp_path):
    target = tmp_path / "没有" / "这层" / "out.md"
    refused(_draft_to(tmp_path, str(target)), str(tmp_path / "没有"), "不存在")
    assert not (tmp_path / "没有").exists()


# ---------------------------------------------------------------------------
# Cache


def test_missing_home_means_no_cache_and_no_created_folder(tmp_path):
    home = tmp_path / "不存在的家"
    bank = _bank_copy(tmp_path)
    result = drafter(tmp_path, "phrases", "担当", "--bank", str(bank), env={"HOME": str(home), "XDG_CACHE_HOME": None})
    assert result.returncode == 0 and "敢于担当" in result.stdout, result.stderr
    assert not home.exists()


def test_analysis_with_no_cache_and_a_foreign_jieba_cache_is_quiet(tmp_path):
    """jieba writes its cache next to a file it cannot replace (another user's, here a
    folder): it used to print "Dump cache file failed" with a traceback on every run."""
    trap = tmp_path / "tmp"
    (trap / "jieba.cache").mkdir(parents=True)
    home = tmp_path / "不存在的家"
    result = drafter(
        tmp_path, "analyze", *sorted(str(p) for p in SEEDS.glob("*.txt")), "-o", str(tmp_path / "bank"),
        env={"HOME": str(home), "XDG_CACHE_HOME": None, "TMPDIR": str(trap)},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Dump cache" not in result.stderr
    assert not home.exists()


# ---------------------------------------------------------------------------
# Mistakes that passed in silence: templates


def test_template_key_typo_names_file_line_and_nearest_key(tmp_path):
    folder = user_templates(tmp_path, **{"salutation:": "salutaion:"})
    path = folder / "occasions" / "我的谈话.yaml"
    refused(drafter(tmp_path, "templates", "validate", str(path)), str(path), "第 11 行", "salutaion", "salutation")
    refused(drafter(tmp_path, "draft", "我的谈话", "--templates", str(folder)), "salutaion", "salutation")


def test_template_name_must_match_its_file_name(tmp_path):
    folder = user_templates(tmp_path)
    path = folder / "occasions" / "我的谈话.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: 我的谈话", "name: 别的名字"), encoding="utf-8")
    refused(drafter(tmp_path, "templates", "validate", str(path)), str(path), "别的名字", "我的谈话")
    refused(drafter(tmp_path, "draft", "我的谈话", "--templates", str(folder)), str(path), "别的名字")


@pytest.mark.parametrize("command", ["draft", "show"])
def test_occasion_names_are_plain_names_never_paths(tmp_path, command):
    (tmp_path / "outside.yaml").write_text("title: 外面的秘密\nopening: [秘密]\nclosing: [秘密]\n", encoding="utf-8")
    folder = user_templates(tmp_path)
    args = ["draft", "../../outside"] if command == "draft" else ["templates", "show", "../../outside"]
    result = drafter(tmp_path, *args, "--templates", str(folder))
    refused(result, "../../outside")
    assert "秘密" not in result.stdout


def test_template_file_linked_from_outside_the_folder_is_refused(tmp_path):
    folder = user_templates(tmp_path)
    secret = tmp_path / "secret.j2"
    secret.write_text("秘密内容\n", encoding="utf-8")
    (folder / "speech.md.j2").symlink_to(secret)
    result = drafter(tmp_path, "draft", "我的谈话", "--templates", str(folder))
    refused(result, "speech.md.j2", "之外")
    assert "秘密内容" not in result.stdout


# ---------------------------------------------------------------------------
# Option values


def test_template_marks_in_an_option_are_never_blamed_on_the_template_nor_run(tmp_path):
    result = drafter(tmp_path, "draft", "廉政谈话", "--org", "{{ 7*7 }}市纪委")
    err = refused(result, "--org")
    assert "49" not in result.stdout and "templates/occasions" not in err


def test_word_soft_line_break_in_an_option_makes_a_word_file(tmp_path):
    import docx

    target = tmp_path / "讲话.docx"
    result = drafter(tmp_path, "draft", "廉政谈话", "--org", "市纪委\x0b第一党支部", "-f", "docx", "-o", str(target))
    assert result.returncode == 0, result.stderr
    title = docx.Document(str(target)).paragraphs[0].text
    assert "市纪委" in title and "第一党支部" in title


# ---------------------------------------------------------------------------
# In-process checks of the same rules (fast)


def test_every_built_in_template_passes_the_strict_checks():
    from drafter.template_check import check_occasion

    for path in sorted((BUILTIN / "occasions").glob("*.yaml")):
        assert check_occasion(path)[1] == [], path
    for layout in ("speech.md.j2", "speech.txt.j2"):
        assert check_occasion(BUILTIN / layout)[1] == []


def test_a_layout_is_validated_by_rendering_it_under_the_limits(tmp_path):
    from drafter.template_check import check_occasion

    layout = tmp_path / "speech.md.j2"
    layout.write_text("# {{ draft.title }}\n{{ 'x' * 10**10 }}\n", encoding="utf-8")
    [problem] = check_occasion(layout)[1]
    assert str(layout) in problem and "第 2 行" in problem
    layout.write_text("# {{ draft.titel }}\n", encoding="utf-8")
    [problem] = check_occasion(layout)[1]
    assert "titel" in problem


def test_points_file_keys_are_strict(tmp_path):
    from drafter.errors import DrafterError
    from drafter.templating import load_point_headings

    (tmp_path / "points.yaml").write_text("heading:\n  廉洁自律: [守住底线]\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="第 1 行.*heading.*headings"):
        load_point_headings(tmp_path)


def test_too_many_paragraphs_in_a_template_are_one_message(tmp_path):
    from drafter.template_check import check_occasion

    folder = user_templates(tmp_path, **{CLOSING_LINE: "closing:\n" + "  - 同志们。\n" * 5000 + "  - 同志们，"})
    problems = check_occasion(folder / "occasions" / "我的谈话.yaml")[1]
    assert len(problems) == 1 and "最多 100 项" in problems[0]


def test_new_template_never_overwrites_and_creates_no_deep_folders(tmp_path):
    from drafter.errors import DrafterError
    from drafter.templating import new_occasion

    with pytest.raises(DrafterError, match="不存在"):
        new_occasion("我的", "廉政谈话", tmp_path / "a" / "b")
    assert not (tmp_path / "a").exists()
    path = new_occasion("我的", "廉政谈话", tmp_path / "tpl")
    path.write_text("我改过的", encoding="utf-8")
    with pytest.raises(DrafterError, match="已存在"):
        new_occasion("我的", "廉政谈话", tmp_path / "tpl")
    assert path.read_text(encoding="utf-8") == "我改过的"
    for bad in ("../我的", ".隐藏", "a/b"):
        with pytest.raises(DrafterError, match="不能"):
            new_occasion(bad, "廉政谈话", tmp_path / "tpl")


def test_jieba_keeps_its_cache_in_our_cache_folder(tmp_path, monkeypatch):
    import importlib

    import jieba

    segment = importlib.import_module("drafter.mining.segment")  # drafter.mining.segment is also a function
    monkeypatch.setattr(jieba, "initialize", lambda: None)  # the real run is test_analysis_with_no_cache…
    monkeypatch.setattr(jieba.dt, "tmp_dir", jieba.dt.tmp_dir)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    segment._jieba.cache_clear()
    try:
        assert segment._jieba().dt.tmp_dir == str(tmp_path / "cache" / "drafter")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "missing" / "cache"))
        segment._jieba.cache_clear()
        assert segment._jieba().dt.tmp_dir == os.devnull
        assert not (tmp_path / "missing").exists()
    finally:
        segment._jieba.cache_clear()


def test_cache_folder_rules(tmp_path, monkeypatch):
    from drafter.fileio import cache_dir

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for home in ("", "relative/home", str(tmp_path / "missing")):
        monkeypatch.setenv("HOME", home)
        assert cache_dir() is None, home
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == tmp_path / ".cache" / "drafter"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    assert cache_dir() == tmp_path / ".cache" / "drafter"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "drafter"


def test_word_text_keeps_what_xml_can_hold():
    from drafter.docx import xml_text

    assert xml_text("市纪委\x0b一支部\x0c二支部") == "市纪委\n一支部\n二支部"
    assert xml_text("a\x00b\x1fc\ufffed\udce4") == "abcd\ufffd"
    assert xml_text("制表\t换行\n") == "制表\t换行\n"


def test_a_folder_tree_deeper_than_the_recursion_limit_and_a_file_named_twice(tmp_path):
    from drafter.corpus import expand_paths

    folder = tmp_path / "深"
    deepest = folder.joinpath(*["a"] * 150)
    deepest.mkdir(parents=True)
    (deepest / "讲话.txt").write_text("同志们：今天开会。\n", encoding="utf-8")
    link = tmp_path / "链接.txt"
    os.link(deepest / "讲话.txt", link)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(100 + len(__import__("inspect").stack()))  # a recursive walk fails at this depth
    try:
        found = expand_paths([folder, deepest / "讲话.txt", link])
    finally:
        sys.setrecursionlimit(limit)
    assert found == [deepest / "讲话.txt"]


def test_render_limits_hold_in_a_thread_and_leave_the_process_as_it_was():
    """A web page renders in a worker thread: no SIGALRM there, a trace function instead."""
    import resource
    import signal
    import threading

    from drafter.errors import DrafterError
    from drafter.limits import RenderLimits
    from drafter.templating import render_string, sandbox

    env = sandbox()
    env.limits = RenderLimits(seconds=0.5)
    context = dict(org="o", audience="a", date="d", occasion="c", n_sections="四")
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    outcome = []

    def render() -> None:
        try:
            render_string(env, loops, context, "T.yaml")
        except DrafterError as exc:
            outcome.append(str(exc))

    before = (signal.getsignal(signal.SIGALRM), resource.getrlimit(resource.RLIMIT_AS), sys.gettrace())
    thread = threading.Thread(target=render)
    thread.start()
    thread.join(20)
    assert not thread.is_alive() and outcome and "秒" in outcome[0]
    with pytest.raises(DrafterError, match="秒"):
        render_string(env, loops, context, "T.yaml")  # main thread: SIGALRM
    assert (signal.getsignal(signal.SIGALRM), resource.getrlimit(resource.RLIMIT_AS), sys.gettrace()) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# ---------------------------------------------------------------------------
# Mistakes that passed in silence: banks and options


def test_custom_yaml_with_phrases_instead_of_entries(tmp_path):
    bank = _bank_copy(tmp_path)
    (bank / "custom.yaml").write_text("# 我的词条\nphrases:\n- text: 干净干事、清白做人\n  kind: parallel\n", encoding="utf-8")
    refused(drafter(tmp_path, "phrases", "干净", "--bank", str(bank)), str(bank / "custom.yaml"), "第 2 行", "phrases", "entries")


def test_custom_entry_key_typo_names_the_nearest_key(tmp_path):
    bank = _bank_copy(tmp_path)
    (bank / "custom.yaml").write_text("entries:\n- text: 干净干事\n  kind: term\n  themse: [廉洁自律]\n", encoding="utf-8")
    refused(drafter(tmp_path, "phrases", "干净", "--bank", str(bank)), str(bank / "custom.yaml"), "第 4 行", "themse", "themes")


def test_themes_file_key_typo(tmp_path):
    bank = _bank_copy(tmp_path)
    (bank / "themes.yaml").write_text("theme:\n  廉洁自律: [廉洁]\n", encoding="utf-8")
    refused(drafter(tmp_path, "phrases", "担当", "--bank", str(bank)), str(bank / "themes.yaml"), "theme", "themes")


def test_bank_folder_without_phrases_yaml(tmp_path):
    bank = tmp_path / "空词库"
    bank.mkdir()
    (bank / "custom.yaml").write_text("entries: []\n", encoding="utf-8")
    refused(drafter(tmp_path, "phrases", "担当", "--bank", str(bank)), str(bank), "phrases.yaml")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """A bank mined from two seed speeches ("old") and one from all five ("new"), and how long
    the second analysis took."""
    import time

    tmp_path = tmp_path_factory.mktemp("runs")
    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    old, new = tmp_path / "old", tmp_path / "new"
    assert drafter(tmp_path, "analyze", seeds[0], seeds[1], "-o", str(old)).returncode == 0
    started = time.monotonic()
    assert drafter(tmp_path, "analyze", *seeds, "-o", str(new)).returncode == 0
    return old, new, time.monotonic() - started


def test_mismatched_bank_is_an_error_naming_it(tmp_path, two_runs):
    old_run, new_run, _ = two_runs
    old = tmp_path / "old"
    shutil.copytree(old_run, old)
    shutil.copy(new_run / "phrases.yaml", old / "phrases.yaml")  # the new phrases with the old frames
    refused(drafter(tmp_path, "phrases", "担当", "--bank", str(old)), str(old), "phrases.yaml", "frames.yaml")


@pytest.mark.parametrize(
    "args, culprit, codes",
    [
        (["--sections", "0"], "--sections", (1, 2)),
        (["--sections", "99"], "--sections", (1, 2)),
        (["--theme", "不存在的主题"], "廉洁自律", (1, 2)),
        (["--date", ""], "--date", (1, 2)),
        (["--seed", "-1"], "--seed", (2,)),
        (["-f", "pdf"], "pdf", (2,)),
        (["--bogus"], "--bogus", (2,)),
        (["--sections"], "--sections", (2,)),
    ],
    ids=["sections-0", "sections-99", "unknown-theme", "empty-date", "negative-seed", "pdf", "unknown-option", "missing-value"],
)
def test_option_mistakes(tmp_path, args, culprit, codes):
    result = drafter(tmp_path, "draft", "廉政谈话", *args)
    err = refused(result, culprit, codes=codes)
    assert "Usage" not in err and "Error" not in err and not result.stdout


def test_usage_errors_are_chinese_with_exit_2(tmp_path):
    for args, culprit in ((["draft"], "OCCASION"), (["frob"], "frob"), (["phrases", "-n", "x"], "-n")):
        err = refused(drafter(tmp_path, *args), culprit, codes=(2,))
        assert "Usage" not in err and "Missing" not in err and "Invalid" not in err


# ---------------------------------------------------------------------------
# Folders: unreadable files, files given twice


def test_analysis_skips_bad_files_with_a_warning_and_counts_them(tmp_path):
    corpus = tmp_path / "语料"
    shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("reports"))
    (corpus / "空.txt").write_bytes(b"")
    (corpus / "坏.docx").write_bytes(b"PK\x03\x04 broken")
    out = tmp_path / "bank"
    result = drafter(tmp_path, "analyze", str(corpus), "-o", str(out), "--json")
    assert result.returncode == 0, result.stderr
    assert str(corpus / "空.txt") in result.stderr and str(corpus / "坏.docx") in result.stderr
    summary = json.loads(result.stdout)
    assert summary["documents"] == 5 and summary["skipped"] == 2
    strict = drafter(tmp_path, "analyze", str(corpus), "-o", str(tmp_path / "strict"), "--strict")
    refused(strict, "坏.docx")
    assert not (tmp_path / "strict" / "phrases.yaml").exists()


def test_a_file_given_twice_is_read_once(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = drafter(tmp_path, "analyze", str(seed), str(seed), str(SEEDS / ".." / "seeds" / seed.name), "-o", str(tmp_path / "b"), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["documents"] == 1


def test_analysis_into_a_missing_folder_names_it(tmp_path):
    target = tmp_path / "没有" / "词库"
    refused(drafter(tmp_path, "analyze", str(SEEDS / "000_7a7045657be6b44d.txt"), "-o", str(target)), str(tmp_path / "没有"))
    assert not (tmp_path / "没有").exists()


# ---------------------------------------------------------------------------
# Interrupted and concurrent runs


def test_a_second_analysis_of_the_same_folder_is_refused(tmp_path):
    from drafter.fileio import folder_lock

    out = tmp_path / "bank"
    out.mkdir()
    with folder_lock(out):  # as a running analysis holds it
        result = drafter(tmp_path, "analyze", str(SEEDS / "000_7a7045657be6b44d.txt"), "-o", str(out))
    refused(result, str(out), "另一个")
    assert not (out / "phrases.yaml").exists()


def _bank_bytes(folder: Path) -> tuple[bytes, bytes] | None:
    from drafter.fileio import file_set_paths

    paths = file_set_paths(folder, ["phrases.yaml", "frames.yaml"])
    if not paths["phrases.yaml"].exists():
        return None
    return paths["phrases.yaml"].read_bytes(), paths["frames.yaml"].read_bytes()


def test_killing_analyze_at_many_moments_leaves_one_run_old_or_new(tmp_path, two_runs):
    """SIGKILL at several moments of a real run (test_fileio kills the writer at every step of
    the write itself): the bank read afterwards is the old one or the new one, never a mix."""
    import signal
    import time

    old_run, new_run, took = two_runs
    old, new = _bank_bytes(old_run), _bank_bytes(new_run)
    assert old != new
    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    env.update({"HOME": str(tmp_path), "XDG_CACHE_HOME": str(_SHARED_CACHE[-1])})
    outcomes = []
    # one kill surely before anything is written (start-up alone takes longer), three around the
    # end of a run as long as the one measured (the write is its last moment)
    for i, delay in enumerate((0.3, 0.8 * took, 0.95 * took, 1.05 * took)):
        folder = tmp_path / f"run{i}"
        shutil.copytree(old_run, folder)
        process = subprocess.Popen(
            [sys.executable, "-m", "drafter", "analyze", *seeds, "-o", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_limit_memory, env=env, cwd=str(tmp_path),
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        _, err = process.communicate(timeout=TIMEOUT)
        state = _bank_bytes(folder)
        assert state in (old, new), (delay, folder)
        assert b"Traceback" not in err
        outcomes.append("new" if state == new else "old")
    assert outcomes[0] == "old", outcomes


def test_sigterm_stops_analysis_and_its_workers_quietly(tmp_path):
    import signal
    import time

    out = tmp_path / "bank"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTER_")}
    env.update({"HOME": str(tmp_path), "XDG_CACHE_HOME": str(_SHARED_CACHE[-1])})
    corpus = SEEDS / "reports" if (SEEDS / "reports").is_dir() else SEEDS
    process = subprocess.Popen(
        [sys.executable, "-m", "drafter", "analyze", str(corpus), "-o", str(out), "--workers", "2", "--no-cache"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_limit_memory, env=env, cwd=str(tmp_path),
    )
    # the signal goes once the analysis is under way (its worker processes started), not after
    # a fixed delay: on a slow machine that fell before it began, on a fast one after it ended
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + TIMEOUT
    while children.exists() and not children.read_text().split() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not children.exists():  # no /proc (not Linux): a delay as good as any
        time.sleep(2.0)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode in (1, 2) or (process.returncode == 0 and (out / "phrases.yaml").exists()), err
    assert "Traceback" not in err and "Error" not in err, err
    if process.returncode:
        assert "中断" in err and not (out / "phrases.yaml").exists()


def test_workers_are_capped_at_the_cpu_count(monkeypatch):
    from drafter import workers

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    assert [workers.cap_workers(n) for n in (None, 1, 2, 100)] == [None, 1, 2, 2]


def test_usage_errors_in_process_are_chinese_too(runner):
    """CliRunner goes through the same group class as the console script."""
    from drafter.cli import app

    for args, expected in (
        (["draft", "廉政谈话", "--sed", "1"], "您是不是要写 --seed"),
        (["draft", "廉政谈话", "--seed", "x"], "不是整数"),
        (["draft", "廉政谈话", "--sections"], "后面要跟一个值"),
        (["draft", "廉政谈话", "多余"], "多出了参数"),
        (["templates", "frob"], "可用的命令"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and expected in result.stderr, (args, result.stderr)


def test_stopping_the_workers_never_waits_forever():
    """A worker killed while it writes a result leaves the result queue's lock held, and
    Pool.terminate() then waits forever for the pool's task-handler thread (seen once in six
    runs of the SIGTERM test above: the analysis never exited). Closing the engine waits a
    few seconds at most and leaves no worker behind. The held lock is simulated here."""
    import time

    from drafter.mining import LocalEngine
    from drafter.workers import POOL_STOP_WAIT

    engine = LocalEngine(2)
    pool = engine.pool
    assert engine.map(abs, [-1, -2, -3]) == [1, 2, 3]
    workers = list(pool._pool)
    lock = pool._outqueue._wlock
    lock.acquire()  # as a worker killed in the middle of its put would leave it
    try:
        start = time.monotonic()
        engine.close()
        assert time.monotonic() - start < POOL_STOP_WAIT + 10
        for process in workers:
            process.join(10)
            assert process.exitcode is not None
    finally:
        lock.release()  # the pool's stuck thread ends


def test_a_stop_while_the_workers_start_stops_them_once_started(monkeypatch):
    """SIGTERM while a pool forks its workers: Stopped raised inside a fork's at-fork hook is only
    printed ("Exception ignored in: <function _releaseLock>" and a traceback) and the run goes
    on. The stop is held until the pool is made, then the pool is stopped and Stopped raised."""
    import multiprocessing
    import signal

    from drafter import mining
    from drafter.workers import Stopped, stop_on_signals

    context = multiprocessing.get_context("fork")
    real = type(context).Pool
    made = []

    def pool_stopped_while_made(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(1000):  # the handler runs between bytecodes, here inside the start
            pass
        made.append(real(self, *args, **kwargs))
        return made[-1]

    monkeypatch.setattr(type(context), "Pool", pool_stopped_while_made)
    with stop_on_signals(), pytest.raises(Stopped):
        mining._start_pool(2)
    assert made, "the stop was raised inside the pool's start"
    assert all(worker.exitcode is not None for worker in made[0]._pool)
