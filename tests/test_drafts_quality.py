"""Issue #10: drafts a writer keeps. For every built-in occasion and seeds 0–9, with the built-in
bank and with a bank mined from ../shared/corpora (skipped when absent): headings from the
occasion's own frames or frames mined from speeches of the same occasion, no heading repeated at
any level, no two sections on one theme, no overlapping phrases, a sourced example sentence
under every point, no blank left where --org/--audience were given; --length within ±15%;
--theme changes the draft."""

from __future__ import annotations

from collections import Counter

import itertools
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, run
from drafter import api
from drafter.bank import load_bank, policy_matcher
from drafter.choosing import overlaps
from drafter.draft import DraftOptions, build_draft, draft_to_dict, undouble
from drafter.examples import load_examples
from drafter.model import is_report_title
from drafter.template_check import check_occasion
from drafter.templating import find_occasion, load_point_headings, sandbox

OCCASIONS = sorted(p.stem for p in (ROOT / "templates" / "occasions").glob("*.yaml"))
SEEDS = range(10)
BUILTIN = ROOT / "phrasebank"


def make(name: str, bank_dir=BUILTIN, **options):
    options.setdefault("date", __import__("datetime").date(2026, 5, 18))
    return build_draft(find_occasion(name, None), load_bank(bank_dir), DraftOptions(**options), load_point_headings(None), sandbox())


def check_draft(draft, bank_dir) -> list[str]:
    """Every rule of the issue's "done when", as a list of what is wrong."""
    problems = []
    occasion = find_occasion(draft.occasion, None)
    own = {spec.text for spec in occasion.frames}
    examples = load_examples(Path(bank_dir))
    bank = load_bank(bank_dir)
    mined = {e.text: e for e in bank.entries if e.kind == "frame"}
    for section in draft.sections:
        if section.frame not in own:
            entry = mined.get(section.frame)
            if entry is None or not all(
                examples.occasion_of(s.doc) == draft.occasion and examples.is_top_heading(s.doc, s.line) for s in entry.sources
            ):
                problems.append(f"heading from a borrowed frame: {section.heading} ({section.frame})")
    headings = [s.heading for s in draft.sections] + [p.heading for s in draft.sections for p in s.points]
    for a, b in itertools.combinations(headings, 2):
        if overlaps(a, b):
            problems.append(f"heading repeated: {a} / {b}")
    themes = [s.theme for s in draft.sections]
    if len(set(themes)) != len(themes) and not draft.themes:
        problems.append(f"two sections on one theme: {themes}")
    phrases = [p.text for s in draft.sections for pt in s.points for p in pt.phrases]
    for a, b in itertools.combinations(phrases, 2):
        if a in b or b in a:
            problems.append(f"overlapping phrases: {a} / {b}")
    sentences = [e.text for s in draft.sections for pt in s.points for e in pt.examples]
    if len(sentences) != len(set(sentences)):
        problems.append("an example sentence twice")
    for section in draft.sections:
        for point in section.points:
            if not point.examples:
                problems.append(f"no example sentence under {point.heading}")
            for example in point.examples:
                if not (example.source.get("doc") and example.source.get("line", 0) > 0):
                    problems.append(f"unsourced example {example.text}")
    return problems


def blanks_left(draft) -> list[str]:
    text = json.dumps(draft_to_dict(draft), ensure_ascii=False)
    return [b for b in ("【单位】", "【参会人员】") if b in text]


def test_there_are_at_least_twelve_occasions_with_the_new_ones():
    assert len(OCCASIONS) >= 12
    for name in ["学习教育动员部署会", "年终总结会", "开班式", "调研座谈会", "述职述廉会", "主题党日"]:
        assert name in OCCASIONS
    for alias, name in [("民主测评", "述职述廉会"), ("培训班", "开班式"), ("年度总结会", "年终总结会")]:
        assert find_occasion(alias, None).name == name


@pytest.mark.parametrize("name", OCCASIONS)
def test_every_occasion_and_seed_with_the_builtin_bank(name):
    for seed in SEEDS:
        draft = make(name, seed=seed, org="市纪委", audience="全体党员干部")
        assert check_draft(draft, BUILTIN) == [], (name, seed)
        assert blanks_left(draft) == [], (name, seed)
        assert "全体全体" not in json.dumps(draft_to_dict(draft), ensure_ascii=False)


