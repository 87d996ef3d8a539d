"""An output that exists is replaced only with --force, on every door (field report 4 §2, f24 and f25).

`new` and `next-year` refused an existing output while `demo`, `build -o`, `check --mark -o`, `compare -o`, `export -o`
and `pdf -o` replaced an officer's file with no word and no backup (demo's default name too: run the demo, edit it,
run it again, and the edits were gone). Each door now exits 2 naming the file, which is left as it was; --force
replaces it. Writing the book itself back (build, check --mark, with or without -o naming it) keeps a backup.
"""

import os

import pytest

from xlbudget.app.example import example_workbook
from xlbudget.cli import DEMO_OUTPUT, main
from xlbudget.adapters.xlsxfile import save_atomic

from conftest import sha256

OFFICERS = b"the officer's own file"


def _existing(path):
    path.write_bytes(OFFICERS)
    return path


def _bad_book(tmp_path):
    """The example with 歲出明細 H2 (25,356,370 = 1 × 25,356,370) typed 25,356,371: an error, so check --mark has
    something to mark."""
    wb = example_workbook()
    wb["歲出明細"]["H2"] = 25356371
    return save_atomic(wb, tmp_path / "bad.xlsx")


def _doors(tmp_path, book):
    other = save_atomic(example_workbook(), tmp_path / "other.xlsx")
    return {
        "demo": (["demo", "-o", "{out}"], "x.xlsx"),
        "build": (["build", str(book), "-o", "{out}"], "x.xlsx"),
        "check": (["check", str(_bad_book(tmp_path)), "--mark", "-o", "{out}"], "x.xlsx"),
        "compare": (["compare", str(book), str(other), "--format", "xlsx", "-o", "{out}"], "x.xlsx"),
        "compare-json": (["compare", str(book), str(other), "--format", "json", "-o", "{out}"], "x.json"),
        "export": (["export", str(book), "--format", "json", "-o", "{out}"], "x.json"),
        "pdf": (["pdf", str(book), "-o", "{out}"], "x.pdf"),
        "new": (["new", "{out}"], "x.xlsx"),
        "next-year": (["next-year", str(book), "-o", "{out}"], "x.xlsx"),
    }


@pytest.mark.parametrize("door", ["demo", "build", "check", "compare", "compare-json", "export", "pdf", "new",
                                  "next-year"])
def test_an_existing_output_is_refused_naming_it(example_book, tmp_path, capsys, door):
    args, name = _doors(tmp_path, example_book)[door]
    out = _existing(tmp_path / name)
    before = sha256(example_book)
    capsys.readouterr()
    assert main([a.replace("{out}", str(out)) for a in args]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "--force" in err and "輸入資料有誤" not in err, err
    assert out.read_bytes() == OFFICERS and sha256(example_book) == before
    assert not list(tmp_path.glob("x.備份*"))


@pytest.mark.parametrize("door", ["demo", "build", "check", "compare", "export", "new", "next-year"])
def test_force_replaces_it(example_book, tmp_path, capsys, door):
    args, name = _doors(tmp_path, example_book)[door]
    out = _existing(tmp_path / name)
    assert main([a.replace("{out}", str(out)) for a in args] + ["--force"]) in (0, 1)
    assert out.read_bytes() != OFFICERS and out.stat().st_size > 1000


def test_demo_without_o_keeps_an_edited_demo_book(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    edited = sha256(tmp_path / DEMO_OUTPUT)
    assert main(["demo"]) == 2
    assert sha256(tmp_path / DEMO_OUTPUT) == edited and DEMO_OUTPUT in capsys.readouterr().err


def test_compare_xlsx_default_name_is_not_replaced(example_book, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    other = save_atomic(example_workbook(), tmp_path / "other.xlsx")
    default = _existing(tmp_path / f"比較-{example_book.stem}-other.xlsx")
    assert main(["compare", str(example_book), str(other), "--format", "xlsx"]) == 2
    assert default.read_bytes() == OFFICERS


def test_pdf_without_o_keeps_the_books_pdf_beside_it(example_book, monkeypatch, capsys):
    # was: pdf BOOK rewrote BOOK.pdf (the PDF an officer may have sent or annotated) without a word
    from xlbudget.app import publish

    rendered = []
    monkeypatch.setattr(publish, "publish_file", lambda source, target, **_: rendered.append(target) or
                        publish.PublishResult(target, 1, {}, []))
    beside = _existing(example_book.with_suffix(".pdf"))
    assert main(["pdf", str(example_book)]) == 2
    err = capsys.readouterr().err
    assert str(beside) in err and "--force" in err and rendered == [] and beside.read_bytes() == OFFICERS
    assert main(["pdf", str(example_book), "--force"]) == 0 and rendered == [beside]
    beside.unlink()
    assert main(["pdf", str(example_book)]) == 0 and rendered == [beside, beside]


@pytest.mark.parametrize("args", [["build", "{book}", "-o", "{book}"], ["check", "{book}", "--mark", "-o", "{book}"]])
def test_writing_the_book_itself_back_keeps_a_backup_as_without_o(example_book, tmp_path, capsys, args):
    before = example_book.read_bytes()
    assert main([a.replace("{book}", str(example_book)) for a in args]) in (0, 1)
    backups = list(tmp_path.glob("範例.備份*"))
    assert len(backups) == 1 and backups[0].read_bytes() == before


def test_the_readme_table_says_so():
    readme = open(os.path.join(os.path.dirname(__file__), "..", "README.md"), encoding="utf-8").read()
    assert "--force" in readme.split("| command | what it does |")[1].split("\n\n")[0]


def _second_name(book):
    """The book under a second name, as a case-insensitive disk (macOS) gives 範例.xlsx as 範例.XLSX, or a share
    reached by two paths: a hard link here. Path.resolve() tells the two names apart; they are one file."""
    alias = book.with_name("別名.xlsx")
    os.link(book, alias)
    return alias


@pytest.mark.parametrize("args, said", [
    (["next-year", "{book}", "-o", "{alias}", "--force"], "就是原預算書"),
    (["compare", "{book}", "{other}", "--format", "xlsx", "-o", "{alias}", "--force"], "是被比較的預算書之一"),
])
def test_the_book_under_a_second_name_is_the_book_itself(example_book, tmp_path, capsys, args, said):
    # was: exit 0, the comparison workbook or next year's book written over the officer's book's second name
    other = save_atomic(example_workbook(), tmp_path / "other.xlsx")
    alias, before = _second_name(example_book), sha256(example_book)
    argv = [a.format(book=example_book, alias=alias, other=other) for a in args]
    assert main(argv) == 2
    assert said in capsys.readouterr().err
    assert sha256(example_book) == before == sha256(alias)


def test_building_into_the_book_under_a_second_name_keeps_a_backup(example_book, tmp_path, capsys):
    # build -o 別名.xlsx --force is the in-place write: a backup of the book first (was: none)
    alias, before = _second_name(example_book), example_book.read_bytes()
    assert main(["build", str(example_book), "-o", str(alias), "--force"]) in (0, 1)
    backups = list(tmp_path.glob("*.備份*"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
