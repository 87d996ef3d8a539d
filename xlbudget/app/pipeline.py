"""The main job, shared by every entry point: read a book, derive, write, save."""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from xlbudget.core.records import plain
from xlbudget.core.errors import InputError
from xlbudget.core.findings import Finding, make_finding
from xlbudget.forms.inputs import SHEET_NARRATIVE
from xlbudget.readers.grid import input_sheet_names
from xlbudget.core.model import BudgetBook
from xlbudget.derive.narrative import book_figures, standard_sentences
from xlbudget.rules.checks import check_inputs  # at import: convert's _warm imports it before forking its workers
from xlbudget.derive.book import derive_all
from xlbudget.core.tables import Table
from xlbudget.adapters.atomic import output_exists, same_file
from xlbudget.adapters.xlsxfile import is_ods, is_readable_ods, save_atomic, save_keeping_backup

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

# openpyxl (printing, books) is imported where a workbook is built: convert's fresh books need none


def build_workbook(wb: Workbook, book: BudgetBook) -> tuple[tuple[Table, ...], list[Finding]]:
    """Write every schedule, the 目次 links and 總說明's figure sentences into ``wb``.

    Returns the tables and the findings of the book's input checks (rules.checks.check_inputs: every one check
    runs on the inputs, people, trips and narrative among them), which the officer sees at build time.
    """
    from xlbudget.adapters.printing import write_standard_sentences, write_tables

    tables = derive_all(book)
    write_tables(wb, tables, book.agency)
    narrative = input_sheet_names(wb.sheetnames).get(SHEET_NARRATIVE)  # 「總說明 」 is 總說明, as when read
    figures = book_figures(book)  # once, for the sentences and their check
    if narrative:
        write_standard_sentences(wb[narrative], standard_sentences(book, figures))
    return tables, check_inputs(book, figures)


def write_fresh_book(target: str | Path, grids, book: BudgetBook) -> tuple[tuple[Table, ...], list[Finding]] | None:
    """``build_workbook`` for a book made from scratch (convert), written with XlsxWriter to ``target``.

    The same book as ``fill_template(grids)`` built and saved with openpyxl (tests/test_fresh_books.py),
    without building an openpyxl workbook. Returns what build_workbook returns; None, with nothing
    written, when a value would be stored otherwise than openpyxl stores it (a date): write that book
    the openpyxl way.
    """
    from xlbudget.adapters.atomic import write_atomic
    from xlbudget.adapters.xlsxbook import NotPlain, stored_template, write_book
    from xlbudget.app.template import fill_plan

    tables = derive_all(book)
    figures = book_figures(book)  # once, for the sentences and their check
    try:
        write_atomic(target, lambda tmp: write_book(tmp, stored_template(), fill_plan(grids), tables, book.agency,
                                                    standard_sentences(book, figures), SHEET_NARRATIVE))
    except NotPlain:
        return None
    return tables, check_inputs(book, figures)


@plain
class BuildResult:
    """What a build did: where it wrote, the backup it kept, the tables, and findings."""

    output: Path
    backup: Path | None
    tables: tuple[Table, ...]
    findings: list[Finding]
    spliced: bool = False  # written by splicing the tables into the officer's file (adapters.splice)
    remarked: object = None  # app.check.Remarked: an earlier check --mark's 檢核結果 and marks, checked again
    not_carried: str = ""  # _not_carried: the officer's own sheets of an .ods, not in the .xlsx built from it

    @property
    def errors(self) -> int:
        """How many error findings the built book has (``error_count``): build writes it, and exits 1 as pdf does."""
        from xlbudget.core.findings import error_count

        return error_count(self.findings)


def build_file(source: str | Path, output: str | Path | None = None) -> BuildResult:
    """Write every schedule of ``source`` into ``output`` (or into ``source``, after a backup copy).

    The source file is never modified when ``output`` is given; when it is
    rewritten in place, a dated backup copy is kept beside it first, and the
    new file replaces it in one rename.
    """
    from xlbudget.adapters.atomic import AsRead

    target = Path(output) if output else Path(source)
    if is_ods(source) and same_file(target, source):
        raise InputError(make_finding("ods-not-written", None, name=Path(source).name), Path(source).name)
    as_read = AsRead(source)  # before the first read: written by another run meanwhile, nothing is written
    try:
        result = _build_file(Path(source), target, as_read)
    except InputError as exc:
        refuse_printed_only(exc, Path(source), "build")
        raise
    from xlbudget.app.check import manual_calc, remark_built

    if not is_readable_ods(source):  # formulas saved uncalculated: said once, with their cells, as check says it
        result.findings = manual_calc(source, result.findings) + result.findings
    # a book check --mark marked: its 檢核結果 would list what build has just fixed (and miss what it has not)
    result.remarked = remark_built(target, {t.sheet_name for t in result.tables})
    return result


