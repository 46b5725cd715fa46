"""Stage 2: recovering a speech's structure, on the seeds, on every numbering system, on the
real corpora, and on arbitrary text."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPORA, SEED_FILES, run, seed
from drafter.cleaning import clean_lines
from drafter.corpus import load_document
from drafter.header import date_in_text
from drafter.outline import iter_sections, outline_to_dict, parse_outline, render_outline_text

SEEDS_EXPECTED = {
    "000": {
        "title": "市委秘书长在市委办公室干部警示教育大会上的讲话",
        "occasion": "警示教育大会",
        "speaker": "市委秘书长",
        "salutation": "同志们：",
        "top": ["全面提升政治素养", "全面提升干事本领", "全面提升工作效率", "全面提升全民素质", "全面提升作风形象"],
        "markers": ["一要", "二要", "三要", "四要", "五要"],
        "points": {},
        "closing": "在此，我向大家道歉",
    },
    "001": {
        "title": "在市党政工作部门正职座谈会上的讲话",
        "occasion": "座谈会",
        "salutation": "同志们：",
        "top": [
            "勤于学习，重在善学敏思、知行合一",
            "政治成熟，重在对党忠诚、表里如一",
            "务实重干，重在攻坚克难、善作善成",
            "为民清廉，重在心系百姓、两袖清风",
        ],
        "markers": ["一、", "二、", "三、", "四、"],
        # unnumbered parallel points, all inside one line per section
        "points": {
            0: ["要提高理论水平", "要提高政策水平", "要提高专业化水平", "要做到知行合一"],
            1: ["要强化政治意识", "要提高政治能力", "要坚守政治规矩", "要加强请示报告"],
            2: ["要守土有责", "要树立正确政绩观", "要树立“五比五不比”工作导向"],
            3: ["要始终做到情系百姓", "要始终做到谦虚谨慎", "要始终做到清廉自守"],
        },
        "closing": "当前要切实抓好疫情防控",
    },
    "002": {
        "title": "在全市新任科级领导干部廉政谈话暨家庭助廉活动上的讲话",
        "occasion": "廉政谈话",
        "salutation": None,
        "top": ["以赤诚之心对待组织", "以责任之心对待工作", "以敬畏之心对待权力", "以警惕之心对待诱惑"],
        "markers": ["一、", "二、", "三、", "四、"],
        "points": {
            0: ["坚定理想信念", "加强理论学习", "保持政治定力"],
            1: ["担当作为敢做事", "作风过硬肯做事", "创造业绩做成事"],
            2: ["乐于接受监督", "正确看待权力", "带头遵纪守法"],
            3: ["珍惜工作机会", "珍视个人声誉", "树立良好家风"],
        },
        "closing": "同志们，今天借此机会",
    },
    "003": {
        "title": "在上半年党风廉政建设集体约谈时的讲话",
        "occasion": "集体约谈",
        "salutation": "同志们：",
        "top": ["提高政治站位，时刻保持清醒", "增强政治定力，扛好主体责任", "带头廉洁自律，树立良好形象", "坚守政治担当，做到守土尽责"],
        "markers": ["一、", "二、", "三、", "四、"],
        "points": {
            0: ["始终坚守政治方向", "始终做到对党忠诚", "始终保持理论清醒"],
            1: ["把责任扛在肩上", "把功夫下在平常", "把作风抓常抓细", "把风险降到最低"],
            2: ["以敬畏之心对待“权力”", "以淡泊之心对待“名利”", "以警惕之心对待“诱惑”", "以从容之心对待“亲情”"],
            3: ["重实干", "敢担当", "提效能"],
        },
        "closing": "一言以蔽之",
    },
    "004": {
        "title": "在市X局机关组织生活会上的讲话",
        "occasion": "组织生活会",
        "salutation": None,
        "top": ["要始终不忘自身的党员身份", "要切实履行共产党员的职责", "要切实加强对党建工作的领导"],
        "markers": ["第一，", "第二，", "第三，"],
        "points": {
            1: ["我们履行什么职责", "我们怎样履职"],
            2: ["要把党建工作作为其他工作的引领", "要制定党建工作年度计划", "要创新党建工作载体", "要强化对党建工作的考核"],
        },
        "closing": "总之，我们要始终不忘党员的身份",
    },
}


@pytest.mark.parametrize("prefix", sorted(SEEDS_EXPECTED))
def test_seed_outline(prefix):
    expected = SEEDS_EXPECTED[prefix]
    outline = parse_outline(load_document(seed(prefix)))
    assert outline.title == expected["title"]
    assert outline.occasion == expected["occasion"]
    assert outline.salutation == expected["salutation"]
    if "speaker" in expected:
        assert outline.speaker == expected["speaker"]
    assert [s.heading for s in outline.sections] == expected["top"]
    assert [s.marker for s in outline.sections] == expected["markers"]
    assert outline.closing.startswith(expected["closing"])
    wanted = [(i, h) for i, hs in expected["points"].items() for h in hs]
    found = [(i, c.heading) for i, s in enumerate(outline.sections) for c in s.children]
    hits = sum(1 for item in wanted if item in found)
    assert not wanted or hits / len(wanted) >= 0.8, (hits, len(wanted), found)


def test_seed_section_lines_are_original_line_numbers():
    outline = parse_outline(load_document(seed("002")))
    assert [s.line for s in outline.sections] == [21, 26, 32, 37]
    original = seed("002").read_text(encoding="utf-8").splitlines()
    for section in iter_sections(outline.sections):
        assert section.heading.replace("“", "")[:4] in original[section.line - 1].replace("“", "")


def _outline(*lines: str):
    return parse_outline(clean_lines(list(lines), "t.txt"))


@pytest.mark.parametrize(
    "markers",
    [
        ["一、", "二、", "三、"],
        ["（一）", "（二）", "（三）"],
        ["1.", "2.", "3."],
        ["1、", "2、", "3、"],
        ["（1）", "（2）", "（3）"],
        ["第一，", "第二，", "第三，"],
        ["第一个问题：", "第二个问题：", "第三个问题："],
        ["一要", "二要", "三要"],
        ["一是", "二是", "三是"],
        ["首先，", "其次，", "最后，"],
        ["①", "②", "③"],
    ],
)
def test_each_numbering_system_at_line_start(markers):
    heads = ["加强理论学习", "严守纪律规矩", "树立良好形象"]
    lines = ["同志们：", "今天召开会议，我讲三点意见。"]
    for marker, head in zip(markers, heads):
        lines += [f"{marker}{head}", "这是正文，说明具体要求。"]
    outline = _outline(*lines)
    assert [s.heading for s in outline.sections] == heads
    assert [s.marker for s in outline.sections] == markers
    assert [s.number for s in outline.sections] == [1, 2, 3]


@pytest.mark.parametrize("markers", [["一要", "二要", "三要"], ["一是", "二是", "三是"], ["第一，", "第二，", "第三，"]])
def test_inline_points_after_sentence_ends(markers):
    body = "。".join(f"{m}{h}。正文{h}" for m, h in zip(markers, ["重实干", "敢担当", "提效能"]))
    outline = _outline("一、总体要求", "开头。" + body + "。", "二、保障措施", "正文。")
    assert [s.heading for s in outline.sections] == ["总体要求", "保障措施"]
    assert [c.heading for c in outline.sections[0].children] == ["重实干", "敢担当", "提效能"]


def test_text_with_no_line_breaks_at_all():
    text = "同志们：今天开会。一、加强学习。学习很重要。二、严守纪律。纪律是底线。三、改进作风。作风要实。谢谢大家！"
    outline = _outline(text)
    assert [s.heading for s in outline.sections] == ["加强学习", "严守纪律", "改进作风"]


def test_enumeration_comma_inside_a_sentence_is_not_a_heading():
    outline = _outline("要做到思想统一、政治上坚定，行动上一致。", "一、加强学习", "正文。", "二、严守纪律", "正文。")
    assert [s.heading for s in outline.sections] == ["加强学习", "严守纪律"]


def test_numbers_out_of_sequence_are_not_headings():
    outline = _outline("一、加强学习", "正文。", "三、不是标题", "正文。")
    assert outline.sections == []


def test_nested_levels():
    outline = _outline(
        "一、总体要求", "（一）指导思想", "正文。", "（二）基本原则", "1.坚持党的领导", "2.坚持人民至上",
        "二、重点任务", "（一）抓好学习", "（二）抓好落实",
    )
    tree = [(s.heading, [(c.heading, [g.heading for g in c.children]) for c in s.children]) for s in outline.sections]
    assert tree == [
        ("总体要求", [("指导思想", []), ("基本原则", ["坚持党的领导", "坚持人民至上"])]),
        ("重点任务", [("抓好学习", []), ("抓好落实", [])]),
    ]


def test_runs_that_start_again_from_one_are_siblings_not_children():
    """A report whose parts each number their sections anew: the second 一、 run is not
    nested inside the last item of the first (nobody numbers 一、 inside 一、)."""
    body = ["正文第一段。", "正文第二段。"]
    outline = _outline(
        "一、回顾成绩", *body, "二、总结经验", *body, "我们的任务是：", "一、发展农业", *body, "二、发展工业", *body,
    )
    assert [(s.marker, s.heading, s.level) for s in outline.sections] == [
        ("一、", "回顾成绩", 1), ("二、", "总结经验", 1), ("一、", "发展农业", 1), ("二、", "发展工业", 1),
    ]
    assert [s.number for s in outline.sections] == [1, 2, 1, 2]
    assert all(not s.children for s in outline.sections)


def test_a_short_list_after_long_sections_stays_inside_the_last_one():
    body = ["正文第一段。", "正文第二段。"]
    outline = _outline("一、回顾成绩", *body, "二、今后任务", *body, "一、坚持学习；", "二、加强宣传；", "三、改进作风。")
    assert [s.heading for s in outline.sections] == ["回顾成绩", "今后任务"]
    assert [c.heading for c in outline.sections[1].children] == ["坚持学习", "加强宣传", "改进作风"]


def test_a_new_run_under_headings_of_another_style_belongs_to_them():
    outline = _outline(
        "一、成绩", "正文。", "二、措施", "正文。", "第一、控制投资", "一、统一审批。", "二、统一管理。", "第二、整顿企业", "一、关停亏损企业。", "二、合并小企业。",
    )
    assert [s.heading for s in outline.sections] == ["成绩", "措施"]
    second = outline.sections[1]
    assert [c.heading for c in second.children] == ["控制投资", "整顿企业"]
    assert [g.heading for g in second.children[1].children] == ["关停亏损企业", "合并小企业"]


def test_a_numeral_alone_on_its_line_marks_a_section():
    outline = _outline("各位代表：", "我作报告。", "一", "农业发展纲要是纲领。正文。", "二", "下面说执行情况。正文。", "三", "人民公社是保障。")
    assert [(s.marker, s.heading) for s in outline.sections] == [("一", "农业发展纲要是纲领"), ("二", "下面说执行情况"), ("三", "人民公社是保障")]
    assert [s.line for s in outline.sections] == [3, 5, 7]
    assert "  一 农业发展纲要是纲领" in render_outline_text(outline)
    assert _outline("这是一", "一个句子。", "这是二", "二个句子。").sections == []


def test_a_numeral_alone_on_its_line_is_not_part_of_the_title():
    outline = _outline("关于农业的报告", "", "一", "总体要求", "这是内容。", "二", "主要任务", "内容二。")
    assert outline.title == "关于农业的报告"
    assert [(s.marker, s.line) for s in outline.sections] == [("一", 3), ("二", 6)]


def test_unnumbered_part_titles_that_open_alike_are_sections():
    para = "这一部分的正文很长，论述了许多问题，这里只是示意，总之要写满三十个字以上才算段落。"
    outline = _outline("同志们：", "我代表中央委员会作报告。", "关于路线问题", para, "关于形势和任务", para, para, "关于党的建设", para)
    assert [(s.marker, s.heading, s.line) for s in outline.sections] == [
        ("", "关于路线问题", 3), ("", "关于形势和任务", 5), ("", "关于党的建设", 8),
    ]
    assert outline.opening == "我代表中央委员会作报告。"
    # one short line alone is no structure
    assert _outline("同志们：", "我作报告。", "关于路线问题", para, para).sections == []


def test_two_line_title_with_subtitle_date_and_speaker():
    outline = _outline(
        "决胜全面建成小康社会", "——在中国共产党第十九次全国代表大会上的报告", "习近平", "（2017年10月18日）", "同志们：", "现在，我代表…作报告。"
    )
    assert outline.title.startswith("决胜全面建成小康社会——在中国共产党第十九次全国代表大会上的报告")
    assert outline.speaker == "习近平"
    assert outline.date == "2017-10-18"
    assert outline.occasion == "全国代表大会"
    assert outline.salutation == "同志们："


def test_title_glued_to_date_and_speaker():
    outline = _outline("在全国组织工作会议上的讲话（2018年7月3日）习近平", "同志们：", "今天开会。")
    assert outline.title == "在全国组织工作会议上的讲话"
    assert outline.date == "2018-07-03"
    assert outline.speaker == "习近平"
    assert outline.occasion == "工作会议"


def test_chinese_numeral_dates():
    assert date_in_text("二〇一八年二月十二日") == "2018-02-12"
    assert date_in_text("2020年5月18日") == "2020-05-18"
    assert date_in_text("2020年13月1日") is None


def test_salutation_variants():
    assert _outline("在表彰大会上的讲话", "同志们，朋友们：", "今天。").salutation == "同志们，朋友们："
    assert _outline("在论坛上的致辞", "尊敬的各位来宾，女士们，先生们：", "今天。").salutation.startswith("尊敬的")
    assert _outline("在会议上的讲话", "各位代表：", "今天。").salutation == "各位代表："


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_other_encodings_give_the_same_outline(tmp_path, encoding):
    for path in SEED_FILES:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
        a, b = outline_to_dict(parse_outline(load_document(path))), outline_to_dict(parse_outline(load_document(copy)))
        a.pop("source"), b.pop("source")
        assert a == b


def test_docx_copy_gives_the_same_outline_headings(tmp_path):
    import docx

    for path in SEED_FILES:
        document = docx.Document()
        for line in path.read_text(encoding="utf-8").splitlines():
            document.add_paragraph(line)
        copy = tmp_path / (path.stem + ".docx")
        document.save(copy)
        a, b = outline_to_dict(parse_outline(load_document(path))), outline_to_dict(parse_outline(load_document(copy)))
        a.pop("source"), b.pop("source")
        assert a == b


def _counts_up(sections) -> bool:
    """Numbers run in sequence: 1, 2, 3 …, possibly starting again from 1 (a new run)."""
    numbers = [s.number for s in sections]
    return not numbers or (numbers[0] == 1 and all(b in (a + 1, 1) for a, b in zip(numbers, numbers[1:])))


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_corpora_outlines_hold_their_invariants(corpus_docs):
    with_sections = 0
    for doc in corpus_docs:
        outline = parse_outline(doc)
        with_sections += bool(outline.sections)
        # original lines that hold text: the first of each clean line, and those re-joined to it
        lines = set(doc.line_numbers) | {n for joined in doc.joins for _, n in joined}
        for section in iter_sections(outline.sections):
            assert section.heading, doc.source
            assert "。" not in section.heading, (doc.source, section.heading)
            assert section.line in lines
            assert _counts_up(section.children), (doc.source, section.heading)
            assert all(c.level == section.level + 1 for c in section.children)
        assert _counts_up(outline.sections), doc.source
    assert with_sections >= 60  # resolutions and fragments have none; real reports do


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_2025_government_work_report(corpus_docs):
    doc = next(d for d in corpus_docs if d.source.endswith("government_work_reports.jsonl#0"))
    outline = parse_outline(doc)
    assert outline.title == "2025年中华人民共和国国务院政府工作报告"
    assert outline.salutation == "各位代表："
    assert [s.heading for s in outline.sections] == ["2024年工作回顾", "2025年经济社会发展总体要求和政策取向", "2025年政府工作任务"]


def _doc(corpus_docs, name):
    return next(d for d in corpus_docs if d.source.endswith(name))


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_corpora_headings_are_headings(corpus_docs):
    """Headings hold no sentence end and stay short: an inline point whose first sentence runs
    on with commas (old reports) shows its first clause, the sentence in heading_full."""
    lengths = []
    for doc in corpus_docs:
        for section in iter_sections(parse_outline(doc).sections):
            assert not any(ch in section.heading for ch in "。！？!?"), (doc.source, section.heading)
            assert section.heading == section.heading.strip(" ，,。；;：:、"), (doc.source, section.heading)
            assert 0 < len(section.heading) <= 80, (doc.source, section.heading)
            if section.heading_full:
                assert section.heading_full.startswith(section.heading) and len(section.heading_full) > 40
            lengths.append(len(section.heading))
    assert sum(n <= 40 for n in lengths) >= 0.95 * len(lengths)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_reports_that_number_their_parts_anew(corpus_docs):
    # 1988: three 一、 runs (price measures, lessons, ten tasks), all at the top
    top = parse_outline(_doc(corpus_docs, "government_work_reports.jsonl#51")).sections
    assert [s.number for s in top] == [1, 2, 3, 4, 5] * 2 + list(range(1, 11))
    assert top[10].heading == "大力发展农业生产和加强基础工业、基础设施的建设，以保持国民经济的持续稳定增长"
    # 1964: two 第一，…第四， runs, the second one is not inside 第四
    top = parse_outline(_doc(corpus_docs, "government_work_reports.jsonl#63")).sections
    assert [s.marker for s in top] == ["第一，", "第二，", "第三，", "第四，"] * 2
    assert top[4].heading == "正确处理农业、轻工业、重工业的关系"
    # 1982: 第一、…第四、 under 六、, with their own 一、 lists under them
    top = parse_outline(_doc(corpus_docs, "government_work_reports.jsonl#57")).sections
    assert [s.marker for s in top] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert [c.marker for c in top[5].children] == ["第一、", "第二、", "第三、", "第四、"]
    assert [len(c.children) for c in top[5].children] == [5, 3, 0, 3]


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_tenth_congress_report_has_unnumbered_part_titles(corpus_docs):
    outline = parse_outline(_doc(corpus_docs, "cpc_congress_reports.jsonl#5"))
    assert [s.heading for s in outline.sections] == ["关于九大路线", "关于粉碎林彪反党集团的胜利", "关于形势和任务"]


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_1960_report_numbers_its_parts_with_bare_numerals(corpus_docs):
    outline = parse_outline(_doc(corpus_docs, "government_work_reports.jsonl#65"))
    assert [(s.marker, s.line) for s in outline.sections] == [("一", 9), ("二", 28), ("三", 65), ("四", 84)]


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_government_reports_with_part_headings(corpus_docs):
    """Since 1992 every report is built from 一、 parts; check their count and that the
    （一） sections of the 2025 report sit under its third part."""
    for doc in corpus_docs:
        if "government_work_reports" not in doc.source or "决议" in (doc.title_hint or ""):
            continue
        year = int((doc.title_hint or "0")[:4]) if (doc.title_hint or "")[:4].isdigit() else None
        outline = parse_outline(doc)
        if year and year >= 1992:
            assert outline.sections and all(s.marker.endswith("、") for s in outline.sections), doc.source
            assert 2 <= len(outline.sections) <= 10, doc.source
    outline = parse_outline(_doc(corpus_docs, "government_work_reports.jsonl#0"))
    assert [c.marker for c in outline.sections[2].children][:3] == ["（一）", "（二）", "（三）"]


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_19th_congress_report_header(corpus_docs):
    doc = next(d for d in corpus_docs if d.source.endswith("cpc_congress_reports.jsonl#14"))
    outline = parse_outline(doc)
    assert outline.speaker == "习近平" and outline.date == "2017-10-18" and outline.occasion == "全国代表大会"
    assert len(outline.sections) == 13


_PIECES = st.sampled_from(
    ["一、", "二、", "三、", "（一）", "（二）", "第一，", "第二，", "一是", "二是", "一要", "二要", "1.", "2.", "首先，", "其次，",
     "最后，", "同志们：", "。", "！", "？", "；", "：", "\n", "“", "”", "讲话", "在会议上的讲话", "2020年5月18日", "（", "）", " "]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(min_size=0, max_size=6)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_outline_never_crashes_and_keeps_its_invariants(text):
    doc = clean_lines(text.split("\n"), "h.txt")
    outline = parse_outline(doc)
    json.dumps(outline_to_dict(outline), ensure_ascii=False)
    valid_lines = set(doc.line_numbers)
    for section in iter_sections(outline.sections):
        assert section.level >= 1
        assert section.line in valid_lines
        assert all(c.level == section.level + 1 for c in section.children)


def test_outline_command_json(runner):
    result = run(runner, "outline", str(seed("002")), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"source", "title", "speaker", "date", "occasion", "salutation", "opening", "sections", "closing"}
    assert set(data["sections"][0]) == {"level", "number", "marker", "heading", "line", "children"}
    assert data["sections"][0]["marker"] == "一、" and data["sections"][0]["line"] == 21


def test_outline_command_plain(runner):
    result = run(runner, "outline", str(seed("003")))
    assert result.exit_code == 0
    assert "一、提高政治站位，时刻保持清醒" in result.stdout
    assert "会议类型：集体约谈" in result.stdout


@pytest.mark.parametrize("prefix", sorted(SEEDS_EXPECTED))
def test_seed_with_no_line_breaks_at_all(prefix):
    """The same speech pasted as one paragraph: title, occasion and the top-level sections are
    still found; a heading with no sentence end after it runs on into its text (up to the first
    。！？, in heading_full), and the heading shown is cut at a clause end of that sentence."""
    expected = SEEDS_EXPECTED[prefix]
    doc = load_document(seed(prefix))
    outline = parse_outline(clean_lines(["".join(doc.lines)], "flat.txt"))
    assert outline.title == expected["title"]
    assert outline.occasion == expected["occasion"]
    assert [s.marker for s in outline.sections] == expected["markers"]
    for section, heading in zip(outline.sections, expected["top"]):
        assert (section.heading_full or section.heading).startswith(heading)
        assert heading.startswith(section.heading) or section.heading.startswith(heading)
        assert len(section.heading) <= 40
