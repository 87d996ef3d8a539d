"""The input template: sheets, headers, drop-down lists and the 說明 sheet."""

from __future__ import annotations

from functools import lru_cache

from typing import TYPE_CHECKING

from xlbudget.core import codes
from xlbudget.core.keys import compact_key, header_key
from xlbudget.forms.inputs import agency_rows, placed_agency_lists
from xlbudget.forms.inputs import (AGENCY_HEADERS, AGENCY_KEYS, AGENCY_OPTIONAL_KEYS, BUDGET_KINDS, BUDGET_STAGES,
                                   CONTRACT_HEADERS,
                                   COST_SHARE_HEADERS, COST_SHARE_PARTS, EXPENSE_HEADERS, EXPENSE_PROJECT,
                                   FUNDING_AMOUNTS, FUNDING_HEADERS, FUNDING_KINDS, NARRATIVE_HEADERS, NOTES_HEADERS,
                                   PRIOR_HEADERS, PRIOR_OPTIONAL, REVENUE_HEADERS, SECTION_CHOICES, SHEET_AGENCY,
                                   SHEET_CONTRACT, SHEET_COST_SHARES, SHEET_EXPENSES, SHEET_FUNDING, SHEET_HELP,
                                   SHEET_NARRATIVE, SHEET_NOTES, SHEET_PRIOR, SHEET_REVENUES, SHEET_STAFFING,
                                   SHEET_STAFF_ANALYSIS, SHEET_STAFF_COSTS, SHEET_TRANSFERS, SHEET_TRIPS, SHEET_VEHICLES,
                                   SHEET_WHITEPAPER, KIND_KEY, STAGE_KEY, STAFFING_HEADERS, STAFF_ANALYSIS_HEADERS, STAFF_COST_HEADERS,
                                   TRANSFER_HEADERS, TRIP_HEADERS, VEHICLE_COSTS, VEHICLE_HEADERS, WHITEPAPER_HEADERS)
from xlbudget.readers.grid import Grid, column_letter, header_block, header_synonyms
from xlbudget.core.formulas import Formula, keep_text
from xlbudget.forms.layout import text_lines
from xlbudget.derive.personnel import CLASS_ORDER, TRIP_KINDS
from xlbudget.core.records import record

if TYPE_CHECKING:
    from openpyxl import Workbook

# openpyxl is imported where a template is built: convert writes its books from the stored looks (app.looks)

CODES_SHEET = "代碼表"
HELP_WIDTH = 90

LAYOUT = {
    SHEET_AGENCY: AGENCY_HEADERS,
    SHEET_EXPENSES: EXPENSE_HEADERS + ("標記",) + EXPENSE_PROJECT,
    SHEET_REVENUES: REVENUE_HEADERS,
    SHEET_PRIOR: PRIOR_HEADERS + PRIOR_OPTIONAL,
    SHEET_NOTES: NOTES_HEADERS,
    SHEET_STAFF_COSTS: STAFF_COST_HEADERS,
    SHEET_CONTRACT: CONTRACT_HEADERS,
    SHEET_TRIPS: TRIP_HEADERS,
    SHEET_STAFFING: STAFFING_HEADERS,
    SHEET_NARRATIVE: NARRATIVE_HEADERS,
    SHEET_VEHICLES: VEHICLE_HEADERS,
    SHEET_TRANSFERS: TRANSFER_HEADERS,
    SHEET_STAFF_ANALYSIS: STAFF_ANALYSIS_HEADERS,
    SHEET_FUNDING: FUNDING_HEADERS,
    SHEET_WHITEPAPER: WHITEPAPER_HEADERS,
    SHEET_COST_SHARES: COST_SHARE_HEADERS,
}

