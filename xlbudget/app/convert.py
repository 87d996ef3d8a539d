"""Batch conversion of a folder of budget books: parallel, atomic, and never touching an input.

``xlbudget convert PATH... -o OUTDIR [--jobs N] [--mark] [--format xlsx|json|csv] [--force]``

Each book is read once (python-calamine, values only; openpyxl only for .xlsm,
whose macros are kept and never run) and written as a standard book: our
template's input sheets with the book's values, every schedule, and with
--mark the marks and 檢核結果. Outputs go to a temporary file renamed into
place; a manifest lets a re-run skip books whose output is up to date.
"""

from __future__ import annotations

import glob
import json
import os
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xlbudget import __version__
from xlbudget.core.amounts import to_thousands
from xlbudget.adapters.atomic import write_text_atomic
from xlbudget.core.errors import MAX_SHOWN, InputError, UsageError, XlbudgetError
from xlbudget.core.findings import Severity
from xlbudget.readers.inputs import INPUT_SHEETS, SHEET_AGENCY, SHEET_EXPENSES, Grid

MANIFEST = ".xlbudget-convert.json"
SUMMARY_XLSX = "轉換摘要.xlsx"
SUMMARY_JSON = "轉換摘要.json"
EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

OK, FINDINGS, UNREADABLE, SKIPPED = "完成", "有錯誤", "無法讀取", "未變更略過"


@dataclass
class BookResult:
    """One row of the summary: what happened to one input book."""

    source: str
    output: str = ""
    agency: str = ""
    year: int | None = None
    expenditure: int | None = None  # 歲出合計, 千元
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    status: str = OK
    message: str = ""
    seconds: float = 0.0
    # for the city-wide 彙總: 元 totals by 用途別 code, and the agency's 機關別 line
    by_object: dict[str, int] = field(default_factory=dict)
    budget_line: dict[str, int | None] = field(default_factory=dict)


# ---------------------------------------------------------------- finding the books

BOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")  # what convert tries to read (.xls gets how to convert it)
NOT_A_BOOK = "略過"  # a file found in a folder that is not a budget book: listed with why, not an error


@dataclass(frozen=True)
class Passed:
    """A path given or found that is not converted: what it was and why (a row of the summary)."""

    source: str
    status: str  # NOT_A_BOOK (found in a folder) or UNREADABLE (named by the user, or not there)
    message: str


def _why_not_a_book(f: Path) -> str:
    if f.name.startswith("~$"):
        return "Excel 開啟活頁簿時的暫存鎖定檔（~$），不是預算書"
    if f.name.startswith("."):
        return "隱藏檔，不是預算書"
    return f"不是 Excel 活頁簿（副檔名 {f.suffix or '（無）'}；可轉換 .xlsx、.xlsm、.ods）"


def discover_all(paths: list[str], exclude: Path | None = None) -> tuple[list[tuple[Path, str]], list[Passed]]:
    """Every book under ``paths`` (file, name relative to where it was found), and every other path with why.

    Folders are searched recursively; globs match names relative to the part of
    the pattern before the first wildcard. Nothing is dropped without a word: a
    lock file, a non-workbook, a path that does not exist, a glob that matches
    nothing are each returned as ``Passed``. Files under ``exclude`` (the
    output folder) are our own outputs and are not looked at.
    """
    found: list[tuple[Path, str]] = []
    passed: list[Passed] = []
    excluded = exclude.resolve() if exclude is not None else None

    def ours(f: Path) -> bool:
        return excluded is not None and (f.resolve() == excluded or excluded in f.resolve().parents)

    def take(f: Path, rel: str, named: bool) -> None:
        if f.suffix.lower() in BOOK_SUFFIXES and not f.name.startswith("~$"):
            found.append((f, rel))
        else:
            passed.append(Passed(str(f), UNREADABLE if named else NOT_A_BOOK, _why_not_a_book(f)))

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = [f for f in sorted(p.rglob("*")) if f.is_file() and not ours(f)]
            if not files:
                passed.append(Passed(raw, UNREADABLE, f"資料夾 {raw} 中沒有任何檔案"))
            for f in files:
                take(f, f.relative_to(p).as_posix(), named=False)
        elif any(ch in raw for ch in "*?["):
            # names relative to the part of the pattern before its first wildcard: 局處/*/預算.xlsx → 甲局/預算.xlsx
            parts = Path(raw).parts
            fixed = next(i for i, part in enumerate(parts) if any(ch in part for ch in "*?["))
            base = Path(*parts[:fixed]) if fixed else Path(".")
            files = [Path(n) for n in sorted(glob.glob(raw, recursive=True)) if Path(n).is_file() and not ours(Path(n))]
            if not files:
                passed.append(Passed(raw, UNREADABLE, f"沒有符合 {raw} 的檔案"))
            for f in files:
                take(f, f.relative_to(base).as_posix(), named=False)
        elif not p.exists():
            passed.append(Passed(raw, UNREADABLE, f"找不到 {raw}（檔案或資料夾不存在，請確認路徑）"))
        else:
            take(p, p.name, named=True)
    seen = set()
    unique = []
    for f, rel in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((f, rel))
    return unique, passed


