"""Field report 20: the budget office's folder of books, converted again and again (convert's outputs).

Figures by hand: 甲局's 歲出 is 2018 1,500 元 + 2054 10,000,000 元 = 10,001,500 元 → 10,002 千元; an officer's
edit of its output to 2054 15,000,000 元 would print 15,002 千元, which no run of convert wrote.
"""

import json

import openpyxl

from xlbudget.app.convert import SKIPPED, convert_paths

from test_convert import small_book

A_ITEMS = [("32020010101", "一般行政-行政管理", "2018", 1_500), ("32020010101", "一般行政-行政管理", "2054", 10_000_000)]


def _edit_output(path, amount):
    """The officer «fixes» a figure in convert's output in Excel (歲出明細's 2054 line), as a budget office does when a
    book comes back corrected by telephone, instead of in the agency's own book."""
    wb = openpyxl.load_workbook(path)
    ws = wb["歲出明細"]
    for row in ws.iter_rows(min_row=2):
        if str(row[3].value) == "2054":
            row[6].value = row[7].value = amount
    wb.save(path)


def _summary(out):
    return {b["source"].rsplit("/", 1)[-1]: b for b in json.loads((out / "轉換摘要.json").read_text("utf-8"))["books"]}


def test_an_output_edited_since_convert_wrote_it_is_not_skipped_as_up_to_date(tmp_path):
    """f20 §1.1: the rerun said 「未變更略過（輸出已是最新）」 and 轉換摘要 kept 10,002 千元 and 0 errors for a file in the
    folder that now held 15,002 千元 (and 38 check errors: its tables against its edited inputs). Now the edited file is
    kept aside as .過期, the book is converted again from its own file, and its row says so."""
    folder, out = tmp_path / "各機關", tmp_path / "轉換結果"
    folder.mkdir()
    small_book(folder / "甲局.xlsx", "甲局", "02-001", A_ITEMS)
    convert_paths([str(folder)], str(out), jobs=1)
    _edit_output(out / "甲局.xlsx", 15_000_000)
    edited = (out / "甲局.xlsx").read_bytes()

    code, results = convert_paths([str(folder)], str(out), jobs=1)

    (result,) = results
    assert result.status != SKIPPED
    assert "甲局.xlsx.過期" in result.message and "不是上次轉換寫出的內容" in result.message
    assert (out / "甲局.xlsx.過期").read_bytes() == edited  # the officer's file, kept whole
    wb = openpyxl.load_workbook(out / "甲局.xlsx")
    assert sorted(r[7].value for r in wb["歲出明細"].iter_rows(min_row=2) if r[7].value) == [1_500, 10_000_000]
    row = _summary(out)["甲局.xlsx"]
    assert row["expenditure"] == 10_002 and "甲局.xlsx.過期" in row["message"]
    # the run after: the output is as convert wrote it, so up to date again
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert [r.status for r in results] == [SKIPPED]


def test_a_file_of_the_officer_at_an_output_name_is_kept_not_replaced(tmp_path):
    """f20 §1.2: a file the officer keeps in the output folder under a book's output name (last year's copy, notes)
    was replaced by the first convert without a word. Now it is kept as NAME.過期, and a second one again is kept
    beside it (NAME-2.過期), never over it; --force does not replace it unsaid either."""
    folder, out = tmp_path / "各機關", tmp_path / "轉換結果"
    folder.mkdir()
    out.mkdir()
    small_book(folder / "甲局.xlsx", "甲局", "02-001", A_ITEMS)
    (out / "甲局.xlsx").write_bytes(b"officer's own notes")
    (out / "甲局.xlsx.過期").write_bytes(b"an older set-aside file")

    code, results = convert_paths([str(folder)], str(out), jobs=1, force=True)

    assert (out / "甲局.xlsx-2.過期").read_bytes() == b"officer's own notes"
    assert (out / "甲局.xlsx.過期").read_bytes() == b"an older set-aside file"
    assert "甲局.xlsx-2.過期" in results[0].message
    assert _summary(out)["甲局.xlsx"]["expenditure"] == 10_002


