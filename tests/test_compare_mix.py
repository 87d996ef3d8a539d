"""compare of a template (input-sheet) book against a hand-made (printed tables only) book (field L4).

Both sides are reduced to the same figures: the template book's tables are laid
out as build prints them and read back by the printed reader, as the hand-made
book's are; its 歲出明細 lines stay at their input cells. A book's own printed
form therefore compares equal to it. What cannot be compared (a figure that
cannot be read, a table or column one side does not print) is named, never
reported as a difference.

Before: the example against its own printed form gave 368 figures and 77 lines
"different" — every one of them the same figure under another row key.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from test_reading import printed_example, write_ods
from test_yearover import priced_example

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import EXAMPLES, example_rows, example_workbook
from xlbudget.cli import main

DETAIL, SUMMARY, CAPITAL = "歲出計畫說明提要與各項費用明細表", "各項費用彙計表", "資本支出分析表"
AGENCY_BUDGET = "歲出機關別預算表"
PLAN_A, PLAN_B = "32020180101", "32020183201"  # the example's 行政管理 and 數位發展計畫


def compared(old: Path, new: Path, capsys) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["compare", str(old), str(new), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert out.pop("old").endswith(old.name) and out.pop("new").endswith(new.name)  # the books named (field report 7 f08)
    return code, out


def notes(out: dict) -> set[tuple]:
    """(rule, cell) of every note: what could not be compared, and how."""
    return {(n["rule"], n["file"] and f"{n['file']}:{n['sheet']}!{n['cell']}") for n in out["notes"]}


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The example as its input book, and as its printed tables only (the built book, input sheets deleted)."""
    folder = tmp_path_factory.mktemp("mix")
    template = save_atomic(example_workbook(), folder / "範本.xlsx")
    printed = printed_example()
    printed.save(folder / "手製.xlsx")
    return template, folder / "手製.xlsx"


@pytest.mark.parametrize("example", list(EXAMPLES))
def test_a_template_book_and_its_printed_form_are_the_same(example, tmp_path, capsys):
    template = save_atomic(example_workbook(example), tmp_path / "範本.xlsx")
    printed = tmp_path / "手製.xlsx"
    printed_example(example).save(printed)
    for old, new in ((template, printed), (printed, template)):
        code, out = compared(old, new, capsys)
        assert (code, out) == (0, {"figures": [], "renames": [], "renumbered": [], "lines": [], "notes": []}), (old.name, out["figures"][:3])


def test_ods_and_xlsx_of_either_kind_are_the_same(pair, tmp_path, capsys):
    template, printed = pair
    template_ods = write_ods(example_workbook(), tmp_path / "範本.ods")
    printed_ods = write_ods(openpyxl.load_workbook(printed), tmp_path / "手製.ods")
    for old, new in ((template_ods, printed), (printed_ods, template), (template_ods, printed_ods)):
        assert compared(old, new, capsys) == (0, {"figures": [], "renames": [], "renumbered": [], "lines": [], "notes": []}), (old.name, new.name)


def test_a_changed_price_is_found_across_the_mix(pair, tmp_path, capsys):
    """The template's 行政管理 2018 line of 28,000 made 40,000 (+12,000 元, so +12 千元 everywhere it reaches)."""
    _, printed = pair
    wb, row = priced_example()
    new = save_atomic(wb, tmp_path / "範本新.xlsx")
    code, out = compared(printed, new, capsys)
    assert code == 1 and out["notes"] == []
    # the seed's 歲出機關別預算表 (千元): 行政管理 43,769 → 43,781, 合計 275,795 → 275,807
    agency = {(r["row_code"], r["column"], r["old"], r["new"]) for r in out["figures"] if r["table"] == AGENCY_BUDGET}
    assert (PLAN_A, "本年度預算數", 43_769, 43_781) in agency
    assert ("0002000000", "本年度預算數", 275_795, 275_807) in agency
    assert {r["change"] for r in out["figures"] if r["unit"] == "千元"} == {12}
    assert {r["change"] for r in out["figures"] if r["unit"] == "元"} == {12_000}
    [line] = out["lines"]
    assert (line["status"], line["plan"], line["object_code"], line["old_amount"], line["new_amount"],
            line["fields"]) == ("變更", PLAN_A, "2018", 28_000, 40_000, ["單價", "預算數"])
    assert line["old_cell"].startswith(f"手製.xlsx:{DETAIL}!E") and line["new_cell"] == f"範本新.xlsx:歲出明細!H{row}"