def discover(paths: list[str]) -> list[tuple[Path, str]]:
    """(file, name relative to the path it was found under) of every book under ``paths``, recursively."""
    return discover_all(paths)[0]


def output_names(books: list[tuple[Path, str]], suffix_for) -> list[str]:
    """Collision-free output file names: folders flattened with '__', no '..' or separators left."""
    used: set[str] = set()
    names = []
    for f, rel in books:
        parts = [p for p in rel.replace("\\", "/").split("/") if p not in ("", ".", "..")]
        stem = "__".join(parts)[: -len(f.suffix)] if parts else f.stem
        stem = "".join("_" if ch in '<>:"|?*' or ord(ch) < 32 else ch for ch in stem) or "book"
        name = stem + suffix_for(f)
        n = 2
        while name.lower() in used:
            name = f"{stem}-{n}{suffix_for(f)}"
            n += 1
        used.add(name.lower())
        names.append(name)
    return names


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


def _precheck(path: Path) -> None:
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise InputError(f"{name} 在處理中消失（已被移動或刪除）", name) from None
    except PermissionError:
        raise InputError(f"{name} 無法讀取：檔案被鎖定或沒有讀取權限", name) from None
    if size == 0:
        raise InputError(f"{name} 是空檔案（0 位元組）", name)
    if head == _OLE_MAGIC:
        if path.suffix.lower() == ".xls":
            raise InputError(f"{name} 是舊版 Excel 97-2003 (.xls)；請在 Excel 以「另存新檔」存成 .xlsx，"
                             "或以 LibreOffice：soffice --headless --convert-to xlsx 檔名.xls", name)
        raise InputError(f"{name} 有密碼保護（已加密）；請移除密碼後再轉換", name)
    if path.suffix.lower() == ".xls":
        raise InputError(f"{name} 副檔名為 .xls 但不是舊版 Excel 檔；請確認檔案", name)
    if not zipfile.is_zipfile(path):
        raise InputError(f"{name} 不是 Excel 活頁簿（.xlsx），或檔案已截斷／損毀", name)


def _count(result: BookResult, findings) -> None:
    result.errors += sum(f.severity == Severity.ERROR for f in findings)
    result.warnings += sum(f.severity == Severity.WARNING for f in findings)
    result.infos += sum(f.severity not in (Severity.ERROR, Severity.WARNING) for f in findings)


