"""build and 產生報表 name the officer's words they clear or overwrite in 總說明's column D (table-cell-replaced).

Leftover: build rewrote column D whole (its header and the figure sentences) and cleared whatever else was there
without a word: a 科長's remark typed over a sentence (D3), a note typed below them (D40). The sentences of an earlier
build, whatever their figures, are build's own and are rewritten without a word.

The example (the seed) gets 14 sentences (D2:D15); D3 is 「歲出部分：前年度歲出預算數1億9,078萬6千元，歲出決算數1億8,816萬2千元，
執行率達98.62%。」 (190,786 and 188,162 千元, seed page 1; 188,162 ÷ 190,786 = 98.62 %).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import input_grids, save_atomic
from xlbudget.app import splicebuild
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_file
from xlbudget.derive.narrative import is_standard_sentence, standard_sentences
from xlbudget.readers.inputs import read_book

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
D3 = "歲出部分：前年度歲出預算數1億9,078萬6千元，歲出決算數1億8,816萬2千元，執行率達98.62%。"
REMARK, NOTE = "科長：此段待議會審議後再改", "備註：請參考附件"


def _typed(tmp_path) -> Path:
    """The example built, then the officer's words typed into column D, and an input changed (歲出明細 H2 and G2
    +1,000,000 元): the sentences' figures change at the next build."""
    built = build_file(save_atomic(example_workbook(), tmp_path / "範例.xlsx"), tmp_path / "built.xlsx").output
    wb = openpyxl.load_workbook(built)
    assert wb["總說明"]["D3"].value == D3 and wb["總說明"]["D16"].value is None
    wb["總說明"]["D3"], wb["總說明"]["D40"] = REMARK, NOTE
    wb["歲出明細"]["G2"] = wb["歲出明細"]["H2"] = 26_356_370
    return save_atomic(wb, tmp_path / "typed.xlsx")


@pytest.mark.parametrize("spliced", [True, False])
def test_build_names_his_words_in_column_d_and_not_its_own_sentences(tmp_path, monkeypatch, spliced):
    if not spliced:
        monkeypatch.setattr(splicebuild, "splice_build", lambda source, target, as_read=None: None)
    typed = _typed(tmp_path)
    again = build_file(typed, tmp_path / "again.xlsx")
    assert again.spliced == spliced
    named = {(f.cell.sheet, f.cell.cell): f.message for f in again.findings if f.rule == "table-cell-replaced"}
    # the two of his; none of the 13 other sentences, though 歲出預算數 and 一般行政's figures changed (+1,000 千元)
    assert set(named) == {("總說明", "D3"), ("總說明", "D40")}
    assert f"文字「{REMARK}」" in named[("總說明", "D3")] and "「歲出部分：前年度歲出預算數" in named[("總說明", "D3")]
    assert f"文字「{NOTE}」" in named[("總說明", "D40")] and "為空白" in named[("總說明", "D40")]
    wb = openpyxl.load_workbook(again.output)
    assert wb["總說明"]["D3"].value == D3 and wb["總說明"]["D40"].value is None
    # by hand: 275,795 + 1,000 千元 歲出, 197,324 + 1,000 經常門, 一般行政 43,769 + 1,000
    assert wb["總說明"]["D6"].value == "歲出預算數2億7,679萬5千元，含經常門1億9,832萬4千元，資本門7,847萬1千元，依業務計畫列示如下："
    assert wb["總說明"]["D7"].value == "1. 一般行政4,476萬9千元。"
    # a build of what this one wrote: nothing of his left, nothing named
    third = build_file(again.output, tmp_path / "third.xlsx")
    assert [f for f in third.findings if f.rule == "table-cell-replaced"] == []


def test_every_sentence_build_writes_has_the_shape_build_knows_as_its_own():
    """is_standard_sentence knows each sentence of the three example books (a sentence reworded in standard_sentences
    without its shape goes red here, before build names its own sentences as the officer's)."""
    for path in sorted(WORKBOOKS.glob("範例-*.xlsx")):
        book, _ = read_book(input_grids(openpyxl.load_workbook(path), path.name), path.name)
        sentences = standard_sentences(book)
        assert len(sentences) >= 3 and all(is_standard_sentence(s) for s in sentences), (path.name, sentences)
    assert not is_standard_sentence(REMARK) and not is_standard_sentence("1. 本段說明見附件。")


def test_the_button_lists_his_words_in_column_d(tmp_path):
    from xlwings_json import book_json, run_script, sheet_order, sheet_values

    from xlbudget.addin import buttons as addin

    payload = book_json(openpyxl.load_workbook(_typed(tmp_path)))
    actions = run_script(addin, "build_schedules", payload)
    order = sheet_order(payload, actions)
    status = [str(r[0]) for r in sheet_values(actions, order.index("執行紀錄")) if r and r[0]]
    assert any(line.startswith("警告：") and "2 格自行輸入的內容" in line for line in status), status
    listed = {line for line in status if line.startswith("  - ") and "!" in line}
    assert listed == {f"  - 總說明!D3：{REMARK} → {D3}", f"  - 總說明!D40：{NOTE} → 空白"}, listed


# officers' own numbered lines with a figure, as the reference books word them (新北 主計處 115: 「(1)業務管理增加347千元。」,
# 「新增公務車汰舊換新770千元。」): 千元 after three digits or a comma is never format_chinese's (it writes 34萬7千元,
# 77萬元, 5,402萬2千元), so none is a sentence of an earlier build
OFFICER_LINES = ("1. 業務管理增加347千元。", "2. 本年度較上年度增加54,022千元。", "3. 新增公務車汰舊換新770千元。")


def test_an_officers_numbered_line_with_a_figure_is_not_taken_for_builds():
    assert not any(is_standard_sentence(line) for line in OFFICER_LINES)
    # format_chinese's own amounts still are: 43,769 千元, 0, 2,800 (280萬元), a loss, not filled in
    assert all(is_standard_sentence(s) for s in ("1. 一般行政4,376萬9千元。", "1. 一般行政0元。", "歲入預算數280萬元。",
                                                 "1. 一般行政-5千元。", "1. 一般行政（未填）。",
                                                 "歲出預算數1兆2,345億6,789萬1千元，含經常門1,000億元，資本門5千元，依業務計畫列示如下："))


def test_build_names_his_numbered_line_below_the_sentences(tmp_path):
    wb = openpyxl.load_workbook(_typed(tmp_path))
    wb["總說明"]["D40"] = OFFICER_LINES[0]
    typed = save_atomic(wb, tmp_path / "numbered.xlsx")
    again = build_file(typed, tmp_path / "again.xlsx")
    named = {(f.cell.sheet, f.cell.cell): f.message for f in again.findings if f.rule == "table-cell-replaced"}
    assert ("總說明", "D40") in named and f"文字「{OFFICER_LINES[0]}」" in named[("總說明", "D40")]