@pytest.mark.parametrize("name", OCCASIONS)
def test_every_occasion_and_seed_with_a_corpus_bank(name, corpus_bank_dir):
    """…and no report's sentence on a field of policy (粮食, 房地产, 化债 …) under a section of
    another theme than the lexicon's policy_themes: 0 of 1,922 examples in these drafts when the
    rule came in, 404 of 1,955 (21%) before it. Nor a stock phrase seen in reports only on such a
    field (脱贫攻坚 under 担当作为, 一国两制 under 严守政治纪律): 0 of 3,701 phrases, 199 of 3,680
    before."""
    bank = load_bank(corpus_bank_dir)
    themes = bank.themes
    on_policy = policy_matcher(themes)
    index = load_examples(Path(corpus_bank_dir))
    titles = {s.text: s.title for s in index.sentences}
    in_speeches = {e.text for e in bank.entries if e.in_speeches}
    for seed in SEEDS:
        draft = make(name, bank_dir=corpus_bank_dir, seed=seed, org="县委办", audience="机关党员干部")
        assert check_draft(draft, corpus_bank_dir) == [], (name, seed)
        assert blanks_left(draft) == []
        off = [
            (point.heading, example.text)
            for section in draft.sections if section.theme not in themes.policy_themes
            for point in section.points
            for example in point.examples
            if example.occasion != name and is_report_title(titles.get(example.text)) and on_policy(example.text)
        ]
        off += [
            (point.heading, phrase.text)
            for section in draft.sections if section.theme not in themes.policy_themes
            for point in section.points
            for phrase in point.phrases
            if phrase.text not in in_speeches and on_policy(phrase.text)
        ]
        assert off == [], (name, seed)


@pytest.mark.parametrize("name", OCCASIONS)
def test_length_4000_is_within_15_percent_for_every_occasion(name):
    for seed in (0, 1):
        draft = make(name, seed=seed, length=4000)
        assert 3400 <= draft.length <= 4600, (name, seed, draft.length)
        assert check_draft(draft, BUILTIN) == []
    # the length is the characters of the speech text itself, counted from the JSON
    data = draft_to_dict(draft)
    texts = data["opening"] + data["closing"] + [s["heading"] for s in data["sections"]]
    texts += [p["heading"] for s in data["sections"] for p in s["points"]]
    texts += [e["text"] for s in data["sections"] for p in s["points"] for e in p["examples"]]
    import re

    assert data["length"] == sum(len(re.sub(r"【[^】]*】", "", t)) for t in texts)
    assert data["target_length"] == 4000 and data["minutes"] == round(data["length"] / 200, 1)


def test_length_6000_and_minutes(runner):
    for name in OCCASIONS:  # also where the template allows three or four sections only
        assert 5100 <= make(name, length=6000).length <= 6900, name
    out = json.loads(run(runner, "draft", "廉政谈话", "--minutes", "20", "--format", "json").stdout)
    assert out["target_length"] == 4000 and 3400 <= out["length"] <= 4600
    text = run(runner, "draft", "座谈会", "--length", "3000").stdout
    assert "篇幅：正文约" in text and "目标 3000 字" in text
    run(runner, "draft", "座谈会", "--length", "10", code=1)


@pytest.mark.parametrize("name", OCCASIONS)
def test_theme_always_changes_the_draft(name):
    plain = draft_to_dict(make(name))
    for theme in ("廉洁自律", "家风建设", "改革发展"):
        themed = draft_to_dict(make(name, themes=[theme]))
        assert themed["sections"] != plain["sections"], (name, theme)
        assert theme in [s["theme"] for s in themed["sections"]]


def test_the_readme_theme_example_differs_from_the_plain_command(runner):
    base = ["draft", "警示教育大会", "--org", "市委办公室", "--sections", "3", "--date", "2026-05-18"]
    plain = run(runner, *base).stdout
    themed = run(runner, *base, "--theme", "廉洁自律", "--theme", "纪律规矩").stdout
    assert plain != themed


