"""Example sentences from reports under a speech's points: the judged samples of
data/judged_examples.yaml (drafts of every occasion from a bank mined from ../shared/corpora, read
as a speechwriter would), and the rules behind them on small indexes: a report's sentence on a
field of policy (the lexicon's policy_words) only under a section of a policy theme, one that
speaks of none of the themes its point names not while another is there, and always a sentence
under every point when the bank has any (the last pass takes what the first would not); and a
stock phrase seen in reports only on a field of policy only under a section of a policy theme."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from drafter import choosing
from drafter.bank import load_bank, load_themes, policy_matcher
from drafter.errors import DrafterError
from drafter.examples import ExampleIndex, Exemplar

JUDGED = yaml.safe_load((Path(__file__).parent / "data" / "judged_examples.yaml").read_text(encoding="utf-8"))["judged"]
REPORT = "政府工作报告——2025年3月5日在第十四届全国人民代表大会第三次会议上"
SPEECH = "在全市警示教育大会上的讲话"


@pytest.fixture(scope="module")
def bank():
    return load_bank(ROOT / "phrasebank")


def first_pass(bank, point: str, section: str, theme: str, occasion: str, *sentences: Exemplar) -> list[str]:
    """What choose_examples' first pass takes under the point, the index holding only `sentences`."""
    found = choosing._examples_for(point, section, theme, 2, occasion, ExampleIndex(list(sentences)), bank, set(), 2020, 2026, random.Random(0), {}, frozenset(), True, True)
    return [e.text for e in found]


def chosen(bank, point: str, section: str, theme: str, occasion: str, *sentences: Exemplar, speech_themes=frozenset()) -> list[str]:
    found = choosing.choose_examples(point, section, theme, 1, occasion, ExampleIndex(list(sentences)), bank, set(), 2020, 2026, random.Random(0), {}, speech_themes)
    return [e.text for e in found]


def report(text: str, *themes: str) -> Exemplar:
    return Exemplar(text, "报告.txt", 3, tuple(themes), None, 2025, REPORT)


def test_the_first_pass_on_the_judged_samples(bank):
    """Measured when the rules came in: the first pass turns away 59 of the 97 sentences judged
    差 and takes 173 of the 178 judged 好 (of the five it turns away, four name a field in
    passing: 为基层和企业减负 under 力戒形式主义; the fifth is of no theme since 底线思维 is not
    纪律规矩). Most of the 差 it takes are the best a reports' bank has for a point it holds
    nothing on (家风 points: 提醒好配偶, 涵养清廉家风) or say little of anything (坚持正确的思想方法
    和工作方法……). A change may only do better on both."""
    taken = Counter()
    for item in JUDGED:
        sentence = Exemplar(item["sentence"], "报告.txt", 1, tuple(item["themes"]), None, 2025, item["title"])
        taken[item["judged"], bool(first_pass(bank, item["point"], item["section"], item["theme"], item["occasion"], sentence))] += 1
    judged = Counter(item["judged"] for item in JUDGED)
    assert judged == {"好": 178, "两可": 74, "差": 97}
    assert taken["差", False] >= 59, taken
    assert taken["好", True] >= 173, taken


def test_a_report_sentence_on_a_field_of_policy_stays_under_its_theme(bank):
    grain = report("各地区都要扛稳保障国家粮食安全责任，共同把饭碗端得更牢。", "责任落实")
    duty = report("坚决扛起全面从严治党政治责任，深入贯彻中央八项规定精神，坚定不移推进党风廉政建设和反腐败斗争。", "责任落实", "廉洁自律")
    assert first_pass(bank, "把责任扛在肩上", "以责任之心对待工作", "责任落实", "廉政谈话", grain, duty) == [duty.text]
    assert first_pass(bank, "把责任扛在肩上", "以责任之心对待工作", "责任落实", "廉政谈话", grain) == []
    # under a section of the policy theme it is an example like any other
    growth = report("要统筹稳增长、调结构、推改革，扛稳保障国家粮食安全责任。", "改革发展", "责任落实")
    assert first_pass(bank, "统筹发展和安全", "推动高质量发展", "改革发展", "工作会议", growth) == [growth.text]
    # a speech's own sentence is not held to it
    speech = Exemplar("我们要把保障粮食安全的责任扛在肩上。", "讲话.txt", 5, ("责任落实",), "廉政谈话", 2025, SPEECH)
    assert first_pass(bank, "把责任扛在肩上", "以责任之心对待工作", "责任落实", "廉政谈话", speech) == [speech.text]


def test_a_report_sentence_must_speak_of_what_its_point_names(bank):
    """提醒好配偶 names 家风建设 (配偶): a report's sentence of 纪律规矩 sharing 严格 with
    严格家教家规 is no example for it, one of 家风建设 is; a point whose words name no theme
    (慎独慎微慎初) takes the section's."""
    law = report("各级政府及其工作人员要严格遵守宪法，尊崇法治、敬畏法律、依法行政。", "纪律规矩", "家风建设")
    law_only = report("各级政府及其工作人员要严格遵守宪法，尊崇法治、敬畏法律、依法行政。", "纪律规矩")
    family = report("领导干部要管好配偶子女和身边工作人员，严防“枕边风”“家族腐”。", "家风建设")
    assert first_pass(bank, "严格家教家规", "以清廉之风涵养家风", "家风建设", "廉政谈话", law_only, family) == [family.text]
    assert first_pass(bank, "提醒好配偶", "以清廉之风涵养家风", "家风建设", "廉政谈话", law) == [law.text]
    clean = report("坚持不敢腐、不能腐、不想腐一体推进，同时发力、同向发力、综合发力。", "廉洁自律")
    assert first_pass(bank, "慎独慎微慎初", "以敬畏之心对待权力", "廉洁自律", "廉政谈话", clean) == [clean.text]


