"""check --mark and --clear by splicing, as build splices (adapters.splice): the officer's file copied part for part.

Written: the marked cells (their style index, in the sheet's XML), styles.xml (a fill and a cell format per
mark), the notes (the sheet's comments part and the VML shapes Excel shows them with, edited as text so every
other shape, such as a form control, stays as it was), the 檢核結果 and state sheets (XlsxWriter, xlsxbook.write_marks)
and what names them (workbook.xml and its relationships, [Content_Types].xml, docProps/app.xml). Every other part
(pictures, text boxes, shapes, Excel 365's threaded comments and their persons, charts, form controls, cached
formula values, macros) is the original's, byte for byte: openpyxl dropped the pictures, text boxes and threads
(field report 5 §3.1).

The marks and the state sheet are adapters.marking's (openpyxl's, for convert and books this cannot splice), so
either clears the other's: a fill by severity (FILLS), a note by AUTHOR with the officer's own note first and
_SEPARATOR, and, on the very hidden state sheet, each marked cell's original fill (as JSON) and note. A cell holding
a threaded comment keeps it unchanged and gets no note (Excel shows the thread there): its fill and 檢核結果 say it.
Whatever this cannot edit safely raises CannotSplice before anything is written.
"""

from __future__ import annotations

import copy
import json
import re
from collections import defaultdict
from pathlib import Path

from lxml import etree

from xlbudget.adapters.marking import (_SEPARATOR, _STATE_HEADER, AUTHOR, FILLS, Cleared, _note_text, button_records,
                                       clear_plan, reference, state_records)
from xlbudget.adapters.package import PKG, free_name, rels_part, resolve
from xlbudget.adapters.splice import (_COMMENTS, _OFFICE, _R, _R_PREFIX, _WORKSHEET, CannotSplice, OfficerBook,
                                      _styles_part, has_comments, splice)
from xlbudget.adapters.splicestyles import _M, MAIN, _Entries, parse, serialise
from xlbudget.core.findings import marked_cells, severity_rank, unique_findings
from xlbudget.core.patterns import lazy
from xlbudget.forms.results import RESULT_SHEET, STATE_SHEET, results_sheet
from xlbudget.readers.grid import column_letter

_VML = _OFFICE + "/vmlDrawing"
_SHARED = _OFFICE + "/sharedStrings"
_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_REF = lazy(r"^\$?([A-Z]{1,3})\$?(\d+)$")
# the elements a worksheet may hold after <legacyDrawing>, in the schema's order: it goes before the first present
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
                 "extLst")


def mark_file(source: Path, findings, file: str, clear: bool = False) -> tuple[bytes, Cleared]:
    """The officer's book ``source`` with xlbudget's earlier marks removed and, unless ``clear``, ``findings``
    marked and listed on 檢核結果 (``file``: the name it is titled with). Returns the zip and what the removal did
    (marking.Cleared); CannotSplice when something cannot be edited safely (nothing written)."""
    try:
        return _mark(OfficerBook(source), findings, file, clear)
    except (etree.XMLSyntaxError, ValueError) as exc:  # an officer's part this cannot read (a number that is none)
        raise CannotSplice(f"{type(exc).__name__}: {exc}") from None


def _mark(officer: OfficerBook, findings, file: str, clear: bool) -> tuple[bytes, Cleared]:
    marks = _Marks(officer)
    cleared = marks.clear()
    removed = tuple(n for n in (RESULT_SHEET, STATE_SHEET) if n in officer.names)
    cleared.changed = bool(removed) or any(ws.changed for ws in marks.sheets.values()) or marks.styles.changed
    if clear and not cleared.changed:  # never marked: the book as it is, not a byte rewritten
        return officer.path.read_bytes(), cleared
    if clear:
        marks.save()
        return splice(officer, _made_empty(), [], None, removed=removed), cleared
    findings = unique_findings(findings)  # each once on 檢核結果 and in the notes, as check lists them
    names = [n for n in officer.names if n not in removed]
    by_cell: dict[tuple[str, str], list] = defaultdict(list)
    for f in findings:
        for cell in marked_cells(f):  # a joint finding marks its related cells alike; a merged range once
            if cell.sheet in names and officer.kinds[cell.sheet] == _WORKSHEET and _REF.match(cell.cell):
                by_cell[cell.sheet, marks.sheet(cell.sheet).anchor(cell.cell)].append(f)
    state = []
    for (sheet, coordinate), found in by_cell.items():
        state.append(marks.sheet(sheet).mark(coordinate, found))
    marks.save()
    from xlbudget.adapters.xlsxbook import write_marks

    layout = results_sheet(findings, file, names)  # the tabs' order, before 檢核結果 is put first
    made = write_marks(layout, names, FILLS, (_STATE_HEADER, state))
    return splice(officer, made, [RESULT_SHEET, STATE_SHEET], None, first=RESULT_SHEET,
                  hidden={STATE_SHEET: "veryHidden"}), cleared


