"""Command line: xlbudget new | build | demo | export | check | convert | pdf | next-year | compare."""

from __future__ import annotations

from xlbudget import defer

# in the command line's own process only, whose code is all ours and runs on one thread: inspect runs on its first
# use (xlbudget.defer). Not on every import of xlbudget: the add-in's process (xlwings, xlwings Lite) holds code of
# others that may look into a module's __dict__ or reach it from two threads at once before its first use.
# hashlib: loads OpenSSL (_hashlib, 11.5 M instructions, callgrind) for XlsxWriter's image.py, which digests an
# image never inserted here; forms.overwrite's digests import it when a book has recorded tables. bz2 and lzma (with
# _compression, 4.5 M): zipfile and shutil import them for a member or an archive so compressed, which no xlsx
# holds; a .zip of books an office sends may (7-Zip makes them): read as ever, the module run as it is first used
defer("inspect")
defer("hashlib")
defer("bz2")
defer("lzma")

from xlbudget.core import patterns  # noqa: E402

# the stored patterns put in re's cache before argparse is imported: gettext, which argparse imports, compiles its
# plural-forms pattern (stored among the foreign ones) as it is imported, 2.9 M instructions of every command's
# start when compiled (callgrind); made from the store, none (tests/test_pattern_code.py). main reads it anyway.
patterns.preload()

import argparse  # noqa: E402
import codecs  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from xlbudget import __version__  # noqa: E402
from xlbudget.core.errors import InputError, UsageError, XlbudgetError  # noqa: E402

if TYPE_CHECKING:
    from xlbudget.core.findings import Finding

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_PIPE_CLOSED = 141  # what a shell reports for a program its reader stopped reading (128 + SIGPIPE)
DEMO_OUTPUT = "高雄市政府資訊中心113年度單位預算書.xlsx"
TEMPLATE_OUTPUT = "單位預算書範本.xlsx"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def output_path(given: str | Path, default_name: str, suffixes: tuple[str, ...] = (".xlsx",)) -> Path:
    """Where to write: ``given``, or ``default_name`` inside it when it is a folder; a wrong suffix is refused.

    A workbook written under another extension (``foo.csv``) would not open in
    Excel: the officer is told which name to give instead (UsageError, exit 2).
    """
    path = Path(given)
    if path.is_dir() or str(given).endswith(("/", os.sep)):
        from xlbudget.adapters.atomic import fit_name

        default = Path(default_name)  # made of a book's name (比較-舊-新.txt, 甲-新年度.xlsx): cut to what a disk holds
        path = path / fit_name(default.stem, default.suffix)
    if path.suffix.lower() not in suffixes:
        wanted = "、".join(suffixes)
        raise UsageError(f"輸出檔名 {path.name} 的副檔名應為 {wanted}（例如 {path.stem or '預算書'}{suffixes[0]}）；"
                         "未寫入任何檔案")
    return path


def new_output(path: Path, force: bool, source: Path | None = None) -> Path:
    """``path``, which a command is about to write, when it may be written by the one rule of every door
    (atomic.output_exists: new, build -o, demo, check --mark -o, compare, export -o, pdf with or without -o,
    next-year). An existing file is replaced only with ``--force``: else UsageError (exit 2) naming it, and nothing
    written (field report 4 §2: an officer's book lost to ``demo`` or ``-o`` without a word). ``source``, the book read: writing it back is build's and check --mark's
    in-place write, which keeps a backup copy first, as without ``-o``. convert keeps its output folder by its own
    rule (a book's output is redone when the book changed)."""
    from xlbudget.adapters.atomic import output_exists

    if not output_exists(path, force, source):
        return path
    from xlbudget.core.findings import RULES

    raise UsageError(RULES["output-exists"].template.format(name=path))


def output_format(args, suffixes: dict[str, tuple[str, ...]], default: str) -> tuple[str, tuple[str, ...]]:
    """The format a command writes, and the suffixes its -o may have: --format when given; else the format -o's
    suffix names (``-o 匯出.csv`` is CSV, never JSON under a .csv name), else ``default`` and any format's suffix
    (so a name no format has is refused listing them all). ``suffixes``: each format's, its own first."""
    if args.format:
        return args.format, suffixes[args.format]
    named = Path(args.output).suffix.lower() if args.output else ""
    fmt = next((f for f, known in suffixes.items() if named == known[0]), default)
    return fmt, tuple(dict.fromkeys(s for known in suffixes.values() for s in known))


def _workbook_output(source: Path, given: str | None, reads_ods: bool = False) -> Path:
    """The workbook a build or a --mark writes: the source itself, or ``-o`` (a file, or a folder for the source's name).

    An .xlsm keeps its macros only under .xlsm, and an .xlsx cannot carry them: the output keeps the source's kind.
    A folder given as BOOK (``.``, which has no name to take) is refused as every reader refuses one, before the
    output's name is made from it. ``reads_ods``: the command reads an .ods given -o (build, check --mark), so an .ods
    without it is refused as a book never written back (ods-not-written: 請加 -o), not as one it cannot read.
    """
    if not given or source.is_dir():
        if source.suffix.lower() not in WORKBOOK_SUFFIXES:
            from xlbudget.adapters.xlsxfile import is_readable_ods, open_workbook

            if reads_ods and is_readable_ods(source):
                from xlbudget.core.findings import make_finding

                raise InputError(make_finding("ods-not-written", None, name=source.name), source.name)
            open_workbook(source)  # what is wrong with the source comes first (.xls: how to convert it)
            raise UsageError(f"{source.name} 不是 .xlsx／.xlsm，無法寫回原檔；請以 -o 指定輸出檔（.xlsx）")
        return source
    kind = source.suffix.lower() if source.suffix.lower() in WORKBOOK_SUFFIXES else ".xlsx"
    return output_path(given, source.with_suffix(kind).name, (kind,))


