"""convert's city-wide 彙總 (field report items 2 and 3): every book is in the 合計 or named as left out, with why;
one agency is never added twice, nor books of two 年度; every path found gets a row of the 摘要."""

import json
import os
import shutil

import openpyxl

from xlbudget.app.convert import FINDINGS, NOT_A_BOOK, OK, UNREADABLE, convert_paths
from xlbudget.app.summary import LEFT_OUT_TITLE, citywide_tables

from built_books import handmade_book
from conftest import sha256
from test_convert import small_book

# 甲局 114: 2018 1,500 元 + 2054 10,000,000 元 → 10,001,500 元 → 10,002 千元 (as in test_convert's three_books)
# 乙處 114: 2018 2,400 元 + 2054 600 元        →      3,000 元 →      3 千元
# 合計 of the two: 10,004,500 元 → 10,005 千元 (甲's copy, 甲's 113 book and a hand-made book would add to it)
A_ITEMS = [("32020010101", "一般行政-行政管理", "2018", 1_500), ("32020010101", "一般行政-行政管理", "2054", 10_000_000)]
B_ITEMS = [("32020020101", "一般行政-行政管理", "2018", 2_400), ("32020020101", "一般行政-行政管理", "2054", 600)]


def _summary(out):
    data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
    rows = {row["機關"]: row for row in data["彙總"]["歲出機關別預算表"]}
    left = {os.path.basename(row["檔案"]): row["原因代碼"] for row in data["彙總"]["未列入合計"]}
    return data, rows, left


def _sheet_rows(out, sheet: str = "彙總"):
    wb = openpyxl.load_workbook(out / "轉換摘要.xlsx")
    return [[v for v in row if v is not None] for row in wb[sheet].iter_rows(values_only=True) if any(row)], wb


def test_handmade_book_left_out_of_citywide_total_is_named(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "甲局", "02-001", A_ITEMS)
    handmade_book(folder / "資訊中心（手製）.xlsx")
    out = tmp_path / "out"
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    by_name = {os.path.basename(r.source): r for r in results}
    hand = by_name["資訊中心（手製）.xlsx"]
    assert (hand.status, hand.reason) in ((OK, "printed-only"), (FINDINGS, "printed-only"))
    assert hand.left_out == "citywide-printed-only"
    assert by_name["甲.xlsx"].left_out == ""
    data, rows, left = _summary(out)
    # 甲局 only: the hand-made book's 275,795 is not in it, and the 合計 line says one book is left out...
    assert rows["合計（未含待確認 1 本，見下）"]["本年度預算數"] == 10_002
    assert left == {"資訊中心（手製）.xlsx": "citywide-printed-only"}  # ...and the 彙總 says so, naming it
    sheet, wb = _sheet_rows(out, LEFT_OUT_TITLE)
    assert any(str(folder / "資訊中心（手製）.xlsx") in row and "citywide-printed-only" in row for row in sheet)
    summary = [dict(zip([c.value for c in wb["摘要"][1]], row)) for row in wb["摘要"].iter_rows(min_row=2, values_only=True)]
    assert {os.path.basename(r["檔案"]): r["彙總原因代碼"] for r in summary} == {
        "甲.xlsx": None, "資訊中心（手製）.xlsx": "citywide-printed-only"}


