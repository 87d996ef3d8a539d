"""build by splicing: the officer's file copied part for part, only the table sheets written (adapters.splice).

Read as check reads (python-calamine, ``books.read_inputs``), derived as every build derives, the tables
written with convert's XlsxWriter writer (``xlsxbook.write_schedules``) and spliced into a copy of the
officer's zip, under save_keeping_backup's rules. openpyxl never opens the officer's book, so nothing it does
not model (shapes, form controls, sparklines, extensions, comments' formatting, cached values) is lost.
Whatever cannot be spliced safely returns None before anything is written: pipeline.build_file then builds
the openpyxl way, as before.
"""

from __future__ import annotations

import re

from dataclasses import field
from pathlib import Path

from xlbudget.core.patterns import lazy
from xlbudget.core.records import plain
from xlbudget.core.findings import Finding


def splice_build(source: Path, target: Path, as_read=None):
    """Build ``source`` into ``target`` by splicing; (backup, tables, findings), or, when it cannot, why in one zh-TW
    clause (a str): build it with openpyxl, whose refusal (build-would-drop) says it.
    ``as_read`` (atomic.AsRead): ``source`` as first read; changed since, nothing is written (``book-changed``).

    Raises InputError for a book that cannot be read, as load_book does.
    """
    try:
        import lxml  # noqa: F401 - adapters.splice parses the officer's parts with it

        from xlsxwriter.exceptions import XlsxWriterException

        from xlbudget.adapters.splice import _WORKSHEET, CannotSplice, OfficerBook, splice
        from xlbudget.adapters.xlsxbook import NotPlain, write_schedules
    except ImportError:  # lxml or XlsxWriter missing (they are not installed in the browser)
        return "這台電腦未安裝 lxml 或 XlsxWriter"
    from xlbudget.adapters.atomic import write_atomic
    from xlbudget.adapters.splicestyles import _M
    from xlbudget.adapters.books import read_inputs
    from xlbudget.adapters.fastread import sheet_texts
    from xlbudget.adapters.xlsxfile import write_keeping_backup
    from xlbudget.derive.book import derive_all
    from xlbudget.derive.narrative import book_figures, standard_sentences
    from xlbudget.forms.inputs import SHEET_NARRATIVE
    from xlbudget.forms.layout import layout_table
    from xlbudget.forms.overwrite import RECORD_NAME
    from xlbudget.readers.grid import input_sheet_names
    from xlbudget.rules.checks import check_inputs
    from xlbudget.rules.readback import left_behind

    book, findings = read_inputs(source)  # refuses what load_book refuses, with the same findings
    tables = derive_all(book)
    titles = [t.sheet_name for t in tables]
    if len(set(titles)) != len(titles):
        return "兩張預算表的工作表名稱相同"
    layouts = {t.sheet_name: layout_table(t, book.agency) for t in tables}  # written, then what they print
    figures = book_figures(book)  # once, for the sentences and their check
    try:
        officer = OfficerBook(source)
        # the last build's tables this build no longer writes (a 類別表 of a class no longer used): taken out, named
        gone = left_behind({n: officer.defined(n, RECORD_NAME) for n in officer.names
                            if officer.kinds.get(n) == _WORKSHEET}, titles)
        order = [n for n in officer.order(titles) if n not in gone]
        # what the table sheets hold now, and the last build's records: splice rewrites the names in place
        replaced = [t for t in titles if t in officer.names]
        formulas = {t: officer.formulas(t) for t in replaced}
        records = {t: officer.defined(t, RECORD_NAME) for t in replaced}
        narrative = input_sheet_names(officer.names).get(SHEET_NARRATIVE)  # 「總說明 」 is 總說明, as when read
        sentences = standard_sentences(book, figures) if narrative else None
        if narrative:  # 總說明's column D is rewritten too: the officer's words there are named, as on a table sheet
            formulas[narrative] = officer.formulas(narrative, number=True)
        old = Overwritten(sheet_texts(source, replaced + ([narrative] if narrative else []), every=True),
                          {t: f for t, (f, _) in formulas.items()}, records, {t: m for t, (_, m) in formulas.items()},
                          *_notes(officer, replaced))
        # what the officer set on a table sheet he had built (field report 11 §2.2): kept where it still fits
        built_before = tuple(t for t in replaced if records[t] is not None)
        hidden = {t: officer.sheets[t].get("state") for t in replaced
                  if officer.sheets[t].get("state") in ("hidden", "veryHidden")}
        names, dropped = table_names({t: officer.local_names(t) for t in replaced}, old, layouts)
        made = write_schedules(tables, layouts, order, sentences, narrative)
        data = splice(officer, made, titles, narrative, hidden=hidden, removed=tuple(gone), settings=built_before,
                      names=names)
    except (CannotSplice, NotPlain, XlsxWriterException) as exc:
        # an officer's part splicing cannot take, or a value XlsxWriter would store otherwise: the openpyxl way,
        # never a half-made file. Anything else is xlbudget's own failure, and is not hidden behind a fallback.
        return _why_not(exc)
    staying = kept_notes(old, layouts)
    if staying:
        from xlbudget.adapters.splicemark import with_notes  # imports openpyxl: only for a book with notes

        threads = {name: [x for cell in sorted(cells) for x in old.threads.get(name, {}).get(cell, ([], ""))[0]]
                   for name, cells in staying.items()}
        try:  # the officer's notes (and threads) back on their cells where the table kept its rows; named otherwise
            data = with_notes(data, staying, threads)
        except CannotSplice:
            staying = {}
    backup = write_keeping_backup(lambda: write_atomic(target, lambda tmp: tmp.write_bytes(data), as_read=as_read),
                                  target, source, as_read)
    built = check_inputs(book, figures)  # every finding check gives on the inputs
    found = officer_replacements(old, layouts) + narrative_replacements(old, narrative, sentences)
    return backup, tables, findings + built + replaced_cells(old, layouts, source, backup, found=found) \
        + removed_notes(old, source, backup, staying=staying) \
        + removed_names(lambda rewritten: _formulas(officer, rewritten), dropped, source, backup) \
        + removed_tables(gone, source, backup, lambda rewritten: _formulas(officer, rewritten | set(titles)),
                         [(dn.get("name", ""), dn.text or "") for dn in officer.root.iter(_M + "definedName")])