def _build_file(source: Path, target: Path, as_read=None) -> BuildResult:
    """build_file once ``target`` is known to be writable from ``source`` (``as_read``: atomic.AsRead)."""
    why = ""  # why it could not splice, for a refusal below to say
    if not is_readable_ods(source) and target.suffix.lower() == source.suffix.lower():
        from xlbudget.app.splicebuild import splice_build

        done = splice_build(source, target, as_read)
        if isinstance(done, tuple):
            backup, tables, findings = done
            return BuildResult(target, backup, tables, findings, spliced=True)
        why = done or ""
    from xlbudget.adapters.books import load_book
    from xlbudget.app.template import fill_template

    loaded = load_book(source, fill_template)  # an .ods: our template filled with its values
    if not is_readable_ods(source):  # the officer's own file (read: a workbook) saved through openpyxl: refused
        from xlbudget.app.check import refuse_losses  # if that would drop his pictures, threads, custom XML

        refuse_losses(source, "build-would-drop", why)
    before = {ws.title: ws for ws in loaded.workbook.worksheets}  # kept: build removes the table sheets it rewrites
    narrative = input_sheet_names(loaded.workbook.sheetnames).get(SHEET_NARRATIVE)
    column = _column_cells(loaded.workbook[narrative]) if narrative else None  # before build writes its sentences
    tables, findings = build_workbook(loaded.workbook, loaded.book)
    old = None if is_readable_ods(source) else _overwritten(before, tables, loaded.book, (narrative, column))
    staying = _keep_notes(loaded.workbook, *old) if old else {}
    dropped = _keep_settings(loaded.workbook, before, *old[:2]) if old else []
    gone = _remove_left_behind(loaded.workbook, tables)
    backup = save_keeping_backup(loaded.workbook, target, source, loaded.cached, as_read)
    replaced = [] if old is None else _replaced_text(*old, source, backup, staying)
    if dropped:
        from xlbudget.app.splicebuild import removed_names

        replaced += removed_names(lambda rewritten: _sheet_formulas(loaded.workbook, rewritten), dropped, Path(source),
                                  backup)
    from xlbudget.app.splicebuild import removed_tables

    names = [(n, dn.attr_text) for n, dn in loaded.workbook.defined_names.items()] + [
        (n, dn.attr_text) for ws in loaded.workbook.worksheets for n, dn in ws.defined_names.items()]
    return BuildResult(target, backup, tables, loaded.findings + findings + replaced
                       + removed_tables(gone, Path(source), backup, lambda rewritten: _sheet_formulas(
                           loaded.workbook, rewritten | {t.sheet_name for t in tables}), names),
                       not_carried=_ods_not_carried(loaded, source, target) if is_readable_ods(source) else "")


def _ods_not_carried(loaded, source: Path, target: Path) -> str:
    """What the .xlsx ``target`` built from the .ods ``source`` does not carry, in a line or two: the officer's own
    sheets (_not_carried), and his input sheets' formulas, written as their values (nextformulas.ods_formulas_line,
    as next-year names them: 歲出明細!H2 =F2*G2 became 25,356,370 in the .xlsx, nothing said)."""
    from xlbudget.adapters.fastread import ods_extras
    from xlbudget.app.nextformulas import ods_formulas_line

    formulas = ods_formulas_line(source.name, loaded.grids, {sheet: extras[4] for sheet, extras in
                                                             ods_extras(source, merges=True).items()},
                                 f"{target.name} 中已改為計算結果（數值），原公式只在 {source.name}")
    return "\n".join(line for line in (_not_carried(loaded, source, loaded.workbook, target.name), formulas) if line)


def _sheet_formulas(wb, rewritten: set[str]) -> dict[str, dict[tuple[int, int], str]]:
    """The formulas of ``wb``'s worksheets but ``rewritten``, {sheet: {(row, column): "=…"}} (splicebuild._formulas of
    an openpyxl workbook)."""
    return {ws.title: {(c.row, c.column): str(c.value) for c in sorted(getattr(ws, "_cells", {}).values(),
                                                                       key=lambda c: (c.row, c.column))
                       if c.data_type == "f"}  # the cells stored, never every cell up to a styled one at XFD1048576
            for ws in wb.worksheets if ws.title not in rewritten}


def _remove_left_behind(wb, tables) -> list[str]:
    """The last build's table sheets this build no longer writes (rules.readback.left_behind), taken out of ``wb``."""
    from xlbudget.app.stale import built_records
    from xlbudget.rules.readback import left_behind

    gone = left_behind(built_records(wb), {t.sheet_name for t in tables})
    for name in gone:
        wb.remove(wb[name])
    return gone


_PAGE_SETUP = ("orientation", "paperSize", "scale", "fitToHeight", "fitToWidth", "firstPageNumber", "useFirstPageNumber",
               "paperHeight", "paperWidth", "pageOrder", "usePrinterDefaults", "blackAndWhite", "draft", "cellComments",
               "errors", "horizontalDpi", "verticalDpi", "copies")


