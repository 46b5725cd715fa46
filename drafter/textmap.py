"""The body of a speech as one string that still knows where every character came from.

Three coordinate systems meet in outline parsing: a place in the clean document (clean line
index + column), an offset in the body text (the clean lines after the header, joined by "\\n"),
and the 1-based line of the user's original file. `BodyText` owns the conversions so that no
caller passes bare ints between them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from drafter.document import Document


@dataclass(frozen=True)
class LinePos:
    """A place in the clean document: clean line `index`, character `column` within it."""

    index: int
    column: int = 0


class BodyText:
    """The clean lines from `start` on, joined by newlines (the first one cut at start.column)."""

    def __init__(self, doc: Document, start: LinePos = LinePos(0)):
        self._doc = doc
        lines = doc.lines[start.index:]
        self._first_column = 0
        if lines and start.column:
            rest = lines[0][start.column:]
            stripped = rest.lstrip()
            self._first_column = start.column + len(rest) - len(stripped)
            lines = [stripped] + lines[1:]
        self.start = start
        self.lines = lines
        self.text = "\n".join(lines)
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        self.line_starts = starts  # body offset where each body line begins

    def __len__(self) -> int:
        return len(self.text)

    def pos(self, offset: int) -> LinePos:
        """The clean-document place of a body offset."""
        k = bisect.bisect_right(self.line_starts, offset) - 1
        column = offset - self.line_starts[k] + (self._first_column if k == 0 else 0)
        return LinePos(self.start.index + k, column)

    def line(self, offset: int) -> int:
        """The original 1-based line of the character at a body offset (0 for an empty body)."""
        if not self.lines:
            return 0
        where = self.pos(offset)
        return self._doc.line_of(where.index, where.column)

    def line_index(self, offset: int) -> int:
        """Which body line (0-based) holds a body offset."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_end(self, offset: int, limit: int | None = None) -> int:
        """The offset of the line break after `offset`, or `limit` (default: the text's end)
        when none comes before it. Looked up, not scanned: a one-line text may be megabytes long."""
        k = self.line_index(offset)
        end = self.line_starts[k + 1] - 1 if k + 1 < len(self.line_starts) else len(self.text)
        limit = len(self.text) if limit is None else limit
        return min(end, limit)

    def breaks_between(self, start: int, end: int) -> int:
        """How many line breaks lie in [start, end)."""
        return max(0, self.line_index(end) - self.line_index(start)) if end > start else 0