def _why_not(exc: Exception) -> str:
    """Why a book could not be spliced, in one zh-TW clause (CannotSplice's own where it has one)."""
    said = getattr(exc, "said", None)
    if said:
        return said
    if type(exc).__name__ == "NotPlain" and str(exc) in ("date", "datetime", "time", "timedelta"):
        return "預算表有一格是日期或時間，拼接寫出的存法與原樣不同"
    if type(exc).__name__ == "NotPlain" and "32,767" in str(exc):
        return "預算表有一格文字超過 Excel 的 32,767 字，拼接寫出的存法與原樣不同"
    if type(exc).__name__ == "NotPlain" and "XlsxWriter" in str(exc):  # adapters.xlsxbook._cell_types
        return "安裝的寫檔套件（XlsxWriter）版本存放儲存格的方式不是 xlbudget 所認得的"
    if type(exc).__name__ == "NotPlain":
        return "預算表有一格的內容拼接寫出的存法與原樣不同"
    # the reason in English (exc) is for a developer: the officer's message stays zh-TW
    return "活頁簿中有 xlbudget 無法原樣拼接的部分"


def _formulas(officer, rewritten: set[str]) -> dict[str, dict[tuple[int, int], str]]:
    """The formulas of the officer's worksheets but ``rewritten``, {sheet: {(row, column): "=…"}}."""
    from xlbudget.adapters.splice import _WORKSHEET

    return {sheet: officer.formulas(sheet)[0] for sheet in officer.names if sheet not in rewritten
            and officer.kinds.get(sheet) == _WORKSHEET and officer.parts[sheet] in officer.data}


