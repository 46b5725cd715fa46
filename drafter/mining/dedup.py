"""Near-duplicate documents: the same speech reposted with another header, an advert, a dateline
or a photo caption. Such copies must count once in the corpus statistics.

Two documents are the same speech when the Jaccard similarity of their sets of 8-character
shingles is at least `THRESHOLD` (0.9), the text taken after cleaning and with everything but
Chinese characters, letters and digits dropped (so punctuation and spacing do not matter).

Finding the pairs without comparing every document with every other: each document gets a
MinHash signature (one-permutation hashing: every shingle hashed once, the hash's low bits pick
one of 128 bins, each bin keeps its smallest hash; empty bins of short texts borrow from the
next bin, rotation densification); locality-sensitive hashing puts two documents in the same
bucket when one of 16 bands of 8 bins agrees, which happens almost surely at similarity 0.9
(1 - (1 - 0.9^8)^16 > 0.9998) and rarely below 0.5 (< 6%). Every candidate pair is then
checked exactly on its shingle sets, so the signatures only decide which pairs get looked at.

Everything is deterministic: hashes come from Python's tuple-of-int hash (not salted per
process, unlike str hashing), and a group's kept document is the first of its documents in
source order (natural order: `a.jsonl#9` before `a.jsonl#10`), whatever the order of the input.
Pure Python, no numpy: the per-character work runs in C (array views, map, set)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterable, Protocol, Sequence

THRESHOLD = 0.9
SHINGLE = 8  # characters; two 4-character (8-byte UTF-16) words
BINS = 128
BANDS = 16
ROWS = BINS // BANDS
_MASK = BINS - 1
_LOWEST, _HIGHEST = -(2**63), 2**63 - 1  # the range of hash()

_DROP = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]+")


def normalize(text: str) -> str:
    """What is compared: Chinese characters, letters (lower case) and digits only."""
    return _DROP.sub("", text).lower()


def shingles(text: str) -> frozenset[int]:
    """Hashes of the 8-character shingles of the normalized `text` (a text shorter than that:
    one hash of the whole)."""
    return _shingles_of(_compared(text))


def _compared(text: str) -> bytes:
    """The normalized text, two bytes a character (beyond the basic plane: four)."""
    return normalize(text).encode("utf-16-le")


def _shingles_of(data: bytes) -> frozenset[int]:
    if not data:
        return frozenset()
    if len(data) < 2 * SHINGLE:
        return _short(data)
    found: set[int] = set()
    for shift in range(4):  # words starting at characters 4j+shift
        usable = (len(data) - 2 * shift) // 8
        words = array("Q", data[2 * shift : 2 * shift + 8 * usable])
        # a shingle is two consecutive 4-character words; hashing the pair of ints mixes them
        found.update(map(hash, zip(words, words[1:])))
    return frozenset(found)


def _short(data: bytes) -> frozenset[int]:
    padded = data + b"\0" * (-len(data) % 8)
    return frozenset((hash((len(data), *array("Q", padded))),))


@dataclass(frozen=True)
class Signature:
    size: int  # number of distinct shingles
    bins: tuple[int, ...]  # BINS minimum hashes; empty when the text has no shingle at all
    # a hash of what is compared (the normalized text): the key of a pair's verdict (PairVerdicts)
    digest: bytes = b""


def signature(text: str) -> Signature:
    data = _compared(text)
    found = signature_of(_shingles_of(data))
    return dataclasses.replace(found, digest=hashlib.blake2b(data, digest_size=20).digest())


def signature_of(hashes: frozenset[int] | set[int]) -> Signature:
    if not hashes:
        return Signature(0, ())
    mins: list[int | None] = [None] * BINS
    left = BINS
    # In ascending order, the first hash to land in a bin is its minimum. The hashes spread
    # evenly over the 64-bit range, so the ~16 x BINS smallest lie below `cut` and fill every
    # bin (all but once in 70,000 texts; then all hashes are sorted).
    cut = _LOWEST + (16 * BINS * 2**64) // len(hashes)
    for pool in (sorted(filter(cut.__gt__, hashes)), None):
        for h in pool if pool is not None else sorted(hashes):
            b = h & _MASK
            if mins[b] is None:
                mins[b] = h
                left -= 1
                if not left:
                    break
        if not left or cut > _HIGHEST:
            break
    if left:  # rotation densification: an empty bin takes the next filled bin's hash
        filled = list(mins)
        for i in range(BINS):
            if filled[i] is None:
                step = 1
                while filled[(i + step) % BINS] is None:
                    step += 1
                mins[i] = hash((filled[(i + step) % BINS], step))
    return Signature(len(hashes), tuple(mins))  # type: ignore[arg-type]


def jaccard(a: frozenset[int] | set[int], b: frozenset[int] | set[int]) -> float:
    if not a and not b:
        return 1.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


@dataclass(frozen=True)
class DuplicateGroup:
    kept: str  # the first of the group in source order
    copies: tuple[str, ...]  # the others, in source order


_NUMBER = re.compile(r"(\d+)")


def source_key(source: str) -> tuple:
    """Natural order of source names: `a.jsonl#9` before `a.jsonl#10`."""
    parts = _NUMBER.split(source)
    return tuple((0, int(p), p) if i % 2 else (1, 0, p) for i, p in enumerate(parts)), source


def near_duplicates(
    docs: Iterable[tuple[str, str]], threshold: float = THRESHOLD, signatures: Sequence[Signature] | None = None
) -> list[DuplicateGroup]:
    """The groups of documents that are the same speech, from (source name, clean text) pairs.
    Documents in no group are not listed. Groups are in source order of their kept document.
    `signatures`: the documents' signatures when already known (kept from an earlier run), in
    the order of `docs`."""
    docs = list(docs)
    return _groups([source for source, _ in docs], lambda i: docs[i][1], signatures, threshold)


def _signatures(count: int, text_of: Callable[[int], str], known: Sequence[Signature] | None) -> Sequence[Signature]:
    """The signatures of `count` documents: those `known` (one per document), else computed."""
    if known is None:
        return [signature(text_of(i)) for i in range(count)]
    if len(known) != count:
        raise ValueError("one signature per document")
    return known


class PairVerdicts(Protocol):
    """Whether two documents were found the same speech, kept between runs by a pair key
    (drafter.mining.store.KeyedStore): checking a likely pair reads both texts in full."""

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, bool]: ...

    def put_many(self, items: dict[bytes, bool]) -> None: ...


def _pair_key(a: Signature, b: Signature, threshold: float) -> bytes | None:
    """The key of a pair's verdict: both texts' digests, in one order, and the threshold."""
    if not (a.digest and b.digest):
        return None
    return b"".join(sorted((a.digest, b.digest))) + repr(threshold).encode()


def _groups(
    sources: Sequence[str],
    text_of: Callable[[int], str],
    signatures: Sequence[Signature] | None,
    threshold: float,
    verdicts: PairVerdicts | None = None,
) -> list[DuplicateGroup]:
    """The groups among documents `sources` (text_of(i): the text of the i-th, asked for only
    to check a likely pair, or to sign it when `signatures` are not known), in source order.
    `verdicts`: those of pairs checked in earlier runs, and where to keep the new ones."""
    signatures = _signatures(len(sources), text_of, signatures)
    order = sorted(range(len(sources)), key=lambda i: source_key(sources[i]))
    ordered = [sources[i] for i in order]
    signatures = [signatures[i] for i in order]
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cache: OrderedDict[int, frozenset[int]] = OrderedDict()

    def shingles_of(i: int) -> frozenset[int]:
        if i in cache:
            cache.move_to_end(i)
            return cache[i]
        found = shingles(text_of(order[i]))
        cache[i] = found
        if len(cache) > 64:
            cache.popitem(last=False)
        return found

    pairs = _likely_pairs(_buckets(signatures), signatures, threshold)
    keys = [_pair_key(signatures[i], signatures[j], threshold) for i, j in pairs]
    known = verdicts.get_many([k for k in keys if k is not None]) if verdicts is not None else {}
    new: dict[bytes, bool] = {}
    for (i, j), key in zip(pairs, keys):
        if find(i) == find(j):
            continue  # already in one group (a pair checked then would change nothing)
        same = known.get(key) if key is not None else None
        if same is None:
            same = jaccard(shingles_of(i), shingles_of(j)) >= threshold
            if key is not None:
                new[key] = same
        if same:
            a, b = find(i), find(j)
            parent[max(a, b)] = min(a, b)  # the root is the first in source order
    if verdicts is not None and new:
        verdicts.put_many(new)
    members_of: dict[int, list[int]] = {}
    for i in range(len(ordered)):
        members_of.setdefault(find(i), []).append(i)
    return [
        DuplicateGroup(ordered[root], tuple(ordered[i] for i in members[1:]))
        for root, members in sorted(members_of.items())
        if len(members) > 1
    ]


def _buckets(signatures: Sequence[Signature]) -> dict[tuple, list[int]]:
    """The documents (by index) of each band's bins: locality-sensitive hashing."""
    buckets: dict[tuple, list[int]] = {}
    for i, sig in enumerate(signatures):
        if not sig.bins:
            continue
        for band in range(BANDS):
            buckets.setdefault((band, hash(sig.bins[band * ROWS : (band + 1) * ROWS])), []).append(i)
    return buckets


