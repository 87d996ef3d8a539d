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


def test_a_line_moved_between_plans_is_one_move(tmp_path, capsys):
    """Field report 7 f11: the 法定預算 moves 歲出明細 row 22 (2018, 28,000 元, 「一般公務需要之資訊服務及設備維護費用。」)
    from 32020180101 01行政業務 to 32020183201 01規劃發展, cuts H36 (2054) 20,300,000 → 20,000,000 and adds a 2051 line
    of 10,000 元 under 32020180101. The move was a 刪除 and a 新增; it is one 移列, the figures unchanged: by hand
    32020180101 −28,000 + 10,000 = −18,000 元 (−18 千元), 32020183201 +28,000 − 300,000 = −272 千元, the agency −290."""
    from xlbudget.app.comparison import MOVED
    from xlbudget.app.pipeline import compare_files

    old, new = tmp_path / "預算案.xlsx", tmp_path / "法定預算.xlsx"
    wb = example_workbook()
    wb.save(old)
    ws = wb["歲出明細"]
    assert [ws.cell(22, c).value for c in (1, 3, 4, 8)] == ["32020180101", "01行政業務", "2018", 28_000]
    ws["A22"], ws["B22"], ws["C22"] = "32020183201", "數位發展計畫-數位發展計畫", "01規劃發展"
    ws["G36"], ws["H36"] = 20_000_000, 20_000_000
    row = ws.max_row + 1
    for c, v in enumerate(["32020180101", "一般行政-行政管理", "01行政業務", "2051", "年", 1, 10_000, 10_000, 0, "經常",
                           None, "新增物品。"], 1):
        ws.cell(row, c).value = v
    wb.save(new)
    result = compare_files(old, new)
    lines = sorted((x["status"], x["old_plan"], x["plan"], x["object_code"], x["old_amount"], x["new_amount"], x["change"],
                    x["fields"]) for x in result.lines)
    assert lines == sorted([
        (MOVED, "32020180101", "32020183201", "2018", 28_000, 28_000, 0, ["工作計畫"]),  # 分支計畫 both 01
        ("變更", "32020183201", "32020183201", "2054", 20_300_000, 20_000_000, -300_000, ["單價", "預算數"]),
        ("新增", None, "32020180101", "2051", None, 10_000, 10_000, []),
    ])
    budget = {(r["row_code"], r["column"]): r["change"] for r in result.figures if r["table"] == "歲出機關別預算表"}
    assert budget[("32020180101", "本年度預算數")] == -18
    assert budget[("32020183201", "本年度預算數")] == -272
    assert budget[("00020180000", "本年度預算數")] == -290
    capsys.readouterr()
    assert main(["compare", str(old), str(new)]) == 1
    assert ("  移列（工作計畫） 32020180101 → 32020183201 01行政業務 → 01規劃發展 2018 一般公務需要之資訊服務及設備維護費用。"
            "：28,000 → 28,000（+0）元") in capsys.readouterr().out
    out = tmp_path / "比較.xlsx"
    assert main(["compare", str(old), str(new), "-o", str(out)]) == 1
    rows = [[c for c in r] for ws in openpyxl.load_workbook(out).worksheets for r in ws.iter_rows(values_only=True)
            if r and r[0] == MOVED]
    assert [r[:4] for r in rows] == [[MOVED, "32020180101 → 32020183201", "01行政業務 → 01規劃發展", "2018"]]


@pytest.mark.parametrize("second", ["./預算案/預算書.xlsx", "預算案/../預算案/預算書.xlsx", "./預算案"])
def test_one_book_or_folder_given_twice_is_said_to_be_one(tmp_path, monkeypatch, capsys, second):
    """compare 預算案/預算書.xlsx ./預算案/預算書.xlsx (tab completion gave the same book twice) said only «預算書.xlsx 與
    預算書.xlsx 各表數字及歲出明細均相同»: the officer read his 預算案 and 法定預算 as the same. The comparison stands
    (exit 0, a book against itself), and stderr says the two paths are one file (or one folder)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "預算案").mkdir()
    example_workbook().save(tmp_path / "預算案" / "預算書.xlsx")
    first = "預算案" if second == "./預算案" else "預算案/預算書.xlsx"
    code = main(["compare", first, second])
    said = capsys.readouterr()
    what = "資料夾" if second == "./預算案" else "檔案"
    assert code == 0 and f"是同一個{what}，比較結果必定相同" in said.err, said
    (tmp_path / "法定預算").mkdir()
    example_workbook().save(tmp_path / "法定預算" / "預算書.xlsx")  # two files, the same figures: no such line
    assert main(["compare", "預算案/預算書.xlsx", "法定預算/預算書.xlsx"]) == 0
    assert "同一個" not in capsys.readouterr().err
