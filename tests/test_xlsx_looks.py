"""The stored looks of convert's fresh books (xlbudget/data/xlsx-looks.json, app.looks) are the writers' own.

convert writes a fresh book with XlsxWriter from the stored looks: the template's sheets, printing's table
styles, the 目次 link font and the 總說明 sentences' styles, read off openpyxl ahead of time (a table's page
setup is forms.pages', replayed by both writers: tests/test_pages.py). Read afresh from app.template and
adapters.printing, they must be exactly what is stored: a change to the template or to printing without
``python -m xlbudget.app.looks`` fails here.
"""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xlbudget.adapters import xlsxbook
from xlbudget.app.convert import convert_one
from xlbudget.app.looks import STORED, looks_text

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
EXAMPLES = sorted(WORKBOOKS.glob("範例-*.xlsx"))


def test_the_stored_looks_are_what_the_writers_give_now():
    assert STORED.read_text(encoding="utf-8") == looks_text(), "run: python -m xlbudget.app.looks"


def test_convert_writes_a_fresh_book_without_openpyxl(tmp_path):
    """The three examples convert from the stored looks alone: openpyxl never imported, no scratch sheet read."""
    code = ("import sys\nfrom xlbudget.adapters import xlsxbook\nfrom xlbudget.app.convert import convert_one\n"
            "for n, book in enumerate(sys.argv[2:]):\n"
            "    assert convert_one(book, f'{sys.argv[1]}/{n}.xlsx').status == '完成', book\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'), len(xlsxbook._SCRATCH))\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path), *map(str, EXAMPLES)], capture_output=True,
                          text=True)
    assert len(EXAMPLES) == 3 and done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["[]", "0"]


def _parts(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # core.xml: the time written


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_a_kind_of_cell_or_page_not_stored_is_read_off_openpyxl_the_same(tmp_path, monkeypatch, source):
    """Without the stored table styles (a kind a later table might bring), the book is the same."""
    assert convert_one(str(source), str(tmp_path / "stored.xlsx")).status == "完成"
    looks = dict(xlsxbook._stored(), tables={})
    monkeypatch.setattr(xlsxbook, "_LOOKS", looks)
    monkeypatch.setattr(xlsxbook, "_STYLES", {})
    assert convert_one(str(source), str(tmp_path / "read.xlsx")).status == "完成"
    assert xlsxbook._SCRATCH  # read off openpyxl this time
    assert _parts(tmp_path / "read.xlsx") == _parts(tmp_path / "stored.xlsx")
