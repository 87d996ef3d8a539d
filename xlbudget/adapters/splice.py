"""build's output spliced from the officer's own file: every part copied byte for byte but what build writes.

build writes only its table sheets (XlsxWriter, adapters.xlsxbook.write_schedules) and puts them into a copy
of the officer's zip: a table sheet replaces the sheet of its name at its place, or is added after the last
sheet (where openpyxl's build puts it). Rewritten: workbook.xml (sheets, their print titles in definedNames,
a full recalculation on opening, as openpyxl's save asks), workbook.xml.rels, [Content_Types].xml,
styles.xml (adapters.splicestyles), the 總說明 sheet's column D (adapters.sheetcolumn) and docProps/app.xml's
sheet list; calcChain.xml is dropped when it names a replaced sheet. A replaced sheet's part goes, with
whatever only it used (its drawing, comments, printer settings). Every other part (the officer's sheets,
images, shapes, form controls, macros, cached formula values) is the original's, byte for byte.

What cannot be spliced safely (a strict OOXML file, a table's name on a chart sheet, a stylesheet or
column that does not fit) raises CannotSplice before anything is written: build it the openpyxl way.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from xlbudget.adapters.package import (PKG, PackageClash, Parts, app_titles, content_types, copy_stored, free_name,
                                       new_part, rels_part, resolve)
from xlbudget.adapters.fastread import CELL_FORMULA, shared_formula, shared_masters, unescaped
from xlbudget.adapters.sheetcolumn import ColumnClash, numbered, put_column
from xlbudget.core.model import column_number
from xlbudget.core.patterns import lazy
from xlbudget.derive.narrative import NARRATIVE_COLUMN
from xlbudget.adapters.splicestyles import (_M, StyleClash, fit_cells, fit_sheet, merge_styles, parse,
                                            serialise, shared_strings)

_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_R = f"{{{_OFFICE}}}"
_WORKSHEET, _CALC_CHAIN = _OFFICE + "/worksheet", _OFFICE + "/calcChain"
_COMMENTS = _OFFICE + "/comments"
# an element given an r:id declares the relationships namespace as r: where an officer's part has it in scope
# under a prefix lxml uses that one; where not (openpyxl writes workbook.xml without it), lxml would otherwise make
# up ns0, ns1… or take the prefix some imported module registered (openpyxl registers r): bytes by import order
_R_PREFIX = {"r": _OFFICE}


# a cell whose first child is a formula (<f>text</f>, or <f …/> of a shared formula's other cells), and a merge
_MERGE = lazy(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')


class CannotSplice(Exception):
    """This file cannot be spliced safely (the reason, in English, for the log): build it the openpyxl way.
    ``said``: the reason in one zh-TW clause, where a refusal of that way tells the officer why (field report 11)."""

    def __init__(self, reason: str, said: str | None = None):
        super().__init__(reason)
        self.said = said


_STRICT = "這本活頁簿是 Strict Open XML 格式（在 Excel 另存為「Excel 活頁簿」即為一般格式）"


class OfficerBook:
    """The officer's file, opened for splicing: its parts, its sheets (name → part) and their order."""

    def __init__(self, path: Path):
        self.path = Path(path)
        # held in memory: the file itself may be replaced (build in place) while its parts are still copied
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(self.path.read_bytes()))
        except zipfile.BadZipFile as exc:
            raise CannotSplice(f"BadZipFile: {exc}") from None
        self.infos = self.zip.infolist()
        self.data = Parts(self.zip)
        self.workbook = self._main_part()
        self.root = self._xml(self.workbook)
        if self.root.tag != _M + "workbook":
            raise CannotSplice("workbook.xml is not transitional SpreadsheetML", _STRICT)
        self.rels = self._xml(rels_part(self.workbook))
        by_id = {rel.get("Id"): rel for rel in self.rels}
        self.sheets: dict[str, object] = {}  # name → its <sheet> element
        self.kinds: dict[str, str] = {}  # name → relationship type (worksheet, chartsheet…)
        self.parts: dict[str, str] = {}
        for sheet in self.root.iterfind(f"{_M}sheets/{_M}sheet"):
            rel = by_id.get(sheet.get(_R + "id"))
            if rel is None or rel.get("TargetMode") == "External" or not rel.get("Target"):
                raise CannotSplice("sheet without its part")
            name = sheet.get("name")
            self.sheets[name], self.kinds[name] = sheet, rel.get("Type")
            self.parts[name] = resolve(self.workbook, rel.get("Target"))
        self.names = list(self.sheets)
        self._linked: dict[str, list] = {}  # part → its _links, read once for every _reachable
        self.edited: dict[str, bytes] = {}  # parts changed (or made) before splicing: adapters.splicemark's marks
        self.orphaned: set[str] = set()  # parts those edits no longer reach (a comments part emptied by --clear)

    def edit(self, part: str, data: bytes) -> None:
        """``part`` (the officer's, or a new one) is ``data`` from now on: read so by the splice, and written."""
        self.data.put(part, data)
        self.edited[part] = data
        self._linked.pop(part, None)

    def _need(self, part: str) -> bytes:
        if part not in self.data:
            raise CannotSplice(f"{part} missing")
        return self.data[part]

    def _xml(self, part: str):
        """The officer's ``part`` parsed; CannotSplice when it is missing or not well-formed XML."""
        try:
            return parse(self._need(part))
        except etree.XMLSyntaxError as exc:
            raise CannotSplice(f"{part}: {exc}") from None

    def _main_part(self) -> str:
        for rel in self._xml("_rels/.rels"):
            if rel.get("Type") == _OFFICE + "/officeDocument" and rel.get("Target"):
                return resolve("", rel.get("Target"))
        raise CannotSplice("no transitional officeDocument (a strict OOXML file?)", _STRICT)

    def formulas(self, name: str, number: bool = False) -> tuple[dict[tuple[int, int], str],
                                                                   list[tuple[int, int, int, int]]]:
        """The formula cells of sheet ``name``, {(row, column): "=formula"}, 1-based (a shared formula's other
        cells, which hold none of their own, as Excel shows them: fastread.shared_formula), and its merged ranges (first row, first column,
        last row, last column): what build would replace with its figures (forms.overwrite). Found in the part's
        text (a formula is a cell's first child): a table sheet of 20,000 lines parsed whole costs 0.3 s."""
        from xlbudget.core.model import cell_position

        data = self._need(self.parts[name])
        if number:  # a sheet build rewrites a column of (總說明), whose rows or cells may lack their position
            data = numbered(data)
        found, masters = {}, None
        for m in CELL_FORMULA.finditer(data):
            if m.group(3):
                found[cell_position(m.group(1).decode())] = "=" + unescaped(m.group(3).decode())
                continue
            masters = shared_masters(data) if masters is None else masters
            found[cell_position(m.group(1).decode())] = shared_formula(data, m.group(2), m.group(1).decode(), masters)
        merges = [cell_position(m.group(1).decode()) + cell_position(m.group(2).decode())
                  for m in _MERGE.finditer(data)]
        return found, merges

    def defined(self, sheet: str, name: str) -> str | None:
        """The text of the defined name ``name`` scoped to ``sheet`` (forms.overwrite's record), or None."""
        local = str(self.names.index(sheet))
        for dn in self.root.iterfind(f"{_M}definedNames/{_M}definedName"):
            if dn.get("name") == name and dn.get("localSheetId") == local:
                return dn.text
        return None

    def local_names(self, sheet: str) -> list[tuple[str, str]]:
        """(name, text) of each defined name scoped to ``sheet`` (its print area, the officer's own names)."""
        local = str(self.names.index(sheet))
        return [(dn.get("name", ""), dn.text or "") for dn in self.root.iterfind(f"{_M}definedNames/{_M}definedName")
                if dn.get("localSheetId") == local]

    def order(self, titles: list[str]) -> list[str]:
        """The sheet names after build: a table's sheet where its name is, a new one among the tables in 目次 order
        (core.titles.table_order, as openpyxl's ``printing.write_tables`` places it). Raises CannotSplice when a
        table's name is a chart (or other) sheet."""
        from xlbudget.core.titles import table_order

        for title in titles:
            if title in self.kinds and self.kinds[title] != _WORKSHEET:
                raise CannotSplice(f"{title} is not a worksheet", f"預算表的工作表名稱「{title}」已是一張圖表工作表")
        return table_order(self.names, titles)

    def _links(self, part: str) -> list[tuple[str, object]]:
        """(target part, relationship element) of each internal relationship of ``part``, its .rels parsed once."""
        if part not in self._linked:
            data = self.data.get(rels_part(part))
            self._linked[part] = [] if data is None else [
                (resolve(part, rel.get("Target", "")), rel) for rel in parse(data)
                if rel.tag == PKG + "Relationship" and rel.get("TargetMode") != "External"]
        return self._linked[part]

    def _reachable(self, cut: set) -> set[str]:
        """Every part reachable from the package root, not following the relationships in ``cut``."""
        seen, todo = set(), [""]
        while todo:
            part = todo.pop()
            for target, rel in self._links(part) if part != self.workbook else self._workbook_links():
                if rel.get("Id") in cut and part == self.workbook or target in seen:
                    continue
                seen.add(target)
                todo.append(target)
        return seen

    def _workbook_links(self):
        return [(resolve(self.workbook, rel.get("Target", "")), rel) for rel in self.rels
                if rel.get("TargetMode") != "External"]


