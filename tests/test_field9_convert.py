"""Field report 9, convert of folders: output names past the file system's limit (§4.1), and the names every other
door makes of a book's name (backups of build, compare's default output)."""

import json
import os
import shutil
from pathlib import Path

from xlbudget.adapters.xlsxfile import backup_copy
from xlbudget.app.convert import OK, UNREADABLE, convert_paths, output_names
from xlbudget.cli import main

from conftest import ROOT

EXAMPLE = ROOT / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
EXAMPLE_EXPENDITURE = 275_795  # 千元: the example's printed 歲出機關別預算表 F7

# field report 9 f02: each name legal (a Linux name holds 255 bytes), the two flattened into one output name are not
LONG_FOLDER = "07各區公所預算書彙整資料夾" * 3  # 114 bytes
LONG_FILE = "高雄市政府測試41局中華民國一百一十三年度單位預算書送審版本修正後再修正最終定稿版本請勿再修改.xlsx"  # 142 bytes


def nbytes(name: str) -> int:
    return len(name.encode("utf-8"))


def test_folder_and_long_file_name_past_255_bytes_converts_under_a_shortened_name(tmp_path):
    # on main: OSError «File name too long» out of the batch, exit 3, no 轉換摘要 and the other book's work lost
    assert nbytes(LONG_FOLDER) == 114 and nbytes(LONG_FILE) == 142 and 114 + 2 + 142 > 255
    src, out = tmp_path / "各機關", tmp_path / "結果"
    (src / LONG_FOLDER).mkdir(parents=True)
    (src / "01民政").mkdir()
    shutil.copy(EXAMPLE, src / LONG_FOLDER / LONG_FILE)
    shutil.copy(EXAMPLE, src / "01民政" / "甲局.xlsx")
    code, results = convert_paths([str(src)], str(out), jobs=1)
    assert code in (0, 1)
    long = next(r for r in results if r.source.endswith(LONG_FILE))
    short = next(r for r in results if r.source.endswith("甲局.xlsx"))
    assert long.status == OK and short.status == OK
    assert long.expenditure == short.expenditure == EXAMPLE_EXPENDITURE
    name = Path(long.output).name
    assert Path(long.output).is_file() and nbytes(name) + nbytes(".過期") <= 255
    assert name.startswith("07各區公所") and name.endswith("__" + LONG_FILE)  # recognisable: the book keeps its own name
    assert "…" in name and name in long.message and LONG_FILE in long.message  # the row names both
    summary = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))
    assert {Path(b["output"]).name for b in summary["books"]} == {name, "01民政__甲局.xlsx"}
    # the same command again: the shortened name is the same, the book up to date, not converted twice
    code, again = convert_paths([str(src)], str(out), jobs=1)
    assert [Path(r.output).name for r in again if r.source.endswith(LONG_FILE)] == [name]
    assert sorted(p.name for p in out.glob("*.xlsx")) == sorted([name, "01民政__甲局.xlsx", "轉換摘要.xlsx"])


def test_a_shortened_output_is_set_aside_as_過期_when_its_book_fails(tmp_path):
    # the .過期 rename adds 7 bytes: the name leaves room for it (on main the rename's stat raised, exit 3)
    src, out = tmp_path / "各機關", tmp_path / "結果"
    (src / LONG_FOLDER).mkdir(parents=True)
    book = src / LONG_FOLDER / LONG_FILE
    shutil.copy(EXAMPLE, book)
    code, results = convert_paths([str(src)], str(out), jobs=1)
    name = Path(results[0].output).name
    book.write_bytes(b"not a workbook at all")
    code, results = convert_paths([str(src)], str(out), jobs=1)
    assert code == 2 and results[0].status == UNREADABLE
    assert (out / (name + ".過期")).is_file() and not (out / name).exists()
    assert "過期" in results[0].message


def test_long_names_cut_alike_stay_apart():
    # two books whose names differ only past the cut: the «-2» is kept whole, every name within the limit
    folder = "資料夾" * 30  # 270 bytes
    books = [(Path(f"{folder}/甲{i}.xlsx"), f"{folder}/甲{i}.xlsx") for i in range(3)]
    names = output_names(books, lambda f: ".xlsx", room=7)
    assert len({n.lower() for n in names}) == 3
    assert all(nbytes(n) <= 248 for n in names)
    assert [n[-9:] for n in names] == ["__甲0.xlsx", "__甲1.xlsx", "__甲2.xlsx"]
    same = output_names([(Path(f"{folder}/a/x.xlsx"), f"{folder}/a/x.xlsx"), (Path(f"{folder}/b/x.xlsx"), f"{folder}/b/x.xlsx")],
                        lambda f: ".xlsx", room=7)
    assert len(set(same)) == 2 and all(nbytes(n) <= 248 for n in same)


