"""build by splicing: the officer's file copied part for part, only the table sheets written (adapters.splice).

Read as check reads (python-calamine, ``books.read_inputs``), derived as every build derives, the tables
written with convert's XlsxWriter writer (``xlsxbook.write_schedules``) and spliced into a copy of the
officer's zip, under save_keeping_backup's rules. openpyxl never opens the officer's book, so nothing it does
not model (shapes, form controls, sparklines, extensions, comments' formatting, cached values) is lost.
Whatever cannot be spliced safely returns None before anything is written: pipeline.build_file then builds
the openpyxl way, as before.
"""

from __future__ import annotations

from pathlib import Path

from xlbudget.core.findings import Finding, make_finding
from xlbudget.core.model import CellRef


def splice_build(source: Path, target: Path):
    """Build ``source`` into ``target`` by splicing; (backup, tables, findings), or None: build it with openpyxl.

    Raises InputError for a book that cannot be read, as load_book does.
    """
    try:
        import lxml  # noqa: F401 - adapters.splice parses the officer's parts with it

        from xlsxwriter.exceptions import XlsxWriterException

        from xlbudget.adapters.splice import CannotSplice, OfficerBook, splice
        from xlbudget.adapters.xlsxbook import NotPlain, write_schedules
    except ImportError:  # lxml or XlsxWriter missing (they are not installed in the browser)
        return None
    from xlbudget.adapters.atomic import write_atomic
    from xlbudget.adapters.books import read_inputs
    from xlbudget.adapters.fastread import sheet_texts
    from xlbudget.adapters.xlsxfile import write_keeping_backup
    from xlbudget.derive.book import derive_all
    from xlbudget.derive.narrative import standard_sentences
    from xlbudget.forms.inputs import SHEET_NARRATIVE
    from xlbudget.forms.layout import layout_table
    from xlbudget.readers.grid import input_sheet_names
    from xlbudget.rules.checks import check_people
    from xlbudget.rules.narrative import check_narrative

    book, findings = read_inputs(source)  # refuses what load_book refuses, with the same findings
    tables = derive_all(book)
    titles = [t.sheet_name for t in tables]
    if len(set(titles)) != len(titles):
        return None
    layouts = {t.sheet_name: layout_table(t, book.agency) for t in tables}  # written, then what they print
    try:
        officer = OfficerBook(source)
        order = officer.order(titles)
        narrative = input_sheet_names(officer.names).get(SHEET_NARRATIVE)  # 「總說明 」 is 總說明, as when read
        made = write_schedules(tables, layouts, order, standard_sentences(book) if narrative else None, narrative)
        data = splice(officer, made, titles, narrative)
    except (CannotSplice, NotPlain, XlsxWriterException):
        # an officer's part splicing cannot take, or a value XlsxWriter would store otherwise: the openpyxl way,
        # never a half-made file. Anything else is xlbudget's own failure, and is not hidden behind a fallback.
        return None
    old = sheet_texts(source, [t for t in titles if t in officer.names])
    backup = write_keeping_backup(lambda: write_atomic(target, lambda tmp: tmp.write_bytes(data)), target, source)
    built = check_people(book) + check_narrative(book)
    return backup, tables, findings + built + replaced_text(old, layouts, source, backup)


def replaced_text(old: dict[str, dict[tuple[int, int], str]], layouts: dict, source: Path,
                  backup: Path | None, kept: str | None = None) -> list[Finding]:
    """``table-text-replaced`` (warning) at each text cell of a replaced table sheet (``old``: {sheet: {(row,
    column): text}}, read before writing) whose text the new table (``layouts``: {sheet: its layout}) does not
    print anywhere: the officer's own words, now only in the backup (or the untouched original). Field item L12.
    ``kept``: where the words are kept, when neither (the 產生報表 button: its 執行紀錄)."""
    from xlbudget.readers.grid import column_letter

    kept = kept or (backup.name if backup else source.name)  # in place: the dated backup; with -o: the original
    found = []
    for name, layout in layouts.items():
        cells = old.get(name)
        if not cells:
            continue
        printed = {str(v).strip() for row in layout.values for v in row if v is not None}
        for (r, c), text in sorted(cells.items()):
            if text.strip() not in printed:
                found.append(make_finding("table-text-replaced", CellRef(name, f"{column_letter(c)}{r}", source.name),
                                          text=text if len(text) <= 40 else text[:40] + "…", kept=kept))
    return found
