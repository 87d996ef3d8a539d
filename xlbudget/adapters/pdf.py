"""A workbook file rendered to PDF by LibreOffice (headless, a private profile), and a PDF's pages read back.

The subprocess and pypdf live here; what to render and what the pages mean is app.publish's.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path

from xlbudget.core.errors import XlbudgetError
from xlbudget.core.patterns import lazy
from xlbudget.forms.wrapping import Wrapping, wrapping_for

INSTALL_HINT = ("請先安裝 LibreOffice（免費）：Windows/macOS 請至 https://zh-tw.libreoffice.org/ 下載安裝；"
                "Debian/Ubuntu：sudo apt-get install -y libreoffice-calc-nogui fonts-noto-cjk")
FONT_HINT = ("找不到中文字型：請安裝 fonts-noto-cjk（或 標楷體）；沒有中文字型，PDF 的中文會印成方框。"
             "Debian/Ubuntu：sudo apt-get install -y fonts-noto-cjk")
# any CJK ideograph: how many different ones a PDF's text holds tells whether a Chinese font printed it
CJK = lazy(r"[\u4e00-\u9fff]")
CJK_LEAST = 10  # the 目次 title 預算總說明 and one table title already have more
# where LibreOffice installs itself when it is not on PATH
SOFFICE_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/opt/libreoffice/program/soffice",
    "/usr/lib/libreoffice/program/soffice",
)


class RenderError(XlbudgetError):
    """LibreOffice is missing or could not render the book."""


# How long LibreOffice may take to render a book, by its pages (our limit, not LibreOffice's). Measured on a 40-plan
# book of 1,000 items, 144 pages: 16–17 s of LibreOffice's CPU a rendering (about 0.12 s a page), 87–108 s of the
# clock on a machine of 2 cores at load 9; a fixed 300 s was a third of the way there. 3 s a page is a LibreOffice
# given a twentieth of a core; the 120 s start its loading on a busy machine; never below the 300 s it was.
RENDER_START, RENDER_PAGE, RENDER_LEAST = 120, 3, 300
ROWS_PER_PAGE = 20  # a published table's rows a printed page holds, about (the 144 pages held 2,787 rows: 19.4)
BY_PAGES = -1.0  # a timeout of as many seconds as the book's pages need (render_timeout): never a time given


def render_timeout(pages: int) -> float:
    """Seconds one rendering of a book of about ``pages`` pages may take before it is given up."""
    return max(RENDER_LEAST, RENDER_START + RENDER_PAGE * pages)


def pages_of(rows: int) -> int:
    """About how many pages a book of ``rows`` table rows prints (for its rendering's time limit)."""
    return rows // ROWS_PER_PAGE + 1


def find_soffice() -> str:
    """The LibreOffice program: on PATH (soffice, libreoffice) or in its usual install places."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for place in SOFFICE_PLACES:
        if os.path.isfile(place):
            return place
    raise RenderError("找不到 LibreOffice（soffice），無法輸出 PDF。" + INSTALL_HINT)


def require_cjk_font() -> None:
    """Refuse before rendering when fontconfig (which LibreOffice uses on Linux) has no font covering Chinese:
    ``fc-list :lang=zh`` lists none. Where fc-list is absent (Windows, macOS) nothing is checked here;
    ``require_cjk_text`` still catches a PDF printed without one."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return
    try:
        done = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return
    if done.returncode == 0 and not done.stdout.strip():
        raise RenderError(FONT_HINT)


def wrapping() -> Wrapping:
    """How the local LibreOffice wraps a cell's text. Its column width unit is the digit width of the font it
    prints for the workbook's default Calibri: on Linux fontconfig says which (``fc-match Calibri``); where it
    cannot be asked (Windows, macOS: Calibri or the Carlito LibreOffice brings), the narrowest unit is taken."""
    fc_match = shutil.which("fc-match")
    font = None
    if fc_match:
        try:
            done = subprocess.run([fc_match, "-f", "%{family}", "Calibri"], capture_output=True, text=True,
                                  timeout=60)
            font = done.stdout.split(",")[0].strip() if done.returncode == 0 else None
        except (OSError, subprocess.TimeoutExpired):
            pass
    return wrapping_for(font)


def require_cjk_text(texts: list[str]) -> None:
    """A rendered book prints hundreds of different Chinese characters (its titles alone); rendered without a
    Chinese font, LibreOffice's text holds every one of them as the same character (seen: 「以」 for each) or
    none. Fewer than ``CJK_LEAST`` different ones: refused as a missing font, not as a missing title."""
    if len({c for text in texts for c in CJK.findall(text)}) < CJK_LEAST:
        raise RenderError(FONT_HINT)


# The private profile's settings, written before LibreOffice first starts in it: the cells' Asian language zh-TW. A
# workbook gives its cells none, and LibreOffice then takes its own default, Chinese (simplified) beside an English
# locale: the Noto Sans CJK it prints for a missing 標楷體 (any of its faces) then shapes the simplified-Chinese
# regional forms of 骨 育 令 說 … (field report 12 §3.2; measured: glyphs cid45133 cid32620 cid9809 cid37888 of
# NotoSansCJK-Regular.ttc, the SC face's, against the TC face's 45134 32621 9810 37889). Digits stay DejaVu Sans.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale_CJK" oor:op="fuse">\
<value>zh-TW</value></prop></item>
</oor:items>
"""


def _profile(workdir: Path) -> Path:
    """LibreOffice's private profile folder in ``workdir``, its settings (PROFILE_SETTINGS) written the first time."""
    profile = workdir / "lo-profile"
    settings = profile / "user" / "registrymodifications.xcu"
    if not settings.exists():
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(PROFILE_SETTINGS, encoding="utf-8")
    return profile


def render(xlsx: Path, soffice: str, workdir: Path, timeout: float | None = RENDER_LEAST, pages: int | None = None,
           book: str | None = None) -> Path:
    """Render ``xlsx`` to PDF with LibreOffice headless and a private profile; returns the PDF's path. Given up
    after ``timeout`` seconds (None: never), LibreOffice and what it started ended, with what to do (``pages``:
    about how many the book prints, to say so; ``book``: the officer's file ``xlsx`` was made from, to name)."""
    profile = _profile(workdir)
    out = workdir / "pdf"
    out.mkdir(exist_ok=True)
    command = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(out), str(xlsx)]
    try:  # a session of its own: soffice starts soffice.bin, which a timeout must end too, not leave running
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=os.name == "posix")
    except OSError as exc:
        raise RenderError(f"LibreOffice 無法執行（{exc}）；" + INSTALL_HINT) from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end(process)
        book = f"（本書約 {pages} 頁）" if pages else ""
        raise RenderError(f"LibreOffice 在 {timeout:g} 秒內未完成 PDF{book}，已停止：電腦忙碌時轉換較慢，請關閉其他程式"
                          f"（或另一個正在執行的 LibreOffice）後再執行一次，或以 --timeout 放寬時限（秒；0 為不限）") from None
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    pdf = out / (xlsx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        detail = (done.stderr or done.stdout or "").strip().splitlines()[-1:]
        if done.returncode == 0:  # field report 12 §3.3: «失敗（結束碼 0）：» and nothing after it read as success
            said = f"（LibreOffice 的訊息：{detail[0]}）" if detail else "（結束時未回報任何錯誤）"
            raise RenderError(f"LibreOffice 未產生 PDF{said}：請以 LibreOffice 開啟 {book or xlsx.name} 確認可以開啟，"
                              "再執行一次；仍未產生 PDF 請重新安裝 LibreOffice")
        raise RenderError(f"LibreOffice 轉換 PDF 失敗（結束碼 {done.returncode}）" + (f"：{detail[0]}" if detail else
                                                                              "，未說明原因"))
    return pdf


def _end(process: subprocess.Popen) -> None:
    """End LibreOffice and every process it started (its session on POSIX, its process tree on Windows: soffice.exe
    starts soffice.bin, which holds the pipes read here), and reap it."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, timeout=60)
            process.kill()
    except (OSError, subprocess.TimeoutExpired):  # ended by itself meanwhile, or no taskkill
        pass
    process.communicate()


# the pypdf major versions whose private Font.from_font_resource _fonts_read_once was checked against (the same texts
# page for page, tests/test_publish.py): any other reads the PDF through pypdf's public path alone, a little slower
FONT_CACHE_TESTED = (7,)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, laid out as printed (one printed line a text line).

    pypdf's layout mode reads every font of a page's resources again for each page, ToUnicode map and all: of the
    example's 24 pages, 336 fonts read for the 14 LibreOffice writes once and every page shares, a third of the
    time. Each font is read once here (``_fonts_read_once``): the same texts, 0.88 → 0.51 s of CPU (issue 13). That
    goes through a private name of pypdf: in a pypdf it was not checked against (FONT_CACHE_TESTED), without that
    name, or should reading so fail, the pages are read as pypdf reads them, nothing more."""
    from pypdf import PdfReader

    def read() -> list[str]:
        return [page.extract_text(extraction_mode="layout") or "" for page in PdfReader(str(pdf)).pages]

    if _font_cache_tested():
        try:
            with _fonts_read_once():
                return read()
        except Exception:  # a pypdf whose private Font is not what was checked: its public path, below
            pass
    return read()


def _font_cache_tested() -> bool:
    import pypdf

    major = str(getattr(pypdf, "__version__", "")).split(".")[0]
    return major.isdigit() and int(major) in FONT_CACHE_TESTED


@contextmanager
def _fonts_read_once():
    """While it lasts, pypdf's layout mode makes one Font of each font object (a PDF's pages share their fonts'
    objects, resolved once by the reader): a Font is made from the object alone, so the same object gives the same
    Font. A pypdf without this class method (its layout mode was made otherwise before 5) is left as it is."""
    try:
        from pypdf.generic._font import Font
    except ImportError:
        Font = None
    original = getattr(Font, "__dict__", {}).get("from_font_resource")
    if not isinstance(original, classmethod):  # not the class method this was checked against: pypdf as it is
        yield
        return
    made = original.__func__
    fonts: dict[int, tuple[object, object]] = {}  # id of the font object → (the object, kept alive; its Font)

    def from_font_resource(cls, obj, *args, **kwargs):
        if args or kwargs:
            return made(cls, obj, *args, **kwargs)
        if id(obj) not in fonts:
            fonts[id(obj)] = (obj, made(cls, obj))
        return fonts[id(obj)][1]

    Font.from_font_resource = classmethod(from_font_resource)
    try:
        yield
    finally:
        Font.from_font_resource = original


def page_lines(texts: list[str]) -> list[set[str]]:
    """Each page's text lines, whitespace removed (for finding where a title prints)."""
    return [{re.sub(r"\s+", "", line) for line in text.splitlines() if line.strip()} for text in texts]
