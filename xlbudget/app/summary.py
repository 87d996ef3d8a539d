"""What a batch conversion reports: each book's result, the 轉換摘要 workbook and JSON, and the city-wide 彙總."""

from __future__ import annotations

import json
import re
from dataclasses import field, fields
from pathlib import Path

from xlbudget.adapters.atomic import write_text_atomic
from xlbudget.core.amounts import to_thousands
from xlbudget.core.keys import agency_key, code_key
from xlbudget.core.keys import city_of as city_named
from xlbudget.core.records import plain

SUMMARY_XLSX = "轉換摘要.xlsx"
SUMMARY_JSON = "轉換摘要.json"
OK, FINDINGS, UNREADABLE, SKIPPED = "完成", "有錯誤", "無法讀取", "未變更略過"
NOT_A_BOOK = "略過"  # a file found in a folder that is not a budget book: listed with why, not an error
UNFILLED = "尚未填寫"  # a blank template or a draft: every problem a required cell left blank (convert._unfilled)
NOT_CONVERTED = (UNREADABLE, UNFILLED)  # a book with no output this run


@plain  # a dataclass whose __repr__ and __eq__ are compiled on their first call, not as convert starts (issue 13)
class BookResult:
    """One row of the summary: what happened to one input book."""

    source: str
    output: str = ""
    agency: str = ""
    agency_code: str = ""  # 機關編號, to tell one agency's two books apart from two agencies
    authority: str = ""  # 主管機關 (高雄市政府主管), with 機關名稱 what tells the 縣市 (city_of)
    year: int | None = None
    expenditure: int | None = None  # 歲出合計, 千元
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    unverifiable: int = 0  # 無法驗證: figures no check could pass or fail (a formula with no value, 總說明's 未驗證)
    status: str = OK
    message: str = ""
    seconds: float = 0.0
    # why, as data: a rule id of core/findings (the first input problem's, or the file's) and its cell, if any
    reason: str = ""
    cell: str = ""
    # for the city-wide 彙總: 元 totals by 用途別 code, and the agency's 機關別 line
    by_object: dict[str, int] = field(default_factory=dict)
    budget_line: dict[str, int | None] = field(default_factory=dict)
    # a book whose figures are not in the 彙總 合計: the rule id of core/findings saying why, and its message
    left_out: str = ""
    left_out_note: str = ""
    kind: str = ""  # 預算類別 when not 單位預算 (特別預算, 追加減預算): never in the 總預算's 彙總
    kind_told: str = ""  # what told that kind when 基本資料 has no 預算類別 (core.model.Agency.kind_told): a guess

    def add_counts(self, counts) -> None:
        """Add ``counts`` (by severity name, as ``results.severity_counts`` gives them) to the book's own."""
        from xlbudget.forms.results import SEVERITY_NAMES

        for severity, key in SEVERITY_FIELDS:
            setattr(self, key, getattr(self, key) + counts.get(SEVERITY_NAMES[severity], 0))

    def counts(self) -> dict[str, int]:
        """The book's findings counted by severity name, as ``results.severity_counts`` counts them."""
        from xlbudget.forms.results import SEVERITY_NAMES

        return {SEVERITY_NAMES[severity]: getattr(self, key) for severity, key in SEVERITY_FIELDS}

    def record(self, leave: tuple[str, ...] = ()) -> dict:
        """Its fields by name, in their order, but those in ``leave``: what dataclasses.asdict gives, without its
        deep copy of ``by_object`` and ``budget_line``, which are made once for a result and never changed
        (asdict: 1.6–2.0 ms of CPU for 24 seed-sized results, twice a batch: manifest and 轉換摘要.json; this 0.03)."""
        return {name: getattr(self, name) for name in RESULT_FIELDS if name not in leave}


RESULT_FIELDS = tuple(f.name for f in fields(BookResult))


# BookResult's count of each severity (keyed as results.SEVERITY_NAMES is)
SEVERITY_FIELDS = (("error", "errors"), ("warning", "warnings"), ("info", "infos"), ("unverifiable", "unverifiable"))


