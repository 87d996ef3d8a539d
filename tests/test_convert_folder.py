"""convert's output folder and what it finds: a failed book leaves no output that looks current, an input is never
written over, files that are no books are passed over with why, and the summary counts alike everywhere."""

import json
import sys
from pathlib import Path

from xlbudget.app.convert import OK, UNREADABLE, convert_paths
from xlbudget.cli import main

from conftest import sha256
from test_convert import small_book


def _book(path: Path, agency: str = "甲局", code: str = "02-001", amount: int = 1_500) -> Path:
    return small_book(path, agency, code, [("32020010101", "一般行政-行政管理", "2018", amount)])


def _rows(out: Path) -> dict[str, dict]:
    return {Path(r["source"]).name: r for r in json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))["books"]}


def test_a_book_that_fails_now_leaves_no_output_of_last_run(tmp_path, capsys):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    _book(folder / "甲.xlsx")
    _book(folder / "乙.xlsx", "乙處", "02-002", 2_400)
    assert main(["convert", str(folder), "-o", str(out), "--jobs", "1"]) == 0
    old = sha256(out / "乙.xlsx")
    (folder / "乙.xlsx").write_bytes(b"truncated")  # copied half-way from a USB stick: 乙 cannot be read this time
    capsys.readouterr()
    assert main(["convert", str(folder), "-o", str(out), "--jobs", "1"]) == 2
    _, err = capsys.readouterr()
    assert not (out / "乙.xlsx").exists()  # last run's figures are not beside this run's 轉換摘要
    assert sha256(out / "乙.xlsx.過期") == old  # kept, under a name no one takes for this run's book
    row = _rows(out)["乙.xlsx"]
    assert row["status"] == UNREADABLE and row["reason"] == "file-not-xlsx"
    assert "乙.xlsx.過期" in row["message"] and "乙.xlsx.過期" in err
    assert (out / "甲.xlsx").exists() and _rows(out)["甲.xlsx"]["status"] != UNREADABLE
    # the next run, 乙 still failing, finds nothing to rename and the old copy still kept
    assert main(["convert", str(folder), "-o", str(out), "--jobs", "1"]) == 2
    assert sha256(out / "乙.xlsx.過期") == old and "過期" not in _rows(out)["乙.xlsx"]["message"]


def test_a_book_named_inside_the_output_folder_is_never_written_over(tmp_path):
    folder = tmp_path / "預算書"
    folder.mkdir()
    book = _book(folder / "甲.xlsx")
    before = sha256(book)
    code, results = convert_paths([str(book)], str(folder), jobs=1)  # -o the book's own folder
    assert code == 2 and sha256(book) == before
    (result,) = results
    assert (result.status, result.reason, result.output) == (UNREADABLE, "output-is-input", "")
    assert "-o" in result.message and "甲.xlsx" in result.message
    # failed, it is not renamed as a stale output either: it is the input
    assert not (folder / "甲.xlsx.過期").exists()
    # a book found elsewhere of the same name as the book given in OUTDIR: converted under the next name
    other = tmp_path / "別處"
    other.mkdir()
    _book(other / "甲.xlsx", "乙處", "02-002", 2_400)
    code, results = convert_paths([str(book), str(other)], str(folder), jobs=1)
    assert sha256(book) == before
    assert {Path(r.source).parent.name: (r.status, r.reason, Path(r.output).name) for r in results} == {
        "預算書": (UNREADABLE, "output-is-input", ""), "別處": (OK, "", "甲-2.xlsx")}


