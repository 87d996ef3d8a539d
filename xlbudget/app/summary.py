"""What a batch conversion reports: each book's result, the 轉換摘要 workbook and JSON, and the city-wide 彙總."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xlbudget.adapters.atomic import write_text_atomic
from xlbudget.core.amounts import to_thousands

SUMMARY_XLSX = "轉換摘要.xlsx"
SUMMARY_JSON = "轉換摘要.json"
OK, FINDINGS, UNREADABLE, SKIPPED = "完成", "有錯誤", "無法讀取", "未變更略過"


@dataclass
class BookResult:
    """One row of the summary: what happened to one input book."""

    source: str
    output: str = ""
    agency: str = ""
    year: int | None = None
    expenditure: int | None = None  # 歲出合計, 千元
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    status: str = OK
    message: str = ""
    seconds: float = 0.0
    # why, as data: a rule id of core/findings (the first input problem's, or the file's) and its cell, if any
    reason: str = ""
    cell: str = ""
    # for the city-wide 彙總: 元 totals by 用途別 code, and the agency's 機關別 line
    by_object: dict[str, int] = field(default_factory=dict)
    budget_line: dict[str, int | None] = field(default_factory=dict)


def summary_line(results: list[BookResult], outdir: str | Path) -> str:
    """convert's last line: 「共 3 本：完成 2、有錯誤 1；摘要見 OUT/轉換摘要.xlsx」 (each status as often as it came)."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return ("共 " + str(len(results)) + " 本：" + "、".join(f"{k} {v}" for k, v in counts.items())
            + f"；摘要見 {Path(outdir) / SUMMARY_XLSX}")


SUMMARY_COLUMNS = (("檔案", "source"), ("輸出", "output"), ("機關", "agency"), ("年度", "year"),
                   ("歲出合計（千元）", "expenditure"), ("錯誤", "errors"), ("警告", "warnings"), ("提示", "infos"),
                   ("狀態", "status"), ("說明", "message"), ("原因代碼", "reason"), ("儲存格", "cell"), ("秒數", "seconds"))


def citywide_tables(results: list[BookResult]):
    """The 彙總: agencies' 歲出機關別預算表 lines and 各項費用彙計表 added up (千元, rounded from 元 totals)."""
    from xlbudget.core import codes
    from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TOTAL, Column, Row, Table

    books = [r for r in results if r.by_object]
    agency_cols = (Column("機關", ("機關",), LABEL, 28), Column("本年度預算數", ("本年度預算數",), AMOUNT, 14),
                   Column("上年度預算數", ("上年度預算數",), AMOUNT, 14),
                   Column("前年度決算數", ("前年度決算數",), AMOUNT, 14),
                   Column("本年度與上年度比較", ("本年度與上年度比較",), AMOUNT, 14))

    def agency_cells(label, lines) -> dict:
        current = to_thousands(sum(l["本年度預算數"] for l in lines))
        lasts = [l["上年度預算數"] for l in lines if l.get("上年度預算數") is not None]
        finals = [l["前年度決算數"] for l in lines if l.get("前年度決算數") is not None]
        last = sum(lasts) if lasts else None
        return {"機關": label, "本年度預算數": current, "上年度預算數": last,
                "前年度決算數": sum(finals) if finals else None,
                "本年度與上年度比較": None if last is None else current - last}

    rows = [Row("合計", "合計", agency_cells("合計", [r.budget_line for r in books]), TOTAL)]
    rows += [Row(Path(r.source).name, r.agency, agency_cells(r.agency, [r.budget_line]), ITEM, 1) for r in books]
    agency_table = Table("彙總—歲出機關別預算表", "千元", agency_cols, tuple(rows))

    columns = [Column("科目", ("第一、二級用途別科目名稱及編號",), LABEL, 28)]
    keys = []
    for r in books:
        key = Path(r.source).name
        keys.append(key)
        columns.append(Column(key, (r.agency or key,), AMOUNT, 13))
    columns.append(Column("合計", ("合計",), AMOUNT, 14))
    all_codes = sorted({c for r in books for c in r.by_object})
    names = codes.object_codes()

    def code_cells(label, select) -> dict:
        cells: dict = {"科目": label}
        grand = 0
        for r, key in zip(books, keys):
            yuan = sum(v for c, v in r.by_object.items() if select(c))
            if any(select(c) for c in r.by_object):
                cells[key] = to_thousands(yuan)
            grand += yuan
        cells["合計"] = to_thousands(grand)
        return cells

    rows = [Row("合計", "合計", code_cells("合計", lambda c: True), TOTAL)]
    for l1 in sorted({codes.level1_of(c) for c in all_codes}):
        name = names[l1].name if l1 in names else ""
        rows.append(Row(l1, name, code_cells(f"{l1}00{name}", lambda c, l1=l1: codes.level1_of(c) == l1), GROUP))
        for code in (c for c in all_codes if codes.level1_of(c) == l1):
            name = names[code].name if code in names else "（未列科目）"
            rows.append(Row(code, name, code_cells(f"\u3000{code}00{name}", lambda c, code=code: c == code), ITEM, 1))
    summary_table = Table("彙總—各項費用彙計表", "千元", tuple(columns), tuple(rows))
    return agency_table, summary_table


def write_summary(results: list[BookResult], outdir: Path) -> None:
    """轉換摘要.xlsx (摘要 and 彙總 sheets) and 轉換摘要.json in ``outdir``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from xlbudget.core.formulas import keep_text
    from xlbudget.forms.layout import layout_table
    from xlbudget.core.model import Agency
    from xlbudget.adapters.printing import write_layout
    from xlbudget.adapters.xlsxfile import save_atomic

    wb = Workbook()
    ws = wb.active
    ws.title = "摘要"
    ws.append([title for title, _ in SUMMARY_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in results:
        ws.append([getattr(r, key) for _, key in SUMMARY_COLUMNS])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            keep_text(cell)  # a file name or a message may start with '='
    for col, width in zip("ABCDEFGHIJKLM", (36, 36, 24, 6, 14, 6, 6, 6, 10, 60, 20, 24, 8)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    agency_table, summary_table = citywide_tables(results)
    years = sorted({r.year for r in results if r.year})
    city = Agency("彙總（" + "、".join(sorted({r.agency for r in results if r.agency}))[:60] + "）",
                  "", years[0] if len(years) == 1 else 0, "", "")
    sheet = wb.create_sheet("彙總")
    first = layout_table(agency_table, city)
    write_layout(sheet, first)
    write_layout(sheet, layout_table(summary_table, city), top=len(first.values) + 3)
    save_atomic(wb, outdir / SUMMARY_XLSX)
    data = {"books": [{k: v for k, v in asdict(r).items() if k not in ("by_object", "budget_line")} for r in results],
            "彙總": {"歲出機關別預算表": [dict(row.cells) for row in agency_table.rows],
                   "各項費用彙計表": [dict(row.cells) for row in summary_table.rows]}}
    write_text_atomic(outdir / SUMMARY_JSON, json.dumps(data, ensure_ascii=False, indent=1))