WIDTHS = {"計畫項目說明": 60, "合辦單位": 20, "分攤方式": 30, "政策項目": 30, "綱要": 14, "主軸": 12, "計畫項目": 30, "全程計畫總金額": 16, "以前年度預算數": 16, "分析表編號": 14, "歲入款": 16, "歲入項": 26, "歲入目": 16, "歲入節": 18, "歲入科目編號": 14, "段落": 120, "計畫內容": 40, "計畫名稱": 20, "備註": 20, "類別": 12, "工作計畫名稱": 26, "說明": 50, "科目名稱": 28, "說明提要": 80, "內容": 40, "項目": 16,
          "經濟性分類": 26, "用途別科目": 22, "分支計畫": 14, "工作計畫編號": 14, "科目編號": 14,
          "款": 16, "項": 18, "目": 18, "節": 18}
AMOUNT_HEADERS = {"單價", "預算數", "收支併列數", "上年度預算數", "前年度決算數", "全年度預算數", "交通費", "生活費",
                  "辦公費"} | {h for h in STAFF_COST_HEADERS[2:-1]} | {name for name, _ in VEHICLE_COSTS} | set(FUNDING_AMOUNTS) | {"本年度預算案數", "總經費"} | set(COST_SHARE_PARTS)

HELP_TEXT = (
    ("xlbudget 單位預算書範本", True),
    ("在各輸入工作表逐列填寫資料（第 1 列為標題，欄位順序可調整，多餘欄位會被忽略，空白列會略過），"
     "再執行 xlbudget build 本檔.xlsx 產生各預算表。", False),
    ("", False),
    ("基本資料：項目｜內容。必填 機關名稱、機關編號（如 02-018）、年度（民國，如 113）、主管機關、職能別（如 01 一般公共事務）；"
     "可另填 主管機關編號、歲出款、歲出項、政事別名稱，總說明用的前年度歲出預算數、前年度歲入預算數（千元），"
     "以及 版式（填「臺北市」則產生歲出預算表／歲入預算表（本年度分經常門、資本門）及以元為單位的各項費用彙計表）；"
     "預算類別填 單位預算、特別預算 或 追加減預算（空白為單位預算；批次轉換的彙總只列入單位預算）；"
     "預算階段填 預算案 或 法定預算（印在封面；空白則不印），機關長官、主辦會計人員填姓名（印在封面下方；空白則留簽名線）。", False),
    ("歲出明細：每列一個細項。工作計畫編號 11 碼；工作計畫名稱寫成「業務計畫-工作計畫」（如 一般行政-行政管理）；"
     "分支計畫如 01行政業務（可空白）；用途別科目填 4 碼二級科目（如 2018）；數量可寫 3x12；單價、預算數、收支併列數以元計；"
     "收支併列數為預算數中由補助收入支應的部分，其餘為市款；經資門空白時依科目預設；"
     "經濟性分類空白時依科目預設，資訊軟體、機器及其他設備等須逐列指定。"
     "可另加 業務計畫編號、業務計畫名稱 兩欄（未填時取工作計畫編號前 9 碼加 00）。"
     "計畫項目（可空白）為分支計畫之下的一層，如 08和興路44巷跨景美溪人行景觀橋工程：明細表在分支計畫之下印出各計畫項目"
     "的金額與說明，再印其細項；計畫項目說明填在該計畫項目任一列即可（同一計畫項目兩段不同說明為錯誤）。", False),
    ("歲入明細：科目編號（11 碼來源別科目編號）、科目名稱（目-節，如 上級政府補助收入-計畫型補助收入）、"
     "款、項、目、節（如 06補助及協助收入、005高雄市政府資訊中心、01上級政府補助收入、01計畫型補助收入）、"
     "單位、數量、單價、預算數（元）、收支併列（是/空白）、說明。", False),
    ("單價可有角（如 1.6 元）：歲出明細、歲入明細的預算數為數量×單價四捨五入至元（如 3×0.35＝1.05，預算數 1 元）；"
     "預算數空白時依此算出。", False),
    ("以前年度：科目編號、科目名稱、上年度預算數、前年度決算數（千元），以工作計畫、業務計畫或歲入科目編號對應；"
     "本年度已無預算的歲入科目請填款項目節；說明欄會印在歲出機關別預算表／歲入來源別預算表。", False),
    ("說明提要：編號（工作計畫編號或歲入科目編號）、承辦單位、說明提要，印在明細表各計畫之前。", False),
    ("人事費：每列一個類別（職員、約聘僱人員、技工、駕駛、工友、其他人事費…），填預算員額及各項待遇、獎金、其他給與、加班費、"
     "退休退職給付、退休離職儲金、保險（元）、備註；產生人事費彙計表，各欄合計須等於歲出明細 1000 人事費各二級科目。", False),
    ("人事費分析：人事費的各欄再加 工作計畫編號（只有一個工作計畫時可空白）及 分析表編號（印在計畫名稱前，如 0132010100，"
     "空白時印工作計畫編號），每列為一個工作計畫的一個類別；每個工作計畫產生一張人事費分析表。各計畫各欄須等於該計畫"
     "歲出明細 1000 人事費各二級科目；各計畫相加須等於人事費工作表（人事費彙計表）同類別同欄。", False),
    ("約聘僱：工作計畫編號（只有一個計畫編列約聘僱人員待遇時可空白）、類型（約聘／約僱）、人數、月數、全年度預算數（元）、說明；"
     "產生約聘僱人員費用分析表，合計須等於人事費彙計表約聘僱人員列。", False),
    ("出國計畫：計畫名稱、類別（考察／訪問／開會／進修／研究／實習）、擬前往國家、擬拜會機構、計畫內容、預計前往期間、預計天數、"
     "擬派人數、交通費、生活費、辦公費（元）、歸屬預算科目、工作計畫編號、前3年內有無赴同一機構拜會、如有,說明其內容、"
     "年度（空白為本年度；填「上年度」供總表上年度欄）；各工作計畫的旅費合計須等於 2078 國外旅費。", False),
    ("分年資金需求：每列一個計畫項目。類別（繼續性／新興）、工作計畫編號（只有一個工作計畫時可空白）、分支計畫（印在計畫項目之上，"
     "如 道路工程，可空白）、計畫項目、全程計畫總金額、以前年度預算數、本年度、第2年度～第5年度、以後年度（元）、備註；"
     "產生繼續性計畫分年資金需求表及新興計畫分年資金需求表。以前年度預算數加各年度須等於全程計畫總金額；本年度須等於"
     "歲出明細同一工作計畫中該計畫項目（可含編號，如 08和興路44巷跨景美溪人行景觀橋工程；有分支計畫時在該分支計畫之下）"
     "的細項合計；歲出明細未填計畫項目的工作計畫，則以分支計畫為該計畫項目的細項合計。", False),
    ("市政白皮書：每列一個計畫項目。主軸（印為 ◎友善共融 標題；只填主軸的列印出無計畫項目的標題）、綱要、類別、政策項目、計畫項目、工作計畫編號（可空白）、"
     "本年度預算案數（元）；產生市政白皮書計畫項目預算編列情形表。本年度預算案數須等於歲出明細中該計畫項目"
     "（可含編號；未填計畫項目的工作計畫以分支計畫比對）的細項合計。", False),
    ("費用分攤：與其他機關共同分攤經費的計畫項目，每列一個分攤單位。工作計畫編號（只有一個工作計畫時可空白）、計畫項目、"
     "單位、數量（預定完成工作總數）、合辦單位、分攤方式、分攤比率（%，如 52.32；設為百分比格式的儲存格顯示 52.32% 亦可，"
     "同一計畫項目各單位比率合計為 1 時視為百分比格式）、總經費、施工費用、工程管理費、委外費用"
     "（本年度預算數，元）、本機關（本機關編列的那一列填「是」）、說明；產生各項費用分攤表。分攤比率須等於該單位總經費÷全案"
     "總經費；本機關本年度預算數須等於歲出明細中該計畫項目（未填計畫項目的工作計畫以分支計畫比對）的細項合計，總經費須等於分年資金需求的全程計畫總金額。",
     False),
    ("員額：類別、法定編制員額、本年度預算員額、上年度預算員額；產生員額編制表。", False),
    ("公務車輛：每列一輛車（或同款多輛）。工作計畫編號（只有一個工作計畫時可空白）、區分（現有／新增，空白為現有）、車輛數、"
     "車輛種類、乘客人數（不含司機）、購置年月（如 10503）、汽缸總排氣量、牌照稅、燃料使用費（臺北市版式印為公路使用養護安全管理費）、"
     "油料數量（公升）、油料單價（元，可有小數）、油料金額（空白時為數量×單價四捨五入至元）、養護費、保險費、檢驗費（元）、備註；"
     "產生公務車輛明細表（現有車輛／本年度新增車輛，各工作計畫小計及合計）。各項費用須等於歲出明細同一工作計畫中說明註明"
     "「詳公務車輛明細表」的細項：牌照稅、燃料使用費、檢驗費對 2024 稅捐及規費，保險費對 2027，油料費對 2051 物品，"
     "養護費對 2066 車輛及辦公器具養護費。", False),
    ("轉帳收支：每列一筆不經現金的收支。工作計畫編號（本機關支出的工作計畫）、歲入科目編號（11 碼，可為他機關的科目，"
     "如 12173500210）、歲入款、歲入項、歲入目、歲入節（如 08其他收入、084臺中市政府環境保護局、01雜項收入、03其他雜項收入；"
     "本機關歲入明細已有的科目可空白）、預算數（元）、說明；產生轉帳收支對照表（千元，歲出與歲入對照，總計相等）。"
     "各工作計畫的轉帳支出須等於該計畫的收支併列數；本機關編列的歲入科目須等於歲入明細。", False),
    ("總說明：段落（每列一段，為您自己的文字）。產生報表時，xlbudget 會在同一工作表右側寫出依資料產生的標準數字句，"
     "並比對您文字中的每個金額與百分比。歲出明細可加「標記」欄（如 淨零），總說明中「淨零…預算」即與標記細項合計比對。", False),
    ("", False),
    ("產生的預算表工作表以表名命名；重新產生時只會取代這些工作表，輸入工作表不會被更動。", False),
)