def _keep_settings(wb, before: dict, old, layouts) -> list:
    """What the officer set on a table sheet he had built, back on the one openpyxl's build made in its place, as the
    splice keeps them (splice.kept_settings, splicebuild.table_names): its state (hidden), tab colour and page setup,
    and his print area and names where they still fit. Returns those that go (splicebuild.removed_names names them)."""
    import copy

    from xlbudget.app.splicebuild import table_names
    from xlbudget.forms.overwrite import RECORD_NAME

    built = {name: ws for name, ws in before.items() if name in layouts and RECORD_NAME in ws.defined_names}
    local = {name: [(n, d.attr_text) for n, d in ws.defined_names.items()]
             + ([("_xlnm.Print_Area", ws.print_area)] if ws.print_area else []) for name, ws in built.items()}
    kept, dropped = table_names(local, old, layouts)
    for name, ws in built.items():
        new = wb[name]
        new.sheet_state = ws.sheet_state
        new.sheet_properties.tabColor = copy.copy(ws.sheet_properties.tabColor)
        new.sheet_properties.pageSetUpPr = copy.copy(ws.sheet_properties.pageSetUpPr)
        for attribute in _PAGE_SETUP:
            setattr(new.page_setup, attribute, getattr(ws.page_setup, attribute))
        new.print_options, new.page_margins = copy.copy(ws.print_options), copy.copy(ws.page_margins)
        for n in kept.get(name, ()):
            if n == "_xlnm.Print_Area":
                new.print_area = ws.print_area
            elif n not in new.defined_names:
                new.defined_names[n] = copy.copy(ws.defined_names[n])
    return dropped


def _keep_notes(wb, old, layouts, narrative) -> dict:
    """The officer's notes put back on the rebuilt table sheets where their rows stayed (splicebuild.kept_notes)."""
    from openpyxl.comments import Comment

    from xlbudget.app.splicebuild import kept_notes

    staying = kept_notes(old, layouts)
    for name, cells in staying.items():
        for (r, c), (text, author) in cells.items():
            wb[name].cell(r, c).comment = Comment(text, author)
    return staying


def _column_cells(ws) -> tuple[dict, dict]:
    """The values and formulas of 總說明's column D (derive.narrative.NARRATIVE_COLUMN), {(row, column): …}."""
    from xlbudget.derive.narrative import NARRATIVE_COLUMN

    cells = [cell for (cell,) in ws.iter_rows(min_col=NARRATIVE_COLUMN, max_col=NARRATIVE_COLUMN)
             if cell.value is not None]
    return ({(c.row, c.column): c.value for c in cells if c.data_type != "f"},
            {(c.row, c.column): str(c.value) for c in cells if c.data_type == "f"})


def _overwritten(before: dict, tables, book: BudgetBook, narrative=(None, None)):
    """What openpyxl's build replaced on the table sheets (``before``: the sheets as they were) and in 總說明's column D
    (``narrative``: its name and _column_cells before the build): (splicebuild.Overwritten, the new layouts, narrative)."""
    from xlbudget.app.splicebuild import Overwritten
    from xlbudget.forms.layout import layout_table
    from xlbudget.forms.overwrite import RECORD_NAME

    old = Overwritten({})
    for table in tables:
        ws = before.get(table.sheet_name)
        if ws is not None and hasattr(ws, "iter_rows"):
            cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
            old.values[ws.title] = {(c.row, c.column): c.value for c in cells if c.data_type != "f"}
            old.formulas[ws.title] = {(c.row, c.column): str(c.value) for c in cells if c.data_type == "f"}
            record = ws.defined_names.get(RECORD_NAME)
            old.records[ws.title] = record.attr_text if record is not None else None
            old.merges[ws.title] = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
            old.notes[ws.title] = {(c.row, c.column): (c.comment.text or "", c.comment.author or "")
                                   for row in ws.iter_rows() for c in row if c.comment is not None}
    layouts = {table.sheet_name: layout_table(table, book.agency) for table in tables if table.sheet_name in old.values}
    name, column = narrative
    if name and column is not None:
        old.values[name], old.formulas[name] = column
    return old, layouts, (name, standard_sentences(book) if name else None)


def _replaced_text(old, layouts, narrative, source, backup, staying) -> list[Finding]:
    """The officer's numbers, formulas and text on the table sheets openpyxl's build replaced (field L12, officer
    task 1), in 總說明's column D, and his notes not put back (``staying``): splicebuild.replaced_cells and
    removed_notes."""
    from xlbudget.app.splicebuild import narrative_replacements, officer_replacements, removed_notes, replaced_cells

    found = officer_replacements(old, layouts) + narrative_replacements(old, *narrative)
    return replaced_cells(old, layouts, Path(source), backup, found=found) \
        + removed_notes(old, Path(source), backup, staying=staying)


