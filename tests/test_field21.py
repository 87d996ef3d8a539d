"""A hand-made printed book whose 千元 tables keep 元 in their cells and show 千元 by a number format that scales by
1,000 (`#,##0,`, `#,##0,_);(#,##0,)`): session 34's note, «Noticed and left alone», Lead. Read as Excel shows it.

The book is the example (高雄市政府資訊中心 113年度) built and read as printed (test_reading.printed_example): its
各項費用彙計表 prints 43,769 千元 for 32020180101 行政管理 in its 合計 row (B7) and 275,795 in D7; 歲出機關別預算表
prints 行政管理 on row 10 (本年度 F10 43,769). With 以前年度's 上年度 of 行政管理 set to 50,000 千元 its 比較 I10 is
43,769 − 50,000 = −6,231 (by hand), and the lines above it follow.
"""

from __future__ import annotations

import json

import pytest

from xlbudget.app.check import check_values, check_workbook
from xlbudget.cli import main
from xlbudget.readers.grid import format_scale, format_unit, shown_figure

from test_reading import printed_example

SUMMARY = "各項費用彙計表"
AGENCY = "歲出機關別預算表"
DETAIL = "歲出計畫說明提要與各項費用明細表"
SCALED = "#,##0,"
BRACKETED = "#,##0,_);(#,##0,)"


# ------------------------------------------------------------ the figure a scaling format shows

@pytest.mark.parametrize("code, value, shown", [
    (SCALED, 43_769_499, 43_769),  # 43,769.499 → 43,769
    (SCALED, 43_769_500, 43_770),  # 43,769.5 → half away from zero: 43,770
    (SCALED, -43_769_500, -43_770),  # −43,769.5 → −43,770 (not −43,769: away from zero)
    (SCALED, -43_769_499, -43_769),
    (SCALED, 400, 0),  # 0.4 shows as 0
    (SCALED, 43_769_499.6, 43_769),  # a float: 43,769,499.6 ÷ 1,000 = 43,769.4996 → 43,769
    (SCALED, 43_769_500.0, 43_770),
    ('#,##0,"千元"', 4_411_500, 4_412),
    (BRACKETED, -6_231_500, -6_232),  # the negative section (#,##0,) scales too: (6,232)
    ("#,##0,,", 43_769_499, 44),  # two commas: ÷ 1,000,000, 43.769499 → 44
    ("0.0,", 43_769_450, 43_769.5),  # one place shown: 43,769.45 → 43,769.5
    ("#,##0;(#,##0,)", 43_769_499, 43_769_499),  # the positive section shows the figure whole
    ("#,##0;(#,##0,)", -43_769_499, -43_769),  # the negative one scales it
    ("#,##0", 43_769_499, 43_769_499),
    ("#,##0_,", 43_769_499, 43_769_499),  # _, pads the width of a comma: no scale
    ('#,##0"千元"', 4_411, 4_411),  # shows a unit, scales nothing (amount-unit-format's, for input sheets)
    # a condition chooses the section (session 35; before, such a format was read as held): by hand
    ("[>=1000000]#,##0,,;#,##0,", 43_769_499, 44),  # ≥ 1,000,000: the first, ÷ 1,000,000: 43.769499 → 44
    ("[>=1000000]#,##0,,;#,##0,", 999_499, 999),  # below: the second, ÷ 1,000: 999.499 → 999
    ("[>=1000000]#,##0,;#,##0", 42_978_499, 42_978),  # ≥ 1,000,000 shown in 千元
    ("[>=1000000]#,##0,;#,##0", 999_999, 999_999),  # below it, shown whole
    ("[Red][>=1000]#,##0,;[<=-1000]-#,##0,;0", -6_231_500, -6_232),  # the second condition met: ÷ 1,000
    ("[Red][>=1000]#,##0,;[<=-1000]-#,##0,;0", 500, 500),  # neither: the third, shown whole
    ("[>=1000]#,##0,;[<=-1000]-#,##0,", 500, 500),  # no section for it (Excel shows ####): as held
    (SCALED, "43,769,499", "43,769,499"),  # text is never scaled by a number format
])
def test_shown_figure(code, value, shown):
    got = shown_figure(code, value)
    assert got == shown and type(got) is type(shown)