def test_files_that_are_no_books_are_passed_over_with_why_never_failures(tmp_path, capsys):
    folder, out = tmp_path / "隨身碟", tmp_path / "out"
    (folder / "__MACOSX").mkdir(parents=True)
    book = _book(folder / "甲.xlsx")
    fork = b"\x00\x05\x16\x07\x00\x02\x00\x00" + b"Mac OS X        " + b"\0" * 60  # AppleDouble: no zip, no book
    (folder / "._甲.xlsx").write_bytes(fork)
    (folder / "__MACOSX" / "._甲.xlsx").write_bytes(fork)  # an archive unpacked on Windows
    (folder / ".甲備份.xlsx").write_bytes(book.read_bytes())  # hidden: a book, but no one's to convert
    (folder / "~$甲.xlsx").write_bytes(b"\x00lock")
    (folder / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "desktop.ini").write_text("[.ShellClassInfo]")
    assert main(["convert", str(folder), "-o", str(out), "--jobs", "1"]) == 0  # nothing failed
    last = capsys.readouterr().out.splitlines()[-1]
    rows = {str(Path(r["source"]).relative_to(folder)): r
            for r in json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))["books"]}
    assert {name: (r["status"], r["reason"]) for name, r in rows.items()} == {
        "甲.xlsx": (OK, ""), "._甲.xlsx": ("略過", "resource-fork"), "__MACOSX/._甲.xlsx": ("略過", "resource-fork"),
        ".甲備份.xlsx": ("略過", "hidden-file"), "~$甲.xlsx": ("略過", "lock-file"), "Thumbs.db": ("略過", "system-file"),
        "desktop.ini": ("略過", "system-file")}
    assert all(r["message"] and r["errors"] == 0 for r in rows.values() if r["status"] == "略過")
    assert sorted(p.name for p in out.iterdir()) == sorted([".xlbudget-convert.json", "甲.xlsx", "轉換摘要.json",
                                                            "轉換摘要.xlsx"])
    # the last line counts the books, and says how many files were passed over and why
    assert last.startswith("共 1 本：完成 1；另略過 6 個檔案（")
    passed = dict(part.rsplit(" ", 1) for part in last.split("個檔案（")[1].split("）")[0].split("、"))
    assert passed == {"macOS 資源分支檔": "2", "隱藏檔": "1", "Excel 暫存鎖定檔": "1", "系統檔": "2"}
    # named on the command line: a hidden book is meant and converted; a resource fork still is no book
    code, results = convert_paths([str(folder / ".甲備份.xlsx"), str(folder / "._甲.xlsx")], str(tmp_path / "o2"),
                                  jobs=1)
    assert {Path(r.source).name: (r.status, r.reason) for r in results} == {
        ".甲備份.xlsx": (OK, ""), "._甲.xlsx": ("略過", "resource-fork")}


