"""The 2026-12-02 field test (field report 17): the file as it arrives, bytes other programs write.

Figures are the example book's (高雄市政府資訊中心 113年度): 歲出明細!H2 is the 1015 line's 25,356,370 元, H3 the first 1020
line's 4,410,710 (F3 1 × G3 4,410,710). Built, its 各項費用彙計表 prints 101500法定編制人員待遇 on row 9 (25,356 千元 in B9
under 32020180101) and 32020183201 數位發展計畫 in column C (its 合計 232,026 千元 in C7).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from xlbudget.adapters.safety import sheet_parts
from xlbudget.app.check import check_file
from xlbudget.app.convert import convert_paths

from built_books import handmade_workbook
from test_reading import example, main  # first: it sets XLWINGS_ON_SERVER before xlwings loads

SUMMARY = "各項費用彙計表"
EXPENSES = "歲出明細"


def rewrite(path: Path, part: str, edit) -> Path:
    """``path`` with its zip part ``part`` (or every .xml/.rels part, for None) replaced by ``edit(bytes)``."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    for name in parts:
        if name == part or part is None and name.endswith((".xml", ".rels")):
            changed = edit(parts[name])
            assert part is None or changed != parts[name], name  # the edit found what it changes
            parts[name] = changed
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def part_of(path: Path, sheet: str) -> str:
    return sheet_parts(path)[sheet]


# ------------------------------------------------------------ §1.1: Excel's 「Strict Open XML 試算表」

_STRICT = ((b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
           (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"))


def strict(data: bytes) -> bytes:
    """A part as Excel saves it under 「Strict Open XML 試算表」: the strict namespaces and relationship types."""
    for transitional, iso in _STRICT:
        data = data.replace(transitional, iso)
    return data


def strict_book(tmp_path, edit=None) -> Path:
    path = example(tmp_path, name="嚴格.xlsx")
    if edit:
        rewrite(path, part_of(path, EXPENSES), edit)
    return rewrite(path, None, strict)


@pytest.mark.parametrize("args", [["check"], ["export", "-o", "{dir}/x.json"], ["build", "-o", "{dir}/x.xlsx"],
                                  ["build"], ["next-year", "-o", "{dir}/x.xlsx"], ["pdf", "-o", "{dir}/x.pdf"],
                                  ["compare", "{book}"], ["check", "--mark"]])
def test_a_strict_ooxml_book_is_refused_by_name_by_every_command(tmp_path, capsys, args):
    """check, export and convert read a strict book's cells through python-calamine but found none of its parts by the
    transitional namespaces (no Excel Table, no formula without a value, no hidden row); build, next-year, pdf,
    compare and check --mark (openpyxl) said 「找不到工作表「基本資料」」 under openpyxl's UserWarnings. Every command
    now names the format and says to save it as an .xlsx from Excel, and writes nothing."""
    book = strict_book(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    before = book.read_bytes()
    other = example(tmp_path, name="一般.xlsx")
    given = [a.format(dir=out, book=other) for a in args]
    capsys.readouterr()
    assert main([given[0], str(book), *given[1:]]) == 2
    err = capsys.readouterr().err
    assert "嚴格.xlsx 是「Strict Open XML 試算表」格式" in err and "另存新檔" in err, err
    assert "找不到工作表" not in err and "Warning" not in err
    assert book.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["out", "一般.xlsx", "嚴格.xlsx"]
    assert not list(out.iterdir())


def test_a_strict_book_with_a_formula_without_its_value_is_not_read_half(tmp_path, capsys):
    """H3 holding =G3+1000 with no saved result: a transitional book is refused at H3 (formula-uncached); the strict
    book was exported with H3 taken as 數量 × 單價 (4,410,710 instead of the formula's 4,411,710), exit 0."""
    book = strict_book(tmp_path, lambda x: re.sub(rb'<c r="H3"([^>]*)>.*?</c>', rb'<c r="H3"\1><f>G3+1000</f></c>', x,
                                                  count=1))
    capsys.readouterr()
    assert main(["check", str(book), "--format", "json"]) == 2
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)] == ["file-strict"]
    code, results = convert_paths([str(book)], str(tmp_path / "conv"), jobs=1, stream=open("/dev/null", "w"))
    assert code == 2 and results[0].status == "無法讀取" and "Strict Open XML" in results[0].message
