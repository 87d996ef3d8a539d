"""A formula filled down is stored by Excel once, on its first cell (a shared formula); the other cells hold only
its index. Messages named such a cell's formula «=（共用公式）» (build's table-cell-replaced) or «（H3 的共用公式）»
(check's formula-without-value): now as Excel shows it in the formula bar, the first cell's formula moved to it.

The example: 各項費用彙計表 B7 (合計, 一般行政) and B8 (人事費); 歲出明細 row 3 is 1 × 4,410,710."""

import re

from xlbudget.adapters.fastread import shared_formula
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_file
from xlbudget.cli import main
from xlbudget.derive.schedules import SUMMARY

from test_build_splice import _parts, _sheet_part, _write_parts


def _with_cells(parts, sheet, cells: dict[int, str]) -> None:
    """``cells`` ({row: the <c> elements}) added at the end of those rows of ``sheet``'s part."""
    part = _sheet_part(parts, sheet)
    for row, xml in cells.items():
        parts[part], n = re.subn(rf'(<row r="{row}"[^>]*>.*?)</row>'.encode(), lambda m: m.group(1) + xml.encode()
                                 + b"</row>", parts[part], count=1, flags=re.S)
        assert n == 1


def test_a_cell_of_a_filled_down_formula_on_a_table_sheet_is_named_as_excel_shows_it(tmp_path):
    """=B7*2 filled down F9:F10 beside 各項費用彙計表 (B7 at F9, so B8 at F10): rebuilt, F10 is named «公式「=B8*2」».
    Red on main: «公式「=（共用公式）」»."""
    built = build_file(save_atomic(example_workbook(), tmp_path / "範例.xlsx"), tmp_path / "built.xlsx").output
    parts = _parts(built)
    _with_cells(parts, SUMMARY, {9: '<c r="F9"><f t="shared" ref="F9:F10" si="0">B7*2</f><v>87538</v></c>',
                                 10: '<c r="F10"><f t="shared" si="0"/><v>85956</v></c>'})
    edited = _write_parts(tmp_path / "edited.xlsx", parts)
    again = build_file(edited, tmp_path / "again.xlsx")
    assert again.spliced
    named = {f.cell.cell: f.message for f in again.findings if f.rule == "table-cell-replaced"}
    assert "公式「=B7*2」" in named["F9"], named
    assert "公式「=B8*2」" in named["F10"], named


def test_a_cell_of_a_filled_down_formula_without_its_value_is_named_as_excel_shows_it(tmp_path, capsys):
    """歲出明細 H2:H3 =F2*G2 filled down, saved without values: check names H3's formula «=F3*G3».
    Red on main: «（H3 的共用公式）»."""
    source = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    parts = _parts(source)
    part = _sheet_part(parts, "歲出明細")
    for row, f in ((2, '<f t="shared" ref="H2:H3" si="0">F2*G2</f>'), (3, '<f t="shared" si="0"/>')):
        parts[part], n = re.subn(rf'<c r="H{row}"([^>]*?)(?:/>|>.*?</c>)'.encode(),
                                 lambda m: f'<c r="H{row}"'.encode() + re.sub(rb'\st="\w+"', b"", m.group(1))
                                 + b">" + f.encode() + b"</c>", parts[part], count=1, flags=re.S)
        assert n == 1
    book = _write_parts(tmp_path / "預算.xlsx", parts)
    assert main(["check", str(book)]) == 2
    said = capsys.readouterr().err
    assert "歲出明細!H2 此格的公式 =F2*G2 沒有計算結果" in said, said
    assert "歲出明細!H3 此格的公式 =F3*G3 沒有計算結果" in said, said


def test_a_master_that_cannot_be_moved_or_found_is_named_by_its_cell():
    xml = b'<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="3">LEN(&quot;abc)</f><v>1</v></c></row>'  # a string not closed
    assert shared_formula(xml, b'<f t="shared" si="3"/>', "A2") == "=（與 A1 同一共用公式）"
    assert shared_formula(xml, b'<f t="shared" si="4"/>', "A2") == "=（共用公式）"
