"""xlbudget pdf with long texts: every character printed, over as many pages as it needs; the 目次 still true.

Neither LibreOffice nor Excel splits a row over two pages: a row taller than a page was cut at the page foot
and its text lost without a word (a 4,800-character 說明提要 printed 42 of its 81 parts), and a 2,000-character
item 說明 under a heading stopped the 目次 repair (the heading was moved off every page it ended) with a
message naming nothing. The texts are built here of numbered sentences, so the test can say which part is
missing; their lengths are counted in the test, not by the code.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from test_publish import _lines, assert_contents_true, needs_render, printed_pages
from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app import publication, publish
from xlbudget.app.example import example_workbook
from xlbudget.cli import main

PLAN = "32020183201"  # 數位發展計畫: its 說明提要 is made 4,800 characters long


def _sentences(stem: str, length: int) -> str:
    text = "".join(f"（{stem}{n:03d}）本府智慧城市中長期計畫研擬，導入創新科技應用服務並參與國際推廣活動。"
                   for n in range(length // 20))
    return text[:length]


# a 附屬單位 named with its whole parent chain: 55 characters, the name field report 6 §5.1 (its «60») printed cut
AGENCY = "高雄市政府資訊中心暨所屬數位發展與資訊安全及智慧城市推動辦公室綜合業務處第二科與第三科聯合專案管理辦公室籌備處"
LINK = "https://web.pcc.gov.tw/tps/QueryTender/query/searchTenderDetail?pkPmsMain=" + "NzA1MjM4OTk" * 20
assert (len(AGENCY), len(LINK)) == (55, 74 + 220)
NOTE = _sentences("提要", 4_800)
ITEM_NOTE = _sentences("說明", 2_000)
PARAGRAPH = _sentences("總說明", 2_400)
TRIP = _sentences("出國", 1_600)  # the 計畫內容 of the example's one trip, 參與國際展會
assert (len(NOTE), len(ITEM_NOTE), len(PARAGRAPH), len(TRIP)) == (4_800, 2_000, 2_400, 1_600)


def long_workbook() -> openpyxl.Workbook:
    """The example's inputs with a 4,800-character 說明提要 for 數位發展計畫, a 2,000-character 說明 on the first
    line under its 02資源管理 (歲出明細!L43, right under three headings), a 2,400-character 總說明 paragraph, a
    55-character 機關名稱, a procurement link in the 說明 of 行政管理's 2051 line (歲出明細!L24) and a 1,600-character
    計畫內容 for the trip 參與國際展會 (出國計畫!E2)."""
    wb = example_workbook()
    for key, value in wb["基本資料"].iter_rows(min_row=2):
        if key.value == "頁碼格式":
            value.value = "02004 - N"
        if key.value == "機關名稱":
            value.value = AGENCY
    assert wb["歲出明細"]["D24"].value == "2051"
    wb["歲出明細"]["L24"] = "採購案詳 " + LINK + " 。"
    notes = next(row for row in wb["說明提要"].iter_rows(min_row=2) if row[0].value == PLAN)
    notes[2].value = NOTE
    items = wb["歲出明細"]
    headers = [c.value for c in items[1]]
    assert (items.cell(43, headers.index("分支計畫") + 1).value, headers.index("說明") + 1) == ("02資源管理", 12)
    items["L43"] = ITEM_NOTE
    wb["總說明"].append([PARAGRAPH])
    assert (wb["出國計畫"]["A2"].value, wb["出國計畫"]["E1"].value) == ("參與國際展會", "計畫內容")
    wb["出國計畫"]["E2"] = TRIP
    return wb


@pytest.fixture(scope="module")
def long_rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf-long")
    book = save_atomic(long_workbook(), tmp / "長說明.xlsx")
    code = main(["pdf", str(book), "-o", str(tmp / "長說明.pdf")])
    text = subprocess.run(["pdftotext", str(tmp / "長說明.pdf"), "-"], capture_output=True, text=True).stdout
    return code, re.sub(r"\s+", "", text), printed_pages(tmp / "長說明.pdf")


@needs_render
def test_a_long_agency_name_prints_whole_on_every_page(long_rendered):
    # field report 6 §5.1: a 55-character 機關名稱 overflowed its centred line on both sides (the PDF's text lost
    # 「高雄市政府」 and 「處」); it wraps onto two lines over each page's title. Red before: no page held it whole
    _, _, pages = long_rendered
    assert all(AGENCY in "".join(_lines(page)[:2]) for page in pages)


@needs_render
def test_a_web_address_prints_in_one_piece(long_rendered):
    # field report 6 §6: a link in a 說明 printed in pieces with an empty line inside it. Its lines (pdftotext
    # -layout) follow one another with no blank line between. Red before: the link in 3 pieces, 2 blank lines
    _, _, pages = long_rendered
    page = next(p for p in pages if "採購案詳" in p)
    lines = page.splitlines()
    first = next(n for n, line in enumerate(lines) if "https:" in line)
    last = max(n for n, line in enumerate(lines) if "MjM4OTk" in line)
    column = lines[first].index("https:")  # the 說明 column: the link's lines start there
    assert re.sub(r"\s+", "", "".join(line[column:] for line in lines[first:last + 1])) == LINK + "。"
    assert all(line[column:].strip() for line in lines[first:last + 1])  # no blank line inside the link


def _printed_in_order(text: str, document: str) -> int:
    """How many characters of ``text`` the document prints, sentence by sentence in order (another column's
    figures may print between two of them). A page may end inside a sentence: its start then ends one page and
    its rest follows the next page's title, headers and plan line (fewer than 800 characters)."""
    found, at = 0, 0
    for sentence in re.findall(r"[^。]+。?", text):
        where = document.find(sentence, at)
        if where >= 0:
            found, at = found + len(sentence), where + len(sentence)
            continue
        for k in range(len(sentence) - 1, 0, -1):  # the sentence's numbered part ends the page or opens the next
            rest = document.find(sentence[k:], at)
            start = document.rfind(sentence[:k], at, rest) if rest >= 0 else -1
            if start >= 0 and rest - (start + k) <= 800:
                found, at = found + len(sentence), rest + len(sentence) - k
                break
        else:
            break
    return found


