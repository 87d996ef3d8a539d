"""Two folders of books compared agency by agency (xlbudget compare DIR_OLD DIR_NEW).

A budget office compares this year's 預算案 with the 法定預算 after the council's cuts, or this year's books with
last year's, for every agency at once. Each folder's books are found as convert finds them (discovery), each read
once as compare reads one book (pipeline.read_for_comparing), paired by agency (機關編號, else 機關名稱, else the
file name of a book that names no agency) and 年度, and each pair compared by the one comparison
(comparison.compare_books). A book with no partner, books of one agency that cannot be told apart, a book that
cannot be read, a file that is no book: each is a row saying so, never left out. The summary gives each agency's
歲出 before and after, and each 工作計畫 that changed (元, from the 明細表's 合計 rows), in one table, written as
convert's 轉換摘要 is (xlsxbook.write_report, forms.layout).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from xlbudget.core.errors import command_line
from xlbudget.core.findings import make_finding
from xlbudget.core.keys import agency_key, code_key, compact_key
from xlbudget.forms.inputs import UNIT_BUDGET, budget_kind_in, guessed_kind

SAME, DIFFERENT, INCOMPLETE = "相同", "有差異", "未完整比較"
NO_PARTNER, UNREADABLE, SKIPPED = "未配對", "無法讀取", "略過"
BY_CODE, BY_NAME, BY_FILE = "機關編號", "機關名稱", "檔名"
SIDES = {"old": "舊資料夾", "new": "新資料夾"}


@dataclass
class FolderBook:
    """A book found in one of the two folders, as read for comparing."""

    path: Path
    rel: str  # its name under the folder (子資料夾/甲.xlsx)
    read: tuple | None = None  # (kind, what) as pipeline.read_for_comparing gives it; None when it cannot be read
    agency: str = ""
    code: str = ""  # 機關編號 (a template book's)
    year: int | None = None
    problem: str = ""  # why it cannot be read (zh-TW), and its rule id
    reason: str = ""
    kind: str = ""  # 預算類別 when not 單位預算 (特別預算, 追加減預算): paired only with the same kind
    kind_told: str = ""  # what told that kind when nothing typed it (core.model.Agency.kind_told): a guess


@dataclass
class PairRow:
    """One row of the summary: a pair of books compared, or a book or file that was not, and why."""

    status: str
    old: str = ""  # file names under their folders
    new: str = ""
    agency: str = ""
    code: str = ""
    old_year: int | None = None
    new_year: int | None = None
    paired_by: str = ""
    figures: int | None = None  # figures that differ
    lines: int | None = None  # 歲出明細 lines added, removed or changed
    renames: int | None = None
    renumbered: int | None = None  # codes renumbered (改編號), their names the same
    uncompared: int | None = None  # notes of what was not compared
    old_total: int | None = None  # 歲出 (元): the sum of the 明細表's 工作計畫 合計 rows
    new_total: int | None = None
    change: int | None = None
    message: str = ""
    reason: str = ""  # rule id of a book not compared
    plans: list = field(default_factory=list)  # {plan, name, old, new, change} of each 工作計畫 that changed
    kind: str = ""  # 預算類別 of the books when not 單位預算

    @property
    def named(self) -> str:
        """The agency as a line names it: with its 預算類別 when not 單位預算 (「高雄市政府工務局（特別預算）」)."""
        return f"{self.agency}（{self.kind}）" if self.kind else self.agency

    def record(self) -> dict:
        return {name: getattr(self, name) for name in ROW_FIELDS}


ROW_FIELDS = ("status", "old", "new", "agency", "code", "old_year", "new_year", "paired_by", "figures", "lines",
              "renames", "renumbered", "uncompared", "old_total", "new_total", "change", "message", "reason", "plans",
              "kind")


@dataclass
class FolderComparison:
    """Every row of the summary, in 機關 order: pairs, then books not paired, unreadable, skipped."""

    old_dir: str
    new_dir: str
    rows: list[PairRow]

    @property
    def unreadable(self) -> list[PairRow]:
        return [r for r in self.rows if r.status == UNREADABLE]

    @property
    def same(self) -> bool:
        """Every book paired, every pair compared whole and the same."""
        return all(r.status in (SAME, SKIPPED) for r in self.rows)

    @property
    def pairs(self) -> list[PairRow]:
        return [r for r in self.rows if r.status in (SAME, DIFFERENT, INCOMPLETE)]

    def totals(self) -> dict:
        """歲出 (元) of the pairs whose both totals are known, before and after, and the change; and how many."""
        known = [r for r in self.pairs if r.change is not None]
        old, new = sum(r.old_total for r in known), sum(r.new_total for r in known)
        return {"pairs": len(known), "old": old, "new": new, "change": new - old}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out


# ---------------------------------------------------------------- pairing (pure)

def _file_key(book: FolderBook) -> str:
    return str(Path(book.rel).with_suffix("")).lower()


# 02-018 and 02018 (or ０２０１８) are one 機關編號, 台中 and 臺中 one name (keys: the one normalising of each)
PAIR_STAGES = ((BY_CODE, lambda b: code_key(b.code)), (BY_NAME, lambda b: agency_key(b.agency)),
               # a book naming no agency (a printed book with no heading) is known by its file name alone
               (BY_FILE, _file_key))


def pair_books(olds: list[FolderBook], news: list[FolderBook]) -> tuple[list[tuple], list[tuple]]:
    """Pairs (old, new, paired by) of one agency, and the books left, (book, side, rule, fields) each.

    Stage by stage (機關編號 where both books have one, 機關名稱, then the file name where a book names no agency),
    books of one key and one 預算類別 (a 單位預算 is never compared with its agency's 特別預算 or 追加減預算) are paired
    when there is one on each side; of several, those of the same 年度 when that year is one book's on each side,
    then the one of each side left. The rest are not guessed: each is named, as having no partner (or none of its
    kind, when the other folder has its agency's book of another kind), as one of several books of an agency, or as
    naming no agency."""
    pairs: list[tuple] = []
    taken: set[int] = set()
    crowded: dict[int, tuple[list, list]] = {}  # a book left in a group of several: the group
    for basis, key in PAIR_STAGES:
        found: dict[tuple, tuple[list, list]] = {}
        for side, books in enumerate((olds, news)):
            for b in books:
                if id(b) not in taken and (k := key(b)):
                    found.setdefault((b.kind, k), ([], []))[side].append(b)
        for o, n in found.values():
            if not o or not n:
                continue
            for a, b in _pair_group(o, n):
                if basis == BY_FILE and a.agency and b.agency:
                    continue  # both name their agency, not the same one: not one agency's books by a file name
                pairs.append((a, b, basis))
                taken.update((id(a), id(b)))
            rest = [b for b in o if id(b) not in taken], [b for b in n if id(b) not in taken]
            if basis != BY_FILE and rest[0] and rest[1]:  # books of one agency left on both sides: which is whose?
                for b in rest[0] + rest[1]:
                    crowded.setdefault(id(b), (o, n))
    left = []
    for side, books in (("old", olds), ("new", news)):
        for b in books:
            if id(b) in taken:
                continue
            if id(b) in crowded:
                o, n = crowded[id(b)]
                left.append((b, side, "compare-partner-ambiguous",
                             {"olds": len(o), "news": len(n), "names": "、".join(x.rel for x in o + n if x is not b)}))
            elif not b.agency:
                left.append((b, side, "compare-agency-unknown", {}))
            elif kinds := _other_kinds(b, news if side == "old" else olds):
                left.append((b, side, "compare-kind-no-partner", {
                    "other": SIDES["new" if side == "old" else "old"], "kind": b.kind or UNIT_BUDGET,
                    "told": guessed_kind(b.kind_told),
                    "others": "、".join(dict.fromkeys(k.kind or UNIT_BUDGET for k in kinds)),
                    "names": "、".join(k.rel for k in kinds)}))
            else:
                left.append((b, side, "compare-no-partner", {"other": SIDES["new" if side == "old" else "old"]}))
    return pairs, left


def _other_kinds(book: FolderBook, others: list[FolderBook]) -> list[FolderBook]:
    """The books of ``others`` (the other folder's) of ``book``'s agency (機關編號 or 機關名稱) but of another kind."""
    keys = [(key, k) for basis, key in PAIR_STAGES if basis != BY_FILE and (k := key(book))]
    return [o for o in others if o.kind != book.kind and any(key(o) == k for key, k in keys)]


def _pair_group(olds: list, news: list) -> list[tuple]:
    """Books of one agency paired: one on each side; else by equal 年度, one book of that year on each side;
    then one book left on each side (last year's against this year's)."""
    if len(olds) == 1 and len(news) == 1:
        return [(olds[0], news[0])]
    pairs = []
    for year in dict.fromkeys(b.year for b in olds):
        o = [b for b in olds if b.year == year]
        n = [b for b in news if b.year == year]
        if year is not None and len(o) == 1 and len(n) == 1:
            pairs.append((o[0], n[0]))
    used = {id(b) for pair in pairs for b in pair}
    o, n = [b for b in olds if id(b) not in used], [b for b in news if id(b) not in used]
    if len(o) == 1 and len(n) == 1:
        pairs.append((o[0], n[0]))
    return pairs


# ---------------------------------------------------------------- totals (pure)

def plan_totals(figures) -> dict[str, tuple[str, int]]:
    """工作計畫編號 → (name, 歲出 元) of a reduced book (comparison.BookFigures): its 明細表's 合計 row of each plan
    printed in 元
    (keyed 32020180101 by a template book, 32020180101/合計 as printed), named as 歲出機關別預算表 (or 臺北's
    歲出預算表) names the plan."""
    from xlbudget.core.titles import AGENCY_BUDGET, DETAIL, TAIPEI_AGENCY_BUDGET

    totals: dict[str, int] = {}
    names: dict[str, str] = {}
    for r in figures.records:
        code = r["row_code"]
        # in 元 only: a hand-made 明細表 printed in 千元 gives no 元 total, never its 千元 figure taken for 元
        if r["table"] == DETAIL and r["column"] == "預算數" and isinstance(r["value"], int) and r["unit"] == "元":
            plan = code[:-len("/合計")] if code.endswith("/合計") else code if r["row_name"] == "合計" else None
            if plan and plan.isdigit() and "/" not in plan:
                totals.setdefault(plan, r["value"])
        elif r["table"] in (AGENCY_BUDGET, TAIPEI_AGENCY_BUDGET) and code.isdigit():
            names.setdefault(code, r["row_name"])
    return {plan: (names.get(plan, ""), total) for plan, total in totals.items()}


def plan_changes(old, new, renumbered=()) -> tuple[int | None, int | None, list[dict]]:
    """Both books' 歲出 (元, the sum of their plans' totals; None for a book whose 明細表 gives none) and each
    工作計畫 whose total differs, in code order: {plan, name, old, new, change}, a plan only one book has with None
    on the other side. ``renumbered`` (comparison.Comparison's): an old plan renumbered is the new code's plan."""
    codes_to = {r["old_code"]: r["new_code"] for r in renumbered}
    a = {codes_to.get(plan, plan): total for plan, total in plan_totals(old).items()}
    b = plan_totals(new)
    plans = []
    for plan in sorted(set(a) | set(b)):
        va, vb = (a.get(plan) or (None, None))[1], (b.get(plan) or (None, None))[1]
        if va != vb:
            plans.append({"plan": plan, "name": (b.get(plan) or a.get(plan))[0], "old": va, "new": vb,
                          "change": (vb or 0) - (va or 0)})
    return (sum(v for _, v in a.values()) if a else None), (sum(v for _, v in b.values()) if b else None), plans


# ---------------------------------------------------------------- reading and comparing

def _found(folder: Path, side: str, exclude: tuple[Path, ...], inner: Path | None = None
           ) -> tuple[list[FolderBook], list[PairRow]]:
    """Books found under ``folder`` (as convert finds them), read; and a row for every other file found, or for
    the folder holding none, with why. ``inner``: the other side's folder inside this one, its books not this
    side's (a folder holding nothing else is said to be so, not «沒有任何檔案»)."""
    from xlbudget.app import pipeline
    from xlbudget.app.convert import book_failure
    from xlbudget.app.discovery import discover_all

    found, passed = discover_all([str(folder)], exclude=exclude)
    books = []
    for path, rel in found:
        book = FolderBook(path, rel)
        try:
            book.read = pipeline.read_for_comparing(path)
        except Exception as e:  # a book must never stop the run: said as convert says it (its one failure handling)
            book.reason, book.problem, _, _ = book_failure(e, rel, again=command_line("xlbudget", "check", path))
        else:
            kind, read = book.read
            if kind == "template":
                book.agency, book.code, book.year = read.agency.name, read.agency.code, read.agency.year
                book.kind = "" if read.agency.kind == UNIT_BUDGET else read.agency.kind
                book.kind_told = read.agency.kind_told
            else:  # printed tables say no 預算類別: the file's name may (as a template book's without one)
                book.agency, book.year = read.agency, read.year
                told = budget_kind_in(compact_key(Path(rel).stem))
                if told and told != UNIT_BUDGET:
                    book.kind, book.kind_told = told, f"檔名「{Path(rel).name}」"
        books.append(book)
    others = []
    for p in passed:
        where = Path(p.source)
        name = where.relative_to(folder).as_posix() if where != folder and where.is_relative_to(folder) else p.source
        message, reason = p.message, p.reason
        if reason == "folder-empty" and inner is not None and any(f.is_file() for f in inner.rglob("*")):
            other = "new" if side == "old" else "old"
            reason = "compare-folder-only-other"
            message = make_finding(reason, None, side=SIDES[side], name=_folder_name(folder, whole=True),
                                   other_side=SIDES[other], other=str(inner)).message
        others.append(PairRow(UNREADABLE if p.status == UNREADABLE else SKIPPED, **{side: name},
                              message=message, reason=reason))
    return books, others


def compare_folders(old_dir: str | Path, new_dir: str | Path, exclude: Path | None = None) -> FolderComparison:
    """Every book of ``old_dir`` against its agency's book in ``new_dir`` (both only read), and every book or
    file that is not compared, with why. ``exclude``: our own output, never taken for a book."""
    from xlbudget.app import comparison
    from xlbudget.app.convert import book_failure
    from xlbudget.app.pipeline import reduced_pair, with_stale_notes
    from xlbudget.core.findings import Severity

    rows: list[PairRow] = []
    readable = {}
    folders = {"old": Path(old_dir), "new": Path(new_dir)}
    for side, folder in folders.items():
        # a 法定預算 folder kept inside its 預算案 folder is the other side's, not more of this one's books
        other = folders["new" if side == "old" else "old"]
        inner = other if folder.resolve() in other.resolve().parents else None
        skip = tuple(p for p in (exclude, inner) if p is not None)
        books, others = _found(folder, side, skip, inner)
        rows += others
        rows += [PairRow(UNREADABLE, **{side: b.rel}, message=b.problem, reason=b.reason)
                 for b in books if b.read is None]
        readable[side] = [b for b in books if b.read is not None]
    pairs, left = pair_books(readable["old"], readable["new"])
    for a, b, basis in pairs:
        try:
            reduced = reduced_pair(a.read, b.read)  # made once a pair, let go after it
            result = with_stale_notes(comparison.compare_books(*reduced), (a.rel, b.rel), (a.path, b.path),
                                      (a.read, b.read))
            old_total, new_total, plans = plan_changes(*reduced, result.renumbered)
        except Exception as e:  # a pair must never stop the run: its row says it failed, as convert says a book
            reason, message, _, _ = book_failure(e, f"{a.rel} → {b.rel}",
                                                 again=command_line("xlbudget", "compare", a.path, b.path))
            rows.append(PairRow(UNREADABLE, a.rel, b.rel, b.agency or a.agency, b.code or a.code, a.year, b.year,
                                basis, message=message, reason=reason, kind=a.kind))
            continue
        uncompared = sum(n.finding.severity == Severity.UNVERIFIABLE for n in result.notes)
        status = SAME if result.same and result.complete else INCOMPLETE if result.same else DIFFERENT
        said = comparison.first_lines(result) + [n.finding.message for n in result.notes
                                                  if n.finding.rule == "compare-years-differ"]
        if old_total is None or new_total is None:
            said.append("明細表讀不到以元列印的工作計畫合計：歲出增減未列")
        change = None if old_total is None or new_total is None else new_total - old_total
        rows.append(PairRow(status, a.rel, b.rel, b.agency or a.agency, b.code or a.code, a.year, b.year, basis,
                            len(result.figures), len(result.lines), len(result.renames), len(result.renumbered),
                            uncompared, old_total, new_total, change, "；".join(said), plans=plans, kind=a.kind))
    for b, side, rule, fields in left:
        message = make_finding(rule, None, name=b.rel, agency=b.agency or "機關不明",
                               year=f"{b.year} 年度" if b.year else "年度不明", **fields).message
        rows.append(PairRow(NO_PARTNER, **{side: b.rel, f"{side}_year": b.year}, agency=b.agency, code=b.code,
                            message=message, reason=rule, kind=b.kind))
    order = {SAME: 0, DIFFERENT: 0, INCOMPLETE: 0, NO_PARTNER: 1, UNREADABLE: 2, SKIPPED: 3}
    rows.sort(key=lambda r: (order[r.status], _code_order(r.code), r.agency, r.old or r.new))
    return FolderComparison(str(old_dir), str(new_dir), rows)


def _folder_name(folder: str | Path, whole: bool = False) -> str:
    """A folder as said to the user: its name (``whole``: as given), the folder itself for «.» or «..»."""
    path = Path(folder)
    if path.name and path.name != "..":
        return str(path) if whole else path.name
    return str(path.resolve()) if whole else path.resolve().name


def _code_order(code: str) -> tuple:
    digits = re.sub(r"\D", "", code)
    return (not digits, digits)


# ---------------------------------------------------------------- output

def _amount(value) -> str:
    from xlbudget.core.amounts import format_figure

    return format_figure(value)


def headline(result: FolderComparison) -> str:
    """「比較資料夾 預算案（舊）→ 法定預算（新）：配對 3 組（相同 1、有差異 2）；未配對 1 本…」"""
    counts = result.counts()
    paired = [f"{s} {counts[s]}" for s in (SAME, DIFFERENT, INCOMPLETE) if counts.get(s)]
    out = (f"比較資料夾 {_folder_name(result.old_dir)}（舊）→ {_folder_name(result.new_dir)}（新）："
           f"配對 {len(result.pairs)} 組" + (f"（{'、'.join(paired)}）" if paired else ""))
    for status, what in ((NO_PARTNER, "本"), (UNREADABLE, "個"), (SKIPPED, "個檔案")):
        if counts.get(status):
            out += f"；{status} {counts[status]} {what}"
    return out


def _pair_lines(rows: list[PairRow], status: str) -> list[str]:
    """Pairs of one status (有差異, 未完整比較) for a terminal: its heading, then each agency's change and its 工作計畫
    that changed. A pair whose figures agree but could not all be compared is not said to differ."""
    if not rows:
        return []
    out = [f"\n【{status}】{len(rows)} 個機關"]
    for r in rows:
        code = f"（{r.code}）" if r.code else ""
        files = f"{r.old} → {r.new}"
        money = ("" if r.change is None else
                 f"歲出 {_amount(r.old_total)} → {_amount(r.new_total)}（{r.change:+,}）元；")
        extra = (f"，{r.renumbered} 列改編號" if r.renumbered else "") + (f"，{r.renames} 列更名" if r.renames else "")
        uncompared = f"，{r.uncompared} 項未比較" if r.uncompared else ""
        out.append(f"  {r.named}{code}：{money}{r.figures} 個數字不同，歲出明細 {r.lines} 筆{extra}{uncompared}"
                   f"（{files}）")
        out += [f"    {p['plan']} {p['name']}：{_amount(p['old'])} → {_amount(p['new'])}（{p['change']:+,}）元"
                for p in r.plans]
        if r.message:
            out.append(f"    {r.message}")
    return out


def folder_text(result: FolderComparison) -> str:
    """The comparison of two folders for a terminal: the headline and 歲出 total, each agency's change and its
    工作計畫 that changed, then every book not compared and why."""
    total = result.totals()
    out = [headline(result)]
    if total["pairs"]:
        out.append(f"歲出合計（{total['pairs']} 組）：{_amount(total['old'])} → {_amount(total['new'])}"
                   f"（{total['change']:+,}）元")
    for status in (DIFFERENT, INCOMPLETE):  # first: what the office is looking for, each under its own heading
        out += _pair_lines([r for r in result.pairs if r.status == status], status)
    same = [r for r in result.pairs if r.status == SAME]
    if same:
        out.append(f"\n【相同】{len(same)} 個機關")
        out += [f"  {r.named}" + (f"（{r.code}）" if r.code else "") + f"（{r.old} → {r.new}）" for r in same]
    for status in (NO_PARTNER, UNREADABLE, SKIPPED):
        rows = [r for r in result.rows if r.status == status]
        if rows:
            out.append(f"\n【{status}】{len(rows)}")
            for r in rows:
                if r.old and r.new:  # a pair that failed: its message names both
                    out.append("  " + r.message.replace("\n", " "))
                    continue
                side, name = ("old", r.old) if r.old else ("new", r.new)
                named = name in r.message  # its message names it already
                out.append(f"  {SIDES[side]}{'' if named else ' ' + name}：" + r.message.replace("\n", " "))
    differing = next((r for r in result.pairs if r.status != SAME), None)
    if differing is not None:  # how to see one agency's figures, with its own files
        out.append("\n一個機關的逐數字差異，例如：" + command_line("xlbudget", "compare", Path(result.old_dir) / differing.old,
                                                         Path(result.new_dir) / differing.new))
    return "\n".join(out) + "\n"


def folder_json(result: FolderComparison) -> str:
    """{"old", "new", "total": {pairs, old, new, change}, "books": [ROW_FIELDS…]}."""
    return json.dumps({"old": result.old_dir, "new": result.new_dir, "total": result.totals(),
                       "books": [r.record() for r in result.rows]}, ensure_ascii=False, indent=1) + "\n"


SUMMARY_SHEET, CHANGES_SHEET = "摘要", "歲出增減"


def summary_table(result: FolderComparison):
    """One row a pair of books compared, or a book or file not compared, and why (printed as a table)."""
    from xlbudget.core.tables import AMOUNT, LABEL, TEXT, Column, Row, Table

    columns = (Column("status", ("狀態",), TEXT, 9), Column("agency", ("機關",), LABEL, 22),
               Column("code", ("機關編號",), TEXT, 8), Column("old", ("舊檔",), TEXT, 18),
               Column("new", ("新檔",), TEXT, 18), Column("years", ("年度",), TEXT, 9),
               Column("paired_by", ("配對依據",), TEXT, 8), Column("figures", ("不同的數字",), AMOUNT, 8, "個"),
               Column("lines", ("歲出明細",), AMOUNT, 7, "筆"), Column("uncompared", ("未比較",), AMOUNT, 6, "項"),
               Column("change", ("歲出增減",), AMOUNT, 13), Column("message", ("說明",), TEXT, 40))
    rows = []
    for r in result.rows:
        years = "→".join(str(y) for y in dict.fromkeys(y for y in (r.old_year, r.new_year) if y))
        cells = r.record() | {"years": years, "message": r.message.replace("\n", " "), "agency": r.named}
        rows.append(Row(r.code, r.named, cells))
    return Table("比較摘要", "元", columns, tuple(rows))


def changes_table(result: FolderComparison):
    """One table of every agency's 歲出 before and after (元) and, under it, each 工作計畫 that changed."""
    from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TOTAL, Column, Row, Table

    columns = (Column("機關", ("機關及工作計畫",), LABEL, 40), Column("舊", ("舊預算數",), AMOUNT, 16),
               Column("新", ("新預算數",), AMOUNT, 16), Column("增減", ("增減",), AMOUNT, 16))
    total = result.totals()
    rows = [Row("合計", "合計", {"機關": "合計", "舊": total["old"], "新": total["new"], "增減": total["change"]},
                TOTAL)]
    for r in result.pairs:
        if r.change is None:
            continue
        rows.append(Row(r.code, r.named, {"機關": r.named, "舊": r.old_total, "新": r.new_total,
                                           "增減": r.change}, GROUP))
        rows += [Row(p["plan"], p["name"], {"機關": f"\u3000{p['plan']} {p['name']}", "舊": p["old"], "新": p["new"],
                                              "增減": p["change"]}, ITEM, 1) for p in r.plans]
    return Table("各機關歲出增減（比較）", "元", columns, tuple(rows))


def _years(result: FolderComparison) -> str:
    old = sorted({r.old_year for r in result.pairs if r.old_year})
    new = sorted({r.new_year for r in result.pairs if r.new_year})
    text = lambda ys: "、".join(str(y) for y in ys) or "不明"  # noqa: E731
    return f"中華民國{text(old)}年度" if old == new else f"{text(old)}年度 → {text(new)}年度"


def write_folder_workbook(result: FolderComparison, target: Path) -> None:
    """The summary workbook: 摘要 (a row a pair or a book not compared) and 歲出增減 (each agency's 歲出 before and
    after, and its 工作計畫 that changed, laid out as a printed table), written as convert's 轉換摘要 is."""
    from xlbudget.adapters.atomic import write_atomic
    from xlbudget.adapters.xlsxbook import write_report
    from xlbudget.core.model import Agency
    from xlbudget.forms.layout import layout_table

    heading = Agency(f"{_folder_name(result.old_dir)}（舊）→ {_folder_name(result.new_dir)}（新）", "", 0, "", "")
    layouts = [layout_table(table, heading) for table in (summary_table(result), changes_table(result))]
    for layout in layouts:
        layout.values[2][0] = _years(result)  # the books' 民國 years, not one Agency stands for
    write_atomic(target, lambda tmp: write_report(tmp, [(SUMMARY_SHEET, [], [(0, layouts[0])], {}, None),
                                                        (CHANGES_SHEET, [], [(0, layouts[1])], {}, None)]))
