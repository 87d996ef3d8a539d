"""compare on field report 4's cases (/work/wt/FIELD-REPORT-4.md §1.3, §3.1, §5.1, §5.2, §6).

Expected figures are hand calculations written here, never compare's own output.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.comparison import CHANGED, DetailLine, compare_figures, compare_lines
from xlbudget.app.example import TAIPEI, example_workbook
from xlbudget.cli import main

TAIPEI_LINE = "58071520101/02一般業務/2039"  # 永久保存檔案掃描、點收等。: 312,500 頁 × 1.6 元 = 500,000 元


def _taipei_price(wb) -> None:
    """臺北 116's 2039 line (歲出明細 row 38: 312,500 頁 × 1.6 元) at 1.7 元, its 預算數 left to be computed."""
    ws = wb["歲出明細"]
    header = [c.value for c in ws[1]]
    price, amount = header.index("單價") + 1, header.index("預算數") + 1
    assert str(ws.cell(38, price).value) == "1.6"
    ws.cell(38, price).value = 1.7
    ws.cell(38, amount).value = None


def test_a_price_with_jiao_changed_is_its_exact_change_in_text_json_and_xlsx(tmp_path, capsys):
    # 1.6 → 1.7 元 is +0.1 元 (was +0: a Decimal counted as 0); the line 312,500 × 1.7 = 531,250, +31,250 元;
    # JSON wrote nothing (exit 3: Decimal is not JSON serializable)
    old = save_atomic(example_workbook(TAIPEI), tmp_path / "案.xlsx")
    wb = example_workbook(TAIPEI)
    _taipei_price(wb)
    new = save_atomic(wb, tmp_path / "法定.xlsx")
    assert main(["compare", str(old), str(new)]) == 1
    text = capsys.readouterr().out
    assert f"{TAIPEI_LINE} 永久保存檔案掃描、點收等。｜單價：1.6 → 1.7（+0.1）元" in text
    assert "：500,000 → 531,250（+31,250）元" in text

    assert main(["compare", str(old), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    price = [r for r in data["figures"] if r["row_code"] == TAIPEI_LINE and r["column"] == "單價"]
    assert [(r["old"], r["new"], r["change"]) for r in price] == [(1.6, 1.7, 0.1)]
    assert [(x["old_amount"], x["new_amount"], x["change"]) for x in data["lines"]] == [(500_000, 531_250, 31_250)]

    out = tmp_path / "比較.xlsx"
    assert main(["compare", str(old), str(new), "--format", "xlsx", "-o", str(out)]) == 1
    import openpyxl

    rows = [r for ws in openpyxl.load_workbook(out) for r in ws.iter_rows(values_only=True)
            if r[:1] == (TAIPEI_LINE,) and "單價" in r]
    assert [(r[4], r[5], r[6]) for r in rows] == [(1.6, 1.7, 0.1)]


PLAN, BRANCH = "32020180101", "01行政業務"


def test_a_printed_price_with_jiao_is_its_change_and_an_unread_amount_no_change():
    # a 明細表 item 100,000 → 100000.4 (f19): 單價 +0.4 元 (was −100,000); its 預算數 100000.4 cannot be read (not
    # whole 元), named by its own note: the line is changed in 單價, its change not compared (was −100,000)
    old = DetailLine(PLAN, BRANCH, "2009", "郵資", "式", "1", 100_000, 100_000)
    new = replace(old, price=Decimal("100000.4"), amount=None, unread=("預算數",))
    lines = compare_lines([old], [new])
    assert [(x["status"], x["fields"], x["old_amount"], x["new_amount"], x["change"]) for x in lines] == [
        (CHANGED, ["單價"], 100_000, None, None)]
    record = {"table": "明細表", "row_code": f"{PLAN}/{BRANCH}/2009", "row_name": "郵資", "column": "單價",
              "unit": "元"}
    figures, _ = compare_figures([record | {"value": 100_000}], [record | {"value": Decimal("100000.4")}])
    assert [(r["old"], r["new"], r["change"]) for r in figures] == [(100_000, Decimal("100000.4"), Decimal("0.4"))]


def test_blank_dash_and_zero_in_a_printed_book_are_the_same_figure(tmp_path, capsys):
    # f15/f16: one office leaves an empty 彙計表 cell blank (as xlbudget prints it), another types 「－」 or 0; check
    # reads both as 0, and compare said 「（空白） → 0（+0）千元」 for each (91 of them) and exit 1
    from test_reading import printed_example

    blank = printed_example()
    blank.save(tmp_path / "空白.xlsx")
    typed = printed_example()
    ws = typed["各項費用彙計表"]
    numbers = [c for row in ws.iter_rows() for c in row if isinstance(c.value, int) and not isinstance(c.value, bool)]
    rows, columns = {c.row for c in numbers}, {c.column for c in numbers}
    empty = [ws.cell(r, c) for r in sorted(rows) for c in sorted(columns) if ws.cell(r, c).value is None]
    assert len(empty) > 10  # the example's 彙計表 has blank cells: plans without some 用途別
    for i, cell in enumerate(empty):
        cell.value = "－" if i % 2 else 0
    typed.save(tmp_path / "填寫.xlsx")
    assert main(["check", str(tmp_path / "填寫.xlsx")]) == 0
    capsys.readouterr()
    assert main(["compare", str(tmp_path / "空白.xlsx"), str(tmp_path / "填寫.xlsx")]) == 0
    assert "各表數字及歲出明細均相同" in capsys.readouterr().out


def test_a_cut_said_in_its_note_is_one_line_changed():
    # f06: the council cuts 2054 20,300,000 → 18,270,000 and its 說明 gains 「（議會刪減203萬元）」: one 變更 of
    # −2,030,000 (20,300,000 − 18,270,000) with both 說明, not 刪除 20,300,000 + 新增 18,270,000
    note = "智慧城市成果行銷"
    old = DetailLine(PLAN, "01規劃發展", "2054", note, "式", "1", 20_300_000, 20_300_000)
    other = DetailLine(PLAN, "01規劃發展", "2054", "國際合作", "式", "1", 1_000, 1_000)  # deleted by the council
    cut = replace(old, note=note + "（議會刪減203萬元）", typed_note="", price=18_270_000, amount=18_270_000)
    lines = compare_lines([old, other], [cut])
    assert [(x["status"], x["old_note"], x["note"], x["change"], x["fields"]) for x in lines] == [
        (CHANGED, note, note + "（議會刪減203萬元）", -2_030_000, ["說明", "單價", "預算數"]),
        ("刪除", "國際合作", "國際合作", -1_000, [])]


def test_a_note_held_by_two_lines_stays_removed_and_added():
    # 「系統維護」 and 「系統維護費」 both held by 「系統維護費（刪減）」: which one was cut is not known, so nothing is paired
    a = DetailLine(PLAN, BRANCH, "2018", "系統維護", "式", "1", 50_000, 50_000)
    b = replace(a, note="系統維護費", price=40_000, amount=40_000)
    cut = replace(a, note="系統維護費（刪減）", price=30_000, amount=30_000)
    lines = compare_lines([a, b], [cut])
    assert [(x["status"], x["change"]) for x in lines] == [("刪除", -50_000), ("刪除", -40_000), ("新增", 30_000)]


def test_books_of_two_years_are_said_to_be_so():
    # f05: a 113 book against its 114 next-year book said nothing of the 年度; now said first, and as a note
    from test_yearover import AGENCY, BOOK

    from xlbudget.app.comparison import compare_books, comparison_json, comparison_text, template_figures

    assert AGENCY.year == 113
    result = compare_books(template_figures(BOOK), template_figures(replace(BOOK, agency=replace(AGENCY, year=114))))
    said = "兩本書年度不同：舊書為 113 年度，新書為 114 年度"
    assert comparison_text(result, "舊.xlsx", "新.xlsx").startswith(f"舊.xlsx 與 新.xlsx 各表數字及歲出明細均相同。\n")
    assert said in comparison_text(result, "舊.xlsx", "新.xlsx")
    assert [n["rule"] for n in json.loads(comparison_json(result))["notes"]] == ["compare-years-differ"]
    assert compare_books(template_figures(BOOK), template_figures(BOOK)).notes == ()


def test_printed_books_of_two_years_are_said_to_be_so(tmp_path, capsys):
    # two hand-made books, the example printed as 113 (中華民國113年度 under each title) and the same book a year
    # on (中華民國114年度, every figure the same): nothing differs, and the 年度 are said, first and as a note, in
    # text, JSON and the xlsx's 未比較 sheet, as for template books. A template book against a printed one too.
    import openpyxl
    from test_compare_pairing import _next_year
    from test_reading import printed_example

    printed_example().save(tmp_path / "113.xlsx")
    printed_example(edit=_next_year).save(tmp_path / "114.xlsx")
    said = "兩本書年度不同：舊書為 113 年度，新書為 114 年度"
    assert main(["compare", str(tmp_path / "113.xlsx"), str(tmp_path / "114.xlsx")]) == 0
    text = capsys.readouterr().out
    # the same figures a year on: 114's 上年度 is not 113's 本年度 on 12 rows, said first (test_field19)
    first, second = text.splitlines()[:2]
    assert first.startswith("新書有 12 列的上年度與前一年度那本書的本年度不同（如「歲入來源別預算表」合計）"), first
    assert second == "113.xlsx 與 114.xlsx 各表數字及歲出明細均相同。" and said in text
    assert main(["compare", str(tmp_path / "113.xlsx"), str(tmp_path / "114.xlsx"), "--format", "json"]) == 0
    # the same figures a year on: where 114's 上年度 is not 113's 本年度, each row is said (test_field19)
    assert _rules(capsys.readouterr().out) == ["compare-years-differ"]
    out = tmp_path / "比較.xlsx"
    assert main(["compare", str(tmp_path / "113.xlsx"), str(tmp_path / "114.xlsx"), "--format", "xlsx",
                 "-o", str(out)]) == 0
    capsys.readouterr()
    assert [r[1] for r in openpyxl.load_workbook(out)["未比較"].iter_rows(min_row=2, values_only=True)
            if r[1] != "compare-prior-year-differs"] == ["compare-years-differ"]
    # the same year: nothing said
    assert main(["compare", str(tmp_path / "113.xlsx"), str(tmp_path / "113.xlsx"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"] == []
    # the template book (113) against the printed 114
    template = save_atomic(example_workbook(), tmp_path / "範本113.xlsx")
    assert main(["compare", str(template), str(tmp_path / "114.xlsx"), "--format", "json"]) == 0
    assert _rules(capsys.readouterr().out) == ["compare-years-differ"]


def _rules(out: str) -> list[str]:
    """The rules of a JSON comparison's notes, but the rows whose 上年度 is not the earlier book's 本年度."""
    return [n["rule"] for n in json.loads(out)["notes"] if n["rule"] != "compare-prior-year-differs"]


def test_rows_printed_alike_pair_on_their_figures_with_zero_as_blank():
    # 公務車輛明細表 prints its vehicles with no code or name: two rows under one key, paired on their figures. The
    # 預算案 types 「－」 (0) for the electric car's 牌照稅 and 檢驗費; the 法定預算 leaves them blank, cuts its 養護費
    # 100,000 → 60,000 and the other car's 牌照稅 7,120 to 「－」 (its 檢驗費 「－」 too). By hand: the electric car
    # is the electric car (養護費 −40,000) and the other car the other car (牌照稅 −7,120): 2 figures. Reading 「－」
    # as a figure of its own (before 5c35310's _Row.values), the electric car's two 「－」 matched the other car's
    # and paired it there: 養護費 100,000 → 50,000, 牌照稅 7,120 → (blank), 養護費 50,000 → 60,000: 3 figures, wrong.
    electric_old = {"牌照稅": 0, "養護費": 100_000, "車輛檢驗費": 0}
    car_old = {"牌照稅": 7_120, "養護費": 50_000}
    electric_new = {"養護費": 60_000}
    car_new = {"牌照稅": 0, "養護費": 50_000, "車輛檢驗費": 0}
    figures, renames = compare_figures(_vehicles(electric_old, car_old), _vehicles(electric_new, car_new))
    assert renames == []
    assert sorted((r["column"], r["old"], r["new"], r["change"]) for r in figures) == [
        ("牌照稅", 7_120, 0, -7_120), ("養護費", 100_000, 60_000, -40_000)]  # the new 牌照稅 as typed: 「－」, 0


def _vehicles(*vehicles):
    """公務車輛明細表 records as printed_figures reads them: vehicle rows under no code or name, each at its row."""
    return [{"table": "公務車輛明細表", "row_code": "", "row_name": "", "column": column, "value": value,
             "unit": "元", "row": n} for n, vehicle in enumerate(vehicles, 9) for column, value in vehicle.items()]


def test_a_vehicle_with_a_blank_cell_keeps_its_own_figures():
    # 油電混合動力車 (養護費 8,500, 檢驗費 blank) printed above 小客貨兩用車 (養護費 51,000, 檢驗費 750); the council
    # deletes the hybrid. By hand: its one figure is gone (養護費 −8,500), the other car unchanged. Assembling rows by
    # the n-th figure of a column (no printed row), the car's 750 joined the hybrid's row in the old book alone,
    # and the car paired as changed: 3 figures (檢驗費 +750, 養護費 −8,500, 檢驗費 −750) for a car no one touched.
    hybrid, car = {"養護費": 8_500}, {"養護費": 51_000, "車輛檢驗費": 750}
    figures, _ = compare_figures(_vehicles(hybrid, car), _vehicles(car))
    assert [(r["column"], r["old"], r["new"], r["change"]) for r in figures] == [("養護費", 8_500, None, -8_500)]


def test_rows_printed_alike_pair_with_the_nearest_figures_whatever_their_order():
    # two vehicles (no code or name), 養護費 100,000 and 300,000; cut to 90,000 and 250,000, the larger printed
    # first. Neither keeps a figure, so the nearest decides: −10,000 and −50,000 by hand, not +150,000 and −210,000
    figures, _ = compare_figures(_vehicles({"養護費": 100_000}, {"養護費": 300_000}),
                                 _vehicles({"養護費": 250_000}, {"養護費": 90_000}))
    assert sorted((r["old"], r["new"], r["change"]) for r in figures) == [(100_000, 90_000, -10_000),
                                                                         (300_000, 250_000, -50_000)]
