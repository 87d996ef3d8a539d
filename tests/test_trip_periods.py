"""出國計畫's 預計前往期間 against the book's 年度 (field report 6 §4.4): next-year carries this year's trips as next
year's draft with this year's period (113's 「1130101-1131231」 in the 114 book) and now names 出國計畫 among the sheets
carried with this year's content; check warns at the period's cell when it names another 民國 year
(trip-period-outside-year).

The seed's 出國計畫 row 2: 參與國際展會, 預計前往期間 1130101-1131231 (F2), in the 113 book.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.example import example_workbook
from xlbudget.cli import main
from xlbudget.core.dates import roc_years_named
from xlbudget.readers.inputs import read_book
from xlbudget.rules.checks import check_book


@pytest.mark.parametrize("text, years", [
    ("1130101-1131231", [113, 113]), ("113年9月至10月", [113]), ("113/09/01~113/09/10", [113, 113]),
    ("113.9.1-113.9.10", [113, 113]), ("990101-991231", [99, 99]), ("１１４年３月", [114]),
    ("1131201-1140115", [113, 114]), ("9月", []), ("2024/09/01", []), ("", []),
])
def test_the_roc_years_a_period_names(text, years):
    assert roc_years_named(text) == years


def _periods(period, last_year=None):
    wb = example_workbook()
    wb["出國計畫"]["F2"] = period
    if last_year:
        wb["出國計畫"]["P2"] = last_year
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    return [(f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in check_book(book)
            if f.rule == "trip-period-outside-year"]


def test_the_seeds_trip_is_in_its_year():
    assert _periods("1130101-1131231") == []


@pytest.mark.parametrize("period, other", [("1120101-1121231", 112), ("1131201-1140115", 114), ("114年3月", 114)])
def test_a_trip_in_another_year_is_named_at_its_period(period, other):
    assert _periods(period) == [("出國計畫", "F2", 113, other)]


@pytest.mark.parametrize("period, other", [
    ("2023-01-01~2023-12-31", 112),  # field report 7 §3.4 (f09): no warning, printed as typed
    ("2023/3/1-2023/3/10", 112), ("２０２５－０１－０５～２０２５－０１－２０", 114), ("2023年3月1日至2023年3月10日", 112),
    ("2024/12/25-1/5", 114),  # the year typed once, an end before its start: the next year's (2025 − 1911 = 114)
])
def test_a_trip_typed_in_western_dates_in_another_year_is_named_too(period, other):
    """113 + 1911 = 2024: a period of 2023 is 112年, of 2025 114年, whatever the typing."""
    assert _periods(period) == [("出國計畫", "F2", 113, other)]


@pytest.mark.parametrize("typed, printed", [
    ("2024-03-01~2024-03-10", "1130301-1130310"),  # f09: printed as typed in a 中華民國113年度 table
    ("2024/3/1", "1130301"),
    ("2024年3月1日至2024年3月10日", "1130301-1130310"),
    ("2024-03-01起10天", "1130301起10天"),
    ("2024-13-01", "2024-13-01"),  # no date: as typed
    # the dates rewritten, the rest printed as typed (its full-width brackets were turned half-width: 「(10天)」)
    ("2024-3-1至2024-3-10（10天）", "1130301至1130310（10天）"), ("第一梯次 ２０２４／３／１（暫定）", "第一梯次 1130301（暫定）"),
    ("1130101-1131231", "1130101-1131231"), ("113/03/01-113/03/10", "113/03/01-113/03/10"), ("9月", "9月"),
    # leftover: a period whose year is typed once printed one end converted, 「1130301-3/10」: both ends, or neither
    ("2024/3/1-3/10", "1130301-1130310"), ("2024年3月1日至3月10日", "1130301-1130310"),
    ("3/1-2024/3/10", "1130301-1130310"), ("2024-03-01~03-10", "1130301-1130310"),
    ("2024/3/1-10", "1130301-1130310"), ("2024年3月1日至10日（暫定）", "1130301至1130310（暫定）"),
    ("2024/3/1-3/32", "2024/3/1-3/32"), ("2024/3/10-5", "2024/3/10-5"),  # no such end: all of it as typed
    ("2024/2/30-3/1", "2024/2/30-3/1"),  # no such start (2024 has 2月29日 at most): all of it as typed
])
def test_a_western_period_prints_in_roc_digits_as_an_excel_date_does(typed, printed):
    """An Excel date cell 2024-03-01 prints 1130301 (2024 − 1911 = 113); the same typed as text now prints alike, on
    派員出國計畫預算類別表, and a period of two as the seed prints one (1130101-1131231)."""
    from xlbudget.derive.personnel import derive_trips_by_kind

    wb = example_workbook()
    wb["出國計畫"]["F2"] = typed
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    table = derive_trips_by_kind(book, ("考察", "訪問"))
    assert [r.cells["預計前往期間"] for r in table.rows if "預計前往期間" in r.cells] == [printed]
    assert _periods(typed) == []


@pytest.mark.parametrize("typed, printed, other", [
    # across a year end, the year typed once: the other end in the next year (2025 − 1911 = 114) or the year before
    # (2023 − 1911 = 112), never an end printed before its start; the year not the book's (113) is named
    ("2024/12/25-1/5", "1131225-1140105", 114), ("12/25-2024/1/5", "1121225-1130105", 112),
])
def test_a_period_across_a_year_end_prints_each_end_in_its_year(typed, printed, other):
    from xlbudget.derive.personnel import derive_trips_by_kind

    wb = example_workbook()
    wb["出國計畫"]["F2"] = typed
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    table = derive_trips_by_kind(book, ("考察", "訪問"))
    assert [r.cells["預計前往期間"] for r in table.rows if "預計前往期間" in r.cells] == [printed]
    assert _periods(typed) == [("出國計畫", "F2", 113, other)]


def test_a_last_year_line_and_a_period_without_a_year_pass():
    assert _periods("1120101-1121231", last_year="上年度") == []
    assert _periods("9月") == []


def test_next_year_names_the_trips_it_carries_and_check_warns_on_the_old_period(tmp_path, capsys):
    source, target = tmp_path / "113.xlsx", tmp_path / "114.xlsx"
    example_workbook().save(source)
    capsys.readouterr()
    assert main(["next-year", str(source), "-o", str(target)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("以下工作表照本年度內容帶入"))
    assert "出國計畫" in line.split("：")[-1].split("、")
    main(["check", str(target)])
    out = capsys.readouterr().out
    assert "114.xlsx:出國計畫!F2 trip-period-outside-year" in out


@pytest.mark.parametrize("typed, printed", [
    # a 民國 date typed beside a western one: printed 「113年1130301至1130310」 (the western end read with 3月1日 as
    # its start, the 113年 left before it); now each end in 民國 digits (2024 − 1911 = 113)
    ("113年3月1日至2024年3月10日", "1130301-1130310"), ("2024/3/1至113/3/10", "1130301-1130310"),
    ("113/3/1-2024/3/10", "1130301-1130310"),
    # a date and a count after it: 「1130301 - 1130305 人」, a period read into it; the date alone is converted
    ("2024/3/1 - 5 人", "1130301 - 5 人"), ("2024/3/1 - 5", "1130301-1130305"),
    # a period of two western dates whose start is no day: 「2024/2/30-1130305」, one end converted; all as typed
    ("2024/2/30-2024/3/5", "2024/2/30-2024/3/5"),
])
def test_mixed_and_counted_periods_print_right_or_as_typed(typed, printed):
    from xlbudget.derive.personnel import derive_trips_by_kind

    wb = example_workbook()
    wb["出國計畫"]["F2"] = typed
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    table = derive_trips_by_kind(book, ("考察", "訪問"))
    assert [r.cells["預計前往期間"] for r in table.rows if "預計前往期間" in r.cells] == [printed]


@pytest.mark.parametrize("typed, named", [
    ("2024/2/30", "2024/2/30"),  # 2024 has 2月29日 at most
    ("2024/2/30-2024/3/5", "2024/2/30-2024/3/5"), ("2024/2/30-3/1", "2024/2/30-3/1"), ("2024/3/1-3/32", "2024/3/1-3/32"),
    ("2024-13-01", "2024-13-01"), ("2024/3/10-5", "2024/3/10-5"),  # no 13th month; an end before its start
    # an end before its start, typed whole: printed 「1130310-1130301」 with no word, where 2024/3/10-5 was named
    ("2024/3/10-2024/3/1", "2024/3/10-2024/3/1"), ("113年3月10日至2024年3月1日", "113年3月10日至2024年3月1日"),
    ("2024/3/10-113/3/1", "2024/3/10-113/3/1"),
])
def test_a_date_that_is_no_day_is_named_at_its_cell(typed, named):
    """Printed as typed (no 民國 date to give it), and before now nothing said so: a warning at 出國計畫!F2 naming
    what is left as typed."""
    wb = example_workbook()
    wb["出國計畫"]["F2"] = typed
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    found = [(f.rule, f.cell.sheet, f.cell.cell, f.actual) for f in check_book(book) if f.rule.startswith("trip-period")]
    assert found == [("trip-period-no-such-date", "出國計畫", "F2", named)]


@pytest.mark.parametrize("typed", ["2024/2/29-2024/3/5", "1130101-1131231", "2024/3/1 - 5 人", "9月"])
def test_a_period_of_real_days_is_not_named(typed):
    wb = example_workbook()
    wb["出國計畫"]["F2"] = typed
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    assert [f.rule for f in check_book(book) if f.rule.startswith("trip-period")] == []


@pytest.mark.parametrize("typed, named", [
    ("113/2/30", "113/2/30"), ("113.2.30", "113.2.30"), ("113年13月1日", "113年13月1日"),  # 113 = 2024: 2月29日 at most
    ("113年2月30日至113年3月5日", "113年2月30日至113年3月5日"), ("1130230-1130305", "1130230-1130305"),
    ("1130310-1130301", "1130310-1130301"), ("113/3/1-3/32", "113/3/1-3/32"), ("113/3/10-5", "113/3/10-5"),
    ("１１３／２／３０", "１１３／２／３０"),
])
def test_a_roc_date_that_is_no_day_is_named_at_its_cell_as_a_western_one_is(typed, named):
    """A 民國 date is printed as typed (it needs no converting), and one that is no day was printed with no word where
    2024/2/30 was named (937f9fd): red on main, no finding for any of these."""
    from xlbudget.derive.personnel import derive_trips_by_kind

    wb = example_workbook()
    wb["出國計畫"]["F2"] = typed
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    found = [(f.rule, f.cell.sheet, f.cell.cell, f.actual) for f in check_book(book) if f.rule.startswith("trip-period")]
    assert found == [("trip-period-no-such-date", "出國計畫", "F2", named)]
    table = derive_trips_by_kind(book, ("考察", "訪問"))
    assert [r.cells["預計前往期間"] for r in table.rows if "預計前往期間" in r.cells] == [typed]


@pytest.mark.parametrize("typed", ["113/2/29", "113年3月1日至3月10日", "1130301-10", "113/3/1 - 5 人", "113年9月至10月"])
def test_a_roc_period_of_real_days_is_not_named(typed):
    wb = example_workbook()
    wb["出國計畫"]["F2"] = typed
    book, _ = read_book(input_grids(wb, "book.xlsx"), "book.xlsx")
    assert [f.rule for f in check_book(book) if f.rule.startswith("trip-period")] == []


def test_western_and_roc_dates_that_are_no_day_are_named_in_the_order_typed():
    from xlbudget.core.dates import dates_left_as_typed

    assert dates_left_as_typed("113/2/31 及 2024/2/30") == ["113/2/31", "2024/2/30"]
    assert dates_left_as_typed("2024/2/30 及 113/2/31") == ["2024/2/30", "113/2/31"]
    assert dates_left_as_typed("113/2/30-2024/3/5") == ["113/2/30-2024/3/5"]  # once, as the mixed period it is
    assert dates_left_as_typed("112/2/29") == ["112/2/29"] and dates_left_as_typed("113/2/29") == []  # 2023, 2024


# texts typed as dates are: dates (a western year, a 民國 year, none) and numbers between separators
_SEPARATORS = ["/", ".", "-", "年", "月", "日", "／", "．", "－", "~", "～", "〜", "至", "到", " ", ",", "、", "人", "天", "（"]
_DATE = st.builds(lambda year, s1, month, s2, day: f"{year}{s1}{month}{s2}{day}",
                  st.sampled_from(["2024", "1899", "113", "99", "２０２４", "１１３", ""]), st.sampled_from(_SEPARATORS),
                  st.integers(0, 13).map(str), st.sampled_from(_SEPARATORS), st.integers(0, 32).map(str))
_DATE_PARTS = st.one_of(_DATE, st.integers(0, 2100).map(str), st.integers(1000000, 1999999).map(str),
                        st.sampled_from(_SEPARATORS))


@settings(max_examples=600, deadline=None)
@given(st.lists(_DATE_PARTS, max_size=8).map("".join))
def test_a_text_whose_dates_are_read_holds_a_western_date(text):
    """roc_dates_in and dates_left_as_typed compile and run their big pattern (_HALF_DATED, 3.3 ms to compile) only on
    a text in which WESTERN_DATE finds a date (dates._western): every text it would read a date in. Red with the
    guard asking for 「年」 instead (a text like 「2024/3/1」)."""
    from xlbudget.core.dates import _HALF_DATED, _western

    assert _HALF_DATED.search(text) is None or _western(text)


@pytest.mark.parametrize("text", ["2024/3/1", "113年3月1日至2024年3月10日", "3/1-2024/3/10", "２０２４／３／１"])
def test_the_guard_passes_each_way_of_typing_a_western_date(text):
    from xlbudget.core.dates import _HALF_DATED, _western

    assert _HALF_DATED.search(text) is not None and _western(text)
