"""xlbudget pdf's time limit on LibreOffice: ours (subprocess), by the book's pages, said with what to do.

A 40-plan book (1,000 items, 144 pages) took 87–108 s a rendering on this 2-core machine at load 9 (16–17 s of
LibreOffice's CPU), three renderings a book: the fixed 300 s a rendering was a third of the way, and when it ran
out the officer was told to install LibreOffice. No LibreOffice is run here: a stand-in script that never ends.
"""

import os
import re
import time
from pathlib import Path

import pytest

from xlbudget.adapters import pdf
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app import publish
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

posix_only = pytest.mark.skipif(os.name != "posix", reason="the stand-in soffice is a shell script")


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet reaped by whoever adopted it, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state != "Z"


@posix_only
def test_a_rendering_past_its_time_is_ended_with_what_to_do(tmp_path):
    # soffice starts soffice.bin and waits for it: here a script starting a child that sleeps, its pid written down
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\nsleep 120 &\necho $! > {tmp_path / 'child.pid'}\nwait\n")
    script.chmod(0o755)
    start = time.monotonic()
    with pytest.raises(pdf.RenderError) as raised:
        pdf.render(tmp_path / "book.xlsx", str(script), tmp_path, timeout=1, pages=144)
    assert time.monotonic() - start < 30  # given up, not waited out (120 s)
    message = str(raised.value)
    # it was «LibreOffice 無法執行（Command … timed out after 300 seconds）；請先安裝 LibreOffice…»
    assert "LibreOffice 在 1 秒內未完成 PDF（本書約 144 頁）" in message and "--timeout" in message
    assert "安裝" not in message
    child = int((tmp_path / "child.pid").read_text())
    for _ in range(50):  # SIGKILL is delivered at once; its reaping by init may lag
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child)  # what soffice started is ended too, never left rendering


def test_the_limit_grows_with_the_pages():
    # by hand: max(300, 120 + 3 × pages); 144 pages → 552 s, 20 pages → 180 → 300 s, 400 pages → 1,320 s
    assert [pdf.render_timeout(p) for p in (20, 60, 144, 400)] == [300, 300, 552, 1320]
    # 2,787 table rows (the 40-plan book's, 144 pages printed): 2,787 // 20 + 1 = 140 pages
    assert pdf.pages_of(2787) == 140 and pdf.pages_of(0) == 1


@pytest.mark.parametrize("given, limit", [([], "by pages"), (["--timeout", "900"], 900), (["--timeout", "0"], None)])
def test_pdf_gives_each_rendering_its_limit(tmp_path, monkeypatch, capsys, given, limit):
    seen = []

    def render(xlsx, soffice, work, timeout=None, pages=None, book=None):
        seen.append((timeout, pages))
        raise pdf.RenderError("stand-in")

    monkeypatch.setattr(publish, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(publish, "require_cjk_font", lambda: None)
    monkeypatch.setattr(publish, "render", render)
    book = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    assert main(["pdf", str(book), *given]) == 2
    assert "stand-in" in capsys.readouterr().err
    ((timeout, pages),) = seen
    assert pages > 1
    assert timeout == (max(300, 120 + 3 * pages) if limit == "by pages" else limit)


def test_a_negative_or_unreadable_timeout_is_refused(capsys):
    for bad in ("-5", "一分鐘"):
        with pytest.raises(SystemExit):
            main(["pdf", "book.xlsx", "--timeout", bad])
        assert "秒" in capsys.readouterr().err





@posix_only
@pytest.mark.parametrize("said, told", [("", "（結束時未回報任何錯誤）"),
                                        ("Error: source file could not be loaded",
                                         "（LibreOffice 的訊息：Error: source file could not be loaded）")])
def test_libreoffice_ending_without_a_pdf_and_without_an_error_is_said_so_with_what_to_do(tmp_path, monkeypatch,
                                                                                         capsys, said, told):
    # field report 12 §3.3: a soffice that exits 0 and writes nothing (a file it cannot open, a first-start dialog
    # swallowed) was «LibreOffice 轉換 PDF 失敗（結束碼 0）：» with nothing after the colon, 結束碼 0 reading as success.
    # Red before: that message, the officer's book not named
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    script = bin_ / "soffice"
    script.write_text(f"#!/bin/sh\necho '{said}' >&2\nexit 0\n" if said else "#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(publish, "require_cjk_font", lambda: None)
    book = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    assert main(["pdf", str(book)]) == 2
    err = capsys.readouterr().err
    assert (f"LibreOffice 未產生 PDF{told}：請以 LibreOffice 開啟 範例.xlsx 確認可以開啟，再執行一次；"
            "仍未產生 PDF 請重新安裝 LibreOffice") in err
    assert "結束碼" not in err and "Traceback" not in err and not (tmp_path / "範例.pdf").exists()


@posix_only
def test_the_timeout_says_about_as_many_pages_as_the_book_prints(tmp_path, monkeypatch, capsys):
    # field report 12 §3.6: «LibreOffice 在 5 秒內未完成 PDF（本書約 13 頁）» for the example, which prints 23 pages (目次 1
    # + 本文 22, rendered: test_publish's fixture, field report 12): the tables' 256 rows ÷ 20 + 1 left out the 總說明's
    # pages and each table's (and each 工作計畫's) page of its own. Red before: 約 13 頁
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "soffice").write_text("#!/bin/sh\nexec sleep 120\n")
    (bin_ / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(publish, "require_cjk_font", lambda: None)
    book = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    assert main(["pdf", str(book), "--timeout", "1"]) == 2
    said = re.search(r"LibreOffice 在 1 秒內未完成 PDF（本書約 (\d+) 頁）", capsys.readouterr().err)
    assert said and 21 <= int(said.group(1)) <= 25  # about: a page or two either way is still the book's size
