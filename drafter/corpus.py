"""Stage 1: files in, clean documents out (reading here; cleaning in cleaning.py).

Reads .txt/.md/.docx files, folders (recursively) and JSONL corpora; detects the encoding
(UTF-8, UTF-8 with BOM, UTF-16, GB18030); normalises spaces and indents; strips the
boilerplate that template sites and web pages glue onto speeches (advert blocks, QQ
numbers, photo credits, page footers, lines repeated across a corpus); and keeps, for every
clean line, the 1-based line number it came from, so that every mined phrase can point back
to its place in the user's file.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from drafter.dating import year_from_record
from drafter.errors import DrafterError
from drafter.fileio import open_regular, read_bytes
from drafter.cleaning import clean_lines, split_lines, strip_markdown, strip_repeated_lines
from drafter.document import Document

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
DOCX_SUFFIXES = {".docx"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | JSONL_SUFFIXES


# ---------------------------------------------------------------------------
# Decoding


def decode_bytes(raw: bytes, name: str) -> str:
    """Decode a text file whose encoding we do not know: BOMs first, then UTF-8, UTF-16 without
    a BOM, then GB18030. Never drops characters silently; an undecodable file is an error."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw[3:], "utf-8", name)
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        text = _strict(raw, "utf-16", name)
        if not _text_like(text):  # two bytes of a binary file that happen to be a BOM
            raise DrafterError(
                f"{name} 开头标明是 UTF-16 编码，但读出来大多不是文字，可能是二进制文件或编码标错了。"
                "请用记事本或 WPS 打开确认，另存为 UTF-8 编码后重试。"
            )
        return text
    if _looks_utf16(raw):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                continue
            if _text_like(text):
                return text
    if b"\x00" in raw[:8192]:
        raise DrafterError(f"{name} 看起来是二进制文件，不是文本。请提供 .txt、.md、.docx 或 .jsonl 格式的讲话稿。")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # The two-byte Chinese encodings: GB18030 (GBK, GB2312) and Big5 (Taiwan, Hong Kong). Big5
    # bytes are mostly valid GB18030 too, but read as GB18030 they give rare characters and
    # symbols; the reading made of common characters is the right one.
    readings = []
    for encoding in ("gb18030", "big5hkscs"):
        try:
            readings.append((_plausibility(raw.decode(encoding)), encoding == "gb18030", encoding))
        except UnicodeDecodeError:
            continue
    if not readings:
        raise DrafterError(
            f"{name} 的编码无法识别（不是 UTF-8、UTF-16，也不是 GB18030/GBK 或 Big5）。"
            "请用记事本或 WPS 另存为 UTF-8 编码后重试。"
        )
    _, _, encoding = max(readings)
    text = raw.decode(encoding)
    if _mostly_control(text):
        raise DrafterError(f"{name} 看起来是二进制文件，不是文本。请提供 .txt、.md、.docx 或 .jsonl 格式的讲话稿。")
    return text


def _plausibility(text: str) -> float:
    """Share of a text's first characters that are ASCII, common punctuation, or among the
    common characters of GB2312 (level 1) or Big5 (level 1)."""
    sample = text[:20000]
    if not sample:
        return 0.0
    good = 0
    for ch in sample:
        if ch < "\x80" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u2027":
            good += 1
        elif "\u4e00" <= ch <= "\u9fff" and _common_hanzi(ch):
            good += 1
    return good / len(sample)


