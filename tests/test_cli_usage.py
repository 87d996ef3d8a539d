"""The command line never answers a user's mistake with exit 3 or English: usage, help and errors in zh-TW,
workbooks written only under a workbook name, folders given for files handled, and convert's summary
naming every file it was given or found."""

import json
import re
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from xlbudget.cli import DEMO_OUTPUT, TEMPLATE_OUTPUT, main, translate_parse_error
from xlbudget.app.convert import NOT_A_BOOK, OK, UNREADABLE

from conftest import sha256
from test_convert import small_book

# English words argparse prints by itself (usage:, error:, options, positional arguments, help, required …)
ENGLISH = re.compile(r"usage|error|option|argument|required|invalid|choose|expected|unrecognized|show this|"
                     r"help message|Traceback", re.IGNORECASE)


def run(*args):
    """The console command in a child process: exit code and all it printed."""
    done = subprocess.run([sys.executable, "-m", "xlbudget", *args], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("args", [
    (), ("frob",), ("build",), ("build", "a.xlsx", "b.xlsx"), ("check", "x.xlsx", "--format", "foo"),
    ("check", "x.xlsx", "-o"), ("convert", "in", "-o", "out", "--jobs", "x"), ("convert", "in", "-o", "out", "--jobs", "0"),
    ("convert", "in"), ("export", "x.xlsx", "--format", "xml"), ("new",), ("build", "--nope", "a.xlsx"),
    ("check", "x.xlsx", "--mark", "--clear"),
])
def test_usage_mistakes_exit_2_in_chinese(args):
    code, text = run(*args)
    assert code == 2
    assert "用法：xlbudget" in text and "錯誤：" in text
    assert not ENGLISH.search(text.replace("xlbudget", "")), text


@pytest.mark.parametrize("args", [("-h",), ("--help",), ("build", "-h"), ("convert", "--help"), ("check", "-h"),
                                  ("new", "-h"), ("demo", "-h"), ("export", "-h")])
def test_help_is_in_chinese(args):
    code, text = run(*args)
    assert code == 0
    assert text.startswith("用法：xlbudget") and "顯示本說明後結束" in text
    assert not ENGLISH.search(text.replace("xlbudget", "")), text


@pytest.mark.parametrize("command, missing", [
    ("build", "活頁簿"), ("export", "活頁簿"), ("check", "活頁簿"), ("pdf", "活頁簿"), ("next-year", "活頁簿, -o/--output"),
])
def test_a_one_book_command_without_its_book_names_the_book_alone(command, missing, capsys):
    """The hidden positional that refuses a second book (cli._one_book) is never named as missing: with no book,
    «缺少必要的參數：活頁簿», not «活頁簿, more_books» (argparse makes a nargs="*" positional without a default
    required, and names it by its dest)."""
    with pytest.raises(SystemExit) as stop:
        main([command])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert f"缺少必要的參數：{missing}（" in err
    assert not re.search(r"[a-z]+_[a-z]+", err)  # no identifier of ours shown


def test_every_argparse_message_has_a_translation():
    # the wording of Python 3.11–3.13's argparse; an unknown message is never shown bare
    for message, expected in [
        ("the following arguments are required: 活頁簿", "缺少必要的參數：活頁簿"),
        ("unrecognized arguments: b.xlsx", "無法辨識的參數：b.xlsx"),
        ("argument --format: invalid choice: 'foo' (choose from 'text', 'json')", "--format 不接受「foo」；可用：text, json"),
        ("argument --format: invalid choice: foo (choose from text, json)", "--format 不接受「foo」；可用：text, json"),
        ("argument -o/--output: expected one argument", "-o/--output 後面需要一個值"),
        ("argument --jobs: invalid int value: 'x'", "--jobs 的值「x」不是有效的數字"),
        ("ambiguous option: --f could match --format, --force", "選項 --f 不明確，可能是：--format, --force"),
    ]:
        assert translate_parse_error(message) == expected
    assert translate_parse_error("something new").startswith("命令列參數有誤")


def test_argparse_messages_are_translated_from_english_whatever_gettext_has(monkeypatch, capsys):
    """argparse's texts are taken as written (English, which translate_parse_error reads), never looked up in a
    gettext catalogue: one that put argparse's messages into another language would have left them shown bare
    (命令列參數有誤（…）), and each lookup cost every command's start. argparse's own names come back after."""
    import argparse

    def other_language(message):
        return "«" + message + "»"

    monkeypatch.setattr(argparse, "_", other_language)
    with pytest.raises(SystemExit) as stop:
        main(["convert", "in"])
    assert stop.value.code == 2
    assert "缺少必要的參數：-o/--output" in capsys.readouterr().err
    assert argparse._ is other_language


def test_every_help_is_the_same_text_with_argparse_untranslated():
    """cli._argparse_untranslated gives argparse's texts as gettext gives them where no catalogue holds them (as
    here): each help, the program's and every command's, the same text with it and without it. With ``str`` for
    gettext, add_subparsers' description (None, none given) read «None» under 指令 in xlbudget --help."""
    import argparse

    from xlbudget import cli

    def helps():
        top = cli.parser()
        commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
        return [top.format_help()] + [p.format_help() for p in commands.choices.values()]

    looked_up = helps()
    with cli._argparse_untranslated():
        as_written = helps()
    assert len(as_written) == 10  # the program and its nine commands
    assert as_written == looked_up
    assert "None" not in as_written[0]


def test_new_and_demo_into_a_folder(tmp_path, capsys):
    folder = tmp_path / "資料夾"
    folder.mkdir()
    assert main(["new", str(folder), "--force"]) == 0  # was exit 3 (IsADirectoryError)
    assert (folder / TEMPLATE_OUTPUT).exists()
    assert main(["new", str(folder)]) == 2  # the template is there now: never overwritten without --force
    assert main(["demo", "-o", str(folder)]) == 0
    wb = openpyxl.load_workbook(folder / DEMO_OUTPUT)
    assert "各項費用彙計表" in wb.sheetnames
    # a folder named with a trailing separator that does not exist yet is created
    assert main(["demo", "-o", str(tmp_path / "新資料夾") + "/"]) == 0
    assert (tmp_path / "新資料夾" / DEMO_OUTPUT).exists()


@pytest.mark.parametrize("args", [
    ["new", "{tmp}/foo.csv"], ["new", "{tmp}/foo"], ["demo", "-o", "{tmp}/範例.xls"],
    ["build", "{book}", "-o", "{tmp}/x.csv"], ["build", "{book}", "-o", "{tmp}/x.xlsm"],
    ["check", "{book}", "--mark", "-o", "{tmp}/x.csv"], ["check", "{book}", "--clear", "-o", "{tmp}/x.ods"],
    ["export", "{book}", "-o", "{tmp}/x.xlsx"], ["export", "{book}", "--format", "csv", "-o", "{tmp}/x.json"],
    ["check", "{book}", "-o", "{tmp}/x.xlsx"],  # -o without --mark/--clear would be silently ignored
    ["pdf", "{book}", "-o", "{tmp}/x.xlsx"],  # a PDF under a workbook name
])
def test_a_wrong_output_name_is_refused_and_nothing_written(example_book, tmp_path, capsys, args):
    out = tmp_path / "outs"
    out.mkdir()
    before = sha256(example_book)
    argv = [a.format(tmp=out, book=example_book) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.strip() and not ENGLISH.search(err)
    assert list(out.iterdir()) == []
    assert sha256(example_book) == before


def test_pdf_into_a_folder_is_no_internal_error(example_book, tmp_path, monkeypatch):

    import xlbudget.app.publish as publish

    written = []

    def publish_file(book, target, **_):  # LibreOffice is not needed to see where the PDF would go
        written.append(target)
        return publish.PublishResult(target, 1, {}, [])

    monkeypatch.setattr(publish, "publish_file", publish_file)
    out = tmp_path / "pdf資料夾"
    out.mkdir()
    assert main(["pdf", str(example_book), "-o", str(out)]) == 0
    assert written == [out / "範例.pdf"]  # was exit 3 (IsADirectoryError): the folder was taken for the file


def test_build_and_mark_into_a_folder_use_the_source_name(example_book, tmp_path):
    out = tmp_path / "built"
    out.mkdir()
    assert main(["build", str(example_book), "-o", str(out)]) == 0
    assert (out / example_book.name).exists()
    marked = tmp_path / "marked"
    marked.mkdir()
    assert main(["check", str(out / example_book.name), "--mark", "-o", str(marked)]) in (0, 1)
    assert "檢核結果" in openpyxl.load_workbook(marked / example_book.name).sheetnames


def test_convert_a_path_that_does_not_exist(tmp_path, capsys):
    # field report 7 f12: a mistyped folder is «找不到 …» and nothing written, no output folder made for no book
    out = tmp_path / "out"
    missing = str(tmp_path / "沒有這個資料夾")
    assert main(["convert", missing, "-o", str(out)]) == 2
    text = capsys.readouterr()
    assert f"找不到 {missing}" in text.err and "消失" not in text.err + text.out
    assert "Traceback" not in text.err and not out.exists()
    assert main(["convert", missing, str(tmp_path / "也沒有.xlsx"), "-o", str(out)]) == 2  # every one named
    assert f"找不到 {missing}、{tmp_path / '也沒有.xlsx'}" in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize("args", [("check", "甲.xlsx", "乙.xlsx"), ("check", "甲.xlsx", "乙.xlsx", "丙.xlsx", "--format", "json")])
def test_check_of_two_books_says_check_takes_one(args):
    # field report 7 f12: not «無法辨識的參數：乙.xlsx» with the top-level usage
    code, text = run(*args)
    assert code == 2 and "Traceback" not in text
    assert "xlbudget check：錯誤：check 一次檢核一本；多本請用 xlbudget convert 資料夾" in text
    assert "用法：xlbudget check" in text


def test_convert_output_that_is_a_file(tmp_path, capsys):
    (tmp_path / "out.xlsx").write_text("x")
    assert main(["convert", str(tmp_path), "-o", str(tmp_path / "out.xlsx")]) == 2
    assert "資料夾" in capsys.readouterr().err


def test_convert_summary_lists_every_file_found_or_given(tmp_path):
    folder = tmp_path / "各機關"
    (folder / "子").mkdir(parents=True)
    small_book(folder / "甲.xlsx", "甲局", "02-001", [("32020010101", "一般行政-行政管理", "2018", 2_000)])
    (folder / "~$甲.xlsx").write_bytes(b"\x00lock")  # Excel's lock file while 甲.xlsx is open
    (folder / "舊.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (folder / "說明.pdf").write_bytes(b"%PDF-1.4")
    (folder / "子" / "備註.txt").write_text("備註", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    with zipfile.ZipFile(folder / "子" / "試算.ods", "w") as z:  # not readable as a book: said so, with why
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    given = tmp_path / "另給.docx"
    given.write_text("x")
    out = folder / "轉換結果"  # the output folder inside the input folder: its files are never read as books
    code = main(["convert", str(folder), str(given), str(tmp_path / "不存在.xlsx"), "-o", str(out), "--jobs", "1"])
    assert code == 2
    rows = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))["books"]
    status = {rows_name(r["source"], tmp_path): (r["status"], r["message"]) for r in rows}
    reason = {rows_name(r["source"], tmp_path): r["reason"] for r in rows}
    assert set(status) == {"各機關/甲.xlsx", "各機關/~$甲.xlsx", "各機關/舊.xls", "各機關/說明.pdf", "各機關/子/備註.txt",
                           "各機關/.DS_Store", "各機關/子/試算.ods", "另給.docx", "不存在.xlsx"}
    assert status["各機關/甲.xlsx"][0] == OK
    assert (status["各機關/~$甲.xlsx"][0], reason["各機關/~$甲.xlsx"]) == (NOT_A_BOOK, "lock-file")
    assert (status["各機關/舊.xls"][0], reason["各機關/舊.xls"]) == (UNREADABLE, "file-old-xls")
    assert (status["各機關/說明.pdf"][0], reason["各機關/說明.pdf"]) == (NOT_A_BOOK, "not-a-book")
    assert (status["各機關/.DS_Store"][0], reason["各機關/.DS_Store"]) == (NOT_A_BOOK, "hidden-file")
    assert status["各機關/子/試算.ods"][0] in (UNREADABLE, OK) and status["各機關/子/試算.ods"][1]
    assert (status["另給.docx"][0], reason["另給.docx"]) == (UNREADABLE, "not-a-book")  # named: not passed over
    assert (status["不存在.xlsx"][0], reason["不存在.xlsx"]) == (UNREADABLE, "path-missing")
    assert all(message for s, message in status.values() if s != OK)
    summary = openpyxl.load_workbook(out / "轉換摘要.xlsx")["摘要"]
    assert summary.max_row == 1 + len(status)
    # a re-run never reads its own outputs (轉換摘要.xlsx, 甲.xlsx in 轉換結果) as books
    main(["convert", str(folder), "-o", str(out), "--jobs", "1"])
    rows = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))["books"]
    assert not any("轉換結果" in r["source"] for r in rows)