def test_fit_name_keeps_a_name_that_fits_and_cuts_one_that_does_not():
    from xlbudget.adapters.atomic import fit_name

    assert fit_name("甲局", ".xlsx") == "甲局.xlsx"
    exact = "a" * 250
    assert fit_name(exact, ".xlsx") == exact + ".xlsx"  # 255 bytes: fits
    cut = fit_name(exact + "b", ".xlsx")
    assert nbytes(cut) <= 255 and cut.startswith("a") and cut.endswith("b.xlsx") and "…" in cut
    assert nbytes(fit_name("測" * 100, ".xlsx", room=7)) <= 248


def test_backup_of_a_book_with_a_long_name_is_made(tmp_path):
    # build and check --mark keep a copy NAME.備份-YYYYMMDD-HHMMSS.xlsx: 23 bytes more than the book's own name
    name = "測" * 81 + ".xlsx"  # 248 bytes: a legal name
    book = tmp_path / name
    shutil.copy(EXAMPLE, book)
    backup = backup_copy(book)
    assert backup.is_file() and nbytes(backup.name) <= 255 and ".備份-" in backup.name
    assert backup.read_bytes() == book.read_bytes()


def test_compare_default_output_of_two_long_names(tmp_path, monkeypatch, capsys):
    # 比較-OLD-NEW.xlsx of two 200-byte names is 400 bytes: written under a name cut in its middle
    old, new = tmp_path / ("舊" * 66 + ".xlsx"), tmp_path / ("新" * 66 + ".xlsx")
    shutil.copy(EXAMPLE, old)
    shutil.copy(EXAMPLE, new)
    monkeypatch.chdir(tmp_path)
    code = main(["compare", str(old), str(new), "--format", "xlsx"])
    assert code in (0, 1), capsys.readouterr()
    written = [p for p in os.listdir(tmp_path) if p.startswith("比較-")]
    assert len(written) == 1 and nbytes(written[0]) <= 255 and written[0].endswith("新新.xlsx")


# ---------------------------------------------------------------- §6.3 轉換摘要.xlsx open in Excel

EXCEL_LOCK = b"\x08Officer " + b"\x00" * 157  # what Excel keeps beside an open book: 165 bytes, the user's name


def test_summary_open_in_excel_is_said_before_any_book_is_converted(tmp_path, capsys):
    # on main: every book converted (乙局.xlsx written), then «…或以 -o 寫到另一個檔案» (for convert, another folder)
    src, out = tmp_path / "各機關", tmp_path / "結果"
    src.mkdir()
    shutil.copy(EXAMPLE, src / "甲局.xlsx")
    assert main(["convert", str(src), "-o", str(out)]) in (0, 1)
    summary = (out / "轉換摘要.json").read_bytes()
    (out / "~$轉換摘要.xlsx").write_bytes(EXCEL_LOCK)
    shutil.copy(EXAMPLE, src / "乙局.xlsx")  # an agency's book sent since
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "轉換摘要.xlsx 正在 Excel 中開啟" in err and "請關閉 轉換摘要.xlsx 後再執行" in err and "未轉換任何預算書" in err
    assert "以 -o" not in err and "Traceback" not in err
    assert not (out / "乙局.xlsx").exists()  # found before the books were converted
    assert (out / "轉換摘要.json").read_bytes() == summary
    (out / "~$轉換摘要.xlsx").unlink()  # closed: the same command converts the new book
    assert main(["convert", str(src), "-o", str(out)]) in (0, 1)
    assert (out / "乙局.xlsx").is_file()


# ---------------------------------------------------------------- §3.3 a book moved out of the folder since last run