@needs_render
def test_every_character_of_a_long_text_is_printed(long_rendered):
    code, document, _ = long_rendered
    assert code == 0
    assert _printed_in_order(NOTE, document) == 4_800
    assert _printed_in_order(ITEM_NOTE, document) == 2_000
    assert _printed_in_order(PARAGRAPH, document) == 2_400


@needs_render
def test_a_trip_run_onto_the_next_page_prints_its_name_there(long_rendered):
    # session 27's note: a 派員出國計畫 trip whose 計畫內容 runs onto the next page printed there without its 計畫名稱
    # (a text of no trip). 1,600 characters at 18 a line in 計畫內容's column print over 3 pages; each page after the
    # first opens, under the headers, with 「參與國際展會（續）」, as a 明細表 page repeats its plan line. Red before:
    # no 類別表 page but the first named the trip
    _, _, pages = long_rendered
    title = "派員出國計畫預算類別表—考察、訪問"
    trip = [page for page in pages[1:] if title in _lines(page)]
    assert len(trip) >= 3
    assert [line for line in _lines(trip[0]) if line.startswith("參與國際展會")][0].startswith("參與國際展會西班牙")
    assert all("參與國際展會（續）" not in line for line in _lines(trip[0]))
    for page in trip[1:]:
        lines = _lines(page)
        body = lines[next(n for n, line in enumerate(lines) if line.endswith("如有,說明其內容")) + 1:]
        assert body[0].startswith("參與國際展會（續）"), body[:2]
        assert sum("參與國際展會" in line for line in lines) == 1  # once a page: the rows it runs on over print none


def test_a_row_opening_a_page_is_labelled_with_the_row_it_runs_on_from_and_unlabelled_when_it_no_longer_does():
    # the trip's row (sheet row 9) runs on over rows 10 and 11; where each prints is read from the pages' text
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "類別表"
    carry = publication.Carry("類別表", "派員出國計畫預算類別表", "參與國際展會",
                              [(9, "甲甲甲甲", 40, None, None), (10, "乙乙乙乙", 40, None, None),
                               (11, "丙丙丙丙", 40, 30.0, 45.0)])
    head = "派員出國計畫預算類別表\n計畫名稱 計畫內容\n"
    first, second, third = ("甲" * 40, "乙" * 40, "丙" * 40)
    # row 11 opens the second page: labelled, as tall as its label prints
    pages = ["目次\n 9. 派員出國計畫預算類別表 第20頁至第21頁", head + first + "\n" + second, head + third]
    assert publish.carry_labels(wb, [carry], pages) == [("類別表", 11)]
    assert (ws["A10"].value, ws["A11"].value, ws.row_dimensions[11].height) == (None, "參與國際展會（續）", 45.0)
    assert publish.carry_labels(wb, [carry], pages) == []  # settled
    # rendered again, row 10 opens the second page instead: it is labelled, row 11 no longer, its height as before
    pages = [pages[0], head + first, head + second + "\n" + third]
    assert publish.carry_labels(wb, [carry], pages) == [("類別表", 10), ("類別表", 11)]
    assert (ws["A10"].value, ws["A11"].value, ws.row_dimensions[11].height) == ("參與國際展會（續）", None, 30.0)