def _summarise(result: BookResult, book) -> None:
    from xlbudget.derive.schedules import is_revenue

    result.agency = book.agency.name
    result.year = book.agency.year
    total = sum(i.amount for i in book.expenses)
    result.expenditure = to_thousands(total)
    by_object: dict[str, int] = {}
    for i in book.expenses:
        by_object[i.object_code] = by_object.get(i.object_code, 0) + i.amount
    result.by_object = by_object
    prior = [p for p in book.prior if not is_revenue(p, book) and not p.code.endswith("00")]
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
    """Convert one book; never raises, never writes to ``source``; the result says what happened."""
    from xlbudget.readers.inputs import read_book
    from xlbudget.adapters.xlsxfile import save_atomic

    start = time.perf_counter()
    path, out = Path(source), Path(target)
    result = BookResult(source=str(source), output=str(target))
    try:
        _precheck(path)
        if path.suffix.lower() == ".xlsm":
            from xlbudget.adapters.xlsxfile import load_book

            loaded = load_book(path)  # zip and entity caps checked; keep_vba: macros kept, never run
            book, findings, wb = loaded.book, list(loaded.findings), loaded.workbook
        else:
            from xlbudget.adapters.fastread import read_grids

            grids = read_grids(path)
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
            from xlbudget.rules.checks import check_people
            from xlbudget.rules.narrative import check_narrative

            findings += check_people(book) + check_narrative(book)
            _write_export(book, out, fmt)
        _summarise(result, book)
        _count(result, findings)
        result.status = FINDINGS if result.errors else OK
    except XlbudgetError as exc:
        result.status, result.message, result.output = UNREADABLE, _first_line(exc), ""
        if isinstance(exc, InputError):
            result.errors = len(exc.findings)  # each input problem counts, as build lists them
    except FileNotFoundError:
        result.status, result.message, result.output = UNREADABLE, f"{path.name} 在處理中消失（已被移動或刪除）", ""
    except PermissionError as exc:
        if exc.filename and Path(exc.filename).parent == out.parent:  # our output (or its temporary file)
            message = f"輸出檔 {out.name} 無法寫入：可能正在 Excel 中開啟，請關閉後重跑"
        else:
            message = f"{path.name} 無法讀取：檔案被鎖定或沒有讀取權限"
        result.status, result.message, result.output = UNREADABLE, message, ""
    except MemoryError:
        result.status, result.message, result.output = UNREADABLE, f"{path.name} 太大，記憶體不足，未處理", ""
    except Exception as exc:  # a book must never stop the batch, nor print a traceback
        result.status, result.output = UNREADABLE, ""
        result.message = f"{path.name} 無法處理（{type(exc).__name__}）；請以 xlbudget build 單獨執行檢視原因"
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def _convert_handmade(path: Path, out: Path, fmt: str, mark: bool, result: BookResult, start: float) -> BookResult:
    """A book of printed tables only: checked on what is printed; the xlsx output is the book, marked."""
    from xlbudget.app.check import check_workbook
    from xlbudget.rules.checks import finding_record
    from xlbudget.adapters.marking import mark_workbook
    from xlbudget.adapters.xlsxfile import formula_values, has_formulas, open_workbook, save_atomic

    wb = open_workbook(path)
    values = open_workbook(path, data_only=True) if has_formulas(wb) else None  # a 合計 typed as =SUM(…)
    findings = check_workbook(wb, values, file=path.name).findings  # InputError when it recognises no table either
    if fmt == "xlsx":
        if mark:
            mark_workbook(wb, findings, path.name)
        save_atomic(wb, out, formula_values(wb, values))
    else:
        write_text_atomic(out, json.dumps([finding_record(f) for f in findings], ensure_ascii=False, indent=1))
    result.agency, result.year = _printed_agency(wb)
    _count(result, findings)
    result.status = FINDINGS if result.errors else OK
    result.message = "手工預算表（無輸入工作表）：已檢核所印各表"
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def _printed_agency(wb) -> tuple[str, int | None]:
    """Agency name and 民國 year as printed above a table: the line over its title, and 中華民國N年度."""
    import re

    from xlbudget.derive import schedules

    titles = {schedules.SUMMARY, schedules.AGENCY_BUDGET, schedules.DETAIL, schedules.LEVEL1,
              schedules.TAIPEI_AGENCY_BUDGET, schedules.REVENUE_SOURCES}
    for ws in wb.worksheets:
        lines = []
        for row in ws.iter_rows(max_row=12, values_only=True):
            text = next((str(v).strip() for v in row if v not in (None, "") and str(v).strip()), "")
            lines.append(re.sub(r"[\s\u3000]+", "", text))
        for n, line in enumerate(lines):
            if line in titles:
                agency = next((lines[k] for k in range(n - 1, -1, -1) if lines[k]), "")
                year = next((int(m.group(1)) for text in lines[n:n + 4]
                             if (m := re.search(r"中華民國(\d{2,3})年度", text))), None)
                return agency, year
    return "", None


def _task(args: tuple) -> BookResult:
    return convert_one(*args)


# ---------------------------------------------------------------- progress