def test_output_of_a_book_moved_out_is_set_aside_and_named(tmp_path, capsys):
    # on main: last run's 乙局預算案.xlsx stays in OUTDIR beside 乙局預算案(修正版).xlsx, no word anywhere
    src, out, away = tmp_path / "各機關", tmp_path / "結果", tmp_path / "不彙總"
    src.mkdir()
    away.mkdir()
    for name in ("甲局.xlsx", "乙局預算案.xlsx", "乙局預算案(修正版).xlsx"):
        shutil.copy(EXAMPLE, src / name)
    out.mkdir()
    mine = out / "我的備註.xlsx"  # a file xlbudget did not write: never touched
    shutil.copy(EXAMPLE, mine)
    assert main(["convert", str(src), "-o", str(out), "--jobs", "1"]) in (0, 1)
    old = (out / "乙局預算案.xlsx").read_bytes()
    (src / "乙局預算案.xlsx").rename(away / "乙局預算案.xlsx")  # as convert advises for a 預算案 beside its 修正版
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(out), "--jobs", "1"]) in (0, 1)
    err = capsys.readouterr().err
    assert not (out / "乙局預算案.xlsx").exists() and (out / "乙局預算案.xlsx.過期").read_bytes() == old
    assert (out / "甲局.xlsx").is_file() and (out / "乙局預算案(修正版).xlsx").is_file() and mine.is_file()
    assert "乙局預算案.xlsx.過期" in err and "已不在本次轉換的輸入中" in err
    rows = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))["books"]
    row = next(r for r in rows if r["source"].endswith(os.sep + "乙局預算案.xlsx"))
    assert row["reason"] == "output-orphaned" and row["status"] == "略過" and "乙局預算案.xlsx.過期" in row["message"]
    # the 彙總 holds the books found: 甲局 and the 修正版, each the example's 275,795 千元
    assert sum(r["expenditure"] or 0 for r in rows) == 2 * EXAMPLE_EXPENDITURE
    # said once: the next run finds nothing of it
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(out), "--jobs", "1"]) in (0, 1)
    assert "乙局預算案" not in capsys.readouterr().err.replace("乙局預算案(修正版)", "")
    assert (out / "乙局預算案.xlsx.過期").read_bytes() == old


def test_last_runs_output_of_a_book_now_under_another_name_is_set_aside(tmp_path, capsys):
    # convert 各機關/教育 wrote 甲局.xlsx; convert 各機關 writes 教育__甲局.xlsx for the same book. On main the old
    # 甲局.xlsx stayed in OUTDIR beside it, looking current (the book found, so not «moved out»), with no word: after
    # the book's revision (+1 千元 on a 2054 line of 數量 1) it held last run's 275,795 千元, not 275,796
    import openpyxl

    src, out = tmp_path / "各機關", tmp_path / "結果"
    (src / "教育").mkdir(parents=True)
    shutil.copy(EXAMPLE, src / "教育" / "甲局.xlsx")
    shutil.copy(EXAMPLE, src / "乙局.xlsx")
    assert main(["convert", str(src / "教育"), "-o", str(out), "--jobs", "1"]) in (0, 1)
    old = (out / "甲局.xlsx").read_bytes()
    wb = openpyxl.load_workbook(src / "教育" / "甲局.xlsx")
    for row in wb["歲出明細"].iter_rows(min_row=2):
        if str(row[3].value) == "2054" and row[5].value == 1:
            row[6].value += 1_000
            row[7].value += 1_000
            break
    wb.save(src / "教育" / "甲局.xlsx")
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(out), "--jobs", "1"]) in (0, 1)
    err = capsys.readouterr().err
    assert not (out / "甲局.xlsx").exists() and (out / "甲局.xlsx.過期").read_bytes() == old
    assert (out / "教育__甲局.xlsx").is_file() and (out / "乙局.xlsx").is_file()
    rows = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))["books"]
    row = next(r for r in rows if r["source"].endswith("甲局.xlsx"))
    assert "甲局.xlsx.過期" in row["message"] and "甲局.xlsx.過期" in err
    assert len(rows) == 2  # the two books; no row for a book «moved out»
    # by hand: 甲局 275,795 + 1 千元, 乙局 275,795 千元
    assert sorted(r["expenditure"] for r in rows) == [EXAMPLE_EXPENDITURE, EXAMPLE_EXPENDITURE + 1]


def test_converting_one_book_into_a_folders_output_sets_nothing_aside(tmp_path):
    # a book under no path given this run is not looked for: its output stays as it was
    src, out = tmp_path / "各機關", tmp_path / "結果"
    src.mkdir()
    for name in ("甲局.xlsx", "乙局.xlsx"):
        shutil.copy(EXAMPLE, src / name)
    convert_paths([str(src)], str(out), jobs=1)
    before = (out / "乙局.xlsx").read_bytes()
    code, results = convert_paths([str(src / "甲局.xlsx")], str(out), jobs=1)
    assert [Path(r.source).name for r in results] == ["甲局.xlsx"]
    assert (out / "乙局.xlsx").read_bytes() == before and not (out / "乙局.xlsx.過期").exists()


