"""A hand-made book (printed tables only) saved as .ods is converted as the same book saved as .xlsx.

Before, convert sent a book without input sheets to openpyxl, which refuses
an .ods: the book was 無法讀取 while check read it (through python-calamine).
The book here is the example's tables as build writes them, with one 千元
figure of 各項費用彙計表 raised by 7 (a hand calculation: the printed figure no
longer rounds its 元 total, and the other tables no longer agree with it).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from xlbudget.app.convert import convert_paths
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

from test_reading import printed_example, write_ods


def handmade(folder: Path) -> tuple[Path, Path, str]:
    """The same printed book as .xlsx and as .ods, and the cell whose figure was raised by 7."""
    wb = printed_example()
    planted = next(c for row in wb["各項費用彙計表"].iter_rows() for c in row
                   if isinstance(c.value, int) and c.value > 1000)
    planted.value += 7
    folder.mkdir()
    wb.save(folder / "手製.xlsx")
    return folder / "手製.xlsx", write_ods(wb, folder / "手製ods.ods"), planted.coordinate


def listed(path: str) -> set[tuple[str, str]]:
    """(rule, 位置) of every 錯誤 on 檢核結果."""
    rows = openpyxl.load_workbook(path)["檢核結果"].iter_rows(values_only=True)
    return {(r[2], r[4]) for r in rows if isinstance(r[0], int) and r[1] == "錯誤"}


def test_convert_a_handmade_ods_as_its_xlsx(tmp_path):
    xlsx, ods, planted = handmade(tmp_path / "books")
    code, results = convert_paths([str(xlsx), str(ods)], str(tmp_path / "out"), jobs=1, mark=True,
                                  stream=open("/dev/null", "w"))
    by_name = {Path(r.source).name: r for r in results}
    x, o = by_name["手製.xlsx"], by_name["手製ods.ods"]
    assert (o.status, o.reason, o.errors, o.agency, o.year) == (x.status, x.reason, x.errors, x.agency, x.year)
    assert (o.status, o.reason, o.agency, o.year) == ("有錯誤", "printed-only", "高雄市政府資訊中心", 113)
    assert Path(o.output).name == "手製ods.xlsx"
    assert ("thousand-rounding-mismatch", f"各項費用彙計表!{planted}") in listed(o.output)
    assert listed(o.output) == listed(x.output)
    out = openpyxl.load_workbook(o.output)["各項費用彙計表"]
    assert out[planted].value == openpyxl.load_workbook(xlsx)["各項費用彙計表"][planted].value


def test_convert_json_of_a_handmade_ods_lists_its_findings(tmp_path, capsys):
    xlsx, ods, planted = handmade(tmp_path / "books")
    code, results = convert_paths([str(ods)], str(tmp_path / "out"), jobs=1, fmt="json",
                                  stream=open("/dev/null", "w"))
    assert results[0].status == "有錯誤", results[0].message
    found = json.loads(Path(results[0].output).read_text(encoding="utf-8"))
    assert ("thousand-rounding-mismatch", "各項費用彙計表", planted) in {(f["rule"], f["sheet"], f["cell"]) for f in found}
    capsys.readouterr()
    assert main(["check", str(ods), "--format", "json"]) == 1
    checked = json.loads(capsys.readouterr().out)
    assert {(f["rule"], f["sheet"], f["cell"]) for f in checked} == {(f["rule"], f["sheet"], f["cell"]) for f in found}


def test_compare_reads_an_ods_as_its_xlsx(tmp_path, capsys):
    """compare of a book against itself saved as .ods: no difference (exit 0), hand-made or template."""
    xlsx, ods, _ = handmade(tmp_path / "books")
    template_xlsx = tmp_path / "範本輸入.xlsx"
    example_workbook().save(template_xlsx)
    template_ods = write_ods(example_workbook(), tmp_path / "範本輸入.ods")
    for old, new in ((xlsx, ods), (template_xlsx, template_ods)):
        capsys.readouterr()
        assert main(["compare", str(old), str(new), "--format", "json"]) == 0, new.name
        assert json.loads(capsys.readouterr().out) == {"old": old.name, "new": new.name, "figures": [], "renames": [],
                                                       "renumbered": [], "lines": [], "notes": []}
