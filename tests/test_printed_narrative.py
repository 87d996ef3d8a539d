"""check of a hand-made book reads its 預算總說明 sheet and the 增減 printed in 歲出機關別預算表's 說明, and says in its
first line what it read (field report 10 §2.4: neither was read, and the first line did not say so).

The book: the bundled example built, its input sheets removed (tests/built_books.handmade_workbook: 高雄市政府資訊中心
113, the seed), with a sheet 「預算總說明」 holding the seed's own sentences (../shared/seed/000_9c62b59cf9023585.txt,
lines 62–127, transcribed below). By hand, from the seed's printed tables (千元):
- 前年度 歲出 決算數 188,162 (歲出機關別預算表 H7) ÷ the sentence's 前年度 預算數 190,786 = 0.986236… → 98.62%;
  歲入 38,587 ÷ 38,533 = 1.001401… → 100.14%
- 資本門 78,471 (歲出一級用途別科目分析表 合計 資本支出小計); 經常門 197,324; 歲出 275,795
- 數位發展計畫 232,026 − 上年度 103,033 = 128,993 (its row's 比較, J12's 「較上年度增列128,993千元」)
- 約聘僱人員費用分析表's 合計 說明 (I7) names the 約聘僱人員 row of 人事費彙計表 (元): 保險 628,200, 其他給與 (休假補助)
  224,000, 獎金 (年終工作獎金) 659,910
"""

from __future__ import annotations

import pytest

from xlbudget.app.check import check_workbook
from xlbudget.core.findings import Severity
from xlbudget.cli import main

from built_books import handmade_workbook

SEED = [  # seed lines 62, 64, 68, 70, 114, 116, 118, 127
    "(一)歲入部分：前年度歲入預算數3,853萬3千元，歲入決算數3,858萬7千元，執行率達100.14%。",
    "(二)歲出部分：前年度歲出預算數1億9,078萬6千元，歲出決算數1億8,816萬2千元，執行率達98.62%。",
    "(一)歲入部分：上年度歲入預算數280萬元，截至112年6月底止，累計分配數280萬元，實收累計數279萬7千元，其餘預計可按計畫完成。",
    "(二)歲出部分：上年度歲出預算數1億4,439萬9千元，截至112年6月底止，累計分配數6,093萬5千元，實支累計數4,900萬5千元，"
    "各項計畫預計於年度結束前達成進度。",
    "(一)歲出預算數2億7,579萬5千元，含經常門1億9,732萬4千元，資本門7,847萬1千元，依業務計畫列示如下：",
    "1. 一般行政4,376萬9千元。",
    "2. 數位發展計畫2億3,202萬6千元。",
    "淨零相關工作及預算:為因應全球氣候變遷並達成2050淨零目標,本中心於預算編列時導入淨零概念,確保各項減碳工作執行。"
    "依據「高雄市淨零城市發展自治條例」第七條,本中心具體項目為導入國際淨零轉型科技應用解決方案及推動市民減碳低碳生活,"
    "113年度編列淨零綠生活預算378萬5千元。",
]
FIRST = 4  # 預算總說明's first sentence row, under 機關, 預算總說明 and 中華民國113年度


def with_narrative(sentences=SEED, agency_note=None):
    wb = handmade_workbook()
    ws = wb.create_sheet("預算總說明", 0)
    for row, text in enumerate(["高雄市政府資訊中心", "預算總說明", "中華民國113年度"] + sentences, start=1):
        ws.cell(row, 1, text)
    if agency_note is not None:
        wb["歲出機關別預算表"]["J12"] = agency_note
    return wb


def said_wrong(report):
    return [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in report.findings
            if f.severity in (Severity.ERROR, Severity.WARNING)]


def test_the_seeds_own_sentences_pass_and_the_sheet_is_said_read():
    report = check_workbook(with_narrative())
    assert report.kind == "printed" and report.narrative == ("預算總說明",)
    assert said_wrong(report) == []
    # what no printed table holds is unverified at its cell, never passed: 前年度 預算數, and 淨零綠生活 (a 標記 of
    # the template's 歲出明細, which a printed book does not print), never held to the year's total
    unverified = {(f.cell.cell, f.actual) for f in report.findings if f.rule == "narrative-unverified"}
    assert unverified == {("A4", "3,853萬3千元"), ("A5", "1億9,078萬6千元"), ("A11", "378萬5千元")}