def splice(officer: OfficerBook, made: dict[str, bytes], titles: list[str], narrative: str | None,
           first: str | None = None, hidden: dict[str, str] | None = None, removed: tuple[str, ...] = (),
           settings: tuple[str, ...] = (), names: dict[str, set[str]] | None = None) -> bytes:
    """The officer's book with build's sheets: ``made`` (the parts of an XlsxWriter book, xlsxbook.write_schedules,
    holding a sheet per title of ``titles`` and, with ``narrative``, that sheet's figure sentences in column D)
    spliced in. Returns the zip.

    ``hidden``: titles given a sheet state (check --mark's veryHidden; build's: the state the officer gave a table
    sheet he hid). For build: ``settings``, titles whose sheet's page setup and tab colour the officer set are kept
    (kept_settings); ``names``, {title: names scoped to it that stay}: its other local names go with the sheet.
    For check --mark (adapters.splicemark): ``first``, a title put first and made the active tab; ``removed``,
    sheets of the officer's taken out, with their parts.
    """
    try:
        return _splice(officer, made, titles, narrative, first, hidden or {}, removed, settings, names or {})
    except (StyleClash, ColumnClash, PackageClash, etree.XMLSyntaxError) as exc:  # an officer's part it cannot read
        said = {ColumnClash: f"「{narrative or '總說明'}」D 欄有延伸進來的共用或陣列公式等，無法逐格改寫",
                StyleClash: "活頁簿的樣式表缺少必要的部分", PackageClash: "活頁簿中有無法原樣複製的壓縮項目（加密或 ZIP64）"}
        raise CannotSplice(f"{type(exc).__name__}: {exc}", said.get(type(exc))) from None


