"""compare as field report 7 found it: two books of one file name in two folders (f08)."""

import json

import openpyxl
import pytest

from xlbudget.app.comparison import compared_names
from xlbudget.app.example import example_workbook
from xlbudget.cli import main


def test_compared_names_are_the_shortest_path_ends_that_differ(tmp_path):
    assert compared_names("甲.xlsx", "乙.xlsx") == ("甲.xlsx", "乙.xlsx")
    assert compared_names(tmp_path / "預算案" / "預算書.xlsx", tmp_path / "法定預算" / "預算書.xlsx") == \
        ("預算案/預算書.xlsx", "法定預算/預算書.xlsx")
    assert compared_names(tmp_path / "114" / "甲局" / "預算書.xlsx", tmp_path / "115" / "甲局" / "預算書.xlsx") == \
        ("114/甲局/預算書.xlsx", "115/甲局/預算書.xlsx")
    assert compared_names(tmp_path / "a" / "預算書.xlsx", tmp_path / "a" / "預算書.xlsx") == ("預算書.xlsx", "預算書.xlsx")


@pytest.fixture
def two_of_one_name(tmp_path):
    """預算案/預算書.xlsx, the example, and 法定預算/預算書.xlsx, its 歲出明細!H36 (20,300,000) cut to 20,000,000."""
    old, new = tmp_path / "預算案" / "預算書.xlsx", tmp_path / "法定預算" / "預算書.xlsx"
    old.parent.mkdir()
    new.parent.mkdir()
    wb = example_workbook()
    wb.save(old)
    ws = wb["歲出明細"]
    assert ws["H36"].value == 20_300_000
    ws["G36"], ws["H36"] = 20_000_000, 20_000_000
    wb.save(new)
    return old, new


def test_compare_of_one_file_name_names_the_folders(two_of_one_name, tmp_path, capsys):
    """Field report 7 f08: «比較 預算書.xlsx（舊）→ 預算書.xlsx（新）» in text, json and xlsx."""
    old, new = two_of_one_name
    capsys.readouterr()
    assert main(["compare", str(old), str(new)]) == 1
    assert capsys.readouterr().out.startswith("比較 預算案/預算書.xlsx（舊）→ 法定預算/預算書.xlsx（新）：")
    assert main(["compare", str(old), str(new), "--format", "json"]) == 1
    said = json.loads(capsys.readouterr().out)
    assert (said["old"], said["new"]) == ("預算案/預算書.xlsx", "法定預算/預算書.xlsx")
    out = tmp_path / "比較.xlsx"
    assert main(["compare", str(old), str(new), "-o", str(out)]) == 1
    assert openpyxl.load_workbook(out).worksheets[0]["A1"].value == "比較：預算案/預算書.xlsx（舊）→ 法定預算/預算書.xlsx（新）"
    capsys.readouterr()
    assert main(["compare", str(old), str(old)]) == 0  # one book twice: its name
    assert "預算書.xlsx 與 預算書.xlsx 各表數字及歲出明細均相同" in capsys.readouterr().out
