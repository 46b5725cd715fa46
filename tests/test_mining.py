"""Stage 3: mining the seeds and the real corpora into a phrasebank."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CORPORA, ROOT, SEEDS
from drafter.bank import load_bank, search
from drafter.cleaning import clean_lines, split_lines, to_simplified
from drafter.mining import _mine_one, analyze
from drafter.mining.frames import align, frames_from_siblings

FUNCTION_EDGE = set("的了和在把与及等或而并")
# set phrases jieba's dictionary holds as one word although they start with a function character
DICTIONARY_WORDS_ON_AN_EDGE = {"和平统一", "和平发展", "与时俱进", "从严治党", "和平共处"}


@pytest.fixture(scope="module")
def seed_bank(tmp_path_factory):
    out = tmp_path_factory.mktemp("bank")
    analyze([SEEDS], out)
    return load_bank(out)


def _texts(bank, kind):
    return {e.text for e in bank.entries if e.kind == kind}


def test_genre_formulas_are_formulas(seed_bank):
    formulas = _texts(seed_bank, "formula")
    for text in ["四个意识", "四个自信", "两个维护", "五比五不比", "三个区分开来", "一岗双责", "四风", "七个有之", "两学一做"]:
        assert text in formulas, text


def test_stock_phrases_a_speechwriter_wants_are_found(seed_bank):
    """Read off the seeds by hand: most of these must come out, under some kind."""
    wanted = [
        # set phrases
        "全面从严治党", "主体责任", "旗帜鲜明讲政治", "高质量发展", "政治纪律", "政治规矩", "坚定理想信念", "党风廉政建设",
        # idioms
        "两袖清风", "以身作则", "率先垂范", "真抓实干", "埋头苦干", "防微杜渐", "锲而不舍", "谦虚谨慎", "戒骄戒躁",
        "光明磊落", "表里如一", "触目惊心", "以权谋私", "如履薄冰", "守土有责", "不正之风", "糖衣炮弹", "击鼓传花",
        # parallel series
        "守土有责、守土担责、守土尽责", "不敢腐、不能腐、不想腐", "咬耳朵、扯袖子", "世界观、价值观、人生观、政绩观",
        "心中有党、心中有民、心中有责、心中有戒", "观大势、讲大局、谋大事", "不吃重、不扛事、不揽杂",
        # quotations
        "名为招祸之本，利乃忘志之媒", "世界上的事情都是干出来的，不干，半点马克思主义也没有",
    ]
    texts = {e.text for e in seed_bank.entries}
    missing = [w for w in wanted if w not in texts]
    assert len(missing) <= len(wanted) // 10, missing


def test_no_entry_starts_or_ends_on_a_function_word_or_spans_a_sentence_end(seed_bank):
    for entry in seed_bank.entries:
        if entry.kind in ("move", "quote", "frame"):
            continue
        text = entry.text
        assert not re.search(r"[。！？；]", text), text
        # idioms (无处不在), the canon's formulations (碳达峰碳中和) and series (机会平等、规则平等) may end on such a character
        if entry.kind not in ("idiom", "parallel") and not entry.canonical and text not in DICTIONARY_WORDS_ON_AN_EDGE:
            assert text[0] not in FUNCTION_EDGE and text[-1] not in FUNCTION_EDGE, text


# Entries read in the seed bank and judged not worth a speechwriter's time. The test holds the
# junk share under 10%: an analysis change that lets more of this kind through fails it.
# Entries of the seed bank read and judged junk. Those analysis no longer yields must never come
# back; those it still yields are listed apart, and the list may only shrink: when one disappears,
# the test says so and it moves to JUDGED_JUNK_GONE, where it is guarded from then on.
JUDGED_JUNK_GONE = {
    "依靠组织", "各项工作", "基本的政治", "强化理论", "找准工作", "要带头遵纪守法", "重点工作",
    # gone once the seeds came with the shipped reports (larger-corpus thresholds)
    "习近平总书记看齐", "事业高度负责", "事情办好", "做到忠诚", "刚刚起步", "各种诱惑", "工作实际", "工作方法",
    "建设摆在重要位置", "整体合力", "旗号非法牟利", "标准严格要求", "第一职责", "转型发展", "问题和不足",
    # gone with the precision rules of issue 9 (one-off quoted coinages; a verb and half its object)
    "实力坑夫", "暖壶救民", "树立正确", "遣子还里",
}
JUDGED_JUNK_STILL_MINED = {"三宝", "不记笔记", "十月红", "目标任务", "相距甚远"}


def test_judged_junk_does_not_come_back(seed_bank):
    texts = {e.text for e in seed_bank.entries}
    assert not texts & JUDGED_JUNK_GONE


def test_judged_junk_still_mined_only_shrinks(seed_bank):
    texts = {e.text for e in seed_bank.entries}
    gone = JUDGED_JUNK_STILL_MINED - texts
    assert not gone, f"no longer mined: move {sorted(gone)} to JUDGED_JUNK_GONE"


def test_every_source_points_at_a_line_that_really_holds_the_entry(seed_bank):
    for entry in seed_bank.entries:
        assert entry.sources, entry.text
        for source in entry.sources:
            lines = (ROOT / source.doc).read_text(encoding="utf-8").splitlines()
            line = lines[source.line - 1].replace("“", "").replace("”", "")
            if entry.kind == "frame":
                assert any(e.replace("“", "") in line for e in entry.examples), (entry.text, source)
            else:
                probe = entry.text.replace("“", "").replace("”", "")[:12]
                assert probe in line, (entry.text, source)


def test_heading_frame_with_its_fills(seed_bank):
    frames = {e.text: e for e in seed_bank.entries if e.kind == "frame"}
    frame = frames["以{}之心对待{}"]
    for fill in (["赤诚", "组织"], ["责任", "工作"], ["敬畏", "权力"], ["警惕", "诱惑"], ["淡泊", "名利"]):
        assert fill in frame.fills
    assert frame.docs == 2  # recurs across speeches 002 and 003
    assert "全面提升{}" in frames and "{}，重在{}、{}" in frames


def test_quotes_keep_their_attribution(seed_bank):
    quotes = {e.text: e.attribution for e in seed_bank.entries if e.kind == "quote"}
    assert quotes["名为招祸之本，利乃忘志之媒"] == "古人"
    assert quotes["古昔以来，国之乱臣、家之败子，才有余而德不足，以至于颠覆者多矣"] == "司马光"


def test_moves_open_turn_and_close(seed_bank):
    moves = {e.text: e for e in seed_bank.entries if e.kind == "move"}
    assert moves["我的讲话完了，谢谢大家！"].role == "closing"
    assert moves["下面，我再强调四个方面的意见，与同志们共勉。"].role == "transition"
    assert moves["下面，我再强调四个方面的意见，与同志们共勉。"].occasion == "廉政谈话"
    assert any(e.role == "opening" and e.text.startswith("今天召开这次座谈会") for e in moves.values())


def test_themes_are_assigned(seed_bank):
    entry = next(e for e in seed_bank.entries if e.text == "两袖清风")
    assert "廉洁自律" in entry.themes
    assert search(seed_bank, theme="廉洁自律")


def test_rerun_gives_the_same_bytes_and_leaves_custom_yaml_alone(tmp_path):
    out = tmp_path / "bank"
    out.mkdir()
    custom = out / "custom.yaml"
    custom.write_bytes("# 我的词条\nentries:\n- text: 干净干事\n  kind: idiom\n".encode("utf-8"))
    before = custom.read_bytes()
    analyze([SEEDS], out)
    first = (out / "phrases.yaml").read_bytes(), (out / "frames.yaml").read_bytes()
    analyze([SEEDS], out, workers=2)
    assert ((out / "phrases.yaml").read_bytes(), (out / "frames.yaml").read_bytes()) == first
    assert custom.read_bytes() == before
    assert not (out / "themes.yaml").exists()


def test_a_run_killed_while_writing_leaves_the_old_bank_loadable(tmp_path, monkeypatch):
    out = tmp_path / "bank"
    analyze([SEEDS], out)
    old = (out / "phrases.yaml").read_bytes()
    import drafter.fileio as fileio

    real_replace = fileio.os.replace

    def dying_replace(src, dst):
        raise KeyboardInterrupt  # the user pressed Ctrl-C at the worst moment

    monkeypatch.setattr(fileio.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        analyze([SEEDS / "000_7a7045657be6b44d.txt"], out)
    monkeypatch.setattr(fileio.os, "replace", real_replace)
    assert (out / "phrases.yaml").read_bytes() == old
    assert load_bank(out).entries
    assert not list(out.glob(".*.tmp"))


def test_align_sibling_headings():
    assert align(["以赤诚之心对待组织", "以责任之心对待工作"]) == ("以{}之心对待{}", [["赤诚", "组织"], ["责任", "工作"]])
    assert align(["2024年工作回顾", "2025年政府工作任务"]) is None  # shares only digits and 年
    found = frames_from_siblings(["要提高理论水平", "要提高政策水平", "要提高专业化水平", "要做到知行合一"])
    assert found[0] == "要提高{}水平" and found[1] == [0, 1, 2]


_ORIGINAL_LINES: dict[str, list[str]] = {}


def _original_line(doc: str, line: int) -> str:
    """Line `line` of a source as the user has it (a JSONL source: of that record's text),
    in simplified characters."""
    if doc not in _ORIGINAL_LINES:
        path, _, row = doc.partition("#")
        text = Path(path).read_text(encoding="utf-8")
        if row:
            record = json.loads(text.splitlines()[int(row)])
            text = record.get("content") or record.get("text")
        _ORIGINAL_LINES[doc] = split_lines(text)
    return to_simplified(_ORIGINAL_LINES[doc][line - 1]).replace(" ", "").replace("“", "").replace("”", "")


def _bank_of(folder, speeches: list[str]):
    """The bank mined from one small speech file per text."""
    for i, text in enumerate(speeches):
        (folder / f"{i}.txt").write_text(f"讲话{i}\n{text}\n", encoding="utf-8")
    analyze([folder], folder / "bank")
    return load_bank(folder / "bank")


def _mine(*lines: str):
    return _mine_one(clean_lines(list(lines), "t.txt"))


def test_numbers_quantities_and_congresses_are_not_formulas():
    mined = _mine(
        "全年增长百分之二十，产量达到十一点七亿吨，新增就业二十八万人，完成四十项重大科技成果。",
        "第十一届全国人大召开以后，九十年代以来，特别是十六大以来，变化巨大。",
        "大家千方百计完成任务，三个月内见效。",
    )
    assert [f.text for f in mined.found if f.kind == "formula"] == []
    assert "千方百计" in {f.text for f in mined.found if f.kind == "idiom"}  # an idiom with numerals


def test_a_quotation_is_attributed_to_the_sayer_not_to_the_manner_or_the_title():
    mined = _mine(
        "对此，毛泽东同志曾经这样说过：“我们不但要提出任务，而且要解决完成任务的方法问题。”",
        "毛泽东主席在“抗日时期的经济问题和财政问题”一文中指出：“节约是一切工作机关都要注意的。”",
        "他尖锐地指出：“有些同志专批人家，人家批他一句都不行。”",
    )
    quotes = {f.text: f.attribution for f in mined.found if f.kind == "quote"}
    assert quotes == {
        "我们不但要提出任务，而且要解决完成任务的方法问题": "毛泽东同志",
        "节约是一切工作机关都要注意的": "毛泽东主席",
    }  # "他尖锐地指出": 尖锐地 is how, not who; and 他 names nobody


def test_a_parallel_series_is_not_cut_inside_a_word():
    mined = _mine(
        "不断增强经济活力、控制力、影响力。",  # 经济活力 would lose its 经
        "坚持党的基本理论、基本路线、基本方略。",  # jieba reads 党的基|本理论: the cut after 的 stands
        "亩产从六十斤、八十斤、一百斤提高到四百斤。",  # quantities, no series
        "有的世界观、价值观、人生观、政绩观还不够端正。",  # the last item ends where its word does
    )
    assert [f.text for f in mined.found if f.kind == "parallel"] == ["基本理论、基本路线、基本方略", "世界观、价值观、人生观、政绩观"]


def test_a_formula_runs_as_far_as_its_words_belong_together(tmp_path):
    speeches = [
        "坚持四项基本原则，坚持改革开放，这两个基本点相互贯通。",
        "我们必须坚持四项基本原则。全党要牢记“一个中心、两个基本点”的基本路线。",
        "四项基本原则是立国之本。要打好三大攻坚战，实现“两个一百年”奋斗目标。",
        "打好三大攻坚战，坚持两个基本点，为实现两个一百年奋斗目标而努力。",
    ]
    formulas = _texts(_bank_of(tmp_path, speeches), "formula")
    assert {"四项基本原则", "两个基本点", "三大攻坚战", "两个一百年"} <= formulas
    assert not formulas & {"四项基本", "两个基本点相互", "三大攻坚"}


def test_set_phrases_by_cohesion_and_free_edges(tmp_path):
    speeches = [
        "我们要推动构建人类命运共同体。坚持以经济建设为中心不动摇。",
        "中国始终致力于构建人类命运共同体。必须坚持以经济建设为中心。",
        "携手构建人类命运共同体，倡导人类命运共同体理念。以经济建设为中心是兴国之要。",
    ]
    filler = "过去一年，各项工作取得新进展，经济运行总体平稳，城乡居民收入稳步增加，社会大局保持稳定。"
    terms = _texts(_bank_of(tmp_path, [f"{filler}\n{text}\n{filler}" for text in speeches]), "term")
    assert {"人类命运共同体", "以经济建设为中心"} <= terms
    assert not terms & {"经济建设为中心", "以经济建设", "人类命运"}


def test_slogans_quoted_in_several_speeches_are_set_phrases(tmp_path):
    speeches = [
        "深化“放管服”改革，坚持“走出去”。我们热爱和平，维护和平，“和平”是共同心愿。",
        "继续推进“放管服”改革。和平与发展是时代主题，世界需要和平，和平来之不易。",
        "“放管服”改革要抓实，“走出去”步伐加快。我们坚持“和平”共处，捍卫和平，和平最可贵。",
    ]
    terms = {e.text: e for e in _bank_of(tmp_path, speeches).entries if e.kind == "term"}
    assert terms["放管服"].docs == 3 and terms["放管服"].count == 3
    assert "走出去" in terms
    assert "和平" not in terms  # quoted for emphasis, used unquoted far more


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")
def test_real_reports_yield_the_genres_formulas_and_set_phrases(tmp_path):
    summary = analyze([CORPORA], tmp_path)
    assert summary.documents == 88
    bank = load_bank(tmp_path)
    texts = {e.text: e.kind for e in bank.entries}
    for formula in ["四个现代化", "一国两制", "三个代表", "四个全面", "两个维护", "四项基本原则", "两个一百年", "三大攻坚战", "八项规定"]:
        assert texts.get(formula) == "formula", formula
    # quantities, dates and fragments are not formulas
    formulas = [t for t, kind in texts.items() if kind == "formula"]
    assert not [t for t in formulas if re.search(r"分之|[万亿]|年代|世纪|^第|以来$", t)]
    assert "四项基本" not in texts and texts.get("千方百计") == "idiom"
    # jieba's "set phrases" that are a modifier and a noun are terms; a quoted place name is no idiom
    assert texts.get("高等教育") == texts.get("固定资产") == "term"
    assert texts.get("坚定不移") == texts.get("艰苦奋斗") == "idiom" and texts.get("马来西亚") != "idiom"
    for term in [
        "改革开放", "全面建成小康社会", "供给侧结构性改革", "社会主义市场经济体制", "中国特色社会主义", "以人民为中心",
        # the object of a verb (构建|人类命运共同体), five jieba tokens (以|经济|建设|为|中心), a word
        # starting with 和, a phrase jieba cut apart (可|持续|发展), one cut two ways
        "人类命运共同体", "新发展格局", "精准扶贫", "以经济建设为中心", "和平统一", "可持续发展", "社会主义市场经济",
        # slogans the reports put in quotation marks
        "放管服", "走出去", "互联网+", "菜篮子",
        # dictionary words that start with a numeral but are no number
        "五年计划", "十一届三中全会", "两岸关系",
        # a last token of one character that names something: 中国|梦, 粤港澳|大湾|区
        "中国梦", "粤港澳大湾区",
        "科教兴国",  # also found as 科教兴国战略, and named on its own
    ]:
        assert term in texts, term
    terms = [t for t, kind in texts.items() if kind == "term"]
    # clauses are not set phrases
    assert not set(terms) & {
        "审议了国务院总理", "持久地开展", "在思想上", "从今年起", "与此同时", "人民币汇率在合理", "思想为指导",
        "绝大多数", "万平方公里", "第十三届", "三分之一", "十分重视",  # numbers, quantities, an adverb
    }
    # traditional-character documents are converted, not mined as garbage
    for entry in bank.entries:
        assert not re.search(r"[們會國說這個來時為對經動實現當發與體關於產黨]", entry.text), entry.text
    # every source points at the original line that holds the entry (pieces of sentences that
    # a web page broke over several lines included); a term may run on into the next line
    misplaced = [
        (entry.text, source.doc, source.line)
        for entry in bank.entries if entry.kind != "frame"
        for source in entry.sources
        if entry.text.replace("“", "").replace("”", "")[:2] not in _original_line(source.doc, source.line)
    ]
    assert len(misplaced) <= 5, misplaced[:10]
    # the bank stays a size a person can read
    assert sum(1 for e in bank.entries if e.kind == "term") < 4000


def test_progress_is_reported_while_mining_and_while_merging(tmp_path):
    calls = []
    analyze([SEEDS], tmp_path, progress=lambda stage, done, total: calls.append((stage, done, total)))
    n = len(list(SEEDS.rglob("*.txt")))  # the five seeds and the shipped reports
    assert [c for c in calls if c[0] == "分析"][-1] == ("分析", n, n)
    assert [c for c in calls if c[0] == "汇总"] == [("汇总", k, 3) for k in range(4)]


def test_set_phrase_readings_tell_names_and_connectives_from_idioms():
    """jieba tags 学前教育 and 技术改造 set phrases like 统筹兼顾; reduce files them as terms
    and drops the words that link sentences (issue 9)."""
    from drafter.mining.readings import set_phrase_readings

    readings = set_phrase_readings()
    assert {"学前教育", "个人所得税", "刑事犯罪", "技术改造", "剩余劳动力"} <= readings["terms"]
    assert {"也就是说", "总的看来", "无论如何"} <= readings["connectives"]
    assert "发生变化" in readings["verb_objects"]
    idioms = {"统筹兼顾", "同心同德", "不失时机", "留有余地", "诉诸武力", "五湖四海", "二话不说", "敢想敢说"}
    assert not idioms & (readings["terms"] | readings["connectives"] | readings["verb_objects"])


def test_term_thresholds_rise_with_a_large_corpus():
    """The statistics' count threshold is 6 up to 1.75 million characters (the 88 reports of
    ../shared/corpora keep 1.43 million: their bank is what it was), then 4 per million."""
    from drafter.mining import term_thresholds

    assert term_thresholds(5, 120_000)["min_count"] == 2
    assert term_thresholds(88, 1_434_301)["min_count"] == 6
    assert term_thresholds(88, 1_750_000)["min_count"] == 7
    assert term_thresholds(1154, 22_730_052)["min_count"] == 90
    assert term_thresholds(1154, 22_730_052)["min_docs"] == 4


def test_worker_processes_read_the_files_and_leave_out_a_broken_one(tmp_path):
    """With worker processes, the files are read and cleaned there: a file that cannot be read
    is left out and named (as when read here), or with --strict stops the run with its message."""
    from drafter.errors import DrafterError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (corpus / seed.name).write_bytes(seed.read_bytes())
    broken = corpus / "损坏.txt"
    broken.write_bytes(b"\x00\x01\x02binary\x00\xff" * 50)
    here = analyze([corpus], tmp_path / "one", workers=1)
    there = analyze([corpus], tmp_path / "two", workers=2)
    assert there.workers == 2
    assert [s.path for s in there.skipped] == [str(broken)] == [s.path for s in here.skipped]
    assert "二进制" in there.skipped[0].reason
    assert (tmp_path / "one" / "phrases.yaml").read_bytes() == (tmp_path / "two" / "phrases.yaml").read_bytes()
    with pytest.raises(DrafterError, match="二进制"):
        analyze([corpus], tmp_path / "strict", workers=2, strict=True)
    assert not (tmp_path / "strict").exists()


def test_a_stop_once_the_bank_is_committed_lets_the_run_end(tmp_path, monkeypatch):
    """SIGTERM right at the commit of the new bank (the manifest's rename): the bank is
    written, so the run ends normally instead of reporting that nothing was written."""
    import os
    import signal

    import drafter.fileio as fileio

    real_replace = fileio.os.replace

    def replace_then_stop(src, dst):
        real_replace(src, dst)
        if Path(dst).name == fileio.MANIFEST_FILE:
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(fileio.os, "replace", replace_then_stop)
    import threading

    # another thread running, as in a real run (worker pool, background work): the signal may
    # reach it rather than the thread that commits
    over = threading.Event()
    threading.Thread(target=over.wait, args=(30,), daemon=True).start()
    try:
        summary = analyze([SEEDS], tmp_path / "bank", workers=1)
    finally:
        over.set()
    assert summary.documents and (tmp_path / "bank" / "phrases.yaml").is_file()
    load_bank(tmp_path / "bank")