def test_format_scale_and_format_unit_read_one_scan():
    """format_scale tells the formats Grid.scaled holds; format_unit (the template's input sheets) is as before."""
    assert [format_scale(c) for c in (SCALED, BRACKETED, '#,##0,"千元"', "#,##0,,", "#,##0", "#,##0_);(#,##0)",
                                      '#,##0;-#,##0;"-"', "General", '#,##0"千元"', "#,##0;(#,##0,)")] \
        == [True, True, True, True, False, False, False, False, False, True]
    assert format_unit('#,##0"千元"') == ("千元", 1000) and format_unit('#,##0,"千元"') is None
    assert format_unit('#,##0,"萬元"') == ("萬元", 10_000) and format_unit("#,##0,,\"百萬元\"") is None


# ------------------------------------------------------------ a book kept in 元, shown in 千元

def _below_prior(wb):
    """以前年度's 上年度 of 32020180101 行政管理 set to 50,000 千元 (was 41,366): its 比較 prints −6,231."""
    wb["以前年度"]["C2"] = 50_000


def _thousands():
    return printed_example(edit=_below_prior)


def _offset(cell) -> int:
    """A few 元 under or over the whole 千元 (−499 … 499), by the cell's place: what 元 a 千元 figure rounds from."""
    return (cell.row * 37 + cell.column * 101) % 999 - 499


def _in_yuan(ws, code: str, cells=None) -> list[str]:
    """Each figure of ``ws``'s table (``cells``: those only) stored in 元 — its 千元 × 1,000 and a few 元 that round
    away — under ``code``, which shows it in 千元 again; the cells changed (a 0 stays 0)."""
    changed = []
    for row in ws.iter_rows(min_row=7):
        for c in row:
            if type(c.value) in (int, float) and c.value and (cells is None or c.coordinate in cells):
                c.value = c.value * 1000 + _offset(c)
                c.number_format = code
                changed.append(c.coordinate)
    return changed


def _findings(report):
    return [(f.rule, f.severity.value, f.cell.sheet if f.cell else None, f.cell.cell if f.cell else None,
             f.expected, f.actual, f.message) for f in report.findings]


def _both(wb, tmp_path, name):
    """The findings of ``wb`` saved, through python-calamine (check) and openpyxl (check --mark)."""
    import openpyxl

    path = tmp_path / name
    wb.save(path)
    return path, _findings(check_values(path)), _findings(check_workbook(openpyxl.load_workbook(path), None, name))


def test_thousands_kept_in_yuan_check_as_typed_in_thousands(tmp_path):
    """各项費用彙計表 (`#,##0,`) and 歲出機關別預算表 (`#,##0,_);(#,##0,)`, its negative 比較 too) in 元: check finds
    what the book typed in 千元 finds, and one info a table naming the cells. Before: 129 errors (subtotal-mismatch,
    thousand-rounding-mismatch, comparison-mismatch, cross-table-mismatch, all in 元) and two table-in-yuan."""
    _, typed, typed_marked = _both(_thousands(), tmp_path, "千元.xlsx")
    wb = _thousands()
    assert wb[AGENCY]["I10"].value == -6_231  # 43,769 − 50,000
    summary = _in_yuan(wb[SUMMARY], SCALED)
    agency = _in_yuan(wb[AGENCY], BRACKETED)
    assert wb[AGENCY]["I10"].value < -6_230_500 and wb[SUMMARY]["B7"].value != 43_769_000  # stored: 元
    _, kept, kept_marked = _both(wb, tmp_path, "元.xlsx")
    assert typed == typed_marked and kept == kept_marked  # both readers alike
    said = [f for f in kept if f[0] == "thousands-shown-by-format"]
    assert [f for f in kept if f not in said] == typed
    assert [(f[1], f[2], f[3]) for f in said] == [("info", AGENCY, agency[0]), ("info", SUMMARY, summary[0])]
    assert f"共 {len(summary)} 格" in said[1][6] and f"共 {len(agency)} 格" in said[0][6]
    assert "「#,##0,」" in said[1][6] and "「#,##0,_);(#,##0,)」" in said[0][6]