def _clear_stale_temps(folder: Path, stream=None) -> None:
    """Our temporary files an earlier run killed outright left in ``folder``, which this command writes
    (.~xlbudget-XXXXXXXX.xlsx: a broken file the officer sees beside his book on Windows), removed and said, as convert
    does for its output folder (field report 11 §3.2). A run still writing its own is passed over (atomic._in_use)."""
    from xlbudget.adapters.atomic import remove_stale_temps, stale_temps_line

    try:
        removed = remove_stale_temps(folder)
    except OSError:  # the folder not listable: the write itself will say what is wrong
        return
    if removed:
        print(stale_temps_line(removed, folder), file=stream or sys.stdout)


def _print_findings(findings: list[Finding], source: str, counts: bool = False, sheet_order=()) -> None:
    """One line per finding, each once (``unique_findings``, as check lists them), in ``in_reading_order`` as 檢核結果
    lists them (``sheet_order``: the book's tabs)."""
    from xlbudget.core.findings import in_reading_order, marked_cells, unique_findings
    from xlbudget.forms.results import count_summary, severity_counts

    findings = unique_findings(findings)
    for f in in_reading_order(findings, sheet_order):
        where = f"{source}:{f.cell.sheet}!{f.cell.cell}" if f.cell else source
        together = [c.cell if c.sheet == f.cell.sheet else f"{c.sheet}!{c.cell}" for c in marked_cells(f)[1:]]
        if together:
            where += "（與 " + "、".join(together) + "）"
        print(f"[{f.severity.value}] {where} {f.rule}: {f.message}")
    if counts:
        print(count_summary(severity_counts(findings)))


def cmd_new(args) -> int:
    from xlbudget.app.template import new_template
    from xlbudget.adapters.xlsxfile import save_atomic

    path = new_output(output_path(args.path, TEMPLATE_OUTPUT), args.force)
    save_atomic(new_template(), path)
    print(f"已建立範本 {path}")
    return EXIT_OK


def cmd_build(args) -> int:
    from xlbudget.app.pipeline import build_file

    source = Path(args.book)
    output = _workbook_output(source, args.output, reads_ods=True)
    _clear_stale_temps(output.parent)
    result = build_file(args.book, new_output(output, args.force, source))
    if result.backup:
        _print_backup(result.backup, Path(args.book))
    # a book with errors is still built (the officer reads the tables to find them), said so and exit 1, as pdf does
    errors = result.errors
    print(f"已產生 {len(result.tables)} 張預算表：{result.output}" + _errors_said(errors, "請修正後再產生"))
    for t in result.tables:
        print(f"  - {t.title}")
    if result.not_carried:  # an .ods built into an .xlsx: the officer's own sheets stay in the .ods alone
        print(result.not_carried)
    _print_findings(result.findings, Path(args.book).name, counts=bool(result.findings))
    _print_remarked(result.remarked)
    return EXIT_FINDINGS if errors else EXIT_OK


BACKUPS_SAID = 10  # backups of one book beside it from which build and check --mark say how many there are


def _print_backup(backup: Path, source: Path, stream=None) -> None:
    """«原檔已備份為 …», and past BACKUPS_SAID backups of the book beside it, how many and their size: xlbudget never
    removes one (the oldest may be the only copy of what a wrong build replaced), the officer does (field report 11
    §5.3: five builds, five backups, 2 MB each for a 2,500-line book)."""
    from xlbudget.adapters.xlsxfile import backups_of

    stream = stream or sys.stdout
    print(f"原檔已備份為 {backup}", file=stream)
    made = backups_of(source)
    if len(made) >= BACKUPS_SAID:
        size = sum(f.stat().st_size for f in made) / 2**20
        print(f"{source.parent} 中已有 {source.name} 的備份 {len(made)} 個（共 {size:,.1f} MB，最早的是 {made[0].name}）；"
              "xlbudget 不會自行刪除備份，不需要的請自行刪除", file=stream)


def _print_remarked(remarked) -> None:
    """What build did to an earlier check --mark's 檢核結果 and marks (app.check.remark_built): checked and marked
    again, or left as they were, said so."""
    if remarked is None:
        return
    from xlbudget.forms.results import count_summary, severity_counts

    if remarked.kept:
        print("「檢核結果」工作表與各格標示是產生報表之前的檢核，已不適用；本書重新標示會遺失圖片、圖案或文字方塊，"
              "未更新：請在 Excel 中按「檢核」更新，或按「清除標示」移除")
        return
    print("本書有上次檢核的標示：已重新檢核產生後的活頁簿，「檢核結果」與各格標示已更新（"
          + count_summary(severity_counts(remarked.report.findings)) + "）")
    _print_cleared(remarked.cleared, sys.stdout)


def _errors_said(errors: int, remedy: str, whose: str = "本書") -> str:
    """The end of build's, pdf's and next-year's «written» line for a book with errors: the count, and what to do
    (``whose``: the book that has them, next-year's the book it read)."""
    return f"；但{whose}有錯誤 {errors} 項（見下列），{remedy}" if errors else ""


def cmd_demo(args) -> int:
    from xlbudget.app.example import example_workbook
    from xlbudget.readers.inputs import read_book
    from xlbudget.app.pipeline import build_workbook
    from xlbudget.adapters.xlsxfile import input_grids, save_atomic

    target = new_output(output_path(args.output or DEMO_OUTPUT, DEMO_OUTPUT), args.force)
    wb = example_workbook()
    book, findings = read_book(input_grids(wb, "範例"), "範例")
    tables, more = build_workbook(wb, book)
    out = save_atomic(wb, target)
    print(f"已產生範例預算書（{book.agency.name} {book.agency.year}年度，{len(book.expenses)} 個歲出細項）：{out}")
    for t in tables:
        print(f"  - {t.title}")
    _print_findings(findings + more, out.name)  # the findings' cells are the written book's
    return EXIT_OK