def test_same_agency_and_other_year_are_not_added_again(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "甲局", "02-001", A_ITEMS)
    shutil.copy(folder / "甲.xlsx", folder / "甲（預算案）.xlsx")  # the same agency, same year, a second copy
    # spelt apart, the same agency (two names for one 機關編號 are not: test_citywide_agencies)
    small_book(folder / "甲改名.xlsx", "甲\u3000局", "02001", A_ITEMS)
    small_book(folder / "乙.xlsx", "乙處", "02-002", B_ITEMS)
    last = small_book(folder / "甲113.xlsx", "甲局", "02-001", A_ITEMS)  # last year's book in the same folder
    wb = openpyxl.load_workbook(last)
    for row in wb["基本資料"].iter_rows(min_row=2):
        if row[0].value == "年度":
            row[1].value = 113
    wb.save(last)
    out = tmp_path / "out"
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    data, rows, left = _summary(out)
    assert rows["合計"]["本年度預算數"] == 10_005  # 甲 10,002 + 乙 3, each once
    assert left == {"甲（預算案）.xlsx": "citywide-duplicate-agency", "甲改名.xlsx": "citywide-duplicate-agency",
                    "甲113.xlsx": "citywide-other-year"}
    by_name = {os.path.basename(r.source): r for r in results}
    assert "甲.xlsx" in by_name["甲（預算案）.xlsx"].left_out_note  # names the book it yields to
    assert "甲.xlsx" in by_name["甲113.xlsx"].left_out_note or "乙.xlsx" in by_name["甲113.xlsx"].left_out_note
    assert data["彙總"]["年度"] == "中華民國114年度"
    sheet, _ = _sheet_rows(out)
    assert ["中華民國114年度"] in sheet and ["中華民國0年度"] not in sheet


def test_a_book_of_another_city_is_named_and_not_added(tmp_path):
    """Field report 5 §1.3: 高雄's folder with a 臺中 book of the same 年度 gave 275,795 + 151,168 = 426,963 千元."""
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "高雄市政府甲局", "02-001", A_ITEMS, authority="高雄市政府主管")
    small_book(folder / "乙.xlsx", "高雄市政府乙處", "02-002", B_ITEMS, authority="高雄市政府教育局主管")  # another 主管
    small_book(folder / "丙.xlsx", "臺中市政府丙處", "02-003", B_ITEMS, authority="台中市政府主管")  # 台 is 臺
    small_book(folder / "丁.xlsx", "丁局", "02-004", A_ITEMS[:1])  # no 縣市 in either name: never left out for it
    src = {p.name: sha256(p) for p in folder.iterdir()}
    out = tmp_path / "out"
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    data, rows, left = _summary(out)
    # 甲 10,001,500 + 乙 3,000 + 丁 1,500 = 10,006,000 元 → 10,006 千元; 丙's 3,000 元 is not in it
    assert rows["合計"]["本年度預算數"] == 10_006
    assert left == {"丙.xlsx": "citywide-other-city"}
    by_name = {os.path.basename(r.source): r for r in results}
    note = by_name["丙.xlsx"].left_out_note
    assert "臺中市" in note and "高雄市" in note and ("甲.xlsx" in note or "乙.xlsx" in note)
    sheet, _ = _sheet_rows(out, LEFT_OUT_TITLE)
    assert any("citywide-other-city" in row for row in sheet)  # listed on the sheet after the 彙總
    assert {p.name: sha256(p) for p in folder.iterdir()} == src


def test_city_of_reads_the_authority_then_the_agency_name():
    from xlbudget.app.summary import BookResult, city_of

    assert city_of(BookResult("a", agency="臺中市政府主計處", authority="臺中市政府主管")) == "臺中市"
    assert city_of(BookResult("a", agency="主計處", authority="台 中 市政府主管")) == "臺中市"
    assert city_of(BookResult("a", agency="高雄市立美術館", authority="")) == "高雄市"
    assert city_of(BookResult("a", agency="甲局", authority="測試市政府主管")) == ""


