"""convert of a book not filled in yet (FIELD-REPORT-6 §6, f23): a blank template (xlbudget new) and a next-year
--clear-amounts draft were 「無法讀取」, as a broken file is; they are 尚未填寫, saying which, and left out of the 彙總 as
such. A book with a problem other than a blank required cell is still 無法讀取."""

import json
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import openpyxl

from xlbudget.app.convert import UNFILLED, UNREADABLE
from xlbudget.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"  # 歲出 275,795 千元


def test_a_blank_template_and_a_draft_are_said_to_be_unfilled_not_unreadable(tmp_path, capsys):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "資訊中心.xlsx")
    assert main(["new", str(folder / "工務局.xlsx")]) == 0
    assert main(["next-year", str(EXAMPLE), "-o", str(tmp_path / "草稿.xlsx"), "--clear-amounts"]) == 0
    shutil.copy(tmp_path / "草稿.xlsx", folder / "教育局草稿.xlsx")
    wrong = folder / "社會局.xlsx"  # a 預算數 typed as words beside the draft's blanks: not merely unfilled
    shutil.copy(tmp_path / "草稿.xlsx", wrong)
    wb = openpyxl.load_workbook(wrong)
    wb["歲出明細"]["H2"] = "一百元"
    wb.save(wrong)
    capsys.readouterr()
    assert main(["convert", str(folder), "-o", str(out), "--jobs", "1"]) == 2  # books not converted
    said = capsys.readouterr()
    data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
    by_name = {os.path.basename(r["source"]): SimpleNamespace(**r) for r in data["books"]}
    blank, draft, other = by_name["工務局.xlsx"], by_name["教育局草稿.xlsx"], by_name["社會局.xlsx"]
    assert (blank.status, blank.reason) == (UNFILLED, "book-blank-template")
    assert blank.message == "工務局.xlsx 是空白範本：基本資料及歲出明細均未填寫，沒有可轉換的數字"
    # the example's 歲出明細 has 77 lines (rows 2–78) and its 歲入明細 one (row 2): 78 預算數 emptied
    assert (draft.status, draft.reason, draft.errors, draft.cell) == (
        UNFILLED, "book-unfilled", 78, "教育局草稿.xlsx:歲出明細!H2")
    assert draft.message.startswith("教育局草稿.xlsx 尚未填寫完成：必填欄位空白 78 格（歲出明細 77 格、歲入明細 1 格），如 ")
    assert (other.status, other.reason) == (UNREADABLE, "not-a-number")
    left = {os.path.basename(row["檔案"]): (row["原因代碼"], row["說明"]) for row in data["彙總"]["未列入合計"]}
    assert left == {"工務局.xlsx": ("citywide-unfilled", "工務局.xlsx 是空白範本，其歲出未列入彙總合計"),
                    "教育局草稿.xlsx": ("citywide-unfilled", "教育局草稿.xlsx 尚未填寫完成（必填欄位空白 78 格），其歲出未列入彙總合計"),
                    "社會局.xlsx": ("citywide-unreadable", "社會局.xlsx 無法讀取（原因代碼 not-a-number），其歲出未列入彙總合計")}
    # three books of the folder are not in the 合計 (their agencies' 歲出 unknown): the 合計 line says so, as it says
    # the undecided ones, never a bare 「合計」 short of three agencies; 275,795 is the example's own 歲出 (千元)
    assert [(r["機關"], r["本年度預算數"]) for r in data["彙總"]["歲出機關別預算表"]] == [
        ("合計（未含待確認 3 本，見下）", 275_795), ("高雄市政府資訊中心", 275_795)]
    assert data["彙總"]["各項費用彙計表"][0]["科目"] == "合計（未含待確認 3 本，見下）"
    last = said.out.splitlines()[-1]
    assert last.startswith("共 4 本：") and "尚未填寫 2" in last and "無法讀取 1" in last and "完成 1" in last
    assert "[4/4] 有錯誤 0、無法讀取 1、尚未填寫 2，" in said.err


def test_a_book_emptied_since_the_last_run_leaves_no_output_that_looks_current(tmp_path):
    """A book converted last run and now a draft (the officer cleared it in place for next year): its output of the last
    run is renamed NAME.xlsx.過期, as a book that fails to be read leaves it (test_convert_folder)."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "資訊中心.xlsx")
    assert main(["convert", str(folder), "-o", str(out), "--jobs", "1"]) == 0
    assert (out / "資訊中心.xlsx").is_file()
    assert main(["next-year", str(EXAMPLE), "-o", str(folder / "資訊中心.xlsx"), "--clear-amounts", "--force"]) == 0
    assert main(["convert", str(folder), "-o", str(out), "--jobs", "1"]) == 2
    assert not (out / "資訊中心.xlsx").exists() and (out / "資訊中心.xlsx.過期").is_file()
    row = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))["books"][0]
    assert row["status"] == UNFILLED and "資訊中心.xlsx.過期" in row["message"]
