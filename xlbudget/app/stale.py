"""Tables not made again since the inputs changed (預算表未依目前輸入重新產生; field report 8 §2.5), told from a book on
disk: each table sheet's record of what the last build wrote (forms.overwrite.RECORD_NAME) against what the inputs
give now. check says it first (rules.readback.stale_tables, given the records read here); export and compare, which
give figures derived from the inputs, say it before them. Imports no check of rules.checks: export pays for none.
"""

from __future__ import annotations

from pathlib import Path

# what export (the command and the 匯出 button) adds to tables-stale: which figures it gave
FROM_INPUTS = "由輸入工作表重算（即重新產生後預算表所印的數字），不是本書預算表目前所印的數字"
EXPORTED_FROM_INPUTS = "匯出的數字" + FROM_INPUTS
PUBLISHED_FROM_INPUTS = "PDF 的數字" + FROM_INPUTS  # pdf prints the tables as the inputs derive them


def built_records(book) -> dict[str, str]:
    """Each table sheet's record of what the last build wrote there (forms.overwrite.RECORD_NAME's text), by sheet
    name: of an openpyxl workbook, or of a file on disk read from its workbook part alone (an .ods: its tables' own
    named expressions, as LibreOffice keeps an .xlsx's when it saves it as .ods)."""
    from xlbudget.forms.overwrite import RECORD_NAME

    if hasattr(book, "worksheets"):
        return {ws.title: ws.defined_names[RECORD_NAME].attr_text for ws in book.worksheets
                if RECORD_NAME in getattr(ws, "defined_names", {})}
    from xlbudget.adapters.xlsxfile import is_ods

    if is_ods(book):
        from xlbudget.adapters.fastread import ods_names_defined

        return ods_names_defined(book, RECORD_NAME)
    from xlbudget.adapters.safety import sheet_names_defined

    return sheet_names_defined(book, RECORD_NAME)


def stale_on_disk(path, book, tables=None):
    """tables-stale (rules.readback.stale_tables) of the template book ``path`` whose inputs ``book`` holds (its
    derive_all ``tables``, when the caller has them): what export and compare, which give figures derived from the
    inputs, say before them when the book's tables show others (field report 8 §2.5). None when every table sheet
    build recorded is what the inputs give now (told from the records alone, no sheet read), or has no record."""
    records = built_records(Path(path))
    if not records:
        return None

    def read(names):
        from xlbudget.adapters.fastread import read_sheets

        return {name: (sg.grid, sg.merges) for name, sg in read_sheets(path, names).items()}

    return stale_of(book, tables, records, read)


def stale_of(book, tables, records: dict, read):
    """stale_on_disk's test on any book: ``records`` each table sheet's record (RECORD_NAME's text), ``read(names)``
    those table sheets as {name: (grid from A1, merged ranges)}, asked only for the tables whose record is not what
    the inputs give now (a live book's too: the 匯出 button)."""
    from xlbudget.forms.layout import layout_table
    from xlbudget.forms.overwrite import built_record, read_record

    records = {name: text for name, text in records.items() if text}
    if not records:
        return None
    if tables is None:
        from xlbudget.derive.book import derive_all

        tables = derive_all(book)
    # each recorded table laid out once: its record made from it, and a table whose record differs compared on it
    layouts = {t.sheet_name: layout_table(t, book.agency) for t in tables if t.sheet_name in records}
    changed = [t for t in tables if t.sheet_name in layouts
               and read_record(records[t.sheet_name]) != read_record(built_record(layouts[t.sheet_name]))]
    if not changed:
        return None
    from xlbudget.rules.readback import compare_schedules, stale_tables

    sheets = read([t.sheet_name for t in changed])
    grids = {name: grid for name, (grid, _) in sheets.items()}
    texts: list = []  # a 說明 edited after build prints the old one: stale too
    read_back = compare_schedules(book, grids, changed, layouts, texts)
    return stale_tables(read_back + texts, grids, records,
                        {name: merges for name, (_, merges) in sheets.items()}, grids)