def sheet_notes(officer: OfficerBook, names) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """The notes (附註) on the officer's worksheets ``names``, {sheet: {(row, column): (text, author)}}, read from each
    sheet's comments part (splicebuild names those a rebuilt table sheet drops)."""
    marks = _Marks(officer)
    found = {}
    for name in names:
        if officer.kinds.get(name) != _WORKSHEET or not marks._has_comments(name):
            continue
        ws = marks.sheet(name)
        _, root, refs = ws.comments()
        found[name] = {(int(m[2]), _column(m[1])): (_text(c.find(_M + "text")), ws._author(root, c))
                       for ref, c in refs.items() if (m := _REF.match(ref or ""))}
    return found


_TC = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
_CT_THREADS = "application/vnd.ms-excel.threadedcomments+xml"
_PERSON = "http://schemas.microsoft.com/office/2017/10/relationships/person"


def sheet_threads(officer: OfficerBook, names) -> dict[str, dict[tuple[int, int], tuple[list[bytes], str]]]:
    """The threaded comments (Excel 365's 註解) on the officer's worksheets ``names``, {sheet: {(row, column):
    ([each threadedComment element, as XML, in the order Excel wrote them], the conversation in words: «王主計：…／
    承辦人：…»)}}, the speakers' names from the book's persons part."""
    people: dict[str, str] = {}
    for rel in officer.rels:
        if rel.get("Type") == _PERSON and rel.get("TargetMode") != "External":
            people = {el.get("id"): el.get("displayName") or "" for el in
                      parse(officer._need(resolve(officer.workbook, rel.get("Target", "")))).iter(_TC + "person")}
    found: dict[str, dict[tuple[int, int], tuple[list[bytes], str]]] = {}
    for name in names:
        part = officer.parts.get(name)
        data = officer.data.get(rels_part(part)) if part and officer.kinds.get(name) == _WORKSHEET else None
        if data is None or _THREADED.encode() not in data:
            continue
        for rel in parse(data):
            if rel.get("Type") != _THREADED or rel.get("TargetMode") == "External":
                continue
            for tc in parse(officer._need(resolve(part, rel.get("Target", "")))).iter(_TC + "threadedComment"):
                m = _REF.match(tc.get("ref") or "")
                if m is None:
                    continue
                text = "".join(tc.find(_TC + "text").itertext()) if tc.find(_TC + "text") is not None else ""
                who = people.get(tc.get("personId"), "")
                said = text if not who or text.startswith(who) else f"{who}：{text}"
                items, words = found.setdefault(name, {}).get((int(m[2]), _column(m[1])), ([], ""))
                found[name][int(m[2]), _column(m[1])] = (items + [etree.tostring(tc)],
                                                         f"{words}／{said}" if words else said)
    return found


def with_notes(data: bytes, notes: dict[str, dict[tuple[int, int], tuple[str, str]]],
               threads: dict[str, list[bytes]] | None = None) -> bytes:
    """The book ``data`` (a zip: build's, just spliced) with ``notes`` on its worksheets, {sheet: {(row, column):
    (text, author)}}: the officer's notes a rebuilt table sheet keeps (splicebuild.kept_notes), each added as check
    --mark adds its own (the comments part and a VML shape), under its own author; and ``threads``, {sheet: the
    threadedComment elements (sheet_threads') of the cells whose placeholder note is kept}, in a threaded comments
    part of that sheet (field report 11 §2.3: the conversation had gone, its note left with a dead thread id).
    CannotSplice when it cannot."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "built.xlsx"
        path.write_bytes(data)
        officer = OfficerBook(path)
        marks = _Marks(officer)
        try:
            for name, cells in notes.items():
                ws = marks.sheet(name)
                for (r, c), (text, author) in sorted(cells.items()):
                    ws.put_note(f"{column_letter(c)}{r}", text, author)
            for name, items in (threads or {}).items():
                if items:
                    part = marks.new_part("xl/threadedComments/threadedComment{}.xml", _CT_THREADS)
                    marks.sheet(name)._link(_THREADED, part)
                    root = etree.Element(_TC + "ThreadedComments", nsmap={None: _TC[1:-1]})
                    root.extend(etree.fromstring(item) for item in items)
                    officer.edit(part, serialise(root))
            marks.save()
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise CannotSplice(f"{type(exc).__name__}: {exc}") from None
        return splice(officer, _made_empty(), [], None)


def _made_empty() -> dict[str, bytes]:
    """An XlsxWriter book's parts with no sheet written: what --clear splices in (nothing, but the styles)."""
    from xlbudget.adapters.xlsxbook import _unzipped

    parts: dict[str, bytes] = {}
    wb = _unzipped(parts)
    wb.add_worksheet("_")
    wb.close()
    return parts