def test_unknown_theme_is_a_clear_error(runner):
    result = run(runner, "draft", "廉政谈话", "--theme", "不存在的主题", code=1)
    assert "没有主题" in result.stderr and "廉洁自律" in result.stderr


def test_org_and_audience_fill_every_blank_of_every_occasion():
    for name in OCCASIONS:
        draft = make(name, org="市纪委", audience="新任科级干部")
        assert blanks_left(draft) == [], name
        assert "市纪委" in draft.title or any("市纪委" in p for p in draft.opening + draft.closing), name
        bare = make(name)
        assert "【单位】" in json.dumps(draft_to_dict(bare), ensure_ascii=False), name


def test_no_doubled_words_from_template_and_option():
    assert undouble("希望全体全体党员干部见贤思齐", ["全体党员干部"]) == "希望全体党员干部见贤思齐"
    assert undouble("请党员同志同志们", ["党员同志"]) == "请党员同志们"
    assert undouble("谢谢大家", ["大家"]) == "谢谢大家"
    draft = make("表彰大会", audience="全体党员干部")
    assert "全体全体" not in " ".join(draft.closing)


def test_the_opening_fits_the_audience():
    new = make("廉政谈话", audience="新任科级干部")
    heads = make("廉政谈话", audience="各单位一把手")
    other = make("廉政谈话", audience="机关全体党员")
    assert "新岗位" in new.opening[0]
    assert "关键少数" in heads.opening[0]
    assert not any("新岗位" in p or "新的岗位" in p for p in heads.opening + other.opening)
    unknown = make("廉政谈话")
    assert "【参会人员】" in unknown.opening[0] and "新岗位" not in unknown.opening[0]


