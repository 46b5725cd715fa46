"""Stage 1: reading files in every encoding and format our users have, and cleaning them."""

from __future__ import annotations

import json

import pytest

from conftest import CORPORA, SEED_FILES, seed
from drafter.cleaning import clean_lines, is_traditional, strip_repeated_lines
from drafter.corpus import decode_bytes, load_corpus, load_document
from drafter.errors import DrafterError


def test_seed_advert_block_and_qq_lines_are_stripped():
    for path in SEED_FILES:
        doc = load_document(path)
        assert doc.lines[0].endswith("的讲话"), doc.lines[0]
        joined = doc.text
        for advert in ("仅供学习", "酷乐文行", "订阅", "QQ", "倒卖", "会员群", "自建平台"):
            assert advert not in joined, (path.name, advert)


def test_line_numbers_point_back_into_the_original_file():
    for path in SEED_FILES:
        original = path.read_text(encoding="utf-8").splitlines()
        doc = load_document(path)
        for line, number in zip(doc.lines, doc.line_numbers):
            assert original[number - 1].strip().startswith(line[:10]), (path.name, number)


def test_the_zixun_qq_line_inside_the_body_is_removed_but_its_neighbours_stay():
    doc = load_document(seed("002"))
    assert doc.line_numbers[0] == 16
    assert doc.line_numbers[1] == 19  # line 18 is "酷乐文行整理，咨询QQ…"
    assert any(number == 18 for number, _ in doc.removed)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_encodings_give_the_same_text(tmp_path, encoding):
    source = seed("002")
    text = source.read_text(encoding="utf-8")
    copy = tmp_path / f"copy-{encoding}.txt"
    copy.write_bytes(text.encode(encoding))
    assert load_document(copy).lines == load_document(source).lines


def test_crlf_fullwidth_spaces_and_indents_are_normalised():
    doc = clean_lines(["\u3000\u3000同志们：\r", "  一、加强学习 ", "\u3000\u3000今天召开会议。"], "x")
    assert doc.lines == ["同志们：", "一、加强学习", "今天召开会议。"]


def test_photo_credit_glued_to_heading_and_page_footer_are_removed():
    doc = clean_lines(
        ["在全市工作会议上的讲话", "一、总体要求新华社记者 王晔/摄", "第1页共8页", "今年的任务很重。", "— 2 —"], "x"
    )
    assert doc.lines == ["在全市工作会议上的讲话", "一、总体要求", "今年的任务很重。"]


def test_real_sentences_with_advert_words_are_kept():
    line = "全面加强知识产权保护，健全知识产权侵权惩罚性赔偿制度，促进发明创造和转化运用。"
    assert clean_lines([line], "x").lines == [line]


def test_web_line_breaks_inside_a_sentence_are_rejoined():
    doc = clean_lines(["会议听取了国务院总理所作的", "政府工作报告", "。会议充分肯定。"], "x")
    assert doc.lines == ["会议听取了国务院总理所作的政府工作报告。会议充分肯定。"]
    assert doc.line_numbers == [1]
    # each piece still knows the original line it came from
    line = doc.lines[0]
    assert [doc.line_of(0, line.index(piece)) for piece in ("会议听取", "政府工作报告", "。会议充分")] == [1, 2, 3]


def test_a_notes_section_at_the_end_is_dropped():
    body = ["同志们：", "这是讲话的正文，论述很长。" * 30, "我们一定要实现这个目标。" * 10]
    notes = ["注：", "① 列宁：《全俄中央执行委员会会议》，《列宁全集》第26卷，第269页。", "② 毛泽东：《实践论》。"]
    doc = clean_lines(body + notes, "x")
    assert doc.lines == body
    assert [n for n, _ in doc.removed] == [4, 5, 6]


def test_lines_repeated_across_a_corpus_are_stripped_but_salutations_stay():
    docs = [clean_lines(["本站首页", "同志们：", f"第{i}篇正文内容。"], f"d{i}") for i in range(4)]
    strip_repeated_lines(docs)
    assert all(d.lines[0] == "同志们：" for d in docs)


def test_docx_gives_the_same_lines(tmp_path):
    import docx

    source = seed("003")
    text = source.read_text(encoding="utf-8")
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    path = tmp_path / "speech.docx"
    document.save(path)
    assert load_document(path).lines == load_document(source).lines


def test_jsonl_records_are_named_file_row_with_their_own_line_numbers(tmp_path):
    path = tmp_path / "c.jsonl"
    records = [{"title": "甲", "content": "同志们：\n\n一、第一\n正文。"}, {"text": "乙文。\n二行。"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    docs = load_corpus([path])
    assert [d.source for d in docs] == [f"{path}#0", f"{path}#1"]
    assert docs[0].title_hint == "甲"
    assert docs[0].line_numbers == [1, 3, 4]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "空文件"),
        (b"   \n\n\t\n", "空文件"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "二进制"),
        # an even length, NULs on one side: read as UTF-16 it gives rare characters (戂湩牡楢祲)
        (b"\x00\x01\x02binary\x00\xff" * 50, "二进制"),
        (bytes([0x81, 0x30, 0x81]) * 3 + b"\xff\xff\xff", "编码无法识别"),
        # a binary file that starts with the two bytes of a UTF-16 BOM and decodes (no broken
        # surrogates) into characters of every block: no text to outline
        (b"\xff\xfe" + bytes(b for i in range(3000) for b in (i % 251, (i * 7) % 0xB8 + 0x20)), "大多不是文字"),
    ],
    ids=["empty", "blank", "binary", "binary-even", "undecodable", "binary-with-bom"],
)
def test_bad_files_raise_a_chinese_message_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DrafterError) as info:
        load_document(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_decode_never_drops_characters_silently():
    with pytest.raises(DrafterError):
        decode_bytes("讲话".encode("gb18030") + b"\xff\xfe\xfd\xfc" * 10 + b"\x80", "x.txt")


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_wiki_licence_tail_and_markup_are_gone_from_the_corpora(corpus_docs):
    assert len(corpus_docs) == 88
    for doc in corpus_docs:
        tail = "\n".join(doc.lines[-3:])
        assert "Public domain" not in tail and "本作品" not in tail and "维基文库" not in tail, doc.source
        assert all(line != "false" for line in doc.lines)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_traditional_documents_are_detected(corpus_docs):
    traditional = [d.source for d in corpus_docs if is_traditional(d.text)]
    assert any(s.endswith("government_work_reports.jsonl#71") for s in traditional)  # 1954
    assert len(traditional) < 10


def test_control_characters_are_dropped():
    assert clean_lines(["同志们\x01：", "一、加\x07强学习\x7f"], "x").lines == ["同志们：", "一、加强学习"]
