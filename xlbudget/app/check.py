"""Check a book on disk (檢核): open the file, never writing to it, and hand its grids to the checks.

The rules themselves (``xlbudget.rules``) never touch a file or a workbook
object; this is where a file becomes grids: through python-calamine (``fastread``)
when only read, through openpyxl when its marks are to be written.
"""

from __future__ import annotations

from pathlib import Path

from xlbudget.core.errors import OutputRefused
from xlbudget.core.records import plain
from xlbudget.forms.results import OWN_SHEETS
from xlbudget.rules.checks import BOOK_CHECKS, BookCheck, CheckReport, check_printed_sheets, check_sheets, \
    is_template_book


def check_workbook(wb, values_wb=None, file: str | None = None,
                   checks: tuple[BookCheck, ...] = BOOK_CHECKS) -> CheckReport:
    """Check an openpyxl workbook, template or hand-made; formulas are read by their cached values.

    ``values_wb`` is the same file opened with data_only=True (needed only
    when the book holds formulas). Raises InputError (zh-TW, naming the file,
    sheet and cell) when the book cannot be read.
    """
    from xlbudget.adapters.xlsxfile import input_grids, workbook_sheets

    sheets = {name: sg for name, sg in workbook_sheets(wb, values_wb, file).items() if name not in OWN_SHEETS}
    grids = input_grids(wb, file, values_wb)  # formulas by cached value; none → named by read_book
    if not is_template_book(grids):
        return check_printed_sheets(sheets, file)
    from xlbudget.app.stale import built_records

    return check_sheets(sheets, grids, file, checks, built_records(wb))


def check_values(path) -> CheckReport:
    """Check a book read through python-calamine (``fastread``): values only, the same grids, cell for cell,
    as ``check_workbook`` reads with openpyxl; an .ods, and an .xlsx/.xlsm when nothing is to be marked."""
    from xlbudget.adapters.fastread import read_grids, read_sheets

    name = Path(path).name
    sheets = {n: sg for n, sg in read_sheets(path).items() if n not in OWN_SHEETS}
    inputs = read_grids(path)
    if not is_template_book(inputs):
        return check_printed_sheets(sheets, name)
    from xlbudget.app.stale import built_records

    return check_sheets(sheets, inputs, name, records=built_records(path))


def check_file(path, workbook: bool = True) -> tuple[CheckReport, object, dict]:
    """Open ``path`` (never writing to it) and check it; returns the report, the openpyxl workbook and the
    cached value of each of its formula cells ({sheet: {"H2": value}}, for save_atomic to keep beside them).

    Without ``workbook`` (nothing to mark) an .xlsx/.xlsm is read through python-calamine and no workbook is
    returned (None, {}); an .ods is always read so (it is never written).
    """
    from xlbudget.adapters.fastread import CalamineWorkbook
    from xlbudget.adapters.xlsxfile import is_readable_ods, refuse_unreadable

    path = Path(path)
    if is_readable_ods(path):
        return check_values(path), None, {}
    if not workbook and CalamineWorkbook is not None:
        refuse_unreadable(path)
        return _with_manual_calc(check_values(path), path), None, {}
    wb, values_wb, cached = _opened(path)
    return _with_manual_calc(check_workbook(wb, values_wb, path.name), path), wb, cached


def _with_manual_calc(report: CheckReport, path: Path) -> CheckReport:
    """``report`` with manual_calc's finding among its own, in their order."""
    found = manual_calc(path, report.findings)
    if not found:
        return report
    from dataclasses import replace

    from xlbudget.rules.checks import sort_findings

    return replace(report, findings=sort_findings(found + report.findings, report.sheets))


def manual_calc(path: str | Path, findings) -> list:
    """``manual-calc-stale`` at the formula cells among ``findings``' cells (an error's or a warning's, its related
    cells too) of a book set to manual calculation: what xlbudget read there is the result saved when Excel last
    calculated, not what the cells it reads now give (field report 11 §5.2: 歲出明細!H2 =F2*G2 saved as
    25,356,370 after G2 was raised to 26,000,000: item-product-mismatch, tables-stale and build's old figures, with
    nothing naming the cause). [] for a book calculated automatically, or with no such cell (nothing read)."""
    if not finding_cells(findings):
        return []
    from xlbudget.adapters.safety import calc_manual

    if not calc_manual(path):
        return []
    try:
        from xlbudget.adapters.splice import CannotSplice, OfficerBook

        officer = OfficerBook(Path(path))
    except (ImportError, CannotSplice):  # lxml missing, a part it cannot read: the other findings stand as they are
        return []
    from xlbudget.core.errors import shown_text

    return stale_formulas(findings, lambda sheet: officer.formulas(sheet)[0] if sheet in officer.parts else None,
                          shown_text(Path(path).name))


def finding_cells(findings) -> list[tuple[str, str]]:
    """(sheet, cell) of each error's and warning's cell and related cells, once each, in order."""
    from xlbudget.core.findings import Severity

    return list(dict.fromkeys((c.sheet, c.cell) for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)
                              for c in (f.cell, *f.related) if c is not None))