def cmd_export(args) -> int:
    from xlbudget.app.stale import EXPORTED_FROM_INPUTS, stale_on_disk
    from xlbudget.app.export import export_records, records_to_csv, records_to_json
    from xlbudget.adapters.atomic import write_text_atomic
    from xlbudget.adapters.books import read_inputs
    from xlbudget.derive.book import derive_all

    target = None
    fmt, suffixes = output_format(args, {"json": (".json", ".txt"), "csv": (".csv", ".txt")}, "json")
    if args.output:
        target = new_output(output_path(args.output, f"{Path(args.book).stem}.{fmt}", suffixes), args.force)
    try:
        book = read_inputs(args.book)[0]
    except InputError as exc:  # a hand-made book is told as one, as pdf and next-year tell it (field report 15 §2)
        from xlbudget.app.pipeline import refuse_printed_only

        refuse_printed_only(exc, Path(args.book), "export")
        raise
    tables = derive_all(book)
    records = export_records(book, tables)
    # the figures exported are the inputs' (what build prints); a book whose tables print others is told so, first
    stale = stale_on_disk(args.book, book, tables)
    if stale is not None:
        print(f"警告：{Path(args.book).name}：{stale.message}。{EXPORTED_FROM_INPUTS}", file=sys.stderr)
    text = records_to_json(records) if fmt == "json" else records_to_csv(records)
    if target is not None:
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        write_text_atomic(target, text, encoding=encoding)
        print(f"已匯出 {len(records)} 筆：{target}")
    else:
        sys.stdout.write(text)
    return EXIT_OK if stale is None else EXIT_FINDINGS


def cmd_check(args) -> int:
    import json

    from xlbudget.app.check import check_file, copy_unchanged, mark_by_splice, open_book, refuse_foreign_results, \
        refuse_losses
    from xlbudget.adapters.atomic import AsRead, same_file
    from xlbudget.adapters.xlsxfile import is_readable_ods
    from xlbudget.rules.checks import finding_record

    source = Path(args.book)
    as_read = AsRead(source)  # before the check reads it: written by another run (a build) since, no marks written
    if args.output and not (args.mark or args.clear):
        raise UsageError("-o 只用於 --mark 或 --clear（寫出標示後的活頁簿）；檢核結果請看畫面或加 --format json")
    marking = bool(args.mark or args.clear)
    # an .ods is marked into -o's .xlsx, as build writes one (ods-not-written without -o): its values and merged cells
    target = new_output(_workbook_output(source, args.output, reads_ods=True), args.force, source) if marking else None
    if marking:
        _clear_stale_temps(target.parent, sys.stderr if args.format == "json" else sys.stdout)
    unread = None  # --clear of a book that cannot be read (a marked input cell merged, a sheet renamed): cleared still
    try:
        # marks are spliced into the officer's own file (his pictures, text boxes and threads kept): the check reads
        # it as check without --mark does; openpyxl opens it only when it cannot be spliced
        try:
            report, wb, cached = check_file(source, workbook=False)
        except InputError as exc:
            if not args.clear:
                raise
            unread, report, wb, cached = exc, None, None, {}
        if marking:
            refuse_foreign_results(source)  # a 檢核結果 of the officer's is never replaced nor removed
        findings = report.findings if report is not None else []
        done = mark_by_splice(source, target, findings, args.clear, as_read) \
            if marking and not is_readable_ods(source) else None
        if marking and done is None and not is_readable_ods(source):
            refuse_losses(source)
            if unread is None:
                report, wb, cached = check_file(source, workbook=True)
            else:
                wb, cached = open_book(source)
    except InputError as exc:
        if args.format == "json":  # every input problem as data too: rule, sheet, cell (exit 2, text on stderr)
            print(json.dumps([finding_record(f) for f in exc.findings], ensure_ascii=False, indent=1))
        raise
    from_ods = marking and done is None and wb is None  # an .ods: its values and merges, as convert writes one
    if from_ods:
        from xlbudget.adapters.fastread import ods_workbook

        wb, cached = ods_workbook(source), {}
    cleared = None
    if marking and done is not None:
        backup, cleared = done
    elif marking:
        from xlbudget.adapters.marking import clear_marks, mark_workbook
        from xlbudget.adapters.xlsxfile import save_keeping_backup

        cleared = clear_marks(wb)  # the last marks, wherever the officer's rows and columns moved them
        if not args.clear:
            mark_workbook(wb, report.findings, source.name)
        if args.clear and not cleared.changed and not from_ods:  # never marked: not a byte rewritten
            backup = None if same_file(target, source) else copy_unchanged(source, target)
        else:
            # marks change no formula: the values check read
            backup = save_keeping_backup(wb, target, source, cached, as_read)
    if unread is not None:
        print(str(unread), file=sys.stderr)
        if args.format == "json":
            print(json.dumps([finding_record(f) for f in unread.findings], ensure_ascii=False, indent=1))
    elif args.format == "json":
        print(json.dumps([finding_record(f) for f in report.findings], ensure_ascii=False, indent=1))
    else:
        kind = "範本輸入" if report.kind == "template" else "手製預算表"
        print(f"檢核 {source.name}（{kind}）；讀取的預算表：{'、'.join(report.tables) or '無'}"
              + (_printed_narrative_said(report) if report.kind == "printed" else ""))
        _print_findings(report.findings, source.name, counts=True, sheet_order=report.sheets)
    if args.mark or args.clear:
        stream = sys.stderr if args.format == "json" else sys.stdout
        if backup:
            _print_backup(backup, source, stream)
        _print_cleared(cleared, stream)
        if args.clear and cleared is not None and not cleared.changed and not from_ods:
            print("沒有 xlbudget 的標示可清除：" + (f"{source} 未寫入，原檔未更動" if same_file(target, source)
                                             else f"{target} 與原檔相同"), file=stream)
        else:
            print(("已清除 xlbudget 標示：" if args.clear else "已標示檢核結果（見「檢核結果」工作表）：") + str(target)
                  + ("（由 .ods 的值與合併儲存格寫成，原檔的格式與公式未帶入）" if from_ods else "")
                  + (f"（上次的標示有 {len(cleared.lost)} 格找不到，見上）" if cleared and cleared.lost else ""),
                  file=stream)
        if unread is not None:
            print("（本書的輸入資料有誤，見上，未能檢核；xlbudget 的標示照樣清除）", file=stream)
    if unread is not None:
        return EXIT_OK
    return EXIT_FINDINGS if report.errors and not args.clear else EXIT_OK


