"""Session 32's «noticed and left alone» (field reports 18 and 19, fix13): cases that were silently wrong.

Figures are the example book's (高雄市政府資訊中心 113年度, xlbudget/data/example/): its one trip (出國計畫 row 2,
參與國際展會, 考察) costs 160,000 + 220,000 + 20,000 = 400,000 元, the 2078 國外旅費 line of 32020183201."""

from __future__ import annotations

import pytest

from test_reading import column, example, problems, refused_everywhere


def _trip_year(typed):
    def edit(wb):
        ws = wb["出國計畫"]
        ws.cell(2, column(ws, "年度")).value = typed
    return edit


@pytest.mark.parametrize("typed", ["112年度", "112", "113年度", "上年", "前一年度"])
def test_a_trip_year_that_is_no_choice_is_refused_at_its_cell(tmp_path, capsys, typed):
    """出國計畫 年度 「112年度」 (the officer's 上年度 trip) was read as this year's: 類別表 printed it, 總表's 上年度
    columns lacked it, and trips-vs-travel blamed the money (400,000 + 400,000 against 2078's 400,000) without
    saying the 年度 was not understood. The printed tables carry no 年度 column: blank is this year, 「上年度」 the
    總表's 上年度 columns; anything else is named at its cell (出國計畫!P2, the 16th column)."""
    book = example(tmp_path, _trip_year(typed))
    assert problems(book) == {("not-a-choice", "出國計畫!P2")}
    refused_everywhere(book, tmp_path, capsys, ["出國計畫!P2"], addin_too=typed == "112年度")


@pytest.mark.parametrize("typed", [None, "本年度", " 本 年 度 ", "上年度", "上 年 度"])
def test_a_trip_year_blank_this_or_last_is_read(tmp_path, typed):
    from xlbudget.adapters.books import load_book
    book = example(tmp_path, _trip_year(typed))
    assert [t.last_year for t in load_book(book).book.trips] == [typed is not None and "上" in typed]
