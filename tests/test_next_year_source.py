"""Field report 8 §2.3 (f10, f11): next-year run on the 預算案 carried the 預算案 as 上年度 and nothing mentioned the
法定預算. Its summary now says where 上年度 came from, with the book's own 本年度 totals, in one line.

The example is the seed book (高雄市政府資訊中心 113): its 歲出機關別預算表 prints 本年度 275,795 千元 and its
歲入來源別預算表 57,019 千元 (seed book pages 06 and 07)."""

from xlbudget.app.example import example_workbook
from xlbudget.cli import main


def _said(tmp_path, capsys, wb, name="預算案.xlsx", code=0):
    wb.save(tmp_path / name)
    assert main(["next-year", str(tmp_path / name), "-o", str(tmp_path / "116.xlsx")]) == code
    return capsys.readouterr().out


def test_next_year_says_whose_current_budget_became_last_years(tmp_path, capsys):
    out = _said(tmp_path, capsys, example_workbook())
    line = ("以前年度的上年度預算數取自 預算案.xlsx 的本年度預算數（歲出 275,795 千元，歲入 57,019 千元）；"
            "如經議會審議增刪，請改以法定預算數填入。")
    assert line in out.splitlines(), out


def test_the_figures_are_the_books_own(tmp_path, capsys):
    """The council cut 100,000 元 from one line (歲出明細 H5, 1025 of 01行政業務: 1,225,800 → 1,125,800), and the
    officer updated the book: 275,795,000 − 100,000 = 275,695,000 元 → 275,695 千元; 歲入 as it was."""
    wb = example_workbook()
    wb["歲出明細"]["H5"] = 1_125_800
    wb["歲出明細"]["G5"] = 1_125_800
    # its 總說明 still says 275,795 千元 (narrative-mismatch, and the 以前年度 說明's sums): errors, as build says: exit 1
    out = _said(tmp_path, capsys, wb, "法定預算.xlsx", code=1)
    assert "取自 法定預算.xlsx 的本年度預算數（歲出 275,695 千元，歲入 57,019 千元）；" in out, out
