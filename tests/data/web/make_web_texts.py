"""Builds the web-shaped test texts in this folder from the seed speeches, the way news and
material sites hand speeches out: line breaks gone (or kept only between paragraphs), the header
glued together in one of the genre's orders, photo captions, reporter credits, datelines and
print-edition notes pasted in where pictures and wire stories stood.

The texts are committed; this script documents how they were made (run it from the repository
root to rebuild them). Their expected outlines, in *.expected.json, were written by reading the
texts, not by running drafter on them.
"""

from __future__ import annotations

from pathlib import Path

from drafter.corpus import load_document

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[2] / "seeds"


def seed_lines(prefix: str) -> list[str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return load_document(path).lines


def insert_before(text: str, anchor: str, piece: str, nth: int = 1) -> str:
    """`piece` glued in just before the nth occurrence of `anchor`."""
    at = -1
    for _ in range(nth):
        at = text.index(anchor, at + 1)
    return text[:at] + piece + text[at:]


def web01() -> str:
    """Seed 002 on one line: dateline, title（date）speaker, no salutation; a bracketed credit
    inside a paragraph, a caption and credit glued before 二、, a print-edition note at the end."""
    lines = seed_lines("002")
    body = "".join(lines[1:])
    body = insert_before(body, "主要目的", "（新华社记者 李学仁 摄）")
    body = insert_before(body, "二、以责任之心对待工作", "图为会议现场。新华社记者 鞠鹏/摄")
    body = insert_before(body, "四、以警惕之心对待诱惑", "新华社发")
    return "新华社北京5月20日电 " + lines[0] + "（2021年5月20日）" + "王建国" + body + "《 人民日报 》（ 2021年05月21日 02 版）"


def web02() -> str:
    """Seed 003 on one line: title, speaker, （date）, salutation; credits glued before markers."""
    lines = seed_lines("003")
    body = "".join(lines[2:])
    body = insert_before(body, "二、增强政治定力", " 新华社记者 鞠鹏/摄")
    body = insert_before(body, "三、带头廉洁自律", "（新华社记者 谢环驰 摄）")
    body = insert_before(body, "二要把功夫下在平常", "图为约谈会现场。")
    return lines[0] + " 张伟 " + "（2021年7月1日）" + lines[1] + body


def web03() -> str:
    """Seed 001 on one line without its title: （date）speaker salutation, then the opening that
    names the meeting."""
    lines = seed_lines("001")
    return "（2020年6月5日）欧阳明华" + lines[1] + "".join(lines[2:])


def web04() -> str:
    """Seed 000 as a web page with paragraphs: the header glued onto one line with the opening;
    credits on lines of their own and glued inside paragraphs."""
    lines = seed_lines("000")
    out = [lines[0] + "（2020年6月1日）" + lines[1] + lines[2]]
    for k, line in enumerate(lines[3:], 3):
        if k == 5:
            out.append("新华社记者 王晔 摄")
        if k == 7:
            line = insert_before(line, "二要", "（新华社记者 李涛 摄）") if "二要" in line else line + "（新华社记者 李涛 摄）"
        out.append(line)
    return "\n\n".join(out)


def web05() -> str:
    """Seed 004 on one line between a bracketed dateline and the print-edition note; the speaker
    is a two-character name glued to the opening."""
    lines = seed_lines("004")
    body = "".join(lines[1:])
    body = insert_before(body, "第二，", "图为组织生活会现场。（新华社记者 王鹏 摄）")
    return (
        "（新华社北京11月24日电）" + lines[0] + "李强" + "（2019年11月24日）" + body
        + "（新华社北京11月24日电）《 人民日报 》（ 2019年11月25日 02 版）"
    )


def main() -> None:
    for make in (web01, web02, web03, web04, web05):
        (HERE / f"{make.__name__}.txt").write_text(make() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
