"""A Draft as a Word file laid out after GB/T 9704-2012, the layout Chinese offices expect.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 22 pt centred;
date line in parentheses 楷体_GB2312 16 pt; body 仿宋_GB2312 16 pt; level-1 headings 黑体 16 pt,
level-2 楷体_GB2312 16 pt; fixed 28 pt line spacing; first-line indent of two characters; page
numbers "— 1 —" in 宋体 14 pt at the foot. The East-Asian font is set on every run, not only on
styles, so that Word and WPS both show it. python-docx has no page-number API, so the footer
carries a PAGE field written as raw fldChar/instrText elements."""

from __future__ import annotations

import io
import re

from drafter.draft import Draft

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
BODY_SIZE = 16
TITLE_SIZE = 22
PAGE_SIZE = 14
LINE_SPACING = 28


def draft_to_docx(draft: Draft) -> bytes:
    import docx  # python-docx, imported lazily: only Word output needs it
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    normal = document.styles["Normal"]
    _set_font(normal.font, normal.element, BODY_FONT, BODY_SIZE)

    def paragraph(text: str, font: str, size: float, align=None, indent: bool = True, color=None):
        p = document.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_SPACING)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        run = p.add_run(xml_text(text))
        _set_font(run.font, run._element, font, size)
        if color:
            run.font.color.rgb = color
        return p

    paragraph(draft.title, TITLE_FONT, TITLE_SIZE, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(draft.date_line, HEADING2_FONT, BODY_SIZE, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph("", BODY_FONT, BODY_SIZE, indent=False)
    paragraph(draft.salutation, BODY_FONT, BODY_SIZE, indent=False)
    for text in draft.opening:
        paragraph(text, BODY_FONT, BODY_SIZE)
    grey = RGBColor(0x80, 0x80, 0x80)
    for sec in draft.sections:
        paragraph(f"{sec.number_cn}、{sec.heading}", HEADING1_FONT, BODY_SIZE)
        for point in sec.points:
            paragraph(f"（{point.number_cn}）{point.heading}", HEADING2_FONT, BODY_SIZE)
            for example in point.examples:  # real sentences to adapt, each with its place
                paragraph(example.text, BODY_FONT, BODY_SIZE)
                year = f"，{example.source['year']}年" if example.source.get("year") else ""
                paragraph(f"【例句，请结合实际改写】{example.source['doc']} 第 {example.source['line']} 行{year}", BODY_FONT, 12, color=grey)
            paragraph("【展开论述：结合本单位实际，写明要求、做法和事例】", BODY_FONT, BODY_SIZE)
            for phrase in point.phrases:
                who = f"（{phrase.attribution}）" if phrase.attribution else ""
                note = f"【参考】{phrase.text}{who}〔{phrase.kind_name}〕{phrase.source['doc']} 第 {phrase.source['line']} 行"
                paragraph(note, BODY_FONT, 12, color=grey)
    for text in draft.closing:
        paragraph(text, BODY_FONT, BODY_SIZE)

    _page_number_footer(section, WD_ALIGN_PARAGRAPH.CENTER)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Characters XML 1.0 cannot hold: C0 controls other than tab, newline and carriage return,
# lone surrogates (a command-line argument that was not UTF-8), U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` as Word can hold it: Word's own line and page breaks (\\v, \\f, as a pasted
    "单位\\v名称" carries them) become line breaks; characters XML cannot hold are dropped,
    a lone surrogate shown as U+FFFD."""
    text = text.replace("\v", "\n").replace("\f", "\n")
    return _NOT_XML.sub(lambda m: "\ufffd" if "\ud800" <= m.group(0) <= "\udfff" else "", text)


def _set_font(font, element, name: str, size: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font.name = name
    font.size = Pt(size)
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _page_number_footer(section, center) -> None:
    """"— PAGE —" centred in the footer, 宋体 14 pt."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = center

    def run(text: str | None = None):
        r = p.add_run(text or "")
        _set_font(r.font, r._element, PAGE_FONT, PAGE_SIZE)
        return r

    run("— ")
    begin = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "begin")
    begin._element.append(fld)
    instr_run = run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instr_run._element.append(instr)
    separate = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "separate")
    separate._element.append(fld)
    run("1")
    end = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._element.append(fld)
    run(" —")
