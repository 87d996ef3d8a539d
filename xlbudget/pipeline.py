"""The main job, shared by every entry point: read a book, derive, write, save."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from .findings import Finding
from .inputs import SHEET_NARRATIVE
from .model import BudgetBook
from .narrative import check_narrative, standard_sentences
from .personnel import check_people
from .printing import write_standard_sentences, write_tables
from .schedules import derive_all
from .tables import Table
from .xlsxfile import backup_copy, load_book, save_atomic


def build_workbook(wb: Workbook, book: BudgetBook) -> tuple[tuple[Table, ...], list[Finding]]:
    """Write every schedule, the 目次 links and 總說明's figure sentences into ``wb``.

    Returns the tables and the 勾稽 findings of people, trips and narrative
    (the officer sees them at build time; ``xlbudget check`` reports them too).
    """
    tables = derive_all(book)
    write_tables(wb, tables, book.agency)
    if SHEET_NARRATIVE in wb.sheetnames:
        write_standard_sentences(wb[SHEET_NARRATIVE], standard_sentences(book))
    return tables, check_people(book) + check_narrative(book)


@dataclass
class BuildResult:
    """What a build did: where it wrote, the backup it kept, the tables, and findings."""

    output: Path
    backup: Path | None
    tables: tuple[Table, ...]
    findings: list[Finding]


def build_file(source: str | Path, output: str | Path | None = None) -> BuildResult:
    """Write every schedule of ``source`` into ``output`` (or into ``source``, after a backup copy).

    The source file is never modified when ``output`` is given; when it is
    rewritten in place, a dated backup copy is kept beside it first, and the
    new file replaces it in one rename.
    """
    loaded = load_book(source)
    tables, findings = build_workbook(loaded.workbook, loaded.book)
    backup = None
    target = Path(output) if output else Path(source)
    if target.resolve() == Path(source).resolve():
        backup = backup_copy(source)
    save_atomic(loaded.workbook, target)
    return BuildResult(target, backup, tables, loaded.findings + findings)
