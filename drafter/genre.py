"""The genre's lexical constants: how Chinese official speeches write numbers, name meetings,
address the room and close. One place, used by cleaning, outline, mining and drafting alike."""

from __future__ import annotations

# --- characters ----------------------------------------------------------------------

# Regex character-class bodies (use inside [...]).
CJK = "\u3400-\u9fff\uf900-\ufaff"  # unified ideographs, extension A and compatibility forms
CJK_BASIC = "\u4e00-\u9fff"  # the unified ideographs a word of running text is made of

# --- numerals --------------------------------------------------------------------------

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# The numerals section markers count with (一、 … 十、, 十一、 …).
MARKER_NUMERALS = "一二三四五六七八九十"
# The numerals a numeric formula starts with (四个意识, 两个维护, 双一流, 千方百计 …).
FORMULA_NUMERALS = "一二两三四五六七八九十百千双"
# What numbers and rough quantities are written with (not formulas: 三万多, 几十).
NUMBER_CHARS = FORMULA_NUMERALS + "万亿零多几余"


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 九十九 → 99; plain digits too; None when it is no number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def int_to_cn(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (1 ≤ n ≤ 99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"no Chinese section number for {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else MARKER_NUMERALS[tens - 1] + "十")
    return head + (MARKER_NUMERALS[ones - 1] if ones else "")


# --- meetings ----------------------------------------------------------------------------

# Meeting types as titles name them, most specific first where one contains another.
MEETING_TYPES = (
    "全国人民代表大会", "人民代表大会", "全国代表大会", "代表大会", "警示教育大会", "警示教育会", "廉政谈话", "集体廉政谈话",
    "集体约谈", "约谈会", "组织生活会", "民主生活会", "专题党课", "党课", "座谈会", "表彰大会", "表彰会",
    "工作会议", "工作部署会", "部署会", "动员大会", "动员会", "推进会", "现场会", "务虚会", "全体会议", "常务会议",
    "全会", "培训班", "开班式", "结业式", "报告会", "研讨会", "誓师大会", "纪念大会", "庆祝大会", "联席会议",
    "专题会议", "调度会", "汇报会", "述职会", "总结会", "交流会", "大会", "会议",
)

# --- address, transitions, closing ------------------------------------------------------

# How a line of address starts (同志们： / 各位代表！ / 尊敬的各位来宾，女士们，先生们：).
SALUTATION_STARTS = ("尊敬的", "亲爱的", "同志们", "各位", "女士们", "先生们", "朋友们", "代表们", "老师们", "同学们", "大家好")
# Sentences that open the closing part of a speech (matched where a sentence starts).
CLOSING_CUES = (
    "同志们[，！!]", "同志们、朋友们", "总之", "总而言之", "一言以蔽之", "综上所述", "最后，", "最后,",
    "我的讲话(就)?(到此|完了|结束)", "我就讲(这些|这么多)", "以上(是|就是)", "谢谢大家", "让我们", "各位代表[，！!]", "在此，",
)
# Words that end a speech wherever they stand in its last sentences.
CLOSING_WORDS = ("谢谢大家", "讲话完了", "讲到这里", "就讲这些", "批评指正")

# --- dates ----------------------------------------------------------------------------------

# The year each national congress of the Communist Party of China opened (1st 1921 … 20th 2022).
CONGRESS_YEARS = {
    1: 1921, 2: 1922, 3: 1923, 4: 1925, 5: 1927, 6: 1928, 7: 1945, 8: 1956, 9: 1969, 10: 1973,
    11: 1977, 12: 1982, 13: 1987, 14: 1992, 15: 1997, 16: 2002, 17: 2007, 18: 2012, 19: 2017, 20: 2022,
}
