"""build gives, counts and exits on every finding check gives on the book it wrote (field report 10 §3.1): the one
list of input rules (rules.checks.BOOK_CHECKS, through check_inputs), not a second one.

Book: the bundled example (the seed, 高雄市政府資訊中心 113年度) with two slips an officer makes:
- 歲入明細 row 2 typed as a 規費 at 分: 數量 1,234 × 單價 46,206.64 = 57,018,993.76 → 預算數 57,018,994 元, 收支併列 是;
  歲出's 收支併列數 are 22,800,000 (32020183201 3030) + 34,219,000 (2018) = 57,019,000 元: 6 元 apart
  (matched-revenue-mismatch, an error);
- 歲出明細 row 32 (首長特別費 2093) 單價 11,900.5 × 12 = 142,806 元 (was 142,800): 行政管理 2000 業務費
  779,000 + 6 = 779,006 元, not a whole 千元 (not-whole-thousand, a warning).
"""

from __future__ import annotations

import pytest

from xlbudget.app.example import example_workbook
from xlbudget.cli import main
from xlbudget.core.findings import Severity

MATCHED_SPENT = 22_800_000 + 34_219_000  # 歲出明細 收支併列數 of 32020183201 (3030, 2018), the seed's
TYPED_REVENUE = 57_018_994  # round(1,234 × 46,206.64 = 57,018,993.76)
BUSINESS = 779_000 + (142_806 - 142_800)  # 行政管理 2000 業務費 with row 32's 142,806


def slipped_book():
    wb = example_workbook()
    revenue = wb["歲入明細"]
    revenue["H2"], revenue["I2"], revenue["J2"] = 1234, 46206.64, TYPED_REVENUE
    expenses = wb["歲出明細"]
    expenses["G32"], expenses["H32"] = 11900.5, 142_806
    return wb


def keys(findings):
    return {(f.rule, f.severity, f.cell.sheet if f.cell else None, f.cell.cell if f.cell else None, f.expected,
             f.actual) for f in findings}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from xlbudget.app.check import check_file
    from xlbudget.app.pipeline import build_file

    folder = tmp_path_factory.mktemp("build")
    source = folder / "書.xlsx"
    slipped_book().save(source)
    result = build_file(source, folder / "出.xlsx")
    report, _, _ = check_file(folder / "出.xlsx", workbook=False)
    return source, result, report


def test_build_gives_the_input_rules_check_gives(built):
    """Red on main (8591041): build's findings were check_people + check_narrative only, neither of these two."""
    _, result, _ = built
    found = keys(result.findings)
    assert ("matched-revenue-mismatch", Severity.ERROR, "歲入明細", "J2", MATCHED_SPENT, TYPED_REVENUE) in found
    assert ("not-whole-thousand", Severity.WARNING, "歲出明細", "H32", None, BUSINESS) in found
    assert result.errors == 1


def test_build_gives_every_finding_check_gives_on_the_book_it_wrote(built):
    _, result, report = built
    assert report.errors == 1  # check of the built book: the 收支併列 error
    assert keys(report.findings) <= keys(result.findings)


def test_build_counts_them_and_exits_1(built, tmp_path, capsys):
    source, _, _ = built
    assert main(["build", str(source), "-o", str(tmp_path / "出.xlsx")]) == 1
    out = capsys.readouterr().out
    assert "；但本書有錯誤 1 項" in out
    assert "歲入明細!J2 matched-revenue-mismatch" in out and "歲出明細!H32 not-whole-thousand" in out
    assert out.strip().splitlines()[-1].startswith("錯誤 1、警告 1")


def test_the_openpyxl_build_gives_them_too():
    """build_workbook: build's openpyxl way (an .ods, a book splicing cannot take), pdf and convert's."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.readers.inputs import read_book

    wb = slipped_book()
    book, _ = read_book(input_grids(wb, "書.xlsx"), "書.xlsx")
    _, findings = build_workbook(wb, book)
    found = keys(findings)
    assert ("matched-revenue-mismatch", Severity.ERROR, "歲入明細", "J2", MATCHED_SPENT, TYPED_REVENUE) in found
    assert ("not-whole-thousand", Severity.WARNING, "歲出明細", "H32", None, BUSINESS) in found


def test_the_build_button_says_them():
    """產生報表 (add-in): its 執行紀錄 counts the same error and warning (red on main: 「讀取時發現」 line absent)."""
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    import xlbudget.addin as addin

    payload = book_json(slipped_book(), "書.xlsx")
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
    said = [line for line in status if line.startswith("讀取時發現")]
    assert said and said[0].startswith("讀取時發現 錯誤 1、警告 1"), status
