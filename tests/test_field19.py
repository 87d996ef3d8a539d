"""Field report 19 (session 32): the year carried — next-year from this book, and compare across years.

Each test's expected figures are worked by hand from the example book (the seed: 高雄市政府資訊中心 113, its
歲出機關別預算表 本年度 275,795 千元, 32020180101 一般行政-行政管理 43,769 千元, 歲入 57,019 千元)."""

import json

from xlbudget.app.example import example_workbook
from xlbudget.cli import main


def _revenue_remainders(wb):
    """Two 歲入 科目 of 目 09020180100 with 元 remainders: 09020180102 57,019,000 + 500 = 57,019,500 元 (57,020 千元,
    half away from zero) and 09020180101 1,500 元 (2 千元). Their 目, 項, 款, 合計 and 經常門合計 print this year
    57,021,000 元 → 57,021 千元; next year's 以前年度 holds 57,020 and 2, and the rows above them print 57,022."""
    ws = wb["歲入明細"]
    ws.append(["09020180102", "上級政府補助收入-計畫型補助收入", "06補助及協助收入", "005高雄市政府資訊中心",
               "01上級政府補助收入", "01計畫型補助收入", "式", 1, 500, 500, None, "補助款孳息。"])
    ws.append(["09020180101", "上級政府補助收入-一般性補助收入", "06補助及協助收入", "005高雄市政府資訊中心",
               "01上級政府補助收入", "02一般性補助收入", "式", 1, 1500, 1500, None, "一般性補助。"])
    return wb


def test_next_year_names_rows_whose_last_year_will_print_otherwise(tmp_path, capsys):
    # silently wrong before: 114's 歲入來源別預算表 printed 上年度 合計 57,022 千元 where the 113 book printed 本年度
    # 57,021, and next-year said 「歲入 57,021 千元」 without a word about it
    _revenue_remainders(example_workbook()).save(tmp_path / "113.xlsx")
    main(["next-year", str(tmp_path / "113.xlsx"), "-o", str(tmp_path / "114.xlsx")])
    out = capsys.readouterr().out
    assert "取自 113.xlsx 的本年度預算數（歲出 275,795 千元，歲入 57,021 千元）" in out, out
    line = next((x for x in out.splitlines() if "尾差" in x), "")
    rows = ["合計", "經常門合計", "09000000000 補助及協助收入", "09020180000 高雄市政府資訊中心",
            "09020180100 上級政府補助收入"]
    assert line.startswith("以下各列 114 年度預算書印的上年度預算數將與本預算書所印的 113 年度本年度預算數不同"), out
    assert line.count("→") == len(rows), line
    for row in rows:
        assert f"歲入來源別預算表 {row} 57,021 → 57,022 千元" in line, (row, line)
    # the 節 themselves carry as printed: 57,020 and 2 (not named), and 歲出 (whole thousands a plan) is not named
    assert "09020180102" not in line and "09020180101" not in line and "歲出機關別預算表" not in line
    # and the book next-year wrote does print 57,022 as 上年度 合計 (what the line says)
    main(["build", str(tmp_path / "114.xlsx"), "-o", str(tmp_path / "114b.xlsx")])
    capsys.readouterr()
    main(["export", str(tmp_path / "114b.xlsx"), "--format", "json", "-o", str(tmp_path / "114.json")])
    records = json.loads((tmp_path / "114.json").read_text(encoding="utf-8"))
    assert [r["value"] for r in records if r["table"] == "歲入來源別預算表" and r["row_code"] == "合計"
            and r["column"] == "上年度預算數"] == [57_022]


def test_next_year_of_a_book_with_no_remainder_says_nothing_more(tmp_path, capsys):
    example_workbook().save(tmp_path / "113.xlsx")
    main(["next-year", str(tmp_path / "113.xlsx"), "-o", str(tmp_path / "114.xlsx")])
    assert "尾差" not in capsys.readouterr().out