def rows_name(source: str, base) -> str:
    from pathlib import Path

    path = Path(source)
    return path.relative_to(base).as_posix() if path.is_absolute() else source


@pytest.mark.parametrize("args,said", [(("build", "甲.xlsx", "乙.xlsx"), "build 一次產生一本"),
                                       (("export", "甲.xlsx", "乙.xlsx", "--format", "json"), "export 一次匯出一本")])
def test_build_and_export_of_two_books_say_they_take_one(args, said):
    # as check (field report 7 f12): convert does both for a folder (its xlsx are built books, --format json/csv
    # exports); it was «無法辨識的參數：乙.xlsx» with the top-level usage
    code, text = run(*args)
    assert code == 2 and "Traceback" not in text
    assert f"xlbudget {args[0]}：錯誤：{said}；多本請用 xlbudget convert 資料夾" in text
    assert f"用法：xlbudget {args[0]}" in text and "無法辨識" not in text


@pytest.mark.parametrize("args,said", [
    (("pdf", "甲.xlsx", "乙.xlsx"), "pdf 一次輸出一本；多本請逐本執行 xlbudget pdf 活頁簿"),
    (("next-year", "甲.xlsx", "乙.xlsx", "-o", "丙.xlsx"), "next-year 一次產生一本；多本請逐本執行 xlbudget next-year 活頁簿 -o 輸出檔"),
    (("next-year", "甲.xlsx", "乙.xlsx"), "next-year 一次產生一本")])
