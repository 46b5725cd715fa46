"""phrasebank/canon.yaml and drafter/canon.py: the shipped canon, its schema, and what it finds
in real sentences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from drafter.canon import KINDS, canon_path, load_canon, plain
from drafter.errors import DrafterError

ROOT = Path(__file__).resolve().parents[1]
CANON = ROOT / "phrasebank" / "canon.yaml"
REPORTS = ROOT / "seeds" / "reports"


def _shared_corpora() -> Path | None:
    for parent in ROOT.parents:
        if (parent / "shared" / "corpora").is_dir():
            return parent / "shared" / "corpora"
    return None


CORPORA = _shared_corpora()


@pytest.fixture(scope="module")
def canon():
    return load_canon(CANON)


def _themes() -> set[str]:
    from drafter.bank import load_themes

    return set(load_themes(ROOT / "phrasebank" / "themes.yaml"))


# ---------------------------------------------------------------------------------------
# The shipped file


def test_the_shipped_canon_loads_and_is_found_by_default(canon, tmp_path):
    assert len(canon.canonical) >= 170 and len(canon.expired) >= 150
    assert canon_path(None) == CANON.resolve() or canon_path(None) == CANON
    assert canon_path(tmp_path) == canon_path(None)  # a bank folder without its own canon.yaml
    (tmp_path / "canon.yaml").write_text("version: 1\ncanonical: []\nexpired: []\n", encoding="utf-8")
    assert canon_path(tmp_path) == tmp_path / "canon.yaml"


def test_every_entry_has_years_a_valid_kind_and_known_themes(canon):
    themes = _themes()
    for entry in canon.canonical:
        assert entry.kind in KINDS, entry
        assert 1921 <= entry.since <= 2026 or entry.kind in ("idiom", "quote") and entry.since >= 1900, entry
        assert set(entry.themes) <= themes, entry
    for entry in canon.expired:
        assert entry.variant or 1900 <= entry.start <= entry.until <= 2025, entry
        assert entry.kind is None or entry.kind in KINDS


def test_every_entry_has_a_comment_citing_a_dated_source():
    """Each entry sits in a block (no blank line inside) that opens with a comment naming a
    document, meeting or report with its year."""
    lines = CANON.read_text(encoding="utf-8").splitlines()
    cited = re.compile(r"(19|20)\d\d")
    missing = []
    for number, line in enumerate(lines):
        if not line.lstrip().startswith("- text:"):
            continue
        above = number - 1
        while above >= 0 and lines[above].strip() and not lines[above].lstrip().startswith("#"):
            above -= 1
        if above < 0 or not lines[above].lstrip().startswith("#") or not cited.search(lines[above]):
            missing.append((number + 1, line.strip()))
    assert not missing, missing


def test_the_formulations_the_issue_names_are_there(canon):
    canonical = {plain(e.text) for e in canon.canonical}
    for text in [
        "以习近平同志为核心的党中央", "习近平新时代中国特色社会主义思想", "两个确立", "两个维护", "四个意识", "四个自信",
        "全过程人民民主", "新质生产力", "全面从严治党", "中国式现代化", "高质量发展", "新发展理念", "新发展格局",
        "人类命运共同体", "总体国家安全观", "中央八项规定精神", "一体推进不敢腐、不能腐、不想腐",
    ]:
        assert text in canonical, text
    expired = {plain(e.text): e for e in canon.expired}
    assert expired["以习近平同志为总书记的党中央"].until == 2016
    assert expired["以习近平同志为总书记的党中央"].replaced_by == "以习近平同志为核心的党中央"
    assert (expired["十二五"].start, expired["十二五"].until) == (2011, 2015)
    assert (expired["十三五"].start, expired["十三五"].until) == (2016, 2020)
    assert (expired["党的群众路线教育实践活动"].start, expired["党的群众路线教育实践活动"].until) == (2013, 2014)
    for text in ["以阶级斗争为纲", "无产阶级专政下继续革命", "革命委员会", "党纪学习教育", "打赢脱贫攻坚战"]:
        assert text in expired, text


def test_what_the_party_constitution_still_holds_is_not_expired(canon):
    expired = {plain(e.text) for e in canon.expired}
    for text in ["三个代表重要思想", "科学发展观", "邓小平理论", "毛泽东思想", "阶级斗争", "无产阶级专政", "三严三实", "不忘初心、牢记使命"]:
        assert text not in expired, text
        assert not any(text == e for e in expired)


def test_each_details_formula_spells_out_as_many_items_as_its_numeral(canon):
    numerals = {"两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "十": 10}
    for entry in canon.canonical:
        if entry.kind != "formula" or not entry.full or entry.text[0] not in numerals:
            continue
        if entry.text in ("三个务必", "两个确立", "两个结合", "两个维护", "两个责任", "四种形态", "三严三实", "两个毫不动摇", "五个必由之路", "两个务必", "四个服从"):
            continue  # items are clauses, counted below
        items = re.split(r"[、，；]|和", entry.full)
        assert len(items) == numerals[entry.text[0]], (entry.text, items)
    clauses = {"三个务必": 3, "两个确立": 2, "两个维护": 2, "两个责任": 2, "四种形态": 4, "两个毫不动摇": 2,
               "五个必由之路": 5, "两个务必": 2, "四个服从": 4}
    for entry in canon.canonical:
        if entry.text in clauses:
            assert len(re.findall("务必|确立|坚决维护|负|成为|毫不动摇|必由之路|服从", entry.full)) == clauses[entry.text], entry.text


@pytest.mark.skipif(CORPORA is None, reason="../shared/corpora is not present")
def test_no_report_uses_a_canonical_formulation_before_its_since_year(canon):
    """`since` is checked against the reports: none dated before it may contain the formulation
    (idioms and quotations may be older than the document that made them a norm)."""
    docs = _dated_reports()
    # read in context and judged: older words that only look like the formulation
    older_words = {
        "全面深化改革": "“全面深化改革开放”（2006、2011 年政府工作报告）是泛说；作为战略名称始于十八届三中全会（2013年）",
        "新发展理念": "十七大报告“创新发展理念”中的字串",
        "吃苦在前，享受在后": "老话，2015 年的《廉洁自律准则》把它定为规范",
    }
    late = []
    for entry in canon.canonical:
        if entry.kind in ("idiom", "quote") or entry.text in older_words:
            continue
        text = plain(entry.text)
        first = min((year for year, body in docs if text in body), default=None)
        if first is not None and first < entry.since:
            late.append((entry.text, entry.since, first))
    assert not late, late


@pytest.mark.skipif(CORPORA is None, reason="../shared/corpora is not present")
def test_superseded_leadership_formulas_are_used_only_in_their_years(canon):
    docs = _dated_reports()
    for text in ["以习近平同志为总书记的党中央", "以邓小平理论、三个代表重要思想、科学发展观为指导", "习近平总书记系列重要讲话精神"]:
        entry = canon.expired_entries(text)[0]
        years = {year for year, body in docs if text in body}
        assert years and min(years) >= entry.start and max(years) <= entry.until, (text, sorted(years))
    current = {year for year, body in docs if "以习近平同志为核心的党中央" in body}
    assert min(current) == 2017


_NPC = {1: 1954, 2: 1959, 3: 1964, 4: 1975, 5: 1978, 6: 1983, 7: 1988, 8: 1993, 9: 1998, 10: 2003, 11: 2008, 12: 2013, 13: 2018, 14: 2023}
_CONGRESS = {1: 1921, 3: 1923, 7: 1945, 9: 1969, 10: 1973, 11: 1977, 12: 1982, 13: 1987, 14: 1992, 15: 1997, 16: 2002, 17: 2007, 18: 2012, 19: 2017, 20: 2022}
_DIGITS = dict(zip("一二三四五六七八九", range(1, 10)))


def _cn(text: str) -> int:
    if text.startswith("十"):
        return 10 + _DIGITS.get(text[1:], 0)
    return _DIGITS[text[0]] * 10 + _DIGITS.get(text[2:], 0) if len(text) > 1 else _DIGITS[text]


_REPORT_CACHE: list[tuple[int, str]] = []


def _dated_reports() -> list[tuple[int, str]]:
    """(year, text without spaces and quotation marks) of every report and NPC resolution."""
    if not _REPORT_CACHE:
        for line in (CORPORA / "government_work_reports.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("year"):
                year = int(record["year"])
            else:
                match = re.match(r"第(.+?)届全国人民代表大会第(.+?)次会议", record["title"])
                year = _NPC[_cn(match.group(1))] + _cn(match.group(2)) - 1
            _REPORT_CACHE.append((year, plain(re.sub(r"\s", "", record["content"]))))
        for line in (CORPORA / "cpc_congress_reports.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            _REPORT_CACHE.append((_CONGRESS[int(record["congress"])], plain(re.sub(r"\s", "", record["content"]))))
    return _REPORT_CACHE


# ---------------------------------------------------------------------------------------
# expired_in and is_truncation on real sentences


def _sentence(name: str, needle: str) -> str:
    """The sentence of a shipped report that contains `needle`."""
    text = (REPORTS / name).read_text(encoding="utf-8")
    for sentence in re.split(r"(?<=[。！？])", text):
        if needle in sentence:
            return sentence.strip()
    raise AssertionError(f"{needle} not in {name}")


def test_expired_in_finds_the_old_leadership_formula_in_a_2016_sentence_but_not_in_its_own_year(canon):
    sentence = _sentence("2016年政府工作报告.txt", "以习近平同志为总书记的党中央")
    assert [e.text for e in canon.expired_in(sentence, 2026)][:1] == ["以习近平同志为总书记的党中央"]
    assert "以习近平同志为总书记的党中央" not in [e.text for e in canon.expired_in(sentence, 2016)]
    closing = _sentence("2025年政府工作报告.txt", "以习近平同志为核心的党中央周围")
    assert "以习近平同志为总书记的党中央" not in [e.text for e in canon.expired_in(closing, 2026)]


def test_expired_in_finds_five_year_plans_and_goals_in_report_sentences(canon):
    sentence = _sentence("2016年政府工作报告.txt", "十三五")
    found = [e.text for e in canon.expired_in(sentence, 2026)]
    assert "十三五" in found
    assert "十三五" not in [e.text for e in canon.expired_in(sentence, 2018)]
    goal = _sentence("2017年中国共产党第十九次全国代表大会报告.txt", "决胜全面建成小康社会")
    found = [e.text for e in canon.expired_in(goal, 2026)]
    assert "决胜全面建成小康社会" in found and "全面建成小康社会" in found
    assert canon.expired_in(goal, 2019) == []


def test_expired_in_leaves_current_sentences_alone(canon):
    for name in ("2025年政府工作报告.txt", "2024年政府工作报告.txt"):
        sentence = _sentence(name, "以习近平新时代中国特色社会主义思想为指导")
        assert [e.text for e in canon.expired_in(sentence, 2026) if e.until < 2024] == [], sentence
    assert canon.expired_in("江苏修建铁路，纪检监察部门加强监督，农业部署到位，二十三五岁青年", 2026) == []
    only = _sentence("2012年中国共产党第十八次全国代表大会报告.txt", "只有中国特色社会主义才能发展中国")
    assert canon.expired_in(only, 2026) == []
    old = _sentence("2012年中国共产党第十八次全国代表大会报告.txt", "胜利完成“十一五”规划")
    assert {"十一五", "十二五"} <= {e.text for e in canon.expired_in(old, 2026)}
    assert [e.text for e in canon.expired_in(old, 2012)] == ["十一五"]  # 十二五 is the current plan then


@pytest.mark.skipif(CORPORA is None, reason="../shared/corpora is not present")
def test_expired_in_finds_class_struggle_slogans_in_the_1970s_reports(canon):
    reports = {json.loads(line).get("year"): json.loads(line)["content"]
               for line in (CORPORA / "government_work_reports.jsonl").read_text(encoding="utf-8").splitlines()}
    found = {e.text for e in canon.expired_in(reports["1978"], 2026)}
    assert {"以阶级斗争为纲", "无产阶级文化大革命", "农业学大寨", "苏修"} <= found
    # the same report, dated in its own year, has nothing expired from that time
    assert not {e.text for e in canon.expired_in(reports["1978"], 1978)} & {"以阶级斗争为纲", "农业学大寨"}


def test_is_truncation_on_cut_formulations(canon):
    assert canon.is_truncation("以习近平同志为核心").text == "以习近平同志为核心的党中央"
    assert canon.is_truncation("习近平同志为核心的党中央").text == "以习近平同志为核心的党中央"
    assert canon.is_truncation("习近平新时代中国特色社会主义").text == "习近平新时代中国特色社会主义思想"
    assert canon.is_truncation("不敢腐、不能腐").text == "不敢腐、不能腐、不想腐"
    assert canon.is_truncation("“四个全面”战略").text == "“四个全面”战略布局"
    assert canon.is_truncation("政治意识、大局意识、核心意识").text == "政治意识、大局意识、核心意识、看齐意识"
    assert canon.is_truncation("形式主义、官僚主义、享乐主义").text == "形式主义、官僚主义、享乐主义和奢靡之风"
    assert canon.is_truncation("人类命运").text == "人类命运共同体"  # whole: true
    assert canon.is_truncation("全面从严").text == "全面从严治党"
    assert canon.is_truncation("一体推进不敢腐").text == "一体推进不敢腐、不能腐、不想腐"
    assert canon.is_truncation("四个").text in {"四个意识", "四个自信", "四个全面", "四个伟大"}  # a numeral alone


def test_an_old_series_is_expired_but_not_inside_the_current_one(canon):
    """道路自信、理论自信、制度自信 (2012–2016) is expired; inside 道路自信、理论自信、制度自信、文化自信
    it is part of the current formulation and not reported."""
    old = _sentence("2017年中国共产党第十九次全国代表大会报告.txt", "道路自信、理论自信、制度自信、文化自信")
    assert "道路自信、理论自信、制度自信" not in [e.text for e in canon.expired_in(old, 2026)]
    assert [e.text for e in canon.expired_in("坚定道路自信、理论自信、制度自信", 2026)] == ["道路自信、理论自信、制度自信"]


def test_is_truncation_leaves_whole_words_and_formulations_alone(canon):
    for text in [
        "以习近平同志为核心的党中央", "党中央", "新时代中国特色社会主义思想", "新发展理念", "高质量", "新时代", "中国",
        "不敢腐", "经济建设", "政治纪律", "以人民为中心", "实现中华民族伟大复兴", "乡村振兴", "以国内大循环为主体",
        "十三五", "为中国人民谋幸福",
        # beginnings of formulations not marked whole that are terms of their own (corpus bank, read)
        "生态文明", "社会主义市场经济", "党风廉政建设", "中华人民共和国", "脱贫攻坚", "中国共产党领导", "习近平总书记",
        "因地制宜", "坚持和完善", "新时代中国特色社会主义", "人民日益增长的美好生活需要", "增强“四个意识”", "习近平",
    ]:
        assert canon.is_truncation(text) is None, text


def test_is_truncation_on_what_analysis_mines_from_a_report(canon):
    """The seeds' bank holds 以习近平同志为核心 (issue #9); cut from a real line, it is a truncation."""
    line = _sentence("2025年政府工作报告.txt", "在以习近平同志为核心的党中央坚强领导下")
    cut = line[line.index("以习近平同志为核心"):][: len("以习近平同志为核心")]
    assert canon.is_truncation(cut).text == "以习近平同志为核心的党中央"
    whole = line[line.index("以习近平同志为核心"):][: len("以习近平同志为核心的党中央")]
    assert canon.is_truncation(whole) is None and canon.canonical_entry(whole) is not None