def removed_tables(gone: list[str], source: Path, backup: Path | None, formulas_of=None,
                   names: list[tuple[str, str]] = ()) -> list[Finding]:
    """``table-sheet-removed`` (warning) for each of ``gone`` (left_behind), taken out of the book, and where it is
    kept: the dated backup, or the untouched original with -o (as replaced_cells). With the formulas of the officer's
    sheets (``formulas_of(rewritten sheets)``, as removed_names) and the book's defined names after the removal
    (``names``, (name, text)): the cells whose formula refers to the sheet, itself or through a name, and those names,
    which now show an error (#REF!)."""
    from xlbudget.core.findings import make_finding
    from xlbudget.core.model import CellRef
    from xlbudget.readers.grid import column_letter

    if not gone:
        return []
    kept = backup.name if backup else source.name
    formulas = formulas_of(set(gone)) if formulas_of is not None else {}
    found = []
    for name in gone:
        # the sheet as a formula names it: 'quoted' (a quote doubled) or bare
        sheet = re.compile(r"(?:'" + re.escape(name.replace("'", "''")) + r"'|(?<![\w.'])" + re.escape(name) + r")!")
        named = [n for n, text in names if sheet.search(text) and not n.startswith(("_xlnm.", "_xlbudget"))]
        tokens = [re.compile(r"(?<![\w.])" + re.escape(n) + r"(?![\w(.])") for n in named]
        cells = [f"{other}!{column_letter(col)}{row}" for other, by_cell in formulas.items()
                 for (row, col), formula in sorted(by_cell.items())
                 if sheet.search(formula) or any(t.search(formula) for t in tokens)]
        users = [*cells[:5], *(["等"] if len(cells) > 5 else []), *(f"名稱「{n}」" for n in named)]
        use = f"（{'、'.join(users)} 參照此表，將顯示 #REF!）" if users else ""
        found.append(make_finding("table-sheet-removed", CellRef(name, "A1", source.name), sheet=name, kept=kept,
                                  users=use))
    return found


# the names build writes on a table sheet itself besides forms.overwrite.RECORD_NAME (print titles), and Excel's own
_OURS = ("_xlnm.Print_Titles", "_xlnm._FilterDatabase")
_AREA = lazy(r"^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")


def _name_areas(text: str, sheet: str) -> list[tuple[int, int, int, int]] | None:
    """The cell ranges of ``sheet`` a defined name's ``text`` refers to ((first row, first column, last row, last
    column), none when it refers to other sheets alone), or None when it is not a list of plain references
    (a formula, a whole row or column, an error such as #REF!): build cannot tell what it would point at."""
    from xlbudget.core.model import column_number

    areas = []
    for part in text.split(","):
        where, bang, ref = part.strip().rpartition("!")
        if not bang:
            return None
        where = where[1:-1].replace("''", "'") if where.startswith("'") and where.endswith("'") else where
        m = _AREA.match(ref)
        if m is None:
            return None
        if where != sheet:
            continue
        r1, c1 = int(m.group(2)), column_number(m.group(1))
        r2, c2 = (int(m.group(4)), column_number(m.group(3))) if m.group(3) else (r1, c1)
        areas.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return areas


def table_names(local: dict[str, list[tuple[str, str]]], old: Overwritten, layouts: dict):
    """The officer's names scoped to a table sheet build rewrites (his print area, his own names: ``local``, {sheet:
    [(name, text)]}), as ({sheet: names kept}, [(sheet, name, text) of those that go]): one is kept where everything it refers to on that
    sheet is inside the new table, in rows whose words are as before (kept_notes' test, the rows above included);
    a print area only where the whole table is as before, so a longer table is never cut off at his old last row.
    One that refers to other sheets alone stays as it is. Field report 11 §2.2."""
    from xlbudget.forms.overwrite import RECORD_NAME

    kept: dict[str, set[str]] = {}
    dropped = []
    for sheet, names in local.items():
        layout = layouts.get(sheet)
        for name, text in names:
            if name in _OURS or name == RECORD_NAME:
                continue
            areas = _name_areas(text, sheet)
            fits = areas is not None and layout is not None
            if fits and areas:
                rows, columns = len(layout.values), max((len(r) for r in layout.values), default=0)
                if name == "_xlnm.Print_Area":  # the whole table as before (his columns past it print blank)
                    last = max([rows] + [r for r, _ in old.values.get(sheet, {})])
                else:  # every cell it names inside the new table
                    last = max(r2 for _, _, r2, _ in areas)
                    fits = all(r2 <= rows and c2 <= columns for _, _, r2, c2 in areas)
                fits = fits and last <= rows and unchanged_rows(old, layout, sheet, last) > last
            if fits:
                kept.setdefault(sheet, set()).add(name)
            else:
                dropped.append((sheet, name, text))
    return kept, dropped


