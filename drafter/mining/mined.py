"""What the map step keeps of one document (DocMined): its finds, its tokens and its clean
lines, packed (a corpus's worth is held until the reduce has read them)."""

from __future__ import annotations

import dataclasses
import itertools
import pickle
import zlib
from array import array
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from drafter.model import Found

BOUNDARY = "\x00"  # stands for punctuation, digits and line ends in the token streams


@dataclass
class DocMined:
    """What one document yields on its own. Its tokens and lines are kept compressed (a
    corpus's worth of them is held until the reduce has read them: as lists of strings they
    take five times the memory) and unpacked when read: `token_lines()`, `token_ids()`,
    `text_lines()`."""

    source: str
    packed_found: bytes  # what the finders found (a list of Found), packed: `found`
    packed_tokens: bytes  # jieba tokens of each clean line (simplified script), as ids, packed (_pack_tokens)
    line_numbers: Sequence[int]  # the original line of each clean line (an array)
    packed_lines: bytes  # the clean lines the tokens came from (simplified script), packed
    joins: list[tuple[tuple[int, int], ...]] = field(default_factory=list)  # as in Document
    year: int | None = None  # the year the document was given in (drafter.dating)
    dated_by: str | None = None  # how that year was found
    title: str | None = None
    # the document's example sentences for sentences.yaml (sentences.sentences_of), when asked for
    sentences: tuple[dict, list[list]] | None = None

    @classmethod
    def of(
        cls,
        source: str,
        found: list[Found],
        line_tokens: list[list[str]],
        line_numbers: Sequence[int],
        lines: list[str],
        joins: Sequence[tuple[tuple[int, int], ...]] = (),
        year: int | None = None,
        dated_by: str | None = None,
        title: str | None = None,
        sentences: tuple[dict, list[list]] | None = None,
    ) -> "DocMined":
        if not len(line_tokens) == len(line_numbers) == len(lines):
            raise ValueError("one token list and one line number per line")
        packed_tokens = _pack_tokens(line_tokens)
        return cls(source, _pack_found(found), packed_tokens, array("i", line_numbers), _pack(lines), list(joins), year, dated_by, title, sentences)

    @property
    def found(self) -> list[Found]:
        """The finds, unpacked anew at each call (changing them changes nothing kept)."""
        if not self.packed_found:
            return []
        return list(itertools.starmap(Found, pickle.loads(zlib.decompress(self.packed_found))))

    def token_lines(self) -> list[list[str]]:
        words, lengths, ids = self.token_ids()
        tokens = list(map(words.__getitem__, ids))
        lines, start = [], 0
        for length in lengths:
            lines.append(tokens[start : start + length])
            start += length + 1  # the BOUNDARY after the line
        return lines

    def token_ids(self) -> tuple[list[str], array, array]:
        """The tokens as the document's own ids: (its distinct tokens, BOUNDARY first and the
        others in the order they first come; the number of tokens of each line; the ids of every
        line's tokens, each line followed by a BOUNDARY). The reduce turns them into the
        corpus's ids a document at a time, without a string per token."""
        return _unpack_tokens(self.packed_tokens)

    def text_lines(self) -> list[str]:
        return _unpack(self.packed_lines).split(_LINE_SEPARATOR) if self.packed_lines else []

    def release(self) -> None:
        """Keep only what a bank says of the document (name, title, year)."""
        self.packed_found, self.packed_tokens, self.packed_lines, self.line_numbers, self.joins = b"", b"", b"", array("i"), []
        self.sentences = None


# clean lines and their tokens hold neither (cleaning removes control characters)
_TOKEN_SEPARATOR, _LINE_SEPARATOR = "\x01", "\x02"


def _pack(lines: Iterable[str]) -> bytes:
    """Lines as one zlib-compressed UTF-8 string (b"" for no line at all; [""] packs as one line)."""
    lines = list(lines)
    if not lines:
        return b""
    text = _LINE_SEPARATOR.join(lines)
    if text.count(_LINE_SEPARATOR) != len(lines) - 1:
        raise ValueError("a line holds a control character that cleaning removes")
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def _pack_tokens(line_tokens: list[list[str]]) -> bytes:
    """Token lines as their distinct tokens and ids (DocMined.token_ids), zlib-compressed: the
    tokens' text, then the line lengths and the ids as C arrays (two bytes an id where the
    document has fewer than 65,536 distinct tokens)."""
    if not line_tokens:
        return b""
    index = {BOUNDARY: 0}
    number = index.setdefault
    ids: list[int] = []
    for tokens in line_tokens:
        ids.extend(number(token, len(index)) for token in tokens)
        ids.append(0)
    words = _TOKEN_SEPARATOR.join(index).encode("utf-8", "surrogatepass")
    if len(index) != words.count(_TOKEN_SEPARATOR.encode()) + 1:
        raise ValueError("a token holds a control character that cleaning removes")
    lengths = array("i", map(len, line_tokens))
    ids_array = array("H" if len(index) < 2**16 else "i", ids)
    head = f"{len(words)} {len(lengths)} {ids_array.typecode}\n".encode("ascii")
    return zlib.compress(head + words + lengths.tobytes() + ids_array.tobytes(), 1)


def _unpack_tokens(packed: bytes) -> tuple[list[str], array, array]:
    if not packed:
        return [BOUNDARY], array("i"), array("H")
    data = zlib.decompress(packed)
    end = data.index(b"\n")
    size, lines, typecode = data[:end].split()
    start, size, lines = end + 1, int(size), int(lines)
    words = data[start : start + size].decode("utf-8", "surrogatepass").split(_TOKEN_SEPARATOR)
    lengths = array("i")
    ids_start = start + size + lengths.itemsize * lines
    lengths.frombytes(data[start + size : ids_start])
    ids = array(typecode.decode("ascii"))
    ids.frombytes(data[ids_start:])
    return words, lengths, ids


_FOUND_FIELDS = tuple(f.name for f in dataclasses.fields(Found))


def _pack_found(found: list[Found]) -> bytes:
    """Finds as their fields' values: a tuple pickles and unpickles faster than an object."""
    if not found:
        return b""
    rows = [tuple(map(f.__getattribute__, _FOUND_FIELDS)) for f in found]
    return zlib.compress(pickle.dumps(rows, pickle.HIGHEST_PROTOCOL), 1)


def _unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8", "surrogatepass")