def _splice(officer: OfficerBook, made: dict[str, bytes], titles: list[str], narrative: str | None,
            first: str | None, hidden: dict[str, str], removed: tuple[str, ...], settings: tuple[str, ...],
            names: dict[str, set[str]]) -> bytes:
    order = [name for name in officer.order(titles) if name not in removed]
    if first is not None:
        order.remove(first)
        order.insert(0, first)
    new_root, new_rels = parse(made["xl/workbook.xml"]), parse(made["xl/_rels/workbook.xml.rels"])
    new_parts = {rel.get("Id"): resolve("xl/workbook.xml", rel.get("Target")) for rel in new_rels}
    made_sheets = {s.get("name"): new_parts[s.get(_R + "id")] for s in new_root.iterfind(f"{_M}sheets/{_M}sheet")}
    for title in titles:
        if rels_part(made_sheets[title]) in made:
            raise CannotSplice("a generated sheet has relationships")
    styles_part = _styles_part(officer)
    styles, xfs = merge_styles(officer._need(styles_part), made["xl/styles.xml"])
    strings = shared_strings(made.get("xl/sharedStrings.xml"))
    out: dict[str, bytes] = dict(officer.edited)
    out[styles_part] = styles
    root, rels = officer.root, officer.rels

    replaced = [t for t in titles if t in officer.sheets]
    gone = [t for t in removed if t in officer.sheets]
    cut = {officer.sheets[t].get(_R + "id") for t in replaced + gone}
    replaced_ids = {officer.sheets[t].get("sheetId") for t in replaced + gone}
    chain = [rel for rel in rels if rel.get("Type") == _CALC_CHAIN]
    narrative_column = {officer.sheets[narrative].get("sheetId"): NARRATIVE_COLUMN} \
        if narrative is not None and narrative in officer.sheets else {}
    if chain and _names_sheets(officer.data.get(resolve(officer.workbook, chain[0].get("Target", ""))), replaced_ids,
                               narrative_column):
        cut |= {rel.get("Id") for rel in chain}
    before, after = officer._reachable(set()), officer._reachable(cut)
    dropped = (before - after) | officer.orphaned
    dropped |= {rels_part(p) for p in dropped}
    for rel in [rel for rel in rels if rel.get("Id") in cut]:
        rels.remove(rel)
    sheets_el = root.find(_M + "sheets")
    for name in gone:
        sheets_el.remove(officer.sheets[name])

    active = _active_tab(root)
    shown = officer.names[active] if active < len(officer.names) else None
    # a table added among the tables (OfficerBook.order) moves the sheets after it one tab on: the active one too
    if first is not None or gone or (shown in order and order.index(shown) != active):
        active = _moved_tab(root, officer, order, first, out)
    used_parts = set(officer.data)
    # the cut relationships' Ids too: a rewritten sheet takes its own back below, so a new table given one of them
    # would share it (two relationships rId19, the 目次 and 公務車輛明細表 resolved to one part: field report 10 §1.1)
    used_ids = {rel.get("Id") for rel in rels} | cut
    next_sheet_id = max([_number(s.get("sheetId", "0"), "sheetId") for s in officer.sheets.values()] + [0]) + 1
    added: list[str] = []
    for title in titles:
        sheet = officer.sheets.get(title)
        if sheet is not None and officer.parts[title] in dropped:  # its name and id again: a rebuild moves nothing
            part, rid = officer.parts[title], sheet.get(_R + "id")
        else:
            part, rid = free_name("xl/worksheets/sheet{}.xml", used_parts), free_name("rId{}", used_ids)
        rel = etree.SubElement(rels, PKG + "Relationship", Id=rid, Type=_WORKSHEET, Target="/" + part)
        rel.tail = None
        index = order.index(title)
        sheet_xml = made[made_sheets[title]]
        if title in settings:  # read before its part is dropped: the officer's page setup and tab colour
            sheet_xml = kept_settings(officer._need(officer.parts[title]), sheet_xml)
        out[part] = fit_sheet(sheet_xml, xfs, strings, index == active)
        added.append(part)
        if sheet is None:
            sheet = etree.SubElement(sheets_el, _M + "sheet", name=title, sheetId=str(next_sheet_id),
                                     nsmap=_R_PREFIX)
            next_sheet_id += 1
        sheet.attrib.pop("state", None)  # a sheet build writes is visible, as openpyxl makes it
        if title in hidden:
            sheet.set("state", hidden[title])
        sheet.set(_R + "id", rid)
    # the sheets in ``order``: a new table among the tables (OfficerBook.order), the one put first at the front
    elements = list(sheets_el.iterfind(_M + "sheet"))
    if [e.get("name") for e in elements] != order:
        for element in elements:
            sheets_el.remove(element)
        for element in sorted(elements, key=lambda e: order.index(e.get("name"))):
            sheets_el.append(element)
    _defined_names(root, officer.names, order, replaced + gone, new_root, titles, names)
    calc = root.find(_M + "calcPr")
    if calc is None:
        calc = _insert_after(root, _M + "calcPr", ("definedNames", "externalReferences", "functionGroups", "sheets"))
    calc.set("fullCalcOnLoad", "1")  # the officer's formulas may read the new tables: Excel recalculates
    out[officer.workbook] = serialise(root)
    out[rels_part(officer.workbook)] = serialise(rels)
    if narrative is not None and narrative in officer.parts:
        out[officer.parts[narrative]] = _narrative(officer, narrative, made[made_sheets[narrative]], xfs, strings)
    out["[Content_Types].xml"] = content_types(officer._need("[Content_Types].xml"), dropped, added)
    app = app_titles(officer.data.get("docProps/app.xml"), officer.names, order)
    if app is not None:
        out["docProps/app.xml"] = app
    return _zip(officer, out, dropped, added)