def _yuan_summary() -> dict[tuple[str, str], int]:
    """各項費用彙計表 in 元, by hand from the example's 歲出明細 lines: (row code as printed, plan or 合計) → 元."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for line in example_rows("歲出明細"):
        amount, code = int(line["預算數"]), line["用途別科目"]
        for plan in (line["工作計畫編號"], "合計"):
            sums[("合計", plan)] += amount
            sums[(code[0] + "00000", plan)] += amount  # 一級 2000 業務費 is printed 200000
            sums[(code + "00", plan)] += amount  # 二級 2018 is printed 201800
    return sums


def _summary_in_yuan(wb, change: tuple[str, int] | None = None) -> str | None:
    """The printed 各項費用彙計表 rewritten in 元 (each 千元 figure first checked to round from its 元 total);
    ``change`` (column letter, 元) adds to the 201800 資訊服務費 row; returns the changed cell."""
    from xlbudget.core.amounts import to_thousands

    ws = wb[SUMMARY]
    sums = _yuan_summary()
    plans = {c.column_letter: str(c.value).split("\n")[0] for c in ws[5] if c.value}
    plans = {k: ("合計" if v == "合計" else v) for k, v in plans.items() if k != "A"}
    assert set(plans.values()) == {PLAN_A, PLAN_B, "合計"}
    target = None
    for row in ws.iter_rows(min_row=7):
        label = str(row[0].value or "").strip("\u3000 ")
        code = "合計" if label == "合計" else label[:6]
        for cell in row[1:]:
            if isinstance(cell.value, int):
                yuan = sums[(code, plans[cell.column_letter])]
                assert to_thousands(yuan) == cell.value, (label, cell.coordinate)
                cell.value = yuan
                if change and code == "201800" and cell.column_letter == change[0]:
                    cell.value += change[1]
                    target = cell.coordinate
    unit = next(c for c in ws[4] if c.value)
    unit.value = "單位：新臺幣元"
    return target


def test_a_summary_printed_in_yuan_is_compared_in_thousands(pair, tmp_path, capsys):
    template, _ = pair
    wb = printed_example()
    _summary_in_yuan(wb)
    wb.save(tmp_path / "元.xlsx")
    code, out = compared(template, tmp_path / "元.xlsx", capsys)
    assert (code, out["figures"], out["lines"]) == (0, [], [])
    assert [(n["rule"], n["severity"]) for n in out["notes"]] == [("compare-units-differ", "info")]
    # 1,000 元 more on 數位發展計畫's 201800: its 千元 figure is 1 more, and nothing else moves
    wb = printed_example()
    cell = _summary_in_yuan(wb, ("C", 1_000))
    wb.save(tmp_path / "元改.xlsx")
    code, out = compared(template, tmp_path / "元改.xlsx", capsys)
    assert code == 1 and out["lines"] == []
    assert [(r["table"], r["row_code"], r["column"], r["change"], r["unit"]) for r in out["figures"]] == [
        (SUMMARY, "201800", PLAN_B, 1, "千元")]
    assert cell is not None


def test_an_unreadable_figure_is_named_not_a_difference(pair, tmp_path, capsys):
    template, _ = pair
    wb = printed_example()
    ws = wb[AGENCY_BUDGET]
    ws["F8"].value, ws["F8"].data_type = "#REF!", "e"  # 高雄市政府資訊中心 本年度預算數 275,795
    wb.save(tmp_path / "壞格.xlsx")
    code, out = compared(template, tmp_path / "壞格.xlsx", capsys)
    assert (code, out["figures"], out["lines"]) == (1, [], [])
    assert notes(out) == {("compare-figure-unreadable", f"壞格.xlsx:{AGENCY_BUDGET}!F8")}


def test_a_table_one_side_does_not_print_is_named(pair, tmp_path, capsys):
    template, _ = pair
    wb = printed_example()
    del wb[CAPITAL]
    del wb[DETAIL]
    wb.save(tmp_path / "缺表.xlsx")
    code, out = compared(template, tmp_path / "缺表.xlsx", capsys)
    assert (code, out["figures"], out["lines"]) == (1, [], [])
    found = {(n["rule"], n["table"]) for n in out["notes"]}
    assert found == {("compare-table-one-side", CAPITAL), ("compare-table-one-side", DETAIL)}
    text_code = main(["compare", str(template), str(tmp_path / "缺表.xlsx")])
    text = capsys.readouterr().out
    assert text_code == 1 and CAPITAL in text and "未比較" in text and "相同" in text


def test_a_column_one_side_does_not_print_is_named(pair, tmp_path, capsys):
    """The hand-made 歲出機關別預算表 heads its H column 前年度實際數 (another layout): neither column is compared."""
    template, _ = pair
    wb = printed_example()
    ws = wb[AGENCY_BUDGET]
    assert "".join(ws["H5"].value.split()) == "前年度決算數"  # printed on two lines: 前年度｜決算數
    ws["H5"].value = "前年度實際數"
    wb.save(tmp_path / "欄.xlsx")
    code, out = compared(template, tmp_path / "欄.xlsx", capsys)
    assert (code, out["figures"], out["lines"]) == (1, [], [])
    assert {(n["rule"], n["side"], n["column"]) for n in out["notes"]} == {
        ("compare-column-one-side", "old", "前年度決算數"), ("compare-column-one-side", "new", "前年度實際數")}
    # the 比較 workbook lists them on 未比較, with the hand-made book's cell
    target = tmp_path / "比較.xlsx"
    assert main(["compare", str(template), str(tmp_path / "欄.xlsx"), "--format", "xlsx", "-o", str(target)]) == 1
    rows = list(openpyxl.load_workbook(target)["未比較"].iter_rows(min_row=2, values_only=True))
    assert {(r[1], r[3]) for r in rows} == {("compare-column-one-side", None),
                                            ("compare-column-one-side", f"{AGENCY_BUDGET}!H7")}


def test_a_quantity_in_thousands_is_the_same_as_printed(tmp_path, capsys):
    """數量 1000 typed as a number prints 1,000 in the 明細表: the same 數量, not a change (1000 × 28 = 28,000)."""
    def edit(wb):
        ws = wb["歲出明細"]
        header = [c.value for c in ws[1]]
        col = {h: header.index(h) + 1 for h in ("數量", "單價", "預算數")}
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["預算數"]).value == 28_000)
        ws.cell(row, col["數量"]).value, ws.cell(row, col["單價"]).value = 1_000, 28

    wb = example_workbook()
    edit(wb)
    template = save_atomic(wb, tmp_path / "範本.xlsx")
    printed_example(edit=edit).save(tmp_path / "手製.xlsx")
    assert compared(template, tmp_path / "手製.xlsx", capsys) == (0, {"figures": [], "renames": [], "renumbered": [], "lines": [], "notes": []})


def test_a_template_book_and_the_converted_copy_of_its_printed_form_are_the_same(pair, tmp_path, capsys):
    """convert keeps a hand-made book's tables: its output compares equal to the template book it was printed from."""
    from xlbudget.app.convert import convert_paths

    template, printed = pair
    code, results = convert_paths([str(printed)], str(tmp_path / "轉換"), jobs=1, stream=open("/dev/null", "w"))
    assert code == 0 and results[0].output, results[0].message
    assert compared(template, Path(results[0].output), capsys) == (0, {"figures": [], "renames": [], "renumbered": [], "lines": [], "notes": []})