# ---------------------------------------------------------------- fills (styles.xml)

_DEFAULT_COLOR = {"type": "rgb", "value": "00000000", "tint": 0.0}


def _color_state(el) -> dict:
    """A fill colour as marking._color_state gives openpyxl's (its type, value and tint)."""
    if el is None:
        return dict(_DEFAULT_COLOR)
    tint = float(el.get("tint") or 0)
    for kind, convert in (("rgb", str), ("theme", int), ("indexed", int)):
        if el.get(kind) is not None:
            return {"type": kind, "value": convert(el.get(kind)), "tint": tint}
    if el.get("auto") is not None:
        return {"type": "auto", "value": el.get("auto") in ("1", "true"), "tint": tint}
    return dict(_DEFAULT_COLOR)


def _fill_element(state: str):
    """A <fill> from a state's JSON (marking._fill_state's), as openpyxl's _fill would restore it."""
    data = json.loads(state)
    fill = etree.Element(_M + "fill")
    pattern = etree.SubElement(fill, _M + "patternFill")
    if data.get("patternType"):
        pattern.set("patternType", data["patternType"])
    for key, tag in (("fg", "fgColor"), ("bg", "bgColor")):
        color = data.get(key)
        if not color or color == _DEFAULT_COLOR:
            continue
        el = etree.SubElement(pattern, _M + tag)
        if color["type"] == "auto":
            el.set("auto", "1" if color["value"] else "0")
        else:
            el.set(color["type"], str(color["value"]))
        if color.get("tint"):
            el.set("tint", repr(float(color["tint"])))
    return fill


def _solid(rgb: str):
    fill = etree.Element(_M + "fill")
    pattern = etree.SubElement(fill, _M + "patternFill", patternType="solid")
    etree.SubElement(pattern, _M + "fgColor", rgb=rgb)
    etree.SubElement(pattern, _M + "bgColor", rgb=rgb)
    return fill


class _Styles:
    """The officer's styles.xml, to give a cell format another fill (appended, an equal one reused)."""

    def __init__(self, officer: OfficerBook):
        self.part = _styles_part(officer)
        self.root = parse(officer._need(self.part))
        fills, xfs = self.root.find(_M + "fills"), self.root.find(_M + "cellXfs")
        if fills is None or xfs is None or not len(xfs):
            raise CannotSplice("styles without fills or cell formats")
        self.fills, self.xfs = _Entries(fills), _Entries(xfs)
        self.changed = False

    def _fill(self, s: int):
        xf = self.xfs.collection[s] if s < len(self.xfs.collection) else self.xfs.collection[0]
        number = int(xf.get("fillId", "0"))
        return self.fills.collection[number] if number < len(self.fills.collection) else None

    def state(self, s: int) -> str:
        """The cell format's fill as marking._fill_state gives it: JSON of a pattern fill, "" for a gradient."""
        fill = self._fill(s)
        pattern = fill.find(_M + "patternFill") if fill is not None else None
        if fill is not None and pattern is None and len(fill):
            return ""  # a gradient: never touched, as openpyxl's marking leaves it
        get = (lambda tag: pattern.find(_M + tag)) if pattern is not None else (lambda tag: None)
        return json.dumps({"patternType": pattern.get("patternType") if pattern is not None else None,
                           "fg": _color_state(get("fgColor")), "bg": _color_state(get("bgColor"))})

    def ours(self, s: int, rgb: str) -> bool:
        """Whether the cell format's fill is the solid ``rgb`` a mark gives (marking._ours)."""
        fill = self._fill(s)
        pattern = fill.find(_M + "patternFill") if fill is not None else None
        fg = pattern.find(_M + "fgColor") if pattern is not None else None
        return pattern is not None and pattern.get("patternType") == "solid" and fg is not None \
            and (fg.get("rgb") or "").upper() == rgb.upper()

    def with_fill(self, s: int, fill) -> int:
        """The cell format ``s`` with ``fill`` instead of its own."""
        xf = copy.deepcopy(self.xfs.collection[s] if s < len(self.xfs.collection) else self.xfs.collection[0])
        xf.set("fillId", str(self.fills.add(fill)))
        xf.set("applyFill", "1")
        self.changed = True
        return self.xfs.add(xf)


# ---------------------------------------------------------------- one worksheet: cells, notes

