"""Field report 5 §2.4: a bare page number a PDF converter kept under an amount column was summed as an item.

The built example's 明細表 prints 1020 約聘僱人員待遇 5,282,562 元 over its two items 4,410,710 (約聘人員薪資) and
871,852 (約僱人員薪資。). A converter that keeps the page's foot puts the page number, 6, alone on the row under the
page's last item, centred under 預算數: it was read as an item of 6 元, and 1020 was said to be 「應為 5,282,568」.
"""

from __future__ import annotations

import pytest

from xlbudget.core.findings import Severity

from test_printed_field import DETAIL, _item, check_workbook, found, printed_copy
from test_printed_field import built  # noqa: F401  (the fixture)


def _footer_under_item(built, value, column: int = 5):
    """``value`` alone on a row inserted under the 約僱人員薪資 item (預算數 is column E); that row's number."""
    wb = printed_copy(built)
    ws = wb[DETAIL]
    r = _item(ws, "約僱人員薪資。")
    assert ws.cell(r, 5).value in (871_852, "871,852")
    ws.insert_rows(r + 1)
    ws.cell(r + 1, column).value = value
    return wb, r + 1


@pytest.mark.parametrize("value, column", [(6, 5), (6.0, 5), (43, 5), (999, 4), (6, 3)])
def test_a_lone_page_number_is_no_item(built, value, column):
    wb, r = _footer_under_item(built, value, column)
    assert found(wb) == []  # 1020 = 4,410,710 + 871,852, as printed: nothing added to it
    infos = [(f.rule, f.cell.sheet, f.cell.cell, f.actual) for f in check_workbook(wb).findings
             if f.severity == Severity.INFO and f.rule == "page-number-skipped"]
    assert infos == [("page-number-skipped", DETAIL, f"{'ABCDE'[column - 1]}{r}", int(value))]


@pytest.mark.parametrize("value", [1_000, 28_000, 6.5, 0])
def test_a_lone_figure_that_is_no_page_number_is_still_read(built, value):
    """1,000 元 or more, a fraction, or 0 alone on a row is no page number: read as before, so 1020 disagrees with
    its parts (4,410,710 + 871,852 + 1,000 = 5,283,562 against the printed 5,282,562). 1020 agrees with 人事費彙計表
    and 各項費用彙計表, and its two items each with their 數量 × 單價: the stray 1,000 is named, 應為 0 (rules.blame)."""
    wb, r = _footer_under_item(built, value)
    assert not [f for f in check_workbook(wb).findings if f.rule == "page-number-skipped"]
    if value == 1_000:
        errors = [f for f in check_workbook(wb).findings if f.severity == Severity.ERROR]
        assert [(f.rule, f.cell.cell, f.expected, f.actual) for f in errors] == [
            ("confirmed-total-part", f"E{r}", 0, 1_000)]
