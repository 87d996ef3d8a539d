"""Which cell a printed book's findings blame: when one wrong figure breaks several identities, the figure, not
the right totals around it.

``explain_subtotals`` drops a subtotal explained by a finding on its parts; ``crossing_figures`` names the one figure
several findings all point at (field report 8 §2.2, 10 §2.3) and, where a sum's total agrees with other tables,
the part of it that is wrong (``confirmed_totals``). Each finding gives, for each of its cells, the value that
cell would need for it to hold (``_fixes``): the one way a figure is picked.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from typing import Callable, Iterable, Mapping

from xlbudget.core.findings import Finding
from xlbudget.rules.common import finding


def _delta(f: Finding) -> int | None:
    if isinstance(f.expected, int) and isinstance(f.actual, int):
        return f.actual - f.expected
    return None


def explain_subtotals(findings: list[Finding]) -> list[Finding]:
    """Drop subtotal-mismatch findings fully explained by findings on their parts or on the subtotal itself.

    Deeper subtotals are judged first (reverse document order), so a wrong
    part explains its subtotal, and that subtotal's kept finding explains
    the total above it.
    """
    kept = list(findings)
    for f in reversed(findings):
        if f.rule != "subtotal-mismatch" or _delta(f) is None:
            continue
        others = [g for g in kept if g is not f and g.rule != "rounding-difference" and _delta(g) is not None]
        own = [g for g in others if g.cell == f.cell and _delta(g) == _delta(f)]
        pinned, any_part = 0, False
        for c in dict.fromkeys(f.related):
            g = next((g for g in others if g.cell == c), None)
            if g is not None:
                pinned += _delta(g)
                any_part = True
        if own or (any_part and pinned == -_delta(f)):
            kept.remove(f)
    return kept


# a total against its parts (common.sum_finding), and 全程計畫總金額 against its years (分年資金需求表, its row's sum)
SUM_RULES = ("subtotal-mismatch", "totals-row-mismatch", "funding-years-mismatch")


TIE_RULES = ("cross-table-mismatch", "headcount-mismatch")  # a figure against the one figure of another table


def _fixes(f: Finding, values: Mapping) -> dict:
    """For each cell of ``f`` (its own and those it was computed from), the value that cell would need for ``f`` to
    hold if it alone were wrong: the figure's own cell its 應為; a part of a total (or the source of a tie) its value
    moved by the difference; 比較 = 本年度 − 上年度 its 本年度 moved by the difference, its 上年度 the other way. A
    千元 figure against its 元 source (thousand-rounding-mismatch) fixes only itself: any 元 figure that rounds to it
    would do, too weak to blame the source (歲入明細表 57,019,500, 歲入來源別 57,019, 收支併列 57,019,000)."""
    delta = _delta(f)
    if not delta or f.cell is None:
        return {}
    fixes: dict = {f.cell: f.expected}
    parts = [(c, values.get(c)) for c in dict.fromkeys(f.related)]
    if any(not isinstance(v, int) for _, v in parts):
        return fixes
    if f.rule in SUM_RULES:
        fixes.update({c: v + delta for c, v in parts if c != f.cell})
    elif f.rule in TIE_RULES and len(parts) == 1 and parts[0][1] == f.expected:
        fixes[parts[0][0]] = f.actual
    elif f.rule == "comparison-mismatch" and len(parts) == 2 and parts[0][1] - parts[1][1] == f.expected:
        (current, cv), (prior, pv) = parts
        fixes.update({current: cv + delta, prior: pv - delta})
    return fixes


def crossing_figures(findings: list[Finding], tables) -> list[Finding]:
    """One figure typed wrong breaks every identity it is in. In a table of rows and columns (各項費用彙計表 C20,
    1,000 too many) it puts off by the same amount the total of its row (D20) and the total of its column (C17),
    both right: those two findings, which name the totals, are replaced by one at the figure their parts share,
    sum-crossing-suspect, naming both totals (if it is right, they are both wrong) (field report 8 §2.2). The same
    when the second identity is a 比較 (本年度 − 上年度) or a tie to another table (員額編制表 職員 and 人事費彙計表 預算
    員額): crossing-suspect at the one figure they all point at, with the value that makes them all hold (field report 10
    §2.3). When that figure is already one of the two findings' own cell (a total that leaves a row out, and the 比較
    computed from it), the others only follow from it and are dropped. Only findings each of whose fixes agrees
    with another's on exactly one cell, the same for all of its pairs (else which figure it is would not be known)."""
    from xlbudget.core.model import cell_position

    values = {fig.cell: fig.value for t in tables for r in t.rows for fig in r.figures.values()}
    candidates = [(f, _fixes(f, values)) for f in findings
                  if f.rule != "rounding-difference" and _delta(f) and f.cell is not None]
    pairs = []
    for i, (f, ff) in enumerate(candidates):
        for g, gf in candidates[i + 1:]:
            common = [(c, v) for c in ff.keys() & gf.keys() if (v := ff[c]) == gf[c]]
            if len(common) == 1:
                pairs.append((f, g, *common[0]))
    if not pairs:
        return findings
    cells_of: dict[int, set] = {}
    for f, g, cell, _ in pairs:
        cells_of.setdefault(id(f), set()).add(cell)
        cells_of.setdefault(id(g), set()).add(cell)
    groups: dict = {}  # the figure -> the findings that point at it alone, and the value that makes them all hold
    for f, g, cell, right in pairs:
        if cells_of[id(f)] == cells_of[id(g)] == {cell}:
            members, _ = groups.get(cell, ([], None))
            members += [x for x in (f, g) if all(x is not m for m in members)]
            groups[cell] = (members, right)
    kept = list(findings)
    for cell, (group, right) in groups.items():
        own = next((x for x in group if x.cell == cell), None)
        if own is not None:  # the wrong figure is named already; the others follow from it
            kept = [x for x in kept if x is own or all(x is not m for m in group)]
            continue
        value = values.get(cell)
        if not isinstance(value, int) or not _decides(group, cell):
            continue
        row = cell_position(cell.cell)[0]
        group = sorted(group, key=lambda x: cell_position(x.cell.cell)[0] != row)  # its row's total first
        kept = [x for x in kept if all(x is not m for m in group)]
        delta = right - value
        if len(group) == 2 and all(x.rule in SUM_RULES for x in group):
            first, second = group
            kept.append(finding("sum-crossing-suspect", cell, right, value, (first.cell, second.cell),
                                where=cell.cell, diff=f"{abs(delta):,}", way="少" if delta < 0 else "多",
                                totals="、".join(f"{x.cell.cell} 為 {x.actual:,}" for x in (first, second)),
                                both=f"{first.cell.cell} 與 {second.cell.cell}"))
        else:
            kept.append(finding("crossing-suspect", cell, right, value, tuple(x.cell for x in group),
                                where=cell.cell, n="兩三四五六"[len(group) - 2] if len(group) <= 6 else str(len(group)),
                                checks="；".join(f"{_place(x.cell, cell)}：{x.message}" for x in group),
                                both="、".join(_place(x.cell, cell) for x in group)))
    return kept