def test_the_half_thousand_shows_rounded_away_from_zero(tmp_path):
    """B7 43,769,499 under `#,##0,` prints 43,769: as typed, nothing but the info; 43,769,500 prints 43,770 and is
    held to its 43,769,000 元 as the same book typed 43,770 is (thousand-rounding-mismatch 應為 43,769, 此處為
    43,770), never 43,769,500 in a message. I10 −6,231,500 under `(#,##0,)` prints (6,232): comparison-mismatch
    as for −6,232 typed (43,769 − 50,000 = −6,231)."""
    cases = {"B7": (SUMMARY, 43_769_499, 43_769), "B7 ": (SUMMARY, 43_769_500, 43_770),
             "I10": (AGENCY, -6_231_500, -6_232)}
    for at, (sheet, stored, shown) in cases.items():
        cell = at.strip()
        typed = _thousands()
        typed[sheet][cell] = shown
        _, expected, _ = _both(typed, tmp_path, "typed.xlsx")
        wb = _thousands()
        wb[sheet][cell] = stored
        wb[sheet][cell].number_format = BRACKETED if sheet == AGENCY else SCALED
        _, found, marked = _both(wb, tmp_path, "kept.xlsx")
        assert found == marked
        said = [f for f in found if f[0] == "thousands-shown-by-format"]
        assert [(f[2], f[3]) for f in said] == [(sheet, cell)]
        assert [f for f in found if f not in said] == expected, at
        assert not any(f"{abs(stored):,}" in f[6] for f in found if f not in said)
        if shown == 43_770:
            assert ("thousand-rounding-mismatch", SUMMARY, "B7", 43_769, 43_770) in [f[0:1] + f[2:6] for f in found]
        if shown == -6_232:
            assert any(f[3] == "I10" and f[5] == -6_232 for f in found)


def test_mixed_cells_each_read_as_it_shows(tmp_path):
    """各項費用彙計表's 人事費 rows (8 to 13) kept in 元 under `#,##0,`, the rest typed in 千元 under `#,##0`: each
    read as shown, what the 千元 book finds, one info naming those cells only."""
    _, typed, _ = _both(_thousands(), tmp_path, "千元.xlsx")
    wb = _thousands()
    ws = wb[SUMMARY]
    cells = {c.coordinate for r in range(8, 14) for c in ws[r]}
    changed = _in_yuan(ws, SCALED, cells)
    assert changed and all(int(c[1:]) in range(8, 14) for c in changed)
    _, kept, _ = _both(wb, tmp_path, "元.xlsx")
    said = [f for f in kept if f[0] == "thousands-shown-by-format"]
    assert [f for f in kept if f not in said] == typed
    assert [(f[2], f[3]) for f in said] == [(SUMMARY, changed[0])] and f"共 {len(changed)} 格" in said[0][6]


def test_a_conditional_scale_reads_each_figure_by_its_section(tmp_path):
    """各項費用彙計表 kept in 元 under `[>=1000000]#,##0,;#,##0` (千元 shown from 1,000,000 元 up, the figure whole
    below it), its figures under 1,000,000 元 kept in 千元 as typed: each read by the section its value falls in,
    what the 千元 book finds, one info naming the scaled cells only. Before (a condition read as held): the
    scaled cells 1,000-fold, thousand-rounding and sum errors (the lead's ugly book, session 35)."""
    code = "[>=1000000]#,##0,;#,##0"
    _, typed, _ = _both(_thousands(), tmp_path, "千元.xlsx")
    wb = _thousands()
    ws = wb[SUMMARY]
    big = {c.coordinate for row in ws.iter_rows(min_row=7) for c in row
           if type(c.value) in (int, float) and abs(c.value) * 1000 + 499 >= 1_000_000}
    changed = _in_yuan(ws, code, big)
    for row in ws.iter_rows(min_row=7):  # the small ones stay 千元, under the same format (its second section)
        for c in row:
            if type(c.value) in (int, float) and c.coordinate not in big:
                c.number_format = code
    assert changed and all(ws[c].value >= 1_000_000 for c in changed)
    _, kept, marked = _both(wb, tmp_path, "元.xlsx")
    assert kept == marked
    said = [f for f in kept if f[0] == "thousands-shown-by-format"]
    assert [f for f in kept if f not in said] == typed
    assert [(f[2], f[3]) for f in said] == [(SUMMARY, changed[0])] and f"共 {len(changed)} 格" in said[0][6]