def summary_line(results: list[BookResult], outdir: str | Path) -> str:
    """convert's last line: 「共 3 本：完成 2、有錯誤 1；另略過 2 個檔案（隱藏檔 1、macOS 資源分支檔 1）；
    錯誤 4、警告 0、提示 1、無法驗證 2（甲.xlsx）；摘要見 …」.

    Each status of the books as often as it came, the files passed over (略過: no books, never counted among them)
    by why, then the books' findings counted as every report counts them (``results.count_summary``), naming the
    books with figures that could not be verified.
    """
    from collections import Counter

    from xlbudget.core.findings import RULES
    from xlbudget.forms.results import count_summary

    statuses: dict[str, int] = {}
    passed: dict[str, int] = {}
    counts: Counter = Counter()
    for r in results:
        if r.status == NOT_A_BOOK:
            why = RULES[r.reason].title if r.reason in RULES else r.reason
            passed[why] = passed.get(why, 0) + 1
            continue
        statuses[r.status] = statuses.get(r.status, 0) + 1
        counts.update(r.counts())
    unverified = [Path(r.source).name for r in results if r.unverifiable]
    which = ("（" + "、".join(unverified[:5]) + (f" 等 {len(unverified)} 本" if len(unverified) > 5 else "") + "）"
             if unverified else "")
    skipped = (f"；另略過 {sum(passed.values())} 個檔案（" + "、".join(f"{k} {v}" for k, v in passed.items())
               + "）" if passed else "")
    books = sum(statuses.values())  # none: «共 0 本（沒有預算書）», never «共 0 本：；» (field report 20 §3)
    return ("共 " + str(books) + " 本" + ("：" + "、".join(f"{k} {v}" for k, v in statuses.items()) if books else
                                        "（沒有可轉換的預算書）")
            + skipped + "；" + count_summary(counts) + which
            + ("；彙總無合計：各縣市機關數相同，請分開轉換" if any(r.left_out == "citywide-city-tie" for r in results) else "")
            + f"；摘要見 {Path(outdir) / SUMMARY_XLSX}")


# 機關編號 beside 機關: a budget office sorts and finds the books it collects by it (field report 20)
SUMMARY_COLUMNS = (("檔案", "source"), ("輸出", "output"), ("機關", "agency"), ("機關編號", "agency_code"), ("年度", "year"),
                   ("歲出合計（千元）", "expenditure"), ("錯誤", "errors"), ("警告", "warnings"), ("提示", "infos"),
                   ("無法驗證", "unverifiable"),
                   ("狀態", "status"), ("說明", "message"), ("原因代碼", "reason"), ("儲存格", "cell"), ("秒數", "seconds"),
                   ("未列入彙總合計", "left_out_note"), ("彙總原因代碼", "left_out"))
LEFT_OUT_COLUMNS = (("檔案", "source"), ("機關", "agency"), ("年度", "year"), ("原因代碼", "left_out"),
                    ("說明", "left_out_note"))
LEFT_OUT_WIDTHS = {"source": 30, "agency": 20, "year": 6, "left_out": 18, "left_out_note": 60}
LEFT_OUT_TITLE = "彙總—未列入合計的預算書"


def city_of(r: BookResult) -> str:
    """The 縣市 a book's 總預算 is of (core.keys.city_of: its 主管機關's, else its 機關名稱's); "" when neither names one
    (a name typed without it: such a book is never left out for it). A city's 彙總 gathers every 主管 of the city, so
    the 縣市 is what must agree, not the 主管機關."""
    return city_named(r.authority, r.agency)


# books left out of the 合計 though their agency is of its 縣市 and 年度: the 合計 line says it does not hold them
UNDECIDED = ("citywide-code-conflict", "citywide-agency-chain", "citywide-duplicate-differs")
# every book whose agency may be missing from the 合計: the undecided ones, and a book whose figures were not read (its
# agency's 歲出 is not in the 合計 and no other book of it stands in: a bare 「合計」 would be short without a word). Not
# a copy counted once (its figures are in) nor a book of another 縣市 or 年度 (known not to belong).
SHORT = UNDECIDED + ("citywide-unreadable", "citywide-unfilled", "citywide-printed-only", "citywide-city-tie",
                     "citywide-archive")