@functools.lru_cache(maxsize=8192)
def _common_hanzi(ch: str) -> bool:
    try:
        if 0xB0 <= ch.encode("gb2312")[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA4 <= ch.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _strict(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise DrafterError(f"{name} 声明为 {encoding.upper()} 编码，但内容有损坏。请重新保存该文件后重试。") from None


def _looks_utf16(raw: bytes) -> bool:
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return False
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    # ASCII-heavy UTF-16 has NULs on one side; CJK-heavy UTF-16 has almost none, so also try
    # a strict decode when the text would be mostly CJK.
    if max(even_nul, odd_nul) > 0.3 * half and min(even_nul, odd_nul) < 0.05 * half:
        return True
    if b"\x00" not in sample:
        return False
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        cjk = sum(1 for ch in text[:2000] if "\u4e00" <= ch <= "\u9fff")
        if cjk > 0.5 * min(len(text), 2000):
            return True
    return False


def _readable(text: str) -> bool:
    """Mostly Chinese, ASCII text, punctuation and spaces, as a real document is."""
    sample = text[:4000]
    good = sum(
        1 for ch in sample
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or " " <= ch <= "~" or ch in "\n\r\t"
        or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f" or "\u00a0" <= ch <= "\u00ff"
    )
    return good >= 0.8 * len(sample)


PLAUSIBLE_SHARE = 0.6  # real Chinese text: over 0.9 (_plausibility); bytes read as UTF-16: rare characters


def _text_like(text: str) -> bool:
    """Text, not bytes of a binary file read as UTF-16: mostly Chinese, ASCII and punctuation
    (_readable), and its Chinese characters mostly common ones (a binary file decodes to rare
    characters of every block: 戂湩牡楢祲)."""
    return _readable(text) and _plausibility(text) >= PLAUSIBLE_SHARE


def _mostly_control(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t\f")
    return bad > 0.1 * len(sample)


# ---------------------------------------------------------------------------
# Reading files


# A .txt/.md speech (or one JSONL record): 8 MB is about 2.7 million Chinese characters, 70
# times the longest government work report; reading and outlining it takes a few seconds.
MAX_TEXT_BYTES = 8 * 1024 * 1024
MAX_DOCX_CHARS = 3_000_000  # characters of text in a Word file's body
MAX_DOCX_BYTES = 200 * 1024 * 1024  # the .docx file itself (photos make it large)
MAX_DOCX_XML = 64 * 1024 * 1024  # the body XML once unzipped; a 500-page report is about 20 MB
MAX_DOCX_MEMBERS = 10_000
MAX_PARAGRAPHS = 200_000  # a 1000-page report has about 30,000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_BODY, _W_P, _W_T, _W_TBL = _W + "body", _W + "p", _W + "t", _W + "tbl"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_PARAGRAPH_TAG = re.compile(rb"<w:p[ >/]")


def read_docx_paragraphs(path: Path) -> list[str]:
    """The paragraphs of a Word file, in body order, tables included (cell by cell).

    A .docx is a zip: a small file can unpack to gigabytes. So the archive is checked before
    anything is parsed (number of members, unpacked size of the body XML, number of
    paragraphs, counted while unzipping), and the body is then read as a stream, keeping
    one paragraph or table at a time. Entities are never expanded, no DTD is loaded."""
    from lxml import etree  # imported lazily: most runs never read Word files

    name = str(path)
    with open_regular(path) as handle:
        head = handle.read(8)
        size = os.fstat(handle.fileno()).st_size
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DrafterError(f"{name} 是旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后重试。")
    if size > MAX_DOCX_BYTES:
        raise DrafterError(f"{name} 太大（{size // 1024 // 1024} MB，上限 {MAX_DOCX_BYTES // 1024 // 1024} MB），未读取。")
    broken = f"{name} 无法作为 Word 文件打开（文件已损坏）。请在 Word 或 WPS 中重新另存为 .docx 后重试。"
    if not zipfile.is_zipfile(path):
        raise DrafterError(f"{name} 不是有效的 .docx 文件（不是 zip 格式）。请在 Word 或 WPS 中重新另存为 .docx 后重试。")
    members = _zip_member_count(path)
    if members is not None and members > MAX_DOCX_MEMBERS:  # before the directory is read into memory
        raise DrafterError(f"{name} 中有 {members:,} 个部件，远超正常的 Word 文件，未读取。请检查该文件。")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_DOCX_MEMBERS:
                raise DrafterError(f"{name} 中有 {len(infos):,} 个部件，远超正常的 Word 文件，未读取。请检查该文件。")
            info = _main_part(archive)
            if info is None:
                raise DrafterError(f"{name} 里没有 Word 正文（word/document.xml），不是 Word 文件。请在 Word 或 WPS 中另存为 .docx 后重试。")
            if info.file_size > MAX_DOCX_XML:
                raise DrafterError(
                    f"{name} 的正文解压后有 {info.file_size // 1024 // 1024} MB（上限 {MAX_DOCX_XML // 1024 // 1024} MB），"
                    "远超正常讲话稿，未读取。请检查该文件（可能是压缩炸弹），或另存为 .txt 后再试。"
                )
            _count_paragraphs(archive, info, name)
            with archive.open(info) as stream:
                return _body_paragraphs(stream, name)
    except DrafterError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, NotImplementedError, RuntimeError, etree.LxmlError):
        raise DrafterError(broken) from None
    except OSError as exc:
        raise DrafterError(f"无法读取 {name}：{exc.strerror or exc}") from None


def _zip_member_count(path: Path) -> int | None:
    """The number of members a zip file declares in its end record (zip64 too), read from the
    file's last bytes; None when it cannot be found (zipfile will then say what is wrong)."""
    import struct

    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            start = max(0, size - 65536 - 22)
            handle.seek(start)
            tail = handle.read()
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) < at + 22:
                return None
            count = struct.unpack("<H", tail[at + 10:at + 12])[0]
            if count != 0xFFFF or at < 20 or tail[at - 20:at - 16] != b"PK\x06\x07":
                return count
            record = struct.unpack("<Q", tail[at - 12:at - 4])[0]  # the zip64 end record's offset
            handle.seek(record)
            zip64 = handle.read(56)
            if len(zip64) < 56 or zip64[:4] != b"PK\x06\x06":
                return None
            return struct.unpack("<Q", zip64[32:40])[0]
    except (OSError, struct.error):
        return None


def _main_part(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """The main document part named by _rels/.rels (word/document.xml as a rule)."""
    from lxml import etree

    target = "word/document.xml"
    try:
        rels = archive.getinfo("_rels/.rels")
        if rels.file_size <= 1024 * 1024:
            root = etree.fromstring(archive.read(rels), etree.XMLParser(resolve_entities=False, no_network=True))
            for rel in root.iter(_RELS):
                if rel.get("Type", "").endswith("/officeDocument") and rel.get("Target"):
                    target = rel.get("Target").lstrip("/")
                    break
    except (KeyError, etree.LxmlError, zipfile.BadZipFile, zlib.error):
        pass
    try:
        return archive.getinfo(target)
    except KeyError:
        return None


def _count_paragraphs(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """Count paragraph tags while unzipping, before any parsing."""
    count = 0
    tail = b""
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                return
            block = tail + chunk
            count += len(_PARAGRAPH_TAG.findall(block))
            tail = block[-4:]
            count -= len(_PARAGRAPH_TAG.findall(tail))  # counted again with the next block
            if count > MAX_PARAGRAPHS:
                raise DrafterError(
                    f"{name} 有超过 {MAX_PARAGRAPHS:,} 个段落，远超正常讲话稿，未读取。请检查该文件（可能是压缩炸弹）。"
                )


def _body_paragraphs(stream, name: str) -> list[str]:
    from lxml import etree

    paragraphs: list[str] = []
    seen = 0
    characters = 0
    body = None
    events = etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    for event, element in events:
        if event == "start":
            if element.tag == _W_BODY and body is None:
                body = element
            continue
        if element.tag == _W_P:
            seen += 1
            if seen > MAX_PARAGRAPHS:
                raise DrafterError(f"{name} 有超过 {MAX_PARAGRAPHS:,} 个段落，远超正常讲话稿，未读取。请检查该文件。")
        if body is None or element.getparent() is not body:
            continue
        if element.tag == _W_P:
            paragraphs.append("".join(t.text or "" for t in element.iter(_W_T)))
            characters += len(paragraphs[-1])
        elif element.tag == _W_TBL:
            for para in element.iter(_W_P):
                paragraphs.append("".join(t.text or "" for t in para.iter(_W_T)))
                characters += len(paragraphs[-1])
        if characters > MAX_DOCX_CHARS:
            raise DrafterError(f"{name} 的正文超过 {MAX_DOCX_CHARS:,} 字，远超一篇讲话稿，未读取。请检查该文件，或分成几个文件。")
        element.clear()
        while element.getprevious() is not None:  # keep one body child in memory at a time
            del body[0]
    return paragraphs


def read_text_file(path: Path) -> str:
    return decode_bytes(read_bytes(path, "文件", limit=MAX_TEXT_BYTES), str(path))


def _check_file(path: Path) -> None:
    """A speech file must be a regular file (a FIFO, a device or a socket is never opened)."""
    if not path.exists():
        raise DrafterError(f"找不到文件：{path}。请检查路径是否正确。")
    if path.is_dir():
        raise DrafterError(f"{path} 是一个文件夹，这里需要一个讲话稿文件（.txt、.md、.docx）。")
    if not path.is_file():
        raise DrafterError(f"{path} 不是普通文件（是设备、管道或套接字），这里需要一个讲话稿文件（.txt、.md、.docx）。")


_RECORD = re.compile(r"^(.*\.jsonl)#(\d+)$", re.IGNORECASE)


def split_record(path: str | Path) -> tuple[Path, int | None]:
    """`corpus.jsonl#12` → (corpus.jsonl, 12): one record of a JSONL file, as sources are named.
    A file that really is called so is taken as it is."""
    text = str(path)
    match = _RECORD.match(text)
    if match and not os.path.exists(text):
        return Path(match.group(1)), int(match.group(2))
    return Path(path), None


def load_document(path: str | Path, source: str | None = None) -> Document:
    """Load and clean one .txt/.md/.docx file, or one record of a JSONL file (`FILE#ROW`, or
    the file's only record)."""
    path, row = split_record(path)
    _check_file(path)
    source = source or str(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return _one_record(path, row)
    if suffix in DOCX_SUFFIXES:
        raw_lines = read_docx_paragraphs(path)
    else:
        if suffix == ".doc":
            raise DrafterError(f"{path} 是旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后重试。")
        raw_lines = split_lines(read_text_file(path))
        if suffix in {".md", ".markdown"}:
            raw_lines = [strip_markdown(line) for line in raw_lines]
    _check_line_lengths(raw_lines, str(path))
    doc = clean_lines(raw_lines, source)
    if not doc.lines:
        raise DrafterError(f"{path} 是空文件（或只有空白与广告行），没有可分析的正文。")
    return doc


# One line (a paragraph) of at most a million characters: a whole speech pasted as one line is
# under 100,000; the structure of a line costs time and memory faster than its length grows
# (a 2.6-million-character line took more than 2 GB).
MAX_LINE_CHARS = 1_000_000


def _check_line_lengths(raw_lines: list[str], name: str) -> None:
    for number, line in enumerate(raw_lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise DrafterError(
                f"{name} 第 {number} 行有 {len(line):,} 字，超过一行（一段）{MAX_LINE_CHARS:,} 字的上限，未读取。"
                "请检查该文件（是否把多篇讲话拼成了一行），或在段落之间分行后再试。"
            )


def _one_record(path: Path, row: int | None) -> Document:
    docs = []
    for doc in iter_jsonl(path, only=row):
        docs.append(doc)
        if row is None and len(docs) > 1:
            break
    if row is not None:
        if not docs:
            raise DrafterError(f"{path} 中没有第 {row} 条记录（或该记录正文为空）。记录从 0 数起，按文件中的行计。")
        return docs[0]
    if not docs:
        raise DrafterError(f"{path} 中没有可用的文档（每行应是一个含 content 或 text 字段的 JSON 对象）。")
    if len(docs) > 1:
        first = docs[0].source
        raise DrafterError(
            f"{path} 中有多条记录，请用“文件#行号”指定其中一条（行号从 0 数起），如 {first}。"
        )
    return docs[0]


MAX_RECORD_BYTES = MAX_TEXT_BYTES  # one JSONL line


def iter_jsonl(path: Path, only: int | None = None) -> Iterator[Document]:
    """One Document per JSONL record, named FILE#ROW (0-based); lines numbered within the
    record. Read line by line (a corpus may be large); with `only`, just that row."""
    for row, line in _jsonl_lines(path):
        if only is not None and row != only:
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DrafterError(f"{path} 第 {row + 1} 行不是合法的 JSON（{exc.msg}）。每行应是一个 JSON 对象。") from None
        except RecursionError:
            raise DrafterError(f"{path} 第 {row + 1} 行的 JSON 嵌套太深。每行应是一个含 content 或 text 字段的对象。") from None
        if not isinstance(record, dict):
            raise DrafterError(f"{path} 第 {row + 1} 行不是 JSON 对象。每行应是一个含 content 或 text 字段的对象。")
        body = record.get("content")
        if not isinstance(body, str):
            body = record.get("text")
        if not isinstance(body, str):
            raise DrafterError(f"{path} 第 {row + 1} 行缺少 content 或 text 字段（正文）。")
        title = record.get("title") if isinstance(record.get("title"), str) else None
        body_lines = split_lines(body)
        _check_line_lengths(body_lines, f"{path}#{row}")
        doc = clean_lines(body_lines, f"{path}#{row}", title_hint=title)
        doc.year_hint = year_from_record(record)
        if doc.lines:
            yield doc
        else:
            log.info("skipping empty record %s#%d", path, row)
        if only is not None:
            return


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(row, text) of each line. UTF-8 (as JSON is) is streamed; a file in another encoding is
    decoded whole, within MAX_TEXT_BYTES."""
    with open_regular(path) as handle:
        head = handle.read(65536)
        try:
            (head[3:] if head.startswith(b"\xef\xbb\xbf") else head).decode("utf-8")
            utf8 = True
        except UnicodeDecodeError as exc:
            utf8 = exc.start >= len(head) - 3 and len(head) == 65536  # a character cut by the sample
        if not utf8:
            for row, line in enumerate(read_text_file(path).split("\n")):
                yield row, line
            return
        handle.seek(0)
        row = 0
        while True:
            raw = handle.readline(MAX_RECORD_BYTES + 1)
            if not raw:
                return
            if len(raw) > MAX_RECORD_BYTES:
                raise DrafterError(
                    f"{path} 第 {row + 1} 行超过 {MAX_RECORD_BYTES // 1024 // 1024} MB，远超一篇讲话稿，未读取。请检查该文件。"
                )
            if row == 0 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield row, raw.decode("utf-8")
            except UnicodeDecodeError:
                raise DrafterError(f"{path} 第 {row + 1} 行不是 UTF-8 编码。JSONL 文件请用 UTF-8 保存后重试。") from None
            row += 1


@dataclass
class Skipped:
    """A file left out of an analysis, and why (a Chinese message naming it)."""

    path: str
    reason: str


def expand_paths(paths: Iterable[str | Path], skipped: list[Skipped] | None = None) -> list[Path]:
    """Files named directly plus every supported file below each folder, in a stable order.
    A file reached twice (named twice, inside a folder also named, through a link) is read
    once. Symlinked folders are not followed."""
    files: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def add(path: Path) -> None:
        try:
            st = path.stat()
            key = (st.st_dev, st.st_ino)
        except OSError:
            key = None
        if key is not None:
            if key in seen:
                return
            seen.add(key)
        files.append(path)

    for given in paths:
        path = Path(given)
        if not path.exists():
            raise DrafterError(f"找不到文件或文件夹：{path}。请检查路径是否正确。")
        if path.is_dir():
            found = list(_walk(path, skipped))
            if not found:
                raise DrafterError(f"文件夹 {path} 中没有 .txt、.md、.docx 或 .jsonl 文件。")
            for candidate in sorted(found):
                add(candidate)
        else:
            add(path)
    return files


def _walk(root: Path, skipped: list[Skipped] | None = None) -> Iterator[Path]:
    """Supported files below `root`, hidden ones (.x, ~$x) left out, symlinked folders not
    followed; iterative, so a folder tree of any depth is fine. A folder that cannot be listed
    is an error, or (with `skipped`) recorded there."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            message = f"无法读取文件夹 {folder}（{exc.strerror}）。请检查文件夹的权限。"
            if skipped is None:
                raise DrafterError(message) from None
            skipped.append(Skipped(str(folder), message))
            continue
        for entry in entries:
            if entry.name.startswith((".", "~$")):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif Path(entry.name).suffix.lower() in SUPPORTED_SUFFIXES and entry.is_file():
                    yield Path(entry.path)
            except OSError:
                continue


def read_corpus_file(path: Path, strict: bool = True) -> list[Document] | DrafterError:
    """The documents of one corpus file (one, or a JSONL file's records), cleaned. What keeps
    the file from being read is raised, or with `strict` False returned."""
    try:
        return list(iter_jsonl(path)) if path.suffix.lower() in JSONL_SUFFIXES else [load_document(path)]
    except DrafterError as exc:
        if strict:
            raise
        return exc


def load_corpus(
    paths: Iterable[str | Path],
    strip_repeated: bool = True,
    skipped: list[Skipped] | None = None,
    salt: bytes | None = None,
    map_files: Callable | None = None,
) -> list[Document]:
    """Every document under `paths` (files, folders, JSONL), cleaned, with lines repeated across
    many documents of the corpus removed as boilerplate. With a `salt` (mining.store.salt), what
    each file gave is kept in the store of map results under its name and bytes, so that an
    unchanged file is not cleaned again. `map_files(read_corpus_file, files, shared=…, batch=…)`
    reads and cleans the files elsewhere (mining.LocalEngine.map: in its worker processes).

    With a `skipped` list, a file that cannot be read (empty, binary, broken, unreadable) is
    left out and recorded there instead of stopping the whole run; without one (or for
    `--strict`), the first such file is an error."""
    def load(todo: list[Path]) -> list[list[Document] | DrafterError]:
        if map_files is None:
            return [read_corpus_file(path, strict=skipped is None) for path in todo]
        return map_files(read_corpus_file, todo, shared={"strict": skipped is None}, batch=max(1, min(16, len(todo) // 64)))

    files = expand_paths(paths, skipped)
    if salt is None:
        per_file = load(files)
    else:
        from drafter.mining import store

        per_file = store.cached_map(files, load, store.cleaned_salt(salt), key=store.file_key)
    docs: list[Document] = []
    for path, result in zip(files, per_file):
        if isinstance(result, DrafterError):
            skipped.append(Skipped(str(path), str(result)))  # type: ignore[union-attr]
        else:
            docs.extend(result)
    if strip_repeated:
        strip_repeated_lines(docs)
    return docs