def test_total_rows_only_one_side_prints_are_named_not_differences(pair, tmp_path, capsys):
    """A 小計 under 1020's two items (4,410,710 + 871,852 = 5,282,562) and a 總計 at the 彙計表's foot, which the
    officer added and build does not print: not figures that appeared (an info note each; check ties them to the
    rows they close), while a real change beside them is still found."""
    template, _ = pair
    wb = printed_example()
    ws = wb[DETAIL]
    r = next(c.row for row in ws.iter_rows() for c in row if c.value == "約僱人員薪資。")
    for m in ws.merged_cells.ranges:  # openpyxl's insert_rows moves no merged range
        if m.min_row > r:
            m.shift(0, 1)
    ws.insert_rows(r + 1)
    ws.cell(r + 1, 1).value, ws.cell(r + 1, 5).value = "小計", 5_282_562
    wb[SUMMARY].append(["總計", 43_769, 232_026, 275_795])
    wb.save(tmp_path / "小計.xlsx")
    code, out = compared(template, tmp_path / "小計.xlsx", capsys)
    assert (code, out["figures"], out["lines"]) == (0, [], [])
    assert {(n["rule"], n["severity"], n["table"], n["row_code"]) for n in out["notes"]} == {
        ("compare-total-row-one-side", "info", DETAIL, "小計"), ("compare-total-row-one-side", "info", SUMMARY, "總計")}