def _decides(group: list[Finding], cell) -> bool:
    """Whether the findings pointing at ``cell`` outweigh it. Where it is a part of a sum or a term of a 比較 in one of
    them, one wrong figure explains them all. Where it is only the source every one of them is tied to (各項費用彙計表
    D7, which 歲出機關別預算表 F7 and F8 both copy), they must come from two tables at least besides its own (類別表 K8
    against 總表 D6 and 各項費用彙計表 C28): two copies in one table of one figure are one witness, not two."""
    if any(x.rule not in TIE_RULES + ("thousand-rounding-mismatch",) for x in group):
        return True
    return len({x.cell.sheet for x in group} - {cell.sheet}) >= 2


def _place(cell, home) -> str:
    """A cell as a message on ``home``'s sheet names it: C6, or 人事費彙計表!B9 on another sheet."""
    return cell.cell if cell.sheet == home.sheet else f"{cell.sheet}!{cell.cell}"


# a sum whose total other tables confirm: the part is named, not the total (confirmed_totals; a line's 數量 × 單價
# whose 預算數 its totals confirm is rules.factors')
_PARTED = SUM_RULES
_FOLLOW = SUM_RULES + ("comparison-mismatch",)  # what follows a total within its own table: totals above, its 比較
_DEPTH = 8  # totals above a total followed at most (款 項 目 節 and the 合計, twice over)
_RUNS = 16  # counterfactual checks a book at most: a book with many findings is not one wrong figure


