"""Batch conversion of a folder of budget books: parallel, atomic, and never touching an input.

``xlbudget convert PATH... -o OUTDIR [--jobs N] [--mark] [--format xlsx|json|csv] [--force]``

Each book is read once (python-calamine, values only; openpyxl only for .xlsm,
whose macros are kept and never run) and written as a standard book: our
template's input sheets with the book's values, every schedule, and with
--mark the marks and 檢核結果. Outputs go to a temporary file renamed into
place; a manifest lets a re-run skip books whose output is up to date.
"""

from __future__ import annotations

import gc
import json
import marshal
import os
import sys
import time
import zipfile
from contextlib import contextmanager, nullcontext
from pathlib import Path

from xlbudget import __version__
from xlbudget.core.amounts import to_thousands
from xlbudget.adapters.atomic import (SHORTENED_MARK, file_stamp, name_bytes, remove_stale_temps, stale_temps_line,
                                      write_text_atomic)
from xlbudget.core.errors import MAX_SHOWN, InputError, UsageError, XlbudgetError, command_line
from xlbudget.core.findings import make_finding
from xlbudget.forms.inputs import INPUT_SHEETS, SHEET_AGENCY, SHEET_EXPENSES, UNIT_BUDGET
# finding the books and the summary live in their own modules; their names stay importable from here
from xlbudget.app.discovery import (MANIFEST, NOT_A_BOOK, STALE_SUFFIX, Passed, discover, discover_all,  # noqa: F401
                                    output_names)
from xlbudget.app.summary import (FINDINGS, NOT_CONVERTED, OK, SKIPPED, SUMMARY_JSON, SUMMARY_XLSX,  # noqa: F401
                                  ARCHIVED_BOOKS, LEFT_OUT_TITLE, UNFILLED, UNREADABLE, BookResult, citywide_tables,
                                  write_summary)

# seconds of the clock a book may take (--timeout): a 20,000-item book takes 19 s (32 s with --mark) on this shared
# 2-core machine at load average 10, so a slow or busy machine has 20 times that before a book is given up
DEFAULT_TIMEOUT = 600
_KILL_GRACE = 10.0  # a forked worker whose book does not stop at its limit (held in native code) is killed this later
EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 130  # 130: stopped by Ctrl-C, as shells say


# ---------------------------------------------------------------- one book

def _first_line(exc: BaseException) -> str:
    """The summary's 說明 of an unreadable book: every input problem (as many as build shows), one line."""
    if isinstance(exc, InputError) and exc.findings:
        lines = exc.problems
        shown = lines[:MAX_SHOWN]
        more = f"；另有 {len(lines) - len(shown)} 處未列出" if len(lines) > len(shown) else ""
        return (f"共 {len(lines)} 處：" if len(lines) > 1 else "") + "；".join(shown) + more
    text = str(exc).strip().splitlines()
    lines = [t.strip(" -") for t in text if t.strip()]
    return "；".join(lines[:3])


def book_failure(exc: Exception, name: str, output: Path | None = None, again: str = ""
                 ) -> tuple[str, str, str, int | None]:
    """Why one book of a batch failed, as the batch says it, never stopping the batch: (rule id, 說明, cell, input
    problems counted, or None). The one handling of a book's failure, convert's and compare's (a folder's book, or
    a pair of books, that fails is its row, the rest still done). ``name``: the book (or pair) as the row names it;
    ``output``: what is written for it, whose folder tells our output locked from the book; ``again``: the command
    that shows the book's failure alone (``xlbudget build BOOK`` when empty)."""
    if isinstance(exc, InputError) and (unfilled := _unfilled(exc, name)) is not None:
        return unfilled
    if isinstance(exc, XlbudgetError):
        first = exc.findings[0] if isinstance(exc, InputError) and exc.findings else None
        # each input problem counts, as build lists them
        return (first.rule if first else "input-unreadable", _first_line(exc), str(first.cell) if first and first.cell
                else "", len(exc.findings) if isinstance(exc, InputError) else None)
    if isinstance(exc, FileNotFoundError):
        rule, fields = "file-vanished", {}
    elif isinstance(exc, PermissionError):
        ours = output is not None and exc.filename and Path(exc.filename).parent == output.parent
        rule, fields = ("output-locked", {"name": output.name}) if ours else ("file-locked", {})
    elif isinstance(exc, MemoryError):
        rule, fields = "out-of-memory", {}
    else:
        rule, fields = "internal-error", {"error": type(exc).__name__,
                                          "again": again or command_line("xlbudget", "build", name)}
    return rule, make_finding(rule, None, **({"name": name} | fields)).message, "", None


UNFILLED_RULES = ("book-blank-template", "book-unfilled")


def _unfilled(exc: InputError, name: str) -> tuple[str, str, str, int] | None:
    """A book not filled in yet, said as such, not as a book that could not be read (field report 6 §6): every problem
    is a required cell left blank. A blank template (xlbudget new: 基本資料 and 歲出明細 empty) is book-blank-template;
    any other (a next-year --clear-amounts draft, 預算數 empty) book-unfilled, its blank cells counted by sheet.
    (rule id, 說明, first cell, problems) as book_failure gives them; None for any other book."""
    from collections import Counter

    from xlbudget.forms.inputs import AGENCY_KEYS
    from xlbudget.readers.inputs import NO_LINES

    found = exc.findings
    if not found or any(f.rule != "required-missing" for f in found):
        return None
    sheets = Counter(f.cell.sheet if f.cell else "" for f in found)
    no_lines = any(f.cell and f.cell.sheet == SHEET_EXPENSES and f.message.startswith(NO_LINES) for f in found)
    if no_lines and sheets == Counter({SHEET_AGENCY: len(AGENCY_KEYS), SHEET_EXPENSES: 1}):
        rule, fields = "book-blank-template", {}
    else:
        rule, fields = "book-unfilled", {"count": len(found), "first": exc.problems[0],
                                         "where": "、".join(f"{sheet or '活頁簿'} {n} 格" for sheet, n in sheets.items())}
    first = found[0]
    return rule, make_finding(rule, None, name=name, **fields).message, str(first.cell or ""), len(found)


def _unreadable(result: BookResult, rule: str, **fields) -> None:
    """A book not converted, for the reason ``rule`` (a catalogue id): its 說明 is the rule's message."""
    _failed(result, rule, make_finding(rule, None, **fields).message)


def _failed(result: BookResult, rule: str, message: str, cell: str = "", problems: int | None = None) -> None:
    """A book (or a path given) that could not be converted, 無法讀取 (尚未填寫 for a blank template or a draft, the
    reasons of UNFILLED_RULES: not a broken file), for the reason ``rule``. Its 錯誤 are the problems that kept it
    from being read, each one, as build and check list them (``problems``), and at least its reason, an error of the
    catalogue as check --format json gives it: never 0 beside 無法讀取, so the 錯誤 of the terminal's last line, of
    轉換摘要.xlsx and of 轉換摘要.json are one count, whatever kept a book from being read."""
    status = UNFILLED if rule in UNFILLED_RULES else UNREADABLE
    result.status, result.output, result.reason, result.message, result.cell = status, "", rule, message, cell
    result.errors = problems or 1


def _file_error(rule: str, name: str, **fields) -> InputError:
    """An InputError about the file as a whole, as a finding of ``rule``."""
    return InputError(make_finding(rule, None, name=name, **fields), name)


def _precheck(path: Path) -> zipfile.ZipFile | None:
    """Refuse a file that is no workbook we read, naming what it is; returns its zip, opened once here for
    other_format and handed on to read_grids (None when zipfile cannot open it from its first bytes)."""
    from xlbudget.adapters.xlsxfile import HEAD_BYTES, ZIP_MAGIC, is_readable_ods, other_format

    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except FileNotFoundError:
        raise _file_error("file-vanished", name) from None
    except PermissionError:
        raise _file_error("file-locked", name) from None
    if size == 0:
        raise _file_error("file-empty", name)
    z = None
    if head.startswith(ZIP_MAGIC) and path.suffix.lower() != ".xlsb":  # an .xlsb is refused by its name alone
        try:
            z = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile):  # as other_format takes it: not a zip it opens, said below
            pass
    try:
        other = other_format(path, head, z)
        if other is not None:
            raise _file_error(other, name, suffix=path.suffix or "（無）")
        if path.suffix.lower() == ".xls":
            # an .xlsx renamed .xls is a workbook under the wrong name: said so, as check says it (field report 20 §3)
            if z is not None and "xl/workbook.xml" in z.namelist():
                raise _file_error("file-wrong-suffix", name, suffix=path.suffix)
            raise _file_error("file-not-xls", name)
        if z is None and not zipfile.is_zipfile(path):  # a zip zipfile has opened is one
            raise _file_error("file-not-xlsx", name)
        if path.suffix.lower() == ".ods" and not is_readable_ods(path):  # an .xlsx renamed .ods, as refuse_unreadable says
            raise _file_error("file-wrong-suffix", name, suffix=path.suffix)
    except BaseException:
        if z is not None:
            z.close()
        raise
    return z


