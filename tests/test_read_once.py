"""A book with formulas is read once as it is and once for its cached values, never a third time.

next-year read the values copy again after load_book had read it, and check --mark reopened the values
copy check_file had loaded, to put the cached values back on save. The book here is the example with its
歲出明細 H3 (約聘人員薪資, 4,410,710 元) typed as a formula whose cached value Excel saved.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

SALARY = 4_410_710  # the example's 歲出明細 H3


@pytest.fixture
def formula_book(tmp_path) -> Path:
    wb = example_workbook()
    ws = wb["歲出明細"]
    assert ws["H3"].value == SALARY
    ws["H3"] = f"={SALARY}"
    return save_atomic(wb, tmp_path / "公式.xlsx", {"歲出明細": {"H3": SALARY}})


@pytest.fixture
def loads(monkeypatch) -> Counter:
    """(file name, data_only) → how many times openpyxl loaded it."""
    counted: Counter = Counter()
    load = openpyxl.load_workbook

    def counting(path, *args, **kwargs):
        counted[(Path(path).name, bool(kwargs.get("data_only")))] += 1
        return load(path, *args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    return counted


def test_next_year_reads_the_values_copy_once(formula_book, loads, tmp_path, capsys):
    out = tmp_path / "明年.xlsx"
    assert main(["next-year", str(formula_book), "-o", str(out)]) == 0
    assert loads[("公式.xlsx", False)] == 1 and loads[("公式.xlsx", True)] == 1
    # kept as the formula it is (app.nextformulas: it names no cell), with its value as Excel computes it
    assert openpyxl.load_workbook(out)["歲出明細"]["H3"].value == f"={SALARY}"
    assert openpyxl.load_workbook(out, data_only=True)["歲出明細"]["H3"].value == SALARY


def test_check_mark_reads_the_values_copy_once(formula_book, loads, tmp_path, capsys):
    out = tmp_path / "標示.xlsx"
    assert main(["check", str(formula_book), "--mark", "-o", str(out)]) == 0
    # marks are spliced (adapters.splicemark): openpyxl opens the book not at all (once each where it cannot splice)
    assert loads[("公式.xlsx", False)] <= 1 and loads[("公式.xlsx", True)] <= 1
    marked = openpyxl.load_workbook(out)
    assert marked["歲出明細"]["H3"].value == f"={SALARY}"  # the formula kept, with its cached value
    assert openpyxl.load_workbook(out, data_only=True)["歲出明細"]["H3"].value == SALARY