@plain
class NextYearResult:
    """What next-year wrote: the new book, its year, and the 以前年度 cells left for the officer."""

    output: Path
    year: int
    empty_finals: tuple
    findings: list[Finding]
    reminder: str | None = None  # nextyear.as_is_reminder: sheets carried with this year's figures
    funding_splits: tuple = ()  # 分年資金需求 以後年度 cells the officer must split (nextyear.roll_funding)
    macros: str = ""  # the source's VBA project: "carried" into an .xlsm output, "left" out of an .xlsx, "" none
    source_line: str = ""  # nextyear.prior_source_line: where 上年度 came from, and the 法定預算 reminder
    not_carried: str = ""  # _not_carried: the officer's own sheets, pictures, notes and names not carried
    formulas: str = ""  # nextformulas.formulas_line: his input sheets' formulas kept, made values, emptied

    @property
    def errors(self) -> int:
        """How many error findings this year's book has (``error_count``, build's count of the same book): next
        year's book is written all the same, its lines carried as they are, and next-year exits 1 as build does."""
        from xlbudget.core.findings import error_count

        return error_count(self.findings)


def load_input_book(source: Path, command: str):
    """``books.load_book`` (an .ods filled into our template) for a command that needs the input sheets (pdf,
    next-year). A hand-made book — no input sheets, printed tables xlbudget reads (as check and compare tell
    them) — is refused as one (``printed-only-input``), not as a book missing 「基本資料」."""
    from xlbudget.adapters.books import load_book
    from xlbudget.app.template import fill_template

    try:
        return load_book(source, fill_template)
    except InputError as exc:
        refuse_printed_only(exc, source, command)
        raise


def refuse_printed_only(exc: InputError, source: Path, command: str) -> None:
    """Raise ``printed-only-input`` in place of ``exc`` when ``exc`` says an input sheet is missing from a
    hand-made book (no input sheets, printed tables xlbudget reads); return otherwise, for the caller to raise
    ``exc``."""
    if any(f.rule == "missing-sheet" for f in exc.findings) and _printed_only(source):
        raise InputError(make_finding("printed-only-input", None, name=source.name, command=f"xlbudget {command}",
                                      remedy="請以 xlbudget new 產生範本，將本書的資料填入後再執行"),
                         source.name) from None


def _printed_only(path: Path) -> bool:
    """No input sheet (check's test) and at least one printed table read: what compare reads as a hand-made book."""
    try:
        return read_for_comparing(path)[0] == "printed"
    except InputError:  # no table either (no-tables)
        return False


