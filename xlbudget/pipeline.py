"""The main job, shared by every entry point: read a book, derive, write, save."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .printing import write_tables
from .schedules import derive_all
from .tables import Table
from .xlsxfile import backup_copy, load_book, save_atomic


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
    tables = derive_all(loaded.book)
    write_tables(loaded.workbook, tables, loaded.book.agency)
    backup = None
    target = Path(output) if output else Path(source)
    if target.resolve() == Path(source).resolve():
        backup = backup_copy(source)
    save_atomic(loaded.workbook, target)
    return BuildResult(target, backup, tables, loaded.findings)
