"""xlbudget pdf: the book as published, rendered through LibreOffice and read back with pdftotext.

The example input book (not built) is rendered once for the module; each test
reads that PDF. Expected page facts come from the seed's printed book: the 目次
lists 甲、預算總說明 first and the ten tables of 乙/丙 with 第N頁至第M頁, the
明細表 opens each 工作計畫 on a new page, 職能及經濟性 prints in two halves
broken before 資本移轉.
"""

import re
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

from xlwings_json import book_json  # sets XLWINGS_ON_SERVER before xlwings is imported
from conftest import sha256
from xlbudget.adapters import pdf
from xlbudget.app import publication, publish
from xlbudget.cli import main
from xlbudget.core.model import Agency

NEEDED = {"soffice": "libreoffice-calc-nogui fonts-noto-cjk", "pdftotext": "poppler-utils"}


def _missing() -> list[str]:
    return [f"{tool}（apt-get install -y {package}）" for tool, package in NEEDED.items() if not shutil.which(tool)]


needs_render = pytest.mark.skipif(bool(_missing()), reason="需安裝 " + "、".join(_missing()) + " 才能測試 PDF 輸出")


class Rendered(NamedTuple):
    code: int
    pages: list[str]
    before: str  # the input book's hash before and after
    after: str
    pdf: Path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """`xlbudget pdf` on the example inputs: exit code, per-page text (pdftotext), the input's hashes, the PDF."""
    from xlbudget.app.example import example_workbook
    from xlbudget.adapters.xlsxfile import save_atomic

    tmp = tmp_path_factory.mktemp("pdf")
    wb = example_workbook()  # inputs only: pdf builds the tables first
    for key, value in wb["基本資料"].iter_rows(min_row=2):
        if key.value == "頁碼格式":  # page numbers as real books print them: 02004 - 41
            value.value = "02004 - N"
    book = save_atomic(wb, tmp / "範例.xlsx")
    before = sha256(book)
    code = main(["pdf", str(book), "-o", str(tmp / "預算書.pdf")])
    return Rendered(code, printed_pages(tmp / "預算書.pdf"), before, sha256(book), tmp / "預算書.pdf")


