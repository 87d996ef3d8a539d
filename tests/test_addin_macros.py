"""The desktop wiring (macros/xlbudget.bas, macros/customUI.xml) calls exactly the scripts xlbudget.addin offers."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

MACROS = Path(__file__).resolve().parent.parent / "macros"
SCRIPTS = {"build_schedules", "check_book", "clear_marks", "add_template", "export_data", "next_year_book",
           "export_pdf"}
NS = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}


def _bas() -> str:
    raw = (MACROS / "xlbudget.bas").read_bytes()
    assert raw.isascii()  # the VBA editor imports .bas files in the system code page
    return raw.decode("ascii")


def test_one_runpython_sub_per_script():
    subs = dict(re.findall(r'Sub (XLB_\w+)\(\)\s+RunPython "import xlbudget\.addin; xlbudget\.addin\.(\w+)\(\)"',
                           _bas()))
    assert set(subs.values()) == SCRIPTS
    assert len(subs) == len(SCRIPTS)


def test_ribbon_tab_dispatches_every_button():
    root = ET.parse(MACROS / "customUI.xml").getroot()
    tab = root.find(".//ui:tab", NS)
    assert tab.get("label") == "預算"
    buttons = {b.get("id"): b for b in root.iterfind(".//ui:button", NS)}
    assert [b.get("label") for b in buttons.values()] == ["產生報表", "檢核", "清除標示", "新增範本", "匯出", "新年度",
                                                                "輸出PDF"]
    bas = _bas()
    dispatch = dict(re.findall(r'Case "(\w+)": (XLB_\w+)', bas))
    assert set(dispatch) == set(buttons)
    for button in buttons.values():
        assert f"Sub {button.get('onAction')}(control As IRibbonControl)" in bas
    subs = set(re.findall(r"Sub (XLB_\w+)\(\)", bas))
    assert set(dispatch.values()) <= subs
