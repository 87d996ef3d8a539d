"""next-year of a book with errors exits as build does for the same book (session 29's note): it writes next year's
book all the same, its lines carried as they are, says the count of this year's errors on its first line and lists
them, and exits 1; a book without errors exits 0. Red before: next-year exited 0 and listed only what reading found
(not the trip left unpriced that build names at 出國計畫!I2)."""

from __future__ import annotations

import openpyxl

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.cli import main


def _errors(out: list[str]) -> list[str]:
    return [line.split(" ")[1] for line in out if line.startswith("[error]")]


def test_next_year_of_a_book_with_errors_exits_1_as_build_does(tmp_path, capsys):
    # the example with its one trip unpriced: 出國計畫 I2:K2 = 0 against its one 2078 國外旅費 line of 400,000 元 —
    # trips-vs-travel at 出國計畫!I2, the one error build finds (test_cli's build test); and 歲出明細!H3 one
    # thousand more than 數量 1 × 單價 4,410,710, an error reading finds (item-product-mismatch at H3)
    wb = example_workbook()
    for column in "IJK":
        wb["出國計畫"][f"{column}2"].value = 0
    book = save_atomic(wb, tmp_path / "甲.xlsx")
    assert main(["build", str(book), "-o", str(tmp_path / "甲-產生.xlsx")]) == 1
    built = _errors(capsys.readouterr().out.splitlines())
    assert built == ["甲.xlsx:出國計畫!I2"]
    target = tmp_path / "甲-114.xlsx"
    assert main(["next-year", str(book), "-o", str(target)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"已產生 114 年度輸入預算書：{target}（原檔 甲.xlsx 未更動）；但原檔 甲.xlsx 有錯誤 1 項（見下列），"
                      "已照原樣帶入新年度預算書，請一併修正")
    assert _errors(out) == built
    assert openpyxl.load_workbook(target)["出國計畫"]["I2"].value == 0  # written all the same, the line as it was

    wb["歲出明細"]["H3"].value = 4_411_710
    book = save_atomic(wb, tmp_path / "乙.xlsx")
    assert main(["build", str(book), "-o", str(tmp_path / "乙-產生.xlsx")]) == 1
    built = _errors(capsys.readouterr().out.splitlines())
    assert main(["next-year", str(book), "-o", str(tmp_path / "乙-114.xlsx")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "；但原檔 乙.xlsx 有錯誤 " + str(len(built)) + " 項（見下列）" in out[0]
    assert sorted(_errors(out)) == sorted(built) and "乙.xlsx:歲出明細!H3（與" in " ".join(_errors(out))


def test_next_year_of_a_book_without_errors_exits_0_and_says_none(tmp_path, capsys):
    book = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    target = tmp_path / "114.xlsx"
    assert main(["next-year", str(book), "-o", str(target)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"已產生 114 年度輸入預算書：{target}（原檔 範例.xlsx 未更動）"
    assert _errors(out) == []


def test_next_year_s_help_says_its_exit_codes(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["next-year", "-h"])
    said = "".join(capsys.readouterr().out.split())
    assert "以結束碼1結束，與build相同" in said and "無法讀取時結束碼2" in said