def printed_pages(pdf: Path, cover: bool = False) -> list[str]:
    """Each page's text as pdftotext -layout prints it, from the 目次 on (page 0, printed page N at N): the one 封面
    page before it checked (機關編號 as the seed's cover prints it) and left out, unless ``cover``."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    assert "機關編號" in _lines(pages[0]) and "目次" in _lines(pages[1]), pages[:2]
    return pages if cover else pages[1:]


def _lines(page: str) -> list[str]:
    return [re.sub(r"\s+", "", line) for line in page.splitlines() if line.strip()]


def _contents(pages: list[str]) -> dict[str, tuple[int, int]]:
    """目次 line → (first, last) printed page, from the 目次 page's text: 第01頁至第04頁 as the seed writes it, or the
    first page alone as a 02004 - N footer numbers it (02004 - 1頁, the 臺中 115 目次's form), each line then ending on
    the page before the next one's first (the last one on the last page)."""
    ranges, firsts = {}, []
    for line in _lines(pages[0]):
        if m := re.match(r"^(?:\d+\.)?(.+?)第(\d+)頁至第(\d+)頁$", line):
            ranges[m.group(1)] = (int(m.group(2)), int(m.group(3)))
        elif m := re.match(r"^(?:\d+\.)?(.+?)02004-(\d+)頁$", line):
            firsts.append((m.group(1), int(m.group(2))))
    for (title, first), (_, after) in zip(firsts, firsts[1:] + [("", len(pages))]):
        ranges[title] = (first, after - 1)
    return ranges


@needs_render
def test_pdf_of_an_input_book_leaves_it_unchanged(rendered):
    code, before, after = rendered.code, rendered.before, rendered.after
    assert code == 0
    assert before == after


def assert_contents_true(pages: list[str], footer: str = "02004 - N") -> dict[str, tuple[int, int]]:
    """The 目次's ranges are where each title prints: every page after the 目次 numbered on from 1 in the
    ``footer`` style (N the number), the ranges following each other from page 1 to the last page without gap
    or overlap, each starting on the page that prints its title (預算總說明 for 甲) and, for a table, every
    page of it printing its title. Returns the ranges."""
    number = re.compile(re.escape(footer).replace("N", r"(\d+)"))
    last_lines = [p.strip().splitlines()[-1].strip() if p.strip() else "" for p in pages]
    assert not number.fullmatch(last_lines[0])  # the 目次 is unnumbered, as in the seed
    assert [int(m.group(1)) if (m := number.fullmatch(line)) else None for line in last_lines[1:]] == list(
        range(1, len(pages)))  # nothing prints below the page number
    ranges = _contents(pages)
    body = pages[1:]  # printed page N is body[N - 1]
    expected_first = 1
    for title, (first, last) in ranges.items():
        assert first == expected_first, title  # ranges follow each other without gap or overlap
        expected_first = last + 1
        heading = "預算總說明" if title.startswith("甲") else title

        def prints(n, heading=heading):  # a family's tables print their own part after a dash (人事費分析表—行政管理)
            return any(line.split("—")[0] == heading.split("—")[0] for line in _lines(body[n - 1]))
        assert prints(first), title
        if not title.startswith("甲"):  # every page of a table repeats its title
            assert all(prints(n) for n in range(first, last + 1)), title
    assert expected_first - 1 == len(body)
    return ranges


@needs_render
def test_contents_ranges_are_where_each_title_prints(rendered):
    ranges = assert_contents_true(rendered.pages)
    # the seed's 目次: 甲 and the ten tables of 乙 and 丙
    assert list(ranges) == ["甲、預算總說明", "歲入來源別預算表", "歲出機關別預算表", "歲入項目說明提要與預算明細表",
                            "歲出計畫說明提要與各項費用明細表", "各項費用彙計表", "歲出一級用途別科目分析表",
                            "資本支出分析表", "人事費彙計表", "約聘僱人員費用分析表", "派員出國計畫預算總表",
                            "派員出國計畫預算類別表—考察、訪問", "歲出按職能及經濟性綜合分類表"]


@needs_render
def test_no_input_sheet_is_printed(rendered):
    pages = rendered.pages
    text = "".join(pages)
    for header in ("工作計畫編號", "政事別名稱", "標準數字句", "收支併列數", "檢核結果", "執行紀錄"):
        assert header not in text, header
    assert len(pages) < 35  # 68 pages when the whole workbook printed


@needs_render
def test_each_plan_of_the_detail_table_starts_a_page_and_continuation_pages_name_it(rendered):
    pages = rendered.pages
    detail = [p for p in pages[1:] if "歲出計畫說明提要與各項費用明細表" in _lines(p)]
    plans = [re.search(r"名稱與編號：(\d{11})", p) for p in detail]
    assert all(plans), "every 明細表 page names its 工作計畫"
    codes = [m.group(1) for m in plans]
    assert codes[0] == "32020180101" and codes[-1] == "32020183201"
    first_page_of = {c: codes.index(c) for c in set(codes)}
    # a plan starts on the page after the other plan's last page: its 合計 line is on its first page
    assert "歲出計畫說明" in detail[first_page_of["32020183201"]]
    assert codes == sorted(codes)


@needs_render
def test_function_econ_table_breaks_before_capital_transfers(rendered):
    pages = rendered.pages
    halves = [p for p in pages[1:] if "歲出按職能及經濟性綜合分類表" in _lines(p)]
    assert len(halves) == 2  # the title prints above both halves
    first, second = halves
    assert "投資及增資" in first and "資本移轉" not in first
    assert "資本移轉" in second and "總計" in second and "275,795" in second  # seed: 總計 275,795 on page 2
    assert "01 一般公共事務" in second.replace("　", " ")  # the row labels repeat


def test_missing_libreoffice_is_named_with_its_install_line(monkeypatch, example_book, capsys):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "SOFFICE_PLACES", ())
    before = sha256(example_book)
    assert main(["pdf", str(example_book)]) == 2
    err = capsys.readouterr().err
    assert "LibreOffice" in err and "apt-get install" in err and "Traceback" not in err
    assert sha256(example_book) == before
    assert not example_book.with_suffix(".pdf").exists()