def confirmed_totals(findings: list[Finding], raw: list[Finding], tables,
                     recheck: Callable[[list], list[Finding]]) -> list[Finding]:
    """A sum whose total is right and one of whose parts is wrong: the part is named, not the total.

    A total that other tables confirm is the better-supported figure (field report 10 §2.3: 出國計畫類別表 I8
    生活費 220 typed 202 made K8 合計 400 «應為 382», though the 總表 and the 彙計表 print 400). For each sum finding
    left after crossing_figures, the book is checked again as if the total held its 應為 (and the totals above it
    in its table, and its 比較, followed them): if another table then disagrees, the total is confirmed. Its parts
    are then moved as ``_fixes`` moves them, all at once: a part another identity holds (a subtotal of its own
    lines, a tie, a 比較) is confirmed too. One part left: it is named with the value that makes the sum hold
    (confirmed-total-part). Several: they are named together, no 應為 picking one (confirmed-total-parts, joint).
    None: the finding stays as it was. ``raw``: the rules' findings before any was dropped; ``recheck`` runs
    the rules on tables with some figures changed."""
    values = {fig.cell: fig.value for t in tables for r in t.rows for fig in r.figures.values()}
    known = {_key(g) for g in raw}
    kept, runs = list(findings), [0]

    def check(changed: Mapping) -> list[Finding] | None:
        if runs[0] >= _RUNS:
            return None
        runs[0] += 1
        return [g for g in recheck(_with_values(tables, changed)) if _serious(g) and _key(g) not in known]

    with _detail_cache_kept():
        for f in findings:
            if f.rule not in _PARTED or f.cell is None or not _delta(f):
                continue
            home = _rows_of(tables, f.cell)
            witnesses = _confirming(f, home, check)
            if not witnesses:
                continue
            parts = {c: v for c, v in _fixes(f, values).items() if c != f.cell}
            new = check({c: v for c, v in parts.items() if c in values}) if parts else None
            if new is None:
                continue
            held = {c for g in new for c in (g.cell, *g.related)}
            free = [c for c in parts if c not in held]
            if free:
                kept[kept.index(f)] = _part_finding(f, free, parts, witnesses, values)
    return kept


# findings that name a figure wrong on more than one figure's word (a total against its parts, two sums or checks
# crossing at it, a total other tables confirm): a tie between two figures (cross-table-mismatch, a 說明 or a heading
# against its figure, a 千元 against its 元) says only that one of the two is wrong
_SLIP_RULES = SUM_RULES + ("sum-crossing-suspect", "crossing-suspect", "confirmed-total-part")