def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _text(element) -> str:
    """A comment's (or string item's) plain text, as openpyxl reads it: its <t>s, phonetic runs left out."""
    return "".join(t.text or "" for t in element.iter(_M + "t") if t.getparent().tag != _M + "rPh")


_NEW_VML = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            b'xmlns:x="urn:schemas-microsoft-com:office:excel">\n <o:shapelayout v:ext="edit">\n'
            b'  <o:idmap v:ext="edit" data="%d"/>\n </o:shapelayout>\n</xml>\n')
_SHAPETYPE = (b' <v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">\n'
              b'  <v:stroke joinstyle="miter"/>\n  <v:path gradientshapeok="t" o:connecttype="rect"/>\n'
              b' </v:shapetype>\n')
# a note's shape as openpyxl's ShapeWriter writes it (which Excel opens): hidden until the cell is pointed at
_SHAPE = (b' <v:shape id="_x0000_s%d" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;'
          b'margin-top:1.5pt;width:%dpx;height:%dpx;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
          b'o:insetmode="auto">\n  <v:fill color2="#ffffe1"/>\n  <v:shadow color="black" obscured="t"/>\n'
          b'  <v:path o:connecttype="none"/>\n  <v:textbox style="mso-direction-alt:auto">'
          b'<div style="text-align:left"></div></v:textbox>\n  <x:ClientData ObjectType="Note"><x:MoveWithCells/>'
          b'<x:SizeWithCells/><x:AutoFill>False</x:AutoFill><x:Row>%d</x:Row><x:Column>%d</x:Column>'
          b'</x:ClientData>\n </v:shape>\n')
_VML_ROOT = lazy(rb"<xml\b[^>]*>")
_VML_NS = ((b"v", b"urn:schemas-microsoft-com:vml"), (b"o", b"urn:schemas-microsoft-com:office:office"),
           (b"x", b"urn:schemas-microsoft-com:office:excel"))
_SHAPES = lazy(rb"<v:shape\b[^>]*>.*?</v:shape>\s*", re.S)
_SHAPE_ID = lazy(rb'\bid="_x0000_s(\d+)"')
_NOTE_AT = lazy(rb'ObjectType="Note".*?<x:Row>\s*(\d+)\s*</x:Row>\s*<x:Column>\s*(\d+)\s*</x:Column>', re.S)
_IDMAP = lazy(rb'<o:idmap\b[^>]*\bdata="([\d,\s]+)"')


def _declared(vml: bytes) -> bytes:
    """The legacy drawing with v, o and x declared on its <xml> root, for the shapes written with those prefixes: a
    drawing openpyxl wrote declares its namespaces on each element under made-up prefixes (ns0:shape…), none on the
    root, and a v:shape added to it was XML no parser takes (prefix o not defined)."""
    root = _VML_ROOT.search(vml)
    if root is None:
        return vml
    missing = b"".join(b' xmlns:%s="%s"' % (prefix, uri) for prefix, uri in _VML_NS
                       if b"xmlns:%s=" % prefix not in root.group(0))
    end = root.end() - 1
    return vml[:end] + missing + vml[end:] if missing else vml