# an archive found in the folder that holds workbooks, or may (discovery._archive): an agency's book sent zipped
ARCHIVES = ("archive-with-books", "archive-unlisted", "archive-is-workbook", "archive-is-ods")
# of those, an archive known to hold a book (or to be one, renamed .zip): a book not converted, as one not read, and
# convert exits 2 for it (a script running convert sees an agency missing, not only the 合計 line's «未含待確認»)
ARCHIVED_BOOKS = ("archive-with-books", "archive-is-workbook", "archive-is-ods")


def select_citywide(results: list[BookResult]) -> list[BookResult]:
    """The books whose figures make the 彙總, one per agency, all of one 縣市 and one 年度; every other book that was
    read (or meant to be) gets ``left_out``: the rule id saying why, and a message naming the file it yields to.

    The 縣市 is the one most agencies name (city_of; copies of one agency's book one agency; on a tie none: every book
    left out, a book naming no 縣市 too, citywide-city-tie, naming the agencies counted for each), and the 年度 the one
    most of its books share (the later one on a tie); a book of another 縣市 or 年度 names a book the 合計 holds.
    Books sharing a 機關編號 (keys.code_key: 02004 is 02-004 spelt apart) or a 機關名稱
    (keys.agency_key: 台 is 臺) are one agency's (same_agency): counted once when their figures are the same; left
    out, all of them, when they differ (預算案 and 修正版: which is final is not known, never chosen by file name) or
    when one 機關編號 has two names (a code typed wrong, or one agency named two ways: not known which)."""
    from collections import Counter

    for r in results:
        r.left_out = r.left_out_note = ""
    shown = shown_names(results)
    books = [r for r in results if r.by_object or r.budget_line]
    read = {id(r) for r in books}  # by identity: ``r in books`` compared every field of every book (n² dataclass __eq__)
    for r in results:
        if id(r) in read:
            continue
        if r.reason == "printed-only":
            _leave_out(r, "citywide-printed-only", shown)
        elif r.status == UNFILLED:
            _leave_out(r, "citywide-unfilled", shown, what="是空白範本" if r.reason == "book-blank-template"
                       else f"尚未填寫完成（必填欄位空白 {r.errors} 格）")
        elif r.reason == "fund-book":  # known not to belong, as a 特別預算: no «未含待確認» for it
            _leave_out(r, "citywide-not-unit-budget", shown, kind="附屬單位預算", told="")
        elif r.status == UNREADABLE and r.reason not in ("folder-empty", "glob-empty", "folder-no-book",
                                                                 "glob-no-book"):
            _leave_out(r, "citywide-unreadable", shown, reason=r.reason or "")
        elif r.reason in ARCHIVES:  # 略過, but an agency's book may be in it: the 合計 says it may be short
            _leave_out(r, "citywide-archive", shown, why=r.message)
    from xlbudget.forms.inputs import guessed_kind

    other = [r for r in books if r.kind]  # a 特別預算 or 追加減預算: not an agency's 單位預算, nor its duplicate
    for r in other:
        _leave_out(r, "citywide-not-unit-budget", shown, kind=r.kind, told=guessed_kind(r.kind_told))
    books = _without(books, other)
    city = {id(r): city_of(r) for r in books}
    # the 縣市 of most agencies, not of most books: two copies of one agency's book are one agency (same_agency)
    agencies: dict[str, list[BookResult]] = {}
    for group in same_agency(books):
        for c in dict.fromkeys(city[id(r)] for r in group if city[id(r)]):
            agencies.setdefault(c, []).append(group[0])
    found = Counter({c: len(firsts) for c, firsts in agencies.items()})
    main_city = max(found, key=found.__getitem__) if found else ""
    tied = sorted(c for c in found if found[c] == found[main_city])
    if len(tied) > 1:  # 高雄 1, 臺中 1: which 縣市 the 彙總 is for is not known, never chosen by file name (field report 7 §3.5)
        counted = "；".join(f"{c}：{_some(shown[id(r)] for r in agencies[c])}" for c in tied)
        for r in books:
            _leave_out(r, "citywide-city-tie", shown, cities="、".join(tied), count=found[main_city], counted=counted,
                       unnamed="" if city[id(r)] else "（主管機關、機關名稱均未寫明縣市）")
        return []
    examples: list[tuple[BookResult, str, dict]] = []  # named once the books counted are known (_example)
    other = [r for r in books if city[id(r)] not in ("", main_city)]
    if other:  # 高雄 + 臺中 is no 合計 (field report 5 §1.3)
        for r in other:
            examples.append((r, "citywide-other-city", dict(city=city[id(r)], authority=r.authority or r.agency,
                                                            main=main_city)))
        books = _without(books, other)
    years = Counter(r.year for r in books if r.year)
    main_year = max(years, key=lambda y: (years[y], y)) if years else None
    other = [r for r in books if main_year is not None and r.year != main_year]
    if other:
        for r in other:
            examples.append((r, "citywide-other-year", dict(year=r.year if r.year else "不明", main=main_year)))
        books = _without(books, other)
    counted: list[BookResult] = []
    for group in same_agency(books):
        first, *others = group
        names = {agency_key(r.agency) for r in group if agency_key(r.agency)}
        chained = len({code_key(r.agency_code) for r in group}) > 1 or not code_key(first.agency_code)
        if len(names) > 1 and chained:  # 甲, 乙 one code, 乙, 丙 one name: no code the group shares to name
            links = _links(group, shown)
            for r in group:
                _leave_out(r, "citywide-agency-chain", shown, agency=r.agency or "機關名稱空白",
                           code=r.agency_code or "（無）", count=len(group), links=links,
                           others="、".join(shown[id(b)] for b in group if b is not r))
        elif len(names) > 1:  # one 機關編號, two names: which book holds the right code is not known
            for r in group:
                _leave_out(r, "citywide-code-conflict", shown, code=r.agency_code or "（無）",
                           books=_listed(_book_and_name(b, shown) for b in [r] + [b for b in group if b is not r]))
        elif any(_figures(r) != _figures(first) for r in others):  # 預算案 and 修正版: which is final is not known
            for r in group:
                _leave_out(r, "citywide-duplicate-differs", shown, agency=r.agency, code=r.agency_code or "（無）",
                           count=len(group), books=_listed(_book_and_total(b, shown) for b in [r] + [b for b in group
                                                                                                      if b is not r]))
        else:  # copies: the figures are the same whichever is counted
            counted.append(first)
            for r in others:
                _leave_out(r, "citywide-duplicate-agency", shown, other=shown[id(first)],
                           agency=r.agency or first.agency, code=r.agency_code or first.agency_code or "（無）")
    once = {id(r) for r in counted}
    kept = [r for r in books if id(r) in once]  # in the order found
    # a book of another 縣市 or 年度 names a book the 合計 holds as its example, never one itself left out
    none = "（但其各本也都未列入合計，原因見各本）"
    of_city = next((r for r in kept if city[id(r)] == main_city), None)
    for r, rule, fields in examples:
        example = of_city if rule == "citywide-other-city" else (kept[0] if kept else None)
        _leave_out(r, rule, shown, other=f"（如 {shown[id(example)]}）" if example is not None else none, **fields)
    return kept