def _header_row(ws, headers) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    from xlbudget.adapters.printing import FONT_NAME, apply_page
    from xlbudget.forms.pages import INPUT_PAGE

    for c, name in enumerate(headers, start=1):
        cell = ws.cell(1, c, name)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[column_letter(c)].width = WIDTHS.get(name, 12)
    # "print entire workbook" from Excel: each input sheet on landscape A4, fitted to the page width,
    # its header row repeated on every page (never pages of columns cut off without headers)
    apply_page(ws, INPUT_PAGE)


STAFF_CLASSES = CLASS_ORDER  # 人事費 / 人事費分析 類別, in the order the tables print them
STAFFING_CLASSES = tuple(c for c in CLASS_ORDER if c != "其他人事費")  # 員額 類別


def _codes_sheet(wb: Workbook):
    """The hidden 代碼表: one column per drop-down list; returns each list's range."""
    ws = wb.create_sheet(CODES_SHEET)
    level2 = [c for c in codes.object_codes().values() if c.level == 2]
    columns = {
        # 「2018 資訊服務費」 to choose from, then the bare codes, so a typed 2018 is accepted as well
        "object": ("用途別科目", [f"{c.code} {c.name}" for c in level2] + [int(c.code) for c in level2]),
        "basis": ("經資門", [codes.CURRENT, codes.CAPITAL]),
        "econ": ("經濟性分類", [c.key for c in codes.econ_classes()]),
        "function": ("職能別", [f"{k} {v}" for k, v in codes.functions().items()]),
        "staff": ("人事費類別", list(STAFF_CLASSES)),
        "staffing": ("員額類別", list(STAFFING_CLASSES)),
        "trip": ("出國類別", list(TRIP_KINDS)),
    }
    ws.append([title for title, _ in columns.values()])
    for i in range(max(len(values) for _, values in columns.values())):
        ws.append([values[i] if i < len(values) else None for _, values in columns.values()])
    ws.sheet_state = "hidden"
    return {key: f"{CODES_SHEET}!${column_letter(n)}$2:${column_letter(n)}${len(values) + 1}"
            for n, (key, (_, values)) in enumerate(columns.items(), start=1)}