def _printed_narrative_said(report) -> str:
    """What check of a hand-made book read of its words (field report 10 §2.4): its 預算總說明 sheet, or that it has
    none (預算總說明未檢核)."""
    return (f"；預算總說明：已檢核（工作表{'、'.join(f'「{n}」' for n in report.narrative)}）" if report.narrative
            else "；預算總說明未檢核：本書沒有預算總說明工作表")


def _print_cleared(cleared, stream) -> None:
    """What removing the last marks found besides (marking.cleared_lines; field report 6 §3.2: --clear said «已清除»
    and left moved marks)."""
    if cleared is not None:
        from xlbudget.adapters.marking import cleared_lines

        for line in cleared_lines(cleared):
            print(line, file=stream)


def cmd_pdf(args) -> int:
    from xlbudget.app.publish import publish_file

    source = Path(args.book)
    if source.is_dir():  # «.» has no name for BOOK.pdf to take: refused as every reader refuses a folder
        from xlbudget.adapters.xlsxfile import refuse_unreadable

        refuse_unreadable(source)
    beside = source.with_suffix(".pdf")  # without -o: BOOK.pdf beside the book, refused when it exists as any output is
    target = new_output(output_path(args.output, beside.name, (".pdf",)) if args.output else beside, args.force)
    from xlbudget.adapters.atomic import refuse_unwritable

    refuse_unwritable(target)  # a read-only folder or file is said before rendering, not after a minute of it
    limit = {} if args.timeout is None else {"timeout": args.timeout or None}  # 0: no limit; none given: by its pages
    # each rendering and its pages on stderr as it goes (a 2,000-line book renders for minutes: field report 12 §2.2)
    result = publish_file(source, target, **limit, progress=lambda line: print(line, file=sys.stderr, flush=True))
    body = max((last for _, last in result.ranges.values()), default=0)
    # a book with errors is still written (a draft to read), but said so on this line and by exit 1, as check does
    errors = result.errors
    cover = f"封面 {result.cover} 頁，" if result.cover else ""
    print(f"已輸出 PDF：{result.output}（共 {result.pages} 頁：{cover}目次 {result.pages - body - result.cover} 頁，"
          f"本文 {body} 頁）"
          + _errors_said(errors, "請修正後再出版"))
    for label, (first, last) in result.ranges.items():
        print(f"  {label}　第{first:02d}頁至第{last:02d}頁")
    _print_findings(result.findings, Path(args.book).name)
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_next_year(args) -> int:
    from xlbudget.adapters.atomic import same_file
    from xlbudget.app.pipeline import next_year_file

    # an .xlsm's next year may be an .xlsm, its macros carried (pipeline.next_year_file), or an .xlsx without them
    kinds = (".xlsx", ".xlsm") if Path(args.book).suffix.lower() == ".xlsm" else (".xlsx",)
    target = output_path(args.output, f"{Path(args.book).stem}-新年度{kinds[-1]}", kinds)
    if not same_file(target, args.book):  # the book itself: next_year_file's output-is-source
        new_output(target, args.force)
    _clear_stale_temps(target.parent)
    result = next_year_file(args.book, target, clear_amounts=args.clear_amounts, force=args.force)
    # this year's errors carried into the draft: said and exit 1, as build says and exits for the same book
    errors = result.errors
    print(f"已產生 {result.year} 年度輸入預算書：{result.output}（原檔 {Path(args.book).name} 未更動）"
          + _errors_said(errors, "已照原樣帶入新年度預算書，請一併修正", whose=f"原檔 {Path(args.book).name} "))
    print(result.source_line)
    if result.not_carried:
        print(result.not_carried)
    if result.formulas:
        print(result.formulas)
    if result.empty_finals:
        print(f"前年度決算數無法由本預算書帶入，請於決算公布後填入以下 {len(result.empty_finals)} 格：")
        for cell in result.empty_finals:
            print(f"  - {cell}")
    print("總說明的文字仍是本年度的內容，請改寫；標準數字句會在產生報表時重新產生。")
    if result.reminder:
        print(result.reminder)
    if args.clear_amounts:
        print("歲出明細、歲入明細的數量、單價、預算數已清空（細項保留）；填妥預算數後才能產生報表。")
    if result.macros == "carried":
        print(f"已帶入 {Path(args.book).name} 的巨集（VBA 專案）。工作表上的按鈕與自訂功能區（預算）未帶入："
              "請依 README「Desktop Excel (Windows, macOS)」一節第 5 步再加入。")
    elif result.macros == "left":
        print(f"{Path(args.book).name} 的巨集未帶入（{target.name} 是 .xlsx）；要保留巨集，請以 -o 指定 .xlsm 輸出檔。")
    _print_findings(result.findings, Path(args.book).name, counts=bool(result.findings))
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_compare(args) -> int:
    from xlbudget.adapters.atomic import fit_name, same_file, write_text_atomic
    from xlbudget.app.comparison import comparison_json, comparison_text, compared_names, first_lines, renamed_counts
    from xlbudget.app.pipeline import compare_files, comparison_workbook
    from xlbudget.adapters.xlsxfile import save_atomic

    old, new = Path(args.old), Path(args.new)
    fmt, suffixes = output_format(args, {"text": (".txt",), "json": (".json", ".txt"), "xlsx": (".xlsx",)}, "text")
    default = fit_name(f"比較-{old.stem}-{new.stem}", f".{'txt' if fmt == 'text' else fmt}")  # two long names: cut
    target = output_path(args.output or default, default, suffixes) if args.output or fmt == "xlsx" else None
    if target is not None and target.exists() and (same_file(target, old) or same_file(target, new)):
        raise UsageError(f"輸出檔 {target} 是被比較的預算書之一；請另取檔名")
    if target is not None:
        new_output(target, args.force)
    if old.is_dir() or new.is_dir():
        code = _compare_folders(fmt, old, new, target)
        _warn_same_path(old, new)
        return code
    result = compare_files(old, new)
    names = compared_names(old, new)  # 預算案/預算書.xlsx and 法定預算/預算書.xlsx, not 預算書.xlsx twice
    if target is not None:  # written to a file: what its first line says is said here too
        for said in first_lines(result):
            print(said)
    if fmt == "xlsx":
        save_atomic(comparison_workbook(result, *names), target)
        print(f"已寫出比較活頁簿：{target}（{len(result.figures)} 個數字不同，歲出明細 {len(result.lines)} 筆"
              f"{renamed_counts(result)}"
              f"{'' if result.complete else '；有未比較的數字，見「未比較」工作表'}）")
    else:
        text = comparison_json(result, *names) if fmt == "json" else comparison_text(result, *names)
        if target is not None:
            write_text_atomic(target, text)
            print(f"已寫出比較結果：{target}")
        else:
            sys.stdout.write(text)
    _warn_same_path(old, new)
    return EXIT_OK if result.same and result.complete else EXIT_FINDINGS  # not all compared: not shown the same