def test_an_output_changed_since_convert_wrote_it_is_not_set_aside(tmp_path):
    # the manifest knows the output as convert wrote it: a file put there since under its name is not ours to rename
    src, out = tmp_path / "各機關", tmp_path / "結果"
    src.mkdir()
    shutil.copy(EXAMPLE, src / "乙局.xlsx")
    convert_paths([str(src)], str(out), jobs=1)
    (out / "乙局.xlsx").write_bytes(b"the officer's own file now")
    (src / "乙局.xlsx").unlink()
    code, results = convert_paths([str(src)], str(out), jobs=1)
    assert (out / "乙局.xlsx").read_bytes() == b"the officer's own file now"
    assert not (out / "乙局.xlsx.過期").exists()


# ---------------------------------------------------------------- §5.1 last run's output folder inside the input

def test_last_runs_output_folder_inside_the_input_is_not_read_as_books(tmp_path):
    # on main: the old 轉換摘要.xlsx 無法讀取 (no-tables, exit 2) and each old output read again as its agency's book
    src = tmp_path / "各機關"
    src.mkdir()
    shutil.copy(EXAMPLE, src / "甲局.xlsx")
    shutil.copy(EXAMPLE, src / "乙局.xlsx")
    code, _ = convert_paths([str(src)], str(src / "轉換結果-1130901"), jobs=1)  # README allows OUTDIR inside
    assert code in (0, 1)
    code, results = convert_paths([str(src)], str(tmp_path / "轉換結果-1131001"), jobs=1)
    assert code in (0, 1)
    assert sorted(Path(r.source).name for r in results if r.status in (OK, "有錯誤")) == ["乙局.xlsx", "甲局.xlsx"]
    (row,) = [r for r in results if r.reason == "folder-earlier-output"]
    assert row.source == str(src / "轉換結果-1130901") and row.status == "略過"
    assert "上次轉換的輸出資料夾" in row.message and "未讀取" in row.message and "5 個檔案" in row.message
    assert not [r for r in results if r.status == UNREADABLE or "轉換結果-1130901" in r.source and r is not row]
    assert sum(r.expenditure or 0 for r in results) == 2 * EXAMPLE_EXPENDITURE


def test_only_what_the_manifest_lists_is_ours_in_a_folder_of_books(tmp_path):
    # convert of one book into a sub-folder of the agencies' folder leaves a manifest there: the agency's book beside
    # it is still read, the output it lists is not (a copy of a book the officer keeps elsewhere)
    books, other = tmp_path / "預算書", tmp_path / "其他"
    (books / "教育").mkdir(parents=True)
    other.mkdir()
    shutil.copy(EXAMPLE, books / "教育" / "甲局.xlsx")
    shutil.copy(EXAMPLE, other / "乙局.xlsx")
    convert_paths([str(other / "乙局.xlsx")], str(books / "教育"), jobs=1)  # 預算書/教育/乙局.xlsx is convert's output
    assert (books / "教育" / ".xlbudget-convert.json").is_file() and (books / "教育" / "乙局.xlsx").is_file()
    code, results = convert_paths([str(books)], str(tmp_path / "結果"), jobs=1)
    assert [Path(r.source).name for r in results if r.status in (OK, "有錯誤")] == ["甲局.xlsx"]
    (row,) = [r for r in results if r.reason == "folder-earlier-output"]
    assert row.status == "略過" and "4 個檔案" in row.message  # 乙局.xlsx, 轉換摘要.xlsx/.json, the manifest


