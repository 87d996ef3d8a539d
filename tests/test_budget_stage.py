"""預算階段: which stage of the book it is (預算案 or 法定預算), as the 封面 prints it (pub9), told by 基本資料 預算階段 or
by the 預算類別 typed (「單位法定預算」: a 單位預算 at its 法定預算 stage).

Session 28 left: 預算類別 「單位法定預算」 was read as 單位預算 and its stage was dropped, so the 封面 said nothing of
it (and next-year carried 預算階段 「法定預算」 into next year's draft, whose cover then called a 預算案 法定預算).
Expected, by hand from the printed covers: 新北 115 「(法定版)」 (newtaipei-dbas-115.txt l. 8), 臺北 116 「年度-預算案」
and 「臺北市總預算案」 (taipei-newworks-116.txt l. 3, 7); the seed's 高雄市總預算 (no 案) for the 法定預算.
"""

from __future__ import annotations

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app import publication
from xlbudget.app.example import example_workbook
from xlbudget.app.nextyear import next_year
from xlbudget.readers.inputs import read_book

KIND_ROW = 15  # 基本資料!B15 is the example's 預算類別 (blank)


def _read(kind: str | None, stage: str | None = None):
    wb = example_workbook()
    ws = wb["基本資料"]
    assert ws[f"A{KIND_ROW}"].value == "預算類別"
    ws[f"B{KIND_ROW}"] = kind
    if stage is not None:
        assert ws["A16"].value == "預算階段"  # the template's row (xlbudget new)
        ws["B16"] = stage
    grids = input_grids(wb)
    book, findings = read_book(grids)
    return book, findings, grids


def _cover(book) -> list[str]:
    return [text for text, *_ in publication.cover_lines(book.agency)[0]]


def test_a_kind_typed_with_its_legal_stage_prints_the_stage_on_the_cover():
    # 「單位法定預算」: a 單位預算 (the 彙總 counts it) and the cover's first line 法定預算, 總預算 without 案.
    # Red before: the cover began 機關編號, no stage
    book, findings, _ = _read("單位法定預算")
    assert book.agency.kind == "單位預算"
    cover = _cover(book)
    assert cover[:2] == ["法定預算", "機關編號"] and "高雄市總預算" in cover
    assert str(book.agency.cells["預算階段"]).endswith("基本資料!B15")  # a message about it names the cell typed
    assert [f for f in findings if f.rule.startswith("budget-")] == []


def test_a_kind_typed_as_a_draft_prints_the_draft_stage():
    book, _, _ = _read("單位預算案")
    cover = _cover(book)
    assert book.agency.kind == "單位預算" and cover[0] == "預算案" and "高雄市總預算案" in cover


def test_a_kind_without_a_stage_prints_none_as_the_seed():
    cover = _cover(_read("單位預算")[0])
    assert cover[:2] == ["機關編號", "02-018"] and "高雄市總預算" in cover


def test_a_stage_typed_against_the_kind_is_named_and_the_typed_stage_printed():
    # 預算階段 「預算案」 beside 預算類別 「單位法定預算」: a warning at the 預算階段 cell (B16, the template's row);
    # the cover prints 預算階段, as README says it does
    book, findings, _ = _read("單位法定預算", "預算案")
    said = [f for f in findings if f.rule == "budget-stage-differs"]
    assert [str(f.cell).split(":")[-1] for f in said] == ["基本資料!B16"]
    assert _cover(book)[0] == "預算案"
    book, findings, _ = _read("單位法定預算", "（法定版）")  # the same stage in 新北's words: nothing to say
    assert [f for f in findings if f.rule == "budget-stage-differs"] == [] and _cover(book)[0] == "法定預算"


def _agency_rows(sheets) -> dict[str, object]:
    return {row[0]: row[1] for row in sheets["基本資料"][1:]}


def test_next_year_starts_as_a_draft_whatever_stage_this_year_reached():
    # this year's 法定預算 → next year's 預算案: 預算階段 「法定預算」 → 「預算案」; 預算類別 「單位法定預算」 →
    # 「單位預算案」 (still a 單位預算). Red before: carried as typed, next year's cover said 法定預算
    book, _, grids = _read("單位法定預算", "法定預算")
    rows = _agency_rows(next_year(book, grids).sheets)
    assert (rows["預算類別"], rows["預算階段"], rows["年度"]) == ("單位預算案", "預算案", 114)
    book, _, grids = _read("特別預算", "預算案")  # nothing to change
    rows = _agency_rows(next_year(book, grids).sheets)
    assert (rows["預算類別"], rows["預算階段"]) == ("特別預算", "預算案")


def test_the_template_asks_for_the_stage_and_who_signs_and_pdf_prints_them(monkeypatch, tmp_path):
    # xlbudget new's 基本資料 has 預算階段 (a list: 預算案, 法定預算, as 預算類別's), 機關長官 and 主辦會計人員 after
    # 預算類別 (rows 16–18); filled in a book made from it, the cover prints them: 「法定預算」 first, 新北 115's foot
    # 「主辦會計人員　廖盈婷」 and 「機關長官　吳建國」. Red before: no such rows (the officer had to know the words)
    import json

    import openpyxl

    from test_convert import small_book
    from test_publish_long import _stand_in
    from xlbudget.app.template import new_template
    from xlbudget.cli import main

    ws = new_template()["基本資料"]
    rows = {row[0].value: row[0].row for row in ws.iter_rows(min_row=2)}
    assert (rows["預算類別"], rows["預算階段"], rows["機關長官"], rows["主辦會計人員"]) == (15, 16, 17, 18)
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["B16"] == '"預算案,法定預算"'
    book = small_book(tmp_path / "書.xlsx", "高雄市政府資訊中心", "02-018",
                      [("32020010101", "一般行政-行政管理", "2018", 1_500)], authority="高雄市政府主管")
    wb = openpyxl.load_workbook(book)
    for row in wb["基本資料"].iter_rows(min_row=2):
        row[1].value = {"預算階段": "法定預算", "機關長官": "吳建國", "主辦會計人員": "廖盈婷"}.get(row[0].value,
                                                                                           row[1].value)
    wb.save(book)
    _stand_in(monkeypatch)
    assert main(["pdf", str(book), "-o", str(tmp_path / "書.pdf")]) in (0, 1)
    cover = [line for line in json.loads((tmp_path / "書.pdf").read_text(encoding="utf-8"))[0].splitlines() if line]
    assert cover[0] == "法定預算" and cover[-2:] == ["主辦會計人員　廖盈婷", "機關長官　吳建國"], cover