def next_year_file(source: str | Path, output: str | Path, clear_amounts: bool = False,
                   force: bool = False) -> NextYearResult:
    """Write next year's input book (新年度) from ``source`` to ``output``; ``source`` is only read.

    Formula cells of the input sheets are kept as formulas where next-year can keep them honestly, else carried
    as their cached values and named (app.nextformulas).
    Raises InputError (zh-TW) when ``source`` cannot be read; OutputRefused (an InputError naming ``output``, not
    saying the input is wrong) when ``output`` is ``source``, or exists and ``force`` is not given.
    """
    from xlbudget.core.errors import OutputRefused
    from xlbudget.readers.grid import Grid
    from xlbudget.app.nextyear import next_year
    from xlbudget.adapters.printing import NARRATIVE_COLUMN
    from xlbudget.adapters.xlsxfile import input_grids, macros_of
    from xlbudget.app.template import fill_template
    from xlbudget.core.errors import UsageError

    source, output = Path(source), Path(output)
    if output.exists() and same_file(output, source):
        raise OutputRefused(make_finding("output-is-source", None, name=str(output)), output.name)
    if output_exists(output, force):
        raise OutputRefused(make_finding("output-exists", None, name=str(output)), output.name)
    loaded = load_input_book(source, "next-year")
    # the grids load_book read, formulas by their cached values (an .ods: as our template holds them)
    grids = input_grids(loaded.workbook, source.name) if is_readable_ods(source) else loaded.grids
    plan = next_year(loaded.book, grids, clear_amounts, NARRATIVE_COLUMN, output.name)
    sheets, cached, formulas = plan.sheets, None, ""
    if not is_readable_ods(source):
        from xlbudget.adapters.safety import calc_manual
        from xlbudget.adapters.xlsxfile import formula_cells
        from xlbudget.app.nextformulas import carry_formulas, formulas_line

        wb = loaded.workbook
        typed = {name: {(r, c): wb[grid.sheet].cell(r, c).value for r, c in formula_cells(wb[grid.sheet])}
                 for name, grid in grids.items()}
        if any(typed.values()):  # a book calculated by hand (manual) saved results that may be stale: no value kept
            manual = calc_manual(source)
            sheets, cached, *cells = carry_formulas(plan, grids, typed, exact=not manual)
            formulas = formulas_line(*cells)
            if manual:  # the results read (上年度 from 預算數, the values carried) may be stale too: said, as check does
                from xlbudget.app.check import manual_calc_line
                from xlbudget.app.nextformulas import shown_formula

                cells = [(grids[name].sheet, at, shown_formula(f)) for name, by in typed.items()
                         for at, f in sorted(by.items())]
                formulas = "\n".join(line for line in (formulas, manual_calc_line(
                    cells, f"{source.name} 設為手動計算（公式 → 計算選項 → 手動），存檔時未必重新計算", "存檔時的結果",
                    "請在 Excel 按 F9 重新計算、存檔後再執行 xlbudget next-year")) if line)
    else:  # an .ods is read as values: its formulas are carried as such, and named
        from xlbudget.adapters.fastread import ods_extras
        from xlbudget.app.nextformulas import ods_formulas_line

        formulas = ods_formulas_line(source.name, loaded.grids, {sheet: extras[4] for sheet, extras in
                                                                 ods_extras(source, merges=True).items()})
    new = fill_template({name: Grid(name, rows) for name, rows in sheets.items()})
    lists = []
    if not is_readable_ods(source):  # his widths, page setup and lists where he set them (an .ods: our template's)
        from xlbudget.app.nextlooks import carry_looks

        lists = carry_looks(loaded.workbook, grids, new)
    macros = macros_of(source) if source.suffix.lower() == ".xlsm" else None
    if output.suffix.lower() == ".xlsm":  # an .xlsm's macros go on into next year's .xlsm (its VBA project)
        if macros is None:  # else openpyxl writes a plain book that Excel refuses under .xlsm
            raise UsageError(f"{source.name} 沒有巨集（VBA 專案）可帶入 {output.name}；請以 -o 指定 .xlsx 輸出檔。"
                             "未寫入任何檔案")
        new.vba_archive = macros
    save_atomic(new, output, cached)
    from xlbudget.app.nextyear import as_is_reminder, prior_source_line

    # this year's errors, as build finds them (its input checks, and the formula cells behind them in a book
    # calculated by hand): the draft carries them into next year, and next-year exits 1 on them as build does
    findings = _open_read(source) + list(loaded.findings) + check_inputs(loaded.book, book_figures(loaded.book))
    if not is_readable_ods(source):
        from xlbudget.app.check import manual_calc

        findings = manual_calc(source, findings) + findings
    return NextYearResult(output, plan.year, plan.empty_finals, findings, as_is_reminder(plan),
                          plan.funding_splits, "" if macros is None else "carried" if new.vba_archive else "left",
                          prior_source_line(loaded.book, source.name), _not_carried(loaded, source, new, lists=lists),
                          formulas)


def _not_carried(loaded, source: Path, new, into: str | None = None, lists: list[str] = ()) -> str:
    """One line naming what next year's book (``new``: our template refilled) does not carry of the officer's
    ``source`` (``loaded``): his own sheets, hidden and very hidden ones too, the pictures, text boxes and threaded
    comments on the others, his notes, and his names; '' when there is none (field report 11 §4.1: the hidden
    sheet 試算 gone unseen until next year's formulas need it). xlbudget's own — table sheets and their records,
    檢核結果, its marks' notes, the template's sheets and names — are not his: next year's build makes them again.
    ``into``: the .xlsx build wrote from an .ods (``new``, our template filled with its values and built), which
    carries no sheet of his either: its values alone would lose his formulas and formats (revs, field report 11).
    ``lists``: his drop-down lists whose choices are on a sheet or in a name not carried (nextlooks.carry_looks)."""
    import zipfile

    from xlbudget.adapters.marking import AUTHOR
    from xlbudget.adapters.package import openpyxl_losses
    from xlbudget.adapters.safety import sheet_parts
    from xlbudget.derive.book import derive_all
    from xlbudget.forms.overwrite import RECORD_NAME
    from xlbudget.forms.results import OWN_SHEETS

    wb = loaded.workbook
    lead = (f"以下未帶入{'新年度預算書（新年度預算書由範本重新填入）' if into is None else f' {into}（由 .ods 的輸入資料填入範本產生）'}"
            f"，需要的請自行由 {source.name} 複製：")
    states = {"hidden": "（隱藏）", "veryHidden": "（深層隱藏）"}
    if wb is None:
        return ""
    ours = set(new.sheetnames) | set(OWN_SHEETS) | {t.sheet_name for t in derive_all(loaded.book)}
    if is_readable_ods(source):  # its sheets as python-calamine lists them; a table sheet by build's record
        from xlbudget.adapters.fastread import ods_names_defined, sheet_states

        tabs = sheet_states(source)
        ours |= set(input_sheet_names([n for n, _ in tabs]).values()) | set(ods_names_defined(source, RECORD_NAME))
        theirs = [name + states.get(state, "") for name, state in tabs if name not in ours]
        return lead + "自訂工作表 " + "、".join(theirs) if theirs else ""
    ours |= set(input_sheet_names(wb.sheetnames).values())
    sheets = [ws for ws in wb.worksheets + wb.chartsheets if ws.title not in ours
              and RECORD_NAME not in getattr(ws, "defined_names", {})]
    own = {ws.title for ws in sheets}
    said = []
    if sheets:
        said.append("自訂工作表 " + "、".join(ws.title + states.get(ws.sheet_state, "") for ws in
                                          sorted(sheets, key=lambda ws: wb.sheetnames.index(ws.title))))
    parts = {name: part for name, part in sheet_parts(source).items() if name not in own}
    with zipfile.ZipFile(source) as z:
        lost = openpyxl_losses(z, parts, pictures=True)
    if lost:
        said.append("、".join(what if sheet is None else f"{sheet}的{what}" for sheet, what in dict.fromkeys(lost)))
    notes = [f"{ws.title}!{coordinate}" for ws in wb.worksheets if ws.title not in own
             for _, _, coordinate in sorted((c.row, c.column, c.coordinate) for c in ws._cells.values()
                                            if c.comment is not None and c.comment.author != AUTHOR)]
    if notes:
        said.append(f"註解 {len(notes)} 則（{'、'.join(notes[:10])}{'…' if len(notes) > 10 else ''}）")
    kept = set(new.defined_names) | {RECORD_NAME}
    names = [n for n in wb.defined_names if n not in kept and not n.startswith("_xlnm")] \
        + [f"{n}（{ws.title}）" for ws in wb.worksheets for n in ws.defined_names
           if n not in kept and not n.startswith("_xlnm")]
    if names:
        said.append("名稱 " + "、".join(names))
    if lists:
        said.append("下拉清單 " + "、".join(lists))
    return lead + "；".join(said) if said else ""