def test_an_earlier_output_folder_given_as_the_folder_to_convert_has_its_books_read(tmp_path):
    # the folder named is last run's output folder: its books (xlbudget's own) are what the officer asks for, never
    # refused as «不是各機關的預算書» (exit 2, no book read, as the first version of §5.1 had it); only 轉換摘要.xlsx,
    # .json and the manifest are convert's own, said on one 略過 row
    src, old = tmp_path / "各機關", tmp_path / "轉換結果"
    src.mkdir()
    shutil.copy(EXAMPLE, src / "甲局.xlsx")
    convert_paths([str(src)], str(old), jobs=1)
    code, results = convert_paths([str(old)], str(tmp_path / "新結果"), jobs=1)
    assert code in (0, 1)
    assert [(Path(r.source).name, r.status, r.expenditure) for r in results if r.status in (OK, "有錯誤")] == [
        ("甲局.xlsx", OK, EXAMPLE_EXPENDITURE)]
    (row,) = [r for r in results if r.status not in (OK, "有錯誤")]
    assert (row.reason, row.status, row.source) == ("folder-earlier-output-read", "略過", str(old))
    assert "照常讀取" in row.message and "3 個檔案" in row.message  # 轉換摘要.xlsx, 轉換摘要.json, the manifest
    data = json.loads((tmp_path / "新結果" / "轉換摘要.json").read_text(encoding="utf-8"))
    assert [(r["機關"], r["本年度預算數"]) for r in data["彙總"]["歲出機關別預算表"]] == [
        ("合計", EXAMPLE_EXPENDITURE), ("高雄市政府資訊中心", EXAMPLE_EXPENDITURE)]


def test_compare_of_two_convert_output_folders_pairs_their_books(tmp_path, capsys):
    # last year's 轉換結果 against this year's: each holds convert's manifest, and its books are the ones to compare
    import openpyxl

    for side, raise_by in (("舊", 0), ("新", 5_000)):  # 元, on one 歲出明細 line of the new 甲局
        src = tmp_path / f"{side}各機關"
        src.mkdir()
        shutil.copy(EXAMPLE, src / "甲局.xlsx")
        if raise_by:
            wb = openpyxl.load_workbook(src / "甲局.xlsx")
            for row in wb["歲出明細"].iter_rows(min_row=2):
                if str(row[3].value) == "2054" and row[5].value == 1:  # 數量 1: 單價 and 預算數 raised alike
                    row[6].value += raise_by
                    row[7].value += raise_by
                    break
            wb.save(src / "甲局.xlsx")
        convert_paths([str(src)], str(tmp_path / f"{side}結果"), jobs=1)
    code = main(["compare", str(tmp_path / "舊結果"), str(tmp_path / "新結果")])
    text = capsys.readouterr().out
    assert code == 1  # one pair, with a difference
    assert "配對 1 組" in text and "無法讀取" not in text
    # by hand: 275,795,000 元 (the example's 歲出) and 5,000 元 more
    assert "275,795,000 → 275,800,000（+5,000）元" in text


# ---------------------------------------------------------------- §5.2 a book open in Excel as it is converted

def test_a_book_open_in_excel_is_converted_with_a_warning_on_its_row(tmp_path, capsys):
    # on main: the lock file is 略過 (right) and the book converted from its last save without a word
    src, out = tmp_path / "各機關", tmp_path / "結果"
    src.mkdir()
    shutil.copy(EXAMPLE, src / "甲局.xlsx")
    shutil.copy(EXAMPLE, src / "乙局.xlsx")
    (src / "~$乙局.xlsx").write_bytes(EXCEL_LOCK)
    code, results = convert_paths([str(src)], str(out), jobs=1)
    rows = {Path(r.source).name: r for r in results}
    open_note = "正在 Excel 中開啟（旁邊有鎖定檔 ~$乙局.xlsx），轉換的是上次存檔的內容"
    assert open_note in rows["乙局.xlsx"].message and rows["乙局.xlsx"].expenditure == EXAMPLE_EXPENDITURE
    assert rows["乙局.xlsx"].warnings == rows["甲局.xlsx"].warnings + 1
    assert "開啟" not in rows["甲局.xlsx"].message and rows["~$乙局.xlsx"].reason == "lock-file"
    assert open_note in capsys.readouterr().err
    saved = json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))["books"]
    assert open_note in next(b for b in saved if b["source"].endswith(os.sep + "乙局.xlsx"))["message"]
    # still open on the next run (up to date, not converted again): said again; closed: said no more
    code, results = convert_paths([str(src)], str(out), jobs=1)
    assert open_note in next(r for r in results if r.source.endswith(os.sep + "乙局.xlsx")).message
    (src / "~$乙局.xlsx").unlink()
    code, results = convert_paths([str(src)], str(out), jobs=1)
    again = next(r for r in results if r.source.endswith(os.sep + "乙局.xlsx"))
    assert "開啟" not in again.message and again.warnings == rows["甲局.xlsx"].warnings


