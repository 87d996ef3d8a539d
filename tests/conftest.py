import hashlib
from pathlib import Path

import pytest

from xlbudget.app.example import example_workbook
from xlbudget.adapters.xlsxfile import save_atomic

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def example_book(tmp_path) -> Path:
    """The bundled example input book, saved to a temporary file."""
    return save_atomic(example_workbook(), tmp_path / "範例.xlsx")


def zip_entries(path: Path) -> list[tuple]:
    """Every entry of a package as the bytes on disk tell it: name, date, mode, compression, sizes and its bytes
    (docProps/core.xml's bytes and compressed size left out: the time written, which deflates to a size that
    depends on its digits — two books written in different seconds differed by one byte under load)."""
    import zipfile

    with zipfile.ZipFile(path) as package:
        return [(i.filename, i.date_time, i.external_attr, i.create_system, i.flag_bits, i.compress_type,
                 i.file_size, *((i.compress_size, package.read(i)) if i.filename != "docProps/core.xml" else (None, None)))
                for i in package.infolist()]


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def said_wrong(finding) -> bool:
    """A finding that says a figure is wrong (錯誤, 警告, or a figure that cannot be read): not a 提示, and not
    a 總說明 amount no table holds (narrative-unverified, 無法驗證), which the example books' prose has many of."""
    from xlbudget.core.findings import Severity

    return finding.severity != Severity.INFO and finding.rule != "narrative-unverified"


def read_example_book():
    """The bundled example book (the seed, 高雄市政府資訊中心 113) read; it reads with no finding."""
    from xlbudget.adapters.xlsxfile import input_grids
    from xlbudget.readers.inputs import read_book

    book, findings = read_book(input_grids(example_workbook(), "範例.xlsx"), "範例.xlsx")
    assert findings == []
    return book


def findings_at(findings, cell):
    """The findings at ``cell`` as (rule, sheet, cell, expected, actual)."""
    return [(f.rule, f.cell.sheet, f.cell.cell, f.expected, f.actual) for f in findings if f.cell.cell == cell]


def narrative_findings(book, cell, old, new):
    """check_narrative's findings at the 總說明 paragraph ``cell`` once its ``old`` is written ``new`` (asserting it
    was there), as findings_at gives them."""
    import dataclasses

    from xlbudget.rules.narrative import check_narrative

    paragraphs = tuple(dataclasses.replace(p, text=p.text.replace(old, new)) if p.cell.cell == cell else p
                       for p in book.narrative)
    assert paragraphs != book.narrative
    return findings_at(check_narrative(dataclasses.replace(book, narrative=paragraphs)), cell)


def narrative_edited(book, start, old, new):
    """The book with ``old`` written ``new`` (once) in the 總說明 paragraph starting ``start``, asserted there."""
    import dataclasses

    paragraphs = tuple(dataclasses.replace(p, text=p.text.replace(old, new, 1)) if p.text.startswith(start) else p
                       for p in book.narrative)
    assert paragraphs != book.narrative
    return dataclasses.replace(book, narrative=paragraphs)


def said_wrong_rows(findings):
    """The findings that say a figure is wrong (said_wrong), as (rule, cell, expected, actual)."""
    return [(f.rule, str(f.cell), f.expected, f.actual) for f in findings if said_wrong(f)]