def _warn_same_path(old: Path, new: Path) -> None:
    """compare given one book (or folder) twice, as tab completion does: «均相同» is then always so, said with why
    on stderr, so the officer does not read his 預算案 and 法定預算 as the same (the comparison itself unchanged)."""
    from xlbudget.adapters.atomic import same_file

    if same_file(old, new):
        what = "資料夾" if old.is_dir() else "檔案"
        print(f"注意：舊、新兩個路徑 {old} 與 {new} 是同一個{what}，比較結果必定相同；"
              f"要比較兩本預算書（如 預算案 與 法定預算），請指定兩個不同的{what}", file=sys.stderr)


def _compare_folders(fmt: str, old: Path, new: Path, target: Path | None) -> int:
    """compare DIR_OLD DIR_NEW: each agency's book against its own (app/comparefolders). Exit 2 when a path is no
    folder or a book cannot be read (each named, the summary still written), else as compare: 0 every book paired
    and the same, 1 otherwise."""
    from xlbudget.adapters.atomic import write_text_atomic
    from xlbudget.app import comparefolders

    for path in (old, new):
        if not path.exists():  # «找不到 …», as a missing book is said to be, not «不是資料夾»
            from xlbudget.adapters.xlsxfile import refuse_unreadable

            refuse_unreadable(path)
        if not path.is_dir():
            raise UsageError(f"比較兩個資料夾時，兩個路徑都須為資料夾：{path} 不是資料夾"
                             "（比較兩本預算書時，兩個路徑都須為檔案）")
    result = comparefolders.compare_folders(old, new, exclude=target)
    if fmt == "xlsx":
        comparefolders.write_folder_workbook(result, target)
        print(f"已寫出比較摘要：{target}（{comparefolders.headline(result)}）")
    else:
        text = comparefolders.folder_json(result) if fmt == "json" else comparefolders.folder_text(result)
        if target is not None:
            write_text_atomic(target, text)
            print(f"已寫出比較結果：{target}")
        else:
            sys.stdout.write(text)
    if result.unreadable:
        names = "、".join(" → ".join(n for n in (r.old, r.new) if n) for r in result.unreadable)
        print(f"無法讀取 {len(result.unreadable)} 本（{names}），未比較；原因見上", file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_OK if result.same else EXIT_FINDINGS


def cmd_convert(args) -> int:
    from xlbudget.app import convert, summary

    _refuse_all_missing(args.paths)
    limit = {} if args.timeout is None else {"timeout": args.timeout or None}  # 0: no limit; none given: the default
    code, results = convert.convert_paths(args.paths, args.output, jobs=args.jobs, mark=args.mark, fmt=args.format,
                                          force=args.force, collect=getattr(args, "collect", None), **limit)
    print(summary.summary_line(results, args.output))
    return code


def _refuse_all_missing(paths: list[str]) -> None:
    """convert of paths none of which exists (a mistyped folder): «找不到 …» (path-missing, exit 2) before the output
    folder is made, as every other command refuses a missing input, not an output folder written for no book (field
    report 7 f12). A missing path among others that exist is listed in the summary as before; a wildcard matching
    nothing is glob-empty there."""
    missing = [p for p in paths if not any(ch in p for ch in "*?[") and not os.path.lexists(p)]
    if missing and len(missing) == len(paths):
        from xlbudget.core.findings import make_finding

        name = "、".join(missing)
        raise InputError(make_finding("path-missing", None, name=name), name)


def _one_book(command: str, verb: str, remedy: str = "用 xlbudget convert 資料夾"):
    """An argparse action for the books after a one-book command's first (``check A.xlsx B.xlsx``): refused saying
    the command takes one book and what to do with many (``remedy``: convert takes a folder; pdf and next-year, which
    convert does not do, one book at a time), not «無法辨識的參數» with the top-level usage (field report 7 f12)."""

    class OneBook(argparse.Action):
        def __call__(self, parser, namespace, values, option_string=None):
            if values:
                parser.error(f"{command} 一次{verb}一本；多本請{remedy}")

    return OneBook


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's layout with the 用法 heading in Traditional Chinese."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# argparse's own messages (Python 3.11–3.13 wording) → zh-TW; {0}, {1}… are the groups of the pattern (compiled by
# re when a message is first translated: a command line that parses compiles none of them)
_PARSE_ERRORS = (
    (r"^the following arguments are required: (.+)$", "缺少必要的參數：{0}"),
    (r"^unrecognized arguments: (.+)$", "無法辨識的參數：{0}"),
    (r"^argument (.+?): invalid choice: '?(.*?)'? \(choose from (.+)\)$", "{0} 不接受「{1}」；可用：{2}"),
    (r"^argument (.+?): expected one argument$", "{0} 後面需要一個值"),
    (r"^argument (.+?): expected at least one argument$", "{0} 後面至少需要一個值"),
    (r"^argument (.+?): invalid \w+ value: '?(.*?)'?$", "{0} 的值「{1}」不是有效的數字"),
    (r"^argument (.+?): not allowed with argument (.+)$", "{0} 不能與 {1} 同時使用"),
    (r"^argument (.+?): ignored explicit argument '?(.*?)'?$", "{0} 不接受值「{1}」"),
    (r"^ambiguous option: (\S+) could match (.+)$", "選項 {0} 不明確，可能是：{1}"),
    (r"^argument (.+?): ([^A-Za-z].*)$", "{0}：{1}"),  # our own type checks (already zh-TW)
    (r"^(.*[\u4e00-\u9fff].*)$", "{0}"),  # our own parser.error (_one_book), already zh-TW
)


def _as_written(message):
    """gettext's answer where no catalogue has ``message``: itself."""
    return message


@contextmanager
def _argparse_untranslated():
    """argparse's own texts taken as written, in English, which ``_PARSE_ERRORS`` translates (and our titles and
    help replace), never looked up in gettext's catalogues: each lookup (about 60 for the parser, each probing the
    environment's languages and their catalogue files, and the first importing locale) was 1.5 ms of every
    command's start. argparse's module names ``_`` and ``ngettext`` are restored after."""
    saved = argparse._, argparse.ngettext
    # each text as it is, None too (add_subparsers looks up its description, None when none is given: str made it «None»)
    argparse._, argparse.ngettext = _as_written, lambda singular, plural, n: singular if n == 1 else plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def translate_parse_error(message: str) -> str:
    """An argparse error message in Traditional Chinese (an unknown one is named as such, never shown bare)."""
    for pattern, text in _PARSE_ERRORS:
        m = re.match(pattern, message.strip())
        if m:
            return text.format(*(g.replace("'", "") for g in m.groups()))
    return f"命令列參數有誤（{message}）"


class ZhArgumentParser(argparse.ArgumentParser):
    """argparse with usage, help and errors in Traditional Chinese; a usage error exits 2 with a hint."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "參數"
        self._optionals.title = "選項"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="顯示本說明後結束")

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"{self.prog}：錯誤：{translate_parse_error(message)}（輸入 {self.prog} -h 看說明）\n")


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{text}」不是整數；請填同時處理的本數，如 4") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"應為 1 以上的整數，此處為 {n}")
    return n


def _seconds(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{text}」不是秒數；請填每本的時限秒數，如 600（0 為不限）") from None
    if not n >= 0 or n == float("inf"):
        raise argparse.ArgumentTypeError(f"應為 0 以上的秒數，此處為 {text}")
    return n


class _NotBuilt:
    """A command's parser not made (``parser(only=…)``: another command runs): what its arguments are given to."""

    def add_argument(self, *args, **kwargs) -> None:
        pass

    def set_defaults(self, **kwargs) -> None:
        pass

    def add_mutually_exclusive_group(self, **kwargs) -> _NotBuilt:
        return self


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the xlbudget command (usage, help and errors in zh-TW). ``only``: a command's name,
    the only one whose parser is made: what parses that command's arguments, its usage, help and errors, is the
    same, and each other command's parser (argparse makes each one with its own groups, registries and -h: 18.6 M
    instructions, 3 ms, of every command's start for eight it does not run) is not made."""
    p = ZhArgumentParser(prog="xlbudget", description="單位預算書：由細項產生各預算表")
    p.add_argument("--version", action="version", version=f"xlbudget {__version__}", help="顯示版本後結束")
    sub = p.add_subparsers(dest="command", required=True, metavar="指令", title="指令", help="要執行的工作（各指令加 -h 看其說明）")

    def command(name: str, text: str):
        if only is not None and name != only:
            return _NotBuilt()
        return sub.add_parser(name, help=text, description=text)

    book_help = "預算書活頁簿（.xlsx 或 .xlsm）"
    s = command("new", "產生空白輸入範本")
    s.add_argument("path", metavar="檔名", help=f"範本的檔名（.xlsx）；給資料夾時寫成其中的 {TEMPLATE_OUTPUT}")
    s.add_argument("--force", action="store_true", help="輸出檔已存在時覆寫")
    s.set_defaults(func=cmd_new)
    s = command("build", "由輸入工作表產生各預算表")
    s.add_argument("book", metavar="活頁簿", help=book_help)
    s.add_argument("more_books", nargs="*", default=[], action=_one_book("build", "產生"), help=argparse.SUPPRESS)
    s.add_argument("-o", "--output", metavar="輸出檔", help="輸出檔（與原檔同為 .xlsx 或 .xlsm；給資料夾時用原檔名）；省略時寫回原檔（先備份）")
    s.add_argument("--force", action="store_true", help="輸出檔已存在時覆寫")
    s.set_defaults(func=cmd_build)
    s = command("demo", "產生內附範例（高雄市政府資訊中心113年度）預算書")
    s.add_argument("-o", "--output", metavar="輸出檔", help=f"輸出檔（.xlsx，預設 {DEMO_OUTPUT}；給資料夾時寫在其中）")
    s.add_argument("--force", action="store_true", help="輸出檔已存在時覆寫")
    s.set_defaults(func=cmd_demo)
    s = command("convert", "批次轉換整個資料夾的預算書（平行處理，不更動原檔）")
    s.add_argument("paths", nargs="+", metavar="路徑", help="檔案、資料夾（含子資料夾）或萬用字元")
    s.add_argument("-o", "--output", required=True, metavar="輸出資料夾", help="輸出資料夾（不存在時自動建立）")
    s.add_argument("--jobs", type=_jobs, default=None, metavar="N", help="同時處理幾本（預設：CPU 核心數）")
    s.add_argument("--mark", action="store_true", help="標示檢核結果並加上「檢核結果」工作表")
    s.add_argument("--format", choices=("xlsx", "json", "csv"), default="xlsx", help="輸出格式（預設 xlsx）")
    s.add_argument("--force", action="store_true", help="輸出已是最新也重做")
    s.add_argument("--timeout", type=_seconds, default=None, metavar="秒",
                   help="每本的時限：超過即略過該本，繼續其他各本（預設 600 秒；0 為不限）")
    s.set_defaults(func=cmd_convert)
    s = command("pdf", "輸出預算書 PDF（目次、預算總說明與各表，含頁碼；需安裝 LibreOffice）")
    s.add_argument("book", metavar="活頁簿", help=book_help)
    s.add_argument("more_books", nargs="*", default=[], action=_one_book("pdf", "輸出", "逐本執行 xlbudget pdf 活頁簿"),
                   help=argparse.SUPPRESS)
    s.add_argument("-o", "--output", metavar="輸出檔", help="輸出的 PDF 檔（預設與活頁簿同名、副檔名 .pdf）")
    s.add_argument("--force", action="store_true", help="輸出檔已存在時覆寫")
    s.add_argument("--timeout", type=_seconds, default=None, metavar="秒",
                   help="LibreOffice 每次轉換的時限（預設依本書頁數，至少 300 秒；0 為不限）")
    s.set_defaults(func=cmd_pdf)
    s = command("next-year", "由本年度預算書產生下一年度的輸入預算書（不更動原檔）")
    # build's rule, said where the officer looks: a book with errors is written all the same, and the exit code says it
    s.description = ("由本年度預算書產生下一年度的輸入預算書（不更動原檔）。本年度預算書有錯誤時（與 build 檢出的相同）"
                     "仍會產生，並列出錯誤、以結束碼 1 結束，與 build 相同；無法讀取時結束碼 2")
    s.add_argument("book", metavar="活頁簿", help=book_help)
    s.add_argument("more_books", nargs="*", default=[], help=argparse.SUPPRESS,
                   action=_one_book("next-year", "產生", "逐本執行 xlbudget next-year 活頁簿 -o 輸出檔"))
    s.add_argument("-o", "--output", required=True, metavar="輸出檔",
                   help="新年度預算書的檔名（.xlsx；原檔為 .xlsm 時亦可 .xlsm，帶入其巨集；不可與原檔相同；"
                        "給資料夾時寫成其中的「原檔名-新年度.xlsx」，.xlsm 原檔為「原檔名-新年度.xlsm」）")
    s.add_argument("--clear-amounts", action="store_true", help="清空歲出明細、歲入明細的數量、單價、預算數（保留細項）")
    s.add_argument("--force", action="store_true", help="輸出檔已存在時覆寫")
    s.set_defaults(func=cmd_next_year)
    s = command("compare", "比較兩本預算書各表的每個數字及歲出明細（如預算案與法定預算、本年度與上年度）；"
                           "給兩個資料夾時，逐機關配對比較並列出各機關、各工作計畫的歲出增減")
    s.add_argument("old", metavar="舊活頁簿", help="舊的預算書（如預算案、上年度），或其資料夾")
    s.add_argument("new", metavar="新活頁簿", help="新的預算書（如法定預算、本年度），或其資料夾")
    s.add_argument("--format", choices=("text", "json", "xlsx"), default=None,
                   help="輸出格式（預設依 -o 的副檔名：.xlsx 為 xlsx、.json 為 json，其餘 text）")
    s.add_argument("-o", "--output", metavar="輸出檔",
                   help="輸出檔（.txt、.json 或 .xlsx，與格式相符）；text/json 省略時印到標準輸出，xlsx 省略時為 比較-舊-新.xlsx")
    s.add_argument("--force", action="store_true", help="輸出檔已存在時覆寫")
    s.set_defaults(func=cmd_compare)
    s = command("export", "匯出各表數字為整齊資料（json/csv）")
    s.add_argument("book", metavar="活頁簿", help=book_help)
    s.add_argument("more_books", nargs="*", default=[], action=_one_book("export", "匯出"), help=argparse.SUPPRESS)
    s.add_argument("--format", choices=("json", "csv"), default=None,
                   help="輸出格式（預設依 -o 的副檔名：.csv 為 csv，其餘 json）")
    s.add_argument("-o", "--output", metavar="輸出檔", help="輸出檔（.json 或 .csv，與格式相符）；省略時印到標準輸出")
    s.add_argument("--force", action="store_true", help="輸出檔已存在時覆寫")
    s.set_defaults(func=cmd_export)
    s = command("check", "檢核預算書各表合計與勾稽（範本或手製預算表）")
    s.add_argument("book", metavar="活頁簿", help=book_help)
    s.add_argument("more_books", nargs="*", default=[], action=_one_book("check", "檢核"), help=argparse.SUPPRESS)
    s.add_argument("--format", choices=("text", "json"), default="text", help="結果格式（預設 text）")
    marks = s.add_mutually_exclusive_group()
    marks.add_argument("--mark", action="store_true", help="在活頁簿中標示各項檢核結果並新增「檢核結果」工作表")
    marks.add_argument("--clear", action="store_true", help="清除 xlbudget 的標示與註解")
    s.add_argument("-o", "--output", metavar="輸出檔", help="--mark/--clear 的輸出檔；省略時寫回原檔（先備份）")
    s.add_argument("--force", action="store_true", help="輸出檔已存在時覆寫")
    s.set_defaults(func=cmd_check)
    if only is not None and only not in sub.choices:  # no such command: said with every command's name
        return parser()
    return p


def _stdout_closed() -> bool:
    """Whether standard output is a pipe its reader closed (`| head`): then it is pointed at the null device, so
    the interpreter's last flush at exit does not fail again. A broken pipe of our own (convert's workers) is not:
    standard output still takes a line (buffered or not, as PYTHONUNBUFFERED has it)."""
    try:
        print(file=sys.stdout, flush=True)
        return False
    except BrokenPipeError:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return True


_SHOWN = "xlbudget-shown"


def _shown(err: UnicodeError):
    """Codec error handler of a UTF-8 standard output: what it cannot encode (a surrogate-escaped byte of a file
    name that is not UTF-8) decoded as errors.shown_text shows it in files: as Big5, else U+FFFD a byte."""
    from xlbudget.core.errors import decoded_run

    if not isinstance(err, UnicodeEncodeError):
        raise err
    text, end = decoded_run(err.object, err.start)
    return text.encode("utf-8"), end  # bytes: UTF-8 takes only ASCII text here


codecs.register_error(_SHOWN, _shown)


def _leave(code: int) -> None:
    """The program's end (convert, build, check, export: ``_LEAVING``), its work done and its last line flushed: the
    exit handlers run (atexit, as at any exit) and the process ends with ``code`` without the interpreter's teardown,
    which only frees, one by one, every object the command made or imported (convert 6-7 ms of CPU, and in --jobs 2
    ≈1,600 page faults on pages shared with the workers until they ended; build, check and export 3.5-4.5 ms, 2-4 %
    of each). Nothing is lost by it: every file they write is closed before it is renamed into place
    (adapters.atomic), convert's workers are all awaited (convert_paths), temporary files removed; standard output
    and error are flushed here. Where threads run (the process pool of platforms without fork, its callbacks), the
    interpreter's own exit, which waits for them; under a profiler or a debugger (``python -m cProfile -m xlbudget``,
    coverage), too: it writes what it gathered after the program returns."""
    import atexit
    import threading

    if threading.active_count() > 1 or "concurrent.futures" in sys.modules:
        return
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    sys.stdout.flush()  # what an exit handler printed
    sys.stderr.flush()
    os._exit(code)


# the commands that end the process themselves once done (_leave); the others (pdf's LibreOffice, the add-in's
# xlwings, next-year, compare) end as Python ends
_LEAVING = (cmd_convert, cmd_build, cmd_check, cmd_export)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``xlbudget`` console command; returns the exit code.

    The cyclic garbage collector waits while a command works, as ``convert_one`` makes it wait for each book:
    what a command makes (modules, records, tables) lives until it ends, so collections walk it for nothing.
    convert's batch runs with it (each book's garbage collected after the book), once its parser and first
    imports are made without it.
    Run as the program (``argv`` None), what is left is frozen at the end: it dies with the process, and the
    collector need not walk and free it all one object at a time at exit; convert, build, check and export, their
    last line out, end the process themselves after the exit handlers (``_leave``). A call with ``argv`` (a test) finds the collector as it
    was, nothing frozen, and always returns.
    """
    for stream in (sys.stdout, sys.stderr):
        # a Windows console redirected to a file is not UTF-8: never fail on a character it lacks; on a UTF-8 one, a
        # file name in Big5 bytes (Linux) is shown with replacement characters (�), as in every file xlbudget writes
        if hasattr(stream, "reconfigure"):
            utf8 = (getattr(stream, "encoding", "") or "").lower().replace("-", "").replace("_", "") == "utf8"
            stream.reconfigure(errors=_SHOWN if utf8 else "replace")
    collecting = gc.isenabled()
    gc.disable()
    try:
        # the patterns XlsxWriter, argparse and the rest compile as a command goes, made from their stored code
        # before they are asked for (convert of one seed-sized book: 19 M instructions less, callgrind; under
        # --jobs each worker finds the store read): done as this module was imported, before argparse; once
        patterns.preload()
        given = sys.argv[1:] if argv is None else argv
        with _argparse_untranslated():  # a command named first is the only one whose parser is made
            args = parser(given[0] if given and not given[0].startswith("-") else None).parse_args(argv)
        if args.func is cmd_convert:  # it pauses the collector for each book itself, and collects between books
            from xlbudget.app import convert, summary  # noqa: F401  (what the batch imports first, paused as the rest)

            # given back as its books begin (convert_paths), not here: the first collection after it walked every
            # object the imports made while it waited (a generation-1 collection before the workers fork)
            args.collect = collecting
        code = args.func(args)
        if argv is None:  # the program itself: a reader gone is found here when standard output is buffered
            sys.stdout.flush()
            if args.func in _LEAVING:
                _leave(code)
        return code
    except XlbudgetError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt as exc:  # Ctrl-C (or SIGTERM during convert): what was done, no traceback
        print(str(exc) or "已中斷；原檔未被更動。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except PermissionError as exc:
        print(f"無法寫入或讀取 {exc.filename}：檔案可能正在 Excel 中開啟，請關閉後再試", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as exc:  # the program's own failure: no traceback for the user
        if isinstance(exc, BrokenPipeError) and _stdout_closed():
            return EXIT_PIPE_CLOSED  # `xlbudget check BOOK | head`, or `| more` quit: not a failure of ours
        if os.environ.get("XLBUDGET_DEBUG"):
            import traceback

            traceback.print_exc()
        print(f"xlbudget 內部錯誤（{type(exc).__name__}: {exc}）；原檔未被更動。"
              "請設定環境變數 XLBUDGET_DEBUG=1 重跑並回報。", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if argv is None:  # the program itself, about to exit
            gc.freeze()
        if collecting:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