# what the officer sets on a table sheet before printing it (field report 11 §2.2), each an empty element whose
# attributes say it all: its tab colour (in <sheetPr>, before <pageSetUpPr>), fit to pages (<pageSetUpPr>), and
# after the cells <printOptions>, <pageMargins>, <pageSetup> (its printer settings part, r:id, is not kept)
_SETTINGS = (b"printOptions", b"pageMargins", b"pageSetup")
_AFTER_SETTINGS = (b"headerFooter", b"rowBreaks", b"colBreaks", b"customProperties", b"cellWatches", b"ignoredErrors",
                   b"smartTags", b"drawing", b"legacyDrawing", b"legacyDrawingHF", b"picture", b"oleObjects",
                   b"controls", b"webPublishItems", b"tableParts", b"extLst")
_ATTRIBUTE = lazy(rb'\s([A-Za-z]+)="([^"]*)"')


def _element(data: bytes, tag: bytes) -> dict[bytes, bytes] | None:
    """The plain attributes of ``data``'s first ``<tag>`` (any prefix; prefixed attributes such as r:id left out),
    or None without one."""
    m = re.search(rb"<(?:\w+:)?" + tag + rb"\b([^>]*?)/?>", data)
    return None if m is None else dict(_ATTRIBUTE.findall(m.group(1)))


