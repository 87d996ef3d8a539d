"""What convert's printed 彙總 says under its tables (field report 9 §5.7, §6.2).

A book with errors is added into the 合計 as typed: its row of the 彙總 says so (備註), its column of the
彙總—各項費用彙計表 marks its agency (＊), and a line under each table says how many. Every figure is rounded once
from its 元 total, so a 合計 differs from the sum of the printed figures (尾差, growing with the agencies: up to
0.5 千元 each): a line under each table says so, with the largest difference it prints.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from xlbudget.app.summary import BookResult, write_summary
from xlbudget.forms.layout import text_lines

SUMMARY, OBJECTS = "彙總", "彙總—各項費用彙計表"


def _book(n: int, yuan: dict[str, int], errors: int = 0) -> BookResult:
    return BookResult(f"{n:03d}.xlsx", agency=f"機關{n:03d}", agency_code=f"02-{n:03d}", year=113, errors=errors,
                      by_object=dict(yuan), budget_line={"本年度預算數": sum(yuan.values()), "上年度預算數": None,
                                                         "前年度決算數": None})


def _texts_below(ws, table_end: int) -> list[tuple[int, int, str]]:
    return [(c.row, c.column, c.value) for row in ws.iter_rows(min_row=table_end + 1) for c in row
            if isinstance(c.value, str)]


def _last_table_row(ws) -> int:
    return max(c.row for row in ws.iter_rows() for c in row if isinstance(c.value, int))


def test_books_with_errors_are_marked_and_counted_under_each_table(tmp_path):
    # 3 agencies, 1,000,000 元 each (1,000 千元: no 尾差); the second and third with errors
    results = [_book(1, {"2018": 1_000_000}), _book(2, {"2018": 1_000_000}, errors=3),
               _book(3, {"2018": 1_000_000}, errors=1)]
    write_summary(results, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "轉換摘要.xlsx")
    ws = wb[SUMMARY]
    header = [c.value for c in ws[5]]
    assert header == ["機關", "本年度預算數", "上年度預算數", "前年度決算數", "本年度與\n上年度比較", "備註"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=6, values_only=True) if r[0]}
    assert rows["合計"][1] == 3_000
    assert [rows[f"機關{n:03d}"][5] for n in (1, 2, 3)] == [None, "有錯誤，數字待確認", "有錯誤，數字待確認"]
    below = [text for _, _, text in _texts_below(ws, _last_table_row(ws))]
    assert below == ["備註「有錯誤，數字待確認」者 2 本：預算書有錯誤，各本錯誤見「摘要」工作表"]  # no 尾差 here
    objects = wb[OBJECTS]
    assert [c.value for c in objects[5]][1:] == ["機關001", "機關002＊", "機關003＊", "合計"]
    below = [text for _, _, text in _texts_below(objects, _last_table_row(objects))]
    assert below == ["＊：預算書有錯誤，數字待確認（2 本，見「摘要」）"]
    data = json.loads((tmp_path / "轉換摘要.json").read_text(encoding="utf-8"))
    assert [row["備註"] for row in data["彙總"]["歲出機關別預算表"]] == [None, None, "有錯誤，數字待確認",
                                                                       "有錯誤，數字待確認"]


def test_a_book_with_warnings_only_is_not_marked(tmp_path):
    results = [_book(1, {"2018": 1_000_000}), _book(2, {"2018": 1_000_000})]
    results[1].warnings = 2
    write_summary(results, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "轉換摘要.xlsx")
    assert _texts_below(wb[SUMMARY], _last_table_row(wb[SUMMARY])) == []
    assert [r[5] for r in wb[SUMMARY].iter_rows(min_row=6, values_only=True)] == [None, None, None]
    assert [c.value for c in wb[OBJECTS][5]][1:] == ["機關001", "機關002", "合計"]


def test_the_totals_rounding_difference_is_said_under_each_table(tmp_path):
    # field report 9 §6.2, by hand: 38 agencies of 101500 法定編制人員待遇 25,356,370 元 each print 25,356 千元;
    # the 合計 is 38 × 25,356,370 = 963,542,060 元 → 963,542 千元, the 38 columns add to 38 × 25,356 = 963,528:
    # 14 千元 across each row of the 彙計表 and, in the 彙總, down its 本年度預算數 column.
    results = [_book(n, {"1015": 25_356_370}) for n in range(1, 39)]
    write_summary(results, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "轉換摘要.xlsx")
    ws = wb[SUMMARY]
    rows = {r[0]: r for r in ws.iter_rows(min_row=6, values_only=True) if r[0]}
    assert rows["合計"][1] == 963_542 and sum(rows[f"機關{n:03d}"][1] for n in range(1, 39)) == 963_528
    line = "合計由元數加總後四捨五入，與千元數之和有尾差（至多 14 千元）"
    assert [text for _, _, text in _texts_below(ws, _last_table_row(ws))] == [line]
    objects = wb[OBJECTS]
    below = _texts_below(objects, _last_table_row(objects))
    # printed across 5 pages (8, 8, 8, 7 and 7 agencies + 合計): the line under each page, at its first agency's
    # column (B, J, R, Z, AH), never in the 科目 column that prints on every page
    assert [(column, text) for _, column, text in below] == [(c, line) for c in (2, 10, 18, 26, 34)]


def test_no_rounding_line_when_every_total_is_the_sum_of_its_parts(tmp_path):
    # 1,400 元 and 2,600 元 print 1 and 3 千元; their 合計 4,000 元 prints 4: no difference anywhere
    results = [_book(1, {"2018": 1_400}), _book(2, {"2018": 2_600})]
    write_summary(results, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "轉換摘要.xlsx")
    for name in (SUMMARY, OBJECTS):
        assert _texts_below(wb[name], _last_table_row(wb[name])) == [], name


def test_a_rounding_difference_down_a_column_is_said_too(tmp_path):
    # one agency: 2018 1,400 元 and 2054 1,400 元 print 1 and 1 千元 under 200000 業務費 2,800 元 → 3 千元
    write_summary([_book(1, {"2018": 1_400, "2054": 1_400})], tmp_path)
    objects = openpyxl.load_workbook(tmp_path / "轉換摘要.xlsx")[OBJECTS]
    assert [text for _, _, text in _texts_below(objects, _last_table_row(objects))] == [
        "合計由元數加總後四捨五入，與千元數之和有尾差（至多 1 千元）"]


@pytest.mark.parametrize("count", [1, 3, 12, 38])
def test_every_line_under_the_tables_prints_within_its_page(tmp_path, count):
    """A line under a table is no wider than the table (the 彙總) or the page it is under (the 彙計表: on one page
    the whole table; across pages the page's own agency columns): printed, it is never cut at the page's edge."""
    results = [_book(n, {"1015": 25_356_370, "2018": 1_400}, errors=1) for n in range(1, count + 1)]
    write_summary(results, tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "轉換摘要.xlsx")
    for name in (SUMMARY, OBJECTS):
        ws = wb[name]
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
        breaks = [b.id for b in ws.col_breaks.brk] + [ws.max_column]
        below = _texts_below(ws, _last_table_row(ws))
        assert below and len({column for _, column, _ in below}) == (1 if name == SUMMARY else len(breaks))
        for _, column, text in below:
            end = next(b for b in breaks if b >= column)  # the page's last column
            room = sum(widths[column - 1:end])
            assert text_lines(text, room) == 1, (name, column, text, room)