def test_a_terminal_closed_mid_batch_stops_it_as_ctrl_c_does(tmp_path):
    """f20 §1.3: the terminal window closed (or the remote session dropped) mid-run: SIGHUP reached the batch and its
    workers, which died where they were: no manifest (the run after converted every book again), no line said. Now it
    stops as Ctrl-C: the books done remembered, exit 130, no temporary file left, the same command resumes."""
    import signal

    from test_convert_interrupted import test_signal_mid_batch_stops_cleanly_and_resumes as stops_cleanly

    stops_cleanly(tmp_path, signal.SIGHUP)


def test_a_second_convert_into_a_folder_another_is_writing_is_refused(tmp_path):
    """f20 §1.4: two converts at once into one output folder (two officers, or the command started again in another
    window): each wrote the manifest over the other's and left its own 轉換摘要 where the other said «摘要見 …» (乙's
    books in neither). Now the second is refused before it writes anything, naming the
    folder; once the first is done, it runs."""
    import fcntl
    import os

    import pytest

    from xlbudget.core.errors import XlbudgetError

    folder, out = tmp_path / "各機關", tmp_path / "轉換結果"
    folder.mkdir()
    out.mkdir()
    small_book(folder / "甲局.xlsx", "甲局", "02-001", A_ITEMS)
    held = os.open(out, os.O_RDONLY)  # the first run, as convert holds the folder
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        with pytest.raises(XlbudgetError, match="正有另一個 xlbudget convert 在寫入"):
            convert_paths([str(folder)], str(out), jobs=1)
        assert list(out.iterdir()) == []  # nothing written, no manifest, no 轉換摘要
    finally:
        os.close(held)
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert code == 0 and _summary(out)["甲局.xlsx"]["expenditure"] == 10_002


def test_a_run_stopped_midway_leaves_no_summary_of_the_run_before_as_current(tmp_path, monkeypatch):
    """f20 §1.5: a run stopped after 甲局 was converted again (Ctrl-C, a closed terminal, a kill, a power cut) left
    last run's 轉換摘要 beside this run's output: it said 甲局 10,002 千元 where 轉換結果/甲局.xlsx now holds 15,002
    (2054 15,000,000 + 2018 1,500 元), and its 彙總 added 10,002; whoever opened the folder next took it for the
    folder's. Now last run's 轉換摘要 is set aside (.過期) as the first book is converted, the stop says so, and the
    run that completes writes its own and removes the set-aside ones."""
    import xlbudget.app.convert as convert
    from xlbudget.app.convert import ConvertInterrupted

    import pytest

    folder, out = tmp_path / "各機關", tmp_path / "轉換結果"
    folder.mkdir()
    small_book(folder / "甲局.xlsx", "甲局", "02-001", A_ITEMS)
    small_book(folder / "癸局.xlsx", "癸局", "02-002", [("32020020101", "一般行政-行政管理", "2018", 3_000)])
    convert_paths([str(folder)], str(out), jobs=1)
    assert _summary(out)["甲局.xlsx"]["expenditure"] == 10_002
    _edit_output(folder / "甲局.xlsx", 15_000_000)  # the agency's corrected book, sent again
    (folder / "癸局.xlsx").touch()  # saved again: converted after 甲局 (the stop comes there)
    real, calls = convert.convert_one, []

    def stopped_at_the_second(*args):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(convert, "convert_one", stopped_at_the_second)
    with pytest.raises(ConvertInterrupted) as stop:
        convert_paths([str(folder)], str(out), jobs=1)
    assert "轉換摘要.xlsx.過期" in str(stop.value)
    assert not (out / "轉換摘要.json").exists() and not (out / "轉換摘要.xlsx").exists()
    assert (out / "轉換摘要.json.過期").exists() and (out / "轉換摘要.xlsx.過期").exists()

    monkeypatch.setattr(convert, "convert_one", real)
    convert_paths([str(folder)], str(out), jobs=1)
    assert _summary(out)["甲局.xlsx"]["expenditure"] == 15_002
    assert not (out / "轉換摘要.json.過期").exists() and not (out / "轉換摘要.xlsx.過期").exists()