# the schema's default of each setting's attributes: a setting written with them, or without, is the same setting
# (openpyxl writes fitToWidth="1" and fitToPage="0", XlsxWriter leaves them out)
_DEFAULTS = {b"pageSetup": {b"paperSize": b"1", b"scale": b"100", b"firstPageNumber": b"1", b"fitToWidth": b"1",
                            b"fitToHeight": b"1", b"pageOrder": b"downThenOver", b"orientation": b"default",
                            b"usePrinterDefaults": b"1", b"blackAndWhite": b"0", b"draft": b"0", b"cellComments": b"none",
                            b"useFirstPageNumber": b"0", b"errors": b"displayed", b"horizontalDpi": b"600",
                            b"verticalDpi": b"600", b"copies": b"1"},
             b"pageSetUpPr": {b"autoPageBreaks": b"1", b"fitToPage": b"0"},
             b"printOptions": {b"horizontalCentered": b"0", b"verticalCentered": b"0", b"headings": b"0",
                               b"gridLines": b"0", b"gridLinesSet": b"1"}}


def _meaning(tag: bytes, attributes: dict[bytes, bytes] | None) -> dict[bytes, bytes]:
    """A setting's attributes but those at their default (``true``/``false`` read as 1/0): what it says."""
    defaults = _DEFAULTS.get(tag, {})
    plain = {k: {b"true": b"1", b"false": b"0"}.get(v, v) for k, v in (attributes or {}).items()}
    return {k: v for k, v in plain.items() if defaults.get(k) != v}


def _tag(tag: bytes, attributes: dict[bytes, bytes]) -> bytes:
    return b"<" + tag + b"".join(b' %s="%s"' % item for item in attributes.items()) + b"/>"


def kept_settings(old: bytes, new: bytes) -> bytes:
    """The generated sheet ``new`` with the page setup and tab colour of the sheet it replaces, ``old`` (the
    officer's, built before and set by him since: field report 11 §2.2, a rebuild dropped his landscape, fit to one
    page wide and purple tab without a word): each setting as ``old`` has it, ``new`` unchanged where they say the
    same (_meaning: a book built twice is the same file, and so is one built first the openpyxl way)."""
    cut = old.find(b"sheetData")
    head, tail = (old, b"") if cut < 0 else (old[:cut], old[old.rfind(b"sheetData"):])
    new_cut = new.find(b"<sheetData")
    new_head, body = new[:new_cut], new[new_cut:]
    closing = body.rfind(b"</sheetData>")
    end = closing + len(b"</sheetData>") if closing >= 0 else body.find(b">") + 1  # <sheetData/>: an empty table
    body, new_tail = body[:end], body[end:]
    # <sheetPr>: his tab colour (its first child) and fit to pages (its last); whatever else XlsxWriter put there stays
    colour, fit = _element(head, b"tabColor"), _element(head, b"pageSetUpPr")
    if (_meaning(b"tabColor", colour), _meaning(b"pageSetUpPr", fit)) != (
            _meaning(b"tabColor", _element(new_head, b"tabColor")),
            _meaning(b"pageSetUpPr", _element(new_head, b"pageSetUpPr"))):
        pr = re.search(rb"<sheetPr\b([^>]*?)(?:/>|>(.*?)</sheetPr>)", new_head, re.S)
        attributes, inner = (pr.group(1), pr.group(2) or b"") if pr is not None else (b"", b"")
        inner = re.sub(rb"<(?:tabColor|pageSetUpPr)\b[^>]*/>", b"", inner)
        inner = (_tag(b"tabColor", colour) if colour is not None else b"") + inner + \
            (_tag(b"pageSetUpPr", fit) if fit is not None else b"")
        element = b"<sheetPr" + attributes + b">" + inner + b"</sheetPr>" if inner or attributes.strip() else b""
        if pr is not None:
            new_head = new_head[:pr.start()] + element + new_head[pr.end():]
        else:
            at = new_head.find(b"<dimension")
            new_head = new_head[:at] + element + new_head[at:]
    for tag in _SETTINGS:
        mine, theirs = _element(tail, tag), _element(new_tail, tag)
        if _meaning(tag, mine) == _meaning(tag, theirs):
            continue
        element = b"" if mine is None else _tag(tag, mine)
        m = re.search(rb"<" + tag + rb"\b[^>]*/>", new_tail)
        if m is not None:
            new_tail = new_tail[:m.start()] + element + new_tail[m.end():]
            continue
        later = [i for t in _SETTINGS[_SETTINGS.index(tag) + 1:] + _AFTER_SETTINGS
                 if (i := new_tail.find(b"<" + t)) >= 0]
        at = min(later) if later else new_tail.rfind(b"</worksheet>")
        new_tail = new_tail[:at] + element + new_tail[at:]
    return new_head + body + new_tail


