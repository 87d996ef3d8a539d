"""How a renderer wraps a cell's text: the lines a text prints over in a column, for the published book.

Pure. ``forms.layout.text_lines`` sizes the rows of a built book for any spreadsheet that opens it (a rough,
generous estimate); the published book is rendered by one known program, and its rows are sized and its long
texts cut from where that program really breaks each line, so that a page of long text is not a third blank.

Measured with LibreOffice 7.4 (fonts-noto-cjk, no 標楷體 and no Calibri; tests/test_wrapping.py renders the
measurement again): a column ``w`` units wide prints text across ``7.0·w − 4`` points (7.0 pt = DejaVu Sans's
digit width at 11 pt, the font it prints for the default Calibri), a CJK character or full-width mark is 1 em of
the cell's font size (Noto Sans CJK), a Latin character is DejaVu Sans's width, and a line is 1.45 em high
(14.5 pt at 10 pt, 16 pt at 11 pt).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

from xlbudget.core.patterns import lazy
from xlbudget.core.records import record


@record
class Wrapping:
    """A renderer's text metrics: points per column width unit (the default font's digit width), points of a
    column no text prints in (the cell's inner margins), and a line's height in em."""

    unit: float
    margin: float
    line: float = 1.45

    def room(self, width: float) -> float:
        """Points a column ``width`` units wide prints text across."""
        return max(self.unit * width - self.margin, 1.0)

    def width_of(self, points: float) -> float:
        """The column width (units) whose ``room`` is ``points``: room's inverse."""
        return (points + self.margin) / self.unit

    def line_height(self, size: float) -> float:
        """Points one printed line of a ``size`` pt font takes."""
        return self.line * size


# the digit width at 11 pt of the fonts LibreOffice may print for Calibri: DejaVu Sans measured (LibreOffice where
# fontconfig gives it for Calibri: Debian, Ubuntu without fonts-crosextra-carlito), the others from their metrics
DIGIT_WIDTHS = {"DejaVu Sans": 7.0, "Liberation Sans": 6.12, "Arimo": 6.12, "Carlito": 5.58, "Calibri": 5.58}
MARGIN = 5.0  # measured 4 pt; one more so that rounding never gains a character
# wherever the font is not known: Excel's own 7 px unit, the narrowest of them (more lines, never fewer)
NARROWEST = Wrapping(5.25, MARGIN)


def wrapping_for(font: str | None) -> Wrapping:
    """The metrics of a renderer that prints ``font`` for the workbook's default Calibri (None: not known)."""
    return Wrapping(DIGIT_WIDTHS[font], MARGIN) if font in DIGIT_WIDTHS else NARROWEST


LIBREOFFICE_DEJAVU = wrapping_for("DejaVu Sans")


# Latin widths in em: the widest of each class in DejaVu Sans (wider than 標楷體's half-width Latin and than
# Calibri's), so a line is never thought to hold more than it does
_NARROW = frozenset(" ,.:;'!|ilIjJf()[]-/`\"rt")
_WIDE_LATIN = frozenset("mwMW%@&")
_OPENING = frozenset("（「『【〈《〔“‘([{")
_CLOSING = frozenset("，。、；：！？）」』】〉》〕”’％,.;:!?)]}%")
_ASCII_RUN = lazy(r"[!-~]+")
_RUN_BREAKS = lazy(r"[^/?!-]+[/?!-]*|[/?!-]+")  # a long run's parts: LibreOffice breaks it after / ? ! -


def _em(char: str) -> float:
    if char > "~":
        return 1.0  # CJK, full-width marks and anything else past ASCII: a full em
    if char in _NARROW:
        return 0.40
    if char in _WIDE_LATIN:
        return 1.0
    if "A" <= char <= "Z":
        return 0.80
    return 0.64  # digits (0.636), lower case letters and the rest


def _tokens(line: str) -> list[str]:
    """Where a line may break: between CJK characters, never inside a run of ASCII (a number, a word), never
    before a closing mark (，。）) or after an opening one (（「); spaces are breaks of their own."""
    tokens: list[str] = []
    at = 0
    glue = False  # the previous token was an opening mark: what follows joins it
    while at < len(line):
        run = _ASCII_RUN.match(line, at)
        token = run.group() if run else line[at]
        at += len(token)
        if tokens and (glue or token[0] in _CLOSING) and token != " ":
            tokens[-1] += token
        else:
            tokens.append(token)
        glue = token[-1] in _OPENING
    return tokens


def line_starts(text: str, room: float, size: float) -> list[int]:
    """Where each printed line of ``text`` starts (indices into ``text``) in a column ``room`` points wide at
    ``size`` pt: filled greedily, a newline forcing a new line; a run wider than a line (a web address) broken
    after its / ? ! - and, where a part is still wider, wherever the line is full."""
    starts = [0]
    width = 0.0
    at = 0
    for n, line in enumerate(text.split("\n")):
        if n:
            at += 1  # the newline
            starts.append(at)
            width = 0.0
        for token in _tokens(line):
            wide = sum(map(_em, token)) * size
            parts = [token] if wide <= room else _RUN_BREAKS.findall(token)
            for part in parts:
                wide = sum(map(_em, part)) * size
                if width and width + wide > room:
                    starts.append(at)
                    width = 0.0
                if wide <= room:
                    width += wide
                    at += len(part)
                    continue
                for char in part:
                    w = _em(char) * size
                    if width and width + w > room:
                        starts.append(at)
                        width = 0.0
                    width += w
                    at += 1
    return starts


def printed_lines(text: str, room: float, size: float) -> int:
    """How many lines ``text`` prints over in a column ``room`` points wide at ``size`` pt."""
    return len(line_starts(text, room, size))


# where a heading reads well broken: 本年度與｜上年度比較, 購買商品及｜勞務支出, 第一、二級用途別｜科目名稱及編號 (the seed's)
_BREAK_AFTER = frozenset("與及、，和度別")


@lru_cache(maxsize=4096)
def balanced_lines(text: str, room: float, size: float) -> str:
    """``text`` broken by newlines into as many lines as it prints over in a column ``room`` points wide at
    ``size`` pt, the lines as even as can be (本年度與｜上年度比較, not 本年度與上年度比｜較), a break after 與、及 or
    年度 where two ways are as even. A line it already breaks stays; a text with a run wider than a line (a
    web address) is left to the renderer."""
    lines = []
    for part in text.split("\n"):
        count = len(line_starts(part, room, size))
        tokens = _tokens(part)
        widths = [sum(map(_em, token)) * size for token in tokens]
        if count == 1 or max(widths) > room or len(tokens) > 40:
            lines.append(part)
            continue

        def cost(cuts: tuple[int, ...]) -> tuple[float, int]:
            edges = (0, *cuts, len(tokens))
            longest = max(sum(widths[a:b]) for a, b in zip(edges, edges[1:]))
            return longest, -sum(tokens[c - 1][-1] in _BREAK_AFTER for c in cuts)

        cuts = min(combinations(range(1, len(tokens)), count - 1), key=cost)
        edges = (0, *cuts, len(tokens))
        lines += ["".join(tokens[a:b]).strip() for a, b in zip(edges, edges[1:])]
    return "\n".join(lines)