def _validate(ws, header: str, source: str, style: str | None = None, error: str = "", prompt: str = "",
              rows: int = 2000) -> None:
    """A drop-down list on column ``header`` (rows 2…). ``style``: 'stop' refuses anything else, 'warning' asks."""
    headers = [c.value for c in ws[1]]
    from openpyxl.worksheet.datavalidation import DataValidation

    col = column_letter(headers.index(header) + 1)
    dv = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=style is not None,
                        errorStyle=style or "stop", errorTitle="xlbudget", error=error or f"請從清單選擇{header}",
                        showInputMessage=bool(prompt), promptTitle=header if prompt else None, prompt=prompt or None)
    dv.add(f"{col}2:{col}{rows}")
    ws.add_data_validation(dv)


def new_template() -> Workbook:
    """An empty input workbook: 說明, 基本資料, 歲出明細, 歲入明細, 以前年度, 說明提要 (+ hidden 代碼表)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from xlbudget.adapters.printing import FONT_NAME, apply_page
    from xlbudget.forms.pages import LIST_PAGE

    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    for r, (text, bold) in enumerate(HELP_TEXT, start=1):
        cell = help_ws.cell(r, 1, text or None)
        cell.font = Font(name=FONT_NAME, bold=bold, size=14 if bold else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # Excel and LibreOffice do not grow a row for wrapped text on open
        help_ws.row_dimensions[r].height = 18 * text_lines(text, HELP_WIDTH) if text else 10
    help_ws.column_dimensions["A"].width = HELP_WIDTH
    apply_page(help_ws, LIST_PAGE)
    for name, headers in LAYOUT.items():
        ws = wb.create_sheet(name)
        _header_row(ws, headers)
    lists = _codes_sheet(wb)
    agency = wb[SHEET_AGENCY]
    for key in AGENCY_KEYS + AGENCY_OPTIONAL_KEYS:
        agency.append([key, None])
    fn_row = AGENCY_KEYS.index("職能別") + 2
    dv = DataValidation(type="list", formula1=f"={lists['function']}", allow_blank=True)
    dv.add(f"B{fn_row}")
    agency.add_data_validation(dv)
    for key, choices in ((KIND_KEY, BUDGET_KINDS), (STAGE_KEY, BUDGET_STAGES)):
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        dv.add(f"B{(AGENCY_KEYS + AGENCY_OPTIONAL_KEYS).index(key) + 2}")
        agency.add_data_validation(dv)
    vehicles = wb[SHEET_VEHICLES]
    dv = DataValidation(type="list", formula1='"' + ",".join(SECTION_CHOICES) + '"', allow_blank=True)
    section_col = column_letter(VEHICLE_HEADERS.index("區分") + 1)
    dv.add(f"{section_col}2:{section_col}2000")
    vehicles.add_data_validation(dv)
    funding = wb[SHEET_FUNDING]
    dv = DataValidation(type="list", formula1='"' + ",".join(FUNDING_KINDS) + '"', allow_blank=True)
    dv.add("A2:A2000")  # 類別
    funding.add_data_validation(dv)
    expenses = wb[SHEET_EXPENSES]
    _validate(expenses, "用途別科目", lists["object"], "stop",
              error="用途別科目不在科目表中：請從清單選擇（如「2018 資訊服務費」），或輸入 4 碼二級科目代碼（如 2018）",
              prompt="從清單選擇，或輸入 4 碼二級科目代碼（如 2018）")
    _validate(expenses, "經資門", lists["basis"], "stop", error="經資門請選「經常」或「資本」")
    _validate(expenses, "經濟性分類", lists["econ"])
    others = "不在清單中的類別會排在表末，且不計入正式員額；確定要使用嗎？"
    for sheet, key in ((SHEET_STAFF_COSTS, "staff"), (SHEET_STAFF_ANALYSIS, "staff"), (SHEET_STAFFING, "staffing")):
        _validate(wb[sheet], "類別", lists[key], "warning", error=others)
    _validate(wb[SHEET_TRIPS], "類別", lists["trip"], "warning",
              error="出國計畫類別應為考察、訪問、開會、進修、研究或實習；確定要使用嗎？")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                keep_text(cell)
    return wb


@record
class SheetFill:
    """A book's input values placed on one template sheet: each (sheet row, grid row) of ``rows`` goes to that
    1-based sheet row, its value in grid column g to template column t for each (g, t) of ``columns``."""

    extra: dict[int, str]  # header cells after the template's: column → the book's own header
    replace_rows: bool  # 基本資料 (項目 | 內容): the book's rows replace the template's keys
    rows: list[tuple[int, list]]
    columns: list[tuple[int, int]]  # (0-based grid column, 1-based template column)

    def values(self) -> dict[tuple[int, int], object]:
        """Every value to write by 1-based (row, column): empty cells left out, a whole-number float as an int."""
        values = {}
        for r, row in self.rows:
            width = len(row)
            for c, column in self.columns:
                if c < width:
                    value = row[c]
                    if value is None or value == "":
                        continue
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)
                    values[r, column] = value
        return values


@lru_cache(maxsize=256)
def _placed(layout: tuple, header: tuple) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]]:
    """A book's header row placed under the template's ``layout``: its own headers after the template's
    (column → header) and (grid column, template column) of every header (the same few in a batch: cached)."""
    order = {h: i for i, h in enumerate(h for h in layout if h)}
    # 「預 算 數」 is 預算數 and 「單價(元)」 單價, as read (a unit that does not fit was refused when read)
    words = [compact_key(v) if compact_key(v) in order or header_key(v)[0] not in order else header_key(v)[0]
             for v in header]
    for c, meant in header_synonyms(words, order).items():  # 「經濟分類」 is 經濟性分類, as read
        words[c] = meant
    extra = {}
    for h in [h for h in words if h and h not in order]:
        order[h] = len(order)
        extra[order[h] + 1] = h
    return tuple(extra.items()), tuple((c, order[h] + 1) for c, h in enumerate(words) if h)  # (grid, template) column


def fill_plan(grids: dict[str, Grid]) -> dict[str, SheetFill]:
    """Where each input value of a book goes in our template: its column under the template's header.

    Shared by the two writers of a filled template (``fill_template``, openpyxl; adapters.xlsxbook).
    """
    plan = {}
    for name, grid in grids.items():
        template_headers = [h for h in LAYOUT.get(name, ()) if h]  # row 1 of the template's sheet
        grid = header_block(name, grid, template_headers)  # a title line above the header is not the header
        extra, columns = _placed(tuple(LAYOUT.get(name, ())), tuple(grid.rows[0]) if grid.rows else ())
        totals = grid.totals  # an Excel Table's totals row: checked when read, not an item
        rows = [(r, row) for r, row in enumerate(grid.rows[1:], start=2) if r - 1 not in totals]
        plan[name] = SheetFill(dict(extra), name == SHEET_AGENCY, rows, list(columns))
    return plan


def fill_template(grids: dict[str, Grid]) -> Workbook:
    """Our template (openpyxl) with the book's input values, columns placed under the template's headers.

    How convert --mark, build of an .ods book and next-year write a book from values.
    """
    wb = new_template()
    for name, fill in fill_plan(grids).items():
        ws = wb[name] if name in wb.sheetnames else wb.create_sheet(name)
        for col, text in fill.extra.items():
            keep_text(ws.cell(1, col, text))
        if fill.replace_rows:
            ws.delete_rows(2, ws.max_row)
            lists = placed_agency_lists([(str(dv.sqref), dv) for dv in ws.data_validations.dataValidation],
                                        agency_rows(fill))
            for ref, dv in lists:
                dv.sqref = ref
            ws.data_validations.dataValidation = [dv for _, dv in lists]
        for (r, c), value in fill.values().items():
            cell = ws.cell(r, c, value)
            if not isinstance(value, Formula):  # a formula next-year keeps (app.nextformulas): any other text stays text
                keep_text(cell)
    return wb
