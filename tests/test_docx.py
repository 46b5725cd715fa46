"""Word output laid out after GB/T 9704-2012."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import run


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    import docx
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("docx") / "讲话稿.docx"
    result = run(CliRunner(), "draft", "廉政谈话", "--org", "市纪委", "--format", "docx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out, docx.Document(str(out))


def _east_asia(run_):
    from docx.oxml.ns import qn

    fonts = run_._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_page_and_margins(document):
    from docx.shared import Mm

    _, doc = document
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    for actual, mm in ((section.top_margin, 37), (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(actual - Mm(mm)) < Mm(0.1)


def test_fonts_and_sizes_on_every_run(document):
    from docx.shared import Pt

    _, doc = document
    paragraphs = [p for p in doc.paragraphs if p.runs]
    title, date_line = paragraphs[0], paragraphs[1]
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    assert title.alignment == 1  # centred
    assert date_line.text.startswith("（") and _east_asia(date_line.runs[0]) == "楷体_GB2312" and date_line.runs[0].font.size == Pt(16)
    level1 = [p for p in paragraphs if p.text[:2] in ("一、", "二、", "三、")]
    level2 = [p for p in paragraphs if p.text.startswith("（一）")]
    assert level1 and all(_east_asia(p.runs[0]) == "黑体" and p.runs[0].font.size == Pt(16) for p in level1)
    assert level2 and all(_east_asia(p.runs[0]) == "楷体_GB2312" for p in level2)
    body = [p for p in paragraphs if p.text.startswith("【展开论述")]
    assert body and all(_east_asia(p.runs[0]) == "仿宋_GB2312" and p.runs[0].font.size == Pt(16) for p in body)
    for p in paragraphs:
        assert p.paragraph_format.line_spacing == Pt(28)
        assert all(_east_asia(r) for r in p.runs)
    assert body[0].paragraph_format.first_line_indent == Pt(32)


def test_page_number_field_in_the_footer(document):
    from docx.shared import Pt

    _, doc = document
    footer = doc.sections[0].footer.paragraphs[0]
    xml = footer._element.xml
    assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert all(_east_asia(r) == "宋体" and r.font.size == Pt(14) for r in footer.runs)
    assert footer.alignment == 1


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed")
def test_libreoffice_opens_it(document, tmp_path):
    path, _ = document
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (path.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
