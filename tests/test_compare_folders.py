"""compare DIR_OLD DIR_NEW: a budget office's 預算案 folder against its 法定預算 folder, agency by agency.

Expected figures are hand calculations written here (the example books' printed 明細表 合計 rows), never the
comparison's own output.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.comparefolders import FolderBook, pair_books
from xlbudget.app.example import TAICHUNG, TAIPEI, example_workbook
from xlbudget.cli import main

# 高雄市政府資訊中心 113 (02-018): 32020180101 行政管理 43,769,000 + 32020183201 數位發展計畫 232,026,000 元
KAOHSIUNG = 43_769_000 + 232_026_000  # 275,795,000
TAICHUNG_TOTAL = 151_168_000  # 臺中市政府主計處 115 (02-004): 歲出機關別預算表 151,168 千元, every plan whole 千元
CUT_PLAN = "32020183201"


def _cut(wb) -> None:
    """The council cuts 高雄's 歲出明細 row 34 (32020183201 01規劃發展 2018, 1 年 × 2,961,000) by 50,000 元."""
    ws = wb["歲出明細"]
    header = [c.value for c in ws[1]]
    plan, price, amount = (header.index(h) + 1 for h in ("工作計畫編號", "單價", "預算數"))
    assert (ws.cell(34, plan).value, ws.cell(34, price).value, ws.cell(34, amount).value) == (
        CUT_PLAN, 2_961_000, 2_961_000)
    ws.cell(34, price).value = ws.cell(34, amount).value = 2_911_000


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """預算案: 高雄, 臺中, 臺北 (the three examples); 法定預算: 高雄 cut by 50,000 in one line, 臺中 as it was, no
    臺北, and a note that is no book."""
    root = tmp_path_factory.mktemp("folders")
    old, new = root / "預算案", root / "法定預算"
    old.mkdir()
    new.mkdir()
    save_atomic(example_workbook(), old / "高雄.xlsx")
    save_atomic(example_workbook(TAICHUNG), old / "臺中.xlsx")
    save_atomic(example_workbook(TAIPEI), old / "臺北.xlsx")
    wb = example_workbook()
    _cut(wb)
    save_atomic(wb, new / "資訊中心.xlsx")  # another file name: paired by its 機關編號, not its name
    save_atomic(example_workbook(TAICHUNG), new / "臺中.xlsx")
    (new / "說明.txt").write_text("議會審議結果", encoding="utf-8")
    return old, new


def test_folders_text_names_each_agency_its_cut_and_the_books_left(folders, capsys):
    # by hand: 高雄 275,795,000 → 275,745,000 (−50,000), its 數位發展計畫 232,026,000 → 231,976,000; 臺中 the
    # same; the two pairs together 426,963,000 → 426,913,000; 臺北 has no 法定預算; 說明.txt is no book
    old, new = folders
    assert main(["compare", str(old), str(new)]) == 1
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == "比較資料夾 預算案（舊）→ 法定預算（新）：配對 2 組（相同 1、有差異 1）；未配對 1 本；略過 1 個檔案"
    assert lines[1] == "歲出合計（2 組）：426,963,000 → 426,913,000（-50,000）元"
    assert lines[3] == "【有差異】1 個機關"  # first, before the agencies that are the same
    assert lines[lines.index("【相同】1 個機關") + 1] == "  臺中市政府主計處（02-004）（臺中.xlsx → 臺中.xlsx）"
    kaohsiung = next(n for n, line in enumerate(lines) if line.startswith("  高雄市政府資訊中心（02-018）："))
    assert lines[kaohsiung].startswith("  高雄市政府資訊中心（02-018）：歲出 275,795,000 → 275,745,000（-50,000）元；")
    assert lines[kaohsiung].endswith("歲出明細 1 筆（高雄.xlsx → 資訊中心.xlsx）")
    assert lines[kaohsiung + 1] == f"    {CUT_PLAN} 數位發展計畫：232,026,000 → 231,976,000（-50,000）元"
    assert "  舊資料夾：臺北.xlsx（臺北市政府工務局新建工程處，116 年度）：新資料夾沒有同一機關的預算書，未比較" in lines
    assert any(line.startswith("  新資料夾 說明.txt：不是 Excel 活頁簿") for line in lines)
    assert f"xlbudget compare {old / '高雄.xlsx'} {new / '資訊中心.xlsx'}" in text