def removed_names(formulas_of, dropped: list, source: Path, backup: Path | None, kept: str | None = None) -> list[Finding]:
    """``table-name-removed`` (warning) for each name of the officer's a rebuilt table sheet no longer holds
    (table_names' ``dropped``): his print area or the name, what it referred to, and the formulas of his other
    sheets that use it (they show #NAME? now; ``formulas_of(rewritten sheets)`` gives them, {sheet: {(row, column):
    "=…"}}, asked only when a name goes); where the old one is kept, as replaced_cells says."""
    from xlbudget.core.findings import make_finding
    from xlbudget.core.model import CellRef
    from xlbudget.readers.grid import column_letter

    if not dropped:
        return []
    kept = kept or (backup.name if backup else source.name)
    formulas = formulas_of({sheet for sheet, _, _ in dropped})
    found = []
    for sheet, name, text in dropped:
        areas = _name_areas(text, sheet) or [(1, 1, 1, 1)]
        r, c = areas[0][:2]
        users = []
        if not name.startswith("_xlnm."):
            token = re.compile(r"(?<![\w.])" + re.escape(name) + r"(?![\w(.])")
            users = [f"{other}!{column_letter(col)}{row}" for other, cells in formulas.items()
                     for (row, col), formula in sorted(cells.items()) if token.search(formula)]
        what = "列印範圍" if name == "_xlnm.Print_Area" else f"名稱「{name}」"
        use = f"（{'、'.join(users[:5])}{' 等' if len(users) > 5 else ''} 的公式參照此名稱，將顯示 #NAME?）" if users else ""
        found.append(make_finding("table-name-removed", CellRef(sheet, f"{column_letter(c)}{r}", source.name),
                                  what=what, text=text, users=use, kept=kept))
    return found


def _notes(officer, replaced: list[str]) -> tuple[dict, dict]:
    """The notes and the threaded comments on the table sheets build rewrites (splicemark.sheet_notes and
    sheet_threads), ({}, {}) without reading or importing anything when none of them has a comments part: splicemark
    imports openpyxl, which build otherwise does not (issue 13: build ÷ import openpyxl 1.31 → 1.92 CPU when it was
    imported on every build). Excel writes a placeholder note under each thread."""
    from xlbudget.adapters.splice import _WORKSHEET, has_comments

    if not any(officer.kinds.get(t) == _WORKSHEET and has_comments(officer, t) for t in replaced):
        return {}, {}
    from xlbudget.adapters.splicemark import sheet_notes, sheet_threads

    return sheet_notes(officer, replaced), sheet_threads(officer, replaced)


@plain
class Overwritten:
    """What the table sheets build is about to rewrite hold, read before writing, by sheet: every cell not empty
    {(row, column): value} (a formula's by its value), the formulas {(row, column): "=…"}, and the record of the
    last build (forms.overwrite.RECORD_NAME's text, None without one), and the merged ranges where the reader
    can tell them (none: the cells under a merge read empty, as Excel keeps them)."""

    values: dict[str, dict[tuple[int, int], object]]
    formulas: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    records: dict[str, str | None] = field(default_factory=dict)
    merges: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    # the notes (附註) on those sheets, {sheet: {(row, column): (text, author)}}: none survives the sheet's rewrite
    notes: dict[str, dict[tuple[int, int], tuple[str, str]]] = field(default_factory=dict)
    # their threaded comments (註解), {sheet: {(row, column): ([threadedComment XML], the conversation in words)}}
    # (splicemark.sheet_threads): each goes back with its placeholder note, or is named (table-thread-removed)
    threads: dict[str, dict[tuple[int, int], tuple[list[bytes], str]]] = field(default_factory=dict)