def stale_formulas(findings, formulas_of, file: str | None) -> list:
    """``manual-calc-stale`` (one finding, [] when none) at the formula cells among ``findings``' cells of a book
    calculated by hand; ``formulas_of(sheet)`` gives a sheet's formula cells, {(row, column): "=…"}, or None when
    they cannot be read. Shared by check (the file's formulas) and the 檢核 button (the live book's, desktop Excel)."""
    from xlbudget.core.findings import make_finding
    from xlbudget.core.model import CellRef, cell_position

    formulas: dict[str, dict] = {}
    stale = {}
    for sheet, cell in finding_cells(findings):
        if sheet not in formulas:
            formulas[sheet] = formulas_of(sheet) or {}
        formula = formulas[sheet].get(cell_position(cell))
        if formula is not None:
            stale[(sheet, cell)] = formula
    if not stale:
        return []
    at = [CellRef(sheet, cell, file) for sheet, cell in stale]
    said = "、".join(f"{sheet}!{cell}（{formula}）" for (sheet, cell), formula in stale.items())
    return [make_finding("manual-calc-stale", at[0], related=tuple(at[1:]), cells=said)]


def manual_calc_line(cells, mode: str, read: str, remedy: str, blind: str = "", shown: int = 5) -> str:
    """The one line saying that the input sheets' formula results xlbudget read (``read``: as Excel shows them, as
    saved) may be the last calculation's, in a book calculated by hand (``mode``: how it is known), naming the
    formula cells ``cells`` [(sheet, (row, column), formula)] (the first ``shown`` with their formulas), or, None,
    saying ``blind`` why they are not named; then ``remedy``. The buttons' 執行紀錄 and next-year say it so."""
    from xlbudget.readers.grid import column_letter

    if cells is None:
        where = f"輸入工作表中公式的結果{blind}"
    else:
        listed = "、".join(f"{sheet}!{column_letter(c)}{r}（{formula}）" for sheet, (r, c), formula in cells[:shown])
        where = f"輸入工作表中的公式 {len(cells)} 格（{listed}{'等' if len(cells) > shown else ''}）的結果"
    return f"注意：{mode}：{where}可能是上次計算時的，與目前的儲存格不符；xlbudget 讀的是{read}（manual-calc-stale）。{remedy}。"


def _opened(path: Path):
    """The book through openpyxl, with its formulas' cached values (another load, data_only) when it has any."""
    from xlbudget.adapters.xlsxfile import formula_values, has_formulas, open_workbook

    wb = open_workbook(path)
    values_wb = open_workbook(path, data_only=True) if has_formulas(wb) else None
    return wb, values_wb, formula_values(wb, values_wb)


def open_book(path) -> tuple[object, dict]:
    """check --clear's book when it cannot be checked (its input unreadable): the openpyxl workbook and its formulas'
    cached values, as check_file gives them."""
    wb, _, cached = _opened(Path(path))
    return wb, cached


def copy_unchanged(source: Path, target: Path) -> None:
    """check --clear -o of a book holding no mark of xlbudget's: ``target`` is ``source``, byte for byte."""
    from xlbudget.adapters.atomic import write_atomic

    data = Path(source).read_bytes()
    write_atomic(target, lambda tmp: tmp.write_bytes(data))


def refuse_foreign_results(path) -> None:
    """check --mark/--clear of a book whose 檢核結果 xlbudget did not write (forms.results.foreign_results):
    OutputRefused (results-sheet-not-ours), before anything is written."""
    from xlbudget.adapters.fastread import sheet_texts
    from xlbudget.core.errors import OutputRefused
    from xlbudget.forms.results import RESULT_SHEET, foreign_results

    path = Path(path)
    found = foreign_results(sheet_texts(path, [RESULT_SHEET]).get(RESULT_SHEET), path.name)
    if found is not None:
        raise OutputRefused([found], path.name)


def mark_by_splice(source: Path, target: Path, findings, clear: bool = False, as_read=None):
    """check --mark (or --clear, ``clear``) written by splicing (adapters.splicemark): the officer's file copied part
    for part, only the marks and 檢核結果 written, so his pictures, text boxes and threaded comments stay. Returns
    (backup, marking.Cleared) once written; None when the book cannot be spliced safely (nothing written): mark it
    with openpyxl, after ``refuse_losses``. ``as_read`` (atomic.AsRead): ``source`` as the check read it; changed
    since (another run wrote it), nothing is written (``book-changed``)."""
    from xlbudget.adapters.atomic import same_file, write_atomic
    from xlbudget.adapters.xlsxfile import write_keeping_backup

    done = _spliced(source, findings, clear)
    if done is None:
        return None
    data, cleared = done
    if clear and not cleared.changed and same_file(target, source):
        return None, cleared  # never marked: nothing written, no backup
    backup = write_keeping_backup(lambda: write_atomic(target, lambda tmp: tmp.write_bytes(data), as_read=as_read),
                                  target, source, as_read)
    return backup, cleared