def _count(result: BookResult, findings) -> None:
    """The book's findings by severity, each once, counted as every report counts them (``results.severity_counts``)."""
    from xlbudget.core.findings import unique_findings
    from xlbudget.forms.results import severity_counts

    result.add_counts(severity_counts(unique_findings(findings)))  # each once, as check counts them


def _summarise(result: BookResult, book) -> None:
    from xlbudget.core.model import counted_prior

    result.agency = book.agency.name
    result.agency_code = book.agency.code
    result.authority = book.agency.authority
    result.year = book.agency.year
    result.kind = "" if book.agency.kind == UNIT_BUDGET else book.agency.kind
    result.kind_told = book.agency.kind_told
    by_object: dict[str, int] = {}  # in line order, from the book's sums
    for (_, code, _, _), amount in book.expense_sums.items():
        by_object[code] = by_object.get(code, 0) + amount
    total = sum(by_object.values())
    result.expenditure = to_thousands(total)
    result.by_object = by_object
    prior = counted_prior(book.prior_split[0])  # as 歲出機關別預算表 adds them
    last = [p.last_budget for p in prior if p.last_budget is not None]
    final = [p.prior_final for p in prior if p.prior_final is not None]
    result.budget_line = {"本年度預算數": total, "上年度預算數": sum(last) if last else None,
                          "前年度決算數": sum(final) if final else None}