def officer_replacements(old: Overwritten, layouts: dict) -> list:
    """(sheet, forms.overwrite.Replaced) of each cell of the officer's that build overwrites or clears on its table
    sheets (``layouts``: {sheet: the new table's layout}): a number, formula or text he typed, not what the last
    build wrote there (forms.overwrite.officer_cells). Field item L12, officer task 1."""
    from xlbudget.forms.overwrite import officer_cells

    return [(name, cell) for name, layout in layouts.items() if name in old.values or name in old.formulas
            for cell in officer_cells(old.values.get(name, {}), old.formulas.get(name, {}), layout,
                                      old.records.get(name), old.merges.get(name, ()))]


def narrative_replacements(old: Overwritten, narrative: str | None, sentences: list[str] | None) -> list:
    """(sheet, forms.overwrite.Replaced) of each cell of the officer's in 總說明's column D (``narrative``: the sheet's
    name, None for a book without it) that writing the header and ``sentences`` there clears or overwrites
    (forms.overwrite.narrative_cells): named as table-cell-replaced, never cleared without a word."""
    from xlbudget.derive.narrative import NARRATIVE_COLUMN, NARRATIVE_HEADER, is_standard_sentence
    from xlbudget.forms.overwrite import narrative_cells

    if not narrative or sentences is None:
        return []
    return [(narrative, cell) for cell in narrative_cells(old.values.get(narrative, {}), old.formulas.get(narrative, {}),
                                                         NARRATIVE_COLUMN, [NARRATIVE_HEADER, *sentences],
                                                         is_standard_sentence)]


def replaced_cells(old: Overwritten, layouts: dict, source: Path, backup: Path | None,
                   kept: str | None = None, found: list | None = None) -> list[Finding]:
    """``table-cell-replaced`` (warning) at each of ``officer_replacements`` (``found``, when already found), with
    what it held and holds now: the old now only in the backup (or the untouched original). ``kept``: where they
    are kept, when neither (the 產生報表 button: its 執行紀錄)."""
    from xlbudget.core.findings import make_finding
    from xlbudget.core.model import CellRef
    from xlbudget.readers.grid import column_letter

    def shown(text: str) -> str:
        return text if len(text) <= 40 else text[:40] + "…"  # whole on 執行紀錄 (the button lists them)

    kept = kept or (backup.name if backup else source.name)  # in place: the dated backup; with -o: the original
    return [make_finding("table-cell-replaced", CellRef(name, f"{column_letter(c)}{r}", source.name), kind=cell.kind,
                         was=shown(cell.was), now=f"「{shown(cell.now)}」" if cell.now is not None else "空白", kept=kept)
            for name, cell in (officer_replacements(old, layouts) if found is None else found)
            for r, c in [cell.position]]


def officer_note(text: str, author: str) -> str | None:
    """The officer's own words in a note on a table sheet (a reviewer's 附註), or None for xlbudget's own (check --mark's
    note, made again when the built book is marked again; ``text`` None: one xlwings Lite cannot read, let through by
    buttons._refuse_unread_notes as a recorded mark): the text before xlbudget's part when a mark joined his."""
    from xlbudget.adapters.marking import _SEPARATOR, AUTHOR

    if text is None:  # an Excel that tells which cells hold a note, not what it says: xlbudget's own (Lite's marks)
        return None
    if author == AUTHOR:
        text = text.split(_SEPARATOR)[0] if _SEPARATOR in text else ""
    return text.strip() or None


def _row_texts(cells) -> tuple[str, ...]:
    """A row's words: its texts, trimmed, without their amounts (「市款43,769,000元」 is 「市款#元」, 「預算金額：43,769千元」
    「預算金額：#千元」) and without a text that is a number (a 數量 「1」, which desktop Excel stores as the number 1 when
    產生報表 writes it): figures may change under a note, words may not."""
    return tuple(_AMOUNT.sub("#", t) for v in cells
                 if isinstance(v, str) and (t := v.strip()) and not _NUMBER.fullmatch(t))


_NUMBER = lazy(r"[-+]?[\d,]*\.?\d+")
_AMOUNT = lazy(r"[-+]?\d[\d,]*(?:\.\d+)?(?=\s*(?:千元|萬元|元))")