def test_a_tie_of_cities_counts_none_and_a_tie_of_years_goes_to_the_later():
    """Two 縣市 named by as many books: which the 彙總 is for is not known, so none is counted, each book saying so
    (field report 7 §3.5: the 縣市 found first won, the officer's own 高雄 agency left out for a 臺中 sample whose file
    name sorted first). Two 年度 as many books each: the later. A book left out names the first book of the 彙總's
    縣市 or 年度 as its example."""
    from xlbudget.app.summary import BookResult, select_citywide

    def book(name, authority, code, year):
        return BookResult(name, agency=name[0] + "局", agency_code=code, authority=authority, year=year,
                          by_object={"2018": 1_000}, budget_line={"本年度預算數": 1_000})

    # by hand: 高雄 (甲, 丁) 2 books and 臺中 (乙, 丙) 2: a tie, none counted; the 縣市 named in one order whatever
    # the order the books were found or converted in
    books = [book("甲.xlsx", "高雄市政府主管", "02-001", 113), book("乙.xlsx", "臺中市政府主管", "02-002", 114),
             book("丙.xlsx", "臺中市政府主管", "02-003", 114), book("丁.xlsx", "高雄市政府主管", "02-004", 114)]
    assert select_citywide(books) == []
    assert [r.left_out for r in books] == ["citywide-city-tie"] * 4
    assert books[1].left_out_note == ("乙.xlsx：資料夾有臺中市、高雄市各 2 個機關（臺中市：乙.xlsx、丙.xlsx；高雄市：甲.xlsx、"
                                      "丁.xlsx），無法決定彙總哪一縣市，未列入彙總合計；請分開轉換")
    # a tie of two 縣 (彰化縣, 南投縣) is said as one of 縣市, not «哪一市»
    counties = [book("戊.xlsx", "彰化縣政府主管", "02-005", 114), book("己.xlsx", "南投縣政府主管", "02-006", 114)]
    assert select_citywide(counties) == []
    assert counties[0].left_out_note == ("戊.xlsx：資料夾有南投縣、彰化縣各 1 個機關（南投縣：己.xlsx；彰化縣：戊.xlsx），"
                                         "無法決定彙總哪一縣市，未列入彙總合計；請分開轉換")
    # by hand: 高雄 (甲, 丁) 2, 臺中 (乙) 1: 高雄's. Of 高雄's, 甲 is 113 and 丁 114: a tie of one each, so 114 (丁) is
    # counted and 甲 left out; 乙 names 丁.xlsx, the 高雄 book counted, as example (it named 甲.xlsx, the first 高雄
    # book found, itself left out of the 合計)
    books = [books[0], books[1], books[3]]
    assert [r.source for r in select_citywide(books)] == ["丁.xlsx"]
    assert [r.left_out for r in books] == ["citywide-other-year", "citywide-other-city", ""]
    assert "彙總為高雄市（如 丁.xlsx）" in books[1].left_out_note
    assert "彙總為 114 年度（如 丁.xlsx）" in books[0].left_out_note


