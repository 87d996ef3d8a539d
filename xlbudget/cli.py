"""Command line: xlbudget new | build | demo | export | check."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import XlbudgetError
from .findings import Finding, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3
DEMO_OUTPUT = "高雄市政府資訊中心113年度單位預算書.xlsx"


def _print_findings(findings: list[Finding], source: str) -> None:
    for f in findings:
        where = f"{source}:{f.cell.sheet}!{f.cell.cell}" if f.cell else source
        print(f"[{f.severity.value}] {where} {f.rule}: {f.message}")


def _summary(findings: list[Finding]) -> str:
    counts = {s: sum(f.severity == s for f in findings) for s in Severity}
    return f"錯誤 {counts[Severity.ERROR]}、警告 {counts[Severity.WARNING]}、提示 {counts[Severity.INFO]}"


def cmd_new(args) -> int:
    from .template import new_template
    from .xlsxfile import save_atomic

    path = Path(args.path)
    if path.exists() and not args.force:
        print(f"{path} 已存在；若要覆寫請加 --force", file=sys.stderr)
        return EXIT_UNREADABLE
    save_atomic(new_template(), path)
    print(f"已建立範本 {path}")
    return EXIT_OK


def cmd_build(args) -> int:
    from .pipeline import build_file

    result = build_file(args.book, args.output)
    if result.backup:
        print(f"原檔已備份為 {result.backup}")
    print(f"已產生 {len(result.tables)} 張預算表：{result.output}")
    for t in result.tables:
        print(f"  - {t.title}")
    _print_findings(result.findings, Path(args.book).name)
    if result.findings:
        print(_summary(result.findings))
    return EXIT_OK


def cmd_demo(args) -> int:
    from .example import example_workbook
    from .inputs import read_book
    from .pipeline import build_workbook
    from .xlsxfile import input_grids, save_atomic

    wb = example_workbook()
    book, findings = read_book(input_grids(wb, "範例"), "範例")
    tables, more = build_workbook(wb, book)
    out = save_atomic(wb, args.output or DEMO_OUTPUT)
    print(f"已產生範例預算書（{book.agency.name} {book.agency.year}年度，{len(book.expenses)} 個歲出細項）：{out}")
    for t in tables:
        print(f"  - {t.title}")
    _print_findings(findings + more, "範例")
    return EXIT_OK


def cmd_export(args) -> int:
    from .export import export_records, records_to_csv, records_to_json
    from .xlsxfile import load_book

    records = export_records(load_book(args.book).book)
    text = records_to_json(records) if args.format == "json" else records_to_csv(records)
    if args.output:
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        Path(args.output).write_text(text, encoding=encoding)
        print(f"已匯出 {len(records)} 筆：{args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_check(args) -> int:
    import json

    from .checks import check_file, finding_record
    from .xlsxfile import backup_copy, save_atomic

    source = Path(args.book)
    report, wb = check_file(source)
    if args.mark or args.clear:
        from .marking import clear_marks, mark_workbook

        if args.clear:
            clear_marks(wb)
        else:
            mark_workbook(wb, report.findings, source.name)
        target = Path(args.output) if args.output else source
        backup = None
        if target.resolve() == source.resolve():
            backup = backup_copy(source)
        save_atomic(wb, target)
    if args.format == "json":
        print(json.dumps([finding_record(f) for f in report.findings], ensure_ascii=False, indent=1))
    else:
        kind = "範本輸入" if report.kind == "template" else "手製預算表"
        print(f"檢核 {source.name}（{kind}）；讀取的預算表：{'、'.join(report.tables) or '無'}")
        _print_findings(report.findings, source.name)
        print(_summary(report.findings) + f"、無法驗證 {report.count(Severity.UNVERIFIABLE)}")
    if args.mark or args.clear:
        stream = sys.stderr if args.format == "json" else sys.stdout
        if backup:
            print(f"原檔已備份為 {backup}", file=stream)
        print(("已清除 xlbudget 標示：" if args.clear else "已標示檢核結果（見「檢核結果」工作表）：") + str(target),
              file=stream)
    return EXIT_FINDINGS if report.errors and not args.clear else EXIT_OK


def cmd_convert(args) -> int:
    from .convert import convert_paths

    code, results = convert_paths(args.paths, args.output, jobs=args.jobs, mark=args.mark, fmt=args.format,
                                  force=args.force)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    print("共 " + str(len(results)) + " 本：" + "、".join(f"{k} {v}" for k, v in counts.items())
          + f"；摘要見 {Path(args.output) / '轉換摘要.xlsx'}")
    return code


def parser() -> argparse.ArgumentParser:
    """The argument parser of the xlbudget command."""
    p = argparse.ArgumentParser(prog="xlbudget", description="單位預算書：由細項產生各預算表")
    p.add_argument("--version", action="version", version=f"xlbudget {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("new", help="產生空白輸入範本")
    s.add_argument("path")
    s.add_argument("--force", action="store_true", help="覆寫已存在的檔案")
    s.set_defaults(func=cmd_new)
    s = sub.add_parser("build", help="由輸入工作表產生各預算表")
    s.add_argument("book")
    s.add_argument("-o", "--output", help="輸出檔；省略時寫回原檔（先備份）")
    s.set_defaults(func=cmd_build)
    s = sub.add_parser("demo", help="產生內附範例（高雄市政府資訊中心113年度）預算書")
    s.add_argument("-o", "--output", help=f"輸出檔（預設 {DEMO_OUTPUT}）")
    s.set_defaults(func=cmd_demo)
    s = sub.add_parser("convert", help="批次轉換整個資料夾的預算書（平行處理，不更動原檔）")
    s.add_argument("paths", nargs="+", help="檔案、資料夾（含子資料夾）或萬用字元")
    s.add_argument("-o", "--output", required=True, help="輸出資料夾")
    s.add_argument("--jobs", type=int, default=None, help="同時處理幾本（預設：CPU 核心數）")
    s.add_argument("--mark", action="store_true", help="標示檢核結果並加上「檢核結果」工作表")
    s.add_argument("--format", choices=("xlsx", "json", "csv"), default="xlsx")
    s.add_argument("--force", action="store_true", help="輸出已是最新也重做")
    s.set_defaults(func=cmd_convert)
    s = sub.add_parser("export", help="匯出各表數字為整齊資料（json/csv）")
    s.add_argument("book")
    s.add_argument("--format", choices=("json", "csv"), default="json")
    s.add_argument("-o", "--output", help="輸出檔；省略時印到標準輸出")
    s.set_defaults(func=cmd_export)
    s = sub.add_parser("check", help="檢核預算書各表合計與勾稽（範本或手製預算表）")
    s.add_argument("book")
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.add_argument("--mark", action="store_true", help="在活頁簿中標示各項檢核結果並新增「檢核結果」工作表")
    s.add_argument("--clear", action="store_true", help="清除 xlbudget 的標示與註解")
    s.add_argument("-o", "--output", help="--mark/--clear 的輸出檔；省略時寫回原檔（先備份）")
    s.set_defaults(func=cmd_check)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``xlbudget`` console command; returns the exit code."""
    for stream in (sys.stdout, sys.stderr):
        # a Windows console redirected to a file is not UTF-8: never fail on a character it lacks
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except XlbudgetError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    except PermissionError as exc:
        print(f"無法寫入或讀取 {exc.filename}：檔案可能正在 Excel 中開啟，請關閉後再試", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as exc:  # the program's own failure: no traceback for the user
        if os.environ.get("XLBUDGET_DEBUG"):
            traceback.print_exc()
        print(f"xlbudget 內部錯誤（{type(exc).__name__}: {exc}）；原檔未被更動。"
              "請設定環境變數 XLBUDGET_DEBUG=1 重跑並回報。", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
