"""convert's 彙總: which books are one agency (FIELD-REPORT-6 §1.1, §3.1).

- One agency's books whose 機關編號 (02004 / 02-004) and 機關名稱 (台 / 臺) are spelt apart are one agency: counted once.
- Two books with one 機關編號 but two 機關名稱 are not known to be one agency: neither is counted, both are named, and
  the 合計 line says it leaves them out.
- One agency's two books with different figures (預算案 and 修正版): neither is counted, whatever the file names sort
  as; two copies with the same figures are counted once.
"""

import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlbudget.app.convert import convert_paths

from test_convert import small_book

ROOT = Path(__file__).resolve().parent.parent
TAICHUNG = ROOT / "workbooks" / "範例-臺中市政府主計處115年度.xlsx"  # 02-004 臺中市政府主計處, 歲出 151,168 千元

# 甲局 114: 2018 1,500 元 + 1015 10,000,000 元 → 10,001,500 元 → 10,002 千元
# 乙處 114: 2018 2,400 元 + 2054 600 元        →      3,000 元 →      3 千元
A_ITEMS = [("32020010101", "一般行政-行政管理", "2018", 1_500), ("32020010101", "一般行政-行政管理", "1015", 10_000_000)]
B_ITEMS = [("32020020101", "一般行政-行政管理", "2018", 2_400), ("32020020101", "一般行政-行政管理", "2054", 600)]
# 甲局's 修正版: 2018 1,500 → 501,500 元, so 10,501,500 元 → 10,502 千元
A_REVISED = [("32020010101", "一般行政-行政管理", "2018", 501_500), ("32020010101", "一般行政-行政管理", "1015", 10_000_000)]


def _convert(folder, out):
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
    rows = data["彙總"]["歲出機關別預算表"]
    left = {os.path.basename(row["檔案"]): row["原因代碼"] for row in data["彙總"]["未列入合計"]}
    notes = {os.path.basename(r.source): r.left_out_note for r in results}
    return rows, left, notes