def followed_slips(findings: list[Finding], raw: list[Finding], tables,
                   recheck: Callable[[list], list[Finding]]) -> list[Finding]:
    """A finding that one figure another finding names wrong explains: once that figure holds its 應為, no finding
    is left on its cells, and it is not given, which would tell a right cell to print the slip. A 明細表 plan's total
    E8 43,769,000 typed 43,770,000 (its lines add up to 43,769,000: subtotal-mismatch at E8) made its heading
    「預算金額：43,769千元」, its 「市款43,769,000元」 note, 各項費用彙計表 B7 43,769 and D7 275,795 each «應為» the slip
    (43,770, 43,770,000, 43,770, 275,796): four right cells told to change; a 人事費彙計表 figure named wrong
    (sum-crossing-suspect) made the 約聘僱人員費用分析表 說明 quoting it right «應為» the slip. The figure is one a
    finding of _SLIP_RULES names; a finding that is itself such a figure follows from it only when its own 應為
    would leave the other's cells with a finding still (of two sums crossing, each naming the other, neither is
    dropped). Each figure is checked once, at most _RUNS checks a book. Once the slip is corrected, the findings it
    explained are held again."""
    values = {fig.cell: fig.value for t in tables for r in t.rows for fig in r.figures.values()}
    serious = [f for f in findings if _serious(f)]
    slips = [f for f in serious if f.rule in _SLIP_RULES and f.cell is not None and _delta(f)
             and values.get(f.cell) == f.actual and any(g.cell != f.cell for g in serious)]
    if not slips:
        return findings
    touched: dict[int, set | None] = {}
    runs = [0]

    def left(f: Finding) -> set | None:
        """The cells a finding still names or is computed from once ``f``'s figure holds its 應為; None past
        _RUNS."""
        if id(f) not in touched:
            if runs[0] >= _RUNS:
                return None
            runs[0] += 1
            touched[id(f)] = {c for g in recheck(_with_values(tables, {f.cell: f.expected})) if _serious(g)
                              for c in (g.cell, *g.related) if c is not None}
        return touched[id(f)]

    dropped: set[int] = set()
    with _detail_cache_kept():
        for f in slips:
            if id(f) in dropped:
                continue
            for g in serious:
                if g is f or g.cell == f.cell or id(g) in dropped:
                    continue
                after = left(f)
                if after is None:
                    break
                if after & {g.cell, *g.related}:
                    continue
                if any(g is s for s in slips):  # its own 應為 would make f hold as well: either may be the slip
                    back = left(g)
                    if back is None or not back & {f.cell, *f.related}:
                        continue
                dropped.add(id(g))
    return [f for f in findings if id(f) not in dropped]


def _confirming(f: Finding, home: set, check) -> list:
    """The cells of other tables that disagree once ``f``'s total holds its 應為, the totals above it in its own
    table (and its 比較) following it: those that confirm the total as printed. [] when none does."""
    changed = {f.cell: f.expected}
    for _ in range(_DEPTH):
        new = check(changed)
        if new is None:
            return []
        outside = [c for g in new for c in (g.cell, *g.related) if c is not None and (c.sheet, _row(c)) not in home]
        if outside:
            return list(dict.fromkeys(outside))
        follow = [g for g in new if g.rule in _FOLLOW and g.cell not in changed and _delta(g)
                  and any(c in changed for c in g.related)]
        if not follow:
            return []
        changed.update({g.cell: g.expected for g in follow})
    return []


def _part_finding(f: Finding, free: list, parts: dict, witnesses: list, values: Mapping) -> Finding:
    names = "、".join(_place(c, f.cell) for c in witnesses[:3]) + ("等" if len(witnesses) > 3 else "")
    said = f"所屬各項合計為 {f.expected:,}（{'少' if f.expected < f.actual else '多'} {abs(f.actual - f.expected):,}）"
    shared = dict(total=f.cell.cell, total_value=f"{f.actual:,}", total_exp=f"{f.expected:,}", witnesses=names,
                  parts=said)
    if len(free) == 1:
        cell = free[0]
        return finding("confirmed-total-part", cell, parts[cell], values.get(cell), (f.cell, *witnesses),
                       where=cell.cell, **shared)
    cells = "、".join(c.cell for c in free)
    return finding("confirmed-total-parts", free[0], None, None, tuple(free[1:]), cells=cells, **shared)


def _with_values(tables, changed: Mapping) -> list:
    """The tables as they would read with some figures' values changed (cells of ``changed`` that hold no figure,
    a 數量 printed as text, are left as they are)."""
    out = []
    for t in tables:
        rows = tuple(r if not any(fig.cell in changed for fig in r.figures.values()) else
                     replace(r, figures={k: replace(fig, value=changed[fig.cell], raw=changed[fig.cell])
                                         if fig.cell in changed else fig for k, fig in r.figures.items()})
                     for r in t.rows)
        out.append(t if all(a is b for a, b in zip(rows, t.rows)) else replace(t, rows=rows))
    return out


