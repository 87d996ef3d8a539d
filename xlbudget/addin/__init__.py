"""Inside Excel: the buttons (scripts) and cell functions (UDFs) of xlbudget.

Written against the xlwings object model only, so the same code runs on desktop
Excel (RunPython buttons, ``UDF Modules = xlbudget.addin``), xlwings Lite and
xlwings Server. This module is the one they all name: the macros call
``xlbudget.addin.build_schedules()``…, Lite's main.py and Server import from it.
The buttons live in ``buttons``, the cell functions in ``functions``; xlwings
finds them here because it walks the module's attributes (``dir`` / ``getattr``
on desktop, ``inspect.getmembers`` for Office.js), which include what is
imported, and calls each by name on this module.

- buttons: build_schedules 產生報表, check_book 檢核, clear_marks 清除標示,
  add_template 新增範本, export_data 匯出, next_year_book 新年度, export_pdf 輸出PDF;
- cell functions: xlb_name, xlb_thousands, xlb_chinese, xlb_parse_chinese,
  xlb_roc_year, xlb_roc_date, xlb_rollup, xlb_schedule, xlb_check
  (Excel shows them upper-case: XLB_NAME …).
"""

from xlbudget.addin.buttons import (add_template, build_schedules, check_book, clear_marks, export_data,
                                    export_pdf, next_year_book)
from xlbudget.addin.functions import (xlb_check, xlb_chinese, xlb_name, xlb_parse_chinese, xlb_roc_date,
                                      xlb_roc_year, xlb_rollup, xlb_schedule, xlb_thousands)

__all__ = ["build_schedules", "check_book", "clear_marks", "add_template", "export_data", "next_year_book",
           "export_pdf",
           "xlb_name", "xlb_thousands", "xlb_chinese", "xlb_parse_chinese", "xlb_roc_year", "xlb_roc_date",
           "xlb_rollup", "xlb_schedule", "xlb_check"]