def test_a_sentence_of_another_theme_must_share_words_with_the_point(bank):
    """When the section's theme has too few sentences, another theme's come in only where they
    share words with the point."""
    loose = Exemplar("要始终把人民放在心中最高位置，坚持实事求是，求真务实谋发展。", "讲话.txt", 2, ("作风建设",), "廉政谈话", 2025, SPEECH)
    near = Exemplar("要教育引导家属子女树立正确的价值观，自觉抵制各种诱惑。", "讲话.txt", 4, ("作风建设",), "廉政谈话", 2025, SPEECH)
    assert first_pass(bank, "抵制各种诱惑", "以清廉之风涵养家风", "家风建设", "廉政谈话", loose, near) == [near.text]
    assert first_pass(bank, "抵制各种诱惑", "以清廉之风涵养家风", "家风建设", "廉政谈话", loose) == []


def test_every_point_still_gets_a_sentence_when_the_bank_has_only_off_ones(bank):
    """The rules choose among sentences; they do not leave a point bare that the bank can fill."""
    grain = report("各地区都要扛稳保障国家粮食安全责任，共同把饭碗端得更牢。", "责任落实")
    assert chosen(bank, "提醒好配偶", "以清廉之风涵养家风", "家风建设", "廉政谈话", grain) == [grain.text]
    assert chosen(bank, "提醒好配偶", "以清廉之风涵养家风", "家风建设", "廉政谈话", grain, speech_themes=frozenset({"廉洁自律"})) == [grain.text]


def test_the_lexicon_names_its_policy_fields_and_themes(tmp_path):
    themes = load_themes(ROOT / "phrasebank" / "themes.yaml")
    assert themes.policy_themes == ("改革发展",) and {"粮食", "房地产", "化债"} <= set(themes.policy_words)
    # words written so as not to catch the genre's own phrases
    matcher = policy_matcher(themes)
    assert policy_matcher(themes, "改革发展") is None and policy_matcher(themes, "家风建设") is not None
    for own in ["营造风清气正的良好政治生态", "中华民族伟大复兴", "开展警示教育", "教育党员、管理党员", "执政环境是复杂的"]:
        assert not matcher(own), own
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n  廉洁自律: [廉洁]\npolicy_themes: [改革开放]\npolicy_words: [粮食]\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="policy_themes.*改革开放.*不是 themes 下的主题"):
        load_themes(path)
    path.write_text("themes:\n  廉洁自律: [廉洁]\npolicy_words: 粮食\n", encoding="utf-8")
    with pytest.raises(DrafterError, match=r"policy_words 应是一个列表"):
        load_themes(path)
    path.write_text("themes:\n  廉洁自律: [廉洁]\npolicy_word: [粮食]\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="policy_words"):
        load_themes(path)
    path.write_text("themes:\n  廉洁自律: [廉洁]\n", encoding="utf-8")
    assert load_themes(path).policy_words == ()  # a lexicon of its own without the lists: no such rule


def test_a_report_phrase_on_a_field_of_policy_stays_under_its_theme(bank):
    """经济建设、政治建设…, seen in reports only, is no stock phrase under 提高政治判断力 (it names
    经济), though it speaks of 政治建设; under a section of 改革发展 it is. A speech's own phrase
    is offered whatever it names (比车子、比票子、比房子 of a 廉政 speech)."""
    from drafter.model import Entry, Source

    def entry(text: str, title: str, *themes: str) -> Entry:
        return Entry(text=text, kind="parallel", themes=list(themes), count=5, docs=3, sources=[Source("a.txt", 3, "", 2024, title)])

    five = entry("经济建设、政治建设、文化建设、社会建设、生态文明建设", REPORT, "政治建设", "改革发展")
    four = entry("政治意识、大局意识、核心意识、看齐意识", REPORT, "政治建设")
    houses = entry("比车子、比票子、比房子", SPEECH, "政治建设")
    own = dataclasses.replace(bank, entries=[five, four, houses], stale={})
    offered = {p.text for p in choosing.choose_phrases("政治建设", "提高政治判断力", 3, own, [], random.Random(0), 2026)}
    assert offered == {four.text, houses.text}
    offered = {p.text for p in choosing.choose_phrases("改革发展", "推动高质量发展", 3, own, [], random.Random(0), 2026)}
    assert five.text in offered


def test_a_heading_speaks_of_no_theme_through_an_exception(bank):
    """The lexicon's exceptions hold for headings as for mined text: 底线 in 守牢安全底线 or
    强化底线思维 is no 纪律规矩 (a 工作会议's section on risks is not one on discipline)."""
    lexicon = load_themes(ROOT / "phrasebank" / "themes.yaml")
    assert choosing._lexicon_themes("聚焦风险防范，守牢安全底线", lexicon) == []
    assert choosing._lexicon_themes("强化底线思维", lexicon) == []
    assert choosing._lexicon_themes("坚守底线红线", lexicon) == ["纪律规矩"]
    assert "纪律规矩" not in choosing._theme_scores("守牢安全底线", bank, lexicon, [])
    assert "纪律规矩" in choosing._theme_scores("守住纪律底线", bank, lexicon, [])