def test_an_unreadable_book_counts_its_problems_as_errors_alike_everywhere(tmp_path, capsys):
    """錯誤 of a book that could not be read: each problem that kept it from being read, at least its reason (as
    check lists them), in the terminal's last line, 轉換摘要.xlsx and 轉換摘要.json alike."""
    import openpyxl

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    _book(folder / "甲.xlsx")
    bad = small_book(folder / "乙.xlsx", "乙處", "02-002", [("32020020101", "一般行政-行政管理", "2018", 100)] * 3)
    wb = openpyxl.load_workbook(bad)
    for row in (2, 3, 4):  # three 預算數 typed as words: three problems, each at its cell
        wb["歲出明細"][f"H{row}"] = "一百元"
    wb.save(bad)
    (folder / "丙.xlsx").write_bytes(b"PK\x03\x04 truncated")  # one problem: the file as a whole
    missing = tmp_path / "丁.xlsx"  # a book named that is not there: one
    assert main(["convert", str(folder), str(missing), "-o", str(out), "--jobs", "1"]) == 2
    last = capsys.readouterr().out.splitlines()[-1]
    # by hand: 乙 3, 丙 1, 丁 1; 甲 none
    expected = {"甲.xlsx": 0, "乙.xlsx": 3, "丙.xlsx": 1, "丁.xlsx": 1}
    assert {name: r["errors"] for name, r in _rows(out).items()} == expected
    sheet = openpyxl.load_workbook(out / "轉換摘要.xlsx")["摘要"]
    head = [c.value for c in sheet[1]]
    column = {row[head.index("檔案")]: row[head.index("錯誤")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {Path(k).name: v for k, v in column.items()} == expected
    assert "；錯誤 5、" in last and "無法讀取 3" in last
    # a book given up at its time limit is one error too (its reason, book-timeout)
    code, (result,) = convert_paths([str(folder / "甲.xlsx")], str(tmp_path / "o2"), jobs=1, timeout=0.001)
    assert (code, result.reason, result.errors) == (2, "book-timeout", 1)


def test_the_output_folder_given_as_input_is_said_so(tmp_path):
    """convert 預算書 -o 預算書: every file there is taken for our output and none read; it said «資料夾 預算書 中沒有
    任何檔案», which is untrue (甲.xlsx is there). It says the folder is the output folder, and the book is untouched."""
    folder = tmp_path / "預算書"
    folder.mkdir()
    book = _book(folder / "甲.xlsx")
    before = sha256(book)
    code, results = convert_paths([str(folder)], str(folder), jobs=1)
    assert code == 2 and sha256(book) == before
    assert [(r.status, r.reason) for r in results] == [(UNREADABLE, "folder-is-output")]
    assert "-o" in results[0].message and "沒有任何檔案" not in results[0].message
    # a folder that truly holds no file is still folder-empty
    (tmp_path / "空").mkdir()
    code, results = convert_paths([str(tmp_path / "空")], str(tmp_path / "out"), jobs=1)
    assert [(r.status, r.reason) for r in results] == [(UNREADABLE, "folder-empty")]



def test_a_real_book_named_like_a_resource_fork_is_said_so_and_converted_when_named(tmp_path):
    # ._乙.xlsx holding a workbook (a zip, not AppleDouble's 00 05 16 07): an officer's own name for his book, or a
    # copy made by hand. It was passed over as «macOS 的資源分支檔…，不是預算書», untrue, and named on the command line
    # too: 乙處's 2,400 元 could never be converted. Now a hidden file as its dot name makes it (macOS, Linux), said
    # so without calling it no book, and converted when named, as a hidden book is.
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    _book(folder / "甲.xlsx")
    _book(folder / "._乙.xlsx", "乙處", "02-002", 2_400)
    (folder / "._甲.xlsx").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00" + b"Mac OS X        " + b"\0" * 60)
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert code == 0
    assert {Path(r.source).name: (r.status, r.reason) for r in results} == {
        "甲.xlsx": (OK, ""), "._乙.xlsx": ("略過", "hidden-file"), "._甲.xlsx": ("略過", "resource-fork")}
    said = next(r.message for r in results if Path(r.source).name == "._乙.xlsx")
    assert "不是預算書" not in said and "直接指明此檔" in said
    # named on the command line: converted, its one line of 2,400 元
    code, results = convert_paths([str(folder / "._乙.xlsx"), str(folder / "._甲.xlsx")], str(tmp_path / "o2"), jobs=1)
    assert code == 0
    assert [(Path(r.source).name, r.status, r.agency, r.by_object) for r in results] == [
        ("._乙.xlsx", OK, "乙處", {"2018": 2_400}), ("._甲.xlsx", "略過", "", {})]


def test_a_glob_of_books_in_the_output_folder_is_said_so(tmp_path, monkeypatch):
    """convert '預算書/*.xlsx' -o 預算書 said «沒有符合 預算書/*.xlsx 的檔案», untrue: 甲.xlsx matches, and was passed
    over as the output folder's. It says the files it matches are in the output folder; the book is untouched."""
    monkeypatch.chdir(tmp_path)
    Path("預算書").mkdir()
    book = _book(Path("預算書") / "甲.xlsx")
    before = sha256(book)
    code, results = convert_paths(["預算書/*.xlsx"], "預算書", jobs=1)
    assert code == 2 and sha256(book) == before
    assert [(r.status, r.reason) for r in results] == [(UNREADABLE, "glob-is-output")]
    assert "沒有符合" not in results[0].message and "-o" in results[0].message
    code, results = convert_paths(["預算書/*.xls"], "out", jobs=1)  # truly nothing: still glob-empty
    assert [(r.status, r.reason) for r in results] == [(UNREADABLE, "glob-empty")]


def test_each_book_is_resolved_once_by_discovery_and_once_by_convert(tmp_path, monkeypatch):
    """A book's path is resolved (os.path.realpath: an lstat for each folder of the path, 0.1 M instructions) once
    where the books are found and once for its manifest entry, used again for the next run's look-up and for the
    books moved away (issue 13): two a book, not six. The entry names the book where it really is: here through a
    folder reached by a symbolic link, the folder it points to."""
    real_folder, out = tmp_path / "真的資料夾", tmp_path / "out"
    real_folder.mkdir()
    for name, agency, code in (("甲.xlsx", "甲局", "02-001"), ("乙.xlsx", "乙處", "02-002"), ("丙.xlsx", "丙所", "02-003")):
        _book(real_folder / name, agency, code)
    (tmp_path / "捷徑").symlink_to(real_folder, target_is_directory=True)
    resolved = []
    real_resolve = Path.resolve

    def counting(self, strict=False):  # the batch's own (reading a book checks its zip's path as it reads it)
        caller = Path(sys._getframe(1).f_code.co_filename).name
        if self.suffix == ".xlsx" and self.parent.name == "捷徑" and caller in ("convert.py", "discovery.py"):
            resolved.append(self.name)
        return real_resolve(self, strict)

    monkeypatch.setattr(Path, "resolve", counting)
    for force in ([], ["--force"]):  # a folder's first run, then one that looks each book up in the manifest
        resolved.clear()
        assert main(["convert", str(tmp_path / "捷徑"), "-o", str(out), "--jobs", "1", *force]) == 0
        assert sorted(resolved) == sorted(["甲.xlsx", "乙.xlsx", "丙.xlsx"] * 2)
    manifest = json.loads((out / ".xlbudget-convert.json").read_text(encoding="utf-8"))
    assert {name: entry["source"] for name, entry in manifest.items()} == {
        name: str(real_folder.resolve() / name) for name in ("甲.xlsx", "乙.xlsx", "丙.xlsx")}


def test_a_folder_or_glob_of_no_book_exits_2_as_an_empty_one(tmp_path, monkeypatch, capsys):
    """A folder given whose files are none of them a book (a .csv, a .pdf, Excel's lock file) converted nothing
    and exited 0 with «共 0 本», which a budget office's script took for a done batch (field report 20); an
    empty folder exits 2. Now the folder (or glob) is 無法讀取, saying how many files it held and that none is a
    book, and the run exits 2; one book beside such files converts as before, exit 0. Nothing is written into
    the folder given."""
    monkeypatch.chdir(tmp_path)
    Path("只有附件").mkdir()
    Path("只有附件/說明.csv").write_text("a,b\n", encoding="utf-8")
    Path("只有附件/預算書.pdf").write_bytes(b"%PDF-1.4\n")
    Path("只有附件/~$甲.xlsx").write_bytes(b"x")
    before = sorted(p.name for p in Path("只有附件").iterdir())
    assert main(["convert", "只有附件", "-o", "out"]) == 2
    said = capsys.readouterr()
    assert "資料夾 只有附件 中的 3 個檔案都不是可轉換的預算書" in said.out + said.err
    assert sorted(p.name for p in Path("只有附件").iterdir()) == before
    code, results = convert_paths(["只有附件/*.csv"], "out2", jobs=1)
    assert code == 2
    assert [(r.status, r.reason) for r in results if r.status == UNREADABLE] == [(UNREADABLE, "glob-no-book")]
    assert "符合 只有附件/*.csv 的 1 個檔案" in next(r.message for r in results if r.status == UNREADABLE)
    _book(Path("只有附件") / "甲.xlsx")  # one book beside them: converted, no such row
    code, results = convert_paths(["只有附件"], "out3", jobs=1)
    assert code == 0
    assert [r.reason for r in results if r.status == UNREADABLE] == []
    assert [Path(r.source).name for r in results if r.status == OK] == ["甲.xlsx"]


def test_a_book_keeps_its_output_name_when_a_new_book_would_take_it(tmp_path):
    """Output names followed the order books are found in: last run's 甲乙__丙.xlsx (a book of 丙所) had the output
    甲乙__丙.xlsx; a new book 甲乙/丙.xlsx (of 丁處) sorted before it this run took that name, and 丙所's output moved to
    甲乙__丙-2.xlsx, unsaid (field report 20). Each book now keeps last run's name; the new one gets the -2."""
    import openpyxl

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    _book(folder / "甲乙__丙.xlsx", "丙所", "02-003", 1_500)
    code, _ = convert_paths([str(folder)], str(out), jobs=1)
    assert code == 0 and (out / "甲乙__丙.xlsx").exists()
    (folder / "甲乙").mkdir()
    _book(folder / "甲乙" / "丙.xlsx", "丁處", "02-004", 2_400)
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert code == 0
    outputs = {Path(r.source).relative_to(folder).as_posix(): Path(r.output).name for r in results}
    assert outputs == {"甲乙__丙.xlsx": "甲乙__丙.xlsx", "甲乙/丙.xlsx": "甲乙__丙-2.xlsx"}
    agency = {name: openpyxl.load_workbook(out / name, read_only=True)["基本資料"]["B2"].value
              for name in ("甲乙__丙.xlsx", "甲乙__丙-2.xlsx")}
    assert agency == {"甲乙__丙.xlsx": "丙所", "甲乙__丙-2.xlsx": "丁處"}
    # a folder converted for the first time names them in the order found, as before
    code, results = convert_paths([str(folder)], str(tmp_path / "fresh"), jobs=1)
    assert {Path(r.source).relative_to(folder).as_posix(): Path(r.output).name for r in results} == {
        "甲乙/丙.xlsx": "甲乙__丙.xlsx", "甲乙__丙.xlsx": "甲乙__丙-2.xlsx"}


def test_a_manifest_of_another_shape_is_read_as_none(tmp_path, capsys):
    """convert's manifest (.xlbudget-convert.json) holding JSON of another shape — a list, an entry that is a
    number, a result of other fields (edited by hand, another program's file) — was an internal error
    («'list' object has no attribute 'get'»), exit 70, nothing converted. It is no record of the folder's books:
    they are converted again, exit 0, and the manifest written anew; the output found at a book's name, no
    longer known as convert's, is kept as NAME.過期 (as with no manifest at all), never written over."""
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    _book(folder / "甲.xlsx")
    out.mkdir()
    for text in ('[1, 2]', '{"甲.xlsx": 5}', '{"甲.xlsx": {"source": 3}}',
                 '{"甲.xlsx": {"source": "%s", "signature": "x", "result": {"no such field": 1}}}' % (folder / "甲.xlsx")):
        (out / ".xlbudget-convert.json").write_text(text, encoding="utf-8")
        code, results = convert_paths([str(folder)], str(out), jobs=1, force=False)
        assert code == 0, text
        assert [(Path(r.source).name, r.status) for r in results] == [("甲.xlsx", OK)], text
        assert json.loads((out / ".xlbudget-convert.json").read_text(encoding="utf-8"))["甲.xlsx"]["result"]["agency"] == "甲局"
    assert sorted(p.name for p in out.glob("*.過期")) == ["甲.xlsx-2.過期", "甲.xlsx-3.過期", "甲.xlsx.過期"]
    # and the manifest written anew, whole, then says the book is up to date: converted once, not again
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert [r.reason for r in results] == ["up-to-date"]
