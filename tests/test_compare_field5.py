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


# ---------------------------------------------------------------- f30: a heading split into code | name

DETAIL = "歲出計畫說明提要與各項費用明細表"


def _split_headings(wb) -> list[int]:
    """A PDF converter's 明細表: each heading 「　　1015 法定編制人員待遇」, 「01行政業務」 split at its code, the code left
    in column A and the name in B (the 單位 column). Returns the rows split."""
    import re

    rows = []
    for row in wb[DETAIL].iter_rows():
        m = re.match(r"^([\u3000 ]*)(\d{4}|\d{2})\s*(\D.*)$", str(row[0].value or ""))
        if m and row[1].value is None:
            row[0].value, row[1].value = m.group(1) + m.group(2), m.group(3)
            rows.append(row[0].row)
    return rows


def test_a_heading_split_into_code_and_name_reads_as_printed_whole(tmp_path, capsys):
    # f30: check read such a book clean while compare gave 47 rows 更名 (1015：法定編制人員待遇 → 1015); with the
    # 分支計畫 split too (01 | 行政業務) check warned row-unplaced 5 times and compare gave 412 figures. One reader:
    # the name beside a code alone is its name. By hand: 47 一級/二級 headings (field report 5) and 5 分支計畫 (行政管理
    # 01; 數位發展計畫 01–04) split; every figure and name the same as the template example's
    from test_reading import check_json, printed_example

    wb = printed_example()
    assert len(_split_headings(wb)) == 47 + 5
    split = tmp_path / "拆開.xlsx"
    wb.save(split)
    assert check_json(split, capsys) == (0, [])
    template = save_atomic(example_workbook(), tmp_path / "範本.xlsx")
    assert main(["compare", str(template), str(split)]) == 0
    assert capsys.readouterr().out == f"範本.xlsx 與 拆開.xlsx 各表數字及歲出明細均相同。\n"
    assert main(["compare", str(template), str(split), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["figures"], data["renames"], data["lines"], data["notes"]) == ([], [], [], [])
    out = tmp_path / "比較.xlsx"
    assert main(["compare", str(template), str(split), "--format", "xlsx", "-o", str(out)]) == 0
    capsys.readouterr()
    assert "更名" not in openpyxl.load_workbook(out).sheetnames


def test_a_wrong_name_split_from_its_code_is_read_as_when_printed_whole(tmp_path, capsys):
    # 1015's name typed 約聘僱人員待遇 (1020's): printed whole or split, check finds object-name-mismatch at the same
    # label cell, and compare one row 更名 (法定編制人員待遇 → 約聘僱人員待遇), nothing else
    from test_reading import check_json, printed_example

    def wrong(wb, split):
        ws = wb[DETAIL]
        (row,) = [r for r in ws.iter_rows() if str(r[0].value or "") == "\u3000\u30001015 法定編制人員待遇"]
        row[0].value = "\u3000\u30001015 約聘僱人員待遇"
        if split:
            _split_headings(wb)
        return row[0].coordinate

    template = save_atomic(example_workbook(), tmp_path / "範本.xlsx")
    for split in (False, True):
        wb = printed_example()
        cell = wrong(wb, split)
        book = tmp_path / f"{split}.xlsx"
        wb.save(book)
        code, found = check_json(book, capsys)
        assert [(f["rule"], f["cell"]) for f in found] == [("object-name-mismatch", cell)]
        assert main(["compare", str(template), str(book), "--format", "json"]) == 1
        data = json.loads(capsys.readouterr().out)
        assert [(r["row_code"], r["old_name"], r["new_name"]) for r in data["renames"]] == [
            ("32020180101/01行政業務/1015", "法定編制人員待遇", "約聘僱人員待遇")]
        assert (data["figures"], data["lines"]) == ([], [])


def test_a_unit_beside_a_code_on_a_line_stays_its_unit(tmp_path, capsys):
    # the converse: 1015's one item printed on its heading's row, code alone (「　　1015」 | 年 | 1 | 25,356,370 |
    # 25,356,370, the item row below left empty). 年 is the line's 單位, not a name: check finds nothing (a name 「年」
    # would be object-name-mismatch), and 1 × 25,356,370 = 25,356,370 is checked as a line's
    from test_reading import check_json, printed_example

    wb = printed_example()
    ws = wb[DETAIL]
    (head,) = [r for r in ws.iter_rows() if str(r[0].value or "") == "\u3000\u30001015 法定編制人員待遇"]
    item = ws[head[0].row + 1]
    assert [c.value for c in item[:5]] == [None, "年", "1", 25_356_370, 25_356_370]
    head[0].value = "\u3000\u30001015"
    for c in range(1, 5):
        head[c].value, item[c].value = item[c].value, None
    wb.save(tmp_path / "一行.xlsx")
    assert check_json(tmp_path / "一行.xlsx", capsys) == (0, [])
    ws.cell(head[0].row, 4).value = 25_356_371  # 1 × 25,356,371 ≠ 25,356,370: the line is read as a line
    wb.save(tmp_path / "一行錯.xlsx")
    # (its 預算數 25,356,370 added up by the totals above it: the 單價 is named, field report 13 §F1)
    assert [f["rule"] for f in check_json(tmp_path / "一行錯.xlsx", capsys)[1]] == ["item-factor-mismatch"]


# ---------------------------------------------------------------- f15: a plan renumbered

PLAN, RENUMBERED = "32020183201", "32020183301"  # 數位發展計畫; its 業務計畫 32020183200 (its first 9 digits + 00)
BY_HAND = [{"name": "數位發展計畫", "old_code": "32020183200", "new_code": "32020183300"},
           {"name": "數位發展計畫", "old_code": PLAN, "new_code": RENUMBERED}]


def _renumber(wb) -> None:
    """32020183201 renumbered 32020183301 wherever the example types it (歲出明細 45 lines, 以前年度, 說明提要, 出國計畫):
    the same name, lines and figures (f15)."""
    n = 0
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.value == PLAN:
                    c.value, n = RENUMBERED, n + 1
    assert n == 45 + 3


def test_a_plan_renumbered_is_paired_by_its_name_and_said_once(tmp_path, capsys):
    # f15: 306 figures and 90 lines (each removed and added); now nothing differs but the codes, each said once
    old = _book_file(tmp_path / "舊.xlsx")
    new = _book_file(tmp_path / "新.xlsx", _renumber)
    assert main(["compare", str(old), str(new)]) == 1
    assert capsys.readouterr().out == (
        "比較 舊.xlsx（舊）→ 新.xlsx（新）：0 個數字不同，歲出明細 0 筆新增／刪除／變更，2 列改編號\n"
        "\n【改編號】2 列（名稱相同，視為同一列比較）\n"
        "  數位發展計畫：32020183200 → 32020183300\n"
        "  數位發展計畫：32020183201 → 32020183301\n")
    assert main(["compare", str(old), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["figures"], data["lines"], data["renames"], data["renumbered"]) == ([], [], [], BY_HAND)
    out = tmp_path / "比較.xlsx"
    assert main(["compare", str(old), str(new), "--format", "xlsx", "-o", str(out)]) == 1
    assert "2 列改編號" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert list(wb["改編號"].iter_rows(values_only=True)) == [("名稱", "舊編號", "新編號")] + [
        tuple(r.values()) for r in BY_HAND]
    assert ("改編號", 2) in [r[:2] for r in wb["比較"].iter_rows(values_only=True)]


def test_a_plan_renumbered_and_cut_gives_the_cut_alone(tmp_path, capsys):
    # renumbered, and the council cuts its 歲出明細 row 34 (01規劃發展 2018, 2,961,000 → 2,911,000): the line changed by
    # −50,000 under the new code, and 歲出機關別預算表's 本年度 232,026 → 231,976 千元 on the plan and its 業務計畫 rows
    # and 275,795 → 275,745 on the 主管 and 機關 rows
    from test_compare_folders import _cut

    old = _book_file(tmp_path / "舊.xlsx")
    new = _book_file(tmp_path / "新.xlsx", lambda wb: (_cut(wb), _renumber(wb)))
    assert main(["compare", str(old), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["renumbered"] == BY_HAND
    assert [(x["status"], x["plan"], x["object_code"], x["change"]) for x in data["lines"]] == [
        ("變更", RENUMBERED, "2018", -50_000)]
    assert sorted((r["row_code"], r["old"], r["new"]) for r in data["figures"]
                  if r["table"] == "歲出機關別預算表" and r["column"] == "本年度預算數") == [
        ("0002000000", 275_795, 275_745), ("00020180000", 275_795, 275_745), ("32020183300", 232_026, 231_976),
        (RENUMBERED, 232_026, 231_976)]


def test_a_plan_renumbered_in_printed_books_and_folders(tmp_path, capsys):
    # the example's printed tables renumbered, against the template book and against its own printed tables; and as
    # folders: one pair, its 歲出 the same, no 工作計畫 changed (was: 32020183201 −232,026,000, 32020183301 +…)
    from test_reading import printed_example

    (tmp_path / "舊").mkdir()
    (tmp_path / "新").mkdir()
    template = _book_file(tmp_path / "舊" / "範本.xlsx")
    printed_example().save(tmp_path / "印製.xlsx")
    printed_example(edit=_renumber).save(tmp_path / "新" / "改編號.xlsx")
    for old in (template, tmp_path / "印製.xlsx"):
        assert main(["compare", str(old), str(tmp_path / "新" / "改編號.xlsx"), "--format", "json"]) == 1
        data = json.loads(capsys.readouterr().out)
        assert (data["figures"], data["lines"], data["renames"], data["renumbered"]) == ([], [], [], BY_HAND)
    assert main(["compare", str(tmp_path / "舊"), str(tmp_path / "新"), "--format", "json"]) == 1
    (row,) = json.loads(capsys.readouterr().out)["books"]
    assert (row["figures"], row["lines"], row["renumbered"], row["change"], row["plans"]) == (0, 0, 2, 0, [])


def test_codes_of_one_name_not_as_many_on_each_side_are_not_guessed():
    # two plans named 資訊業務 leave, one of that name comes: which one it is is not known, none is paired
    from xlbudget.app.comparison import BookFigures, renumbered_codes

    def book(*codes):
        return BookFigures("template", tuple({"table": "歲出機關別預算表", "row_code": c, "row_name": "資訊業務",
                                              "column": "本年度預算數", "value": 1, "unit": "千元"} for c in codes), ())

    assert renumbered_codes(book("32020180101", "32020180201"), book("32020180301")) == []
    assert renumbered_codes(book("32020180101"), book("32020180301")) == [
        {"name": "資訊業務", "old_code": "32020180101", "new_code": "32020180301"}]
    assert renumbered_codes(book("32020180101"), book("32020180101", "32020180301")) == []  # its code still there


def test_plans_of_one_name_in_two_agencies_books_are_not_renumbered():
    # 3202018 0101 is 高雄市政府資訊中心's (機關 02-018: the 3rd–7th digits) 行政管理, 3202004 0101 臺中市政府主計處's
    # (02-004): every agency has a 一般行政 / 行政管理 plan, and another agency's is never this one's renumbered
    # (was: 行政管理 32020180101 → 32020040101 改編號, its figures compared as one plan's). A 業務計畫 (…00) and a
    # 工作計畫 of one name are two rows too, never one renumbered as the other.
    from xlbudget.app.comparison import BookFigures, renumbered_codes

    def book(*codes):
        return BookFigures("template", tuple({"table": "歲出機關別預算表", "row_code": c, "row_name": "行政管理",
                                              "column": "本年度預算數", "value": 1, "unit": "千元"} for c in codes), ())

    assert renumbered_codes(book("32020180101"), book("32020040101")) == []
    assert renumbered_codes(book("04020180301"), book("04020040301")) == []  # 歲入 alike: 一般賠償收入
    assert renumbered_codes(book("32020180101"), book("32020180300")) == []  # a 工作計畫 is no 業務計畫
    assert renumbered_codes(book("32020180000"), book("32020180100")) == []  # nor a 業務計畫 a 款 line
    assert renumbered_codes(book("32020180101"), book("32020180301")) == [  # one agency's: renumbered
        {"name": "行政管理", "old_code": "32020180101", "new_code": "32020180301"}]


def test_two_agencies_examples_pair_no_plan_by_its_name(tmp_path, capsys):
    # the 高雄 example against the 臺中 one (f25's pair): their 行政支出, 一般行政, 行政管理, 賠償收入 and 一般賠償收入 share
    # names, never codes; none is said 改編號
    old = _book_file(tmp_path / "高雄.xlsx")
    new = save_atomic(example_workbook("example-taichung"), tmp_path / "臺中.xlsx")
    assert main(["compare", str(old), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["renumbered"] == []
    assert [n["rule"] for n in data["notes"]][:1] == ["compare-agencies-differ"]