def _styles_part(officer: OfficerBook) -> str:
    for rel in officer.rels:
        if rel.get("Type") == _OFFICE + "/styles" and rel.get("Target"):
            return resolve(officer.workbook, rel.get("Target"))
    raise CannotSplice("no styles part")


def _names_sheets(chain: bytes | None, sheet_ids: set[str], columns: dict[str, int] | None = None) -> bool:
    """Whether a calcChain.xml names a cell of one of the sheets ``sheet_ids`` (an entry without ``i`` is of
    the sheet of the entry before it), or a cell of a column ``columns`` gives a sheet ({sheetId: column}: 總說明's
    column D, whose formulas the figure sentences replace; a chain naming a cell without a formula is one Excel
    repairs)."""
    if chain is None:
        return False
    current = None
    for c in parse(chain).iterfind(_M + "c"):
        current = c.get("i", current)
        if current in sheet_ids:
            return True
        if columns and current in columns and _CELL_COLUMN.match(c.get("r", "")) and \
                column_number(_CELL_COLUMN.match(c.get("r", "")).group(1)) == columns[current]:
            return True
    return False


_CELL_COLUMN = lazy(r"\$?([A-Z]{1,3})\$?\d")


def _moved_tab(root, officer: OfficerBook, order: list[str], first: str | None, out: dict[str, bytes]) -> int:
    """The active tab once sheets moved or went: ``first`` (check --mark's 檢核結果, the officer's sheets then
    unselected: two selected tabs are a group, where typing goes into both), else the officer's active sheet where
    it now stands, else the first visible sheet. The workbook view says so (its first tab shown: the first)."""
    view = root.find(f"{_M}bookViews/{_M}workbookView")
    old = _active_tab(root)
    name = officer.names[old] if old < len(officer.names) else None
    if first is not None:
        active = 0
        for sheet in officer.names:
            part = officer.parts[sheet]
            if sheet in order and officer.kinds[sheet] == _WORKSHEET and part in officer.data:
                data = out.get(part, officer.data[part])
                if _TAB_SELECTED.search(data):
                    out[part] = _TAB_SELECTED.sub(rb"\1", data)
    elif name in order:
        active = order.index(name)
    else:
        visible = [n for n in order if officer.sheets.get(n) is None or officer.sheets[n].get("state") in (None, "visible")]
        active = order.index(visible[0]) if visible else 0
    if view is not None:
        view.set("activeTab", str(active))
        if view.get("firstSheet") is not None:
            view.set("firstSheet", "0")
    return active


# a worksheet's selected tab, in its <sheetView> (with a namespace prefix or none)
_TAB_SELECTED = lazy(rb'(<(?:\w+:)?sheetView\b[^>]*?) tabSelected="(?:1|true)"')


def _active_tab(root) -> int:
    view = root.find(f"{_M}bookViews/{_M}workbookView")
    return _number(view.get("activeTab", "0"), "activeTab") if view is not None else 0