def test_the_city_is_the_one_of_most_agencies_and_every_message_names_what_was_counted():
    """Leftover of field report 7 §3.5: the tie counted books, not agencies (臺中's one agency in two copies tied
    高雄's two agencies, and nothing was counted); a book naming no 縣市, left out for the tie, was not told why it
    was in it; a book of another 縣市 named as example a book itself left out."""
    from xlbudget.app.summary import BookResult, select_citywide

    def book(name, agency, authority, code, year=114, amount=1_000):
        return BookResult(name, agency=agency, agency_code=code, authority=authority, year=year,
                          by_object={"2018": amount}, budget_line={"本年度預算數": amount})

    # by hand: 臺中 甲局 twice (甲.xlsx and its copy 甲（副本）.xlsx, one 機關編號, the same figures): one agency;
    # 高雄 乙局 and 丙局: two. 高雄's, 2 agencies to 1: 乙 and 丙 counted; 甲 and its copy left out, naming 乙.xlsx
    books = [book("甲.xlsx", "臺中市政府甲局", "臺中市政府主管", "02-001"),
             book("甲（副本）.xlsx", "臺中市政府甲局", "臺中市政府主管", "02-001"),
             book("乙.xlsx", "高雄市政府乙局", "高雄市政府主管", "02-002"),
             book("丙.xlsx", "高雄市政府丙局", "高雄市政府主管", "02-003")]
    assert [r.source for r in select_citywide(books)] == ["乙.xlsx", "丙.xlsx"]
    assert [r.left_out for r in books] == ["citywide-other-city", "citywide-other-city", "", ""]
    assert "彙總為高雄市（如 乙.xlsx）" in books[0].left_out_note
    # by hand: 臺中 甲局, 高雄 乙局, and 丁 naming no 縣市 (測試市政府主管, 丁局): 1 agency each of 臺中 and 高雄, a tie;
    # 丁 is left out with them, told it names no 縣市
    books = [book("甲.xlsx", "臺中市政府甲局", "臺中市政府主管", "02-001"),
             book("乙.xlsx", "高雄市政府乙局", "高雄市政府主管", "02-002"), book("丁.xlsx", "丁局", "測試市政府主管", "02-004")]
    assert select_citywide(books) == []
    assert books[2].left_out_note == ("丁.xlsx（主管機關、機關名稱均未寫明縣市）：資料夾有臺中市、高雄市各 1 個機關（臺中市："
                                      "甲.xlsx；高雄市：乙.xlsx），無法決定彙總哪一縣市，未列入彙總合計；請分開轉換")
    assert books[0].left_out_note.startswith("甲.xlsx：資料夾有")
    # by hand: 臺中 甲局; 高雄 乙局 in two books whose figures differ (a 預算案 and its 修正版: neither counted,
    # citywide-duplicate-differs) and 丙局: 高雄 has 2 agencies to 臺中's 1. 丙 is counted, and 甲 names 丙.xlsx (it
    # named 乙.xlsx, the first 高雄 book found, itself left out)
    books = [book("甲.xlsx", "臺中市政府甲局", "臺中市政府主管", "02-001"),
             book("乙.xlsx", "高雄市政府乙局", "高雄市政府主管", "02-002"),
             book("乙（修正）.xlsx", "高雄市政府乙局", "高雄市政府主管", "02-002", amount=2_000),
             book("丙.xlsx", "高雄市政府丙局", "高雄市政府主管", "02-003")]
    assert [r.source for r in select_citywide(books)] == ["丙.xlsx"]
    assert "彙總為高雄市（如 丙.xlsx）" in books[0].left_out_note
    # none of 高雄's counted: the example says so instead of naming a book left out
    books = [book("甲.xlsx", "臺中市政府甲局", "臺中市政府主管", "02-001"),
             book("乙.xlsx", "高雄市政府乙局", "高雄市政府主管", "02-002"),
             book("乙（修正）.xlsx", "高雄市政府乙局", "高雄市政府主管", "02-002", amount=2_000),
             book("丙.xlsx", "高雄市政府丙局", "高雄市政府主管", "02-003", amount=3_000),
             book("丙（修正）.xlsx", "高雄市政府丙局", "高雄市政府主管", "02-003", amount=4_000)]
    assert select_citywide(books) == []
    assert "彙總為高雄市（但其各本也都未列入合計，原因見各本）" in books[0].left_out_note


def test_one_book_of_each_of_two_cities_is_no_citywide_total(tmp_path, capsys):
    """Field report 7 §3.5 end to end: 高雄's 甲 (10,001,500 元) and 臺中's 丙 (3,000 元): the 合計 holds neither
    (0 千元, saying 2 books are not in it), each book says why, and convert exits 1 (it said 0, 臺中's 合計 of 3 千元)."""
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "高雄市政府甲局", "02-001", A_ITEMS, authority="高雄市政府主管")
    small_book(folder / "丙.xlsx", "臺中市政府丙處", "02-003", B_ITEMS, authority="臺中市政府主管")
    out = tmp_path / "out"
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert code == 1
    data, rows, left = _summary(out)
    assert left == {"甲.xlsx": "citywide-city-tie", "丙.xlsx": "citywide-city-tie"}
    assert rows == {"合計（未含待確認 2 本，見下）": rows["合計（未含待確認 2 本，見下）"]}
    assert rows["合計（未含待確認 2 本，見下）"]["本年度預算數"] == 0
    said = capsys.readouterr()
    assert ("甲.xlsx：資料夾有臺中市、高雄市各 1 個機關（臺中市：丙.xlsx；高雄市：甲.xlsx），無法決定彙總哪一縣市，未列入彙總合計；"
            "請分開轉換") in said.out + said.err


