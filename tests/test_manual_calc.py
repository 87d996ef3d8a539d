"""A book saved in manual calculation with a formula's result out of date (field report 11 §5.2): 歲出明細!H2 is
=F2*G2, 單價 G2 raised from 25,356,370 to 26,000,000, and Excel (公式 → 計算選項 → 手動) saved H2's old result.
check and build read the saved 25,356,370 (item-product-mismatch: 1 × 26,000,000 ≠ 25,356,370) and now also say
why, once, at the formula's cell: manual-calc-stale, naming 手動計算 and H2 with its formula."""

import re
import shutil
import zipfile

import openpyxl
import pytest

from xlbudget.app.check import check_file
from xlbudget.app.pipeline import build_file

from test_convert import EXAMPLE


def _book(tmp_path, mode: str | None):
    """The example with G2 = 26,000,000 and H2 = =F2*G2 whose saved result is the old 25,356,370 (1 × 25,356,370,
    the example's own line), in calculation mode ``mode`` (None: automatic, Excel's default, no calcMode)."""
    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    ws = wb["歲出明細"]
    assert (ws["F2"].value, ws["G2"].value, ws["H2"].value) == (1, 25_356_370, 25_356_370)
    ws["G2"], ws["H2"] = 26_000_000, "=F2*G2"
    wb.save(plain)
    book = tmp_path / f"預算-{mode or 'auto'}.xlsx"
    with zipfile.ZipFile(plain) as zi, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zi.infolist():
            data = zi.read(item)
            if item.filename == "xl/workbook.xml":
                text = re.sub(r"<calcPr[^>]*/>", "", data.decode())
                calc = f' calcMode="{mode}"' if mode else ""
                data = text.replace("</workbook>", f'<calcPr calcId="191029"{calc}/></workbook>').encode()
            data = data.replace(b"<f>F2*G2</f><v></v>", b"<f>F2*G2</f><v>25356370</v>")
            zo.writestr(item, data)
    plain.unlink()
    return book


def _at(findings, rule):
    return [(f.cell.sheet, f.cell.cell) for f in findings if f.rule == rule]


def test_manual_calculation_is_named_at_the_formula_check_and_build_read(tmp_path):
    book = _book(tmp_path, "manual")
    report, _, _ = check_file(book, workbook=False)
    assert _at(report.findings, "item-product-mismatch") == [("歲出明細", "H2")]  # as before: kept
    stale = [f for f in report.findings if f.rule == "manual-calc-stale"]
    assert [(f.cell.sheet, f.cell.cell) for f in stale] == [("歲出明細", "H2")]
    assert "手動計算" in stale[0].message and "=F2*G2" in stale[0].message
    marked, _, _ = check_file(book, workbook=True)  # check --mark's reading through openpyxl: the same
    assert _at(marked.findings, "manual-calc-stale") == [("歲出明細", "H2")]
    result = build_file(book, tmp_path / "輸出.xlsx")
    assert _at(result.findings, "manual-calc-stale") == [("歲出明細", "H2")]


@pytest.mark.parametrize("mode", [None, "auto"])
def test_a_book_calculated_automatically_has_no_such_finding(tmp_path, mode):
    """Saved calculated automatically, H2's result is what Excel computed: the mismatch is the officer's to fix,
    never put down to manual calculation."""
    report, _, _ = check_file(_book(tmp_path, mode), workbook=False)
    assert _at(report.findings, "item-product-mismatch") == [("歲出明細", "H2")]
    assert _at(report.findings, "manual-calc-stale") == []


def test_manual_calculation_with_no_formula_among_the_findings_says_nothing(tmp_path):
    book = tmp_path / "預算.xlsx"
    shutil.copy(EXAMPLE, book)
    with zipfile.ZipFile(book) as z:
        assert b"calcMode" not in z.read("xl/workbook.xml")
    wb = openpyxl.load_workbook(book)
    wb["歲出明細"]["H2"] = 25_356_371  # typed, not a formula: 1 × 25,356,370 ≠ 25,356,371
    wb.calculation.calcMode = "manual"
    wb.save(book)
    with zipfile.ZipFile(book) as z:
        assert b'calcMode="manual"' in z.read("xl/workbook.xml")
    report, _, _ = check_file(book, workbook=False)
    assert _at(report.findings, "item-product-mismatch") == [("歲出明細", "H2")]
    assert _at(report.findings, "manual-calc-stale") == []
