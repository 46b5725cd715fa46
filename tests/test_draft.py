"""Stages 5–6: drafting skeletons from occasion templates, in every format."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT, run
from drafter.bank import load_bank
from drafter.choosing import fill_frame
from drafter.draft import DraftOptions, build_draft, draft_to_dict
from drafter.errors import DrafterError
from drafter.templating import find_occasion, list_occasions, load_point_headings, sandbox

OCCASIONS = sorted(p.stem for p in (ROOT / "templates" / "occasions").glob("*.yaml"))
LEAK = re.compile(r"\{\{|\}\}|\{%|%\}|\{\}|None|null|Undefined")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif value is None:
        yield "None"


def make(name: str, seed: int = 0, bank=None, **options):
    occasion = find_occasion(name, None)
    return build_draft(
        occasion, bank or load_bank(ROOT / "phrasebank"), DraftOptions(seed=seed, **options), load_point_headings(None), sandbox()
    )


def test_the_builtin_occasions_cover_the_seeds_and_common_meetings():
    for name in ["警示教育大会", "座谈会", "廉政谈话", "集体约谈", "组织生活会", "工作会议", "专题党课", "民主生活会", "表彰大会"]:
        assert name in OCCASIONS


@pytest.mark.parametrize("name", OCCASIONS)
@pytest.mark.parametrize("fmt", ["md", "txt", "json"])
def test_every_occasion_drafts_in_every_text_format(runner, name, fmt):
    result = run(runner, "draft", name, "--org", "市纪委", "--audience", "新任科级干部", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        for section in data["sections"]:
            assert "{}" in section.pop("frame")  # the frame keeps its slots; nothing else may
        assert not any(LEAK.search(text) for text in _strings(data)), data
        assert {"occasion", "title", "salutation", "opening", "sections", "closing"} <= set(data)
        point = data["sections"][0]["points"][0]
        assert {"heading", "phrases"} <= set(point)
        assert {"text", "kind", "source"} <= set(point["phrases"][0]) and {"doc", "line"} <= set(point["phrases"][0]["source"])
    else:
        assert not LEAK.search(result.stdout), result.stdout
    if fmt == "txt":
        assert "#" not in result.stdout and ">" not in result.stdout


@pytest.mark.parametrize("name", OCCASIONS)
def test_every_occasion_drafts_to_word(runner, tmp_path, name):
    out = tmp_path / f"{name}.docx"
    result = run(runner, "draft", name, "--format", "docx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    import docx

    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "一、" in text and not LEAK.search(text)


def test_a_draft_a_speechwriter_can_start_from():
    draft = make("廉政谈话", seed=1, org="市纪委", audience="新任科级干部", date=__import__("datetime").date(2026, 5, 18))
    assert draft.title == "在市纪委新任科级干部集体廉政谈话会上的讲话"
    assert draft.date_line == "（2026年5月18日）"
    assert draft.salutation == "同志们："
    assert "【" in draft.opening[0]  # placeholders for what only the writer knows
    assert draft.opening[-1] == f"下面，我讲{'一二三四五'[len(draft.sections) - 1]}点意见，与同志们共勉。"
    assert 3 <= len(draft.sections) <= 5
    for section in draft.sections:
        assert 2 <= len(section.points) <= 3
        assert all(point.phrases for point in section.points)


def test_same_seed_same_draft_and_ten_seeds_differ():
    first = draft_to_dict(make("廉政谈话", seed=7))
    assert draft_to_dict(make("廉政谈话", seed=7)) == first
    headings = {tuple(s["heading"] for s in draft_to_dict(make("廉政谈话", seed=s))["sections"]) for s in range(10)}
    phrases = {
        tuple(p["text"] for sec in draft_to_dict(make("廉政谈话", seed=s))["sections"] for pt in sec["points"] for p in pt["phrases"])
        for s in range(10)
    }
    assert len(headings) >= 5 and len(phrases) >= 9


@pytest.mark.parametrize("name", OCCASIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_top_level_headings_are_fills_of_one_frame(name, seed):
    draft = make(name, seed=seed)
    frames = {s.frame for s in draft.sections}
    assert len(frames) == 1
    frame = frames.pop()
    pattern = re.compile("^" + "(.+?)".join(map(re.escape, frame.split("{}"))) + "$")
    assert all(pattern.match(s.heading) for s in draft.sections)
    assert len({s.heading for s in draft.sections}) == len(draft.sections)


@pytest.mark.parametrize("name", OCCASIONS)
def test_no_phrase_twice_and_every_source_is_real(name):
    draft = make(name, seed=3)
    texts = [p.text for s in draft.sections for pt in s.points for p in pt.phrases]
    assert len(texts) == len(set(texts))
    for section in draft.sections:
        for point in section.points:
            for phrase in point.phrases:
                lines = (ROOT / phrase.source["doc"]).read_text(encoding="utf-8").splitlines()
                assert phrase.text.replace("“", "")[:10] in lines[phrase.source["line"] - 1].replace("“", ""), phrase


def test_themes_steer_the_sections():
    draft = make("廉政谈话", seed=2, themes=["家风建设"])
    assert any(s.theme == "家风建设" for s in draft.sections)


def test_sections_out_of_range_is_a_clear_error(runner):
    result = run(runner, "draft", "廉政谈话", "--sections", "9", code=1)
    assert result.exit_code == 1 and "3 到 5" in result.stderr and "Traceback" not in result.stderr


def test_unknown_occasion_lists_the_available_ones(runner):
    result = run(runner, "draft", "联欢会", code=1)
    assert result.exit_code == 1 and "廉政谈话" in result.stderr


def test_alias_finds_the_occasion(runner):
    result = run(runner, "draft", "警示教育")
    assert result.exit_code == 0 and "警示教育大会" in result.stdout


def test_bad_date_is_a_clear_error(runner):
    result = run(runner, "draft", "座谈会", "--date", "下周一", code=1)
    assert result.exit_code == 1 and "日期" in result.stderr


def test_output_file_is_not_overwritten_without_force(runner, tmp_path):
    out = tmp_path / "讲话稿.md"
    out.write_text("我自己写的稿子", encoding="utf-8")
    result = run(runner, "draft", "座谈会", "-o", str(out), code=1)
    assert result.exit_code == 1 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "我自己写的稿子"
    assert run(runner, "draft", "座谈会", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# 在")


def test_docx_needs_an_output_file(runner):
    result = run(runner, "draft", "座谈会", "--format", "docx", code=1)
    assert result.exit_code == 1 and "-o" in result.stderr


def test_draft_does_not_import_jieba():
    code = (
        "import sys; from typer.testing import CliRunner; from drafter.cli import app; "
        "r = CliRunner().invoke(app, ['draft', '廉政谈话']); assert r.exit_code == 0, r.output; print('jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_empty_bank_still_drafts_from_the_template(tmp_path):
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    (bank_dir / "phrases.yaml").write_text("entries: []\n", encoding="utf-8")  # a folder without it is no bank
    (bank_dir / "custom.yaml").write_text("entries: []\n", encoding="utf-8")
    draft = make("集体约谈", bank=load_bank(bank_dir))
    assert len(draft.sections) == 4 and all(s.heading for s in draft.sections)


def test_a_mined_frame_with_long_report_headings_is_not_used_for_a_speech(tmp_path):
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    long_fills = [[f"正确把握宏观调控的方向和力度，实施积极的财政政策第{i}条"] for i in "一二三四五"]
    frame = {"text": "坚持{}", "kind": "frame", "themes": ["廉洁自律"], "count": 5, "docs": 3, "sources": [], "fills": long_fills}
    (bank_dir / "frames.yaml").write_text(json.dumps({"entries": [frame]}, ensure_ascii=False), encoding="utf-8")
    (bank_dir / "phrases.yaml").write_text("entries: []\n", encoding="utf-8")  # a folder without it is no bank
    for seed in range(10):
        draft = make("廉政谈话", seed=seed, bank=load_bank(bank_dir))
        assert all(s.frame != "坚持{}" for s in draft.sections)


def test_fill_frame():
    assert fill_frame("以{}之心对待{}", ["赤诚", "组织"]) == "以赤诚之心对待组织"


# --- templates: customisation, layering, validation, sandbox ---------------------------


def test_templates_list_shows_builtins_and_user_ones(runner, tmp_path):
    result = run(runner, "templates", "new", "我的廉政谈话", "--from", "廉政谈话", "--dir", str(tmp_path))
    assert result.exit_code == 0
    listed = run(runner, "templates", "list", "--templates", str(tmp_path), "--json")
    data = json.loads(listed.stdout)
    assert {"我的廉政谈话", "廉政谈话"} <= {d["name"] for d in data}
    assert next(d for d in data if d["name"] == "我的廉政谈话")["origin"] == "用户"


def test_copy_edit_and_draft_from_a_user_template(runner, tmp_path):
    run(runner, "templates", "new", "我的廉政谈话", "--from", "廉政谈话", "--dir", str(tmp_path))
    path = tmp_path / "occasions" / "我的廉政谈话.yaml"
    text = path.read_text(encoding="utf-8").replace("与同志们共勉", "请大家记在心上")
    path.write_text(text, encoding="utf-8")
    result = run(runner, "draft", "我的廉政谈话", "--templates", str(tmp_path))
    assert result.exit_code == 0 and "请大家记在心上" in result.stdout
    again = run(runner, "templates", "new", "我的廉政谈话", "--from", "廉政谈话", "--dir", str(tmp_path), code=1)
    assert again.exit_code == 1 and "已存在" in again.stderr


def test_user_folder_overrides_a_builtin_name_by_name(runner, tmp_path, monkeypatch):
    (tmp_path / "occasions").mkdir()
    source = (ROOT / "templates" / "occasions" / "座谈会.yaml").read_text(encoding="utf-8")
    (tmp_path / "occasions" / "座谈会.yaml").write_text(source.replace("同志们：", "各位同事："), encoding="utf-8")
    monkeypatch.setenv("DRAFTER_TEMPLATES", str(tmp_path))
    result = run(runner, "draft", "座谈会")
    assert "各位同事：" in result.stdout
    assert "同志们：" in run(runner, "draft", "廉政谈话").stdout  # other names still built in


def test_broken_yaml_is_reported_with_its_line(runner, tmp_path):
    (tmp_path / "occasions").mkdir()
    bad = tmp_path / "occasions" / "坏模板.yaml"
    bad.write_text("name: 坏模板\ntitle: 在{{ org }}上的讲话\nopening:\n  - 第一段\n closing: [\n", encoding="utf-8")
    result = run(runner, "draft", "坏模板", "--templates", str(tmp_path), code=1)
    assert result.exit_code == 1 and "坏模板.yaml" in result.stderr and "第 5 行" in result.stderr
    assert "Traceback" not in result.stderr
    validated = run(runner, "templates", "validate", str(bad), code=1)
    assert validated.exit_code == 1 and "第 5 行" in validated.stderr


def test_missing_field_in_a_template_string_is_reported_with_file_and_line(runner, tmp_path):
    (tmp_path / "occasions").mkdir()
    source = (ROOT / "templates" / "occasions" / "座谈会.yaml").read_text(encoding="utf-8")
    path = tmp_path / "occasions" / "座谈会.yaml"
    path.write_text(source.replace("salutation: 同志们：", "salutation: '{{ leader }}同志们：'"), encoding="utf-8")
    result = run(runner, "templates", "validate", str(path), code=1)
    assert result.exit_code == 1 and "leader" in result.stderr and "座谈会.yaml" in result.stderr and "行" in result.stderr


def test_validate_accepts_every_builtin(runner):
    for path in (ROOT / "templates" / "occasions").glob("*.yaml"):
        result = run(runner, "templates", "validate", str(path))
        assert result.exit_code == 0, result.stderr


def test_show_prints_the_yaml(runner):
    result = run(runner, "templates", "show", "廉政谈话")
    assert result.exit_code == 0 and "frames:" in result.stdout


ATTACK = "{{ cycler.__init__.__globals__.os.system('touch %s') }}"


def test_a_template_string_cannot_run_commands(runner, tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "occasions").mkdir()
    source = (ROOT / "templates" / "occasions" / "座谈会.yaml").read_text(encoding="utf-8")
    path = tmp_path / "occasions" / "座谈会.yaml"
    path.write_text(source.replace("salutation: 同志们：", f'salutation: "{ATTACK % marker}"'), encoding="utf-8")
    result = run(runner, "draft", "座谈会", "--templates", str(tmp_path), code=1)
    assert result.exit_code == 1 and "不安全" in result.stderr
    assert not marker.exists()


def test_a_layout_cannot_run_commands(runner, tmp_path):
    marker = tmp_path / "pwned"
    (tmp_path / "speech.md.j2").write_text(ATTACK % marker + "\n{{ draft.title }}", encoding="utf-8")
    result = run(runner, "draft", "座谈会", "--templates", str(tmp_path), code=1)
    assert result.exit_code == 1 and "不安全" in result.stderr
    assert not marker.exists()


def test_user_layout_overrides_builtin(runner, tmp_path):
    (tmp_path / "speech.txt.j2").write_text("【自定义版式】{{ draft.title }}\n", encoding="utf-8")
    result = run(runner, "draft", "座谈会", "--templates", str(tmp_path), "--format", "txt")
    assert result.stdout.startswith("【自定义版式】在")


def test_list_occasions_from_library():
    names = {o.name for o in list_occasions(None)}
    assert "廉政谈话" in names
    with pytest.raises(DrafterError):
        find_occasion("不存在的会", None)


def test_sandboxes_share_one_compiled_code_cache():
    """A draft makes several sandboxes; they share one cache of compiled templates, so the file
    is read once and written once with everything any of them compiled."""
    from drafter.templating import sandbox

    first, second = sandbox(), sandbox()
    assert first.code_cache is second.code_cache and first.bytecode_cache is second.code_cache