def _likely_pairs(buckets: dict[tuple, list[int]], signatures: Sequence[Signature], threshold: float) -> list[tuple[int, int]]:
    """The pairs that share a bucket and whose sizes allow the threshold, each once, in the
    order the buckets were filled."""
    pairs: dict[tuple[int, int], None] = {}
    for members in buckets.values():
        if len(members) < 2:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (i, j) in pairs:
                    continue
                small, large = sorted((signatures[i].size, signatures[j].size))
                if small >= threshold * large:  # else the Jaccard similarity, at most small / large, is too low
                    pairs[(i, j)] = None
    return list(pairs)


def fold(
    docs: Sequence, signatures: Sequence[Signature] | None = None, threshold: float = THRESHOLD, verdicts: PairVerdicts | None = None
) -> tuple[list, dict[str, list[str]]]:
    """The documents (anything with `source` and `text`) without the copies of another, in the
    order given, and the copies of each kept document by its source name. `verdicts`: a store
    of pairs checked in earlier runs (a re-run checks only new pairs)."""
    # each text is made only when it is needed: all of them at once are a corpus's worth
    groups = _groups([d.source for d in docs], lambda i: docs[i].text, signatures, threshold, verdicts)
    copies = {g.kept: list(g.copies) for g in groups}
    folded = {c for g in groups for c in g.copies}
    return [d for d in docs if d.source not in folded], copies
