"""A file name that is not UTF-8 (Big5 bytes on Linux, from an old Windows zip; Python gives it surrogate-escaped) is
read under its name shown as the Big5 name it is (field report 9 §6.1; bytes that are not Big5 either with
replacement characters, U+FFFD), never called damaged, never an internal error, and never loses convert's 轉換摘要
of the other books (field report 5 §4.1, f07 and f17)."""

import json
import os
import shutil

import openpyxl

from xlbudget.app.convert import convert_paths
from xlbudget.cli import main
from xlbudget.core.errors import shown_text

from conftest import sha256
from test_convert import EXAMPLE, small_book
from test_convert_citywide import A_ITEMS, B_ITEMS

BIG5 = os.fsdecode("甲局舊檔".encode("big5") + b".xlsx")  # what os.listdir gives for the Big5 bytes


def test_shown_text_decodes_a_big5_name_and_replaces_other_bytes_that_are_not_utf8():
    # b"\xb8\xea" is Big5 資 (field report 9 §6.1: it was shown «��.xlsx»); b"\xff\xfe" is neither UTF-8 nor Big5
    # (0xFF leads no Big5 character): two bytes, two replacement characters; the rest as it was
    assert shown_text(os.fsdecode(b"\xb8\xea.xlsx")) == "資.xlsx"
    assert shown_text(os.fsdecode(b"\xff\xfe.xlsx")) == "\ufffd\ufffd.xlsx"
    assert shown_text("甲局.xlsx") == "甲局.xlsx"
    assert shown_text(BIG5) == "甲局舊檔.xlsx"
    # Big5 bytes Python reads as ASCII (民 A5C1 政 AC46: «F»; 許 B35C: «\») or as a UTF-8 pair (育 A87C after 教
    # B1D0: «Ш|»), in a path of UTF-8 folders and a message around it: the name decoded, the rest itself
    for name in ("民政局.xlsx", "許功蓋.xlsx", "教育局.xlsx", "高雄市政府測試43局.xlsx"):
        raw = "/資料/" + os.fsdecode(name.encode("cp950")) + "：完成"
        assert shown_text(raw) == f"/資料/{name}：完成"


def test_the_progress_line_and_the_summary_show_the_big5_names(tmp_path, capsys):
    # field report 9 §6.1: «�������F������43��.xlsx» on the terminal and in 轉換摘要; two Big5 books told apart only
    # by their 機關 column. The outputs keep the names' own bytes, as the inputs have them.
    folder = tmp_path / "in"
    folder.mkdir()
    for name, agency, code, items in (("教育局.xlsx", "教育局", "02-001", A_ITEMS), ("民政局.xlsx", "民政局", "02-002",
                                                                                     B_ITEMS)):
        small_book(folder / os.fsdecode(name.encode("cp950")), agency, code, items)
    out = tmp_path / "out"
    assert main(["convert", str(folder), "-o", str(out), "--jobs", "1"]) == 0
    shown = capsys.readouterr().err  # the progress lines
    assert f"{folder}/教育局.xlsx：完成" in shown and f"{folder}/民政局.xlsx：完成" in shown and "\ufffd" not in shown
    data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
    assert {os.path.basename(b["source"]): b["agency"] for b in data["books"]} == {"教育局.xlsx": "教育局",
                                                                                   "民政局.xlsx": "民政局"}
    wb = openpyxl.load_workbook(out / "轉換摘要.xlsx")
    assert {os.path.basename(row[0]) for row in wb["摘要"].iter_rows(min_row=2, values_only=True)} == {
        "教育局.xlsx", "民政局.xlsx"}
    outputs = [n for n in os.listdir(os.fsencode(out)) if n.endswith(b".xlsx") and not n.startswith("轉換".encode())]
    assert len(outputs) == 2 and "民政局.xlsx".encode("cp950") in outputs  # its own bytes, as the input's


def test_convert_keeps_the_summary_and_reads_the_book(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    big5 = small_book(folder / BIG5, "甲局", "02-001", A_ITEMS)
    small_book(folder / "乙.xlsx", "乙處", "02-002", B_ITEMS)
    before = sha256(big5)
    out = tmp_path / "out"
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert code == 0, [(shown_text(r.source), r.message) for r in results]
    assert sha256(big5) == before
    data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))  # written, whole
    rows = {row["機關"]: row for row in data["彙總"]["歲出機關別預算表"]}
    # 甲局 10,001,500 元 + 乙處 3,000 元 = 10,004,500 元 → 10,005 千元: the Big5-named book is counted
    assert rows["合計"]["本年度預算數"] == 10_005
    shown = {os.path.basename(b["source"]): b for b in data["books"]}
    assert shown[shown_text(BIG5)]["status"] == "完成" and shown[shown_text(BIG5)]["expenditure"] == 10_002
    wb = openpyxl.load_workbook(out / "轉換摘要.xlsx")
    assert any(shown_text(str(big5)) == row[0] for row in wb["摘要"].iter_rows(values_only=True))