def kept_notes(old: Overwritten, layouts: dict) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """The officer's notes (officer_note) that go back on their cells once their table sheet is rebuilt
    (field report 9 §3.4): those whose row the new table still has where it was, told by the words (every text, old
    and new alike) of that row and of every row above it, and the cell inside the new table; a row moved, renamed or
    gone, or a note beside the table, is named instead (removed_notes). Every row above, not that row alone: a plan
    copied above another (its lines' words the same) would have taken the other's notes, one plan down, without a
    word; a 明細表 prints 「年 1 詳人事費彙計表。」 on many rows."""
    kept: dict[str, dict[tuple[int, int], tuple[str, str]]] = {}
    for name, notes in old.notes.items():
        layout = layouts.get(name)
        if layout is None or not notes:
            continue
        rows = _old_rows(old, layout, name)
        last = min(max(r for r, _ in notes), len(layout.values))
        same = unchanged_rows(old, layout, name, last)  # the first row whose words changed: no note from there on
        for (r, c), (text, author) in sorted(notes.items()):
            if officer_note(text, author) is None or author == "xlbudget" or not (1 <= r < same) \
                    or not 1 <= c <= len(layout.values[r - 1]):
                continue
            if _row_texts(rows.get(r, ())):
                kept.setdefault(name, {})[r, c] = (text, author)
    return kept


def _old_rows(old: Overwritten, layout, name: str) -> dict[int, list]:
    """The values of sheet ``name`` before build, by row, but those under a merge of the new ``layout`` (a merged
    header's text is in its first cell alone, once written)."""
    from xlbudget.forms.overwrite import _covered

    covered = _covered(layout.merges)
    rows: dict[int, list] = {}
    for (row, column), v in sorted(old.values.get(name, {}).items()):
        if (row, column) not in covered:
            rows.setdefault(row, []).append(v)
    return rows


def unchanged_rows(old: Overwritten, layout, name: str, last: int) -> int:
    """The first row, up to ``last``, whose words (_row_texts) on sheet ``name`` before build differ from the new
    ``layout``'s, or ``last`` + 1 when none does (a row past the new table's end differs)."""
    from xlbudget.forms.overwrite import _covered

    covered, rows = _covered(layout.merges), _old_rows(old, layout, name)
    return next((r for r in range(1, last + 1)
                 if r > len(layout.values) or _row_texts(rows.get(r, ())) != _row_texts(
                     v for c, v in enumerate(layout.values[r - 1], start=1) if (r, c) not in covered)), last + 1)


def removed_notes(old: Overwritten, source: Path, backup: Path | None, kept: str | None = None,
                  staying: dict | None = None) -> list[Finding]:
    """``table-note-removed`` (warning) at each note of the officer's (officer_note) on a table sheet build rewrites
    and does not put back (``staying``: kept_notes, back on their cells) (field report 9 §3.4: a reviewer's 附註,
    dropped without a word): its text and author, and where it is kept (as replaced_cells: the backup, the untouched
    original, or ``kept``)."""
    from xlbudget.core.findings import make_finding
    from xlbudget.core.model import CellRef
    from xlbudget.readers.grid import column_letter

    kept = kept or (backup.name if backup else source.name)
    found = []
    for name in dict.fromkeys([*old.notes, *old.threads]):
        notes, threads = old.notes.get(name, {}), old.threads.get(name, {})
        for (r, c) in sorted(set(notes) | set(threads)):
            if (r, c) in (staying or {}).get(name, {}):
                continue
            cell = CellRef(name, f"{column_letter(c)}{r}", source.name)
            if (r, c) in threads:  # a conversation, not its placeholder note's English boilerplate
                items, words = threads[r, c]
                found.append(make_finding("table-thread-removed", cell, text=words, count=len(items), kept=kept))
                continue
            text, author = notes[r, c]
            words = officer_note(text, author)
            if words is not None:
                shown = author if author and author != "xlbudget" else ""
                found.append(make_finding("table-note-removed", cell, who=f"{shown}的" if shown else "", text=words,
                                          kept=kept))
    return found