def spliced_marks(source: Path, findings, clear: bool = False) -> bytes | None:
    """The officer's book ``source`` with ``findings`` marked (or xlbudget's marks cleared, ``clear``) by splicing
    (adapters.splicemark), as the bytes of the file to write: check --mark's and convert --mark's. None when it
    cannot be spliced safely (or lxml or XlsxWriter is missing): mark it with openpyxl, after ``refuse_losses``."""
    done = _spliced(source, findings, clear)
    return None if done is None else done[0]


def _spliced(source: Path, findings, clear: bool = False):
    """spliced_marks' bytes and what removing the last marks did (marking.Cleared), or None."""
    try:
        import lxml  # noqa: F401 - adapters.splicemark parses the officer's parts with it

        from xlsxwriter.exceptions import XlsxWriterException

        from xlbudget.adapters.splice import CannotSplice
        from xlbudget.adapters.splicemark import mark_file
        from xlbudget.adapters.xlsxbook import NotPlain
    except ImportError:  # lxml or XlsxWriter missing
        return None
    from xlbudget.core.errors import shown_text

    try:
        return mark_file(source, findings, shown_text(source.name), clear)
    except (CannotSplice, NotPlain, XlsxWriterException):
        return None


def refuse_losses(source: Path, rule: str = "mark-would-drop", why: str = "") -> None:
    """OutputRefused (exit 2, nothing written) naming each sheet whose text boxes, shapes, pictures or threaded
    comments, and the custom XML parts, writing ``source`` through openpyxl would drop (package.openpyxl_losses):
    never dropped without a word (field report 5 §3.1). ``rule``: mark-would-drop (check --mark, convert --mark), or
    build-would-drop (build when it cannot splice, field report 11 §2.1; ``why``: splicebuild's reason, one clause)."""
    import zipfile

    from xlbudget.adapters.package import openpyxl_losses
    from xlbudget.core.errors import OutputRefused, shown_text
    from xlbudget.core.findings import make_finding

    try:
        from xlbudget.adapters.splice import CannotSplice, OfficerBook

        sheets = OfficerBook(source).parts
    except (ImportError, CannotSplice):
        with zipfile.ZipFile(source) as z:
            sheets = {n: n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    with zipfile.ZipFile(source) as z:
        losses = openpyxl_losses(z, sheets)
    if losses:
        name = shown_text(source.name)
        raise OutputRefused([make_finding(rule, None, name=name, where=f" 的「{sheet}」工作表" if sheet else " ", what=what,
                                          why=f"（{why}）" if why else "")
                             for sheet, what in dict.fromkeys(losses)], name)


@plain
class Remarked:
    """What build did to the marks of an earlier check --mark (or 檢核 button) in the book it wrote (``remark_built``):
    the check of the built book (``report``: its findings are what 檢核結果 now lists), what removing the last marks
    found besides (marking.Cleared, the marks on the table sheets build rewrote left out), or, when they could not be
    written again without dropping what openpyxl drops, ``kept``: 檢核結果 left as it was, from before the build."""

    report: CheckReport | None
    cleared: object = None
    kept: bool = False


def remark_built(path: Path, rewritten: set[str]) -> Remarked | None:
    """A book build wrote (``path``) that holds xlbudget's 檢核結果: checked again and marked again in place (the one
    marking of check --mark: adapters.splicemark, else openpyxl when that drops nothing), so 檢核結果 and the marks
    tell what is true of the built book, not the findings build has just fixed. ``rewritten``: the table sheets build
    wrote, whose marks went with them. None for a book without 檢核結果 of ours (nothing done)."""
    from xlbudget.adapters.atomic import AsRead, write_atomic
    from xlbudget.adapters.fastread import sheet_texts
    from xlbudget.forms.results import RESULT_SHEET, RESULTS_TITLE

    from xlbudget.adapters.safety import sheet_parts

    path = Path(path)
    as_read = AsRead(path)  # the book build wrote; written by another run before these marks, they are not
    if RESULT_SHEET not in sheet_parts(path):  # the workbook part only: most books built were never marked
        return None
    first = (sheet_texts(path, [RESULT_SHEET]).get(RESULT_SHEET) or {}).get((1, 1), "")
    if not first.strip().startswith(RESULTS_TITLE):  # none, or the officer's own (never written: foreign_results)
        return None
    report, _, _ = check_file(path, workbook=False)
    done = _spliced(path, report.findings)
    if done is not None:
        data, cleared = done
        write_atomic(path, lambda tmp: tmp.write_bytes(data), as_read=as_read)
    else:
        try:
            refuse_losses(path)
        except OutputRefused:
            return Remarked(report, kept=True)
        from xlbudget.adapters.marking import clear_marks, mark_workbook
        from xlbudget.adapters.xlsxfile import save_atomic

        wb, _, cached = _opened(path)
        cleared = clear_marks(wb)
        mark_workbook(wb, report.findings, path.name)
        save_atomic(wb, path, cached, as_read)
    # a mark on a table sheet went with the sheet build rewrote: not «found nowhere»
    cleared.lost = [(s, c) for s, c in cleared.lost if s not in rewritten]
    cleared.moved = [m for m in cleared.moved if m[0] not in rewritten]
    return Remarked(report, cleared)