class Progress:
    """Books done, errors so far, time left: one updating line on a terminal, plain lines elsewhere."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.errors, self.start = total, 0, 0, time.perf_counter()
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def update(self, result: BookResult) -> None:
        self.done += 1
        self.errors += result.status in (FINDINGS, UNREADABLE)
        elapsed = time.perf_counter() - self.start
        left = elapsed / self.done * (self.total - self.done)
        status = f"[{self.done}/{self.total}] 錯誤 {self.errors}，預估剩餘 {int(left // 60)}:{int(left % 60):02d}"
        if self.tty:
            width = 30
            bar = "█" * (width * self.done // self.total) + "░" * (width - width * self.done // self.total)
            self.stream.write(f"\r{bar} {status}")
            if result.status == UNREADABLE:
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

def _signature(source: Path, fmt: str, mark: bool) -> dict:
    st = source.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "format": fmt, "mark": mark, "version": __version__}


def convert_paths(paths: list[str], outdir: str, jobs: int | None = None, mark: bool = False, fmt: str = "xlsx",
                  force: bool = False, stream=None) -> tuple[int, list[BookResult]]:
    """Convert every book under ``paths`` into ``outdir``; returns (exit code, results)."""
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"輸出位置 {out} 是一個檔案；-o 請指定資料夾（不存在時會自動建立）")
    out.mkdir(parents=True, exist_ok=True)
    books, passed = discover_all(paths, exclude=out)
    suffix = (lambda f: ".xlsm" if f.suffix.lower() == ".xlsm" else ".xlsx") if fmt == "xlsx" else (lambda f: f".{fmt}")
    names = output_names(books, suffix)
    manifest_path = out / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    results: list[BookResult | None] = [None] * len(books)
    todo = []
    for n, ((src, _), name) in enumerate(zip(books, names)):
        entry = manifest.get(name)
        try:
            signature = _signature(src, fmt, mark)
        except OSError:
            signature = None
        if (not force and entry and signature and entry.get("signature") == signature
                and entry.get("source") == str(src.resolve()) and (out / name).exists()):
            cached = BookResult(**entry["result"])
            cached.status, cached.message = SKIPPED, "輸出已是最新（加 --force 重做）"
            results[n] = cached
        else:
            todo.append((n, (str(src), str(out / name), fmt, mark), signature))
    progress = Progress(len(books) + len(passed), stream)
    for r in results:
        if r is not None:
            progress.update(r)
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(todo) <= 1:
        done = ((n, _task(args), sig) for n, args, sig in todo)
        for n, result, sig in done:
            results[n] = result
            progress.update(result)
            _remember(manifest, names[n], result, sig, books[n][0])
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            futures = {pool.submit(_task, args): (n, sig) for n, args, sig in todo}
            for future in as_completed(futures):
                n, sig = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # a worker that died (out of memory, killed)
                    result = BookResult(source=str(books[n][0]), status=UNREADABLE,
                                        message=f"處理程序異常結束（{type(exc).__name__}）")
                results[n] = result
                progress.update(result)
                _remember(manifest, names[n], result, sig, books[n][0])
    final = [r for r in results if r is not None]
    for p in passed:  # every path given or found that was not converted, with why
        result = BookResult(source=p.source, status=p.status, message=p.message)
        final.append(result)
        progress.update(result)
    _save_json(manifest_path, manifest)
    write_summary(final, out)
    if any(r.status == UNREADABLE for r in final):
        return EXIT_UNREADABLE, final
    if any(r.errors for r in final):
        return EXIT_FINDINGS, final
    return EXIT_OK, final


def _remember(manifest: dict, name: str, result: BookResult, signature, source: Path) -> None:
    if result.status in (OK, FINDINGS) and signature:
        manifest[name] = {"source": str(source.resolve()), "signature": signature, "result": asdict(result)}
    else:
        manifest.pop(name, None)


def _save_json(path: Path, data) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))


# ---------------------------------------------------------------- summary and 彙總

SUMMARY_COLUMNS = (("檔案", "source"), ("輸出", "output"), ("機關", "agency"), ("年度", "year"),
                   ("歲出合計（千元）", "expenditure"), ("錯誤", "errors"), ("警告", "warnings"), ("提示", "infos"),
                   ("狀態", "status"), ("說明", "message"), ("秒數", "seconds"))


def citywide_tables(results: list[BookResult]):
    """The 彙總: agencies' 歲出機關別預算表 lines and 各項費用彙計表 added up (千元, rounded from 元 totals)."""
    from xlbudget.core import codes
    from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TOTAL, Column, Row, Table

    books = [r for r in results if r.by_object]
    agency_cols = (Column("機關", ("機關",), LABEL, 28), Column("本年度預算數", ("本年度預算數",), AMOUNT, 14),
                   Column("上年度預算數", ("上年度預算數",), AMOUNT, 14),
                   Column("前年度決算數", ("前年度決算數",), AMOUNT, 14),
                   Column("本年度與上年度比較", ("本年度與上年度比較",), AMOUNT, 14))

    def agency_cells(label, lines) -> dict:
        current = to_thousands(sum(l["本年度預算數"] for l in lines))
        lasts = [l["上年度預算數"] for l in lines if l.get("上年度預算數") is not None]
        finals = [l["前年度決算數"] for l in lines if l.get("前年度決算數") is not None]
        last = sum(lasts) if lasts else None
        return {"機關": label, "本年度預算數": current, "上年度預算數": last,
                "前年度決算數": sum(finals) if finals else None,
                "本年度與上年度比較": None if last is None else current - last}

    rows = [Row("合計", "合計", agency_cells("合計", [r.budget_line for r in books]), TOTAL)]
    rows += [Row(Path(r.source).name, r.agency, agency_cells(r.agency, [r.budget_line]), ITEM, 1) for r in books]
    agency_table = Table("彙總—歲出機關別預算表", "千元", agency_cols, tuple(rows))

    columns = [Column("科目", ("第一、二級用途別科目名稱及編號",), LABEL, 28)]
    keys = []
    for r in books:
        key = Path(r.source).name
        keys.append(key)
        columns.append(Column(key, (r.agency or key,), AMOUNT, 13))
    columns.append(Column("合計", ("合計",), AMOUNT, 14))
    all_codes = sorted({c for r in books for c in r.by_object})
    names = codes.object_codes()

    def code_cells(label, select) -> dict:
        cells: dict = {"科目": label}
        grand = 0
        for r, key in zip(books, keys):
            yuan = sum(v for c, v in r.by_object.items() if select(c))
            if any(select(c) for c in r.by_object):
                cells[key] = to_thousands(yuan)
            grand += yuan
        cells["合計"] = to_thousands(grand)
        return cells

    rows = [Row("合計", "合計", code_cells("合計", lambda c: True), TOTAL)]
    for l1 in sorted({codes.level1_of(c) for c in all_codes}):
        name = names[l1].name if l1 in names else ""
        rows.append(Row(l1, name, code_cells(f"{l1}00{name}", lambda c, l1=l1: codes.level1_of(c) == l1), GROUP))
        for code in (c for c in all_codes if codes.level1_of(c) == l1):
            name = names[code].name if code in names else "（未列科目）"
            rows.append(Row(code, name, code_cells(f"\u3000{code}00{name}", lambda c, code=code: c == code), ITEM, 1))
    summary_table = Table("彙總—各項費用彙計表", "千元", tuple(columns), tuple(rows))
    return agency_table, summary_table