# ---------------------------------------------------------------------------------------
# Schema errors: file, line, nearest key


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "canon.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """version: 1
canonical:
  # 十九届六中全会决议（2021年11月）
  - text: 两个确立
    kind: formula
    themes: [政治建设]
    since: 2021
expired:
  # 十八届六中全会（2016年10月）
  - text: 以习近平同志为总书记的党中央
    from: 2012
    until: 2016
    replaced_by: 以习近平同志为核心的党中央
"""


def test_a_small_canon_loads(tmp_path):
    canon = load_canon(_write(tmp_path, GOOD))
    assert canon.canonical[0].text == "两个确立" and canon.canonical[0].line == 4
    assert canon.expired[0].until == 2016 and canon.expired[0].replaced_by == "以习近平同志为核心的党中央"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("    since: 2021", "    sinse: 2021", ["第 7 行", "sinse", "是不是“since”"]),
        ("    until: 2016", "    untill: 2016", ["第 12 行", "untill", "是不是“until”"]),
        ("version: 1", "versoin: 1", ["第 1 行", "是不是“version”"]),
        ("    kind: formula", "    kind: formular", ["第 4 行", "formular", "是不是“formula”"]),
        ("    themes: [政治建设]", "    themes: [政治见设]", ["第 6 行", "政治见设", "是不是“政治建设”"]),
        ("    until: 2016", "    until: 2010", ["第 12 行", "早于"]),
        ("    since: 2021", "    since: 二〇二一", ["第 7 行", "年份"]),
        ("    since: 2021", "    since: '2021'", ["第 7 行", "年份"]),
        ("    themes: [政治建设]", "    themes: 政治建设", ["第 6 行", "列表"]),
        ("    from: 2012", "", ["第 10 行", "缺少 from"]),
        ("  - text: 以习近平同志为总书记的党中央", "  - text: 两个确立", ["第 10 行", "重复", "第 4 行"]),
        ("  - text: 两个确立", "  - text: &a 两个确立", ["第 4 行", "锚点"]),
        ("expired:", "expired: [}", ["第 8 行", "YAML 格式错误"]),
        ("    since: 2021", "    since: 2021\n    whole: 是", ["第 8 行", "whole 应为 true 或 false"]),
        ("    until: 2016", "    until: 2016\n    not_after: [江]", ["第 13 行", "not_after 应是一段文字"]),
    ],
)
def test_schema_errors_name_the_file_the_line_and_the_nearest_key(tmp_path, old, new, expected):
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(DrafterError) as caught:
        load_canon(path)
    message = str(caught.value)
    assert str(path) in message
    for part in expected:
        assert part in message, (part, message)


def test_aliases_are_refused(tmp_path):
    text = GOOD + "  - text: 十三五\n    from: 2016\n    until: 2020\n    replaced_by: *x\n"
    text = text.replace("    replaced_by: 以习近平同志为核心的党中央", "    replaced_by: &x 以习近平同志为核心的党中央")
    with pytest.raises(DrafterError, match="锚点或别名"):
        load_canon(_write(tmp_path, text))


def test_themes_beside_the_canon_file_are_the_ones_checked(tmp_path):
    (tmp_path / "themes.yaml").write_text("themes:\n  我的主题: [关键词]\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="未知的主题“政治建设”"):
        load_canon(_write(tmp_path, GOOD))
    canon = load_canon(_write(tmp_path, GOOD.replace("[政治建设]", "[我的主题]")))
    assert canon.canonical[0].themes == ("我的主题",)


def test_an_edited_file_is_checked_again_not_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = _write(tmp_path, GOOD)
    assert load_canon(path).canonical[0].since == 2021
    path.write_text(GOOD.replace("since: 2021", "since: 20211"), encoding="utf-8")
    with pytest.raises(DrafterError, match="年份"):
        load_canon(path)


def test_expired_in_and_is_truncation_stay_fast(canon):
    import time

    texts = [e.text for e in canon.canonical] * 20
    start = time.perf_counter()
    for text in texts:
        canon.expired_in(text, 2026)
        canon.is_truncation(text)
    assert time.perf_counter() - start < 1.0, "several thousand look-ups should take milliseconds"


def test_canonical_in_finds_whole_formulations_in_a_report_line_with_their_offsets(canon):
    line = _sentence("2025年政府工作报告.txt", "以习近平同志为核心的党中央周围")
    found = {entry.text: line[start:end] for start, end, entry in canon.canonical_in(line, 2025)}
    assert found["以习近平同志为核心的党中央"] == "以习近平同志为核心的党中央"
    assert found["以习近平新时代中国特色社会主义思想为指导"] == "以习近平新时代中国特色社会主义思想为指导"
    quoted = "增强“四个意识”、坚定“四个自信”、做到“两个维护”"
    spans = {entry.text: quoted[start:end] for start, end, entry in canon.canonical_in(quoted)}
    assert spans["增强“四个意识”、坚定“四个自信”、做到“两个维护”"] == quoted
    assert "新质生产力" not in {e.text for _, _, e in canon.canonical_in("加快发展新质生产力", 2020)}
    assert "新质生产力" in {e.text for _, _, e in canon.canonical_in("加快发展新质生产力", 2024)}


def test_no_current_formulation_is_reported_expired(canon):
    for entry in canon.canonical:
        assert canon.expired_in(entry.text, 2026) == [], entry.text
        if entry.full:
            assert [e.text for e in canon.expired_in(entry.full, 2026)] == [], entry.text


def test_variants_are_never_current_and_name_the_standard_form(canon):
    """A non-standard way of writing a formulation (canon.yaml `variants`) is found in any year,
    inside a longer sentence too, and says what to write instead; the standard form is not."""
    variants = [e for e in canon.expired if e.variant]
    assert {e.text for e in variants} >= {"以习近平总书记为核心的党中央", "习近平新时代中国特色社会主义理论"}
    for entry in variants:
        assert entry.replaced_by and not entry.current_in(2026) and not entry.current_in(2000)
        assert canon.expired_in(entry.replaced_by, 2026) == [], entry.text
    sentence = "在以习近平总书记为核心的党中央坚强领导下，我们攻坚克难。"
    found = canon.expired_in(sentence, 2026)
    assert [(e.text, e.replaced_by) for e in found] == [("以习近平总书记为核心的党中央", "以习近平同志为核心的党中央")]
    assert canon.is_truncation("以习近平总书记为核心")


def test_a_variant_needs_its_standard_form(tmp_path):
    path = tmp_path / "canon.yaml"
    path.write_text("version: 1\nvariants:\n  - text: 五大发展理念\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="replaced_by"):
        load_canon(path)


def test_drafts_never_carry_a_variant_and_phrases_marks_it(tmp_path):
    """Seed 002 writes 以习近平总书记为核心的党中央: no draft offers that sentence or phrase, and a
    look-up marks it 不规范 with the standard form."""
    from drafter import api
    from drafter.bank import search, load_bank

    custom = tmp_path / "bank"
    custom.mkdir()
    for name in ("phrases.yaml", "frames.yaml", "sentences.yaml", "manifest.json"):
        (custom / name).write_bytes((ROOT / "phrasebank" / name).read_bytes())
    (custom / "custom.yaml").write_text(
        "entries:\n  - text: 以习近平总书记为核心的党中央\n    kind: term\n    themes: [政治建设]\n", encoding="utf-8"
    )
    marked = [e for e in search(load_bank(custom), "核心的党中央") if e.text == "以习近平总书记为核心的党中央"]
    assert marked and marked[0].expired == [{"text": "以习近平总书记为核心的党中央", "replaced_by": "以习近平同志为核心的党中央", "variant": True}]
    for occasion in ("廉政谈话", "专题党课", "民主生活会", "工作会议"):
        for seed in range(4):
            text = api.render(api.draft(occasion, seed=seed, bank=custom, date="2026-05-18", themes=["政治建设"]), "json").decode("utf-8")
            assert "习近平总书记为核心" not in text, (occasion, seed)