@pytest.mark.skipif(not shutil.which("fc-list"), reason="fc-list (fontconfig) not installed")
def test_no_chinese_font_is_named_with_its_install_line_before_rendering(monkeypatch, example_book, tmp_path, capsys):
    # field report 3 #20: fontconfig seeing only a folder without fonts (no CJK font) — the machine's fonts untouched
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<dir>{tmp_path / "fonts"}</dir><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    assert subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip() == ""
    rendered_books = []
    monkeypatch.setattr(publish, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(publish, "render", lambda *a: rendered_books.append(a))
    before = sha256(example_book)
    assert main(["pdf", str(example_book)]) == 2
    err = capsys.readouterr().err
    assert "中文字型" in err and "fonts-noto-cjk" in err and "Traceback" not in err
    assert rendered_books == [] and sha256(example_book) == before
    assert not example_book.with_suffix(".pdf").exists()


def test_a_pdf_without_chinese_text_is_a_missing_font_not_a_missing_title():
    # LibreOffice without a CJK font (where fc-list is absent) gives each Chinese character as the same one:
    # its text of the 高雄 example read 「xlbudget 以以以以以以以」 on page 1 (10,456 CJK characters, all 「以」)
    for texts in (["xlbudget 以以以以以以以", "以以以 02-018以以以 113以以以 275,795"], ["  1  ", "275,795"]):
        with pytest.raises(pdf.RenderError, match="中文字型.*fonts-noto-cjk"):
            pdf.require_cjk_text(texts)
    pdf.require_cjk_text(["", "預算總說明", "歲出機關別預算表"])  # a book's titles alone are enough


def test_page_number_style_from_basic_data():
    plain = Agency("機關", "02-018", 113, "主管", "01")
    assert publication.page_footer(plain) == "第 &P 頁"
    coded = Agency("機關", "02-018", 113, "主管", "01", {"頁碼格式": "02004 - N"})
    assert publication.page_footer(coded) == "02004 - &P"  # nothing before it: a size code &10 would eat 02004
    with pytest.raises(publication.XlbudgetError):
        publication.page_footer(Agency("機關", "02-018", 113, "主管", "01", {"頁碼格式": "頁"}))


def test_contents_write_pages_as_the_footers_number_them():
    """Field report 8 §3.1: the 臺中 example's 目次 said 「第01頁至第04頁」 while its footers say 「02004 - 1」; the 臺中 115
    目次 (reference book page 2) writes 「02004-     1頁」, the first page of each line as the footer numbers it. The seed
    (第 N 頁) keeps 第01頁至第04頁, and the 臺北市 版式 its 第 N 頁 (reference 116 目次 「第 1 頁」, footers 07-152-1)."""
    from openpyxl import Workbook

    entries = [publication.Entry("甲、預算總說明", "預算總說明", ["預算總說明"]),
               publication.Entry("乙、主要表", "", []),
               publication.Entry("1. 甲表", "甲表", ["甲表"])]
    ranges = {"甲、預算總說明": (1, 4), "1. 甲表": (5, 12)}

    def pages(extra):
        wb = Workbook()
        publication.write_contents(wb, Agency("臺中市政府主計處", "02-004", 115, "臺中市政府主管", "01", extra),
                                   entries, ranges)
        return [r[1] for r in wb["目次"].iter_rows(values_only=True) if r[1] and r[1] != "頁次"]

    assert pages({"頁碼格式": "02004 - N"}) == ["02004 - 1頁", "02004 - 5頁"]
    assert pages({}) == ["第01頁至第04頁", "第05頁至第12頁"]
    assert pages({"頁碼格式": "第 N 頁"}) == ["第01頁至第04頁", "第05頁至第12頁"]
    assert pages({"頁碼格式": "07-152-N", "版式": "臺北市"}) == ["第01頁至第04頁", "第05頁至第12頁"]


def test_locate_takes_ranges_from_where_titles_print():
    entries = [publication.Entry("甲、預算總說明", "預算總說明", ["預算總說明"]),
               publication.Entry("乙、主要表", "", []),
               publication.Entry("1. 甲表", "甲表", ["甲表"]),
               publication.Entry("2. 乙表", "乙表", ["乙表"])]
    pages = [{"目次", "甲、預算總說明第01頁至第02頁", "1.甲表第03頁至第03頁"},  # the 目次 names titles inside lines
             {"預算總說明"}, {"續"}, {"甲表", "詳乙表"}, {"乙表"}, {"乙表"}]
    assert publish.locate(entries, pages) == {"甲、預算總說明": (1, 2), "1. 甲表": (3, 3), "2. 乙表": (4, 5)}
    with pytest.raises(pdf.RenderError):
        publish.locate(entries, pages[:4])


_ROW = re.compile(r"^\s*(?:(?P<heading>(?:合計|\d{2}\S|\d{4}\s)\S*)|(?P<item>[年式時月人次件場組套]\s+\S+))")


def test_a_heading_whose_text_runs_on_to_the_page_foot_goes_over_whole():
    # 臺北 116 (07-152-36/37 as xlbudget printed it): the 計畫項目 「12116年度工程委託監造技術服務 78,650,000」, its 說明
    # running on over rows, ended a page, its 3000/3015 headings and items on the next; the break went before 3000
    # (the text's pieces were no heading), leaving a page with the 說明's last two lines alone. A heading's pieces
    # are the heading's: the break goes before the 計畫項目 (sheet row 10). Red before: no break found
    flow = publication.Flow("明細表03", "名稱與編號：58071528501", [
        (8, "合計6,205,980,000", True), (9, "式117,980,000", False), (10, "78,650,00012116年度工程", True),
        (11, "(1)本計畫係辦理", True), (12, "3000設備及投資78,650,000", True), (13, "式178,650,000", False)],
        continued={11})
    head = "業務計畫及工作計畫名稱與編號：58071528501 道路橋梁工程\n"
    first = head + "合計 6,205,980,000\n式 1 17,980,000\n78,650,000 12116年度工程委託監造\n(1)本計畫係辦理市區\n 07-152-36"
    second = head + "3000 設備及投資 78,650,000\n式 1 78,650,000 本年度\n 07-152-37"
    assert publish.find_orphans([flow], [first, second]) == [("明細表03", 10)]


def test_a_plans_last_item_alone_on_its_last_page_takes_the_item_before_it_along():
    # 數位發展計畫 ending «03數位服務 / 2000 業務費 / 2054 一般事務費 / 年 1 3,500,000 (委託國內外專家…) / 年 1 500,000
    # (顧問…)»: a page ending on the 3,500,000 item leaves the 500,000 one, the plan's last, alone on the last page.
    # The printed books never end a plan with one line on its page (臺中 115 02004-27 holds four): break before the
    # 3,500,000 item (sheet row 14), so the last page holds two. Red before: no such break (the widow printed)
    flow = publication.Flow("明細表02", "名稱與編號：32020183201", [
        (8, "合計232,026,000", True), (9, "03數位服務43,751,000", True), (10, "2000業務費16,651,000", True),
        (11, "2054一般事務費4,000,000", True), (12, "年13,500,0003,500,000", False), (13, "分散式架構", False),
        (14, "年1300,000300,000", False), (15, "年1500,000500,000", False)], continued={13})
    head = "業務計畫及工作計畫名稱與編號：32020183201 數位發展計畫\n"
    first = head + ("合計 232,026,000\n03數位服務 43,751,000\n2000 業務費 16,651,000\n2054 一般事務費 4,000,000\n"
                    "年 1 3,500,000 3,500,000 委託\n分散式架構 運作\n年 1 300,000 300,000 維護\n\n 第 9 頁")
    last = head + "年 1 500,000 500,000 顧問\n\n 第 10 頁"
    assert publish.find_widows([flow], [first, last]) == [("明細表02", 14)]
    assert publish.find_orphans([flow], [first, last]) == []
    # two items on the last page: nothing to do
    two = first.replace("年 1 300,000 300,000 維護\n", ""), head + "年 1 300,000 300,000 維護\n年 1 500,000 500,000 顧問"
    assert publish.find_widows([flow], list(two)) == []
    # the item before is the plan's first page's, under the chain from 合計: the plan cannot go over whole
    short = publication.Flow("明細表02", "名稱與編號：32020183201", [
        (8, "合計800,000", True), (9, "2054一般事務費800,000", True), (10, "年1300,000300,000", False),
        (11, "年1500,000500,000", False)])
    assert publish.find_widows([short], [head + "合計 800,000\n2054 一般事務費 800,000\n年 1 300,000 300,000",
                                         head + "年 1 500,000 500,000 顧問"]) == []


@needs_render
def test_no_detail_page_ends_on_a_heading(rendered):
    pages = rendered.pages
    detail = [p for p in pages[1:] if "歲出計畫說明提要與各項費用明細表" in _lines(p)]
    for n, page in enumerate(detail):
        body = page.strip().splitlines()[6:-1]  # below the title and header lines, above the footer
        rows = [m for m in map(_ROW.match, body) if m]
        assert rows, n
        assert rows[-1].group("item"), (n, rows[-1].group(0))  # the last row on a page is a line item


def test_a_heading_ending_a_page_is_moved_with_the_headings_above_it():
    flow = publication.Flow("明細表02", "名稱與編號：32020183201", [
        (8, "合計232,026,000", True), (9, "01規劃發展48,803,000", True), (10, "2000業務費47,603,000", True),
        (11, "年12,961,0002,961,000", False), (12, "02資源管理71,082,000", True), (13, "2000業務費25,511,000", True),
        (14, "年111,310,00011,310,000", False)])
    page = ("業務計畫及工作計畫名稱與編號：32020183201 數位發展計畫\n合計 232,026,000\n01規劃發展 48,803,000\n"
            "　2000 業務費 47,603,000\n  年 1 2,961,000 2,961,000 本府機關\n02資源管理 71,082,000 市款\n"
            "　2000 業務費 25,511,000 市款25,511,000元\n\n 第 9 頁")
    assert publish.find_orphans([flow], [page]) == [("明細表02", 12)]
    ends_on_item = page.replace("　2000 業務費 25,511,000 市款25,511,000元", "  年 1 11,310,000 11,310,000 四維")
    assert publish.find_orphans([flow], [ends_on_item]) == []
    other_plan = page.replace("32020183201", "32020180101")
    assert publish.find_orphans([flow], [other_plan]) == []


@needs_render
def test_excel_button_publishes_the_live_books_inputs_through_excels_own_pdf_export(rendered, tmp_path):
    # the 輸出PDF button's path, through xlwings' remote engine for the live book; Excel itself is played by a
    # stand-in whose to_pdf prints the LibreOffice rendering above: what is tested is what the button hands
    # Excel (a separate file holding only the sheets to publish, every sheet exported) and what it makes of
    # Excel's PDF. Excel's own page numbering is not exercised here.
    import functools
    import json

    import openpyxl
    import xlwings as xw

    from xlbudget.addin import buttons
    from xlbudget.app.example import example_workbook

    calls = []

    class ExcelBook:
        def __init__(self, path):
            self.path = path

        def to_pdf(self, path=None, include=None, exclude=None):
            sheets = openpyxl.load_workbook(self.path).sheetnames
            calls.append(("to_pdf", sheets, include, exclude))
            shutil.copyfile(rendered.pdf, path)

        def close(self):
            calls.append(("close",))

    class Books:
        def open(self, path, **options):
            calls.append(("open", options.get("read_only")))
            return ExcelBook(path)

    app = type("App", (), {"books": Books()})()
    live = xw.Book(json=json.loads(json.dumps(book_json(example_workbook(), "範例.xlsx"))))
    try:
        result = buttons.publish_live(live, tmp_path / "範例.pdf", functools.partial(buttons.excel_pdf, app))
        actions = live.json()["actions"]
    finally:
        live.close()
    assert actions == []  # the live book is not changed
    opened = [c for c in calls if c[0] == "to_pdf"]
    assert len(opened) == 2  # rendered, then rendered again with the 目次 ranges, which held still
    _, sheets, include, exclude = opened[0]
    assert sheets[:3] == ["封面", "目次", "預算總說明"] and "歲出明細" not in sheets and "基本資料" not in sheets
    assert include is None and exclude is None  # every sheet: Excel numbers the pages on through them
    assert calls.count(("close",)) == 2
    assert (tmp_path / "範例.pdf").exists()
    pages = rendered.pages
    assert {k.split(". ", 1)[-1]: v for k, v in result.ranges.items()} == _contents(pages)


def test_pdf_output_names(monkeypatch, example_book, tmp_path, capsys):
    # -o a folder writes BOOK's name.pdf into it; a name that is not .pdf is refused before anything is rendered
    seen = []
    monkeypatch.setattr(publish, "publish_file", lambda source, target, **_: seen.append(target) or publish.PublishResult(
        target, 1, {}, []))
    folder = tmp_path / "輸出"
    folder.mkdir()
    assert main(["pdf", str(example_book), "-o", str(folder)]) == 0
    assert seen == [folder / "範例.pdf"]
    assert main(["pdf", str(example_book), "-o", str(tmp_path / "預算書.xlsx")]) == 2
    assert len(seen) == 1 and "Traceback" not in capsys.readouterr().err


@needs_render
def test_staffing_table_prints_inside_the_narrative_as_in_the_seed(rendered):
    # seed p.5: 預算總說明 / 中華民國113年度 / 員額編制表 above the table, within 甲's 第01頁至第05頁
    pages = rendered.pages
    first, last = _contents(pages)["甲、預算總說明"]
    staffing = [n for n in range(first, last + 1) if any(l.startswith("員額編制表") for l in _lines(pages[n]))]
    assert staffing == [last]
    assert "預算總說明" in _lines(pages[last]) and "員額編制表" not in _lines(pages[last])  # not its own title


@needs_render
def test_codes_print_as_the_seed_prints_them(rendered):
    # the seed's 歲出機關別預算表 and 約聘僱人員費用分析表 (pages 7 and 23): the 主管 line 0002000000 (10 digits, as
    # 高雄 prints it; 臺中 and 新北 print 00020000000), the 機關 line 00020180000, the plans' 11 digits
    lines = {n: _lines(page) for n, page in enumerate(rendered.pages)}
    for title in ("歲出機關別預算表", "約聘僱人員費用分析表"):
        [page] = [page for page in lines.values() if title in page]
        text = "".join(page)
        for code, name in (("0002000000", "高雄市政府主管"), ("00020180000", "高雄市政府資訊中心"),
                           ("32020180100", "一般行政"), ("32020180101", "行政管理")):
            assert code + name in text, (title, code)
        assert "00020000000" not in text, title


@needs_render
def test_header_cells_print_in_even_lines_never_one_character_alone(rendered):
    """Field: 「本年度與上年度比較」 printed 本年度與上年度比｜較, 「機器及其他設備」 機器及其他設｜備. By hand
    (forms/wrapping.py's measurement: a column w units wide prints 7w − 5 pt in LibreOffice, a 10 pt header
    character 10 pt): 12 units hold 8 characters, 10 units 6, 6 units 3; a header longer takes two lines, as
    even as they go, the break after 與、及 or 年度 where two are as even."""
    expected = {  # table: (the header's lines, as printed, the orphan it left)
        "歲出機關別預算表": [("本年度與", "上年度比較", "較")],
        "歲入來源別預算表": [("本年度與", "上年度比較", "較")],
        "歲出按職能及經濟性綜合分類表": [("購買商品及", "勞務支出", "務支出"), ("機器及", "其他設備", "備"),
                             ("對非營利及", "民間機構", "間機構")],
        "派員出國計畫預算總表": [("本年度", "計畫項數", "數")],
        "派員出國計畫預算類別表—考察、訪問": [("預計", "天數", "數"), ("擬派", "人數", "數")],
    }
    for title, headers in expected.items():
        pages = [p for p in rendered.pages[1:] if title in _lines(p)]
        assert pages, title
        words = {w for page in pages for line in page.splitlines() for w in line.split()}
        for head, tail, orphan in headers:
            assert head in words and tail in words, (title, head, tail)
            assert orphan not in words, (title, orphan)


def _unpriced_trip(wb) -> None:
    """The example with its one trip not yet priced: 出國計畫 I2:K2 = 0 against 400,000 元 of 2078 國外旅費 in
    歲出明細 (its one 2078 line), so trips-vs-travel is an error at 出國計畫!I2, and the example has no other."""
    for column in "IJK":
        wb["出國計畫"][f"{column}2"].value = 0


def test_pdf_of_a_book_with_errors_writes_it_says_the_count_and_exits_1(monkeypatch, tmp_path, capsys):
    # field report 6 §4.5: the PDF was written and pdf exited 0 where check exits 1. The rendering is played by a
    # stand-in (what is tested is what pdf makes of the book's findings); red before: exit 0, no count on the line
    from xlbudget.app.example import example_workbook
    from xlbudget.adapters.xlsxfile import save_atomic

    wb = example_workbook()
    _unpriced_trip(wb)
    book = save_atomic(wb, tmp_path / "範例.xlsx")
    monkeypatch.setattr(publish, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(publish, "publish_book", lambda book, wb, tables, target, render, findings, wrap, progress=None:
                        publish.PublishResult(target, 23, {"甲、預算總說明": (1, 3)}, findings))
    assert main(["pdf", str(book), "-o", str(tmp_path / "預算書.pdf")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("已輸出 PDF：") and out[0].endswith("；但本書有錯誤 1 項（見下列），請修正後再出版")
    assert [line.split(" ")[1] for line in out if line.startswith("[error]")] == ["範例.xlsx:出國計畫!I2"]
    # the example itself: no error, exit 0 and the line as before
    book = save_atomic(example_workbook(), tmp_path / "範例2.xlsx")
    assert main(["pdf", str(book), "-o", str(tmp_path / "預算書2.pdf")]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("本文 3 頁）")


def test_excel_button_says_the_errors_of_the_book_it_published(monkeypatch, tmp_path):
    # the 輸出PDF button publishes what the live book derives, with the findings xlbudget pdf has (trips-vs-travel
    # is check_people's: red when publish_live passed only the reading's findings), and 執行紀錄 says the count
    import json

    import xlwings as xw

    from xlbudget.addin import buttons
    from xlbudget.app.example import example_workbook

    wb = example_workbook()
    _unpriced_trip(wb)
    monkeypatch.setattr(publish, "publish_book", lambda model, wb, tables, target, render, findings:
                        publish.PublishResult(target, 23, {"甲、預算總說明": (1, 3)}, findings))
    live = xw.Book(json=json.loads(json.dumps(book_json(wb, "範例.xlsx"))))
    try:
        result = buttons.publish_live(live, tmp_path / "範例.pdf", None)
    finally:
        live.close()
    assert [(f.rule, f.cell.sheet, f.cell.cell) for f in result.findings if f.severity.value == "error"] == [
        ("trips-vs-travel", "出國計畫", "I2")]
    lines = buttons.published_lines(result)
    assert lines[0] == (f"輸出PDF：已輸出 {tmp_path / '範例.pdf'}（共 23 頁），本活頁簿未被更動。"
                        "但本書有錯誤 1 項，請按「檢核」標示並修正後再出版。目次頁次：")
    assert lines[1:] == ["  甲、預算總說明　第01頁至第03頁"]


def _glyphs(pdf: Path) -> set[str]:
    """The glyph names of every font the PDF embeds (LibreOffice writes Noto Sans CJK's glyphs as cidNNNNN)."""
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(str(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            for key in ("/FontFile", "/FontFile2", "/FontFile3") if descriptor else ():
                if key in descriptor.get_object():
                    data = descriptor.get_object()[key].get_object().get_data()
                    names |= {name.decode() for name in re.findall(rb"/(cid\d+)", data)}
    return names


# Noto Sans CJK 2.004 (NotoSansCJK-Regular.ttc, Debian's fonts-noto-cjk 20220127): the glyph each regional face's cmap
# gives, read with fontTools (TTFont(path, fontNumber=0/2/3).getBestCmap()): JP, SC, TC
REGIONAL = {"說": ("cid37887", "cid37888", "cid37889"), "育": ("cid32619", "cid32620", "cid32621")}


@needs_render
def test_chinese_prints_in_the_traditional_chinese_regional_forms(rendered):
    # field report 12 §3.2: 說 (說明, on every table) and 育 printed in the simplified-Chinese forms (cid37888,
    # cid32620) of the Noto Sans CJK LibreOffice prints for a missing 標楷體: the cells had no Asian language, and
    # LibreOffice's own default was zh-CN. Red without adapters.pdf.PROFILE_SETTINGS (both SC).
    glyphs = _glyphs(rendered.pdf)
    if not any(name in glyphs for forms in REGIONAL.values() for name in forms):
        pytest.skip("PDF 未以 Noto Sans CJK 2.004 印出中文（其他字型或版本），無法以字形編號判斷")
    for char, (jp, sc, tc) in REGIONAL.items():
        assert tc in glyphs and not {jp, sc} & glyphs, char


def _counting_fonts(pdf_path, monkeypatch):
    """(pypdf's own texts of each page, read through its public path; pypdf's Font; its from_font_resource as it
    was; the fonts made since, each Font.from_font_resource call appending its font object; that counting method)."""
    from pypdf import PdfReader
    from pypdf.generic._font import Font

    own = [page.extract_text(extraction_mode="layout") or "" for page in PdfReader(str(pdf_path)).pages]
    original = Font.__dict__["from_font_resource"]
    made = []
    monkeypatch.setattr(Font, "from_font_resource", classmethod(
        lambda cls, obj: made.append(obj) or original.__func__(cls, obj)))
    return own, Font, original, made, Font.__dict__["from_font_resource"]


@needs_render
def test_pages_are_read_back_as_pypdf_reads_them_each_font_made_once(rendered, monkeypatch):
    # pypdf's layout mode made the Font of every font of a page for each page: of the example's 24 pages, 336 for
    # the 14 fonts LibreOffice writes once (a third of the reading's CPU, issue 13). Read back with each made once,
    # the texts are pypdf's own, page for page; red with the font cache off: as many made as pages × fonts
    own, Font, _, made, counting = _counting_fonts(rendered.pdf, monkeypatch)
    assert pdf.page_texts(rendered.pdf) == own
    assert 0 < len(made) == len({id(obj) for obj in made}) < len(own)  # each font once, fewer than the pages
    assert Font.__dict__["from_font_resource"] is counting  # pypdf as it was before


@needs_render
def test_pages_are_read_as_pypdf_reads_them_where_its_private_font_is_not_the_one_checked(rendered, monkeypatch):
    # the font cache goes through pypdf's private Font.from_font_resource: where it is missing (another pypdf), in a
    # pypdf major version it was not checked against, or should reading with it fail, page_texts reads the pages
    # through pypdf's public path, the same texts, and pypdf's Font is never changed. Red before: a version not
    # checked was cached all the same, and a failure under the cache was the pdf command's failure
    import pypdf

    own, Font, original, made, counting = _counting_fonts(rendered.pdf, monkeypatch)
    monkeypatch.setattr(pypdf, "__version__", "8.0.0")  # a pypdf not checked: read as pypdf reads, every font made
    assert pdf.page_texts(rendered.pdf) == own
    assert len(made) > len({id(obj) for obj in made}) and Font.__dict__["from_font_resource"] is counting
    monkeypatch.setattr(pypdf, "__version__", "7.1.1")

    made.clear()  # from_font_resource no longer the class method it was checked as: the same
    monkeypatch.setattr(Font, "from_font_resource", staticmethod(
        lambda obj: made.append(obj) or original.__func__(Font, obj)))
    static = Font.__dict__["from_font_resource"]
    assert pdf.page_texts(rendered.pdf) == own and len(made) > len({id(obj) for obj in made})
    assert Font.__dict__["from_font_resource"] is static
    monkeypatch.setattr(Font, "from_font_resource", counting)

    class Broken(Exception):
        pass

    def failing(cls, obj):  # a private Font that no longer works the way it was checked
        raise Broken()

    made.clear()
    monkeypatch.setattr(pdf, "_fonts_read_once", _replacing(Font, classmethod(failing)))
    assert pdf.page_texts(rendered.pdf) == own and Font.__dict__["from_font_resource"] is counting


def _replacing(cls, method):
    """A stand-in for pdf._fonts_read_once putting ``method`` in place of Font.from_font_resource while it lasts."""
    from contextlib import contextmanager

    @contextmanager
    def replaced():
        before = cls.__dict__["from_font_resource"]
        cls.from_font_resource = method
        try:
            yield
        finally:
            cls.from_font_resource = before

    return replaced


def test_the_book_opens_with_its_cover_as_the_seed_does(rendered):
    # field report 12 §1.2: the seed's first page (000_9c62b59cf9023585.txt l. 3–13), unnumbered, before the 目次;
    # red on main (page 1 was the 目次: no 機關編號 and no 高雄市總預算 on any page)
    cover = _lines(printed_pages(rendered.pdf, cover=True)[0])
    # and, as 新北 115's cover prints them, the lines its 主辦會計人員 and 機關長官 sign on: the example's 基本資料 names
    # neither, so each is a line of 8 full-width low lines to sign on (red before: no such line)
    assert cover == ["機關編號", "02-018", "中華民國113年度", "高雄市總預算", "高雄市政府資訊中心單位預算",
                     "高雄市政府資訊中心編", "主辦會計人員＿＿＿＿＿＿＿＿", "機關長官＿＿＿＿＿＿＿＿"]


def test_cover_says_the_stage_and_who_signs_from_basic_data():
    # 臺北 116's cover: 「年度-預算案」 top right and 「臺北市總預算案」; 新北 115's: 「主辦會計人員廖盈婷」 left,
    # 「機關長官吳建國」 right, at the foot. Given in 基本資料, the example's cover prints them so
    agency = Agency("高雄市政府資訊中心", "02-018", 113, "高雄市政府主管", "01",
                    {"預算階段": "預算案", "機關長官": "吳建國", "主辦會計人員": "廖盈婷"})
    lines, missing = publication.cover_lines(agency)
    assert [(text, align) for text, _, _, align, _ in lines] == [
        ("預算案", "right"), ("機關編號", "right"), ("02-018", "right"), ("中華民國 113 年度", "center"),
        ("高雄市總預算案", "center"), ("高雄市政府資訊中心單位預算", "center"), ("高雄市政府資訊中心 編", "center"),
        ("主辦會計人員　廖盈婷", "left"), ("機關長官　吳建國", "right")] and missing == []
    legal = Agency("高雄市政府資訊中心", "02-018", 113, "高雄市政府主管", "01", {"預算階段": "（法定版）"})
    texts = [text for text, *_ in publication.cover_lines(legal)[0]]
    assert texts[0] == "法定預算" and "高雄市總預算" in texts  # the 法定預算's cover names the 總預算, no 案


def test_a_stage_the_cover_cannot_print_is_refused_naming_its_cell(monkeypatch, tmp_path, capsys):
    # 預算階段 「草案」 is neither 預算案 nor 法定預算: a cover saying a stage the officer did not mean is a wrong book.
    # pdf exits 2 naming 基本資料's cell (the template's row: B16), and writes no PDF
    from test_publish_long import _stand_in
    from xlbudget.adapters.xlsxfile import save_atomic
    from xlbudget.app.example import example_workbook

    _stand_in(monkeypatch)
    wb = example_workbook()
    row = next(c.row for c in wb["基本資料"]["A"] if c.value == "預算階段")  # the template's row
    wb["基本資料"].cell(row, 2, "草案")
    book = save_atomic(wb, tmp_path / "草案.xlsx")
    assert main(["pdf", str(book), "-o", str(tmp_path / "草案.pdf")]) == 2
    err = capsys.readouterr().err
    assert f"基本資料!B{row}" in err and "「預算階段」為「草案」" in err and "Traceback" not in err, err
    assert not (tmp_path / "草案.pdf").exists()


def test_a_cover_line_basic_data_cannot_give_is_said(monkeypatch, tmp_path, capsys):
    # 主管機關 and 機關名稱 naming no 縣市: the cover prints no 〇〇市總預算, and pdf says so at 基本資料's 主管機關
    # (B5: 項目, 機關名稱, 機關編號, 年度, 主管機關)
    from test_publish_long import _stand_in
    from xlbudget.adapters.xlsxfile import save_atomic
    from xlbudget.app.example import example_workbook

    _stand_in(monkeypatch)
    wb = example_workbook()
    assert wb["基本資料"]["A5"].value == "主管機關"
    wb["基本資料"]["B5"], wb["基本資料"]["B2"] = "市政府主管", "資訊中心"
    book = save_atomic(wb, tmp_path / "無縣市.xlsx")
    main(["pdf", str(book), "-o", str(tmp_path / "無縣市.pdf")])
    out = capsys.readouterr().out
    assert "基本資料!B5 cover-line-missing: PDF 封面未印「〇〇市總預算」" in out, out
