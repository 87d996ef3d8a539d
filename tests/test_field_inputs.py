"""The template's input sheets as the 2026-12-01 field test typed them: keyed rows typed twice, 以前年度 total rows
and code typos, two names for one plan, a comma in the wrong place. Each was silently picked, dropped or summed
twice; each is now a finding with its rule id and cell (naming both cells where two disagree), on every path.

Figures are the seed book's (高雄市政府資訊中心 113年度, xlbudget/data/example/): 以前年度 row 2 is 32020180101
一般行政-行政管理, 上年度預算數 41,366 千元; 歲出機關別預算表 上年度 合計 144,399 千元 (41,366 + 103,033).
"""

from __future__ import annotations

import json

import pytest

from xlbudget.cli import main
from xlbudget.app.example import example_workbook
from xlbudget.forms.inputs import SHEET_EXPENSES

from test_reading import addin_problems, column, example, problems, refused_everywhere


def _append(ws, values) -> int:
    """Append a row to ``ws`` and return its sheet row."""
    ws.append(values)
    return ws.max_row


# ------------------------------------------------------------ a key typed twice (field items 7 and 8)

def test_prior_year_row_typed_twice_names_both_cells(tmp_path, capsys):
    """以前年度 32020180101 typed again under the others (a corrected row pasted below): the tables took the last row
    (上年度 99,999) while the 總說明 check added both (277,050); now neither is read, both cells are named."""
    rows = {}

    def edit(wb):
        rows["new"] = _append(wb["以前年度"], ["32020180101", "一般行政-行政管理", 99999, 88888])

    book = example(tmp_path, edit)
    cell = f"以前年度!A{rows['new']}"
    assert problems(book) == {("duplicate-key", cell)}
    from xlbudget.adapters.books import load_book
    from xlbudget.core.errors import InputError
    with pytest.raises(InputError) as info:
        load_book(book)
    assert [str(c) for f in info.value.findings for c in f.related] == ["book.xlsx:以前年度!A2"]
    refused_everywhere(book, tmp_path, capsys, [cell, "以前年度!A2"])


def test_prior_year_row_typed_twice_alike_is_refused_too(tmp_path):
    """Two identical 以前年度 rows would still be summed twice where the lines are added up."""
    rows = {}

    def edit(wb):
        rows["new"] = _append(wb["以前年度"], ["32020180101", "一般行政-行政管理", 41366, 37879])

    assert problems(example(tmp_path, edit)) == {("duplicate-key", f"以前年度!A{rows['new']}")}


def test_plan_note_typed_twice_names_both_cells(tmp_path, capsys):
    """說明提要 32020180101 typed twice: the 明細表 printed one paragraph and dropped the other without a word."""
    rows = {}

    def edit(wb):
        rows["new"] = _append(wb["說明提要"], ["32020180101", "行政管理科", "本年度另辦理檔案數位化。"])

    book = example(tmp_path, edit)
    cell = f"說明提要!A{rows['new']}"
    assert problems(book) == {("duplicate-key", cell)}
    refused_everywhere(book, tmp_path, capsys, [cell, "說明提要!A2"], addin_too=False)


@pytest.mark.parametrize("key, value", [("年度", 114), ("機關名稱", "高雄市政府資訊中心（更正）"), ("機關編號", "02-019")])
def test_agency_key_typed_twice_names_both_cells(tmp_path, capsys, key, value):
    """基本資料 年度 typed again as 114: the book printed 中華民國114年度 with no finding; now both cells are named."""
    rows = {}

    def edit(wb):
        ws = wb["基本資料"]
        rows["first"] = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
        rows["new"] = _append(ws, [key, value])

    book = example(tmp_path, edit)
    cell = f"基本資料!A{rows['new']}"
    assert problems(book) == {("duplicate-key", cell)}
    refused_everywhere(book, tmp_path, capsys, [cell, f"基本資料!A{rows['first']}"], addin_too=key == "年度")


def test_agency_key_typed_twice_alike_is_harmless(tmp_path, capsys):
    """The same 基本資料 row twice says nothing new: nothing is picked, the book builds."""
    book = example(tmp_path, lambda wb: wb["基本資料"].append(["年度", 113]))
    capsys.readouterr()
    assert main(["export", str(book), "--format", "json"]) == 0