def test_a_yuan_table_scaled_is_an_error_read_as_printed(tmp_path):
    """明細表 (單位：新臺幣元) E70, 2018 資訊服務費's line of 2,961,000, under `#,##0,` prints 2,961 where 元 are
    meant: figures-scaled-by-format (an error: RULES prints 明細表 to the 元), and the sum it breaks named with the
    printed figure (its 二級 line 2,961,000 against 2,961)."""
    wb = _thousands()
    ws = wb[DETAIL]
    assert ws["E70"].value == 2_961_000
    ws["E70"].number_format = SCALED
    _, found, marked = _both(wb, tmp_path, "明細表.xlsx")
    assert found == marked
    said = [f for f in found if f[0] == "figures-scaled-by-format"]
    assert [(f[1], f[2], f[3]) for f in said] == [("error", DETAIL, "E70")]
    assert "單位是元" in said[0][6] and "存 2,961,000，印為 2,961" in said[0][6]
    assert any(f[0] == "subtotal-mismatch" and f[5] == 2_961 for f in found)


def test_through_the_command_line(tmp_path, capsys):
    """xlbudget check of the example kept in 元 under `#,##0,` in its 各項費用彙計表: exit 0, as for the example typed
    in 千元 (no finding), the info alone in its JSON (before: exit 1, 63 thousand-rounding-mismatch and 56
    subtotal-mismatch errors in 元, and table-in-yuan); check --mark writes the info's mark at B7 and exits 0."""
    import openpyxl

    wb = printed_example()
    _in_yuan(wb[SUMMARY], SCALED)
    book = tmp_path / "元.xlsx"
    wb.save(book)
    capsys.readouterr()
    assert main(["check", str(book), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["severity"], f["sheet"], f["cell"]) for f in found] \
        == [("thousands-shown-by-format", "info", SUMMARY, "B7")]
    marked = tmp_path / "marked.xlsx"
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 0
    assert openpyxl.load_workbook(marked)[SUMMARY]["B7"].comment is not None


def test_compare_reads_the_tables_as_printed(tmp_path, capsys):
    """xlbudget compare of the example typed in 千元 against the same book kept in 元 under `#,##0,` (各項費用彙計表)
    and `#,##0,_);(#,##0,)` (歲出機關別預算表): the same printed figures, no difference, exit 0 (before: 88 figures
    «changed» 1,000-fold, exit 1); B7 kept as 43,769,500 (prints 43,770 where 43,769 was typed) is the one change."""
    typed = tmp_path / "千元.xlsx"
    printed_example().save(typed)
    wb = printed_example()
    _in_yuan(wb[SUMMARY], SCALED)
    _in_yuan(wb[AGENCY], BRACKETED)
    kept = tmp_path / "元.xlsx"
    wb.save(kept)
    capsys.readouterr()
    assert main(["compare", str(typed), str(kept), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["figures"] == []
    wb[SUMMARY]["B7"] = 43_769_500
    wb.save(kept)
    assert main(["compare", str(typed), str(kept), "--format", "json"]) == 1
    changed = json.loads(capsys.readouterr().out)["figures"]
    assert [(f["table"], f["old"], f["new"]) for f in changed] == [(SUMMARY, 43_769, 43_770)]
