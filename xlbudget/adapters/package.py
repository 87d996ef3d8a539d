"""An Office Open XML package's plumbing: part names and relationships, content types, docProps' sheet list, and
zip entries copied as they are stored. For adapters.splice, and (part names, stored copies) for the readers and
savers that must not import lxml: lxml is imported only where a part is rewritten."""

from __future__ import annotations

import copy
import posixpath
import struct
import zipfile

PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


class PackageClash(Exception):
    """A zip entry that cannot be copied as stored (encrypted, zip64, a damaged header): build it the openpyxl way."""


def rels_part(part: str) -> str:
    """Where ``part``'s relationships are stored (``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(part: str, target: str) -> str:
    """The part a relationship of ``part`` points to (``Target`` relative to ``part``'s folder, or absolute)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


class Parts:
    """The officer's parts by name, each inflated only when read (most are copied as stored, never inflated)."""

    def __init__(self, z: zipfile.ZipFile):
        self._zip, self._read = z, {}
        self._names = set(z.namelist())

    def __contains__(self, part: str) -> bool:
        return part in self._names

    def __iter__(self):
        return iter(self._names)

    def __getitem__(self, part: str) -> bytes:
        if part not in self._read:
            self._read[part] = self._zip.read(part)
        return self._read[part]

    def get(self, part: str, default=None):
        return self[part] if part in self._names else default

    def put(self, part: str, data: bytes) -> None:
        """``part`` read from now on as ``data``: an edit made before splicing (adapters.splicemark), or a new part."""
        self._names.add(part)
        self._read[part] = data


def free_name(pattern: str, used: set[str]) -> str:
    n = 1
    while pattern.format(n) in used:
        n += 1
    used.add(pattern.format(n))
    return pattern.format(n)


def content_types(data: bytes, dropped: set[str], added: list[str]) -> bytes:
    from lxml import etree

    from xlbudget.adapters.splicestyles import parse, serialise

    root = parse(data)
    for override in list(root.iterfind(_CT + "Override")):
        if override.get("PartName", "").lstrip("/") in dropped:
            root.remove(override)
    for part in added:
        etree.SubElement(root, _CT + "Override", PartName="/" + part, ContentType=_SHEET_TYPE)
    return serialise(root)


_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
_EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def app_titles(data: bytes | None, names: list[str], order: list[str]) -> bytes | None:
    """docProps/app.xml with its list of worksheet titles as ``order`` (sheets added, moved or removed); None: left
    as it is (no sheet changed, or a list this does not recognise: it is only what Explorer's details pane shows)."""
    if data is None or names == order:
        return None
    from lxml import etree

    from xlbudget.adapters.splicestyles import parse, serialise

    root = parse(data)
    pairs, titles = root.find(f"{_EP}HeadingPairs/{_VT}vector"), root.find(f"{_EP}TitlesOfParts/{_VT}vector")
    if pairs is None or titles is None or len(pairs) < 2:
        return None
    first_name, first_count = pairs[0].find(_VT + "lpstr"), pairs[1].find(_VT + "i4")
    listed = [t.text for t in titles]
    if first_name is None or first_count is None or not (first_count.text or "").isdigit() or \
            listed[:int(first_count.text)] != names:
        return None  # the worksheets, in order, come first in a book Excel or openpyxl saved
    for el in titles[:len(names)]:
        titles.remove(el)
    for n, name in enumerate(order):
        el = etree.Element(_VT + "lpstr")
        el.text = name
        titles.insert(n, el)
    first_count.text = str(len(order))
    titles.set("size", str(len(titles)))
    return serialise(root)


def new_part(name: str) -> zipfile.ZipInfo:
    """The zip entry of a part xlbudget makes, as XlsxWriter zips one in its default mode: dated 1980-01-31 (never
    the time of writing, so a book built twice from the same inputs is the same file), a temporary file's mode
    0600, deflated."""
    info = zipfile.ZipInfo(name, (1980, 1, 31, 0, 0, 0))
    info.external_attr = 0o100600 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def copy_stored(source: zipfile.ZipFile, target: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Copy one entry as it is stored (its compressed bytes, CRC and sizes), without inflating and deflating it
    again: an officer's 20,000-line sheet is most of a large book. zipfile has no public call for this; what
    ZipFile.writestr does around its own write (header offset, file list, central directory start) is done here."""
    if info.flag_bits & 0x01 or info.file_size >= zipfile.ZIP64_LIMIT or info.compress_size >= zipfile.ZIP64_LIMIT:
        raise PackageClash("an encrypted or zip64 entry")
    source.fp.seek(info.header_offset)
    header = source.fp.read(zipfile.sizeFileHeader)
    if header[:4] != zipfile.stringFileHeader:
        raise PackageClash("a damaged local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    source.fp.seek(info.header_offset + zipfile.sizeFileHeader + name_length + extra_length)
    data = source.fp.read(info.compress_size)
    copied = copy.copy(info)
    copied.flag_bits &= ~0x08  # sizes and CRC in the local header: no data descriptor after the data
    copied.extra = b""
    copied.header_offset = target.fp.tell()
    target.fp.write(copied.FileHeader(False))
    target.fp.write(data)
    target.filelist.append(copied)
    target.NameToInfo[copied.filename] = copied
    target.start_dir = target.fp.tell()
    target._didModify = True



_DRAWING_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_THREAD_TYPE = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"


def openpyxl_losses(z: zipfile.ZipFile, sheets: dict[str, str], pictures: bool | None = None
                    ) -> list[tuple[str | None, str]]:
    """What saving the book through openpyxl would drop, (sheet, what) in the sheets' order (``sheets``: name →
    its part): text boxes and shapes (openpyxl keeps no shape), pictures (kept only with Pillow, which xlbudget
    does not install) and Excel 365's threaded comments (註解), which openpyxl drops with their persons; first,
    (None, what) for the custom XML parts (customXml/, the metadata a 公文系統 or a labelling tool writes into the
    package), which openpyxl drops with or without Pillow (field report 11 §2.1). Read from the relationships and
    the drawings' text; lxml not needed. ``pictures``: whether pictures are lost (True for next-year, which carries
    none), else as Pillow decides."""
    import re

    if pictures is None:
        try:
            import PIL  # noqa: F401 - openpyxl keeps a sheet's pictures only where it can read them
            pictures = False
        except ImportError:
            pictures = True
    names = set(z.namelist())
    custom = sorted(n for n in names if n.startswith("customXml/") and n.endswith(".xml") and "/_rels/" not in n
                    and not n.rsplit("/", 1)[-1].startswith("itemProps"))
    found: list[tuple[str | None, str]] = [(None, f"自訂 XML 組件 {len(custom)} 個（{'、'.join(custom)}）")] if custom else []
    for sheet, part in sheets.items():
        rels = rels_part(part)
        if rels not in names:
            continue
        text = z.read(rels).decode("utf-8", "replace")
        for rel in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", text):
            tag = rel.group(0)
            kind, target = re.search(r'Type="([^"]*)"', tag), re.search(r'Target="([^"]*)"', tag)
            if not kind or not target or 'TargetMode="External"' in tag:
                continue
            if kind[1] == _THREAD_TYPE:
                found.append((sheet, "對話式註解"))
            elif kind[1] == _DRAWING_TYPE and resolve(part, target[1]) in names:
                drawing = z.read(resolve(part, target[1]))
                if re.search(rb"<(?:\w+:)?sp[ >]", drawing):
                    found.append((sheet, "文字方塊或圖形"))
                if pictures and re.search(rb"<(?:\w+:)?pic[ >]", drawing):
                    found.append((sheet, "圖片"))
    return found
