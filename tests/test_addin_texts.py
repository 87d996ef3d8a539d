"""Texts the buttons write into a live book as they were read stay text: Excel reads a written value as if typed
(「04020180301」 → the number 4020180301, its leading 0 gone; 「1/2」 → a date), so 匯出 and 新年度 send each text with
Excel's text prefix (formulas.as_text), as they send formula-like text. Through xlwings' own engine: the values are
those sent to Excel, prefix and all. The example's 歲入 科目 04020180301 一般賠償收入 (seed 歲入來源別預算表)."""

from __future__ import annotations

from xlwings_json import book_json, run_script, sheet_order  # XLWINGS_ON_SERVER first

import xlbudget.addin as addin
from xlbudget.app.example import example_workbook
from xlbudget.core.formulas import Formula, as_text


def test_as_text():
    assert [as_text(v) for v in ("04020180301", "1/2", "TRUE", "=見附件", "'引號", "", 5, None)] == [
        "'04020180301", "'1/2", "'TRUE", "'=見附件", "''引號", "", 5, None]
    assert as_text(Formula("=F2*G2")) == "=F2*G2"


def test_export_writes_codes_as_text():
    """Red before: 匯出資料 got 「04020180301」 bare (the number 4020180301 in Excel, and in the CSV saved from it)."""
    payload = book_json(example_workbook())
    actions = run_script(addin, "export_data", payload)
    position = sheet_order(payload, actions).index("匯出資料")
    sent = [v for a in actions if a["func"] == "setValues" and a["sheet_position"] == position
            for row in a["values"] for v in row]
    assert "'04020180301" in sent and "04020180301" not in sent
    assert "'table" in sent and 275795 in sent  # the header, a figure as a number