def test_folders_json_has_each_book_and_the_totals(folders, capsys):
    old, new = folders
    assert main(["compare", str(old), str(new), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == {"pairs": 2, "old": KAOHSIUNG + TAICHUNG_TOTAL, "new": KAOHSIUNG + TAICHUNG_TOTAL - 50_000,
                            "change": -50_000}
    books = {(b["old"], b["new"]): b for b in out["books"]}
    cut = books[("高雄.xlsx", "資訊中心.xlsx")]
    assert (cut["status"], cut["paired_by"], cut["old_total"], cut["new_total"], cut["change"], cut["lines"]) == (
        "有差異", "機關編號", KAOHSIUNG, KAOHSIUNG - 50_000, -50_000, 1)
    assert cut["plans"] == [{"plan": CUT_PLAN, "name": "數位發展計畫", "old": 232_026_000, "new": 231_976_000,
                             "change": -50_000}]
    same = books[("臺中.xlsx", "臺中.xlsx")]
    assert (same["status"], same["figures"], same["change"], same["plans"]) == ("相同", 0, 0, [])
    assert (books[("臺北.xlsx", "")]["status"], books[("臺北.xlsx", "")]["reason"]) == ("未配對", "compare-no-partner")
    assert (books[("", "說明.txt")]["status"], books[("", "說明.txt")]["reason"]) == ("略過", "not-a-book")
    assert len(out["books"]) == 4


def test_folders_xlsx_summary_and_cuts_in_one_table(folders, tmp_path, capsys):
    """摘要: a row a pair or book; 歲出增減: 合計, each agency and under it each 工作計畫 that changed (元), printed
    as a table: A4 one page wide, its header rows repeated."""
    old, new = folders
    target = tmp_path / "比較摘要.xlsx"
    assert main(["compare", str(old), str(new), "--format", "xlsx", "-o", str(target)]) == 1
    assert "已寫出比較摘要" in capsys.readouterr().out
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["摘要", "歲出增減"]
    rows = [r for r in wb["歲出增減"].iter_rows(values_only=True) if r[0] is not None]
    body = rows[rows.index(("機關及工作計畫", "舊預算數", "新預算數", "增減")) + 1:]
    assert body == [("合計", KAOHSIUNG + TAICHUNG_TOTAL, KAOHSIUNG + TAICHUNG_TOTAL - 50_000, -50_000),
                    ("臺中市政府主計處", TAICHUNG_TOTAL, TAICHUNG_TOTAL, 0),
                    ("高雄市政府資訊中心", KAOHSIUNG, KAOHSIUNG - 50_000, -50_000),
                    (f"\u3000{CUT_PLAN} 數位發展計畫", 232_026_000, 231_976_000, -50_000)]
    summary = [r for r in wb["摘要"].iter_rows(values_only=True)]
    header = summary.index(next(r for r in summary if r[0] == "狀態"))
    statuses = [(r[0], r[1], r[3], r[4]) for r in summary[header + 1:]]
    assert statuses == [("相同", "臺中市政府主計處", "臺中.xlsx", "臺中.xlsx"),
                        ("有差異", "高雄市政府資訊中心", "高雄.xlsx", "資訊中心.xlsx"),
                        ("未配對", "臺北市政府工務局新建工程處", "臺北.xlsx", None), ("略過", None, None, "說明.txt")]
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth in (None, 1) and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows, ws.title


def test_a_printed_book_is_paired_with_its_template_by_agency_name(tmp_path, capsys):
    # 高雄's template book against its own printed tables (a hand-made book: no 機關編號, its agency the line over
    # each title): the same agency by name, the same figures, exit 0
    from test_reading import printed_example

    (tmp_path / "舊").mkdir()
    (tmp_path / "新").mkdir()
    save_atomic(example_workbook(), tmp_path / "舊" / "範本.xlsx")
    printed_example().save(tmp_path / "新" / "印製.xlsx")
    assert main(["compare", str(tmp_path / "舊"), str(tmp_path / "新"), "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["books"]
    assert (row["status"], row["paired_by"], row["agency"], row["old_year"], row["new_year"], row["change"]) == (
        "相同", "機關名稱", "高雄市政府資訊中心", 113, 113, 0)


def test_a_detail_table_printed_in_thousands_gives_no_total_in_yuan(tmp_path, capsys):
    # a hand-made 法定預算 whose 明細表 says 單位：新臺幣千元: its 合計 rows are not 元 figures, so no 歲出 in 元 is
    # made of them (it summed them as 元: 275,795 千元 against 275,795,000 元 would be −275,519,205 元 without a
    # word); here the figures are left as printed, so the sum taken as 元 said «+0»; now the change is not given, and said so
    from test_reading import printed_example

    (tmp_path / "舊").mkdir()
    (tmp_path / "新").mkdir()
    printed_example().save(tmp_path / "舊" / "高雄.xlsx")
    wb = printed_example()
    ws = wb["歲出計畫說明提要與各項費用明細表"]
    units = [c for row in ws.iter_rows() for c in row if c.value == "單位：新臺幣元"]
    assert units
    for c in units:
        c.value = "單位：新臺幣千元"
    wb.save(tmp_path / "新" / "高雄.xlsx")
    assert main(["compare", str(tmp_path / "舊"), str(tmp_path / "新"), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    (row,) = out["books"]
    assert (row["old_total"], row["new_total"], row["change"]) == (KAOHSIUNG, None, None)
    assert "明細表讀不到以元列印的工作計畫合計：歲出增減未列" in row["message"]
    assert out["total"] == {"pairs": 0, "old": 0, "new": 0, "change": 0}


def test_a_pair_not_all_compared_is_not_listed_as_differing(tmp_path, capsys):
    # the 法定預算's 各項費用彙計表 prints 行政管理's 43,769 千元 as 「約43769」: nothing differs, one figure not
    # compared; the text listed it under 【有差異】 (every pair not 相同); it has a heading of its own
    from test_reading import printed_example

    (tmp_path / "舊").mkdir()
    (tmp_path / "新").mkdir()
    printed_example().save(tmp_path / "舊" / "高雄.xlsx")
    wb = printed_example()
    cell = next(c for row in wb["各項費用彙計表"].iter_rows() for c in row if c.value == 43_769)
    cell.value = "約43769"
    wb.save(tmp_path / "新" / "高雄.xlsx")
    assert main(["compare", str(tmp_path / "舊"), str(tmp_path / "新")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("配對 1 組（未完整比較 1）")
    assert "【有差異】" not in "".join(lines)
    at = lines.index("【未完整比較】1 個機關")
    assert lines[at + 1] == ("  高雄市政府資訊中心：歲出 275,795,000 → 275,795,000（+0）元；0 個數字不同，歲出明細 0 筆，"
                             "1 項未比較（高雄.xlsx → 高雄.xlsx）")


def test_a_folder_kept_inside_the_other_is_not_counted_twice(tmp_path, capsys):
    # 預算案/法定預算: the 法定預算 books are the new side's, not a second book of each agency on the old side (every
    # agency was 「同一機關在舊資料夾有 2 本」 and nothing compared); by hand 高雄 −50,000 as in the folders fixture
    old = tmp_path / "預算案"
    new = old / "法定預算"
    new.mkdir(parents=True)
    save_atomic(example_workbook(), old / "高雄.xlsx")
    wb = example_workbook()
    _cut(wb)
    save_atomic(wb, new / "高雄.xlsx")
    for args in ([str(old), str(new)], [str(new), str(old)]):
        assert main(["compare", *args, "--format", "json"]) == 1
        out = json.loads(capsys.readouterr().out)
        (row,) = out["books"]
        assert (row["status"], row["old"], row["new"]) == ("有差異", "高雄.xlsx", "高雄.xlsx")
        assert abs(out["total"]["change"]) == 50_000


def test_a_folder_holding_only_the_other_says_so_not_that_it_is_empty(tmp_path, monkeypatch, capsys):
    # 預算案 holds nothing but 預算案/法定預算: it was «資料夾 預算案 中沒有任何檔案», which it plainly has; now the row
    # says its files are the other side's, and how to lay the folders out; the headline names «.» by its own name
    old = tmp_path / "預算案"
    new = old / "法定預算"
    new.mkdir(parents=True)
    save_atomic(example_workbook(), new / "高雄.xlsx")
    for args, side in (([str(old), str(new)], "old"), ([str(new), str(old)], "new")):
        assert main(["compare", *args, "--format", "json"]) == 2
        books = json.loads(capsys.readouterr().out)["books"]
        outer = [b for b in books if b["status"] == "無法讀取"]
        assert [(b["reason"], b[side]) for b in outer] == [("compare-folder-only-other", str(old))]
        assert "法定預算 內" in outer[0]["message"] and "互不包含" in outer[0]["message"]
        assert [(b["status"], b["reason"]) for b in books if b is not outer[0]] == [("未配對", "compare-no-partner")]
    monkeypatch.chdir(old)
    assert main(["compare", ".", "法定預算"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("比較資料夾 預算案（舊）→ 法定預算（新）：")
    assert f"{old} 中的檔案都在新資料夾 法定預算 內" in out


def test_an_unreadable_book_exits_2_naming_it_and_the_rest_still_compared(folders, tmp_path, capsys):
    old, _ = folders
    new = tmp_path / "法定預算"
    new.mkdir()
    save_atomic(example_workbook(TAICHUNG), new / "臺中.xlsx")
    (new / "壞.xlsx").write_bytes(b"PK\x03\x04 cut short")
    assert main(["compare", str(old), str(new), "--format", "json"]) == 2
    captured = capsys.readouterr()
    books = json.loads(captured.out)["books"]
    bad = [b for b in books if b["new"] == "壞.xlsx"]
    assert [b["status"] for b in bad] == ["無法讀取"]
    # one line, as convert's 轉換摘要 says it (it was 「輸入資料有誤（…）：\n  - …」, printed with its dash in 摘要)
    assert bad[0]["message"] == f"{new / '壞.xlsx'} 不是 Excel 活頁簿（.xlsx），或檔案已截斷／損毀"
    assert "無法讀取 1 本（壞.xlsx）" in captured.err and "Traceback" not in captured.err
    assert [b["status"] for b in books if b["new"] == "臺中.xlsx"] == ["相同"]


def test_a_pair_that_fails_is_a_row_and_the_other_pairs_still_compared(folders, monkeypatch, capsys):
    # a failure inside one pair's comparison (here a KeyError raised for 高雄's) is that pair's row, said as convert
    # says a book it cannot process (internal-error, the same handling): 臺中 still compared and the same, the
    # summary written, exit 2 naming the pair, no traceback; before, the whole run stopped at exit 3 with no summary
    import xlbudget.app.comparison as comparison

    compare_books = comparison.compare_books

    def failing(old, new, *args, **kwargs):
        if old.agency_code == "02-018":
            raise KeyError("測試")
        return compare_books(old, new, *args, **kwargs)

    monkeypatch.setattr(comparison, "compare_books", failing)
    old, new = folders
    assert main(["compare", str(old), str(new), "--format", "json"]) == 2
    captured = capsys.readouterr()
    books = json.loads(captured.out)["books"]
    (failed,) = [b for b in books if b["old"] == "高雄.xlsx"]
    assert (failed["status"], failed["new"], failed["reason"], failed["agency"]) == (
        "無法讀取", "資訊中心.xlsx", "internal-error", "高雄市政府資訊中心")
    assert failed["message"] == ("高雄.xlsx → 資訊中心.xlsx 無法處理（KeyError）；"
                                 f"請以 xlbudget compare {old / '高雄.xlsx'} {new / '資訊中心.xlsx'} 單獨執行檢視原因")
    assert [b["status"] for b in books if b["old"] == "臺中.xlsx"] == ["相同"]
    assert "無法讀取 1 本（高雄.xlsx → 資訊中心.xlsx）" in captured.err and "Traceback" not in captured.err


def test_a_book_that_fails_to_be_read_is_a_row_and_the_rest_still_compared(folders, monkeypatch, capsys):
    # a failure reading one book that is no InputError (a locked file: PermissionError) is that book's row, as
    # convert says it (file-locked); before, the whole run stopped at exit 3 with no summary
    import xlbudget.app.pipeline as pipeline

    read_for_comparing = pipeline.read_for_comparing

    def failing(path, *args, **kwargs):
        if Path(path).name == "資訊中心.xlsx":
            raise PermissionError(13, "Permission denied", str(path))
        return read_for_comparing(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "read_for_comparing", failing)
    old, new = folders
    assert main(["compare", str(old), str(new)]) == 2
    captured = capsys.readouterr()
    assert "  新資料夾：資訊中心.xlsx 無法讀取：檔案被鎖定或沒有讀取權限" in captured.out.splitlines()
    assert "  臺中市政府主計處（02-004）（臺中.xlsx → 臺中.xlsx）" in captured.out.splitlines()
    assert "無法讀取 1 本（資訊中心.xlsx）" in captured.err and "Traceback" not in captured.err


def test_a_folder_against_a_file_exits_2(folders, capsys):
    old, new = folders
    assert main(["compare", str(old), str(new / "臺中.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "臺中.xlsx 不是資料夾" in err and "Traceback" not in err
    # a folder that is not there is said to be missing, not to be no folder
    assert main(["compare", str(new.parent / "預算案-錯字"), str(new)]) == 2
    err = capsys.readouterr().err
    assert f"找不到 {new.parent / '預算案-錯字'}" in err and "不是資料夾" not in err


def test_an_empty_folder_exits_2_naming_it(folders, tmp_path, capsys):
    old, _ = folders
    empty = tmp_path / "空"
    empty.mkdir()
    assert main(["compare", str(old), str(empty)]) == 2
    captured = capsys.readouterr()
    assert f"無法讀取 1 本（{empty}）" in captured.err
    assert "【未配對】3" in captured.out  # each old book said to have no partner


# ---------------------------------------------------------------- pairing, by hand

def _book(rel, agency="", code="", year=None) -> FolderBook:
    return FolderBook(Path(rel), rel, ("template", None), agency, code, year)


def _pairs(olds, news):
    pairs, left = pair_books(olds, news)
    return ({(a.rel, b.rel, basis) for a, b, basis in pairs}, {(b.rel, side, rule) for b, side, rule, _ in left})


def test_pairing_by_code_then_name_then_file_name():
    olds = [_book("甲.xlsx", "甲局", "02-001", 113), _book("乙.xlsx", "乙局", "", 113), _book("丙.xlsx", "", "", 113),
            _book("丁.xlsx", "丁局", "02-004", 113)]
    news = [_book("甲局法定.xlsx", "甲 局", "02-001", 113), _book("乙法定.xlsx", "乙局", "02-002", 113),
            _book("丙.xlsx", "", "", 113), _book("丁.xlsx", "戊局", "02-005", 113)]
    assert _pairs(olds, news) == (
        {("甲.xlsx", "甲局法定.xlsx", "機關編號"), ("乙.xlsx", "乙法定.xlsx", "機關名稱"), ("丙.xlsx", "丙.xlsx", "檔名")},
        # 丁 and 戊 are two agencies under one file name: never paired by it
        {("丁.xlsx", "old", "compare-no-partner"), ("丁.xlsx", "new", "compare-no-partner")})


def test_books_of_one_agency_pair_by_year_and_two_alike_are_not_guessed():
    # 甲局 113 and 114 in the old folder, 114 in the new: 114 with 114, and 113 has no partner. 乙局 has two 113
    # books on each side: which is whose is not known, all four named
    olds = [_book("甲113.xlsx", "甲局", "", 113), _book("甲114.xlsx", "甲局", "", 114),
            _book("乙1.xlsx", "乙局", "", 113), _book("乙2.xlsx", "乙局", "", 113)]
    news = [_book("甲.xlsx", "甲局", "", 114), _book("乙a.xlsx", "乙局", "", 113), _book("乙b.xlsx", "乙局", "", 113)]
    pairs, left = _pairs(olds, news)
    assert pairs == {("甲114.xlsx", "甲.xlsx", "機關名稱")}
    assert left == {("甲113.xlsx", "old", "compare-no-partner"), ("乙1.xlsx", "old", "compare-partner-ambiguous"),
                    ("乙2.xlsx", "old", "compare-partner-ambiguous"), ("乙a.xlsx", "new", "compare-partner-ambiguous"),
                    ("乙b.xlsx", "new", "compare-partner-ambiguous")}


def test_last_years_folder_against_this_years_pairs_each_agency_a_year_on():
    olds = [_book("甲.xlsx", "甲局", "02-001", 113), _book("乙.xlsx", "乙局", "02-002", 113)]
    news = [_book("甲.xlsx", "甲局", "02-001", 114), _book("乙.xlsx", "乙局", "02-002", 114)]
    assert _pairs(olds, news) == ({("甲.xlsx", "甲.xlsx", "機關編號"), ("乙.xlsx", "乙.xlsx", "機關編號")}, set())


# ---------------------------------------------------------------- 預算類別: pairs of one kind only

def _kind_book(rel, kind="", code="02-300", year=114) -> FolderBook:
    book = _book(rel, "高雄市政府工務局", code, year)
    book.kind = kind
    return book


def test_a_unit_budget_is_never_paired_with_its_agencys_special_budget():
    """Red on main: 工務局's 單位預算 (old) was compared with its 特別預算 (new), paired by 機關編號, without a word."""
    pairs, left = _pairs([_kind_book("工務局.xlsx")], [_kind_book("工務局前瞻.xlsx", "特別預算")])
    assert pairs == set()
    assert left == {("工務局.xlsx", "old", "compare-kind-no-partner"), ("工務局前瞻.xlsx", "new", "compare-kind-no-partner")}


def test_books_of_one_agency_pair_kind_with_kind():
    """Red on main: two books of one agency and 年度 on each side were «which is whose?», all four not compared."""
    olds = [_kind_book("工務局.xlsx"), _kind_book("工務局前瞻.xlsx", "特別預算")]
    news = [_kind_book("工務局法定.xlsx"), _kind_book("工務局前瞻法定.xlsx", "特別預算")]
    assert _pairs(olds, news) == ({("工務局.xlsx", "工務局法定.xlsx", "機關編號"),
                                   ("工務局前瞻.xlsx", "工務局前瞻法定.xlsx", "機關編號")}, set())


def test_folders_name_a_book_whose_kind_has_no_partner_and_say_a_kind_guessed(tmp_path, capsys):
    """預算案: 工務局's 單位預算 and its 特別預算 (told by the file name only); 法定預算: its 單位預算, and 社會局's
    追加減預算 (typed) against 社會局's 單位預算. Each pair of one kind compared; the others named with their kind, the
    guessed one said to be guessed. Red on main: 社會局's 單位預算 and 追加減預算 compared as one agency's two books,
    and 工務局's three books «同一機關…無法確定配對»."""
    from test_budget_kinds import EXTRA, UNIT, _kind as typed_kind
    from test_convert import small_book

    old, new = tmp_path / "預算案", tmp_path / "法定預算"
    old.mkdir()
    new.mkdir()
    small_book(old / "工務局.xlsx", "高雄市政府工務局", "02-300", UNIT)
    small_book(old / "工務局114年度前瞻基礎建設計畫特別預算.xlsx", "高雄市政府工務局", "02-300", UNIT)
    small_book(old / "社會局.xlsx", "高雄市政府社會局", "02-302", EXTRA)
    small_book(new / "工務局.xlsx", "高雄市政府工務局", "02-300", UNIT)
    typed_kind(small_book(new / "社會局追加.xlsx", "高雄市政府社會局", "02-302", EXTRA), "追加減預算")
    main(["compare", str(old), str(new), "--format", "json"])
    books = {(b["old"], b["new"]): b for b in json.loads(capsys.readouterr().out)["books"]}
    assert {k: (b["status"], b["reason"], b["kind"]) for k, b in books.items()} == {
        ("工務局.xlsx", "工務局.xlsx"): ("相同", "", ""),
        ("工務局114年度前瞻基礎建設計畫特別預算.xlsx", ""): ("未配對", "compare-kind-no-partner", "特別預算"),
        ("社會局.xlsx", ""): ("未配對", "compare-kind-no-partner", ""),
        ("", "社會局追加.xlsx"): ("未配對", "compare-kind-no-partner", "追加減預算")}
    special = books[("工務局114年度前瞻基礎建設計畫特別預算.xlsx", "")]["message"]
    assert "特別預算；基本資料未填預算類別，依檔名「工務局114年度前瞻基礎建設計畫特別預算.xlsx」判斷" in special, special
    assert "法定預算資料夾" not in special and "新資料夾有此機關的單位預算（工務局.xlsx），沒有特別預算" in special, special
    extra = books[("", "社會局追加.xlsx")]["message"]
    assert "舊資料夾有此機關的單位預算（社會局.xlsx），沒有追加減預算" in extra and "判斷" not in extra, extra