def test_title_says_when_years_differ_and_none_is_counted(tmp_path):
    from xlbudget.app.summary import BookResult, citywide_year

    a = BookResult("a.xlsx", agency="甲", year=113, reason="printed-only")
    b = BookResult("b.xlsx", agency="乙", year=114, reason="printed-only")
    assert citywide_year([a, b], []) == "年度不一（113年度、114年度）"
    assert citywide_year([a], []) == "中華民國113年度"
    assert citywide_year([BookResult("c.xlsx")], []) == "年度不明"


def test_every_path_found_gets_a_row(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "高雄 甲.xlsx", "甲局", "02-001", A_ITEMS)
    os.symlink(folder / "高雄 甲.xlsx", folder / "連結.xlsx")  # sorts before the original
    os.symlink("/nonexistent/舊檔.xlsx", folder / "斷掉的連結.xlsx")
    os.symlink(folder, folder / "loop")
    out = tmp_path / "out"
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    rows = {os.path.basename(r.source): (r.status, r.reason) for r in results}
    assert rows == {"高雄 甲.xlsx": (OK, ""),  # converted as itself, not replaced by the link to it
                    "連結.xlsx": (NOT_A_BOOK, "same-file"),
                    "斷掉的連結.xlsx": (UNREADABLE, "broken-link"),
                    "loop": (NOT_A_BOOK, "folder-link")}
    assert code == 2  # a book that could not be read
    _, agency_rows, left = _summary(out)
    # once; the broken link's book is not in it, and the 合計 line says so
    assert agency_rows["合計（未含待確認 1 本，見下）"]["本年度預算數"] == 10_002
    assert left == {"斷掉的連結.xlsx": "citywide-unreadable"}
    # a dangling link named on the command line says the same
    _, named = convert_paths([str(folder / "斷掉的連結.xlsx")], str(tmp_path / "out2"), jobs=1)
    assert [(r.status, r.reason) for r in named] == [(UNREADABLE, "broken-link")]


def _agency_items(n: int, amount: int):
    """One 2018 line of plan 3202 00n 01 01 (機關編號 02-00n in its 3rd–7th digits)."""
    return [(f"32020{n:02d}0101", "一般行政-行政管理", "2018", amount)]


def test_agencies_in_agency_code_order_and_a_title_never_cut_in_a_name(tmp_path):
    """Field report 4 §6 (f07, 500 books): the 彙總 listed agencies in the order the folders were walked (子資料夾
    first), and its title was cut mid-name 「彙總（…、高雄市政府測試機）」. Here 丙所 02-003 is A.xlsx, 甲局 02-001 sits
    in a sub-folder and 乙處 02-002 is C.xlsx: the rows read 甲, 乙, 丙 (機關編號 order) whatever the paths. Three
    names of 23 characters (71 with the two 、) do not fit the title's 60: it says 3 個機關; three short names are named."""
    def convert(names):
        folder = tmp_path / str(len(names[0])) / "in"
        (folder / "子").mkdir(parents=True)
        for path, n, name in (("A.xlsx", 3, names[2]), ("子/B.xlsx", 1, names[0]), ("C.xlsx", 2, names[1])):
            small_book(folder / path, name, f"02-00{n}", _agency_items(n, n * 1000))
        out = folder.parent / "out"
        convert_paths([str(folder)], str(out), jobs=1)
        data = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
        return [row["機關"] for row in data["彙總"]["歲出機關別預算表"]], _sheet_rows(out)[0]

    short = ["甲局", "乙處", "丙所"]
    rows, sheet = convert(short)
    assert rows == ["合計", "甲局", "乙處", "丙所"]
    assert ["彙總（甲局、乙處、丙所）"] in sheet
    long = [f"{c}市政府某某局附屬某某處某某中心某某股測試機關" for c in "甲乙丙"]
    assert [len(n) for n in long] == [23] * 3
    rows, sheet = convert(long)
    assert rows == ["合計"] + long
    assert ["彙總（3 個機關）"] in sheet and not any("…" in str(v) for row in sheet for v in row)


