"""Styles and cells of generated sheets made to fit the officer's file (for adapters.splice).

XlsxWriter numbers its fonts, fills, borders, number formats and cell formats from 0 in its own styles.xml;
the officer's styles.xml numbers its own. ``merge_styles`` appends what the generated book uses to the
officer's stylesheet (an entry already there, equal as canonical XML, is reused, so building again adds
nothing) and returns the cell-format map; ``fit_sheet`` renumbers a generated sheet's ``s="…"`` through it
and writes its shared strings inline, so the officer's sharedStrings.xml is left as it is.

Index 0 of fonts and borders, and fills 0–1, are each book's defaults: a generated cell without a font is
given the officer's default font, as openpyxl gives a cell it styles without one.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from xlbudget.core.patterns import lazy

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = f"{{{MAIN}}}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
_FIRST_CUSTOM_FORMAT = 164  # number formats below are Excel's built-in ones
_COLLECTIONS = ("fonts", "fills", "borders")
_DEFAULTS = {"fonts": 1, "fills": 2, "borders": 1}  # the leading entries every stylesheet has, mapped to the officer's


_MAX_FORMATS = 64000  # Excel's limit of cell formats in a workbook


def _automatic_colour(fonts) -> None:
    """XlsxWriter gives a font without a colour the theme's text colour (``<color theme="1"/>``); openpyxl's build
    leaves it automatic. Drop it, so a table prints black in any officer's theme, as before."""
    for font in fonts:
        for colour in font.findall(_M + "color"):
            if dict(colour.attrib) == {"theme": "1"}:
                font.remove(colour)


class StyleClash(Exception):
    """The officer's stylesheet lacks what a splice needs (a collection): build that book the openpyxl way."""


def parse(data: bytes):
    """An XML part (after safety.check_zip refused entity declarations), entities never expanded."""
    return etree.fromstring(data, _PARSER)


def serialise(root) -> bytes:
    """An XML part as Excel writes one: declaration with standalone, UTF-8."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _key(element) -> bytes:
    # exclusive: only the namespaces the entry uses, so an entry reads the same inside either stylesheet
    return etree.tostring(element, method="c14n", exclusive=True)


def _child(root, tag: str, before: tuple[str, ...] = ()):
    """``root``'s child ``tag``, made (before the first of ``before`` present, else last) when missing."""
    found = root.find(_M + tag)
    if found is None:
        found = etree.Element(_M + tag, nsmap=None)
        found.set("count", "0")
        for name in before:
            anchor = root.find(_M + name)
            if anchor is not None:
                anchor.addprevious(found)
                break
        else:
            root.append(found)
    return found


class _Entries:
    """One collection of the officer's stylesheet (fonts, cellXfs…), to find or append entries in."""

    def __init__(self, collection):
        self.collection = collection
        self.index: dict[bytes, int] = {}
        for i, el in enumerate(collection):
            self.index.setdefault(_key(el), i)

    def add(self, element) -> int:
        """The index of ``element``: an equal entry's, else it is appended (count updated)."""
        key = _key(element)
        found = self.index.get(key)
        if found is None:
            self.collection.append(copy.deepcopy(element))
            self.collection.set("count", str(len(self.collection)))
            found = self.index[key] = len(self.collection) - 1
        return found


def merge_styles(officer: bytes, generated: bytes) -> tuple[bytes, dict[int, int]]:
    """The officer's styles.xml with the generated book's formats appended, and generated cellXfs index → merged."""
    mine, theirs = parse(officer), parse(generated)
    if mine.tag != _M + "styleSheet" or theirs.tag != _M + "styleSheet":
        raise StyleClash("styleSheet")
    maps: dict[str, dict[int, int]] = {}
    for name in _COLLECTIONS:
        target, source = mine.find(_M + name), theirs.find(_M + name)
        if target is None or source is None or len(target) < _DEFAULTS[name]:
            raise StyleClash(name)
        entries = _Entries(target)
        if name == "fonts":
            _automatic_colour(source)
        maps[name] = {i: (i if i < _DEFAULTS[name] else entries.add(el)) for i, el in enumerate(source)}
    maps["numFmts"] = _number_formats(mine, theirs)
    target, source = mine.find(_M + "cellXfs"), theirs.find(_M + "cellXfs")
    if target is None or source is None or not len(target):
        raise StyleClash("cellXfs")
    if len(target) + len(source) > _MAX_FORMATS:
        raise StyleClash("too many cell formats")
    xfs, entries = {0: 0}, _Entries(target)
    for i, xf in enumerate(source):
        if i == 0:
            continue
        xf = copy.deepcopy(xf)
        for attr, name in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders"), ("numFmtId", "numFmts")):
            value = int(xf.get(attr, "0"))
            xf.set(attr, str(maps[name].get(value, value)))
        xf.set("xfId", "0")  # the officer's Normal style, as openpyxl's new cells have
        xfs[i] = entries.add(xf)
    return serialise(mine), xfs


