"""Counting over the corpus token stream for find_terms: token and n-gram counts, where each
n-gram stands, what stands before verbs.

Two implementations give the same counts, positions and orders: `PythonCounting` (the
reference, C arrays and Counter) and `NumpyCounting`, used when numpy is installed (the `fast`
extra: `pip install "drafter[fast]"`). A pass over every position of the stream is one numpy
operation instead of a Python step a position: find_terms takes a third of the time. An n-gram
is keyed by its token ids read as digits in base `stream.base` (TokenStream); where such a key
would not fit in 64 bits, numpy hands the rest of the work to the Python counting, whose ints
have no limit. DRAFTER_COUNTING=python uses the Python counting even where numpy is installed.

Both give their results in one order: `frequent` in ascending order of key, positions ascending."""

from __future__ import annotations

import itertools
import operator
import os
from array import array
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from drafter.mining.terms import TokenStream

COUNTING_ENV = "DRAFTER_COUNTING"  # "python": never numpy


class PythonCounting:
    """The reference counting, on the stream's C arrays."""

    name = "python"

    def __init__(self, stream: TokenStream):
        self.stream = stream

    def unigrams(self) -> Counter:
        return Counter(self.stream.ids)

    def bigrams(self, unigrams: Counter, min_count: int) -> tuple[Sequence[int], Sequence[int]]:
        """The bigram keys worth counting, and where each starts: those of two tokens that are
        each seen `min_count` times, neither a BOUNDARY. A bigram is no more frequent than
        either of its tokens, so no count that can pass is lost; and in a large corpus most
        distinct bigrams hold a rarer token (counting them all held the largest table of the
        analysis)."""
        stream = self.stream
        at = bytes(map(_usable_tokens(stream.base, unigrams, min_count).__getitem__, stream.ids))
        starts = array(stream.position_type, itertools.compress(itertools.count(), map(operator.and_, at, itertools.islice(at, 1, None))))
        del at
        firsts = map(stream.ids.__getitem__, starts)
        seconds = map(stream.ids.__getitem__, map((1).__add__, starts))
        return array("q", map(operator.add, map(operator.mul, firsts, itertools.repeat(stream.base)), seconds)), starts

    def longer(self, keys: Sequence[int], starts: Sequence[int], clean: set[int], n: int) -> tuple[Sequence[int], Sequence[int]]:
        """The n-grams to count. Only frequent n-grams are candidates, and the parts of a frequent
        n-gram are frequent too: an n-gram needs counting only where its first n - 1 tokens are a
        frequent (n-1)-gram without a boundary (which also keeps i + n - 1 inside the stream,
        since it ends with a boundary), and where its last n - 1 tokens are one too: a position
        whose successor is also kept. Keys and starts in C arrays (a list costs a pointer and an
        int object a position: five times the memory), while the keys fit in a machine word."""
        ids, base, position_type = self.stream.ids, self.stream.base, self.stream.position_type
        extend = bytes(map(clean.__contains__, keys))  # a byte a position, not a list of bools
        starts = array(position_type, itertools.compress(starts, extend))
        follows = bytes(map(operator.eq, itertools.islice(starts, 1, None), map((1).__add__, starts))) + b"\0"
        shorter = itertools.compress(itertools.compress(keys, extend), follows)
        starts = array(position_type, itertools.compress(starts, follows))
        last_tokens = map(ids.__getitem__, map((n - 1).__add__, starts))
        longer = map(operator.add, map(operator.mul, shorter, itertools.repeat(base)), last_tokens)
        return (array("q", longer) if base**n < 2**63 else list(longer)), starts

    def frequent(self, keys: Iterable[int], min_count: int) -> dict[int, int]:
        """The keys seen at least `min_count` times and their counts, in ascending order of key."""
        every = Counter(keys)
        return {key: every[key] for key in sorted(itertools.compress(every.keys(), map(min_count.__le__, every.values())))}

    def positions(self, keys: Sequence[int], starts: Sequence[int], wanted: dict | set) -> dict[int, array]:
        """Where each wanted key starts, ascending."""
        found: dict[int, array] = defaultdict(lambda: array(self.stream.position_type))
        for index in itertools.compress(itertools.count(), map(wanted.__contains__, keys)):
            found[keys[index]].append(starts[index])
        return found

    def token_positions(self, wanted: set[int]) -> dict[int, array]:
        """Where each wanted token stands, ascending."""
        found: dict[int, array] = defaultdict(lambda: array(self.stream.position_type))
        ids = self.stream.ids
        for index in itertools.compress(itertools.count(), map(wanted.__contains__, ids)):
            found[ids[index]].append(index)
        return found

    def before_verbs(self, is_verb: bytes) -> tuple[Counter, Counter]:
        """How often each token stands before a verb, and before how many different verbs
        (`is_verb`: a byte a token id)."""
        ids = self.stream.ids
        verb_after = bytes(map(is_verb.__getitem__, itertools.islice(ids, 1, None)))  # a byte a position, not a list
        pairs = set(zip(itertools.compress(ids, verb_after), itertools.compress(itertools.islice(ids, 1, None), verb_after)))
        return Counter(itertools.compress(ids, verb_after)), Counter(map(operator.itemgetter(0), pairs))