def test_a_bad_opening_variant_is_reported(tmp_path):
    path = tmp_path / "x.yaml"
    text = (ROOT / "templates" / "occasions" / "廉政谈话.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("  - audience: [一把手", "  - audiense: [一把手"), encoding="utf-8")
    problems = check_occasion(path)[1]
    assert any("openings" in p and "第 2 个开头" in p for p in problems)


def test_quotations_vary_across_seeds():
    """A section quotes once at most, and no quotation stands in more than 60% of an
    occasion's drafts: less than the two thirds the issue measured (the same quotation in
    18 of 27 drafts; before a section quoted once, one stood in all ten 集体约谈 drafts). The
    built-in bank holds one to four quotations a theme, which bounds how much more they vary.
    The share is measured on forty seeds: on ten, a change that only moves the random draws
    could take a quotation standing in 44% of drafts (打铁必须自身硬 in 警示教育大会) to seven."""
    seeds = range(40)
    for name in OCCASIONS:
        drafts_with: Counter = Counter()
        for seed in seeds:
            draft = make(name, seed=seed)
            for section in draft.sections:
                assert sum(p.kind == "quote" for pt in section.points for p in pt.phrases) <= 1, (name, seed, section.heading)
            drafts_with.update({p.text for s in draft.sections for pt in s.points for p in pt.phrases if p.kind == "quote"})
        assert len(drafts_with) >= 2 and drafts_with.most_common(1)[0][1] <= 0.6 * len(seeds), (name, drafts_with.most_common(3))


def test_a_frame_mined_from_another_occasion_never_heads_the_speech():
    """The 廉政 frame mined from seeds/002 heads a 廉政谈话 at most, never a 工作会议."""
    for seed in SEEDS:
        draft = make("工作会议", seed=seed)
        assert all("对待" not in s.heading for s in draft.sections)
        assert draft.sections[0].frame in {f.text for f in find_occasion("工作会议", None).frames}


def test_examples_are_same_occasion_first_and_recent():
    draft = make("廉政谈话", seed=0, length=4000)
    examples = [e for s in draft.sections for p in s.points for e in p.examples]
    assert examples and all("doc" in e.source and e.source["line"] > 0 for e in examples)
    assert any(e.occasion == "廉政谈话" for e in examples)
    assert all(e.source.get("year", 2026) >= 2016 for e in examples)
    md = api.render(draft, "md").decode()
    assert "〔例句，请结合实际改写——" in md


def test_the_sentence_index_keeps_exemplary_sentences_only():
    index = load_examples(BUILTIN)
    assert len(index.sentences) > 300
    texts = [s.text for s in index.sentences]
    assert any(t.startswith("要") for t in texts) and any("必须" in t for t in texts)
    assert not any("【" in t or t.endswith(("？", "，")) for t in texts)
    # a sentence that goes on from the speaker's count reads as a fragment on its own
    assert not any(re.match("第[一二三四五六七八九十]+[个件条点项是]", t) for t in texts)
    assert index.occasion_of("seeds/002_c0d82546797d9c92.txt") == "廉政谈话"
    assert index.is_top_heading("seeds/002_c0d82546797d9c92.txt", 21)


def test_analyze_writes_the_sentence_index(tmp_path):
    from drafter.mining import analyze

    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(
        "在市纪委廉政谈话会上的讲话\n同志们：\n今天组织大家进行廉政谈话。\n"
        "一、以赤诚之心对待组织\n大家要始终把对党忠诚摆在首位，自觉在思想上政治上行动上同党中央保持高度一致。这是我的看法。\n"
        "二、以敬畏之心对待权力\n必须牢固树立正确的权力观，做到秉公用权、依法用权、廉洁用权。去年增长了5%。\n"
        "同志们，希望大家共勉。\n",
        encoding="utf-8",
    )
    analyze([source], tmp_path / "bank")
    index = load_examples(tmp_path / "bank")
    texts = [s.text for s in index.sentences]
    assert "大家要始终把对党忠诚摆在首位，自觉在思想上政治上行动上同党中央保持高度一致。" in texts
    assert "必须牢固树立正确的权力观，做到秉公用权、依法用权、廉洁用权。" in texts
    assert not any("增长" in t or "看法" in t for t in texts)
    line = next(s.line for s in index.sentences if s.text.startswith("必须"))
    assert line == 7


def test_json_keeps_its_names_and_adds_examples_and_length(runner):
    data = json.loads(run(runner, "draft", "廉政谈话", "--format", "json").stdout)
    for key in ("occasion", "title", "salutation", "opening", "sections", "closing"):
        assert key in data
    point = data["sections"][0]["points"][0]
    assert {"heading", "phrases", "examples"} <= set(point)
    assert point["examples"][0]["source"]["line"] > 0
    assert data["length"] > 0 and data["minutes"] > 0


def test_word_output_has_the_example_sentences_with_their_sources(runner, tmp_path):
    import docx

    out = tmp_path / "稿.docx"
    run(runner, "draft", "廉政谈话", "--format", "docx", "-o", str(out))
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    speech = make("廉政谈话", date=__import__("datetime").date.today())
    example = speech.sections[0].points[0].examples[0]
    assert example.text in texts
    assert any(t.startswith("【例句，请结合实际改写】") and f"第 {example.source['line']} 行" in t for t in texts)


@pytest.mark.parametrize(
    "title, report",
    [
        ("政府工作报告——2025年3月5日在第十四届全国人民代表大会第三次会议上", True),
        ("高举中国特色社会主义伟大旗帜——在中国共产党第二十次全国代表大会上的报告", True),
        ("关于2024年国民经济和社会发展计划执行情况的报告", True),
        ("在形势报告会上的讲话", False),
        ("在市党政工作部门正职座谈会上的讲话", False),
        (None, False),
        # ../shared/corpora: 30 of its 88 titles were taken for speeches, so their policy words
        # came first in drafts as a speech's would (十国集团, 支持工会 for 组织建设)
        ("第十三届全国人民代表大会第三次会议关于政府工作报告的决议", True),
        ("1964年中华人民共和国国务院政府工作报告（摘要）", True),
        ("北京共产主义组织的报告 (一大)", True),
        ("坚定不移沿着中国特色社会主义道路前进 为全面建成小康社会而奋斗 (十八大)", True),
        ("关于加强作风建设的意见", True),
        ("在2025年全面从严治党工作会议上的讲话（摘要）", False),
        ("廉政党课：守住初心", False),
    ],
)
def test_a_report_is_told_by_its_title(title, report):
    from drafter.model import is_report_title

    assert is_report_title(title) is report


def test_stock_phrases_of_the_builtin_bank_come_from_the_seed_speeches():
    """The built-in bank holds five speeches and fifteen reports. A report's policy words (人大代表,
    爱国者治港, 三保) are poor material for a speech: drafts take their stock phrases from the
    speeches wherever the speeches have some for the point's theme. Measured on every occasion,
    four seeds: 96% of the phrases from entries seen in a speech (39% while reports titled
    “政府工作报告——…在…会议上” were taken for speeches)."""
    bank = load_bank(BUILTIN)
    by_text = {e.text: e for e in bank.entries}
    phrases = [
        p.text
        for name in OCCASIONS
        for seed in range(4)
        for section in make(name, seed=seed).sections
        for point in section.points
        for p in point.phrases
        if p.kind != "quote"
    ]
    # told here by where the documents lie (the reports are under seeds/reports/), not by the
    # titles the drafting reads
    in_speech = {t: any(not s.doc.startswith("seeds/reports/") for s in e.sources) for t, e in by_text.items()}
    from_speeches = sum(in_speech.get(t, True) for t in phrases)
    assert len(phrases) > 300
    assert from_speeches >= 0.9 * len(phrases), from_speeches / len(phrases)


def test_report_words_placed_in_a_theme_by_their_own_words_come_before_those_placed_by_their_surroundings():
    from drafter.bank import PhraseBank
    from drafter.choosing import _trust
    from drafter.model import Entry, Source

    report = "政府工作报告——2025年3月5日在第十四届全国人民代表大会第三次会议上"

    def entry(text: str, title: str = report, canonical: bool = False) -> Entry:
        return Entry(text, "term", ["廉洁自律"], 5, 2, [Source("r.txt", 1, text, 2025, title)], canonical=canonical)

    bank = PhraseBank(directory=None, entries=[], documents=1, themes={"廉洁自律": ["廉洁", "腐败"]})
    trust = _trust(bank, "廉洁自律")
    assert trust(entry("人大代表", title="在全市廉政工作会议上的讲话")) == 0  # seen in a speech
    assert trust(entry("反腐败斗争")) == 1  # of the theme by its own words
    assert trust(entry("两个维护", canonical=True)) == 1  # of the theme by the canon
    assert trust(entry("人大代表")) == 2  # only beside the theme's words in a report


def _pairs(text: str) -> set[str]:
    text = "".join(c for c in text if "\u4e00" <= c <= "\u9fff")
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _examples_off_the_speech(bank_dir) -> tuple[list[str], int]:
    """Example sentences of reports that speak of none of the speech's themes (its occasion's),
    where their point had another example (such a sentence may stand only alone), and
    pairs of nearly the same sentences in one draft (a report's sentence repeated a year
    later, 70% of character pairs shared, or cut short: 80% of the shorter one's pairs in the
    other), and quotations seen in reports only that speak of
    none of the speech's themes; and how many examples there were in all. Every
    occasion, four seeds, --length 3000."""
    from drafter.model import is_report_title

    index = load_examples(Path(bank_dir))
    themes_of = {(s.doc, s.line, s.text): set(s.themes) for s in index.sentences}
    quotes = {e.text: e for e in load_bank(bank_dir).entries if e.kind == "quote"}
    off, total = [], 0
    for name in OCCASIONS:
        speech_themes = set(find_occasion(name, None).themes)
        for seed in range(4):
            draft = make(name, bank_dir=bank_dir, seed=seed, length=3000)
            texts = [e.text for s in draft.sections for p in s.points for e in p.examples]
            for a, b in itertools.combinations(map(_pairs, texts), 2):
                if len(a & b) >= 0.7 * len(a | b) or len(a & b) >= 0.8 * min(len(a), len(b)):
                    off.append(f"{name}/{seed}: nearly the same sentence twice")
            for section in draft.sections:
                for point in section.points:
                    for p in point.phrases:  # a report's quotation off the speech's subject
                        quote = quotes.get(p.text) if p.kind == "quote" else None
                        if quote and not quote.in_speeches and not set(quote.themes) & speech_themes:
                            off.append(f"{name}/{point.heading}: quotation {p.text[:20]}")
                    total += len(point.examples)
                    for e in point.examples:
                        themes = themes_of[(e.source["doc"], e.source["line"], e.text)]
                        report = is_report_title(e.source.get("title"))
                        if report and e.occasion != name and not themes & speech_themes and len(point.examples) > 1:
                            off.append(f"{name}/{point.heading}: {e.text[:40]}")
    return off, total


def test_example_sentences_speak_of_the_speech_builtin_bank():
    """落实地方主体责任 of the housing market, 扛稳粮食安全责任 came under 压实主体责任 in a
    廉政谈话 (README's example): they share the point's words and the section's theme
    (责任落实), but speak of none of the 廉政谈话's themes."""
    off, total = _examples_off_the_speech(BUILTIN)
    assert total > 500 and off == []


def test_example_sentences_speak_of_the_speech_corpus_bank(corpus_bank_dir):
    off, total = _examples_off_the_speech(corpus_bank_dir)
    assert total > 500 and off == []


def test_judged_examples_of_a_clean_government_talk():
    """Read as a speechwriter: sentences on housing, grain, trade or industry policy are no
    material for a 廉政谈话, however well they fit a point's words."""
    for seed in range(10):
        draft = make("廉政谈话", seed=seed, length=3000)
        for section in draft.sections:
            for point in section.points:
                for e in point.examples:
                    assert not any(w in e.text for w in ("房地产", "住房", "粮食", "出口", "服务业", "差别化调控")), (seed, point.heading, e.text)


@pytest.mark.parametrize(
    "sentence, theme, has",
    [
        ("要把对党忠诚作为政治信条，把党性修养作为人生的必修课。", "担当作为", False),  # 作为: "as"
        ("把有效监管作为简政放权的必要保障，全面落实监管责任。", "担当作为", False),
        ("决不能把反腐败当成不担当、不作为的借口。", "担当作为", True),
        ("形成以技术、品牌、质量、服务为核心的出口竞争新优势。", "政治建设", False),  # 核心 of trade
        ("坚持生产性服务业和生活性服务业并重。", "为民服务", False),  # 服务业
        ("全心全意为人民服务是我们党的根本宗旨。", "为民服务", True),
        ("坚决维护以习近平同志为核心的党中央权威。", "政治建设", True),
        ("保护产权必须坚定不移，对侵权行为要依法惩处，对错案冤案要有错必纠。", "警示教育", False),  # 惩处 of any offence
        ("提升监管能力，加大失信惩处力度，以公正监管促进优胜劣汰。", "警示教育", False),
        ("坚决查处和纠正违法违规行为，严厉惩处腐败分子。", "警示教育", True),
    ],
)
def test_the_builtin_theme_words_do_not_misfire(sentence, theme, has):
    from drafter.bank import assign_themes, load_themes

    themes = load_themes(BUILTIN / "themes.yaml")
    assert (theme in assign_themes(sentence, [], themes, "term")) is has


@pytest.mark.parametrize(
    "sentence, theme, has",
    [
        ("反对霸权主义和强权政治。", "政治建设", False),
        ("推进政治体制改革，严守政治纪律。", "政治建设", True),  # a word outside the exception counts
        ("坚持和完善人民代表大会制度。", "为民服务", False),
        ("人民代表大会代表要全心全意为人民服务。", "为民服务", True),
        ("推动大众创业、万众创新。", "担当作为", False),
    ],
)
def test_a_theme_word_inside_an_exception_does_not_count(sentence, theme, has):
    from drafter.bank import assign_themes, load_themes

    themes = load_themes(BUILTIN / "themes.yaml")
    assert (theme in assign_themes(sentence, [], themes, "term")) is has
    # the exceptions go with the lexicon to the worker processes
    import pickle

    again = pickle.loads(pickle.dumps(themes))
    assert again.exceptions == themes.exceptions and (theme in assign_themes(sentence, [], again, "term")) is has


def test_exceptions_that_are_no_list_are_named(tmp_path):
    from drafter.bank import load_themes
    from drafter.errors import DrafterError

    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  廉洁自律: [廉洁]\nexceptions: 强权政治\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="exceptions"):
        load_themes(path)