def _number_formats(mine, theirs) -> dict[int, int]:
    """Generated custom number format id → the officer's id of the same code (appended when new)."""
    source = theirs.find(_M + "numFmts")
    if source is None:
        return {}
    target = _child(mine, "numFmts", ("fonts",))
    if not all((el.get("numFmtId") or "").isdigit() for el in target):
        raise StyleClash("a number format without its id")
    codes = {el.get("formatCode"): int(el.get("numFmtId")) for el in target}
    mapping = {}
    for el in source:
        number, code = int(el.get("numFmtId")), el.get("formatCode")
        if number < _FIRST_CUSTOM_FORMAT:
            continue
        if code not in codes:
            new = etree.SubElement(target, _M + "numFmt")
            new.set("numFmtId", str(max([_FIRST_CUSTOM_FORMAT - 1, *codes.values()]) + 1))
            new.set("formatCode", code)
            codes[code] = int(new.get("numFmtId"))
            target.set("count", str(len(target)))
        mapping[number] = codes[code]
    return mapping


def shared_strings(data: bytes | None) -> list[bytes]:
    """The generated book's shared strings, each the XML inside its ``<si>`` (``<t>…</t>``), to be written inline."""
    return [] if data is None else _SI.findall(data)


def fit_cells(cells, xfs: dict[int, int], strings: list[bytes]) -> None:
    """Renumber each cell's (lxml element's) style through ``xfs`` and write its shared string inline."""
    for c in cells:
        s = c.get("s")
        if s is not None:
            c.set("s", str(xfs[int(s)]))
        if c.get("t") == "s":
            v = c.find(_M + "v")
            c.remove(v)
            c.append(parse(b'<is xmlns="' + MAIN.encode() + b'">' + strings[int(v.text)] + b"</is>"))
            c.set("t", "inlineStr")


# XlsxWriter's own serialisation of what its sheets hold (a cell: r, then s, then t; a shared string's index in
# <v>; XML-escaped text, so "</si>" never occurs inside one): the generated sheets are rewritten as text, about
# ten times faster than through lxml on a large 明細表. Anything else in them is refused (StyleClash).
_SI = lazy(rb"<si>(.*?)</si>", re.S)
# a cell, its style (renumbered) and its shared string (written inline) where it has them
_CELL = lazy(rb'<c r="([A-Z]{1,3}\d+)"(?: s="(\d+)")?(?: t="s"><v>(\d+)</v></c>)?')
# the tab selection wherever it stands in <sheetView> (XlsxWriter writes it first when gridlines are shown)
_SELECTED = lazy(rb'(<sheetView\b[^>]*?) tabSelected="1"')
# a string cell left shared, a row or column style: one search over the sheet for the three
_UNEXPECTED = lazy(rb'<c [^>]*\bt="s"|<row [^>]*\bs=|<col [^>]*\bstyle=')


def fit_sheet(data: bytes, xfs: dict[int, int], strings: list[bytes], selected: bool) -> bytes:
    """A generated (XlsxWriter) worksheet fitted to the officer's styles (``merge_styles``' map), its strings
    inline; its tab selected only when it is the book's active sheet (XlsxWriter selects its first)."""
    mapped = {str(k).encode(): str(v).encode() for k, v in xfs.items()}

    def cell(m: re.Match) -> bytes:  # one pass, one call a cell: a large 明細表 has 150,000
        ref, style, string = m.groups()
        if string is None:
            return b'<c r="%s" s="%s"' % (ref, mapped[style]) if style is not None else m.group(0)
        if style is None:
            return b'<c r="%s" t="inlineStr"><is>%s</is></c>' % (ref, strings[int(string)])
        return b'<c r="%s" s="%s" t="inlineStr"><is>%s</is></c>' % (ref, mapped[style], strings[int(string)])

    data = _CELL.sub(cell, data)
    if _UNEXPECTED.search(data):
        raise StyleClash("a generated sheet holds what the splice does not renumber")
    data = _SELECTED.sub(rb"\1", data)
    return data.replace(b"<sheetView ", b'<sheetView tabSelected="1" ', 1) if selected else data