def _retype(path, **values):
    wb = openpyxl.load_workbook(path)
    for row in wb["基本資料"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb.save(path)


@pytest.mark.parametrize("code, name", [("02004", None), (None, "台中市政府主計處"), ("02004", "台中市政府主計處"),
                                        ("０２－００４", "台中市政府 主計處")])
def test_one_agency_spelt_two_ways_is_counted_once(tmp_path, code, name):
    """f34: the bundled 臺中 book (02-004, 臺中市政府主計處) and a copy typed 02004 and 台中市政府主計處 gave 302,336."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(TAICHUNG, folder / "主計處.xlsx")
    shutil.copy(TAICHUNG, folder / "主計處修正.xlsx")
    _retype(folder / "主計處修正.xlsx", **{k: v for k, v in (("機關編號", code), ("機關名稱", name)) if v})
    rows, left, notes = _convert(folder, tmp_path / "out")
    # the book's 歲出機關別預算表 prints 151,168 千元 for the agency; once, never 2 × 151,168 = 302,336
    assert [(r["機關"], r["本年度預算數"]) for r in rows] == [("合計", 151_168), ("臺中市政府主計處", 151_168)]
    assert left == {"主計處修正.xlsx": "citywide-duplicate-agency"}
    assert "主計處.xlsx" in notes["主計處修正.xlsx"] and "數字相同" in notes["主計處修正.xlsx"]


def test_one_code_two_names_is_no_agency_counted_and_the_total_says_so(tmp_path):
    """f09: 文化局's 機關編號 typed as 教育局's (02-020). They were called «同一機關», named after one, and 文化局 was
    left out; now neither is counted (which one holds the right code is not known), both are named with both names
    and the code, and the 合計 line says it does not hold them."""
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "教育局.xlsx", "高雄市政府教育局", "02-020", A_ITEMS)
    small_book(folder / "文化局.xlsx", "高雄市政府文化局", "02-020", A_ITEMS)  # the same figures: still two names
    small_book(folder / "乙.xlsx", "乙處", "02-002", B_ITEMS)
    rows, left, notes = _convert(folder, tmp_path / "out")
    assert left == {"教育局.xlsx": "citywide-code-conflict", "文化局.xlsx": "citywide-code-conflict"}
    # 乙 3,000 元 → 3 千元 alone; the label says two books are left out
    assert [(r["機關"], r["本年度預算數"]) for r in rows] == [("合計（未含待確認 2 本，見下）", 3), ("乙處", 3)]
    for book, other in (("教育局.xlsx", "文化局.xlsx"), ("文化局.xlsx", "教育局.xlsx")):
        note = notes[book]
        assert note.startswith("機關編號 02-020 重複：")
        assert all(word in note for word in ("教育局.xlsx（高雄市政府教育局）", "文化局.xlsx（高雄市政府文化局）",
                                             "名稱不同", "請更正"))
        assert "同一機關（" not in note
    sheet = openpyxl.load_workbook(tmp_path / "out" / "轉換摘要.xlsx")["彙總"]
    labels = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "合計（未含待確認 2 本，見下）" in labels and "合計" not in labels
    codes = openpyxl.load_workbook(tmp_path / "out" / "轉換摘要.xlsx")["彙總—各項費用彙計表"]
    assert "合計（未含待確認 2 本，見下）" in [row[0] for row in codes.iter_rows(values_only=True)]


@pytest.mark.parametrize("older, newer", [("資訊中心.xlsx", "資訊中心修正版.xlsx"), ("甲-修正前.xlsx", "甲.xlsx")])
def test_an_agency_with_two_different_books_is_left_out_whatever_the_names(tmp_path, older, newer):
    """f21: 預算案 and 修正版 of one agency in one folder: the one whose name sorted first was counted. Now neither
    (the figures differ, and which is final is not known): both named, with each one's 歲出, and the 合計 says so."""
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / older, "甲局", "02-001", A_ITEMS)
    small_book(folder / newer, "甲局", "02-001", A_REVISED)
    small_book(folder / "乙.xlsx", "乙處", "02-002", B_ITEMS)
    rows, left, notes = _convert(folder, tmp_path / "out")
    assert left == {older: "citywide-duplicate-differs", newer: "citywide-duplicate-differs"}
    assert [(r["機關"], r["本年度預算數"]) for r in rows] == [("合計（未含待確認 2 本，見下）", 3), ("乙處", 3)]
    (folder / "乙.xlsx").unlink()  # 甲 alone: no agency in the 合計, and the title says so (never 「彙總（）」)
    rows, left, notes = _convert(folder, tmp_path / "out2")
    assert [(r["機關"], r["本年度預算數"]) for r in rows] == [("合計（未含待確認 2 本，見下）", 0)]
    sheet = openpyxl.load_workbook(tmp_path / "out2" / "轉換摘要.xlsx")["彙總"]
    assert sheet["A1"].value == "彙總（無機關列入合計）"
    for book in (older, newer):
        # each book's 歲出: 10,002 and 10,502 千元 (by hand above)
        assert all(word in notes[book] for word in (older, newer, "甲局", "02-001", "10,002", "10,502", "數字不同"))


def test_two_copies_with_the_same_figures_count_once_and_a_third_that_differs_leaves_all_out(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "甲局", "02-001", A_ITEMS)
    shutil.copy(folder / "甲.xlsx", folder / "甲（複本）.xlsx")
    small_book(folder / "乙.xlsx", "乙處", "02-002", B_ITEMS)
    rows, left, notes = _convert(folder, tmp_path / "out")
    # 10,001,500 + 3,000 = 10,004,500 元 → 10,005 千元
    assert [(r["機關"], r["本年度預算數"]) for r in rows] == [("合計", 10_005), ("甲局", 10_002), ("乙處", 3)]
    assert left == {"甲（複本）.xlsx": "citywide-duplicate-agency"}
    small_book(folder / "甲修正.xlsx", "甲局", "02001", A_REVISED)
    rows, left, notes = _convert(folder, tmp_path / "out2")
    assert [(r["機關"], r["本年度預算數"]) for r in rows] == [("合計（未含待確認 3 本，見下）", 3), ("乙處", 3)]
    assert left == dict.fromkeys(("甲.xlsx", "甲（複本）.xlsx", "甲修正.xlsx"), "citywide-duplicate-differs")