def test_pdf_and_next_year_of_two_books_say_they_take_one(args, said):
    # as build and export (42e48eb), with their own remedy: convert makes neither a PDF nor next year's book.
    # They said «無法辨識的參數：乙.xlsx» with the top-level usage
    code, text = run(*args)
    assert code == 2 and "Traceback" not in text
    assert f"xlbudget {args[0]}：錯誤：{said}" in text
    assert f"用法：xlbudget {args[0]}" in text and "無法辨識" not in text and "convert" not in text


def test_a_command_named_first_is_parsed_by_its_own_parser_alone_as_by_the_whole():
    """main makes only the parser of the command named first (cli.parser(only=…)): the other eight are not made.
    Its help, usage and what it parses are the whole parser's; a name that is no command gets the whole parser,
    whose error lists every command."""
    import argparse

    from xlbudget import cli

    def commands(top):
        return next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices

    whole = commands(cli.parser())
    assert len(whole) == 9
    for name, full in whole.items():
        alone = commands(cli.parser(name))
        assert list(alone) == [name]
        assert alone[name].format_help() == full.format_help()
        assert alone[name].format_usage() == full.format_usage()
    line = ["convert", "預算書", "-o", "輸出", "--jobs", "2", "--mark", "--timeout", "30"]
    assert vars(cli.parser("convert").parse_args(line)) == vars(cli.parser().parse_args(line))
    assert list(commands(cli.parser("conver"))) == list(whole)
