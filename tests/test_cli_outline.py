"""`drafter outline` through the CLI: same JSON whatever the file's encoding or format, a plain
tree a person can read, JSONL input, and one-line Chinese errors (the generic bad-file cases
live in test_cli.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, run, seed


def _json(runner, path) -> dict:
    result = run(runner, "outline", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    data.pop("source")
    return data


@pytest.mark.parametrize(
    "encoding, bom",
    [("gb18030", b""), ("utf-16-le", b"\xff\xfe"), ("utf-16-le", b""), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"\xef\xbb\xbf")],
    ids=["gb18030", "utf16le-bom", "utf16le-nobom", "utf16be-bom", "utf8-bom"],
)
def test_outline_json_is_the_same_in_every_encoding(runner, tmp_path, encoding, bom):
    original = seed("003")
    copy = tmp_path / "copy.txt"
    copy.write_bytes(bom + original.read_text(encoding="utf-8").encode(encoding))
    assert _json(runner, copy) == _json(runner, original)


def test_outline_json_of_a_docx_copy(runner, tmp_path):
    import docx

    original = seed("001")
    document = docx.Document()
    for line in original.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    copy = tmp_path / "讲话.docx"
    document.save(copy)
    assert _json(runner, copy) == _json(runner, original)


def test_plain_output_is_an_indented_tree_with_line_numbers(runner):
    result = run(runner, "outline", str(seed("002")))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "标题：在全市新任科级领导干部廉政谈话暨家庭助廉活动上的讲话"
    assert "会议类型：廉政谈话" in lines
    assert "  一、以赤诚之心对待组织  （第 21 行）" in lines
    assert "    一要坚定理想信念  （第 23 行）" in lines  # one level deeper, two more spaces
    assert any(line.startswith("结尾：同志们，今天借此机会") for line in lines)
    assert lines[-1] == f"来源：{seed('002')}"


def test_plain_output_says_when_no_heading_was_found(runner, tmp_path):
    path = tmp_path / "短文.txt"
    path.write_text("同志们：\n今天开个短会，大家辛苦了。\n", encoding="utf-8")
    result = run(runner, "outline", str(path))
    assert result.exit_code == 0
    assert "称呼语：同志们：" in result.stdout and "结构：未发现编号标题" in result.stdout


def test_jsonl_record_chosen_as_file_row_with_the_title_field_as_fallback(runner, tmp_path):
    path = tmp_path / "corpus.jsonl"
    records = [
        {"title": "在全市警示教育大会上的讲话", "content": "同志们：\n一、筑牢思想防线\n正文。\n二、严守纪律规矩\n正文。"},
        {"title": "另一篇", "content": "正文。"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    result = run(runner, "outline", f"{path}#0", "--json")
    data = json.loads(result.stdout)
    assert data["source"] == f"{path}#0"
    assert data["title"] == "在全市警示教育大会上的讲话" and data["occasion"] == "警示教育大会"
    assert [(s["heading"], s["line"]) for s in data["sections"]] == [("筑牢思想防线", 2), ("严守纪律规矩", 4)]
    second = json.loads(run(runner, "outline", f"{path}#1", "--json").stdout)
    assert second["source"] == f"{path}#1" and second["title"] == "另一篇"


def test_jsonl_with_several_records_says_how_to_choose_one(runner, tmp_path):
    """Record 0 shown silently as if it were the whole file was a bug (issue 12)."""
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"content": "第一篇正文。"}\n{"content": "第二篇正文。"}\n', encoding="utf-8")
    result = run(runner, "outline", str(path), code=1)
    assert result.exit_code == 1 and f"{path}#0" in result.stderr and "行号" in result.stderr
    missing = run(runner, "outline", f"{path}#5", code=1)
    assert missing.exit_code == 1 and "第 5 条" in missing.stderr
    single = tmp_path / "one.jsonl"
    single.write_text('{"content": "唯一一篇正文。"}\n', encoding="utf-8")
    assert run(runner, "outline", str(single)).exit_code == 0


def test_broken_jsonl_line_gives_one_line_naming_file_and_line(runner, tmp_path):
    path = tmp_path / "坏的.jsonl"
    path.write_text('{"content": "正文。"}\n{"content": 不是JSON}\n', encoding="utf-8")
    result = run(runner, "outline", str(path), code=1)
    assert result.exit_code == 1
    assert str(path) in result.stderr and "第 2 行" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "name, content",
    [("only-advert.txt", "仅供学习 禁止外传\n酷乐文行整理，咨询QQ206157060\n".encode("utf-8")), ("bom-only.txt", b"\xef\xbb\xbf\r\n")],
    ids=["only-advert", "bom-only"],
)
def test_files_with_nothing_left_after_cleaning(runner, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = run(runner, "outline", str(path), code=1)
    assert result.exit_code == 1 and str(path) in result.stderr and "空文件" in result.stderr
    assert result.stderr.count("\n") == 1 and not result.stdout


def test_outline_does_not_load_jieba():
    code = (
        "import sys; from typer.testing import CliRunner; from drafter.cli import app; "
        f"r = CliRunner().invoke(app, ['outline', {str(seed('000'))!r}, '--json']); "
        "assert r.exit_code == 0, r.output; print('jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_outline_json_of_a_speech_pasted_from_a_news_site(runner, tmp_path):
    """One line: dateline, glued header, a credit before a marker, a run-on inline heading (cut,
    with the whole sentence in the additive heading_full), the print-edition note at the end."""
    run_on = "加强理论学习，不断提高政治判断力、政治领悟力、政治执行力，切实把学习成果转化为推动工作的实际行动"
    text = (
        "新华社北京3月5日电 在全市工作会议上的讲话（2021年3月5日）王建国同志们：今天召开全市工作会议。"
        f"新华社记者 鞠鹏/摄一、{run_on}。正文。二、严守纪律规矩。正文。谢谢大家！"
        "（新华社北京3月5日电）《 人民日报 》（ 2021年03月06日 02 版）"
    )
    path = tmp_path / "网页.txt"
    path.write_text(text, encoding="utf-8")
    data = _json(runner, path)
    assert (data["title"], data["date"], data["speaker"], data["salutation"]) == ("在全市工作会议上的讲话", "2021-03-05", "王建国", "同志们：")
    first, second = data["sections"]
    assert (first["marker"], first["heading"], first["heading_full"], first["line"]) == ("一、", "加强理论学习", run_on, 1)
    assert "heading_full" not in second and second["heading"] == "严守纪律规矩"
    assert "新华社" not in json.dumps(data, ensure_ascii=False)