def _some(names, most: int = 3) -> str:
    """「甲.xlsx、乙.xlsx」, or the first ``most`` and how many in all: 「甲.xlsx、乙.xlsx、丙.xlsx 等 40 個機關」."""
    names = list(names)
    return "、".join(names) if len(names) <= most else "、".join(names[:most]) + f" 等 {len(names)} 個機關"


def _without(books: list[BookResult], gone: list[BookResult]) -> list[BookResult]:
    """``books`` but those of ``gone``, by identity, in their order."""
    ids = {id(r) for r in gone}
    return [r for r in books if id(r) not in ids]


def _leave_out(r: BookResult, rule: str, shown: dict[int, str], **fields) -> None:
    from xlbudget.core.findings import make_finding

    r.left_out, r.left_out_note = rule, make_finding(rule, None, name=shown[id(r)], **fields).message


def shown_names(results: list[BookResult]) -> dict[int, str]:
    """Each book's name in the 彙總 (its column, its messages), by id: the file's name, or the path as found when
    another book has that name too (a city's agencies each in a folder of their own, each book 單位預算.xlsx: one
    name for two agencies made their two columns of the 彙總 one, and named 「甲.xlsx 與 甲.xlsx」)."""
    from collections import Counter

    names = [Path(r.source).name for r in results]
    counts = Counter(names)  # names.count for each book was n² (300 books: 90,000 comparisons, twice a batch)
    return {id(r): name if counts[name] == 1 else r.source for r, name in zip(results, names)}