def _rows_of(tables, cell) -> set:
    """The (sheet, row) of every row of the table ``cell`` is a figure of: what is within its own table. A 明細表's
    「預算金額：N千元」 heading, typed apart from its figures, is a witness as another table's figure is."""
    for t in tables:
        if any(fig.cell == cell for r in t.rows for fig in r.figures.values()):
            return {(fig.cell.sheet, _row(fig.cell)) for r in t.rows for fig in r.figures.values()} | {
                (r.label_cell.sheet, _row(r.label_cell)) for r in t.rows if r.label_cell is not None}
    return {(cell.sheet, _row(cell))}


def _row(cell) -> int:
    from xlbudget.core.model import cell_position
    return cell_position(cell.cell)[0]


def _key(f: Finding) -> tuple:
    return f.rule, f.cell


def _serious(f: Finding) -> bool:
    return f.severity.value in ("error", "warning") and f.rule != "rounding-difference"


@contextmanager
def _detail_cache_kept():
    """The 明細表 totals cached for the book's own tables (rules.detail.detail_totals) kept through the checks of
    changed tables, which would put their own in its one slot."""
    from xlbudget.rules import detail
    slot = detail._LAST_TOTALS[0]
    try:
        yield
    finally:
        detail._LAST_TOTALS[0] = slot


def told_the_slip(findings: list[Finding]) -> list[Finding]:
    """A 說明 held to a figure another finding names wrong, whose 應為 is that wrong figure (歲出機關別預算表 I10 比較
    2,403 typed 2,430, found there; J10's 說明 「…2,403千元…」 «預算表為 2,430千元»), follows from that finding: not given,
    which would tell a right sentence to print the slip (field report 13 §F2). The 說明 is held again once the figure
    is corrected.

    So does a tie to another table, or a total (_FOLLOWING), that tells a right figure to print a slip named at its
    own cell, where that figure is already the slip's 應為: once the slip is corrected it holds (fix8, session 26's
    note: 人事費彙計表 N10 約聘僱人員 7,115,000 typed 7,115,100, found there, made 約聘僱人員費用分析表 H7 «應為 7,115,100»;
    派員出國計畫預算總表 C6 「4人x10天」 typed 「4人x11天」, found against the 類別表, made 合計 C12 «應為 4人x11天»). Two
    findings each the other's consequence (two figures each held to the other) are both kept: which is the slip is
    not known."""
    noted = {f.cell: f for f in findings if f.cell is not None and _delta(f)}
    # a slip a tie or a total follows from: named wrong (尾差, info, names no slip), figures or words (人天)
    named = {f.cell: f for f in findings if f.cell is not None and f.expected is not None and f.actual is not None
             and f.expected != f.actual and _serious(f)}

    def follows(g: Finding, f: Finding | None) -> bool:
        if f is None or f is g or f.cell == g.cell or g.expected != f.actual:
            return False
        return g.rule in _NOTE_RULES or g.actual == f.expected

    def told(g: Finding) -> bool:
        if g.rule in _NOTE_RULES:
            return any(follows(g, noted.get(c)) for c in g.related)
        if g.rule not in _FOLLOWING:
            return False
        return any(follows(g, f := named.get(c)) and not (g.cell in f.related and follows(f, g)) for c in g.related)

    return [g for g in findings if not told(g)]


_NOTE_RULES = ("printed-note-mismatch",)  # a 說明 held to the figure of its row (rules.printed_narrative)
# a figure held to another table's, or a total to its rows: either follows from a slip found at that other figure
_FOLLOWING = ("cross-table-mismatch", "contract-total-mismatch", "headcount-mismatch", "thousand-rounding-mismatch",
              "subtotal-mismatch")