def test_a_book_named_as_the_summary_keeps_its_own_output(tmp_path):
    """f20 §1.6: a book saved as 轉換摘要.xlsx (a colleague's file name, a book e-mailed under the summary's name) was
    converted to 轉換結果/轉換摘要.xlsx — which 轉換摘要 then replaced: its row said 完成 with that output, and the
    file held no book. In JSON, its records were replaced by 轉換摘要.json alike. Now its output takes another name."""
    folder, out = tmp_path / "各機關", tmp_path / "轉換結果"
    folder.mkdir()
    small_book(folder / "轉換摘要.xlsx", "甲局", "02-001", A_ITEMS)
    for fmt, suffix in (("xlsx", ".xlsx"), ("json", ".json")):
        code, (result,) = convert_paths([str(folder)], str(out / fmt), jobs=1, fmt=fmt)
        assert result.output.endswith("轉換摘要-2" + suffix)
    wb = openpyxl.load_workbook(out / "xlsx" / "轉換摘要-2.xlsx")
    assert sorted(r[7].value for r in wb["歲出明細"].iter_rows(min_row=2) if r[7].value) == [1_500, 10_000_000]
    records = json.loads((out / "json" / "轉換摘要-2.json").read_text("utf-8"))
    assert isinstance(records, list) and records  # the book's records, not 轉換摘要's {books, 彙總}


def test_an_agency_workbook_whose_suffix_was_lost_is_a_book_not_converted(tmp_path):
    """f20 §1.7: 社會局's book saved from an e-mail without its suffix (「高雄市政府社會局」), 交通局's with a trailing
    space (「…交通局.xlsx 」, which Windows trims but a Mac or a zip keeps) were 略過 «不是 Excel 活頁簿», in no list of
    books left out, the 合計 10,002 千元 (甲局 alone) without 「未含待確認」, exit 0. Now each is a workbook not converted
    (archive-is-workbook, as one renamed .zip), the 合計 says it leaves 2 out, exit 2. Excel's own temporaries
    (6A3F1B20, no suffix; ~WRL0001.tmp) and a backup 甲局.xlsx.bak stay skipped."""
    import shutil

    folder, out = tmp_path / "各機關", tmp_path / "轉換結果"
    folder.mkdir()
    small_book(folder / "甲局.xlsx", "甲局", "02-001", A_ITEMS)
    small_book(tmp_path / "乙.xlsx", "乙局", "02-002", [("32020020101", "一般行政-行政管理", "2018", 3_000)])
    shutil.copy(tmp_path / "乙.xlsx", folder / "乙局")
    shutil.copy(tmp_path / "乙.xlsx", folder / "丙局.xlsx ")
    for name in ("6A3F1B20", "~WRL0001.tmp", "甲局.xlsx.bak"):
        shutil.copy(folder / "甲局.xlsx", folder / name)

    code, results = convert_paths([str(folder)], str(out), jobs=1)

    assert code == 2
    reasons = {r.source.rsplit("/", 1)[-1]: r.reason for r in results}
    assert reasons["乙局"] == reasons["丙局.xlsx "] == "archive-is-workbook"
    # 略過, saying what they are (session 34: were «不是 Excel 活頁簿», untrue of a workbook's copy)
    assert reasons["6A3F1B20"] == reasons["~WRL0001.tmp"] == reasons["甲局.xlsx.bak"] == "workbook-other-suffix"
    said = next(r.message for r in results if r.source.endswith("甲局.xlsx.bak"))
    assert said == ("是活頁簿，但副檔名為 .bak（Excel 存檔時的暫存檔、備份或範本），不當作預算書轉換；"
                    "若是要轉換的預算書，請將副檔名改為 .xlsx 後重新轉換"), said
    rows = json.loads((out / "轉換摘要.json").read_text("utf-8"))["彙總"]["歲出機關別預算表"]
    assert (rows[0]["機關"], rows[0]["本年度預算數"]) == ("合計（未含待確認 2 本，見下）", 10_002)


def test_a_folder_of_no_book_says_so_on_the_last_line(tmp_path, capsys):
    """A folder holding only files that are no book (a .csv, field report 20 §3): the last line said «共 0 本：；另略過
    1 個檔案…», an empty list between ： and ；. Since session 34 the folder itself is 無法讀取 (folder-no-book, exit 2,
    as an empty folder): the line counts it, and still has no empty list."""
    from xlbudget.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "歲出明細.csv").write_text("工作計畫,預算數\n", encoding="utf-8")
    assert main(["convert", str(folder), "-o", str(tmp_path / "out")]) == 2
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("共 1 本：無法讀取 1；另略過 1 個檔案（"), last
    assert "：；" not in last