def test_check_mark_and_build_read_it_by_its_shown_name(tmp_path, capsys):
    book = shutil.copy(EXAMPLE, tmp_path / BIG5)
    before = sha256(book)
    assert main(["check", str(book)]) == 0  # not «無法以 Excel 活頁簿讀取（OSError），檔案可能已損毀» (exit 2)
    out = capsys.readouterr().out
    assert shown_text(BIG5) in out and "損毀" not in out
    marked = tmp_path / "m.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 0  # not an internal error (exit 3)
    assert openpyxl.load_workbook(marked)["檢核結果"]["A1"].value == f"xlbudget 檢核結果：{shown_text(BIG5)}"
    assert main(["build", str(book), "-o", str(tmp_path / "b.xlsx")]) == 0
    assert main(["export", str(book), "--format", "json", "-o", str(tmp_path / "x.json")]) == 0
    assert sha256(book) == before


def test_the_current_folder_as_book_is_refused_not_an_internal_error(tmp_path, monkeypatch, capsys):
    # «.» has no name for the output to take (Path(".").with_suffix: ValueError, exit 3): refused as a folder is
    monkeypatch.chdir(tmp_path)
    for args in (["check", ".", "--mark", "-o", "x.xlsx"], ["build", ".", "-o", "x.xlsx"], ["pdf", "."],
                 ["pdf", ".", "-o", "x.pdf"]):
        assert main(args) == 2
        assert "是資料夾" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_rerun_skips_the_big5_named_book_and_never_takes_one_for_another(tmp_path):
    # the manifest is JSON: written with the name shown (U+FFFD), it never matched the name os.listdir gives, so a
    # re-run converted the Big5-named book again every time, never «未變更略過»; two Big5-named books stay two
    # entries, each skipped on its own (never one taken for the other)
    folder = tmp_path / "in"
    folder.mkdir()
    second = os.fsdecode("乙局舊檔".encode("big5") + b".xlsx")
    assert shown_text(second) != second
    small_book(folder / BIG5, "甲局", "02-001", A_ITEMS)
    small_book(folder / second, "乙處", "02-002", B_ITEMS)
    out = tmp_path / "out"
    assert convert_paths([str(folder)], str(out), jobs=1)[0] == 0
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert code == 0
    assert {os.path.basename(r.source): (r.status, r.reason, r.agency) for r in results} == {
        BIG5: ("未變更略過", "up-to-date", "甲局"), second: ("未變更略過", "up-to-date", "乙處")}
    (out / BIG5).unlink()  # its output gone: converted again, the other still skipped
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert {os.path.basename(r.source): r.status for r in results} == {BIG5: "完成", second: "未變更略過"}


def test_a_big5_name_whose_second_byte_reads_as_a_bar_keeps_its_bytes_in_the_output_name():
    # 育 is Big5 A8 7C: Python reads 0x7C as «|», and output_names turned it into «_» (A8 5F, Big5 灶): the output of
    # 教育局.xlsx was 教灶局.xlsx on disk and in 轉換摘要's 輸出 column, another name without a word. Red before the fix.
    from pathlib import Path

    from xlbudget.app.discovery import output_names

    name = os.fsdecode("教育局.xlsx".encode("cp950"))
    (out,) = output_names([(Path(name), name)], lambda f: ".xlsx")
    assert os.fsencode(out) == "教育局.xlsx".encode("cp950")
    # a «|» typed in a UTF-8 name is still made «_» (Windows refuses it)
    assert output_names([(Path("甲|局.xlsx"), "甲|局.xlsx")], lambda f: ".xlsx") == ["甲_局.xlsx"]


def test_a_big5_name_whose_second_byte_reads_as_a_backslash_is_one_name_not_two(tmp_path):
    # 許 is Big5 B3 5C: Python reads 0x5C as «\», and output_names took it for a folder separator: 許可證.xlsx's output
    # was «\udcb3__可證» (its lead byte alone, then «__»): another name, in no encoding, without a word. Red before the
    # fix: b'\xb3__\xa5i\xc3\xd2.xlsx' != b'\xb3\\\xa5i\xc3\xd2.xlsx'
    from pathlib import Path

    from xlbudget.app.convert import convert_paths
    from xlbudget.app.discovery import output_names

    from test_convert import small_book

    name = os.fsdecode("許可證.xlsx".encode("cp950"))
    (out,) = output_names([(Path(name), name)], lambda f: ".xlsx")
    assert os.fsencode(out) == "許可證.xlsx".encode("cp950")
    # a «\» in a name made on Windows (教育\甲局.xlsx, a folder flattened into the name) is still a folder: «__»
    assert output_names([(Path("教育\\甲局.xlsx"), "教育\\甲局.xlsx")], lambda f: ".xlsx") == ["教育__甲局.xlsx"]
    # the whole way: converted, its output under the same bytes
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "書.xlsx", "高雄市政府許可處", "02-120", [("32020010101", "一般行政", "2018", 1_500)])
    os.rename(folder / "書.xlsx", os.path.join(os.fsencode(folder), "許可證.xlsx".encode("cp950")))
    code, results = convert_paths([str(folder)], str(tmp_path / "out"), jobs=1)
    assert [r.status for r in results] == ["完成"]
    assert "許可證.xlsx".encode("cp950") in os.listdir(os.fsencode(tmp_path / "out"))