def same_agency(books: list[BookResult]) -> list[list[BookResult]]:
    """``books`` as agencies: groups of the books linked by a shared 機關編號 (code_key) or 機關名稱 (agency_key),
    each in the order found, the groups in the order of their first book."""
    parent = list(range(len(books)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, r in enumerate(books):
        for key in (("code", code_key(r.agency_code)), ("name", agency_key(r.agency))):
            if key[1]:
                a, b = root(i), root(first.setdefault(key, i))
                parent[max(a, b)] = min(a, b)  # a group's root is its first book
    groups: dict[int, list[BookResult]] = {}
    for i, r in enumerate(books):
        groups.setdefault(root(i), []).append(r)
    return list(groups.values())


def _links(group: list[BookResult], shown: dict[int, str]) -> str:
    """What links one agency's books (same_agency): 「甲.xlsx 與 乙.xlsx 機關編號同為 02-001；乙.xlsx 與 丙.xlsx 機關名稱
    同為 乙處」, each 機關編號 and 機關名稱 two or more books share, as the first of them typed it."""
    said = []
    for what, key, typed in (("機關編號", code_key, lambda r: r.agency_code), ("機關名稱", agency_key, lambda r: r.agency)):
        sharing: dict[str, list[BookResult]] = {}
        for r in group:
            if key(typed(r)):
                sharing.setdefault(key(typed(r)), []).append(r)
        said += [f"{_listed(shown[id(b)] for b in books)} {what}同為 {typed(books[0])}"
                 for books in sharing.values() if len(books) > 1]
    return "；".join(said)


def _figures(r: BookResult) -> tuple:
    """What the 彙總 adds of a book: two books with these equal are one agency's copies, whichever is counted."""
    return r.budget_line, r.by_object


def _listed(texts) -> str:
    """「甲 與 乙」, 「甲、乙 與 丙」."""
    texts = list(texts)
    return "、".join(texts[:-1]) + " 與 " + texts[-1] if len(texts) > 1 else "".join(texts)


def _book_and_name(r: BookResult, shown: dict[int, str]) -> str:
    return f"{shown[id(r)]}（{r.agency or '機關名稱空白'}）"


def _book_and_total(r: BookResult, shown: dict[int, str]) -> str:
    from xlbudget.core.amounts import format_figure

    total = "歲出不明" if r.expenditure is None else f"歲出 {format_figure(r.expenditure)} 千元"
    return f"{shown[id(r)]}（{total}）"


def by_agency_code(books: list[BookResult]) -> list[BookResult]:
    """The 彙總's agencies in 機關編號 order (02-001, 02-002, …; then those with none, by name), as the city prints
    them, never in the order the folders were walked (field report 4 §6: 子資料夾 books came first)."""
    def key(r: BookResult):
        digits = re.sub(r"\D", "", r.agency_code)
        return (not digits, digits, r.agency, r.source)

    return sorted(books, key=key)


CITY_NAMES_WIDTH = 60  # the 彙總's title names its agencies while they fit, else counts them


def citywide_name(counted: list[BookResult]) -> str:
    """The 彙總's agency line: 彙總（甲局、乙處） in 機關編號 order, or 彙總（N 個機關） when the names do not fit, never a
    name cut in two (field report 4 §6: 「彙總（…、高雄市政府測試機）」)."""
    names = list(dict.fromkeys(r.agency for r in by_agency_code(counted) if r.agency))
    joined = "、".join(names)
    if not names:  # every book left out (each named under the table), never an empty 「彙總（）」
        return "彙總（無機關列入合計）"
    return f"彙總（{joined}）" if len(joined) <= CITY_NAMES_WIDTH else f"彙總（{len(names)} 個機關）"


def citywide_year(results: list[BookResult], counted: list[BookResult]) -> str:
    """The 彙總's year line: 中華民國N年度 of the books in its 合計, or that their years differ or are unknown."""
    years = sorted({r.year for r in counted if r.year}) or sorted({r.year for r in results if r.year})
    if len(years) == 1:
        return f"中華民國{years[0]}年度"
    if years:
        return "年度不一（" + "、".join(f"{y}年度" for y in years) + "）"
    return "年度不明"


def citywide_tables(results: list[BookResult]):
    """The 彙總: agencies' 歲出機關別預算表 lines and 各項費用彙計表 added up (千元, rounded from 元 totals)."""
    from xlbudget.core import codes
    from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TEXT, TOTAL, Column, Row, Table

    books = by_agency_code(select_citywide(results))
    shown = shown_names(results)  # each book's column its own, whatever other folders' books are named
    undecided = sum(r.left_out in SHORT for r in results)
    # the 合計 line says what it holds: not the books left out that may be its agencies' (each listed under it)
    total = f"合計（未含待確認 {undecided} 本，見下）" if undecided else "合計"
    agency_cols = (Column("機關", ("機關",), LABEL, 28), Column("本年度預算數", ("本年度預算數",), AMOUNT, 14),
                   Column("上年度預算數", ("上年度預算數",), AMOUNT, 14),
                   Column("前年度決算數", ("前年度決算數",), AMOUNT, 14),
                   Column("本年度與上年度比較", ("本年度與上年度比較",), AMOUNT, 14),
                   Column("備註", ("備註",), TEXT, 20))

    def agency_cells(label, lines) -> dict:
        current = to_thousands(sum(l["本年度預算數"] for l in lines))
        lasts = [l["上年度預算數"] for l in lines if l.get("上年度預算數") is not None]
        finals = [l["前年度決算數"] for l in lines if l.get("前年度決算數") is not None]
        last = sum(lasts) if lasts else None
        return {"機關": label, "本年度預算數": current, "上年度預算數": last,
                "前年度決算數": sum(finals) if finals else None,
                "本年度與上年度比較": None if last is None else current - last, "備註": None}

    rows = [Row("合計", total, agency_cells(total, [r.budget_line for r in books]), TOTAL)]
    # a book with errors is added as typed: its row says so (field report 9 §5.7), the line under the table how many
    rows += [Row(shown[id(r)], r.agency, {**agency_cells(r.agency, [r.budget_line]),
                                          "備註": FLAGGED if r.errors else None}, ITEM, 1) for r in books]
    agency_table = Table("彙總—歲出機關別預算表", "千元", agency_cols, tuple(rows))

    columns = [Column("科目", ("第一、二級用途別科目名稱及編號",), LABEL, 28)]
    # a column a book, keyed by the name shown_names gives it (甲局/預算書.xlsx and 乙處/預算書.xlsx: keyed by the
    # file name alone, both columns showed the second's figures)
    keys = [shown[id(r)] for r in books]
    for r, key in zip(books, keys):  # a book with errors: its agency marked in the header (flagged_line says why)
        columns.append(Column(key, ((r.agency or key) + (FLAG if r.errors else ""),), AMOUNT, 13))
    columns.append(Column("合計", ("合計",), AMOUNT, 14))
    all_codes = sorted({c for r in books for c in r.by_object})
    names = codes.object_codes()

    by_level1 = []  # each book's 元 by 一級 code, added once (not again for every row: rows × books × codes was n²)
    for r in books:
        sums: dict[str, int] = {}
        for c, v in r.by_object.items():
            l1 = codes.level1_of(c)
            sums[l1] = sums.get(l1, 0) + v
        by_level1.append(sums)

    def code_cells(label, amounts) -> dict:
        """A row: ``amounts`` are each book's 元 of it, None for a book with none of its codes (a blank cell)."""
        cells: dict = {"科目": label}
        grand = 0
        for key, yuan in zip(keys, amounts):
            if yuan is not None:
                cells[key] = to_thousands(yuan)
                grand += yuan
        cells["合計"] = to_thousands(grand)
        return cells

    rows = [Row("合計", total, code_cells(total, [sum(r.by_object.values()) if r.by_object else None for r in books]),
                TOTAL)]
    for l1 in sorted({codes.level1_of(c) for c in all_codes}):
        name = names[l1].name if l1 in names else ""
        rows.append(Row(l1, name, code_cells(f"{l1}00{name}", [sums.get(l1) for sums in by_level1]), GROUP))
        for code in (c for c in all_codes if codes.level1_of(c) == l1):
            name = names[code].name if code in names else "（未列科目）"
            rows.append(Row(code, name, code_cells(f"\u3000{code}00{name}", [r.by_object.get(code) for r in books]),
                            ITEM, 1))
    summary_table = Table("彙總—各項費用彙計表", "千元", tuple(columns), tuple(rows))
    return agency_table, summary_table


FLAG = "＊"  # after an agency's name in the 彙總—各項費用彙計表's header: its book has errors
FLAGGED = "有錯誤，數字待確認"  # the 彙總's 備註 of such a book


def flagged_line(count: int, starred: bool) -> str:
    """A line under a 彙總 table: how many of the books its 合計 holds have errors (added as typed, field report
    9 §5.7), and how they are marked: the 備註 of their rows, or a ＊ after their agencies' names (``starred``)."""
    if starred:
        return f"{FLAG}：預算書有錯誤，數字待確認（{count} 本，見「摘要」）"
    return f"備註「{FLAGGED}」者 {count} 本：預算書有錯誤，各本錯誤見「摘要」工作表"


def rounding_gap(table) -> int:
    """The largest difference, in 千元, between a total a 彙總 table prints and the sum of the parts it prints
    (尾差: every figure is rounded once from its own 元 total, README): down a column, a 合計 or 一級 row against
    the rows it holds; across a row, the 合計 column against the agencies' columns (field report 9 §6.2: at 38
    agencies up to 17 千元). 0 when every printed total is the sum of its printed parts."""
    from xlbudget.core.tables import AMOUNT, GROUP, TOTAL
    from xlbudget.rules.common import direct_children

    depth = {TOTAL: 0, GROUP: 1}
    levels = [depth.get(row.style, 2) for row in table.rows]
    amounts = [c.key for c in table.columns if c.kind == AMOUNT]
    parts = [k for k in amounts if k != "合計"] if "合計" in amounts else []

    def value(row, key) -> int:
        return row.cells.get(key) or 0

    gap = 0
    for i, row in enumerate(table.rows):
        children = [table.rows[j] for j in direct_children(levels, i)]
        for key in amounts if children else ():
            gap = max(gap, abs(value(row, key) - sum(value(c, key) for c in children)))
        if parts:
            gap = max(gap, abs(value(row, "合計") - sum(value(row, k) for k in parts)))
    return gap


def rounding_line(gap: int) -> str:
    """A line under a 彙總 table whose totals differ from the sum of their printed parts (rounding_gap)."""
    return f"合計由元數加總後四捨五入，與千元數之和有尾差（至多 {gap:,} 千元）"


def left_out_line(count: int) -> str:
    """The 彙總's line under its table: how many books its 合計 leaves out, and the sheet that lists them."""
    return f"未列入上列合計的預算書 {count} 本：各本及原因見「{LEFT_OUT_TITLE}」工作表"


def left_out_table(results: list[BookResult]):
    """The books left out of the 彙總's 合計 (select_citywide's ``left_out``), and why: a table of its own sheet,
    printed as a table is (fitted to its own width, its header on every page, 說明 wrapped), never rows under the
    彙總 whose long 說明 widened the page until the figures printed tiny."""
    from xlbudget.core.tables import TEXT, Column, Row, Table

    columns = tuple(Column(key, (title,), TEXT, LEFT_OUT_WIDTHS[key]) for title, key in LEFT_OUT_COLUMNS)
    rows = tuple(Row(r.source, r.agency, {key: getattr(r, key) for _, key in LEFT_OUT_COLUMNS})
                 for r in results if r.left_out)
    return Table(LEFT_OUT_TITLE, "", columns, rows)


def _lines_under(layout, lines: list[tuple[str, bool]], columns: list[int]) -> list[tuple]:
    """write_report's cells for ``lines`` (text, bold) under a laid-out table, one a row, after a blank row, in each
    of ``columns`` (0-based)."""
    return [(len(layout.values) + 2 + n, c, text, bold) for n, (text, bold) in enumerate(lines) for c in columns]


def write_summary(results: list[BookResult], outdir: Path) -> None:
    """轉換摘要.xlsx (摘要 and 彙總 sheets) and 轉換摘要.json in ``outdir``.

    The workbook is written with XlsxWriter (adapters.xlsxbook.write_report), in printing's table styles:
    convert imports no openpyxl."""
    from xlbudget.adapters.atomic import write_atomic
    from xlbudget.adapters.xlsxbook import write_report
    from xlbudget.forms.layout import layout_table
    from xlbudget.forms.pages import wide_list_page
    from xlbudget.core.model import Agency

    agency_table, summary_table = citywide_tables(results)  # first: it says which books are left out of 合計
    rows = [(0, c, title, True) for c, (title, _) in enumerate(SUMMARY_COLUMNS)]
    rows += [(r, c, getattr(result, key), False) for r, result in enumerate(results, 1)
             for c, (_, key) in enumerate(SUMMARY_COLUMNS)]
    widths = dict(enumerate((36, 36, 24, 12, 6, 14, 6, 6, 6, 8, 10, 60, 20, 24, 8, 60, 24)))
    counted = [r for r in results if (r.by_object or r.budget_line) and not r.left_out]
    city = Agency(citywide_name(counted), "", 0, "", "")
    year = citywide_year(results, counted)
    first, second = layout_table(agency_table, city), layout_table(summary_table, city)
    for layout in (first, second):  # the books' 民國 year, not one Agency stands for (on every page's title)
        layout.values[2] = [None if v is None else year for v in layout.values[2]]
    listed = []
    left_out = [r for r in results if r.left_out]
    flagged = sum(1 for r in counted if r.errors)
    # said under each table, a line each within its width: how many books it leaves out (the books and why on a
    # sheet of their own), how many of those it holds have errors, and its totals' 尾差
    under: tuple[list, list] = ([(left_out_line(len(left_out)), True)] if left_out else [], [])
    for lines, table, starred in zip(under, (agency_table, summary_table), (False, True)):
        if flagged:
            lines.append((flagged_line(flagged, starred), True))
        if gap := rounding_gap(table):
            lines.append((rounding_line(gap), False))
    # the 彙計表's printed across pages: on each page, at its first agency's column (the 科目 column, printed on
    # every page, is too narrow: its line, cut, printed under each page's own)
    notes = _lines_under(first, under[0], [0])
    second_notes = _lines_under(second, under[1], [0] if len(second.pages) == 1 else
                                [max(first, second.title_cols + 1) - 1 for first, _ in second.pages])
    if left_out:
        table = left_out_table(results)
        third = layout_table(table, city)
        third.values[2] = [None if v is None else year for v in third.values[2]]
        listed.append((table.sheet_name, [], [(0, third)], {}, None))
    write_atomic(outdir / SUMMARY_XLSX, lambda tmp: write_report(tmp, [
        ("摘要", rows, [], widths, wide_list_page(widths.values())),
        ("彙總", notes, [(0, first)], {}, None), *listed,
        # one column an agency: a sheet of its own, printed across pages of a few agencies each with its title and
        # labels (forms.layout.column_pages), where below the agencies' lines it printed as one page's width
        (summary_table.sheet_name, second_notes, [(0, second)], {}, None)]))
    data = {"books": [r.record(leave=("by_object", "budget_line")) for r in results],
            "彙總": {"年度": year, "歲出機關別預算表": [dict(row.cells) for row in agency_table.rows],
                   "各項費用彙計表": [dict(row.cells) for row in summary_table.rows],
                   "未列入合計": [{title: getattr(r, key) for title, key in LEFT_OUT_COLUMNS} for r in left_out]}}
    write_text_atomic(outdir / SUMMARY_JSON, json.dumps(data, ensure_ascii=False, indent=1))