def write_summary(results: list[BookResult], outdir: Path) -> None:
    """轉換摘要.xlsx (摘要 and 彙總 sheets) and 轉換摘要.json in ``outdir``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from xlbudget.core.formulas import keep_text
    from xlbudget.forms.layout import layout_table
    from xlbudget.core.model import Agency
    from xlbudget.adapters.printing import write_layout
    from xlbudget.adapters.xlsxfile import save_atomic

    wb = Workbook()
    ws = wb.active
    ws.title = "摘要"
    ws.append([title for title, _ in SUMMARY_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in results:
        ws.append([getattr(r, key) for _, key in SUMMARY_COLUMNS])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            keep_text(cell)  # a file name or a message may start with '='
    for col, width in zip("ABCDEFGHIJK", (36, 36, 24, 6, 14, 6, 6, 6, 10, 60, 8)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    agency_table, summary_table = citywide_tables(results)
    years = sorted({r.year for r in results if r.year})
    city = Agency("彙總（" + "、".join(sorted({r.agency for r in results if r.agency}))[:60] + "）",
                  "", years[0] if len(years) == 1 else 0, "", "")
    sheet = wb.create_sheet("彙總")
    first = layout_table(agency_table, city)
    write_layout(sheet, first)
    write_layout(sheet, layout_table(summary_table, city), top=len(first.values) + 3)
    save_atomic(wb, outdir / SUMMARY_XLSX)
    data = {"books": [{k: v for k, v in asdict(r).items() if k not in ("by_object", "budget_line")} for r in results],
            "彙總": {"歲出機關別預算表": [dict(row.cells) for row in agency_table.rows],
                   "各項費用彙計表": [dict(row.cells) for row in summary_table.rows]}}
    _save_json(outdir / SUMMARY_JSON, data)


__all__ = ["convert_paths", "convert_one", "discover", "output_names", "BookResult", "write_summary",
           "citywide_tables", "INPUT_SHEETS"]
