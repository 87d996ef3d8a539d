"""What a command imports before it reads a book (issue 13, start-up): a template book's build, convert, check and
export need no printed-table reader (about 3 % of build's instructions: five dataclasses and the page patterns)."""

import subprocess
import sys

import pytest

PATHS = ("xlbudget.cli", "xlbudget.app.pipeline", "xlbudget.app.splicebuild", "xlbudget.app.convert",
         "xlbudget.rules.checks", "xlbudget.adapters.books", "xlbudget.adapters.xlsxbook")
PRINTED = ("xlbudget.readers.printed_model", "xlbudget.readers.printed_pages", "xlbudget.readers.printed",
           "xlbudget.readers.printed_rows", "difflib",
           "importlib.resources")  # the package data is read from its folder (core.codes.data_text): 1.5 ms


def test_the_template_paths_import_no_printed_reader():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in PATHS)
            + "from xlbudget.core.codes import object_codes\nobject_codes()\n"
            + "from xlbudget.adapters.xlsxbook import _stored\n_stored()\n"
            + f"print(','.join(m for m in {PRINTED!r} if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_narrative_patterns_are_compiled_when_first_used():
    """derive.narrative's 總說明 patterns (8 ms of build's start, issue 13) are compiled on their first use, not at
    import; then they find what re.compile's pattern finds."""
    code = ("import re\n"
            "import xlbudget.app.pipeline, xlbudget.rules.narrative\n"
            "from xlbudget.core.patterns import LazyPattern\n"
            "from xlbudget.derive import narrative\n"
            "lazy = {k: v for k, v in vars(narrative).items() if isinstance(v, LazyPattern)}\n"
            "eager = [k for k, v in vars(narrative).items() if isinstance(v, re.Pattern)]\n"
            "compiled = [k for k, v in lazy.items() if 'finditer' in vars(v)]\n"
            "text = '歲出預算數2億7,579萬5千元，較上年度增列128,993千元，約占3.5%'\n"
            "found = [m.group() for m in narrative.AMOUNT_PATTERN.finditer(text)]\n"
            "same = found == [m.group() for m in re.compile(narrative.AMOUNT_PATTERN.pattern).finditer(text)]\n"
            "print(len(lazy), eager, compiled, found, same, 'finditer' in vars(narrative.AMOUNT_PATTERN))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split(" ", 1)[1].strip() == "[] [] ['2億7,579萬5千元', '128,993千元'] True True"
    assert int(out.stdout.split()[0]) >= 12


def test_build_of_a_book_without_notes_imports_no_openpyxl(tmp_path):
    """build splices with lxml and XlsxWriter: openpyxl (≈60 % of build's own start-up) is imported only for a book
    whose table sheets carry notes (adapters.splicemark). Red when splicebuild imported splicemark on every build
    (build ÷ import openpyxl 1.31 → 1.92 CPU, bench_startup)."""
    import shutil
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
    book = tmp_path / "book.xlsx"
    shutil.copy(example, book)
    code = ("import sys, contextlib, io\n"
            f"sys.argv = ['xlbudget', 'build', {str(book)!r}, '-o', {str(tmp_path / 'out.xlsx')!r}]\n"
            "from xlbudget.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(sys.argv[1:])\n"  # with its argv: the program itself ends by os._exit (cli._leave)
            "print('openpyxl' in sys.modules, (sys.argv and __import__('os').path.exists(sys.argv[4])), 'html' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # nor html (its 2,000-odd entities, 1 ms) for a book whose formulas hold no character reference (fastread.unescaped):
    # red when splice's formulas imported it for every 總說明
    assert out.stdout.split() == ["False", "True", "False"]


@pytest.mark.parametrize("text", ["=SUM(A1:A3)", "=IF(A1&lt;0,&quot;負&quot;,A1)", "=A1&amp;B1", "&#10;", "&", ""])
def test_unescaped_is_html_unescape(text):
    from html import unescape

    from xlbudget.adapters.fastread import unescaped

    assert unescaped(text) == unescape(text)


def test_export_of_a_book_without_records_imports_no_hashlib(tmp_path):
    """forms.overwrite digests a table's cells with SHA-1 only for a book build has recorded tables in: export of an
    input book imports it (app.stale, for RECORD_NAME) but not hashlib, which loads OpenSSL (3.5 ms of export's
    start, issue 13). Red with hashlib imported at the top of forms.overwrite and not deferred by the command line
    (which defers it since session 35: then in sys.modules, unrun, OpenSSL's _hashlib not loaded)."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
    code = ("import sys\nfrom xlbudget.cli import main\n"
            f"code = main(['export', {str(example)!r}, '--format', 'json', '-o', {str(tmp_path / 'e.json')!r}])\n"
            "print(code, 'xlbudget.forms.overwrite' in sys.modules, '_hashlib' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-3:] == ["0", "True", "False"]


def test_inspect_runs_only_when_first_used(tmp_path):
    """dataclasses imports inspect (with ast, dis, tokenize: 20 M instructions of convert's start before its workers
    fork, callgrind) for the docstring of a class that has none: convert of a book runs none of it (xlbudget.defer).
    Asked for, it is the whole module: a signature, and a dataclass without a docstring given one as dataclasses
    writes it. Red with inspect imported as usual (the first line «module True»)."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
    code = ("import sys\n"
            "import xlbudget.cli\n"
            "from xlbudget.app import convert\n"
            "convert._warm('xlsx', False)\n"
            f"result = convert.convert_one({str(example)!r}, {str(tmp_path / 'out.xlsx')!r})\n"
            "print(result.status, type(sys.modules['inspect']).__name__, 'ast' in sys.modules)\n"
            "import inspect\n"
            "from dataclasses import dataclass\n"
            "@dataclass\n"
            "class Plain:\n"
            "    amount: int\n"
            "    name: str = ''\n"
            "def f(a, b=2, *, c): pass\n"
            "print(type(inspect).__name__, 'ast' in sys.modules, Plain.__doc__, inspect.signature(f),"
            " inspect.isfunction(f), inspect.__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, second = out.stdout.splitlines()[-2:]
    assert first.split()[1:] == ["_OnFirstUse", "False"]
    assert second == "module True Plain(amount: int, name: str = '') (a, b=2, *, c) True inspect"


def test_defer_leaves_an_imported_module_alone():
    """A module imported already (pytest imports inspect) is never replaced: defer does nothing."""
    import inspect

    import xlbudget

    xlbudget.defer("inspect")
    assert sys.modules["inspect"] is inspect and type(inspect).__name__ == "module"


def test_inspect_is_deferred_by_the_command_line_only():
    """``import xlbudget`` alone (the add-in's process: xlwings, xlwings Lite) leaves inspect to be imported as
    usual, by whoever asks for it; the command line defers it (xlbudget.cli). Red with defer("inspect") called by
    the package itself."""
    code = ("import sys\nimport xlbudget, xlbudget.core.model\n"
            "print(type(sys.modules.get('inspect')).__name__)\n"
            "import xlbudget.cli\nprint(type(sys.modules.get('inspect')).__name__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["module", "module"]
    code = "import sys\nimport xlbudget.cli\nprint(type(sys.modules.get('inspect')).__name__)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["_OnFirstUse"]


def test_convert_loads_no_openssl_nor_bz2_nor_lzma(tmp_path):
    """The command line defers hashlib (OpenSSL: 11.5 M instructions of every convert's start, callgrind), bz2 and lzma
    (with _compression, 4.5 M): XlsxWriter's image.py and zipfile, shutil import them for what a convert of a book
    never does (an image digested, a member so compressed). code_version fingerprints the package's files without
    them. Red with the three imported as usual (xlbudget.cli's defer lines taken out)."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
    code = ("import sys, contextlib, io\nfrom xlbudget.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = main(['convert', {str(example)!r}, '-o', {str(tmp_path / 'out')!r}])\n"
            "from xlbudget.app.convert import code_version\n"
            "print(code, code_version().split('+')[1].isalnum(),"
            " [m for m in ('_hashlib', '_bz2', '_lzma', '_compression') if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split(" ", 2)[1:] == ["True", "[]\n"]
    assert (tmp_path / "out" / "轉換摘要.xlsx").exists()


def test_zip_members_compressed_by_bz2_or_lzma_are_read_as_before(tmp_path):
    """A .zip an office sends may hold members compressed by BZIP2 or LZMA (7-Zip makes them), and an .ods renamed
    .zip may be so compressed: with bz2 and lzma deferred by the command line, the member is read all the same, the
    module run as it is first used (its native part then loaded). Through the command line: the zip's book named, the
    two .ods told apart by their mimetype part (read, BZIP2 / LZMA), as 4200fa1 told them."""
    import zipfile

    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "丙局.zip", "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("丙局.xlsx", b"PK\x05\x06" + bytes(18))
        z.writestr("說明.txt", "請查收", compress_type=zipfile.ZIP_LZMA)
    for name, method in (("社會局.zip", zipfile.ZIP_LZMA), ("文化局.zip", zipfile.ZIP_BZIP2)):
        with zipfile.ZipFile(folder / name, "w", method) as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", "<office:document-content/>")
    code = ("import os, sys, contextlib, io, json\nfrom xlbudget.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            f"    code = main(['convert', {str(folder)!r}, '-o', {str(tmp_path / 'out')!r}])\n"
            f"data = json.loads(open({str(tmp_path / 'out' / '轉換摘要.json')!r}, encoding='utf-8').read())\n"
            "print(code, sorted((os.path.basename(r['source']), r['reason']) for r in data['books'] if r['source'].endswith('.zip')),"
            " [m for m in ('_bz2', '_lzma') if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ("2 [('丙局.zip', 'archive-with-books'), ('文化局.zip', 'archive-is-ods'), "
                                  "('社會局.zip', 'archive-is-ods')] ['_bz2', '_lzma']")