@needs_render
def test_long_texts_run_over_pages_that_repeat_the_headers_and_the_contents_stay_true(long_rendered):
    _, _, pages = long_rendered
    ranges = assert_contents_true(pages)
    first, last = ranges["歲出計畫說明提要與各項費用明細表"]
    with_note = [n for n in range(first, last + 1) if "提要" in pages[n] and re.search(r"（提要\d{3}）", pages[n])]
    assert len(with_note) >= 3  # 4,800 characters: more than a page or two holds
    for n in with_note:  # each page of it names its table, its columns and its plan
        lines = _lines(pages[n])
        assert "歲出計畫說明提要與各項費用明細表" in lines and "分支計畫及用途別科目" in "".join(lines)
        assert f"名稱與編號：{PLAN}" in "".join(lines)


def test_pieces_keep_every_character_in_order_and_end_where_a_printed_line_ends():
    from xlbudget.forms.wrapping import line_starts, printed_lines

    room = 300  # points: thirty 10 pt CJK characters a line
    plain = "辦理資訊系統維護" * 600  # no sentence end
    for text in (NOTE, ITEM_NOTE, plain):
        pieces = publication._pieces(text, room, 10, 30, 12)
        assert "".join(pieces) == text
        assert len(pieces) > 1 and all(printed_lines(p, room, 10) == 12 for p in pieces[:-1])
        assert printed_lines(pieces[-1], room, 10) <= 12
        # each cut where the whole text's printed line ends: the pieces print line for line as the whole does
        ends = {0} | set(line_starts(text, room, 10))
        assert all(sum(map(len, pieces[:n])) in ends for n in range(1, len(pieces)))
    assert len(plain) // 30 // 12 <= len(publication._pieces(plain, room, 10, 30, 12)) <= len(plain) // 30 // 12 + 1
    assert publication._pieces("短的說明。", room, 10, 30, 12) == ["短的說明。"]
    assert publication._pieces("一" * 30 * 30, room, 10, 30, 12) == ["一" * 30 * 30]  # 30 lines: whole


# ---- what the officer is told when a text still does not print whole, or the 目次 repair does not settle.
# A stand-in renderer prints every cell of each sheet as a line (a page per sheet) without LibreOffice.


