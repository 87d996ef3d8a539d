"""xlbudget.adapters.atomic: the one writer every saved file goes through."""

import os
import shutil
from pathlib import Path

import pytest

from xlbudget.adapters.atomic import write_atomic, write_text_atomic
from xlbudget.cli import main


def test_atomic_writer_leaves_the_old_file_or_the_new_one(tmp_path):
    """One atomic writer for every file xlbudget writes: a failed write leaves the old file and no temporary."""
    target = tmp_path / "sub" / "out.json"
    write_text_atomic(target, "舊")

    def half_then_fail(tmp):
        tmp.write_text("半", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomic(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "舊"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.json"]
    write_text_atomic(target, "新")
    assert target.read_text(encoding="utf-8") == "新"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


def test_a_failed_backup_copy_leaves_no_half_backup(tmp_path, monkeypatch):
    """The backup kept before a book is rewritten goes through the atomic writer too: a copy that fails
    half-way (disk full) leaves nothing that looks like a backup, and the book as it was."""
    from pathlib import Path

    from xlbudget.adapters import xlsxfile

    book = tmp_path / "預算.xlsx"
    book.write_bytes(b"PK" + bytes(1000))

    def half_then_fail(src, dst, **kwargs):
        Path(dst).write_bytes(Path(src).read_bytes()[:10])
        raise OSError("disk full")

    monkeypatch.setattr(xlsxfile.shutil, "copy2", half_then_fail)
    with pytest.raises(OSError):
        xlsxfile.backup_copy(book)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["預算.xlsx"]
    assert book.read_bytes() == b"PK" + bytes(1000)


# -- leftovers 7: a book open in Excel (~$NAME beside it, Windows and macOS) or LibreOffice (.~lock.NAME#) is not
# written over: on macOS and Linux the rename succeeds and the officer's next save in the open book undoes ours.

LIBREOFFICE_LOCK = "王小明,wang,pc-01,01.12.2026 09:30,file:///home/wang/.config/libreoffice/4;"


@pytest.mark.parametrize("lock,content,said", [
    ("~$範例.xlsx", b"\x04wang" + b" " * 49, "範例.xlsx 正在 Excel 中開啟（旁邊有鎖定檔 ~$範例.xlsx）"),
    (".~lock.範例.xlsx#", LIBREOFFICE_LOCK.encode(),
     "範例.xlsx 正在 LibreOffice 中開啟（旁邊有鎖定檔 .~lock.範例.xlsx#，由 王小明 開啟）"),
])
def test_build_does_not_write_over_a_book_open_beside_its_lock_file(example_book, tmp_path, capsys, lock, content,
                                                                    said):
    from conftest import sha256

    from xlbudget.cli import main

    (tmp_path / lock).write_bytes(content)
    before = sha256(example_book)
    assert main(["build", str(example_book)]) == 2  # in place
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    # the output is refused, not the input (field report 4 §5.2, f25): it said «輸入資料有誤（範例.xlsx）»
    assert err.startswith("未寫出輸出檔（範例.xlsx）：") and "輸入資料有誤" not in err, err
    assert sha256(example_book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([lock, "範例.xlsx"])  # no backup, no temporary
    other = tmp_path / "另存.xlsx"
    assert main(["build", str(example_book), "-o", str(other)]) == 0  # the open book is only read
    capsys.readouterr()
    (tmp_path / lock.replace("範例", "另存")).write_bytes(content)
    written = sha256(other)
    # an open output is not written over either, --force or not (without it, output-exists comes first)
    assert main(["build", str(example_book), "-o", str(other), "--force"]) == 2
    assert "另存.xlsx 正在" in capsys.readouterr().err and sha256(other) == written


def test_a_lock_file_of_another_book_or_none_lets_it_be_written(tmp_path):
    from xlbudget.adapters.atomic import lock_file

    target = tmp_path / "預算.xlsx"
    write_text_atomic(target, "舊")
    (tmp_path / "~$別本.xlsx").write_bytes(b"x")
    (tmp_path / ".~lock.預算.xlsm#").write_bytes(b"x")
    assert lock_file(target) is None
    write_text_atomic(target, "新")
    assert target.read_text(encoding="utf-8") == "新"


@pytest.mark.parametrize("stored", [True, False])
def test_cached_values_are_put_back_and_every_other_part_kept(tmp_path, monkeypatch, stored):
    """save_atomic puts a formula's cached value beside it; every other part is copied as openpyxl stored it
    (package.copy_stored), or written again where it cannot be (``stored`` False: copy_stored refuses)."""
    import zipfile

    import openpyxl

    from xlbudget.adapters import package
    from xlbudget.adapters.xlsxfile import save_atomic

    if not stored:
        def refuse(*args):
            raise package.PackageClash("an encrypted or zip64 entry")

        monkeypatch.setattr(package, "copy_stored", refuse)
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.active["A1"], wb.active["A2"], wb.active["B1"] = 3, "=A1*2", "文字"
    wb.create_sheet("另表")["C3"] = "=1+1"
    bare = tmp_path / "bare.xlsx"
    wb.save(bare)
    path = save_atomic(wb, tmp_path / "kept.xlsx", {"表": {"A2": 6}, "另表": {"C3": 2}})
    values = openpyxl.load_workbook(path, data_only=True)
    assert (values["表"]["A2"].value, values["另表"]["C3"].value, values["表"]["B1"].value) == (6, 2, "文字")
    import re

    def part(book, name):
        # openpyxl stamps dcterms:modified with the second of each save: two saves a second apart
        # differ there (a test that failed under load), and nowhere else may they differ
        data = book.read(name)
        if name == "docProps/core.xml":
            data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", data)
        return data

    with zipfile.ZipFile(bare) as before, zipfile.ZipFile(path) as after:
        assert after.namelist() == before.namelist() and after.testzip() is None
        changed = {n for n in before.namelist() if part(before, n) != part(after, n)}
    assert changed == {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_a_rewritten_book_and_its_backup_keep_its_permission_bits(example_book, tmp_path, mode):
    """Field report 11 §2.5: build in place gave every book 0666 less the umask (0644): a draft closed to others
    (0600) became readable by every user of a shared folder, a group's book (0664) read-only for the group — its
    backup too. Both keep the book's own bits; a new output still gets a plain write's."""
    import shutil

    from xlbudget.cli import main

    book = tmp_path / "預算.xlsx"
    shutil.copy(example_book, book)
    book.chmod(mode)
    assert main(["build", str(book)]) in (0, 1)
    (backup,) = tmp_path.glob("預算.備份-*.xlsx")
    assert book.stat().st_mode & 0o777 == mode
    assert backup.stat().st_mode & 0o777 == mode
    out = tmp_path / "新.xlsx"
    assert main(["build", str(book), "-o", str(out)]) in (0, 1)
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_book_reached_by_a_symbolic_link_is_rewritten_where_it_points(example_book, tmp_path):
    """Field report 11 §2.4: build through 我的/預算.xlsx → ../共用/預算.xlsx replaced the link with a private copy
    (os.replace renames over the link): the shared book stayed unbuilt and the officer's later edits went into a
    copy nobody else sees. The link stays a link; the book it names is built, its backup beside it."""
    import shutil
    import zipfile

    from xlbudget.cli import main

    shared, mine = tmp_path / "共用", tmp_path / "我的"
    shared.mkdir()
    mine.mkdir()
    book = shared / "預算.xlsx"
    shutil.copy(example_book, book)
    before = book.read_bytes()
    link = mine / "預算.xlsx"
    link.symlink_to(Path("..") / "共用" / "預算.xlsx")
    assert main(["build", str(link)]) in (0, 1)
    assert link.is_symlink() and link.resolve() == book.resolve()
    assert book.read_bytes() != before  # built where the link points
    with zipfile.ZipFile(book) as z:
        assert any("目次" in z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    (backup,) = shared.glob("預算.備份-*.xlsx")
    assert backup.read_bytes() == before
    assert sorted(p.name for p in mine.iterdir()) == ["預算.xlsx"]


@pytest.mark.parametrize("argv", [["build", "{book}"], ["check", "--mark", "{book}"],
                                  ["next-year", "{book}", "-o", "{folder}/下年度.xlsx"]])
def test_a_killed_runs_temporary_file_is_removed_by_the_next_run_in_that_folder(tmp_path, argv, capsys):
    """next-year or build killed mid-write (field report 11 §3.2) left «.~xlbudget-jqgb3so6.xlsx», not a valid zip,
    beside the book for good: the next build, check --mark or next-year writing in that folder removes it, and says
    so; a temporary file a run is still writing (its lock held, here by this test) is left to it."""
    import fcntl

    from test_convert import EXAMPLE

    book = tmp_path / "預算 書.xlsx"
    shutil.copy(EXAMPLE, book)
    stale = tmp_path / ".~xlbudget-jqgb3so6.xlsx"
    stale.write_bytes(b"PK\x03\x04 half")
    live = tmp_path / ".~xlbudget-live0001.xlsx"
    live.write_bytes(b"PK\x03\x04 being written")
    officers = tmp_path / ".~xlbudget-mine.xlsx"  # not a name write_atomic makes: never ours to remove
    officers.write_bytes(b"his")
    with open(live, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main([a.format(book=book, folder=tmp_path) for a in argv]) in (0, 1)
    assert not stale.exists()
    assert live.exists() and officers.exists()
    assert f"暫存檔 1 個（{tmp_path}）" in capsys.readouterr().out


def test_a_temporary_file_being_written_is_never_removed_as_stale(tmp_path):
    """A build and a check --mark in one folder at once: one's clearing of stale temporary files passes the other's
    over while it is written (its lock held), and removes it once it is left behind."""
    from xlbudget.adapters.atomic import remove_stale_temps

    seen = []

    def write(tmp):
        tmp.write_bytes(b"PK\x03\x04")
        seen.append(remove_stale_temps(tmp_path))  # another run's clearing, mid-write
        assert tmp.exists()

    write_atomic(tmp_path / "預算.xlsx", write)
    assert seen == [0] and sorted(p.name for p in tmp_path.iterdir()) == ["預算.xlsx"]


def test_the_line_for_removed_temporary_files_is_one(tmp_path, capsys):
    """«已移除上次中斷留下的暫存檔 N 個（資料夾）» was written twice, in cli._clear_stale_temps and in convert's progress
    line: now both print atomic.stale_temps_line, and the words are in the package once. convert's output folder
    holding a killed run's temporary file says the very line build would. Red on main: the phrase found in cli.py
    and app/convert.py (and no stale_temps_line to import)."""
    from pathlib import Path

    import xlbudget
    from xlbudget.adapters.atomic import stale_temps_line
    from test_convert import EXAMPLE

    package = Path(xlbudget.__file__).parent
    holders = [p.relative_to(package).as_posix() for p in package.rglob("*.py") if "上次中斷留下的暫存檔" in p.read_text()]
    assert holders == ["adapters/atomic.py"]
    out = tmp_path / "輸出"
    out.mkdir()
    (out / ".~xlbudget-jqgb3so6.xlsx").write_bytes(b"PK\x03\x04 half")
    shutil.copy(EXAMPLE, tmp_path / "預算.xlsx")
    assert main(["convert", str(tmp_path / "預算.xlsx"), "-o", str(out)]) in (0, 1)
    said = capsys.readouterr()
    assert stale_temps_line(1, out) == f"已移除上次中斷留下的暫存檔 1 個（{out}）"
    assert stale_temps_line(1, out) in (said.out + said.err).splitlines()