def _open_read(source: Path) -> list[Finding]:
    """``book-open-read`` when ``source`` is open in Excel or LibreOffice (its lock file beside it): next year's book
    was made from the last save, not from what the officer has on screen (field report 11 §4.2), as convert says."""
    from xlbudget.adapters.atomic import lock_file

    lock = lock_file(source)
    if lock is None:
        return []
    return [make_finding("book-open-read", None, lock=lock[0].name, program=lock[1], read="帶入新年度預算書的",
                         again="執行 next-year")]


def read_for_comparing(path: str | Path):
    """A book on disk, read once for comparing: ("template", BudgetBook) or ("printed", BookFigures).

    ``path`` is only read. Raises InputError (zh-TW, naming the file) when it
    cannot be read, or when it has neither input sheets nor a printed table
    xlbudget recognises.
    """
    from xlbudget.forms.results import OWN_SHEETS
    from xlbudget.rules.checks import is_template_book
    from dataclasses import replace

    from xlbudget.app.comparison import printed_figures
    from xlbudget.core.errors import InputError
    from xlbudget.core.titles import printed_heading
    from xlbudget.readers.printed import no_tables, read_tables
    from xlbudget.adapters.xlsxfile import has_formulas, open_workbook, workbook_sheets
    from xlbudget.adapters.books import read_inputs

    path = Path(path)
    if is_readable_ods(path):  # read as check reads it: python-calamine
        from xlbudget.adapters.fastread import read_sheets

        by_name = read_sheets(path)
        names = list(by_name)
    else:
        by_name, names = None, _sheet_names(path)
    if is_template_book(names):  # the same test as check's (「歲出明細 」 is 歲出明細)
        return "template", read_inputs(path)[0]  # its input sheets only, values only, as export reads them
    if by_name is None:
        wb = open_workbook(path)
        names = wb.sheetnames
        values = open_workbook(path, data_only=True) if has_formulas(wb) else None
        by_name = workbook_sheets(wb, values, path.name)
    sheets = [sg for name, sg in by_name.items() if name not in OWN_SHEETS]
    tables, unreadable = read_tables(sheets)
    if not tables:
        raise InputError(no_tables(sheets, names), path.name)
    agency, year = printed_heading(sg.grid.rows[:12] for sg in sheets)  # as convert reads them
    return "printed", replace(printed_figures(tables, unreadable), year=year, agency=agency)


def _sheet_names(path: Path) -> list[str]:
    """An .xlsx/.xlsm's sheet names from its workbook part, without loading the workbook; a file open_workbook
    refuses is refused for the same reason (InputError, zh-TW)."""
    from xlbudget.adapters.safety import sheet_parts
    from xlbudget.adapters.xlsxfile import open_workbook, refuse_unreadable

    refuse_unreadable(path)
    try:
        return list(sheet_parts(path))
    except InputError:
        raise
    except Exception:  # a part missing or broken: openpyxl says why the file cannot be read
        return open_workbook(path).sheetnames


def read_figures(path: str | Path):
    """A book on disk reduced for comparing (comparison.BookFigures): template inputs, or printed tables.

    ``path`` is only read; InputError as ``compare_files``.
    """
    from xlbudget.app.comparison import template_figures

    kind, read = read_for_comparing(path)
    return read if kind == "printed" else template_figures(read)