def test_summary_opened_while_the_books_convert_keeps_the_books_done(tmp_path, monkeypatch, capsys):
    # opened during the run: the books stay written and are not redone; the refusal says so, with convert's advice
    import xlbudget.app.convert as convert

    src, out = tmp_path / "各機關", tmp_path / "結果"
    src.mkdir()
    shutil.copy(EXAMPLE, src / "甲局.xlsx")
    convert_paths([str(src)], str(out), jobs=1)
    summary = (out / "轉換摘要.json").read_bytes()
    shutil.copy(EXAMPLE, src / "乙局.xlsx")  # sent since
    task = convert._task

    def opened_meanwhile(args, limit=None):
        (out / "~$轉換摘要.xlsx").write_bytes(EXCEL_LOCK)
        return task(args, limit)

    monkeypatch.setattr(convert, "_task", opened_meanwhile)
    assert main(["convert", str(src), "-o", str(out), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "本次的預算書已轉換並寫入" in err and "請關閉 轉換摘要.xlsx 後再執行" in err and "以 -o" not in err
    # last run's 轉換摘要 set aside as this run converted 乙局 (field report 20 §1.5): not left at its name, untouched
    assert (out / "乙局.xlsx").is_file() and (out / "轉換摘要.json.過期").read_bytes() == summary
    assert not (out / "轉換摘要.json").exists()
    monkeypatch.setattr(convert, "_task", task)
    (out / "~$轉換摘要.xlsx").unlink()
    code, results = convert_paths([str(src)], str(out), jobs=1)
    assert [r.status for r in results] == ["未變更略過", "未變更略過"]
    assert len(json.loads((out / "轉換摘要.json").read_text(encoding="utf-8"))["books"]) == 2


def test_output_of_a_book_moved_out_is_set_aside_after_a_glob_run_too(tmp_path, capsys):
    """convert '各機關/*.xlsx': last run's 乙局預算案.xlsx stayed in OUTDIR, looking current, no word (red on main:
    orphans were looked for under folders given only). A book the glob does not name is not looked for: after
    '各機關/甲*.xlsx', 乙局預算案(修正版)'s output stays, its book still in the folder."""
    src, out, away = tmp_path / "各機關", tmp_path / "結果", tmp_path / "不彙總"
    src.mkdir()
    away.mkdir()
    for name in ("甲局.xlsx", "乙局預算案.xlsx", "乙局預算案(修正版).xlsx"):
        shutil.copy(EXAMPLE, src / name)
    assert main(["convert", str(src / "*.xlsx"), "-o", str(out), "--jobs", "1"]) in (0, 1)
    old = (out / "乙局預算案.xlsx").read_bytes()
    (src / "乙局預算案.xlsx").rename(away / "乙局預算案.xlsx")
    capsys.readouterr()
    assert main(["convert", str(src / "*.xlsx"), "-o", str(out), "--jobs", "1"]) in (0, 1)
    err = capsys.readouterr().err
    assert not (out / "乙局預算案.xlsx").exists() and (out / "乙局預算案.xlsx.過期").read_bytes() == old
    assert "乙局預算案.xlsx.過期" in err and "已不在本次轉換的輸入中" in err
    assert main(["convert", str(src / "甲*.xlsx"), "-o", str(out), "--jobs", "1"]) in (0, 1)
    assert (out / "乙局預算案(修正版).xlsx").is_file() and not (out / "乙局預算案(修正版).xlsx.過期").exists()


def test_a_glob_names_a_book_gone_as_glob_would_have_found_it(tmp_path, monkeypatch):
    from xlbudget.app.convert import _matched

    monkeypatch.chdir(tmp_path)
    gone = tmp_path / "各機關" / "教育" / "甲局.xlsx"  # not on disk: matched by its name alone
    assert _matched(gone, str(tmp_path / "各機關" / "*" / "*.xlsx")) and _matched(gone, "各機關/**/甲*.xlsx")
    assert _matched(gone, str(tmp_path / "**" / "*.xlsx"))
    assert not _matched(gone, str(tmp_path / "各機關" / "*.xlsx"))  # a «*» never crosses a folder
    assert not _matched(gone, str(tmp_path / "各機關" / "教育" / "乙*.xlsx"))
    assert not _matched(gone, str(tmp_path / "其他" / "*" / "*.xlsx"))
