"""The buttons in a book Excel calculates by hand (公式 → 計算選項 → 手動), through xlwings' own engine: what they read
of a formula is its shown result, which may be the last calculation's. The example's 歲出明細!H2 is =F2*G2, 單價 G2
raised from 25,356,370 to 26,000,000 and H2 still showing the old 25,356,370 (1 × 25,356,370). Before, the buttons
read it as if calculated and said nothing of the mode (check and build say it: tests/test_manual_calc.py); now 執行紀錄
names the mode and the formula cells, and 檢核 lists manual-calc-stale at H2 as check does. Desktop Excel reads
formulas (played by xlwings_json.desktop_cells); xlwings Lite reads none: there the mode alone is said."""

from __future__ import annotations

import pytest

from xlwings_json import book_json, desktop_cells, run_script, sheet_order, sheet_values  # XLWINGS_ON_SERVER first

import xlbudget.addin as addin
from xlbudget.app.example import example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES

LINE = ("注意：Excel 的計算選項為「手動」（公式 → 計算選項 → 手動）：輸入工作表中的公式 1 格（歲出明細!H2（=F2*G2））"
        "的結果可能是上次計算時的，與目前的儲存格不符；xlbudget 讀的是 Excel 目前顯示的結果（manual-calc-stale）。"
        "請按 F9 重新計算後再按一次「{}」（或將計算選項改為自動）。")


def _payload(monkeypatch, mode: str | None, desktop: bool = True):
    """The example as Excel shows it (H2 25,356,370 beside G2 26,000,000) in calculation ``mode`` (the Office.js
    name; None: a client that sends none), its H2 read as =F2*G2 where ``desktop``."""
    shown, typed = example_workbook(), example_workbook()
    for wb in (shown, typed):
        ws = wb[SHEET_EXPENSES]
        assert (ws["F2"].value, ws["G2"].value, ws["H2"].value) == (1, 25_356_370, 25_356_370)
        ws["G2"] = 26_000_000
    typed[SHEET_EXPENSES]["H2"] = "=F2*G2"
    if desktop:
        desktop_cells(monkeypatch, typed)
    payload = book_json(shown)
    if mode is not None:
        payload["book"]["calculation"] = mode
    return payload


def _status(payload, actions):
    return [str(r[0]) for r in sheet_values(actions, sheet_order(payload, actions).index("執行紀錄"))]


@pytest.mark.parametrize("script, title", [("check_book", "檢核"), ("build_schedules", "產生報表"),
                                           ("export_data", "匯出")])
def test_each_button_names_the_mode_and_the_formula(monkeypatch, script, title):
    payload = _payload(monkeypatch, "Manual")
    actions = run_script(addin, script, payload)
    status = _status(payload, actions)
    assert LINE.format(title) in status, status
    assert sum("手動" in line for line in status) == 1  # 產生報表 of a marked book says it once


def test_check_lists_manual_calc_stale_at_the_formula(monkeypatch):
    """檢核結果 has manual-calc-stale at 歲出明細!H2 (beside item-product-mismatch there: 1 × 26,000,000 ≠ 25,356,370),
    as xlbudget check has it."""
    payload = _payload(monkeypatch, "Manual")
    actions = run_script(addin, "check_book", payload)
    rows = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    at = {r[2] for r in rows if "歲出明細!H2" in r}
    assert {"manual-calc-stale", "item-product-mismatch"} <= at, rows


def test_lite_names_the_mode_alone(monkeypatch):
    payload = _payload(monkeypatch, "Manual", desktop=False)
    status = _status(payload, run_script(addin, "check_book", payload))
    assert any("計算選項為「手動」" in line and "無法讀取公式" in line for line in status), status


@pytest.mark.parametrize("mode", ["Automatic", None])
def test_a_book_calculated_automatically_or_a_mode_not_sent_says_nothing(monkeypatch, mode):
    payload = _payload(monkeypatch, mode)
    actions = run_script(addin, "check_book", payload)
    assert not any("手動" in line for line in _status(payload, actions))
    rows = sheet_values(actions, sheet_order(payload, actions).index("檢核結果"))
    assert not any("manual-calc-stale" in r for r in rows)