@pytest.mark.parametrize("old, new, cell, expected", [
    ("執行率達98.62%", "執行率達98.26%", "A5", "98.62%"),
    ("資本門7,847萬1千元", "資本門7,874萬1千元", "A8", 78_471),
    ("經常門1億9,732萬4千元", "經常門1億9,723萬4千元", "A8", 197_324),
    ("歲出預算數2億7,579萬5千元", "歲出預算數2億7,597萬5千元", "A8", 275_795),
    ("上年度歲出預算數1億4,439萬9千元", "上年度歲出預算數1億4,493萬9千元", "A7", 144_399),
    ("數位發展計畫2億3,202萬6千元", "數位發展計畫2億3,220萬6千元", "A10", 232_026),
])
def test_a_wrong_figure_of_the_printed_narrative_is_an_error_at_its_cell(old, new, cell, expected):
    """Red on main (8591041): the sheet was never read, exit 0."""
    sentences = [s.replace(old, new) for s in SEED]
    assert sentences != SEED
    wrong = said_wrong(check_workbook(with_narrative(sentences)))
    assert [(rule, sheet, at, exp) for rule, sheet, at, exp, _ in wrong] == [
        ("narrative-mismatch", "預算總說明", cell, expected)]


@pytest.mark.parametrize("note, expected", [
    ("本年度預算數較上年度增列129,893千元。", 128_993),
    # a decrease said of an increase: the 比較 I12 128,993 as 應為, «預算表為 增列128,993千元» (it said -128,993千元)
    ("本年度預算數較上年度減列128,993千元。", 128_993),
])
def test_the_change_printed_in_the_agency_tables_note_is_held_to_its_row(note, expected):
    report = check_workbook(with_narrative(agency_note=note))
    wrong = said_wrong(report)
    assert [(rule, sheet, at, exp) for rule, sheet, at, exp, _ in wrong] == [
        ("printed-note-mismatch", "歲出機關別預算表", "J12", expected)]
    message = next(f.message for f in report.findings if f.rule == "printed-note-mismatch")
    assert message.endswith("預算表為 增列128,993千元")


@pytest.mark.parametrize("note", [
    "本年度預算數較上年度增列128,993千元。",
    # the 增減 of a part (臺北's 說明: 「…收入1,418,443元，較上年度增加40,814元」), not the row's 128,993
    "1.資通安全68,390千元，較上年度增列58,935千元。",
])
def test_the_right_change_in_the_agency_tables_note_passes(note):
    assert said_wrong(check_workbook(with_narrative(agency_note=note))) == []


@pytest.mark.parametrize("old, new, expected", [
    ("保險費628,200元", "保險費682,200元", 628_200),
    ("休假補助224,000元", "休假補助242,000元", 224_000),
    ("年終工作獎金659,910元", "年終工作獎金659,000元", 659_910),
])
def test_a_wrong_part_in_the_contract_tables_note_is_an_error_at_it(old, new, expected):
    """f08 (3): 「保險費682,200元」 passed, exit 0."""
    wb = with_narrative()
    note = wb["約聘僱人員費用分析表"]["I7"]
    assert old in note.value
    note.value = note.value.replace(old, new)
    wrong = said_wrong(check_workbook(wb))
    assert [(rule, sheet, at, exp) for rule, sheet, at, exp, _ in wrong] == [
        ("printed-note-mismatch", "約聘僱人員費用分析表", "I7", expected)]


def test_the_first_line_says_what_was_read_and_what_not(tmp_path, capsys):
    with_narrative().save(tmp_path / "有.xlsx")
    handmade_workbook().save(tmp_path / "無.xlsx")
    main(["check", str(tmp_path / "有.xlsx")])
    first = capsys.readouterr().out.splitlines()[0]
    assert "預算總說明：已檢核（工作表「預算總說明」）" in first and "預算總說明未檢核" not in first
    main(["check", str(tmp_path / "無.xlsx")])
    first = capsys.readouterr().out.splitlines()[0]
    assert "預算總說明未檢核：本書沒有預算總說明工作表" in first


# 臺北's 預算總說明 quotes 決算數 in 元 (taipei-newworks-116.txt lines 121-143: 「決算數14,789,794元」) where its
# tables print 千元, rounded or cut (its 歲入預算表 prints 14,790 for that one, 559,752 for 「559,752,508元」). By hand
# on the seed's printed tables: 計畫型補助收入 前年度決算數 38,533 千元 (歲入來源別預算表 H16), 數位發展計畫 150,283
# (歲出機關別預算表 H12); 38,532,508 元 is 492 元 under 38,533,000 (rounded), 150,283,900 is 900 over 150,283,000
# (cut); the rates are the sentence's own: 38,532,508 ÷ 38,500,000 = 1.000844… → 100.08%, 150,283,900 ÷ 150,000,000 =
# 1.001892… → 100.19%.
YUAN = ["二、前年度計畫實施成果及決算辦理概況：",
        "(1)計畫型補助收入：預算數38,500,000元，決算數38,532,508元，執行率100.08%。",
        "(2)數位發展計畫：預算數150,000,000元，決算數150,283,900元，執行率100.19%。"]


