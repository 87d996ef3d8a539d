"""Field report 11 §2.3 (f09): a reviewer's threaded comment (Excel 365's 註解, a comment and its reply) on a built
table cell was dropped by the next build without a word, its placeholder note put back alone, authored with a thread
id that no longer existed. The thread now goes back with its placeholder note where the note is kept (the row as
before: kept_notes' test), and is named otherwise (table-thread-removed), the conversation in words, as notes are.
The threads are f09's: 各項費用彙計表!D7 (in the table: kept) and 各項費用彙計表!F9, beside the 4-column table (named).
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
from openpyxl.comments import Comment

from xlbudget.adapters.xlsxfile import save_atomic
from xlbudget.app.example import example_workbook
from xlbudget.app.pipeline import build_file
from tests.test_mark_splice import add_thread
from xlbudget.derive.schedules import SUMMARY

NS = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
PLACEHOLDER = "[Threaded comment]\n\nComment:\n    此數與上年度差異請說明\nReply:\n    增列資安設備"


def _thread(ref: str, n: int) -> str:
    return (f'<threadedComment ref="{ref}" dT="2024-03-05T10:00:00.00" personId="{{11111111-1111-1111-1111-'
            f'111111111111}}" id="{{0000000{n}-0000-0000-0000-000000000001}}"><text>此數與上年度差異請說明</text>'
            f'</threadedComment><threadedComment ref="{ref}" dT="2024-03-05T11:00:00.00" personId="{{22222222-2222-'
            f'2222-2222-222222222222}}" id="{{0000000{n}-0000-0000-0000-000000000002}}" parentId="{{0000000{n}-0000-'
            f'0000-0000-000000000001}}"><text>增列資安設備</text></threadedComment>')


THREADS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ThreadedComments xmlns="{NS}">'
           f'{_thread("D7", 1)}{_thread("F9", 2)}</ThreadedComments>').encode()
PERSONS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><personList xmlns="{NS}"><person displayName="王主計"'
           ' id="{11111111-1111-1111-1111-111111111111}" userId="wang" providerId="None"/><person displayName="承辦人" '
           'id="{22222222-2222-2222-2222-222222222222}" userId="li" providerId="None"/></personList>').encode()


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(\w+)"', z.read("xl/workbook.xml").decode())[1]
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*>', z.read("xl/_rels/workbook.xml.rels").decode())[0]
    target = re.search(r'Target="/?(?:xl/)?([^"]+)"', target)[1]
    return "xl/" + target


def _threaded(tmp_path):
    """The example built, then reviewed in Excel 365: threads on 各項費用彙計表 D7 and F9, their placeholder notes."""
    source = save_atomic(example_workbook(), tmp_path / "範例.xlsx")
    wb = openpyxl.load_workbook(build_file(source, tmp_path / "built.xlsx").output)
    for ref, n in (("D7", 1), ("F9", 2)):
        wb[SUMMARY][ref].comment = Comment(PLACEHOLDER, f"tc={{0000000{n}-0000-0000-0000-000000000001}}")
    plain = save_atomic(wb, tmp_path / "plain.xlsx")
    with zipfile.ZipFile(plain) as z:
        rels = _sheet_part(z, SUMMARY).replace("worksheets/", "worksheets/_rels/") + ".rels"
    book = add_thread(plain, tmp_path / "預算.xlsx", rels, THREADS, PERSONS)
    return book


def test_a_thread_on_a_table_cell_goes_back_with_its_note_or_is_named(tmp_path):
    """Red on main: after the rebuild 各項費用彙計表 has no threaded comments part (D7's note alone, its tc= id dead)
    and no finding names F9's conversation."""
    book = _threaded(tmp_path)
    result = build_file(book)  # in place: the dated backup keeps F9's
    assert result.spliced
    with zipfile.ZipFile(book) as z:
        rels = z.read(re.sub(r"worksheets/", "worksheets/_rels/", _sheet_part(z, SUMMARY)) + ".rels").decode()
        link = re.search(r'<Relationship [^>]*threadedComment"[^>]*>', rels)
        assert link is not None, rels
        target = re.search(r'Target="([^"]+)"', link[0])[1]
        thread = z.read(target.lstrip("/") if target.startswith("/") else "xl/" + target.replace("../", "")).decode()
        assert re.findall(r'ref="(\w+)"', thread) == ["D7", "D7"]  # D7's comment and reply; F9's gone
        assert 'id="{00000001-0000-0000-0000-000000000001}"' in thread and "增列資安設備" in thread
        assert z.read("xl/persons/person.xml") == PERSONS
        assert "threadedcomments+xml" in z.read("[Content_Types].xml").decode()
    ws = openpyxl.load_workbook(book)[SUMMARY]
    assert (ws["D7"].comment.text, ws["D7"].comment.author) == (PLACEHOLDER, "tc={00000001-0000-0000-0000-000000000001}")
    assert ws["F9"].comment is None
    named = [(f.rule, f.cell.cell, f.message) for f in result.findings if f.rule.startswith("table-")]
    assert [(rule, cell) for rule, cell, _ in named] == [("table-thread-removed", "F9")], named
    assert "2 則" in named[0][2] and "王主計：此數與上年度差異請說明／承辦人：增列資安設備" in named[0][2]
    assert result.backup.name in named[0][2]
