"""compare on field report 5's cases (/work/wt/FIELD-REPORT-5.md §5: f15, f25, f30) and folder pairing of one
agency's books whose 機關編號 or 機關名稱 are spelled two ways.

Expected figures and pairs are written here by hand from the example book (高雄市政府資訊中心 113, 02-018), never
taken from compare's own output.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.comparefolders import FolderBook, pair_books
from xlbudget.app.comparison import compare_books, comparison_json, comparison_text, template_figures
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

KAOHSIUNG, KAOHSIUNG_CODE = "高雄市政府資訊中心", "02-018"


def _agency(name=None, code=None):
    """An edit of the example's 基本資料: its 機關名稱 and (typed as given: text, or a number) 機關編號."""
    def edit(wb):
        ws = wb["基本資料"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "機關名稱" and name is not None:
                assert row[1].value == KAOHSIUNG
                row[1].value = name
            if row[0].value == "機關編號" and code is not None:
                assert row[1].value == KAOHSIUNG_CODE
                row[1].value = code
    return edit


def _book_file(path: Path, edit=None) -> Path:
    wb = example_workbook()
    if edit:
        edit(wb)
    return save_atomic(wb, path)


# ---------------------------------------------------------------- f25: two agencies' books

def test_two_agencies_books_are_said_to_be_so_first():
    # f25: 測試中心 (02-018) against 測試局 (02-019), every line the same: the agencies are named on the first line
    # (and as a note), before the figures, as the 年度 are
    from test_yearover import AGENCY, BOOK

    other = replace(BOOK, agency=replace(AGENCY, name="測試局", code="02-019"))
    result = compare_books(template_figures(BOOK), template_figures(other))
    assert [n.finding.rule for n in result.notes] == ["compare-agencies-differ"]
    message = result.notes[0].finding.message
    assert "測試中心（02-018）" in message and "測試局（02-019）" in message
    assert comparison_text(result, "舊.xlsx", "新.xlsx").splitlines()[0] == message
    assert [n["rule"] for n in json.loads(comparison_json(result))["notes"]] == ["compare-agencies-differ"]


@pytest.mark.parametrize("old, new", [
    (("測試中心", "02-018"), ("測試中心", "02018")),  # 機關編號 written two ways, both ways round
    (("測試中心", "02018"), ("測試中心", "02-018")),
    (("測試中心", "02-018"), ("測試中心", "０２－０１８")),  # full-width
    (("臺中市政府主計處", ""), ("台中市政府主計處", "")),  # 臺 and 台, no code: one agency by name, both ways
    (("台中市政府主計處", ""), ("臺中市政府 主計處", "")),
    (("測試局", "02-018"), ("測試中心", "02-018")),  # one code, the agency renamed: the same agency
])
def test_one_agency_spelled_two_ways_is_not_said_to_be_two(old, new):
    from test_yearover import AGENCY, BOOK

    books = [replace(BOOK, agency=replace(AGENCY, name=name, code=code)) for name, code in (old, new)]
    result = compare_books(*(template_figures(b) for b in books))
    assert result.notes == ()


def test_two_agencies_books_from_files_in_every_format(tmp_path, capsys):
    # the example against itself as 高雄市政府測試局 (02-019), and against its printed tables (a hand-made book names
    # its agency on the line over each title, and no code) headed 高雄市政府測試局
    from test_reading import printed_example

    old = _book_file(tmp_path / "資訊中心.xlsx")
    new = _book_file(tmp_path / "測試局.xlsx", _agency("高雄市政府測試局", "02-019"))
    said = "兩本書機關不同：舊書為 高雄市政府資訊中心（02-018），新書為 高雄市政府測試局（02-019）"
    assert main(["compare", str(old), str(new)]) == 1
    assert capsys.readouterr().out.splitlines()[0].startswith(said)
    assert main(["compare", str(old), str(new), "--format", "json"]) == 1
    assert "compare-agencies-differ" in [n["rule"] for n in json.loads(capsys.readouterr().out)["notes"]]
    out = tmp_path / "比較.xlsx"
    assert main(["compare", str(old), str(new), "--format", "xlsx", "-o", str(out)]) == 1
    assert capsys.readouterr().out.startswith(said)  # written to a file: said on the terminal too
    wb = openpyxl.load_workbook(out)
    assert wb["比較"]["A2"].value.startswith(said)  # under the title
    assert "compare-agencies-differ" in [r[1] for r in wb["未比較"].iter_rows(min_row=2, values_only=True)]

    printed_example(edit=_agency("高雄市政府測試局")).save(tmp_path / "印製.xlsx")
    assert main(["compare", str(old), str(tmp_path / "印製.xlsx")]) == 1
    assert capsys.readouterr().out.splitlines()[0].startswith(
        "兩本書機關不同：舊書為 高雄市政府資訊中心（02-018），新書為 高雄市政府測試局；")
    # its own printed tables, headed 台 for 臺 nowhere: the same agency, nothing said, the same figures
    printed_example().save(tmp_path / "同.xlsx")
    assert main(["compare", str(old), str(tmp_path / "同.xlsx"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"] == []


# ---------------------------------------------------------------- folders: one agency spelled two ways

def _book(rel, agency="", code="", year=113) -> FolderBook:
    return FolderBook(Path(rel), rel, ("template", None), agency, code, year)


def _pairs(olds, news):
    pairs, left = pair_books(olds, news)
    return {(a.rel, b.rel, basis) for a, b, basis in pairs}, {(b.rel, side, rule) for b, side, rule, _ in left}


@pytest.mark.parametrize("a, b", [("02018", "02-018"), ("０２０１８", "02-018"), ("02-018", "０２－０１８")])
def test_folder_books_pair_by_a_code_written_two_ways_both_ways_round(a, b):
    # each file named otherwise, one agency renamed 甲局 → 甲處: paired by its 機關編號 (was: one book 未配對 in
    # each folder)
    for x, y in ((a, b), (b, a)):
        assert _pairs([_book("預算案.xlsx", "甲局", x)], [_book("法定.xlsx", "甲處", y)]) == (
            {("預算案.xlsx", "法定.xlsx", "機關編號")}, set())
    # another agency's code is still another agency: never paired (the names differ too)
    assert _pairs([_book("甲.xlsx", "甲局", a)], [_book("乙.xlsx", "乙局", "02-019")])[0] == set()


@pytest.mark.parametrize("a, b", [("臺中市政府主計處", "台中市政府主計處"), ("臺東縣政府", "台東縣 政府")])
def test_folder_books_pair_by_a_name_written_with_tai_both_ways_round(a, b):
    for x, y in ((a, b), (b, a)):
        assert _pairs([_book("預算案.xlsx", x)], [_book("法定.xlsx", y)]) == (
            {("預算案.xlsx", "法定.xlsx", "機關名稱")}, set())


def test_folders_of_one_agency_spelled_two_ways_compare_it_as_one(tmp_path, capsys):
    # 案: 機關編號 typed as the number 2018 (Excel dropped its zero); 法: typed as the text 02018; each file named
    # otherwise. Same figures: one pair by 機關編號, 相同, exit 0 (was: 未配對 2, exit 1). Both ways round.
    (tmp_path / "案").mkdir()
    (tmp_path / "法").mkdir()
    _book_file(tmp_path / "案" / "甲.xlsx", _agency(code=2018))
    _book_file(tmp_path / "法" / "乙.xlsx", _agency(code="02018"))
    for old, new in (("案", "法"), ("法", "案")):
        assert main(["compare", str(tmp_path / old), str(tmp_path / new), "--format", "json"]) == 0
        (row,) = json.loads(capsys.readouterr().out)["books"]
        assert (row["status"], row["paired_by"], row["message"]) == ("相同", "機關編號", "")


def test_folders_pair_a_printed_book_headed_with_tai_by_its_name(tmp_path, capsys):
    # a template book of 臺東縣政府資訊中心 against its printed tables, each headed 台東縣政府資訊中心 (a hand-made book
    # prints no 機關編號; its 歲出機關別預算表 row still prints 臺東): one agency by name, the same figures, exit 0;
    # both ways round
    from test_reading import printed_example

    (tmp_path / "範本").mkdir()
    (tmp_path / "印製").mkdir()
    _book_file(tmp_path / "範本" / "甲.xlsx", _agency("臺東縣政府資訊中心"))
    wb = printed_example(edit=_agency("臺東縣政府資訊中心"))
    headed = [ws for ws in wb if ws["A1"].value == "臺東縣政府資訊中心"]
    assert len(headed) > 10
    for ws in headed:
        ws["A1"] = "台東縣政府資訊中心"
    wb.save(tmp_path / "印製" / "乙.xlsx")
    for old, new in (("範本", "印製"), ("印製", "範本")):
        assert main(["compare", str(tmp_path / old), str(tmp_path / new), "--format", "json"]) == 0
        (row,) = json.loads(capsys.readouterr().out)["books"]
        assert (row["status"], row["paired_by"], row["message"]) == ("相同", "機關名稱", "")