def _write_export(book, target: Path, fmt: str) -> None:
    from xlbudget.app.export import export_records, records_to_csv, records_to_json

    records = export_records(book)
    text = records_to_json(records) if fmt == "json" else records_to_csv(records)
    write_text_atomic(target, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")


def convert_one(source: str, target: str, fmt: str = "xlsx", mark: bool = False) -> BookResult:
    """Convert one book; never raises, never writes to ``source``; the result says what happened.

    The cyclic garbage collector waits until the book is done: a book's records, cells and tables live
    until it is written, so each collection while they pile up walks them all for nothing (a fifth of the
    time of a 20,000-item book); any cycle left over goes at the first collection after it.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _convert_one(source, target, fmt, mark)
    finally:
        if collecting:
            gc.enable()


def _convert_one(source: str, target: str, fmt: str, mark: bool) -> BookResult:
    from xlbudget.readers.inputs import read_book
    from xlbudget.adapters.xlsxfile import save_atomic

    start = time.perf_counter()
    path, out = Path(source), Path(target)
    result = BookResult(source=str(source), output=str(target))
    try:
        zipped = _precheck(path)
        if path.suffix.lower() == ".xlsm":
            from xlbudget.adapters.books import load_book

            if zipped is not None:
                zipped.close()

            loaded = load_book(path)  # zip and entity caps checked; keep_vba: macros kept, never run
            book, findings, wb = loaded.book, list(loaded.findings), loaded.workbook
        else:
            from xlbudget.adapters.fastread import read_grids

            grids = read_grids(path, zipped)
            if SHEET_EXPENSES not in grids and SHEET_AGENCY not in grids:
                return _convert_handmade(path, out, fmt, mark, result, start)
            book, findings = read_book(grids, path.name)
            wb = None
        if fmt == "xlsx":
            from xlbudget.app.pipeline import build_workbook, write_fresh_book
            from xlbudget.app.template import fill_template

            # a book made from scratch is written with XlsxWriter; openpyxl for an .xlsm (its macros), --mark
            # (notes, 檢核結果) and a value XlsxWriter would store otherwise (write_fresh_book gives None)
            written = None if wb is not None or mark else write_fresh_book(out, grids, book)
            if written is not None:
                findings += written[1]
            else:
                wb = wb if wb is not None else fill_template(grids)
                _, more = build_workbook(wb, book)
                if mark:
                    from xlbudget.rules.checks import check_book
                    from xlbudget.adapters.marking import mark_workbook

                    findings += check_book(book)  # the people and narrative 勾稽 of ``more``, and the book's other checks
                    mark_workbook(wb, findings, path.name)
                else:
                    findings += more
                save_atomic(wb, out)
        else:
            from xlbudget.rules.checks import check_inputs

            findings += check_inputs(book)  # what build gives, as check would give it
            _write_export(book, out, fmt)
        _summarise(result, book)
        _count(result, findings)
        result.status = FINDINGS if result.errors else OK
    except Exception as exc:  # a book must never stop the batch, nor print a traceback
        _failed(result, *book_failure(exc, path.name, out))
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def _convert_handmade(path: Path, out: Path, fmt: str, mark: bool, result: BookResult, start: float) -> BookResult:
    """A book of printed tables only: checked on what is printed; the xlsx output is the book, marked."""
    from xlbudget.adapters.atomic import write_atomic
    from xlbudget.app.check import check_workbook, refuse_foreign_results, refuse_losses, spliced_marks
    from xlbudget.rules.checks import finding_record
    from xlbudget.adapters.marking import mark_workbook
    from xlbudget.adapters.xlsxfile import formula_values, has_formulas, is_ods, open_workbook, save_atomic

    if is_ods(path):  # its values and merges as an openpyxl book: checked, marked and written as its .xlsx would be
        from xlbudget.adapters.fastread import ods_workbook

        wb, values = ods_workbook(path), None
    else:
        wb = open_workbook(path)
        values = open_workbook(path, data_only=True) if has_formulas(wb) else None  # a 合計 typed as =SUM(…)
    findings = check_workbook(wb, values, file=path.name).findings  # InputError when it recognises no table either
    if mark and fmt == "xlsx":
        refuse_foreign_results(path)  # his own 檢核結果 is never replaced in the copy either (results-sheet-not-ours)
    if fmt == "xlsx" and is_ods(path):
        if mark:
            mark_workbook(wb, findings, path.name)
        save_atomic(wb, out, formula_values(wb, values))
    elif fmt == "xlsx":
        # the officer's own file, part for part, as check --mark writes it: his pictures, text boxes and comment
        # threads kept (through openpyxl they were lost in the copy); marked through openpyxl only where it cannot
        # be spliced and nothing would be lost (refuse_losses: mark-would-drop, no output)
        data = spliced_marks(path, findings) if mark else path.read_bytes()
        if data is None:
            refuse_losses(path)
            mark_workbook(wb, findings, path.name)
            save_atomic(wb, out, formula_values(wb, values))
        else:
            write_atomic(out, lambda tmp: tmp.write_bytes(data))
    else:
        write_text_atomic(out, json.dumps([finding_record(f) for f in findings], ensure_ascii=False, indent=1))
    result.agency, result.year = _printed_agency(wb)
    _count(result, findings)
    result.status = FINDINGS if result.errors else OK
    result.reason = "printed-only"
    result.message = make_finding("printed-only", None).message
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def _printed_agency(wb) -> tuple[str, int | None]:
    """Agency name and 民國 year as printed above a table (titles.printed_heading, as compare reads them)."""
    from xlbudget.core.titles import printed_heading

    return printed_heading(ws.iter_rows(max_row=12, values_only=True) for ws in wb.worksheets)


_in_worker = _busy = _stopping = False  # a pool worker's state, for its signal handler


class BookTimeout(BaseException):
    """A book past its time limit, raised in the middle of it: a BaseException, so that no ``except Exception`` on
    the way takes it for a bad book (write_atomic removes its temporary file as it unwinds)."""


@contextmanager
def _time_limit(seconds: float | None):
    """BookTimeout after ``seconds`` of the clock, in this thread: SIGALRM, so on Unix in a main thread (the batch
    in one process, each worker); elsewhere (Windows, a thread) no limit. Python code is stopped where it is, a C
    extension's (python-calamine, zlib) as it returns: a forked worker held there is killed by the batch instead."""
    import signal
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise BookTimeout

    before = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def _timed_out(source: str, seconds: float) -> BookResult:
    """The result of a book given up at its time limit: unreadable, saying so; the batch goes on."""
    result = BookResult(source=source)
    _unreadable(result, "book-timeout", name=Path(source).name, seconds=f"{seconds:g}")
    result.seconds = seconds  # 轉換摘要's 秒: the limit it ran past, never 0.0 beside «超過 N 秒未完成»
    return result


def _task(args: tuple, limit: float | None = None) -> BookResult:
    """convert_one(*args) within ``limit`` seconds (None: no limit)."""
    global _busy
    if _stopping:
        os._exit(EXIT_INTERRUPTED)
    _busy = True
    result = None
    try:
        with _time_limit(limit):
            result = convert_one(*args)
    except BookTimeout:
        pass  # (when the alarm rang as the book ended, its result stands)
    except KeyboardInterrupt:
        if not _in_worker:
            raise
        os._exit(EXIT_INTERRUPTED)  # stopped mid-book: write_atomic has removed its temporary file
    finally:
        _busy = False
    return result if result is not None else _timed_out(args[0], limit)


def _stop_signals() -> tuple:
    """The signals that stop a batch, as Ctrl-C does: SIGINT, SIGTERM and, where there is one, SIGHUP (the terminal
    window closed, a remote session dropped mid-run): the books done kept in the manifest, no worker left writing."""
    import signal

    return (signal.SIGINT, signal.SIGTERM) + ((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ())


def _worker_stop(signum, frame) -> None:
    """A worker told to stop (Ctrl-C, SIGTERM): mid-book, unwind so the temporary file goes; idle, just end."""
    global _stopping
    first, _stopping = not _stopping, True
    if not _busy:
        os._exit(EXIT_INTERRUPTED)
    if first:  # a second signal (Ctrl-C reaches every process, then the batch stops its workers) lets cleanup finish
        raise KeyboardInterrupt


def _worker_start(fmt: str, mark: bool) -> None:
    """A pool worker's start: stop quietly on a signal (no traceback, no temporary file left), then warm up."""
    import signal

    global _in_worker
    _in_worker = True
    for sig in _stop_signals():
        signal.signal(sig, _worker_stop)
    _warm(fmt, mark)


@contextmanager
def _warmed(fmt: str, mark: bool):
    """``_warm``, the cyclic garbage collector paused meanwhile, then every object so far frozen (gc.freeze) until
    the batch is done. What an import makes lives for good: each collection while the modules were imported walked
    them for nothing (19 collections, 4.5 ms of the parent's CPU before forking, as convert_one pauses the collector
    for a book), and one after the fork walked them again, writing into each object's header: a page fault and a
    copy of every page it went through, shared with the workers (224 faults, gc_collect_main, perf). In --jobs 1,
    imported within its first book, they were walked by the collections as its books began and after the first
    (a generation 1 and a generation 0, 10 ms of CPU in 24 books under load). Frozen, no collection in this process
    or a worker walks them; the collector finds them again after the batch (gc.unfreeze). Objects a caller froze
    stay so: with some frozen already, nothing more is."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        _warm(fmt, mark)
    finally:
        if collecting:
            gc.enable()
    freeze = not gc.get_freeze_count()
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()


def _warm(fmt: str, mark: bool) -> None:
    """Import what converting a book needs and read the stored looks once, before the workers start: a forked
    worker starts with both (and elsewhere each worker does this once, as it starts). A fresh book needs no
    openpyxl; --mark does (notes, 檢核結果)."""
    import codecs
    import xml.etree.ElementTree  # noqa: F401  (fastread's parts, each book)

    from xlbudget.adapters import fastread, package  # noqa: F401  (package: the parts of a book read, and of 轉換摘要)
    from xlbudget.core import codes, patterns

    patterns.preload()  # the stored patterns read and other modules' put in re's cache (done by the command line)

    # what a book and 轉換摘要 both need once a process (the parent writes 轉換摘要 after the books whatever the
    # format): done here, no forked worker does it again in its first book (3.6 M instructions each, callgrind)
    codes.object_codes()  # the 用途別 table: 彙總's names, each book's lines
    codecs.lookup("utf-16-le")  # sheet names cut to Excel's 31 characters (core.titles), the book's and 轉換摘要's
    # what each book needs once a process (--jobs 1 in its first book), so no forked worker does it in its first:
    codecs.lookup("cp437")  # a part's name in the book's zip directory (zipfile, no UTF-8 flag: as Excel saves them)
    from xlbudget.app import pipeline  # noqa: F401
    from xlbudget.forms import results  # noqa: F401  (each book's counts; the batch's last line needs it anyway)
    from xlbudget.readers import inputs  # noqa: F401

    if fmt == "xlsx":
        import xlsxwriter  # noqa: F401

        from xlbudget.adapters import xlsxbook
        from xlbudget.app import template  # noqa: F401  (the input sheets' plan: fill_plan, fill_template)

        xlsxbook.stored_template()
        if mark:
            from xlbudget.adapters import marking, printing  # noqa: F401


# Workers are forked from the warmed parent on Linux, where forking is safe: each starts with its imports and
# looks. Spawned workers (macOS, Windows; Python 3.14's default forkserver on Linux too) import everything again,
# each (+0.25 s of CPU a worker, measured on 24 books).
_FORK = sys.platform.startswith("linux")
_children: set[int] = set()  # this process's forked workers, for the signal handler to stop


_BEGUN = 1 << 31  # a worker's word that it begins a book (the book's index in the lower bits), not a result's size
_IDLE = (1 << 32) - 1  # a worker's word that it found the books' pipe empty: it waits to write 轉換摘要, or to end


def _forked(todo: list, workers: int, fmt: str, mark: bool, finish, limit: float | None = None, say=print
            ) -> _SummaryWriter | None:
    """Convert ``todo`` ((n, convert_one's arguments, signature) each) in ``workers`` processes forked from this
    warmed one; ``finish(n, signature, result)`` as each book ends. Returns the first worker to have found no book
    left, kept to write 轉換摘要 while this process saves the manifest (None when none is left).

    The books wait in one pipe that every worker reads, as their indices in ``todo`` (which a forked worker
    holds already), the largest first: a worker free takes the next, never waiting for this process to hand it
    one (a round trip through the parent for every book: 62-143 ms over 24 books on a loaded machine, the parent
    having to be woken and given a core each time). A worker says which book it begins, then sends its
    BookResult's fields back (_result_of). No thread, queue or executor in this process (the pool's imports,
    threads and messages were a third of the parent's CPU beside the workers). A worker that dies (killed, out of memory)
    costs the book it began alone: that book is worker-died, another worker is forked and the batch goes on;
    a book it took and died before naming is worker-died too, once every worker has ended. One that dies before
    its first book is not replaced (the next would die the same, for ever): once none is left, the books left
    are converted in this process, said. A book past ``limit``
    seconds stops itself (_task); one that does not (held in native code) has its worker killed _KILL_GRACE
    later: book-timeout either way. Where no process can be forked (EAGAIN, ENOMEM), the batch goes on with the
    workers it has, or in this process, and ``say``s so. Stopped by an exception (Ctrl-C), the workers are told
    to stop and awaited, so each has removed its temporary file.
    """
    import selectors
    import signal

    pending = list(range(len(todo) - 1, -1, -1))  # the books not yet in the pipe, the next last
    unfinished = set(range(len(todo)))
    tasks, feed = os.pipe()  # the books' pipe: every worker reads its end, this process keeps it for later ones
    os.set_blocking(feed, False)  # this process never waits for room: it puts in more as results come back
    # result pipe's read end → [pid, the place in todo of the book it converts (or None), when it began it,
    # the write end of its orders' pipe (_SummaryWriter)]
    live: dict[int, list] = {}
    killed: set[int] = set()  # workers killed for a book past its limit
    watch = selectors.DefaultSelector()
    ended = "未知"  # how the last worker that died ended (a signal's name, or its exit code)
    idle: list[int] = []  # the result pipes of the workers that found no book left, in that order: the first writes
    # 轉換摘要 (_SummaryWriter)
    alone = False  # said that the books left are converted in this process

    def fill() -> None:
        nonlocal feed
        while pending:
            try:
                os.write(feed, pending[-1].to_bytes(4, "little"))
            except BlockingIOError:  # full (thousands of books): more as workers take them
                return
            pending.pop()
        if feed >= 0:  # every book in the pipe: each worker ends when it finds the pipe empty
            os.close(feed)
            feed = -1

    def fork() -> OSError | None:
        """A worker more; the OSError when none can be made (no process or pipe to be had)."""
        try:
            result_end, results = os.pipe()
        except OSError as exc:
            return exc
        try:
            orders, order_end = os.pipe()  # 轉換摘要 to write, once the books are done (_SummaryWriter)
        except OSError as exc:
            for fd in (result_end, results):
                os.close(fd)
            return exc
        signals = _stop_signals()
        held = signal.pthread_sigmask(signal.SIG_BLOCK, signals)  # until the worker has its own handlers
        try:
            pid = os.fork()
        except OSError as exc:  # EAGAIN: too many processes; ENOMEM
            for fd in (result_end, results, orders, order_end):
                os.close(fd)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            return exc
        if pid == 0:
            code = 70
            try:
                for fd, (_, _, _, sent) in live.items():  # another worker's pipes are not this one's to hold
                    os.close(fd)
                    os.close(sent)
                if feed >= 0:  # held here, the books' pipe would never end for any worker
                    os.close(feed)
                os.close(result_end)
                os.close(order_end)
                _worker_start(fmt, mark)
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
                _serve(todo, tasks, results, limit, orders)
                code = 0
            finally:
                os._exit(code)  # never back into the parent's code, its buffers or its exit handlers
        os.close(results)
        os.close(orders)
        live[result_end] = [pid, None, 0.0, order_end]
        watch.register(result_end, selectors.EVENT_READ)
        _children.add(pid)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held till now finds it known, to be stopped
        return None

    def more(count: int) -> None:
        """Fork ``count`` workers, or as many as can be; say so when it is fewer."""
        nonlocal alone
        for _ in range(count):
            failed = fork()
            if failed is not None:
                alone = not live
                say(f"無法建立新的處理程序（{_fork_failure(failed)}）：" + (
                    f"以 {len(live)} 個處理程序繼續轉換" if live else "改在本處理程序逐本轉換"))
                return

    def overdue() -> float | None:
        """Kill each worker whose book is past its limit and grace; seconds until the next one is, or None."""
        if not limit:
            return None
        now, wait = time.monotonic(), None
        for pid, i, began, _ in live.values():
            if i is None or pid in killed:
                continue
            left = began + limit + _KILL_GRACE - now
            if left <= 0:
                killed.add(pid)
                try:
                    os.kill(pid, signal.SIGKILL)  # its pipe ends: the book is reported below
                except ProcessLookupError:
                    pass
            elif wait is None or left < wait:
                wait = left
        return wait

    def lost(i: int, result: BookResult | None = None) -> None:
        n, args, sig = todo[i]
        unfinished.discard(i)
        if result is None:
            result = BookResult(source=args[0])
            _unreadable(result, "worker-died", error=ended)
        finish(n, sig, result)

    try:
        fill()
        more(workers)
        while unfinished:
            if len(idle) == len(live):  # no worker left to convert a book
                if pending or _waiting(tasks):  # no worker could be forked: the books left are converted here
                    if not alone:  # the workers died before their first book
                        alone = True
                        say(f"處理程序未能開始轉換（{ended}）：改在本處理程序逐本轉換")
                    i = int.from_bytes(_read_exact(tasks, 4), "little") if _waiting(tasks) else pending.pop()
                    fill()
                    unfinished.discard(i)
                    n, args, sig = todo[i]
                    finish(n, sig, _task(args, limit))
                    continue
                for i in sorted(unfinished):  # taken from the pipe by a worker that died before naming it
                    lost(i)
                break
            for key, _ in watch.select(overdue()):
                fd = key.fd
                worker = live[fd]
                head = _read_exact(fd, 4)
                word = int.from_bytes(head, "little") if len(head) == 4 else 0
                if word == _IDLE:  # its books done, none left: the first so is kept to write 轉換摘要
                    idle.append(fd)
                    continue
                if word & _BEGUN:
                    worker[1], worker[2] = word ^ _BEGUN, time.monotonic()
                    continue
                data = _read_exact(fd, word) if word else b""
                if data and len(data) == word:  # else it ended, or died in the middle of its message
                    i, worker[1] = worker[1], None
                    unfinished.discard(i)
                    fill()
                    n, _, sig = todo[i]
                    finish(n, sig, _result_of(data))
                    continue
                watch.unregister(fd)  # the worker ended, or died
                os.close(fd)
                os.close(worker[3])
                del live[fd]
                if fd in idle:
                    idle.remove(fd)
                pid, i, began, _ = worker
                code = _reap(pid)
                if code:
                    ended = signal.Signals(-code).name if -code in signal.valid_signals() else f"exit {code}"
                if i is not None and pid in killed:  # past its limit, and killed for it
                    lost(i, _timed_out(todo[i][1][0], limit))
                elif i is not None:  # it died converting this book: that book alone is lost
                    lost(i)
                # a worker in its place, for the books left (not for one that died before its first: the next would);
                # one that ended itself (exit 0) found the pipe empty and closed: no book is left for another
                if began and (pending or (code and _waiting(tasks))):
                    more(1)
        # every book is in: each worker but the one kept ends on its own as it finds the pipe empty and is let go
        # (its pipes closed); the summary does not wait for that (its memory given back): they are awaited after it
        kept = None
        for fd, (pid, _, _, sent) in live.items():
            watch.unregister(fd)
            if idle and fd == idle[0]:
                kept = _SummaryWriter(pid, fd, sent)
            else:
                os.close(fd)
                os.close(sent)
        live.clear()
        return kept
    finally:
        for fd, (pid, _, _, _) in live.items():  # stopped early: each worker unwinds (its temporary file goes)
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        stop_by = time.monotonic() + _KILL_GRACE
        for fd, (pid, _, _, sent) in live.items():
            _reap(pid, stop_by)
            os.close(fd)
            os.close(sent)
        os.close(tasks)
        if feed >= 0:
            os.close(feed)
        watch.close()


def _waiting(fd: int) -> bool:
    """Whether the pipe ``fd`` (its read end) holds bytes now (an end of file is none)."""
    import array
    import fcntl
    import termios

    count = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, count, True)
    return count[0] > 0


def _fork_failure(exc: OSError) -> str:
    """Why no process could be forked, in words."""
    import errno

    return {errno.EAGAIN: "系統的處理程序數已達上限", errno.ENOMEM: "記憶體不足",
            errno.EMFILE: "開啟的檔案數已達上限"}.get(exc.errno, exc.strerror or type(exc).__name__)


def _await_workers() -> None:
    """Await the workers that ended after their last book, or are ending (killed _KILL_GRACE from now if not)."""
    stop_by = time.monotonic() + _KILL_GRACE
    for pid in list(_children):
        _reap(pid, stop_by)


def _reap(pid: int, stop_by: float | None = None) -> int:
    """Await a forked worker: its exit code, or minus the signal that ended it. With ``stop_by`` (a time.monotonic),
    a worker not ended by then is killed: one told to stop while held in native code never hears it (Ctrl-C waited
    for it for ever, and a second Ctrl-C left it running)."""
    import signal

    try:
        while stop_by is not None:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                _children.discard(pid)
                return os.waitstatus_to_exitcode(status)
            left = stop_by - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                break
            _await_end(pid, left)
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except (ChildProcessError, ProcessLookupError):  # reaped already (SIGCHLD ignored by the program that called
        code = 0                                     # us): its code is gone
    _children.discard(pid)
    return code


def _await_end(pid: int, seconds: float) -> None:
    """Until the worker ``pid`` ends, or ``seconds`` have passed: woken as it ends (a pidfd, Linux 5.3), not at
    the next of 20 ms naps (the writer of 轉換摘要 ends as the batch does: each nap was the clock's, not the CPU's)."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd here: looked at again in a moment
        time.sleep(min(seconds, 0.02))
        return
    try:
        select.select([fd], [], [], seconds)
    finally:
        os.close(fd)


def _serve(todo: list, tasks: int, results: int, limit: float | None = None, orders: int | None = None) -> None:
    """A forked worker: take the next book from the books' pipe (an index into ``todo``), say so, convert it
    within ``limit`` seconds and send its result's fields back (``_result_of``), until the pipe is empty and closed.
    Then, given ``orders`` (its orders' pipe), say so and write 轉換摘要 if the batch asks it to (_SummaryWriter)."""
    while len(head := _read_exact(tasks, 4)) == 4:  # the next book: four bytes, read whole by one worker
        i = int.from_bytes(head, "little")
        os.write(results, (_BEGUN | i).to_bytes(4, "little"))
        _send(results, _wire(_task(todo[i][1], limit).record()))
    if orders is None:
        return
    try:
        os.write(results, _IDLE.to_bytes(4, "little"))
    except BrokenPipeError:  # let go already: every book was done
        return
    _write_ordered_summary(orders, results)


def _send(fd: int, data: bytes) -> None:
    """``data`` down the pipe ``fd``, after its size (four bytes), whole."""
    view = memoryview(len(data).to_bytes(4, "little") + data)
    while view:
        view = view[os.write(fd, view):]


def _received(fd: int) -> bytes | None:
    """What ``_send`` sent down the pipe ``fd``; None where it ends before (its writer ended, or died)."""
    head = _read_exact(fd, 4)
    if len(head) < 4:
        return None
    data = _read_exact(fd, int.from_bytes(head, "little"))
    return data if len(data) == int.from_bytes(head, "little") else None


def _write_ordered_summary(orders: int, results: int) -> None:
    """A worker whose books are done: write 轉換摘要 for the batch's results when they come down ``orders``
    (_SummaryWriter.start), and send back each book's ``left_out`` and its note as write_summary set them; nothing
    when it is let go (``orders`` closed). Stopped meanwhile (Ctrl-C, SIGTERM), it unwinds (write_atomic removes its
    temporary file) and ends; a failure (no room, a locked folder) it leaves to the batch, which writes 轉換摘要
    itself and says what failed."""
    global _busy
    data = _received(orders)
    if data is None:
        return
    _busy = True
    try:
        out, records = marshal.loads(data)
        books = [BookResult(**record) for record in records]
        write_summary(books, Path(out))
        left = marshal.dumps([(r.left_out, r.left_out_note) for r in books])
    except KeyboardInterrupt:
        os._exit(EXIT_INTERRUPTED)
    except Exception:  # written again by the batch, which says why it cannot be
        return
    finally:
        _busy = False
    _send(results, left)


class _SummaryWriter:
    """A forked worker whose books are done, kept to write 轉換摘要 (xlsx and json) while the batch saves its
    manifest: its 15-20 ms of CPU beside the batch's, not after them, and in a process whose XlsxWriter and layout
    code paths are warm from its books (issue 13). ``start`` hands it the results; ``finish`` awaits it and gives
    each result the ``left_out`` write_summary set, or writes 轉換摘要 in this process where the worker did not
    (died, failed, or was never handed it): the same file either way, never half of one."""

    def __init__(self, pid: int, answers: int, orders: int):
        self.pid, self.answers, self.orders = pid, answers, orders

    def start(self, results: list[BookResult], out: Path) -> None:
        """Hand the worker ``results`` to write 轉換摘要 of into ``out``."""
        try:
            _send(self.orders, _wire((str(out), [r.record() for r in results])))
        except BrokenPipeError:  # it died meanwhile: finish writes 轉換摘要 here
            pass
        os.close(self.orders)
        self.orders = -1

    def finish(self, results: list[BookResult], out: Path) -> None:
        """轉換摘要 written: await the worker's answer, or write it here."""
        left = _received(self.answers) if self.orders < 0 else None
        self.close()
        if left is not None:
            for r, (rule, note) in zip(results, marshal.loads(left)):
                r.left_out, r.left_out_note = rule, note
            return
        _reap(self.pid)  # ended or died: no file of its is being written; one it left half-written goes
        remove_stale_temps(out)
        write_summary(results, out)

    def close(self, stop: bool = False) -> None:
        """Let the worker go (its pipes closed); with ``stop`` (the batch stopped early), stop it and await it."""
        for fd in (self.answers, self.orders):
            if fd >= 0:
                os.close(fd)
        self.answers = self.orders = -1
        if stop:
            import signal

            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            _reap(self.pid, time.monotonic() + _KILL_GRACE)


def _wire(record: dict) -> bytes:
    """A result's fields (BookResult.record) as a forked worker sends them: in marshal's format, built into the
    interpreter (both ends are one interpreter, forked), where pickle is a module the parent imported before forking
    for this alone (5.5 M instructions of its serial part, callgrind). marshal takes only the exact built-in types:
    a subclass of str, int or float (an IntEnum, a str subclass) anywhere in a field made it refuse the whole
    result, and the worker died with its book converted (worker-died). Such a value goes as its plain value
    (``_plain``), which is what json and the 轉換摘要 write of it in one process too."""
    try:
        return marshal.dumps(record)
    except ValueError:
        return marshal.dumps(_plain(record))


def _plain(value):
    """``value`` with every str, int and float in it (dict keys too) of its exact built-in type; the rest as it is."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (tuple if isinstance(value, tuple) else list)(_plain(v) for v in value)
    kind = type(value)
    if kind is bool or value is None:
        return value
    for plain in (str, int, float):
        if isinstance(value, plain):
            # the value it holds, as json writes it: str() of a (str, Enum) such as Severity is «Severity.ERROR»
            return _AS_PLAIN[plain](value) if kind is not plain else value
    return value


_AS_PLAIN = {str: str.__str__, int: int.__int__, float: float.__float__}  # a subclass's own value, whatever it overrides


def _result_of(data: bytes) -> BookResult:
    """The BookResult a forked worker sent (``_serve``, ``_wire``)."""
    return BookResult(**marshal.loads(data))


def _read_exact(fd: int, size: int) -> bytes:
    """``size`` bytes from the pipe ``fd``, or fewer where it ends."""
    chunks, left = [], size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _pooled(todo: list, workers: int, fmt: str, mark: bool, finish, limit: float | None = None, say=print) -> None:
    """Where forking is not safe (macOS, Windows): a process pool of the platform's own kind, each worker
    warming up as it starts. A pool whose processes cannot be started (OSError) leaves the books not done to this
    process, one by one, said.

    A book is handed to the pool only when a worker is free (never more books in it than workers), so that a
    book's time is counted from when it is handed. Each book stops itself at ``limit`` (_task; not on Windows,
    which has no SIGALRM); one that has not ended _KILL_GRACE later (Windows, or a worker held in native code) is
    book-timeout, the pool's processes are killed (the pool cannot kill one of its own alone) and the books not
    done go on in a new pool. A worker that dies otherwise breaks its pool, and every book the pool held comes
    back broken, though only one was being converted by the worker that died: those books go on in a new pool,
    each alone (``suspects``), so that the one that kills its worker is found: that book alone is worker-died."""
    done: set[int] = set()
    suspects: set[int] = set()
    left = list(todo)
    try:
        while left:
            left = _pool_round(left, workers, fmt, mark, finish, limit, done, suspects)
    except OSError as exc:
        say(f"無法建立新的處理程序（{_fork_failure(exc)}）：改在本處理程序逐本轉換")
        for n, args, sig in todo:
            if n not in done:
                finish(n, sig, _task(args, limit))


def _pool_round(todo: list, workers: int, fmt: str, mark: bool, finish, limit: float | None, done: set,
                suspects: set) -> list:
    """One pool converting ``todo`` in order; the books it leaves to the next pool (its processes killed for a
    book past its limit, or one died), in order: none when every book is done. A book of ``suspects`` (held by a
    pool that broke beside others) is handed alone, nothing beside it."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    queue = list(reversed(todo))  # the next last
    flight: dict = {}  # future → ((n, args, sig), when it was handed)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(fmt, mark))
    try:
        while queue or flight:
            while queue and len(flight) < workers:
                if flight and (queue[-1][0] in suspects or any(item[0] in suspects for item, _ in flight.values())):
                    break
                try:
                    future = pool.submit(_task, queue[-1][1], limit)
                except BrokenProcessPool:  # a worker died: the books not handed go on in a new pool
                    break
                flight[future] = (queue.pop(), time.monotonic())
            if not flight:
                return list(reversed(queue))
            first = min(flight, key=lambda f: flight[f][1])
            wait_for = flight[first][1] + limit + _KILL_GRACE - time.monotonic() if limit else None
            ended, _ = wait(flight, timeout=max(wait_for, 0) if wait_for is not None else None,
                            return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in ended):  # a worker died: every book the
                ended = set(ended) | wait(flight, timeout=_KILL_GRACE)[0]    # pool held comes back so, at once
            broken = [f for f in ended if isinstance(f.exception(), BrokenProcessPool)]
            again = [flight.pop(f)[0] for f in broken] if len(broken) > 1 else []  # which one died is not known
            for future in ended:
                if future not in flight:
                    continue
                (n, args, sig), _ = flight.pop(future)
                try:
                    result = future.result()
                except Exception as exc:  # the worker converting it died (out of memory, killed)
                    result = BookResult(source=args[0])
                    _unreadable(result, "worker-died", error=type(exc).__name__)
                suspects.discard(n)
                done.add(n)
                finish(n, sig, result)
            if again:  # each goes on alone in a new pool: the one whose worker dies again is the one
                suspects.update(n for n, _, _ in again)
                return sorted(again, key=todo.index) + [item for item, _ in flight.values()] + list(reversed(queue))
            if not ended:  # the book handed first is past its limit and grace: its worker is held
                (n, args, sig), _ = flight.pop(first)
                for process in multiprocessing.active_children():  # the pool's: none of them can be told apart
                    process.kill()
                done.add(n)
                finish(n, sig, _timed_out(args[0], limit))
                return [item for item, _ in flight.values()] + list(reversed(queue))
        return []
    except BaseException:  # stopped (Ctrl-C): each worker was told to stop; one held in native code never hears it
        stop_by = time.monotonic() + _KILL_GRACE
        for process in multiprocessing.active_children():
            process.join(max(stop_by - time.monotonic(), 0))
            if process.is_alive():
                process.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- progress

class Progress:
    """Books done, books so far with errors and unreadable, time left: one updating line on a terminal, plain lines elsewhere."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.start = total, 0, time.perf_counter()
        self.with_errors = self.unreadable = self.unfilled = 0  # books so far, not the current book's findings
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def say(self, text: str) -> None:
        """A line of its own about the batch (not a book's), below the progress bar on a terminal."""
        self.stream.write(("\n" if self.tty and self.done < self.total else "") + text + "\n")
        self.stream.flush()

    def update(self, result: BookResult) -> None:
        self.done += 1
        self.with_errors += result.status == FINDINGS
        self.unreadable += result.status == UNREADABLE
        self.unfilled += result.status == UNFILLED
        elapsed = time.perf_counter() - self.start
        left = elapsed / self.done * (self.total - self.done)
        unfilled = f"、{UNFILLED} {self.unfilled}" if self.unfilled else ""
        status = (f"[{self.done}/{self.total}] 有錯誤 {self.with_errors}、無法讀取 {self.unreadable}{unfilled}，"
                  f"預估剩餘 {int(left // 60)}:{int(left % 60):02d}")
        if self.tty:
            width = 30
            bar = "█" * (width * self.done // self.total) + "░" * (width - width * self.done // self.total)
            self.stream.write(f"\r{bar} {status}")
            if result.status in NOT_CONVERTED:
                self.stream.write(f"\n  {result.source}：{result.message}\n")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            line = f"{status} {result.source}：{result.status}"
            if result.message:
                line += f"（{result.message}）"
            self.stream.write(line + "\n")
        self.stream.flush()


# ---------------------------------------------------------------- the batch

_CODE: list[str] = []  # per process: code_version()'s answer


def code_version() -> str:
    """xlbudget's version and a fingerprint of its own files (each module's and data file's name, size and time):
    an output made by other code — an upgrade, or an edit while __version__ stayed the same — is never kept as
    up to date; its figures and findings may be the older code's. Once per process: ≈200 stat calls, a folder's
    files in name order, then its folders (as os.walk goes, without its joins and relpaths: 1.3 → 0.4 ms). The
    fingerprint: zlib's CRC-32 and Adler-32 of those lines, 16 hex digits (was SHA-1's first 12, whose OpenSSL took
    11.5 M instructions of every convert's start; zlib is loaded by zipfile already)."""
    if not _CODE:
        import zlib

        lines: list[str] = []

        def walk(folder: str, rel: str) -> None:
            try:
                with os.scandir(folder) as found:
                    entries = sorted(found, key=lambda e: e.name)
            except OSError:  # a folder that cannot be listed is left out, as os.walk leaves it
                return
            folders = []
            for entry in entries:
                if entry.is_dir():
                    if entry.name != "__pycache__" and not entry.is_symlink():  # os.walk follows no link
                        folders.append(entry)
                elif entry.name.endswith((".py", ".json", ".csv")):
                    st = entry.stat()
                    lines.append(f"{rel}{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\n")
            for entry in folders:
                walk(entry.path, f"{rel}{entry.name}/")

        walk(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "")
        text = "".join(lines).encode()
        _CODE.append(f"{__version__}+{zlib.crc32(text):08x}{zlib.adler32(text):08x}")
    return _CODE[0]


def _signature(source: Path, fmt: str, mark: bool) -> dict:
    st = source.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "format": fmt, "mark": mark, "version": code_version()}


class ConvertInterrupted(KeyboardInterrupt):
    """convert stopped by Ctrl-C or SIGTERM: its text says what was done, what was not, and how to resume."""


@contextmanager
def _stop_on_signal():
    """Ctrl-C and SIGTERM end the run as KeyboardInterrupt in this process, after telling the workers to stop
    (each removes its temporary file). Outside the main thread the handlers stay as they are."""
    import signal
    import threading

    def stop(signum, frame):
        for pid in list(_children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        if "multiprocessing" in sys.modules:  # the pool of platforms without fork
            for worker in sys.modules["multiprocessing"].active_children():
                worker.terminate()
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {sig: signal.signal(sig, stop) for sig in _stop_signals()}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def convert_paths(paths: list[str], outdir: str, jobs: int | None = None, mark: bool = False, fmt: str = "xlsx",
                  force: bool = False, stream=None, timeout: float | None = DEFAULT_TIMEOUT, *, collect: bool | None = None
                  ) -> tuple[int, list[BookResult]]:
    """Convert every book under ``paths`` into ``outdir``; returns (exit code, results). A book not done in
    ``timeout`` seconds (None or 0: no limit) is given up (book-timeout) and the batch goes on.

    The cyclic garbage collector waits until the books begin, then runs between them (each book pauses it) and
    after them: ``collect`` says whether it is to run (None: as it is found; the command line pauses it before
    the batch and says True).

    Stopped by Ctrl-C or SIGTERM, it leaves no temporary file, remembers the books done (a re-run skips them)
    and raises ConvertInterrupted saying so.
    """
    state: dict = {}
    # the collector waits until the books begin (_convert_paths gives it back there): the objects the imports made
    # while it waited (cli.main) are many, and the first collections after it was given back walked them all for
    # nothing before the workers fork, as the output folder was looked at and the books found
    collecting = gc.isenabled() if collect is None else collect
    gc.disable()
    with _stop_on_signal():
        try:
            return _convert_paths(paths, outdir, jobs, mark, fmt, force, stream, state, timeout, collecting)
        except KeyboardInterrupt:
            raise _interrupted(state) from None
        finally:
            if collecting:
                gc.enable()
            _await_workers()
            if state.get("held") is not None:
                os.close(state["held"])  # the folder free for the next run (a killed run's lock goes with it)


def _hold_folder(out: Path) -> int | None:
    """OUTDIR held for this run alone (an exclusive flock on the folder itself, no file of its own), or UsageError
    when another convert holds it: two runs at once in one folder (two officers, or a run started again in another
    window) would each write the manifest and 轉換摘要 over the other's: one run's 轉換摘要 where the other says its
    own is. None where the folder cannot be locked (Windows, a file system without locks): the run goes on as
    before."""
    try:
        import fcntl
    except ImportError:
        return None
    try:
        fd = os.open(out, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise UsageError(f"輸出資料夾 {out} 正有另一個 xlbudget convert 在寫入，未轉換任何預算書；請等它結束後再執行"
                         f"（兩個轉換同時寫入同一資料夾，會互相取代對方的輸出、紀錄與轉換摘要），或以 -o 指定另一個資料夾") from None
    except OSError:
        os.close(fd)
        return None
    return fd


def _interrupted(state: dict) -> ConvertInterrupted:
    """What an interrupted run did: the books done are kept in the manifest, so the same command resumes."""
    if "manifest" not in state:
        return ConvertInterrupted("已中斷：尚未開始轉換，輸出資料夾未寫入任何預算書。")
    _save_json(state["manifest_path"], state["manifest"])
    remove_stale_temps(state["out"])  # a worker killed as it would not stop leaves its temporary file
    results, todo = state["results"], state["todo"]
    done = sum(results[n] is not None for n, _, _ in todo)
    aside = state.get("summaries_aside")
    summary = (f"轉換摘要未更新（上次的轉換摘要已改名為 {'、'.join(aside)}，不是本次的結果，請勿使用）" if aside else
               "轉換摘要未更新")
    return ConvertInterrupted(
        f"已中斷：本次已轉換 {done} 本（已寫入 {state['out']}），未完成 {len(todo) - done} 本（沒有留下未寫完的檔案），"
        f"{summary}。再執行同一指令即可接續：已轉換且未變更的預算書會略過。")


def _cached(entry: dict) -> BookResult | None:
    """Last run's result of a book up to date, from its manifest entry; None where the entry holds no result of
    this version's fields (edited by hand, or written by another version): the book is converted again."""
    try:
        return BookResult(**entry["result"])
    except (KeyError, TypeError):
        return None


def _convert_paths(paths, outdir, jobs, mark, fmt, force, stream, state: dict, timeout=None, collect: bool = False
                   ) -> tuple[int, list[BookResult]]:
    """convert_paths' batch, called with the collector paused: ``collect``, it is given back as the books begin,
    in --jobs once what is made so far is frozen (_warmed), so that no collection walks it."""
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"輸出位置 {out} 是一個檔案；-o 請指定資料夾（不存在時會自動建立）")
    out.mkdir(parents=True, exist_ok=True)
    state["held"] = _hold_folder(out)  # before anything is read or written there: another run's manifest, 轉換摘要
    _refuse_summary_unwritable(out, "未轉換任何預算書")  # found before the books' minutes, not after
    removed = remove_stale_temps(out)  # left by a run killed outright (SIGKILL, power cut): ours by name only
    books, passed = discover_all(paths, exclude=out)
    # a folder given that is OUTDIR (or inside it), or a glob matching files there only, has only our outputs, never
    # read as books: said so, not «沒有任何檔案» or «沒有符合»
    passed = [_given_output(p, out) for p in passed]
    suffix = (lambda f: ".xlsm" if f.suffix.lower() == ".xlsm" else ".xlsx") if fmt == "xlsx" else (lambda f: f".{fmt}")
    # room to set an output aside as NAME.過期; never the name of 轉換摘要 or the manifest, written after the books
    manifest_path = out / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    # a manifest of another shape (edited by hand, a file of another program's under its name: «[1, 2]») was an
    # internal error with a traceback's words; it is no record of this folder's books, and an entry of another shape
    # none of its book's: the books are converted again, as with no manifest
    manifest = {name: entry for name, entry in manifest.items() if isinstance(entry, dict)
                and isinstance(entry.get("source", ""), str) and isinstance(entry.get("result", {}), dict)
                } if isinstance(manifest, dict) else {}
    # each book's resolved path, made once: its manifest entry's source, looked up here, at its end and in
    # _retire_orphans (a resolve is os.path.realpath: an lstat a folder of the path, 0.1 M instructions)
    sources = [str(src.resolve()) for src, _ in books]
    # each book keeps the output name it had last run (a book new this run never takes it): by its manifest entry
    last_names = {entry["source"]: name for name, entry in manifest.items() if entry.get("source")}
    names = output_names(books, suffix, room=name_bytes(STALE_SUFFIX), taken=(SUMMARY_XLSX, SUMMARY_JSON, MANIFEST),
                         kept=[last_names.get(source) for source in sources])
    results: list[BookResult | None] = [None] * len(books)
    todo = []
    aside: dict[int, str] = {}  # book → what was said of the file found at its output's name (_set_aside)
    inputs = _file_ids(src for src, _ in books)
    earlier = {name: file_stamp(out / name) for name in names}  # each output as it was before this run
    for n, ((src, _), name) in enumerate(zip(books, names)):
        if _file_id(out / name) in inputs:  # a book named inside OUTDIR: its output would be written over an input
            results[n] = BookResult(source=str(src))
            _unreadable(results[n], "output-is-input", name=name, folder=str(out),
                        source=next(str(s) for s, _ in books if _file_id(s) == _file_id(out / name)))
            continue
        entry = manifest.get(name)
        try:
            signature = _signature(src, fmt, mark)
        except OSError:
            signature = None
        # an output changed since convert wrote it (the officer's edits, a file put there under its name, a run
        # killed before its manifest) is not up to date, nor convert's to replace: set aside, the book converted again
        ours = earlier[name] is None or bool(entry) and list(earlier[name][2:]) == entry.get("output", earlier[name][2:])
        if (not force and ours and entry and signature and entry.get("signature") == signature
                and entry.get("source") == sources[n] and (out / name).exists()):
            cached = _cached(entry)
        else:
            cached = None
        if cached is not None:
            cached.status, cached.reason = SKIPPED, "up-to-date"
            cached.message = make_finding("up-to-date", None).message
            results[n] = cached
        else:
            if not ours:
                aside[n] = _set_aside(out / name)
            todo.append((n, (str(src), str(out / name), fmt, mark), signature))
    state.update(out=out, manifest=manifest, manifest_path=manifest_path, results=results, todo=todo,
                 known=set(manifest), sources=sources)
    if todo:  # from the first book written on, last run's 轉換摘要 no longer tells this folder: aside until this run's
        state["summaries_aside"] = _set_aside_summaries(out)
    progress = Progress(len(books) + len(passed), stream)
    if removed:
        progress.stream.write(stale_temps_line(removed, out) + "\n")
    for r in results:
        if r is not None:
            progress.update(r)
    jobs = max(1, jobs or os.cpu_count() or 1)

    def finish(n: int, sig, result: BookResult) -> None:
        results[n] = result
        if n in aside:
            result.message = f"{result.message}；{aside[n]}" if result.message else aside[n]
        _remember(manifest, names[n], result, sig, sources[n], file_stamp(out / names[n]))  # before it is shown as done
        if result.status in (OK, FINDINGS) and names[n].count(SHORTENED_MARK) > books[n][1].count(SHORTENED_MARK):
            note = make_finding("output-name-shortened", None, name=books[n][1], output=names[n]).message
            result.message = f"{result.message}；{note}" if result.message else note
        if result.status in NOT_CONVERTED:
            _retire_stale(out / names[n], result, inputs, earlier[names[n]])
        progress.update(result)

    writer = None  # a worker kept to write 轉換摘要 (_SummaryWriter)
    try:
        if jobs == 1 or len(todo) <= 1:
            with _warmed(fmt, mark) if todo else nullcontext():  # what the first book would import, made first
                if collect:  # after the freeze, as below
                    gc.enable()
                for n, args, sig in todo:
                    finish(n, sig, _task(args, timeout))
        else:
            # the largest books first: one started last would keep its worker busy while the others wait at the end
            largest = sorted(todo, key=lambda t: t[2]["size"] if t[2] else 0, reverse=True)
            with _warmed(fmt, mark):
                if collect:  # after the freeze: the collector's counts start again from none
                    gc.enable()
                writer = (_forked if _FORK else _pooled)(largest, min(jobs, len(todo)), fmt, mark, finish, timeout,
                                                         progress.say)
            if any(r is not None and r.reason in ("book-timeout", "worker-died") for r in results):
                remove_stale_temps(out)  # a worker killed mid-write leaves its temporary file; none writes a book now
        return _conclude(state, writer, paths, books, names, passed, inputs, progress)
    except BaseException:
        if writer is not None:  # stopped (Ctrl-C) or failed: the worker stops, its temporary file gone, before
            writer.close(stop=True)  # the batch says what was done (_interrupted)
        raise


def _conclude(state: dict, writer: _SummaryWriter | None, paths, books, names: list[str], passed: list, inputs: set,
              progress: Progress) -> tuple[int, list[BookResult]]:
    """The batch's end, every book done: the rows of the books and paths not converted, the manifest and 轉換摘要
    (written by ``writer`` meanwhile, if any), the books left out of the 彙總 said; (exit code, every row)."""
    out, manifest, manifest_path, results = state["out"], state["manifest"], state["manifest_path"], state["results"]
    final = [r for r in results if r is not None]
    for r in final:  # a book open in Excel as it is read: its last save, which may not be what the officer sees
        _said_open(r, progress)
    # a book moved out since last run, or found under another output name
    for orphan in _retire_orphans(manifest, out, paths, state["sources"], names, inputs, results, progress.say):
        final.append(orphan)
        progress.say(f"{orphan.source}：{orphan.message}")
    for p in passed:  # every path given or found that was not converted, with why
        result = BookResult(source=p.source, status=p.status, message=p.message, reason=p.reason)
        if p.status == UNREADABLE:  # a path given that is not there, or no book: 無法讀取 as a book that is
            _failed(result, p.reason, p.message)
        final.append(result)
        progress.update(result)
    try:
        aside = state.get("summaries_aside")
        _refuse_summary_unwritable(out, f"本次的預算書已轉換並寫入 {out}，" + (  # opened meanwhile
            f"上次的轉換摘要已改名為 {'、'.join(aside)}（不是本次的結果）" if aside else "轉換摘要仍是上次的"), bool(aside))
    except XlbudgetError:
        _save_json(manifest_path, manifest)  # the books done are not done again
        raise
    if writer is not None:
        writer.start(final, out)  # 轉換摘要 is written meanwhile
    # the entries this run added in the books' order, as --jobs 1 adds them, not in the order the workers ended them
    # (the largest first): the same manifest, byte for byte, whatever --jobs
    place = {name: n for n, name in enumerate(names)}
    for name in sorted((k for k in manifest if k not in state["known"]), key=place.__getitem__):
        manifest[name] = manifest.pop(name)
    _save_json(manifest_path, manifest)
    if writer is not None:
        writer.finish(final, out)
    else:
        write_summary(final, out)
    for name in (SUMMARY_XLSX, SUMMARY_JSON):  # one set aside by this run or a stopped one: superseded, now written
        try:
            os.unlink(out / (name + STALE_SUFFIX))
        except OSError:
            pass
    left_out = [r for r in final if r.left_out]
    if left_out:  # said where the officer looks, not only in the 彙總 sheet
        progress.stream.write(f"彙總合計未列入 {len(left_out)} 本（詳見 {out / SUMMARY_XLSX}「{LEFT_OUT_TITLE}」）：\n"
                              + "".join(f"  {r.left_out_note}（{r.left_out}）\n" for r in left_out))
        progress.stream.flush()
    if any(r.status in NOT_CONVERTED or r.reason in ARCHIVED_BOOKS for r in final):  # a zipped book: not converted
        return EXIT_UNREADABLE, final
    if any(r.errors for r in final) or any(r.left_out == "citywide-city-tie" for r in final):  # no 彙總: an error
        return EXIT_FINDINGS, final
    return EXIT_OK, final


def _refuse_summary_unwritable(out: Path, done: str, aside: bool = False) -> None:
    """OutputRefused (exit 2) when 轉換摘要.xlsx or .json in ``out`` may not be replaced: open in Excel (its ~$ lock
    file beside it) or read-only; said with convert's advice (close it and run again: the books done are not redone),
    never «以 -o 寫到另一個檔案», which for convert is another folder. ``done``: what this run did so far. ``aside``:
    last run's was set aside (_set_aside_summaries), so a lock file beside the name it had is one for it still."""
    from xlbudget.adapters.atomic import lock_file, refuse_unwritable, unwritable

    for name in (SUMMARY_XLSX, SUMMARY_JSON):
        rule = {"output-open": "summary-open", "output-read-only": "summary-read-only"}.get(unwritable(out / name))
        if rule is None and aside and lock_file(out / name):
            rule = "summary-open"
        if rule:
            refuse_unwritable(out / name, rule, done=done)


def _given_output(p: Passed, out: Path) -> Passed:
    """``p``, or what it is when a path given finds nothing but OUTDIR's files: folder-is-output for a folder that
    is OUTDIR (or inside it), glob-is-output for a glob whose every match is in OUTDIR."""
    import glob

    if p.reason == "folder-empty" and _inside(Path(p.source), out):
        rule = "folder-is-output"
    elif p.reason == "glob-empty" and any(_inside(Path(m), out) for m in glob.glob(p.source, recursive=True)):
        rule = "glob-is-output"
    else:
        return p
    return Passed(p.source, UNREADABLE, make_finding(rule, None, name=p.source, out=str(out)).message, rule)


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it, once resolved."""
    try:
        path, folder = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return path == folder or folder in path.parents


def _file_id(path: Path) -> tuple[int, int] | None:
    """The file ``path`` names (device, inode: one file under two names, another case of its name on a
    case-insensitive disk, a hard link), or None when there is none."""
    stamp = file_stamp(path)
    return stamp[:2] if stamp else None


def _file_ids(paths) -> set:
    """The files ``paths`` name (``_file_id``), those that exist."""
    return {i for i in map(_file_id, paths) if i is not None}


def _retire_stale(target: Path, result: BookResult, inputs: set, earlier: tuple | None = None) -> None:
    """A book that failed this run leaves no output that looks current: its output of an earlier run (the
    officer, or the budget office's own 彙總, would take last run's figures for this run's) is renamed
    NAME.xlsx.過期, and the book's 說明 says so; never an input. ``earlier``: the output as it was before this run
    (``file_stamp``); one that is not (a worker killed after writing it, before its result came back) is this run's,
    set aside alike (no result vouches for it) and said to be this run's."""
    try:
        if not (target.is_file() or target.is_symlink()) or _file_id(target) in inputs:
            return
    except OSError:  # a name this file system cannot hold (too long) holds no earlier output
        return
    rule = "stale-output-renamed" if file_stamp(target) == earlier else "unfinished-output-renamed"
    renamed = target.with_name(target.name + STALE_SUFFIX)
    try:
        os.replace(target, renamed)
        note = make_finding(rule, None, name=target.name, renamed=renamed.name).message
    except OSError as exc:  # open in Excel (Windows), or a read-only folder: said, the file as it was
        note = make_finding("stale-output-kept", None, name=target.name, folder=str(target.parent),
                            error=exc.strerror or type(exc).__name__).message
    result.message = f"{result.message}；{note}" if result.message else note


def _set_aside_summaries(out: Path) -> list[str]:
    """Last run's 轉換摘要.xlsx and .json renamed NAME.過期 as this run starts writing books, so a run stopped midway
    (Ctrl-C, a kill, a power cut) leaves no 轉換摘要 that tells other outputs than the folder's as the current one;
    the names set aside (removed once a run's own is written). One that cannot be renamed stays, as before."""
    aside = []
    for name in (SUMMARY_XLSX, SUMMARY_JSON):
        try:
            os.replace(out / name, out / (name + STALE_SUFFIX))
        except OSError:  # none (a first run), or open in Excel on Windows
            continue
        aside.append(name + STALE_SUFFIX)
    return aside


def _set_aside(target: Path) -> str:
    """A file at an output's name that convert did not write as it is (no manifest entry vouches for its size and
    time: edited since, or put there): renamed NAME.xlsx.過期 (NAME.xlsx-2.過期… when that is taken, never over
    another file), so converting the book again replaces nothing unsaid; what was done, for the book's 說明."""
    for k in range(1, 100):
        renamed = target.with_name(target.name + (f"-{k}" if k > 1 else "") + STALE_SUFFIX)
        try:
            if renamed.exists() or renamed.is_symlink():
                continue
            os.replace(target, renamed)
        except OSError as exc:
            error = exc.strerror or type(exc).__name__
            break
        return make_finding("output-changed-renamed", None, name=target.name, renamed=renamed.name).message
    else:
        error = "已有太多同名的 .過期 檔"
    return make_finding("output-changed-replaced", None, name=target.name, error=error).message


def _remember(manifest: dict, name: str, result: BookResult, signature, source: str, written: tuple | None = None
              ) -> None:
    """The manifest's entry for output ``name``: its book (``source``, its path resolved), the book's signature, the
    result and, ``written``, the output as convert wrote it (``file_stamp``: told apart from a file put there since)."""
    if result.status in (OK, FINDINGS) and signature:
        manifest[name] = {"source": source, "signature": signature, "result": result.record()}
        if written:
            manifest[name]["output"] = list(written[2:])
    else:
        manifest.pop(name, None)


def _said_open(result: BookResult, progress: Progress) -> None:
    """A warning on the row (and a line on the terminal) of a book read with its lock file beside it (~$甲.xlsx: open
    in Excel, perhaps being typed in): what was converted is its last save. Never kept in the manifest: said on
    every run the lock is there, on no run after."""
    from xlbudget.adapters.atomic import lock_file

    if result.status not in (OK, FINDINGS, SKIPPED):
        return
    lock = lock_file(result.source)
    if lock is None:
        return
    note = make_finding("book-open-read", None, lock=lock[0].name, program=lock[1], read="轉換的", again="轉換").message
    result.message = f"{result.message}；{note}" if result.message else note
    result.warnings += 1
    progress.say(f"{result.source}：{note}")


def _retire_orphans(manifest: dict, out: Path, paths, sources: list[str], names: list[str], inputs: set,
                    results: list, say) -> list[BookResult]:
    """Rows for last run's outputs whose book is no longer found where this run looked (moved out of the folder, as
    convert advises for a 預算案 beside its 修正版; renamed; deleted): each set aside as NAME.xlsx.過期, as a failing
    book's output is (_retire_stale), and named (``output-orphaned``) in 轉換摘要 and on the terminal, so no one takes
    it for one of this run's books. Only an output the manifest says convert wrote, as it wrote it (size, time), never
    an input; a book under no path given this run (convert of one file into a folder's OUTDIR) is not looked for.
    A book under a glob given (各機關/*.xlsx) is looked for when the glob would name it.
    A book found this run under another output name (a folder given above or below last run's: 教育/甲局.xlsx's
    甲局.xlsx then 教育__甲局.xlsx; a collision's «-2» gone) has last run's output under its old name set aside alike,
    said on its own row (``results``, aligned with ``sources``: each book found, its path resolved) and by ``say`` on
    the terminal."""
    found = {source: n for n, source in enumerate(sources)}
    current = {name.lower() for name in names}
    rows = []
    for name, entry in sorted(manifest.items()):
        source = entry.get("source", "")
        if name.lower() in current or not source:
            continue
        mine = found.get(source)  # the book is here, its output now under another name
        if mine is None and not any(_matched(Path(source), p) if any(ch in p for ch in "*?[") else
                                    _inside(Path(source), Path(p)) for p in paths):
            continue
        target, written = out / name, entry.get("output")
        stamp = file_stamp(target)
        if stamp is None or written and list(stamp[2:]) != written or _file_id(target) in inputs:
            manifest.pop(name)  # gone, or not as convert wrote it (the officer's file now): not ours to set aside
            continue
        if mine is not None:
            if results[mine] is not None:
                before = results[mine].message
                _retire_stale(target, results[mine], inputs, stamp)
                say(f"{results[mine].source}：{results[mine].message[len(before):].lstrip('；')}")
            if not target.exists():
                manifest.pop(name)
            continue
        row = BookResult(source=source, status=NOT_A_BOOK, reason="output-orphaned",
                         message=make_finding("output-orphaned", None, name=name).message)
        _retire_stale(target, row, inputs, stamp)
        if not target.exists():
            manifest.pop(name)  # set aside: said once; one that could not be is said again next run
        rows.append(row)
    return rows


def _matched(source: Path, pattern: str) -> bool:
    """Whether the glob ``pattern`` (as discovery expands it: recursive, «**» any folders) names ``source``, a file
    that may be gone: its part before the first wildcard resolved, each name after it matched in turn (fnmatch's case,
    as glob matches on Linux; a «*» never crosses a folder)."""
    from fnmatch import fnmatchcase

    parts = Path(pattern).parts
    fixed = next(i for i, part in enumerate(parts) if any(ch in part for ch in "*?["))
    try:
        names = source.relative_to(Path(*parts[:fixed]).resolve() if fixed else Path.cwd().resolve()).parts
    except (ValueError, OSError, RuntimeError):
        return False

    def match(i: int, j: int) -> bool:
        if i == len(parts):
            return j == len(names)
        if parts[i] == "**":
            return any(match(i + 1, k) for k in range(j, len(names) + 1))
        return j < len(names) and fnmatchcase(names[j], parts[i]) and match(i + 1, j + 1)

    return match(fixed, 0)


def _save_json(path: Path, data) -> None:
    """The manifest, as JSON. A file name Linux gave in bytes that are not UTF-8 (Big5, surrogate-escaped by Python)
    is kept as it is, in \\u escapes (json reads them back as the same name), never shown with U+FFFD as
    write_text_atomic would write it: that name matched no book, so a re-run converted the book again every time."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, indent=1)  # ASCII: a lone surrogate is written as its escape, read back as itself
    write_text_atomic(path, text)


__all__ = ["convert_paths", "convert_one", "discover", "output_names", "BookResult", "write_summary", "OK", "FINDINGS",
           "UNREADABLE", "UNFILLED", "SKIPPED", "NOT_A_BOOK", "SUMMARY_XLSX", "SUMMARY_JSON",
           "citywide_tables", "INPUT_SHEETS"]