def _stand_in(monkeypatch, drop: str = "", end_after: str = "", hashed: int | None = None):
    """Render each sheet's rows as text lines, a page per sheet: cells holding ``drop`` are lost, a figure equal to
    ``hashed`` prints as ### (too wide for its column), and a 明細表 page ends after the line starting with
    ``end_after``."""
    def render(xlsx, soffice, work, **_):
        pages = []
        for ws in openpyxl.load_workbook(xlsx).worksheets:
            lines = []
            for row in ws.iter_rows(values_only=True):
                cells = [("###" if v == hashed else f"{v:,.0f}") if isinstance(v, (int, float)) else str(v)
                         for v in row if v not in (None, "")]
                cells = cells[:1] if len(set(cells)) == 1 else cells  # a title printed over both halves
                line = " ".join(c for c in cells if not (drop and drop in c))
                lines.append(line)
                if end_after and ws.title.startswith("明細表") and line.startswith(end_after):
                    pages.append("\n".join(lines))
                    lines = []
            pages.append("\n".join(lines))
        pdf = Path(work) / "stand-in.json"
        pdf.write_text(json.dumps(pages), encoding="utf-8")
        return pdf

    monkeypatch.setattr(publish, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(publish, "render", render)
    monkeypatch.setattr(publish, "page_texts", lambda pdf: json.loads(Path(pdf).read_text(encoding="utf-8")))


@pytest.mark.parametrize("lost, cell", [("（提要050）", f"說明提要（編號 {PLAN}）"), ("（說明020）", "歲出明細!L43"),
                                        ("（總說明030）", "總說明!A")])
def test_a_text_the_pdf_does_not_show_whole_is_refused_naming_its_cell(monkeypatch, tmp_path, capsys, lost, cell):
    _stand_in(monkeypatch, drop=lost)
    book = save_atomic(long_workbook(), tmp_path / "長說明.xlsx")
    assert main(["pdf", str(book), "-o", str(tmp_path / "長說明.pdf")]) == 2
    err = capsys.readouterr().err
    assert cell in err and "Traceback" not in err
    assert not (tmp_path / "長說明.pdf").exists()


def test_the_stand_in_renderer_publishes_a_book_it_prints_whole(monkeypatch, tmp_path):
    _stand_in(monkeypatch)
    book = save_atomic(long_workbook(), tmp_path / "長說明.xlsx")
    assert main(["pdf", str(book), "-o", str(tmp_path / "長說明.pdf")]) == 0


def test_a_contents_repair_that_never_settles_names_the_row(monkeypatch, tmp_path, capsys):
    # 02資源管理 ends a 明細表 page on every rendering, however often it is moved
    _stand_in(monkeypatch, end_after="02資源管理")
    book = save_atomic(long_workbook(), tmp_path / "長說明.xlsx")
    assert main(["pdf", str(book), "-o", str(tmp_path / "長說明.pdf")]) == 2
    err = capsys.readouterr().err
    assert re.search(r"明細表02!A\d+「02資源管理", err) and "Traceback" not in err
    assert not (tmp_path / "長說明.pdf").exists()


@needs_render
@pytest.mark.parametrize("example, footer", [("example-taichung", "02004 - N"), ("example-taipei", "07-152-N")])
def test_contents_ranges_are_true_on_the_other_examples(tmp_path, example, footer):
    book = save_atomic(example_workbook(example), tmp_path / f"{example}.xlsx")
    assert main(["pdf", str(book), "-o", str(tmp_path / "book.pdf")]) == 0
    ranges = assert_contents_true(printed_pages(tmp_path / "book.pdf"), footer)
    assert "歲出計畫說明提要與各項費用明細表" in ranges


def test_a_page_ending_in_a_piece_is_told_from_a_later_piece_that_starts_alike():
    """Pieces are cut where a printed line ends, so the same words open pieces of different texts (臺北 116's
    「如後附分年資金需求表。」): a page ending in the second line of one text's piece was taken to end on another
    text's piece further on, the page after ended «before» its own rows, and 明細表03!A257 was moved off the page
    foot six renderings running."""
    flow = publication.Flow("明細表03", "M", [
        (5, "合計", True), (6, "A10", True), (7, "式1甲", False), (8, "甲之一行其各年度資金需求詳", False),
        (9, "式1丁", False), (10, "B20", True), (11, "式1乙", False), (12, "如後附分年資金需求表。", False),
        (13, "C30", True), (14, "式1丙", False)], continued={8, 12})
    # page 1 ends in row 8's second line, which reads like row 12 (a piece of another text); page 2 ends on B20
    # (after 式1丁: a heading opening its page is not moved, a break before a page's first row moving nothing)
    pages = ["M\n合計\nA10\n式1甲 第一行\n甲之一行其各年度資金需求詳\n如後附分年資金需求表。\n07-152-1",
             "M\n式1丁\nB20\n07-152-2", "M\n式1乙\n如後附分年資金需求表。\nC30\n式1丙\n07-152-3"]
    assert publish.find_orphans([flow], pages) == [("明細表03", 10)]


def test_pieces_never_cut_inside_a_web_address():
    # field report 6 §6: a 230-character procurement link in a 說明 printed in three pieces with an empty line
    # between them, cut inside the link («…NzA1MjM4OTkNz» / blank / «A1MjM4…»). Red before: cut at every 3rd line
    from xlbudget.forms.wrapping import LIBREOFFICE_DEJAVU

    room = LIBREOFFICE_DEJAVU.room(48)  # the 明細表's 說明 column, as LibreOffice prints it
    link = "https://web.pcc.gov.tw/tps/QueryTender/query/searchTenderDetail?pkPmsMain=" + "NzA1MjM4OTk" * 20
    text = "採購案詳 " + link + " 。"
    # more lines than a row may print (7), pieces of 3: the link starts a piece of its own and stays whole
    assert publication._pieces(text, room, 10, 7, 3) == ["採購案詳 ", link + " 。"]
    # a link followed by more text: the piece after the link starts where the link's last line ends
    pieces = publication._pieces(text + "辦理採購作業所需各項費用，" * 12, room, 10, 7, 3)
    assert pieces[0] == "採購案詳 " and pieces[1].startswith(link) and "".join(pieces[2:]).endswith("費用，")
    assert "".join(pieces) == text + "辦理採購作業所需各項費用，" * 12
    # a run longer than a row can print (7 + 3 lines of 45 characters) is printed whole, in pieces all the same
    monster = "採購案詳 " + "NzA1MjM4OTk" * 80
    pieces = publication._pieces(monster, room, 10, 7, 3)
    assert "".join(pieces) == monster and len(pieces) > 2


def test_a_title_block_line_too_long_for_the_page_wraps_in_a_row_as_high_as_its_lines():
    # by hand: a 100-unit wide table, Excel's narrowest unit (5.25 pt) gives 5.25 × 100 − 5 = 520 pt of line; the
    # 55-character name at 14 pt is 770 pt: 2 lines of 1.45 × 14 pt, + 4 = 44.6 pt. The example's 9-character
    # name (126 pt) and the title keep one line (row 1 unsized, row 2 24 pt). Red before: no height for row 1
    from openpyxl import Workbook

    from xlbudget.adapters.printing import write_table
    from xlbudget.core.model import Agency
    from xlbudget.core.tables import LABEL, Column, Table
    from xlbudget.forms.layout import layout_table

    table = Table("目次", "", (Column("目次", ("目次",), LABEL, 80.0), Column("頁次", ("頁次",), LABEL, 20.0)), ())
    long, short = (Agency(name, "02-018", 113, "高雄市政府主管", "01") for name in (AGENCY, "高雄市政府資訊中心"))
    assert layout_table(table, long).heights == {1: pytest.approx(44.6), 2: 24, 5: 15}
    assert layout_table(table, short).heights == {2: 24, 5: 15}
    ws = Workbook().active
    write_table(ws, table, long)
    assert ws["A1"].value == AGENCY and ws["A1"].alignment.wrap_text  # whole, wrapped by the renderer


def test_read_back_follows_each_text_once_and_a_text_printed_in_one_run_not_at_all(monkeypatch):
    """Field report 12 §2.2: a 2,037-line book repeating one 400-character 說明 on 168 lines spent 128 s of CPU in the
    read-back (each piece followed from every place its first 6 characters print, for each of the 168 lines). The
    verdicts stay the same; only a text whose lines print with other words between them is followed, and each
    different one once. Red before: ``_shows`` ran 2 × 168 + 2 = 338 times (here 2)."""
    phrase = "辦理本市各機關資訊系統維運、資安防護，"  # 19 characters
    repeated = publication.Printed("歲出明細!L{}", phrase * 5, 3)  # 95 characters, its head printed at 5 places a line
    # page texts as the layout extraction gives them: the repeated 說明 on 168 lines, each in one run of 3 lines
    lines = [f"2018 資訊服務費 1,000 {phrase * 2}\n{phrase * 2}\n{phrase}" for _ in range(168)]
    # a 說明 wrapped beside another column that wraps too: 「機關」 prints between its first and second line
    beside = publication.Printed("歲出明細!L9", "第一行的說明文字內容第二行的說明文字內容", 2)
    lines.append("2051 辦公器具 50 第一行的說明文字內容\n機關 第二行的說明文字內容")
    # a 說明 whose last line the PDF lost at a page foot
    lost = publication.Printed("歲出明細!L10", "第一行另一段說明文字第二行另一段說明文字第三行不見了", 3)
    lines.append("2054 一般事務費 80 第一行另一段說明文字\n第二行另一段說明文字")
    pages = ["\n".join(lines[:100]), "\n".join(lines[100:])]
    texts = [repeated] * 168 + [beside, beside, lost]
    followed = []
    shows = publish._shows
    monkeypatch.setattr(publish, "_shows", lambda text, whole, lines=0: followed.append(text) or shows(text, whole,
                                                                                                        lines))
    assert publish.unprinted(texts, pages) == [lost]
    assert followed == [publication.squeezed(beside.text), publication.squeezed(lost.text)]
    # each verdict is the one the line-by-line reading gives
    whole = publication.squeezed("".join(pages))
    assert [shows(publication.squeezed(t.text), whole, t.lines) for t in (repeated, beside, lost)] == [True, True, False]


def test_pdf_says_each_rendering_and_its_pages_on_stderr_as_it_goes(monkeypatch, tmp_path, capsys):
    # field report 12 §2.2: a 2,037-line book rendered for 10 minutes without a line. The stand-in prints a page per
    # sheet; its first rendering has no 目次 ranges, so a second one checks them (a heading moved: a third). Red
    # before: stderr empty
    _stand_in(monkeypatch)
    book = save_atomic(long_workbook(), tmp_path / "長說明.xlsx")
    assert main(["pdf", str(book), "-o", str(tmp_path / "長說明.pdf")]) == 0
    out, err = capsys.readouterr()
    pages = int(re.search(r"共 (\d+) 頁", out).group(1))
    lines = err.splitlines()
    assert lines[:4] == ["排版中：第 1 次…", f"　第 1 次排版完成，共 {pages} 頁",
                         "排版中：第 2 次（目次頁次已寫入，核對是否一致）…", f"　第 2 次排版完成，共 {pages} 頁"]
    assert "排版中" not in out  # the report on stdout is as it was