def _number(value: str | None, what: str) -> int:
    """A whole number the officer's file gives as ``what``; CannotSplice when it is none (a file Excel would
    repair): only the officer's numbers are read through this, a bug in build's own stays a bug."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CannotSplice(f"{what} {value!r} is not a number") from None


def _insert_after(root, tag: str, anchors: tuple[str, ...]):
    el = etree.Element(tag)
    for name in anchors:
        anchor = root.find(_M + name)
        if anchor is not None:
            anchor.addnext(el)
            return el
    root.append(el)
    return el


def _defined_names(root, names: list[str], order: list[str], replaced: list[str], made_root,
                   titles: list[str], kept: dict[str, set[str]]) -> None:
    """A replaced (or removed) sheet's own names (print titles, areas, filters) go with it, as openpyxl drops them,
    but those ``kept`` gives it ({sheet: names}, none the generated book defines there too); each table's print
    titles come from the generated book; every other local name follows its sheet to its place in ``order`` (build
    moves none: OfficerBook.order puts a table's new sheet among the tables; check --mark puts 檢核結果 first)."""
    defined = root.find(_M + "definedNames")
    if defined is None:
        defined = _insert_after(root, _M + "definedNames", ("externalReferences", "functionGroups", "sheets"))
    gone = {names.index(t) for t in replaced}
    made_names = [s.get("name") for s in made_root.iterfind(f"{_M}sheets/{_M}sheet")]
    made_defined = {(dn.get("name"), made_names[int(dn.get("localSheetId"))])
                    for dn in made_root.iterfind(f"{_M}definedNames/{_M}definedName") if dn.get("localSheetId")}
    for dn in list(defined):
        local = dn.get("localSheetId")
        if local is None:
            continue
        index = _number(local, "localSheetId")
        if index >= len(names) or index in gone and (
                dn.get("name") not in kept.get(names[index], ()) or (dn.get("name"), names[index]) in made_defined):
            defined.remove(dn)
        else:
            dn.set("localSheetId", str(order.index(names[index])))
    for dn in made_root.iterfind(f"{_M}definedNames/{_M}definedName"):
        local = dn.get("localSheetId")
        if local is None or made_names[int(local)] not in titles:
            continue
        new = etree.SubElement(defined, _M + "definedName", name=dn.get("name"),
                               localSheetId=str(order.index(made_names[int(local)])))
        if dn.get("hidden"):
            new.set("hidden", dn.get("hidden"))
        new.text = dn.text
    if not len(defined):
        root.remove(defined)


def _narrative(officer: OfficerBook, narrative: str, made_sheet: bytes, xfs: dict, strings: list) -> bytes:
    """The officer's 總說明 sheet with column D rewritten: the generated sheet's header and sentences."""
    made = parse(made_sheet)
    cells = {}
    for c in made.iter(_M + "c"):
        ref = c.get("r")
        cells[int(ref[1:])] = c
    fit_cells(cells.values(), xfs, strings)
    col = next((c for c in made.iter(_M + "col") if int(c.get("min")) <= NARRATIVE_COLUMN <= int(c.get("max"))), None)
    if col is None or any(not ref.startswith("D") for ref in (c.get("r") for c in cells.values())):
        raise CannotSplice("the figure sentences are not in column D")
    root = parse(officer._need(officer.parts[narrative]))
    put_column(root, NARRATIVE_COLUMN, cells, col)
    return serialise(root)


def _zip(officer: OfficerBook, out: dict[str, bytes], dropped: set[str], added: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in officer.infos:
            if info.filename in dropped:
                continue
            if info.filename in out:
                z.writestr(info, out[info.filename])
            else:
                copy_stored(officer.zip, z, info)
        stored = {info.filename for info in officer.infos}
        made = [p for p in officer.edited if p not in stored and p not in dropped and p not in added]
        for part in added + made:  # dated as XlsxWriter dates its parts, not now: built twice, the same file
            z.writestr(new_part(part), out[part])
    return buffer.getvalue()


__all__ = ["CannotSplice", "OfficerBook", "splice"]


def has_comments(officer: OfficerBook, name: str) -> bool:
    """Whether the officer's worksheet ``name`` has a comments part (notes, 附註) among its relationships: asked
    before adapters.splicemark is imported, which imports openpyxl (build imports it only for a book with notes)."""
    data = officer.data.get(rels_part(officer.parts[name]))
    return data is not None and _COMMENTS.encode() in data