def test_a_final_quoted_in_yuan_agrees_with_its_thousands_as_printed():
    """Red before the printed figures' rounding (parts): both 決算數 were errors on a right book, «預算表為 38,533千元»,
    as the 臺北 example's 預算總說明 on its own printed tables gave 13."""
    assert said_wrong(check_workbook(with_narrative(SEED + YUAN))) == []


@pytest.mark.parametrize("old, new, cell, expected", [
    ("決算數38,532,508元", "決算數38,523,508元", "A13", 38_533),  # 9,492 元 off
    ("決算數150,283,900元", "決算數150,238,900元", "A14", 150_283),  # 44,100 元 off
    ("決算數150,283,900元", "決算數150,284,100元", "A14", 150_283),  # 1,100 元 over: neither rounded nor cut
    ("執行率100.08%", "執行率100.80%", "A13", "100.08%"),
])
def test_a_wrong_final_in_yuan_is_still_an_error(old, new, cell, expected):
    sentences = [s.replace(old, new) for s in SEED + YUAN]
    wrong = said_wrong(check_workbook(with_narrative(sentences)))
    assert [(rule, sheet, at, exp) for rule, sheet, at, exp, _ in wrong] == [
        ("narrative-mismatch", "預算總說明", cell, expected)]


def test_a_narrative_continued_on_a_second_sheet_is_read_there_too(tmp_path, capsys):
    """A long 預算總說明 goes on over a sheet 「預算總說明(續)」 (as a table's pages go on over 「表名(續)」): its sentences
    are held as the first sheet's are, and the first line names both sheets. Red before narrative_sheets: the
    second sheet was neither read nor named (資本門7,874萬1千元 passed, exit 0, «已檢核（工作表「預算總說明」）»).
    By hand: 資本門 78,471 千元 (歲出一級用途別科目分析表 合計 資本支出小計)."""
    wb = with_narrative(SEED[:4])
    more = wb.create_sheet("預算總說明(續)", 1)
    for row, text in enumerate([s.replace("資本門7,847萬1千元", "資本門7,874萬1千元") for s in SEED[4:]], start=1):
        more.cell(row, 1, text)
    report = check_workbook(wb)
    assert report.narrative == ("預算總說明", "預算總說明(續)")
    assert [(rule, sheet, at, exp) for rule, sheet, at, exp, _ in said_wrong(report)] == [
        ("narrative-mismatch", "預算總說明(續)", "A1", 78_471)]
    wb.save(tmp_path / "續.xlsx")
    assert main(["check", str(tmp_path / "續.xlsx")]) == 1
    assert "預算總說明：已檢核（工作表「預算總說明」、「預算總說明(續)」）" in capsys.readouterr().out.splitlines()[0]


def test_the_items_of_the_agency_tables_note_add_up_to_its_row():
    """歲出機關別預算表!J10 (32020180101 行政管理, 本年度 F10 43,769, 比較 I10 2,403) prints 以前年度's 說明: 「1.人員維持費
    42,978千元，較上年度伸算增列…2,403千元。 2.基本行政工作維持費791千元與上年度同。」: by hand 42,978 + 791 = 43,769 and
    2,403 + 0 = 2,403. 2,403 typed 2,430: the items' changes add up to 2,430. Red on main (a4ebd26): no finding."""
    wb = with_narrative()
    ws = wb["歲出機關別預算表"]
    assert (ws["F10"].value, ws["I10"].value) == (43_769, 2_403) and "2,403千元" in ws["J10"].value
    ws["J10"] = ws["J10"].value.replace("2,403千元", "2,430千元")
    assert said_wrong(check_workbook(wb)) == [
        ("printed-note-mismatch", "歲出機關別預算表", "J10", 2_403, "2,430千元")]


@pytest.mark.parametrize("cell, typed, right", [("I12", 128_994, 128_993), ("I10", 2_430, 2_403)])
def test_a_slipped_comparison_is_named_not_the_right_note_beside_it(cell, typed, right):
    """歲出機關別預算表 比較 I12 128,993 (232,026 − 103,033) typed 128,994, or I10 2,403 (43,769 − 41,366) typed 2,430: the
    slip is found at its cell, 應為 the 本年度 − 上年度. The 說明 beside it (J12 「較上年度增列128,993千元」, J10's items
    2,403 + 0) is right: no finding telling it to print the slip (field report 13 §F2). Red on main for I12
    (printed-note-mismatch J12 應為 128,994); I10 red with rules.blame.told_the_slip taken out (J10 應為 2,430)."""
    wb = with_narrative()
    wb["歲出機關別預算表"][cell] = typed
    assert said_wrong(check_workbook(wb)) == [("comparison-mismatch", "歲出機關別預算表", cell, right, typed)]
