"""One name for one thing across a hand-made book's printed tables: a plan code, or the agency heading every table
prints over its title, spelled otherwise on one table by a character or two (「數位發展計晝」 for 「數位發展計畫」,
「高雄巿政府資訊中心」 with 巿 U+5DFF for 市): a typo the officer cannot see, the printed book naming one plan two
ways. Layouts that print a name in another form (「計畫型補助收入」 beside 「上級政府補助收入-計畫型補助收入」, 台 for 臺,
spaces, full-width forms) are not typos and say nothing."""

from __future__ import annotations

import unicodedata
from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.model import CellRef, cell_position
from xlbudget.core.patterns import lazy

# a 明細表 heading: 「…名稱與編號：32020183201 數位發展計畫-數位發展計畫　承辦單位：…」 → the names after the code
_HEADING_NAMES = lazy(r"\d{11}\s*([^\s　]+)")
MOST_APART = 2  # characters two spellings of one name may differ in and be a typo (more: another name)


def _key(name: str) -> str:
    """A name as compared: NFKC, no spaces, 台 as 臺."""
    return "".join(unicodedata.normalize("NFKC", name).split()).replace("台", "臺")


def _apart(a: str, b: str) -> list[tuple[str, str]]:
    """The characters where ``a`` and ``b`` (keys of one length) differ, (a's, b's) each."""
    return [(x, y) for x, y in zip(a, b) if x != y]


def _spellings(tables, grids) -> dict[str, list[tuple[str, CellRef, str]]]:
    """Each thing a name is printed for → (name as printed, its cell, the table) each time: a plan code's rows (機關別,
    一級用途別, 資本支出…), its 明細表 heading and its 彙計表 column, and 「機關」 for the agency over each title."""
    found: dict[str, list[tuple[str, CellRef, str]]] = {}
    for table in tables:
        for row in table.rows:
            if len(row.code) == 11 and row.name and row.label_cell is not None:
                found.setdefault(row.code, []).append((row.name, row.label_cell, table.title))
        for code, text, cell in table.headings:
            m = _HEADING_NAMES.search(text)
            if m and len(code) == 11:  # 業務計畫-工作計畫: the 工作計畫's name last
                found.setdefault(code, []).append((m.group(1).replace("—", "-").split("-")[-1], cell, table.title))
        for key, name in table.column_names:
            cells = dict(table.header_cells).get(key, ())
            cell = next((c for text, c in cells if name in text), None)
            if len(key) == 11 and key.isdigit() and cell is not None:
                found.setdefault(key, []).append((name, cell, table.title))
        agency = _agency_line(table, grids.get(table.sheet))
        if agency:
            found.setdefault("機關", []).append((*agency, table.title))
    return found


def _agency_line(table, grid) -> tuple[str, CellRef] | None:
    """The agency name a table prints over its title (the nearest text above it, in its first three rows)."""
    if grid is None or table.title_cell is None or table.title_cell.sheet != table.sheet:
        return None
    top = cell_position(table.title_cell.cell)[0] - grid.top
    for r in range(top - 1, max(top - 3, 0) - 1, -1):
        for c, v in enumerate(grid.rows[r] if 0 <= r < len(grid.rows) else ()):
            if isinstance(v, str) and v.strip():
                return v.strip(), grid.ref(r, c)
    return None


def names_differing(tables, grids) -> list[Finding]:
    """A plan (by its code) or the agency heading printed with a name that differs from its other printing by one
    or two characters, the rest alike (keys of one length: _key): a warning at the spelling printed fewer times
    (the later, on a tie), naming the other, its table and the characters apart. ``grids``: sheet → Grid."""
    out = []
    for what, spellings in _spellings(tables, grids).items():
        counts: dict[str, int] = {}
        for name, _, _ in spellings:
            counts[_key(name)] = counts.get(_key(name), 0) + 1
        if len(counts) < 2:
            continue
        order = [k for k in dict.fromkeys(_key(name) for name, _, _ in spellings)]
        main = max(order, key=lambda k: (counts[k], -order.index(k)))
        first = next(s for s in spellings if _key(s[0]) == main)
        said = set()
        for name, cell, title in spellings:
            key = _key(name)
            if key == main or key in said or len(key) != len(main) or not 0 < len(_apart(key, main)) <= MOST_APART:
                continue
            said.add(key)
            apart = "、".join(f"「{x}」與「{y}」" for x, y in _apart(key, main))
            out.append(make_finding("printed-name-differs", cell, expected=first[0], actual=name,
                                    related=(first[1],), what="機關名稱" if what == "機關" else f"計畫 {what} 的名稱",
                                    table=title, other=first[2], apart=apart))
    return out