def compare_files(old: str | Path, new: str | Path):
    """comparison.Comparison of two books on disk, each read once and only read.

    Two template books are compared on what their inputs derive, two hand-made
    ones on their printed tables; a template book against a hand-made one is
    reduced as one (comparison.printed_form), so both are the same figures.
    Raises InputError (zh-TW, naming the file) when a book cannot be read.
    """
    from xlbudget.app.comparison import compare_books, compared_names

    reads = read_for_comparing(old), read_for_comparing(new)
    return with_stale_notes(compare_books(*reduced_pair(*reads)), compared_names(old, new), (old, new), reads)


def with_stale_notes(result, names, paths, reads):
    """``result`` (comparison.Comparison of the books at ``paths``, read as ``reads``, named ``names``) with a
    compare-tables-stale note first for each template book whose tables print other figures than its inputs give:
    it is compared on what its inputs give, and said so (compare of two books and of two folders alike)."""
    from dataclasses import replace

    from xlbudget.app.comparison import stale_note
    from xlbudget.app.stale import stale_on_disk

    stale = tuple(stale_note(side, name, found) for side, name, path, (kind, read) in zip(("old", "new"), names,
                                                                                     paths, reads)
                  if kind == "template" and (found := stale_on_disk(path, read)) is not None)
    return replace(result, notes=stale + result.notes) if stale else result


def reduced_pair(old, new):
    """Two books as ``read_for_comparing`` reads them, reduced for comparing (comparison.BookFigures): two template
    books on what their inputs derive, a template book against a hand-made one as one (printed_form)."""
    from xlbudget.app.comparison import printed_form, template_figures

    mixed = old[0] != new[0]
    return tuple(figures if kind == "printed" else printed_form(figures) if mixed else template_figures(figures)
                 for kind, figures in (old, new))


COMPARE_SUMMARY_SHEET = "比較"
COMPARE_LINES_SHEET = "明細差異"
COMPARE_NOTES_SHEET = "未比較"
COMPARE_RENAMES_SHEET = "更名"
COMPARE_RENUMBERED_SHEET = "改編號"
_INCREASE, _DECREASE = "FCE4D6", "DDEBF7"  # 增 / 減 fills of the 增減 column