def test_two_agencies_books_of_one_file_name_in_their_own_folders_keep_their_own_columns(tmp_path):
    """A city's agencies each in a folder of their own, each book named 單位預算.xlsx: the 彙總's 各項費用彙計表 keyed
    its columns by the file name, so the two were one: 甲局's column printed 乙處's 合計 (2,400 for 1,500) and the
    JSON held one column. Each book is its own column, named by its path when its name is not its own; and a copy
    of 甲局's book in a third folder is named by its path too, never 「單位預算.xlsx 與 單位預算.xlsx」."""
    folder = tmp_path / "in"
    for sub in ("甲局", "乙處", "備份"):
        (folder / sub).mkdir(parents=True)
    a, b = folder / "甲局" / "單位預算.xlsx", folder / "乙處" / "單位預算.xlsx"
    small_book(a, "甲局", "02-001", A_ITEMS)  # 10,001,500 元 → 10,002 千元 (2018 1,500 → 2 千元, 1015 → 10,000)
    small_book(b, "乙處", "02-002", B_ITEMS)  # 3,000 元 → 3 千元 (2018 2,400 → 2, 2054 600 → 1)
    out = tmp_path / "out"
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
    total = data["彙總"]["各項費用彙計表"][0]
    assert total == {"科目": "合計", str(a): 10_002, str(b): 3, "合計": 10_005}
    sheet = openpyxl.load_workbook(out / "轉換摘要.xlsx")["彙總—各項費用彙計表"]
    rows = [[v for v in row if v is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["合計", 10_002, 3, 10_005] in rows
    # 2018: 甲 1,500 元 → 2 千元, 乙 2,400 元 → 2 千元, together 3,900 元 → 4 千元
    assert [r for r in rows if r and str(r[0]).strip().startswith("201800")][0][1:] == [2, 2, 4]
    shutil.copy(a, folder / "備份" / "單位預算.xlsx")
    code, results = convert_paths([str(folder)], str(tmp_path / "out2"), jobs=1)
    copy = next(r for r in results if r.left_out)
    assert copy.left_out == "citywide-duplicate-agency"
    first, second = sorted((str(folder / "備份" / "單位預算.xlsx"), str(a)), key=lambda p: p != copy.source)
    assert copy.left_out_note.startswith(f"{first} 與 {second} 是同一機關")


def test_books_linked_in_a_chain_are_each_named_with_what_they_share_with_which(tmp_path):
    """A and B share 機關編號 02-001, B and C the name 乙處: one group, left out whole. C's note said «機關編號 02-003
    重複», a code only C has; now each book's note names the three books and what links which (a code, a name)."""
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "甲局", "02-001", A_ITEMS)
    small_book(folder / "乙.xlsx", "乙處", "02-001", B_ITEMS)  # 甲's code typed for 乙處's
    small_book(folder / "丙.xlsx", "乙處", "02-003", B_ITEMS)
    small_book(folder / "丁.xlsx", "丁局", "02-004", A_ITEMS)
    rows, left, notes = _convert(folder, tmp_path / "out")
    assert left == dict.fromkeys(("甲.xlsx", "乙.xlsx", "丙.xlsx"), "citywide-agency-chain")
    # 丁 alone: 10,001,500 元 → 10,002 千元 (as 甲's items, by hand above)
    assert [(r["機關"], r["本年度預算數"]) for r in rows] == [("合計（未含待確認 3 本，見下）", 10_002), ("丁局", 10_002)]
    for book, (agency, code) in {"甲.xlsx": ("甲局", "02-001"), "乙.xlsx": ("乙處", "02-001"),
                                 "丙.xlsx": ("乙處", "02-003")}.items():
        note = notes[book]
        assert note.startswith(f"{book}（{agency}，機關編號 {code}）與 ")
        # the books in the order found (the folder's names sorted: 丙, 乙, 甲)
        assert "乙.xlsx 與 甲.xlsx 機關編號同為 02-001" in note and "丙.xlsx 與 乙.xlsx 機關名稱同為 乙處" in note
        assert "重複" not in note