class _Sheet:
    """One of the officer's worksheets being marked: its XML, its merged ranges, its notes and their shapes."""

    def __init__(self, marks: "_Marks", name: str):
        self.marks, self.name = marks, name
        officer = marks.officer
        self.part = officer.parts[name]
        self.root = parse(officer._need(self.part))
        self.data = self.root.find(_M + "sheetData")
        if self.data is None:
            raise CannotSplice(f"{name}: no sheetData")
        self.rows: dict[int, object] = {}
        for row in self.data.iterfind(_M + "row"):
            if not (row.get("r") or "").isdigit():
                raise CannotSplice(f"{name}: a row without its number")
            self.rows[int(row.get("r"))] = row
        self.merges = []
        for m in self.root.iterfind(f"{_M}mergeCells/{_M}mergeCell"):
            first, _, last = (m.get("ref") or "").partition(":")
            a, b = _REF.match(first), _REF.match(last or first)
            if a and b:
                self.merges.append((int(a[2]), _column(a[1]), int(b[2]), _column(b[1]), f"{a[1]}{a[2]}"))
        self.rels_part = rels_part(self.part)
        data = officer.data.get(self.rels_part)
        self.rels = parse(data) if data is not None else etree.Element(PKG + "Relationships", nsmap={None: PKG[1:-1]})
        self.links = {rel.get("Type"): rel for rel in self.rels if rel.get("TargetMode") != "External"}
        self.threaded: set[str] = set()
        for rel in self.rels:
            if rel.get("Type") == _THREADED and rel.get("TargetMode") != "External":
                thread = parse(officer._need(resolve(self.part, rel.get("Target"))))
                self.threaded |= {el.get("ref") for el in thread.iter() if el.get("ref")}
        self.changed = self.rels_changed = False
        self._comments = self._vml = None
        # the notes' shapes to add (as text) and to take out ((row, column), 0-based), applied once at save: a
        # book with thousands of notes is not rewritten once a note
        self._shapes: list[bytes] = []
        self._gone: set[tuple[int, int]] = set()
        self._next_shape = 0

    # -- cells
    def anchor(self, coordinate: str) -> str:
        """The cell to mark: a merged range's top-left cell stands for the whole range."""
        m = _REF.match(coordinate)
        row, col = int(m[2]), _column(m[1])
        for r1, c1, r2, c2, first in self.merges:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return first
        return f"{m[1]}{m[2]}"

    def _cell(self, coordinate: str, make: bool):
        m = _REF.match(coordinate)
        number, col = int(m[2]), _column(m[1])
        row = self.rows.get(number)
        if row is None:
            if not make:
                return None
            row = etree.Element(_M + "row", r=str(number))
            later = [n for n in self.rows if n > number]
            self.rows[number] = row
            if later:
                self.rows[min(later)].addprevious(row)
            else:
                self.data.append(row)
        for c in row.iterfind(_M + "c"):
            ref = _REF.match(c.get("r") or "")
            if ref is None:
                raise CannotSplice(f"{self.name}: a cell without its reference")
            at = _column(ref[1])
            if at == col:
                return c
            if at > col:
                if not make:
                    return None
                new = etree.Element(_M + "c", r=f"{m[1]}{number}")
                c.addprevious(new)
                row.attrib.pop("spans", None)
                return new
        if not make:
            return None
        row.attrib.pop("spans", None)
        return etree.SubElement(row, _M + "c", r=f"{m[1]}{number}")

    def style(self, coordinate: str) -> int:
        cell = self._cell(coordinate, False)
        return int(cell.get("s", "0")) if cell is not None else 0

    def set_style(self, coordinate: str, s: int) -> None:
        self._cell(coordinate, True).set("s", str(s))
        self.changed = True

    # -- notes
    def comments(self):
        """(root, {ref: comment}, authors) of the sheet's comments part, read once; made when it has none."""
        if self._comments is None:
            rel = self.links.get(_COMMENTS)
            if rel is not None:
                part = resolve(self.part, rel.get("Target"))
                root = parse(self.marks.officer._need(part))
            else:
                part, root = None, parse(b'<comments xmlns="' + MAIN.encode() + b'"><authors/><commentList/></comments>')
            listed = root.find(_M + "commentList")
            refs = {c.get("ref"): c for c in listed.iterfind(_M + "comment")} if listed is not None else {}
            self._comments = [part, root, refs]
        return self._comments

    def note(self, coordinate: str):
        """(text, author) of the note at ``coordinate``, or None."""
        if _COMMENTS not in self.links and self._comments is None:
            return None
        _, root, refs = self.comments()
        c = refs.get(coordinate)
        if c is None:
            return None
        return _text(c.find(_M + "text")), self._author(root, c)

    def _author(self, root, comment) -> str:
        authors = [a.text or "" for a in root.find(_M + "authors")]
        n = int(comment.get("authorId", "0"))
        return authors[n] if n < len(authors) else ""

    def _author_id(self, root, author: str) -> str:
        authors = root.find(_M + "authors")
        for n, a in enumerate(authors):
            if (a.text or "") == author:
                return str(n)
        etree.SubElement(authors, _M + "author").text = author
        return str(len(authors) - 1)

    def set_note(self, coordinate: str, text: str) -> None:
        """xlbudget's note at ``coordinate``: its ``text`` under the officer's own note (kept, formatting and
        all), by AUTHOR, as marking's openpyxl notes are."""
        _, root, refs = self.comments()
        c = refs.get(coordinate)
        run = etree.Element(_M + "r")
        t = etree.SubElement(run, _M + "t")
        t.text = (_SEPARATOR + text) if c is not None else text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if c is None:
            listed = root.find(_M + "commentList")
            c = etree.SubElement(listed, _M + "comment", ref=coordinate)
            etree.SubElement(c, _M + "text").append(run)
            refs[coordinate] = c
            self._add_shape(coordinate, text.count("\n\n") + 1)
        else:
            body = c.find(_M + "text")
            plain = body.find(_M + "t")
            if plain is not None:  # a note as one text, no runs: made one run, so ours is a run after it
                body.remove(plain)
                first = etree.SubElement(body, _M + "r")
                first.append(plain)
            body.append(run)
        c.set("authorId", self._author_id(root, AUTHOR))
        self.changed = True

    def put_note(self, coordinate: str, text: str, author: str) -> None:
        """A note of the officer's at ``coordinate`` (a cell with none): ``text`` under ``author``."""
        _, root, refs = self.comments()
        c = etree.SubElement(root.find(_M + "commentList"), _M + "comment", ref=coordinate)
        t = etree.SubElement(etree.SubElement(etree.SubElement(c, _M + "text"), _M + "r"), _M + "t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        c.set("authorId", self._author_id(root, author or ""))
        refs[coordinate] = c
        self._add_shape(coordinate, text.count("\n") + 1)
        self.changed = True

    def restore_note(self, coordinate: str, note: str | None, author: str | None) -> None:
        """The note at ``coordinate``, ours, back as the officer's: his text (and runs) before _SEPARATOR and his
        author, or no note when he had none (``note`` None)."""
        _, root, refs = self.comments()
        c = refs[coordinate]
        if not note:
            self._remove_note(coordinate)
            return
        body = c.find(_M + "text")
        runs = list(body)
        cut = next((n for n, r in enumerate(runs) if _text(r).startswith(_SEPARATOR)), None)
        if cut is not None and _text(body).split(_SEPARATOR)[0] == note:
            for r in runs[cut:]:
                body.remove(r)
        else:
            for r in runs:
                body.remove(r)
            run = etree.SubElement(body, _M + "r")
            t = etree.SubElement(run, _M + "t")
            t.text = note
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        c.set("authorId", self._author_id(root, author or ""))
        self.changed = True

    def ours(self) -> list[str]:
        """The cells whose note is xlbudget's (AUTHOR)."""
        if _COMMENTS not in self.links:
            return []
        _, root, refs = self.comments()
        return [ref for ref, c in refs.items() if self._author(root, c) == AUTHOR]

    def _remove_note(self, coordinate: str) -> None:
        _, root, refs = self.comments()
        c = refs.pop(coordinate)
        c.getparent().remove(c)
        m = _REF.match(coordinate)
        self.vml()
        self._gone.add((int(m[2]) - 1, _column(m[1]) - 1))
        self.changed = True

    def vml(self) -> bytes:
        """The sheet's legacy drawing (VML: its notes' shapes, and form controls), as text; made when it has none."""
        if self._vml is None:
            rel = self.links.get(_VML)
            if rel is not None:
                part = resolve(self.part, rel.get("Target"))
                self._vml = [part, self.marks.officer._need(part)]
            else:
                self._vml = [None, _NEW_VML % self.marks.new_idmap()]
        return self._vml[1]

    def _add_shape(self, coordinate: str, count: int) -> None:
        vml = self.vml()
        if not self._next_shape:
            if b"</xml>" not in vml:
                raise CannotSplice(f"{self.name}: a legacy drawing that is not VML")
            ids = [int(n) for n in _SHAPE_ID.findall(vml)]
            blocks = [int(n) for n in re.findall(rb"\d+", (_IDMAP.search(vml) or [b"", b"1"])[1])] or [1]
            self._next_shape = max(ids + [blocks[0] * 1024]) + 1
        m = _REF.match(coordinate)
        self._shapes.append(_SHAPE % (self._next_shape, 360, min(80 + 70 * count, 400), int(m[2]) - 1,
                                      _column(m[1]) - 1))
        self._next_shape += 1

    def _drawn(self) -> bytes:
        """The legacy drawing with the notes' shapes taken out and added (once, at save)."""
        vml = self._vml[1]
        if self._gone:
            vml = _SHAPES.sub(lambda s: b"" if (at := _NOTE_AT.search(s.group(0))) and
                              (int(at[1]), int(at[2])) in self._gone else s.group(0), vml)
        if self._shapes:
            if b'"_x0000_t202"' not in vml:
                vml = vml.replace(b"</xml>", _SHAPETYPE + b"</xml>")
            at = vml.rindex(b"</xml>")
            vml = _declared(vml[:at] + b"".join(self._shapes) + vml[at:])
        return vml

    def mark(self, coordinate: str, found: list) -> tuple:
        """Fill and note one cell for its findings; its state row (marking's _STATE_HEADER)."""
        styles = self.marks.styles
        cell = self.anchor(coordinate)
        worst = min((f.severity for f in found), key=severity_rank)
        rgb = FILLS[worst]
        s = self.style(cell)
        fill_state = styles.state(s)
        original = self.note(cell)
        if fill_state:
            self.set_style(cell, styles.with_fill(s, _solid(rgb)))
        written = None
        if cell not in self.threaded:  # Excel shows the thread there: the officer's conversation stays as it was
            written = _note_text(found)
            self.set_note(cell, written)
            written = original[0] + _SEPARATOR + written if original else written
        return (self.name, cell, fill_state, original[0] if original else None, original[1] if original else None,
                rgb if fill_state else None, reference(self.name, cell), written)

    def save(self) -> None:
        """This sheet's edited parts handed to the splice: the sheet, its rels, comments and VML."""
        if not self.changed:
            return
        officer, marks = self.marks.officer, self.marks
        if self._vml is not None:
            self._vml[1] = self._drawn()
        if self._comments is not None:
            part, root, refs = self._comments
            listed = root.find(_M + "commentList")
            vml_part = self._vml[0] if self._vml is not None else None
            if not refs:  # no note left: the comments part goes, and the shapes' drawing if it holds nothing else
                if part is not None:
                    self._unlink(_COMMENTS, part)
                if self._vml is not None and not _SHAPES.search(self._vml[1]) and vml_part is not None:
                    self._unlink(_VML, vml_part)
                    self._drop_legacy_drawing()
                elif self._vml is not None and vml_part is not None:
                    officer.edit(vml_part, self._vml[1])
            else:
                listed[:] = sorted(listed, key=lambda c: (int(_REF.match(c.get("ref"))[2]),
                                                          _column(_REF.match(c.get("ref"))[1])))
                if part is None:
                    part = marks.new_part("xl/comments{}.xml", _CT_COMMENTS)
                    self._link(_COMMENTS, part)
                officer.edit(part, serialise(root))
                if self._vml is not None:
                    if vml_part is None:
                        vml_part = marks.new_part("xl/drawings/vmlDrawing{}.vml", None)
                        rid = self._link(_VML, vml_part)
                        self._legacy_drawing(rid)
                    officer.edit(vml_part, self._vml[1])
        if self.rels_changed:
            officer.edit(self.rels_part, serialise(self.rels))
        officer.edit(self.part, serialise(self.root))

    def _link(self, kind: str, part: str) -> str:
        used = {rel.get("Id") for rel in self.rels}
        rid = free_name("rId{}", used)
        rel = etree.SubElement(self.rels, PKG + "Relationship", Id=rid, Type=kind, Target="/" + part)
        self.links[kind] = rel
        self.rels_changed = True
        return rid

    def _unlink(self, kind: str, part: str) -> None:
        rel = self.links.pop(kind)
        self.rels.remove(rel)
        self.rels_changed = True
        self.marks.officer.orphaned.add(part)

    def _legacy_drawing(self, rid: str) -> None:
        el = etree.Element(_M + "legacyDrawing", nsmap=_R_PREFIX)
        el.set(_R + "id", rid)
        for name in _AFTER_LEGACY:
            anchor = self.root.find(_M + name)
            if anchor is not None:
                anchor.addprevious(el)
                return
        self.root.append(el)

    def _drop_legacy_drawing(self) -> None:
        el = self.root.find(_M + "legacyDrawing")
        if el is not None:
            self.root.remove(el)


class _Marks:
    """The marks being made on (or cleared from) one officer's book: its styles and its edited worksheets."""

    def __init__(self, officer: OfficerBook):
        self.officer = officer
        self.styles = _Styles(officer)
        self.sheets: dict[str, _Sheet] = {}
        self.used = set(officer.data)
        self.types: dict[str, str | None] = {}  # new part → its content type (None: VML, by extension)

    def sheet(self, name: str) -> _Sheet:
        if name not in self.sheets:
            self.sheets[name] = _Sheet(self, name)
        return self.sheets[name]

    def new_part(self, pattern: str, content_type: str | None) -> str:
        part = free_name(pattern, self.used)
        self.types[part] = content_type
        return part

    def new_idmap(self) -> int:
        """A VML drawing's block of shape ids no other drawing of the book uses."""
        taken = [0]
        for part in self.used:
            if part.endswith(".vml") and part in self.officer.data:
                found = _IDMAP.search(self.officer.data[part])
                taken += [int(n) for n in re.findall(rb"\d+", found[1])] if found else []
        taken += [int(n) for s in self.sheets.values() if s._vml is not None and s._vml[0] is None
                  for n in re.findall(rb"\d+", (_IDMAP.search(s._vml[1]) or [b"", b"0"])[1])]
        return max(taken) + 1

    def _restore_fill(self, ws: "_Sheet", cell: str, fill_state: str | None) -> None:
        s = ws.style(cell)
        ws.set_style(cell, self.styles.with_fill(s, _fill_element(fill_state) if fill_state
                                                 else _fill_element('{"patternType": null}')))

    def clear(self) -> Cleared:
        """xlbudget's marks removed, the officer's fills and notes back (marking.clear_plan's one rule, on the XML)."""
        officer = self.officer
        rows = _rows(officer, STATE_SHEET) if STATE_SHEET in officer.names \
            and officer.kinds[STATE_SHEET] == _WORKSHEET else []
        records = state_records(rows, officer.names)
        if RESULT_SHEET in officer.names and officer.kinds[RESULT_SHEET] == _WORKSHEET:  # the 檢核 button's marks
            records += button_records(_rows(officer, RESULT_SHEET), officer.names,
                                      {(r.sheet, r.cell) for r in records})
        restores, cleared = clear_plan(records, _Look(self))
        for r in restores:
            ws = self.sheet(r.sheet)
            if r.fill is not None:
                self._restore_fill(ws, r.cell, r.fill)
            if r.renote:
                ws.restore_note(r.cell, r.note, r.author)
        return cleared

    def _has_comments(self, name: str) -> bool:
        return has_comments(self.officer, name)

    def save(self) -> None:
        """Every edit handed to the splice: the sheets, styles.xml and the new parts' content types."""
        for ws in self.sheets.values():
            ws.save()
        if self.styles.changed:
            self.officer.edit(self.styles.part, serialise(self.styles.root))
        if self.types or self.officer.orphaned:
            root = parse(self.officer._need("[Content_Types].xml"))
            for override in list(root.iterfind(_CT + "Override")):
                if override.get("PartName", "").lstrip("/") in self.officer.orphaned:
                    root.remove(override)
            defaults = {d.get("Extension", "").lower() for d in root.iterfind(_CT + "Default")}
            for part, kind in self.types.items():
                if kind is not None:
                    etree.SubElement(root, _CT + "Override", PartName="/" + part, ContentType=kind)
                elif "vml" not in defaults:
                    etree.SubElement(root, _CT + "Default", Extension="vml", ContentType=_CT_VML)
                    defaults.add("vml")
            # Defaults come before Overrides, as the schema orders them
            root[:] = sorted(root, key=lambda el: el.tag != _CT + "Default")
            self.officer.edit("[Content_Types].xml", serialise(root))


class _Look:
    """The officer's book, its XML, as marking.clear_plan sees it (marking.MarkLook)."""

    def __init__(self, marks: _Marks):
        officer = marks.officer
        self.marks = marks
        self.sheets = {n for n in officer.names if officer.kinds[n] == _WORKSHEET and n not in (RESULT_SHEET,
                                                                                                  STATE_SHEET)}

    def anchor(self, sheet: str, cell: str) -> str:
        return self.marks.sheet(sheet).anchor(cell)

    def fill(self, sheet: str, cell: str) -> str | None:
        style = self.marks.sheet(sheet).style(cell)
        return next((rgb for rgb in FILLS.values() if self.marks.styles.ours(style, rgb)), None)

    def note(self, sheet: str, cell: str) -> tuple[str, str] | None:
        return self.marks.sheet(sheet).note(cell)

    def our_notes(self) -> list[tuple[str, str]]:
        return [(name, ref) for name in self.marks.officer.names if name in self.sheets
                and (name in self.marks.sheets or self.marks._has_comments(name))
                for ref in self.marks.sheet(name).ours()]


def _rows(officer: OfficerBook, name: str) -> list[list]:
    """A sheet's cell values as text (shared strings, inline strings, numbers as written; a formula's text with its
    «=»), row by row from A1."""
    strings: list[str] | None = None
    rows: dict[int, dict[int, str | None]] = defaultdict(dict)
    for c in parse(officer._need(officer.parts[name])).iter(_M + "c"):
        m = _REF.match(c.get("r") or "")
        if m is None:
            continue
        kind, v, f = c.get("t"), c.find(_M + "v"), c.find(_M + "f")
        if f is not None and f.text:  # a formula (the state's references): its text, as openpyxl gives it
            value = "=" + f.text
        elif kind == "s":
            if strings is None:
                strings = _shared_strings(officer)
            value = strings[int(v.text)] if v is not None and v.text else None
        elif kind == "inlineStr":
            value = _text(c.find(_M + "is")) if c.find(_M + "is") is not None else None
        else:
            value = v.text if v is not None else None
        rows[int(m[2])][_column(m[1])] = value
    return [[rows.get(r, {}).get(c) for c in range(1, max(rows.get(r, {0: None})) + 1)]
            for r in range(1, max(rows, default=0) + 1)]


def _shared_strings(officer: OfficerBook) -> list[str]:
    for rel in officer.rels:
        if rel.get("Type") == _SHARED and rel.get("Target"):
            root = parse(officer._need(resolve(officer.workbook, rel.get("Target"))))
            return [_text(si) for si in root.iterfind(_M + "si")]
    return []


__all__ = ["mark_file"]
