"""Findings point at the fix: when 數量 × 單價 ≠ 預算數, the three cells are marked together and none is called wrong.

The seed's 歲出明細 row 3 is 1020 約聘人員薪資: 數量 1 × 單價 4,410,710 = 預算數 4,410,710 (cells F3, G3, H3).
A typo in 單價 (4,410,170) leaves 預算數 right: marking 預算數 alone with 應為 = 1 × 4,410,170 would send the
officer to the one cell that is right.
"""

import json

import openpyxl
import pytest

from xlbudget.app.check import check_workbook
from xlbudget.forms.results import RESULT_SHEET
from xlbudget.cli import main
from xlbudget.app.example import example_workbook
from xlbudget.core.findings import Severity, item_product_finding, marked_cells
from xlbudget.adapters.marking import AUTHOR, FILLS
from xlbudget.core.model import CellRef
from xlbudget.adapters.xlsxfile import save_atomic

RED = FILLS[Severity.ERROR]


def price_typo(tmp_path, sheet="歲出明細", row=3):
    wb = example_workbook()
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    price = ws.cell(row, header.index("單價") + 1)
    if sheet == "歲出明細":
        assert (ws.cell(row, header.index("數量") + 1).value, price.value) == (1, 4_410_710)
        price.value = 4_410_170  # 7 and 1 swapped
    else:
        price.value += 10
    return save_atomic(wb, tmp_path / "book.xlsx"), header


def test_the_three_cells_are_one_finding(tmp_path, capsys):
    path, _ = price_typo(tmp_path)
    assert main(["check", str(path), "--format", "json"]) == 1
    records = [r for r in json.loads(capsys.readouterr().out) if r["rule"] == "item-product-mismatch"]
    assert len(records) == 1
    (r,) = records
    assert (r["sheet"], r["cell"]) == ("歲出明細", "H3")
    assert set(r["related"]) == {"book.xlsx:歲出明細!F3", "book.xlsx:歲出明細!G3"}


def test_mark_fills_all_three_and_claims_none(tmp_path):
    path, _ = price_typo(tmp_path)
    out = tmp_path / "marked.xlsx"
    assert main(["check", str(path), "--mark", "-o", str(out)]) == 1
    wb = openpyxl.load_workbook(out)
    ws = wb["歲出明細"]
    for cell in ("F3", "G3", "H3"):
        assert ws[cell].fill.fgColor.rgb == RED, cell
        assert ws[cell].comment.author == AUTHOR and "item-product-mismatch" in ws[cell].comment.text
        assert "應為" not in ws[cell].comment.text  # none of the three is said to be the right one
    assert ws["F3"].value == 1 and ws["G3"].value == 4_410_170 and ws["H3"].value == 4_410_710  # values untouched
    results = [[c.value for c in row] for row in wb[RESULT_SHEET].iter_rows()]
    header = results.index(["序號", "嚴重度", "規則", "規則名稱", "位置", "應為", "實為", "說明", "一併標示"])
    rows = [r for r in results[header + 1:] if r[2] == "item-product-mismatch" and r[0]]
    assert len(rows) == 1  # listed once
    assert rows[0][4] == "歲出明細!H3" and rows[0][5:7] == [None, None]
    assert rows[0][8] == "歲出明細!F3、歲出明細!G3"
    # --clear takes all three fills and notes away
    cleared = tmp_path / "cleared.xlsx"
    assert main(["check", str(out), "--clear", "-o", str(cleared)]) == 0
    ws = openpyxl.load_workbook(cleared)["歲出明細"]
    for cell in ("F3", "G3", "H3"):
        assert ws[cell].fill.fgColor.rgb != RED and ws[cell].comment is None, cell


def test_revenue_lines_mark_their_three_cells_too(tmp_path):
    # 歲入明細 row 2: 數量 1 × 單價 57,019,000 = 預算數 57,019,000 (H2, I2, J2); 單價 typed 10 more
    path, header = price_typo(tmp_path, "歲入明細", 2)
    report = check_workbook(openpyxl.load_workbook(path), file=path.name)
    found = [f for f in report.findings if f.rule == "item-product-mismatch"]
    assert [{c.cell for c in marked_cells(f)} for f in found] == [{"H2", "I2", "J2"}]


def test_the_cli_names_the_three_cells(tmp_path, capsys):
    path, _ = price_typo(tmp_path)
    main(["check", str(path)])
    line = next(l for l in capsys.readouterr().out.splitlines() if "item-product-mismatch" in l)
    assert "歲出明細!H3" in line and "F3" in line and "G3" in line


@pytest.mark.parametrize("quantity,price,amount,found", [
    (1, 4_410_710, 4_410_710, False), (1, 4_410_170, 4_410_710, True), (3, 1_000, 3_001, True),
    (None, 1_000, 3_000, False), (3, None, 3_000, False), (3, 1_000, None, False), (0, 5, 0, False),
])
def test_one_rule_decides(quantity, price, amount, found):
    cells = [CellRef("歲出明細", c) for c in ("H2", "F2", "G2")]
    f = item_product_finding(quantity, price, amount, *cells, str(quantity))
    assert (f is not None) == found
    if f:
        assert f.cell == cells[0] and marked_cells(f) == tuple(cells)