def test_two_agencies_books_of_one_file_name_each_keep_their_own_column(tmp_path):
    """Each agency's folder holds its book under the same name (甲局/預算書.xlsx, 乙處/預算書.xlsx): the 彙總—各項費用
    彙計表's columns were keyed by the file's name, so both agencies' columns showed 乙處's figures, 甲局's 10,002
    千元 nowhere, while the 合計 column added both. By hand (千元): 甲局 2018 2, 2054 10,000; 乙處 2018 2, 2054 1."""
    from xlbudget.app.summary import citywide_tables

    folder = tmp_path / "in"
    (folder / "甲局").mkdir(parents=True)
    (folder / "乙處").mkdir()
    small_book(folder / "甲局" / "預算書.xlsx", "甲局", "02-001", A_ITEMS)
    small_book(folder / "乙處" / "預算書.xlsx", "乙處", "02-002", B_ITEMS)
    code, results = convert_paths([str(folder)], str(tmp_path / "out"), jobs=1)
    assert code == 0
    _, table = citywide_tables(results)
    agencies = [c for c in table.columns if c.key not in ("科目", "合計")]
    assert [c.header[0] for c in agencies] == ["甲局", "乙處"]
    rows = {row.code: row.cells for row in table.rows}
    assert [rows["2054"].get(c.key) for c in agencies] == [10_000, 1]
    assert [rows["合計"].get(c.key) for c in agencies] == [10_002, 3]
    assert rows["合計"]["合計"] == 10_005


def test_the_left_out_list_never_widens_the_printed_summary(tmp_path):
    """The 未列入 list sat under the 彙總 table, its 說明 (a sentence each) running far right of the table's five
    columns: LibreOffice fitted the page to that width and printed the figures tiny. Now nothing under the table
    is wider than the table, and the list is a table of its own sheet: one page wide, its header on every page,
    說明 wrapped in its column, each row as tall as its lines."""
    from xlbudget.forms.layout import text_lines

    folder = tmp_path / "in"
    folder.mkdir()
    small_book(folder / "甲.xlsx", "甲局", "02-001", A_ITEMS)
    for n in range(20):  # 20 copies: each left out, counted once (citywide-duplicate-agency), a sentence each
        shutil.copy(folder / "甲.xlsx", folder / f"甲（副本{n:02d}）.xlsx")
    out = tmp_path / "out"
    _, results = convert_paths([str(folder)], str(out), jobs=1)
    wb = openpyxl.load_workbook(out / "轉換摘要.xlsx")
    summary = wb["彙總"]
    # the table's six columns: 28 + 4 × 14 + 備註 20 (field report 9 §5.7)
    widths = [c.width for c in citywide_tables(results)[0].columns]
    assert widths == [28, 14, 14, 14, 14, 20] and summary.max_column == 6
    table_rows = 7  # 機關, 標題, 年度, 單位, header, 合計, 甲局
    assert summary.cell(table_rows, 1).value == "甲局"
    below = [c for row in summary.iter_rows(min_row=table_rows + 1) for c in row if isinstance(c.value, str)]
    assert below and all(text_lines(c.value, sum(widths[c.column - 1:])) == 1 for c in below), [c.value for c in below]
    listed = wb[LEFT_OUT_TITLE]
    assert (listed.page_setup.fitToWidth in (None, 1), listed.sheet_properties.pageSetUpPr.fitToPage,
            listed.page_setup.fitToHeight, listed.print_title_rows) == (True, True, 0, "$1:$5")
    header = [c.value for c in listed[5]]
    assert header == ["檔案", "機關", "年度", "原因代碼", "說明"]
    notes = [row[4] for row in listed.iter_rows(min_row=6)]
    assert len(notes) == 20 and all(n.value.startswith("甲（副本") and "同一機關" in n.value for n in notes)
    assert all(n.alignment.wrap_text for n in notes)
    # a 說明 of 72 characters (CJK 1.75 units each) in a 60-wide column prints on two lines: at least 15 × 2 + 3 pt
    # (the path in 檔案, 30 wide, may take more)
    assert all(text_lines(n.value, 60) == 2 and listed.row_dimensions[n.row].height >= 33 for n in notes)