def comparison_workbook(result, old_name: str, new_name: str) -> Workbook:
    """The 比較 workbook: a summary sheet, one sheet per table with differences (增減 coloured), 更名, 明細差異."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from xlbudget.app.comparison import ADDED, REMOVED, first_lines, line_code, line_place
    from xlbudget.core.errors import shown_text
    from xlbudget.core.formulas import keep_text
    from xlbudget.adapters.printing import FONT_NAME, apply_page
    from xlbudget.core.titles import sheet_name
    from xlbudget.forms.layout import text_lines
    from xlbudget.forms.pages import list_page

    wb = Workbook()
    summary = wb.active
    summary.title = COMPARE_SUMMARY_SHEET
    bold = Font(name=FONT_NAME, bold=True)
    fills = {1: PatternFill("solid", fgColor=_INCREASE), -1: PatternFill("solid", fgColor=_DECREASE)}

    top, wrapped = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    books = f"{old_name}（舊）→ {new_name}（新）"

    def put(ws, row: list) -> None:
        ws.append([shown_text(v) if isinstance(v, str) else v for v in row])  # a name in Big5 bytes: �, as written
        for cell in ws[ws.max_row]:
            keep_text(cell)
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
            if ws is not summary:  # a list's texts print whole, each row as high as its longest (LibreOffice, Excel)
                cell.alignment = wrapped if isinstance(cell.value, str) else top

    def printed(ws, title: str) -> None:
        """A list sheet's page setup, each page headed by what it lists and the two books (a page of rows alone
        said neither: printed, 「第 3 頁，共 9 頁」 was all that told one table's page from another's)."""
        apply_page(ws, list_page())
        # LibreOffice prints a row of no height at 15 pt whatever its wrapped text holds (its first line alone): each
        # row as high as its longest text's lines, in 11-pt type (text_lines counts them for 10 pt, 16 pt a line)
        widths = {c: ws.column_dimensions[get_column_letter(c)].width or 13 for c in range(1, ws.max_column + 1)}
        for row in ws.iter_rows(min_row=2):
            lines = max((text_lines(c.value, widths[c.column] * 10 / 11) for c in row if isinstance(c.value, str)),
                        default=1)
            if lines > 1:
                ws.row_dimensions[row[0].row].height = 16 * lines
        heading = f"{title}　{books}" if len(title) + len(books) <= 200 else title  # a header holds 255 at most
        ws.oddHeader.center.text = heading.replace("&", "&&")  # & opens a header code (&P, &A)

    put(summary, [f"比較：{old_name}（舊）→ {new_name}（新）"])
    summary["A1"].font = Font(name=FONT_NAME, bold=True, size=14)
    for said in first_lines(result):  # two agencies' books (a wrong file picked): under the title, in red
        put(summary, [said])
        summary.cell(summary.max_row, 1).font = Font(name=FONT_NAME, bold=True, color="C00000")
    put(summary, ["增減欄：增加以橘色、減少以藍色標示；空白表示該書沒有此數字。"])
    put(summary, [])
    put(summary, ["預算表", "不同的數字", "增減合計（各列相加，僅供參考）"])
    header_row = summary.max_row
    groups = result.by_table()
    used = {COMPARE_SUMMARY_SHEET, COMPARE_LINES_SHEET, COMPARE_NOTES_SHEET, COMPARE_RENAMES_SHEET,
            COMPARE_RENUMBERED_SHEET}
    for table, records in groups.items():
        put(summary, [table, len(records), sum(r["change"] for r in records)])
        name = sheet_name(table, used)
        used.add(name)
        ws = wb.create_sheet(name)
        put(ws, ["列代碼", "列名稱", "欄", "單位", "舊", "新", "增減", "原列名稱"])
        for cell in ws[1]:
            cell.font = bold
        for r in records:
            was = r["old_row_name"] if r["old_row_name"] not in (None, r["row_name"]) else None
            put(ws, [r["row_code"], r["row_name"], r["column"], r["unit"], r["old"], r["new"], r["change"], was])
            if r["change"]:
                ws.cell(ws.max_row, 7).fill = fills[1 if r["change"] > 0 else -1]
        for col, width in zip("ABCDEFGH", (22, 30, 24, 6, 14, 14, 14, 30)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"
        printed(ws, table)
    if result.renumbered:  # a code renumbered, its name the same: its rows compared above, said once here
        put(summary, ["改編號", len(result.renumbered)])
        ws = wb.create_sheet(COMPARE_RENUMBERED_SHEET)
        put(ws, ["名稱", "舊編號", "新編號"])
        for cell in ws[1]:
            cell.font = bold
        for r in result.renumbered:
            put(ws, [r["name"], r["old_code"], r["new_code"]])
        for col, width in zip("ABC", (30, 16, 16)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"
        printed(ws, "改編號")
    if result.renames:  # a row of the same code under another name: one row, its figures compared above
        put(summary, ["更名", len(result.renames)])
        ws = wb.create_sheet(COMPARE_RENAMES_SHEET)
        put(ws, ["預算表", "列代碼", "舊名稱", "新名稱"])
        for cell in ws[1]:
            cell.font = bold
        for r in result.renames:
            put(ws, [r["table"], r["row_code"], r["old_name"], r["new_name"]])
        for col, width in zip("ABCD", (40, 22, 30, 30)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"
        printed(ws, "更名")
    put(summary, ["歲出明細（明細差異）", len(result.lines), sum(line["change"] or 0 for line in result.lines)])
    ws = wb.create_sheet(COMPARE_LINES_SHEET)
    put(ws, ["狀態", "工作計畫編號", "分支計畫", "用途別科目", "舊說明", "說明", "舊預算數", "新預算數", "增減",
             "變更欄位", "舊儲存格", "新儲存格"])
    for cell in ws[1]:
        cell.font = bold
    for line in result.lines:
        # a line cut prints no 說明 of the new book, a line added none of the old (JSON's note is the line's 說明
        # either way): printed beside 刪除, the cut line's 說明 under 說明 read as still in the new book
        put(ws, [line["status"], *line_place(line), line_code(line),
                 None if line["status"] == ADDED else line["old_note"],
                 None if line["status"] == REMOVED else line["note"], line["old_amount"], line["new_amount"],
                 line["change"], "、".join(line["fields"]), line["old_cell"], line["new_cell"]])
        if line["change"]:
            ws.cell(ws.max_row, 9).fill = fills[1 if line["change"] > 0 else -1]
    for col, width in zip("ABCDEFGHIJKL", (6, 14, 14, 10, 40, 40, 14, 14, 14, 16, 22, 22)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    printed(ws, "歲出明細差異")
    if result.notes:  # what was not compared, and how: never left out of the workbook either
        from xlbudget.app.comparison import note_record

        put(summary, ["未比較及說明", len(result.notes)])
        ws = wb.create_sheet(COMPARE_NOTES_SHEET)
        put(ws, ["等級", "規則", "檔案", "儲存格", "預算表", "說明"])
        for cell in ws[1]:
            cell.font = bold
        for note in result.notes:
            r = note_record(note)
            put(ws, ["未比較" if r["severity"] == "unverifiable" else "說明", r["rule"], r["file"],
                     f"{r['sheet']}!{r['cell']}" if r["cell"] else None, r["table"], r["message"]])
        for col, width in zip("ABCDEF", (8, 26, 22, 30, 30, 90)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"
        printed(ws, "未比較及說明")
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 12
    summary.column_dimensions["C"].width = 26
    apply_page(summary, list_page((header_row, header_row)))  # under the title (and a note) and the colour legend
    return wb
