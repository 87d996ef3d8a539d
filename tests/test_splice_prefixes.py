"""The XML build and check --mark splice into the officer's file is the same bytes whatever modules were imported.

lxml names a namespace that is not in scope where an element is made by its global registry: openpyxl registers «r»
for the relationships namespace on import, and without it lxml makes up «ns0», «ns1»… A book whose workbook.xml
does not declare «r» on its root (openpyxl writes it on each <sheet>, as the bundled example has it) had its new
table sheets' <sheet> elements come out as «ns0:id»…«ns13:id» on a build that did not import openpyxl, «r:id» on one
that did. Each run is a fresh process: this process has openpyxl (and its prefixes) imported already.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"
_OOXML = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "http://schemas.openxmlformats.org/package/2006/relationships",
          "http://schemas.openxmlformats.org/package/2006/content-types",
          "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
          "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties")


def _run(args: list[str], registry: str) -> bool:
    """xlbudget ``args`` in a fresh process: ``registry`` "none" (nothing imported first), or "odd" (openpyxl
    imported, then every OOXML namespace registered with lxml under a prefix no one uses). Whether openpyxl was
    imported by the end."""
    code = ["import sys, contextlib, io"]
    if registry == "odd":
        code += ["import openpyxl", "from lxml import etree"]
        code += [f"etree.register_namespace('odd{n}', {ns!r})" for n, ns in enumerate(_OOXML)]
    code += ["from xlbudget.cli import main",
             "with contextlib.redirect_stdout(io.StringIO()):",
             f"    code = main({args!r})",
             "assert code in (0, 1), code",
             "print('openpyxl' in sys.modules)"]
    out = subprocess.run([sys.executable, "-c", "\n".join(code)], capture_output=True, text=True, check=True)
    return out.stdout.split()[-1] == "True"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _book(tmp_path: Path) -> Path:
    book = tmp_path / "book.xlsx"
    shutil.copy(EXAMPLE, book)
    root = _parts(book)["xl/workbook.xml"].split(b">", 2)[1]
    assert b"xmlns:r=" not in root, root  # what makes lxml choose a prefix: r is not in scope at <sheets>
    return book


def test_build_writes_the_same_workbook_xml_with_or_without_openpyxl_imported(tmp_path):
    """Red on main: the build without openpyxl wrote «ns0:id»…«ns13:id» on the 14 new sheets' <sheet>, the other
    «odd0:id» (and its workbook.xml differed)."""
    book = _book(tmp_path)
    plain, odd = tmp_path / "plain.xlsx", tmp_path / "odd.xlsx"
    assert _run(["build", str(book), "-o", str(plain)], "none") is False
    assert _run(["build", str(book), "-o", str(odd)], "odd") is True
    a, b = _parts(plain), _parts(odd)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []
    sheets = re.findall(rb"<sheet\b[^>]*>", a["xl/workbook.xml"])
    assert len(sheets) == 32 and all(b' r:id="rId' in s and b'xmlns:r="' + _OOXML[0].encode() in s
                                     for s in sheets), sheets
    assert [name for name, data in a.items() if re.search(rb"xmlns:(?:ns|odd)\d", data)] == []


def test_check_mark_writes_the_same_parts_whatever_prefixes_lxml_has_registered(tmp_path):
    """check --mark adds its state sheet to workbook.xml and a <legacyDrawing r:id> to each marked sheet whose root
    does not declare r. Red on main: «odd0:id» on both in the odd run (sheet5.xml, workbook.xml)."""
    book = _book(tmp_path)
    plain, odd = tmp_path / "plain.xlsx", tmp_path / "odd.xlsx"
    _run(["check", str(book), "--mark", "-o", str(plain)], "none")
    _run(["check", str(book), "--mark", "-o", str(odd)], "odd")
    a, b = _parts(plain), _parts(odd)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []
    assert [name for name, data in a.items() if re.search(rb"xmlns:(?:ns|odd)\d", data)] == []
    assert any(re.search(rb'<legacyDrawing xmlns:r="[^"]+" r:id="rId\d+"/>', data) for data in a.values())


def test_a_mark_added_to_a_drawing_openpyxl_wrote_leaves_it_xml(tmp_path, capsys):
    """openpyxl writes a note's drawing (VML) with each element's namespaces declared on it under made-up prefixes
    and none on its <xml> root; check --mark added its shapes as «v:shape … o:insetmode» there. Red on main: the
    drawing of 以前年度 (marked at I2 and I3) did not parse: «Namespace prefix o for insetmode on shape is not
    defined»."""
    import openpyxl
    from lxml import etree
    from openpyxl.comments import Comment

    from xlbudget.cli import main

    wb = openpyxl.load_workbook(EXAMPLE)
    wb["以前年度"]["A1"].comment = Comment("請核對", "陳科長")
    book, marked = tmp_path / "附註.xlsx", tmp_path / "標示.xlsx"
    wb.save(book)
    drawings = [name for name in _parts(book) if name.endswith(".vml")]
    assert len(drawings) == 1 and b"<xml>" in _parts(book)[drawings[0]]  # openpyxl's: nothing declared on <xml>
    assert main(["check", str(book), "--mark", "-o", str(marked)]) == 0
    parts = _parts(marked)
    for name in [n for n in parts if n.endswith(".vml")]:
        etree.fromstring(parts[name])  # raises XMLSyntaxError for a prefix not declared
    assert parts[drawings[0]].count(b"<v:shape ") == 2  # I2 and I3's marks beside the officer's note
    notes = {c.coordinate: c.comment.author for row in openpyxl.load_workbook(marked)["以前年度"].iter_rows()
             for c in row if c.comment}
    assert notes == {"A1": "陳科長", "I2": "xlbudget", "I3": "xlbudget"}, notes