def _usable_tokens(base: int, unigrams: Counter, min_count: int) -> bytearray:
    """A byte a token id: 1 for a token seen `min_count` times that is no BOUNDARY (id 0)."""
    usable = bytearray(base)
    for token, count in unigrams.items():
        if count >= min_count:
            usable[token] = 1
    usable[0] = 0
    return usable


CHUNK = 1 << 22  # positions at a time where a pass would otherwise make a temporary of every position


class NumpyCounting(PythonCounting):
    """The same counting with numpy: keys and starts are numpy arrays (int64 keys, positions in
    the stream's own width) until a key would not fit in 64 bits; from there on, the Python
    counting's arrays. Memory as the Python counting's: the arrays it keeps take the bytes of
    its C arrays, and the passes that would make an index or a temporary of every position
    (numpy's isin and unique do) work a few million positions at a time instead."""

    name = "numpy"

    def __init__(self, stream: TokenStream, numpy):
        super().__init__(stream)
        self.np = numpy
        self.position_dtype = numpy.int32 if stream.position_type == "i" else numpy.int64
        self.ids = numpy.frombuffer(stream.ids, dtype=numpy.int32 if stream.ids.itemsize == 4 else numpy.int64)

    def unigrams(self) -> Counter:
        # in id order, where Counter(ids) gives first occurrence (the same but for the
        # BOUNDARY's 0): no caller reads these counts in order
        return _counter(self.np, self.np.bincount(self.ids, minlength=1))

    def bigrams(self, unigrams: Counter, min_count: int):
        np = self.np
        usable = np.frombuffer(bytes(_usable_tokens(self.stream.base, unigrams, min_count)), dtype=np.bool_)
        at = usable[self.ids]
        pairs = at[:-1] & at[1:]
        del at
        starts = self._where(pairs)
        del pairs
        keys = self.ids[starts].astype(np.int64)
        keys *= self.stream.base
        keys += self.ids[1:][starts]
        return keys, starts

    def longer(self, keys, starts, clean: set[int], n: int):
        np = self.np
        if not isinstance(keys, np.ndarray) or self.stream.base**n >= 2**63:
            return super().longer(_plain(keys, "q"), _plain(starts, self.stream.position_type), clean, n)
        extend = self._member(keys, clean)
        keys, starts = keys[extend], starts[extend]
        del extend
        follows = np.zeros(len(starts), dtype=np.bool_)
        follows[:-1] = starts[1:] == starts[:-1] + 1
        keys, starts = keys[follows], starts[follows]
        keys *= self.stream.base
        keys += self.ids[n - 1 :][starts]
        return keys, starts

    def frequent(self, keys, min_count: int) -> dict[int, int]:
        np = self.np
        if not isinstance(keys, np.ndarray):
            return super().frequent(keys, min_count)
        if not len(keys):
            return {}
        ordered = np.sort(keys)  # a copy; numpy's unique would add an index of every position
        edges = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
        firsts = np.concatenate(([0], edges))
        counts = np.diff(np.concatenate((firsts, [len(ordered)])))
        chosen = counts >= min_count
        return dict(zip(ordered[firsts[chosen]].tolist(), counts[chosen].tolist()))

    def positions(self, keys, starts, wanted: dict | set) -> dict[int, array]:
        if not isinstance(keys, self.np.ndarray):
            return super().positions(keys, starts, wanted)
        chosen = self._member(keys, wanted)
        return self._grouped(keys[chosen], starts[chosen])

    def token_positions(self, wanted: set[int]) -> dict[int, array]:
        at = self._where(self._member(self.ids, wanted))
        return self._grouped(self.ids[at], at)

    def _where(self, flags):
        """The positions of the true flags, in the stream's position type (numpy's own index is
        eight bytes a position: made a chunk at a time)."""
        np = self.np
        parts = [np.flatnonzero(flags[at : at + CHUNK]).astype(self.position_dtype) + at for at in range(0, len(flags), CHUNK)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=self.position_dtype)

    def _member(self, values, wanted) -> object:
        """A bool a value: is it one of `wanted`? Most values are not: a bitmap of the wanted
        values' hashes (FILTER_SLOTS slots a wanted value, at most 2**FILTER_MAX_BITS) turns
        most of them away with one look-up, and only the rest are searched for in the sorted
        wanted values, a chunk of values at a time. (A binary search of every value took 4 s
        of a 50-million-character analysis, most of it waiting for memory.)"""
        np = self.np
        table = np.sort(np.fromiter(wanted, dtype=np.int64, count=len(wanted)))
        flags = np.zeros(len(values), dtype=np.bool_)
        if not len(table):
            return flags
        bits = min(FILTER_MAX_BITS, max(10, int(len(table) * FILTER_SLOTS).bit_length()))
        slots = np.zeros(1 << bits, dtype=np.bool_)
        slots[_hashed(np, table, bits)] = True
        for at in range(0, len(values), CHUNK):
            part = values[at : at + CHUNK]
            maybe = np.flatnonzero(slots[_hashed(np, part, bits)])
            if not len(maybe):
                continue
            part = part[maybe]
            index = np.searchsorted(table, part)
            index[index == len(table)] = 0
            flags[maybe + at] = table[index] == part
        return flags

    def _grouped(self, keys, starts) -> dict[int, array]:
        """Each key's starts (ascending, as given), in C arrays of the stream's position type."""
        np = self.np
        order = np.argsort(keys, kind="stable")
        keys, starts = keys[order], starts[order]
        edges = np.flatnonzero(keys[1:] != keys[:-1]) + 1
        found: dict[int, array] = {}
        for key, group in zip(keys[np.concatenate(([0], edges))].tolist() if len(keys) else [], np.split(starts, edges)):
            positions = array(self.stream.position_type)
            positions.frombytes(group.astype(self.position_dtype).tobytes())
            found[key] = positions
        return found

    def before_verbs(self, is_verb: bytes) -> tuple[Counter, Counter]:
        np = self.np
        verb_after = np.frombuffer(is_verb, dtype=np.bool_)[self.ids[1:]]
        firsts, seconds = self.ids[:-1][verb_after], self.ids[1:][verb_after]
        del verb_after
        before = np.bincount(firsts, minlength=1)
        pairs = firsts.astype(np.int64)
        pairs *= self.stream.base
        pairs += seconds
        verbs = np.bincount(np.unique(pairs) // self.stream.base, minlength=1)
        return _counter(np, before), _counter(np, verbs)


FILTER_SLOTS = 16  # bitmap slots a wanted value (_member): a value not wanted gets past it one time in sixteen
FILTER_MAX_BITS = 24  # at most 16 MiB of bitmap
_GOLDEN = 0x9E3779B97F4A7C15  # Fibonacci hashing: the top bits of value x this odd constant (mod 2**64)


def _hashed(np, values, bits: int):
    """The top `bits` bits of each value times _GOLDEN, as indices of a bitmap: spread evenly
    whatever the values' own bits (an n-gram key's low bits are its last token's id)."""
    mixed = values.astype(np.uint64)
    mixed *= np.uint64(_GOLDEN)
    mixed >>= np.uint64(64 - bits)
    return mixed


def _counter(np, counts) -> Counter:
    present = np.flatnonzero(counts)
    return Counter(dict(zip(present.tolist(), counts[present].tolist())))


def _plain(values, typecode: str) -> Sequence[int]:
    """A numpy array as a C array (the Python counting's form); anything else as it is."""
    if isinstance(values, (array, list)):
        return values
    return array(typecode, values.tolist())


def numpy_module():
    """The numpy module, or None where it is not installed or DRAFTER_COUNTING=python."""
    if os.environ.get(COUNTING_ENV) == "python":
        return None
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def counting_for(stream: TokenStream) -> PythonCounting:
    """numpy's counting where it is installed and not turned off, else the Python one."""
    numpy = numpy_module()
    return PythonCounting(stream) if numpy is None else NumpyCounting(stream, numpy)


def counting_label() -> str:
    """Which counting analysis uses here, and why (for the benchmarks' reports)."""
    if numpy_module() is not None:
        return "numpy"
    return f"python ({COUNTING_ENV}=python)" if os.environ.get(COUNTING_ENV) == "python" else "python (numpy not installed)"
