"""The input template as a contract: sheet names, headers, the words the reader recognises, required fields.

One place for the template writer (app/template) and the reader (readers/):
what each input sheet is called, which columns it has in which order, which
of them must be there, and which words mark a typed 合計 row.
"""

from __future__ import annotations

SHEET_EXPENSES = "歲出明細"
SHEET_REVENUES = "歲入明細"
SHEET_PRIOR = "以前年度"
SHEET_AGENCY = "基本資料"
SHEET_NOTES = "說明提要"
SHEET_HELP = "說明"
SHEET_STAFF_COSTS = "人事費"
SHEET_CONTRACT = "約聘僱"
SHEET_TRIPS = "出國計畫"
SHEET_STAFFING = "員額"
SHEET_NARRATIVE = "總說明"

EXPENSE_HEADERS = ("工作計畫編號", "工作計畫名稱", "分支計畫", "用途別科目", "單位", "數量", "單價",
                   "預算數", "收支併列數", "經資門", "經濟性分類", "說明")
EXPENSE_OPTIONAL = ("業務計畫編號", "業務計畫名稱", "標記", "計畫項目", "計畫項目說明")
EXPENSE_PROJECT = ("計畫項目", "計畫項目說明")  # the level below 分支計畫 臺北 116 prints; blank in books without it
EXPENSE_REQUIRED = ("工作計畫編號", "工作計畫名稱", "用途別科目", "預算數")

REVENUE_HEADERS = ("科目編號", "科目名稱", "款", "項", "目", "節", "單位", "數量", "單價", "預算數",
                   "收支併列", "說明")
REVENUE_OPTIONAL = ("經資門",)
REVENUE_REQUIRED = ("科目編號", "科目名稱", "預算數")

PRIOR_HEADERS = ("科目編號", "科目名稱", "上年度預算數", "前年度決算數")
PRIOR_OPTIONAL = ("款", "項", "目", "節", "說明")
# read when the officer adds it, not in the template: a 歲入 科目 budgeted last year only has no 歲入明細 line to
# give its 經資門, which 歲入來源別預算表's 經常門合計/資本門合計 need (field report 10 §1.2)
PRIOR_ADDED = ("經資門",)
PRIOR_YEAR_KEYS = ("前年度歲出預算數", "前年度歲入預算數")  # 基本資料 entries, 千元, for 預算總說明
PRIOR_REQUIRED = ("科目編號", "上年度預算數", "前年度決算數")

AGENCY_HEADERS = ("項目", "內容")
AGENCY_KEYS = ("機關名稱", "機關編號", "年度", "主管機關", "職能別")
PAGE_FORMAT_KEY = "頁碼格式"  # the page number xlbudget pdf prints, N standing for the number (第 N 頁, 02004 - N)
KIND_KEY = "預算類別"  # 單位預算 (blank), 特別預算, 追加減預算: convert's 彙總 of the 總預算 counts 單位預算 only
# 基本資料 entries the 封面 prints when the officer gives them: which stage of the book it is (臺北 116 prints
# 「年度-預算案」 and 「臺北市總預算案」, 新北 115 「(法定版)」) and the two who sign it (新北 115: 「主辦會計人員廖盈婷」
# left, 「機關長官吳建國」 right, under the title); the template has them, 預算階段 a drop-down of BUDGET_STAGES
STAGE_KEY, HEAD_KEY, ACCOUNTANT_KEY = "預算階段", "機關長官", "主辦會計人員"
BUDGET_STAGES = ("預算案", "法定預算")  # the template's 預算階段 choices
AGENCY_OPTIONAL_KEYS = ("主管機關編號", "歲出款", "歲出項", "政事別名稱", "前年度歲出預算數", "前年度歲入預算數", "版式",
                        PAGE_FORMAT_KEY, KIND_KEY, STAGE_KEY, HEAD_KEY, ACCOUNTANT_KEY)
UNIT_BUDGET = "單位預算"
BUDGET_KINDS = (UNIT_BUDGET, "特別預算", "追加減預算")  # the template's 預算類別 choices
# the words naming a kind of budget, as typed in 預算類別 or found in a 總說明 title or a file name, the longer first
# (附屬單位預算 holds 單位預算; a 特別預算's 第1次追加減預算 is a 特別預算's; 追加減單位預算, as 主計處's books name an
# agency's part of the 追加減預算, is a 追加減預算's)
KIND_WORDS = (("附屬單位預算", "附屬單位預算"), ("特別預算", "特別預算"), ("追加減", "追加減預算"),
              ("追加預算", "追加減預算"), ("追減預算", "追加減預算"), ("追加單位預算", "追加減預算"),
              ("追減單位預算", "追加減預算"), ("單位預算", UNIT_BUDGET))
# stages of one book, not kinds: an agency's 預算案 becomes its 法定預算 (單位法定預算: a 單位預算) after the council
_STAGES = (("法定預算", "預算"),)
# 預算階段 as typed → the stage (spaces and brackets aside: 新北's 「(法定版)」); any other word is refused by pdf
STAGES = {"預算案": "預算案", "案": "預算案", "法定預算": "法定預算", "法定": "法定預算", "法定版": "法定預算"}


def budget_kind_in(text: str) -> str | None:
    """The kind of budget (預算類別) a text names: 特別預算 in 「前瞻基礎建設計畫特別預算」, 追加減預算 in
    「第1次追加預算」 and 「追加減單位預算」, 單位預算 in 「單位法定預算」 (法定預算 is the stage); None when it names none."""
    for stage, word in _STAGES:
        text = text.replace(stage, word)
    for word, kind in KIND_WORDS:
        if word in text:
            return kind
    return None


def _stage_words(text: str) -> str:
    return "".join(c for c in text if not c.isspace() and c not in "()（）")


def stage_typed(text: str) -> str | None:
    """基本資料 預算階段 as typed → 預算案 or 法定預算 (「(法定版)」 is 新北's 法定預算); None for a blank or another word."""
    return STAGES.get(_stage_words(text))


def budget_stage_in(kind: str) -> str | None:
    """The stage a 預算類別 as typed names beside its kind: 法定預算 in 「單位法定預算」, 預算案 in 「單位預算案」; None in
    「單位預算」 (no stage said)."""
    text = _stage_words(kind)
    if "法定預算" in text or "法定版" in text:
        return "法定預算"
    return "預算案" if "預算案" in text else None


def guessed_kind(told: str) -> str:
    """How a 預算類別 guessed is said where it is used (core.model.Agency.kind_told: 「檔名「…」」), after the kind:
    「特別預算；基本資料未填預算類別，依檔名「…」判斷」; "" for a kind typed (or none told)."""
    return f"；基本資料未填預算類別，依{told}判斷" if told else ""


NOTES_HEADERS = ("編號", "承辦單位", "說明提要")

# 人事費彙計表 pay components, in printed order, with the 1000 二級 code each one equals
PAY_COMPONENTS = (("民意代表待遇", "1005"), ("政務人員待遇", "1010"), ("法定編制人員待遇", "1015"),
                  ("約聘僱人員待遇", "1020"), ("技工及工友待遇", "1025"), ("獎金", "1030"), ("其他給與", "1035"),
                  ("加班費", "1040"), ("退休退職給付", "1045"), ("退休離職儲金", "1050"), ("保險", "1055"))
STAFF_COST_HEADERS = ("類別", "預算員額") + tuple(name for name, _ in PAY_COMPONENTS) + ("備註",)
CONTRACT_HEADERS = ("工作計畫編號", "類型", "人數", "月數", "全年度預算數", "說明")
TRIP_HEADERS = ("計畫名稱", "類別", "擬前往國家", "擬拜會機構", "計畫內容", "預計前往期間", "預計天數", "擬派人數",
                "交通費", "生活費", "辦公費", "歸屬預算科目", "工作計畫編號", "前3年內有無赴同一機構拜會",
                "如有,說明其內容", "年度")
# 人事費彙計表's classes in printed order (人事費 and 人事費分析 類別); 員額編制表's are all but 其他人事費. 正式員額 is
# the subtotal of FORMAL_STAFF_CLASSES (the seed counts 職員 only; 技工, 駕駛, 工友, 約聘僱 and 其他人事費 are outside it)
STAFF_CLASSES = ("民意代表", "政務人員", "職員", "警員", "消防人員", "約聘僱人員", "技工", "駕駛", "工友", "其他人事費")
FORMAL_STAFF_CLASSES = STAFF_CLASSES[:5]
STAFFING_CLASSES = tuple(c for c in STAFF_CLASSES if c != "其他人事費")
STAFFING_HEADERS = ("類別", "法定編制員額", "本年度預算員額", "上年度預算員額")
NARRATIVE_HEADERS = ("段落",)


# the input sheets of the tables added in issue 14 (read in readers/city_tables.py)
SHEET_VEHICLES = "公務車輛"  # 公務車輛明細表
SHEET_TRANSFERS = "轉帳收支"  # 轉帳收支對照表
SHEET_STAFF_ANALYSIS = "人事費分析"  # 人事費分析表
SHEET_FUNDING = "分年資金需求"  # 繼續性／新興計畫分年資金需求表
SHEET_WHITEPAPER = "市政白皮書"  # 市政白皮書計畫項目預算編列情形表
SHEET_COST_SHARES = "費用分攤"  # 各項費用分攤表

# 公務車輛: one row per vehicle (or several alike); 區分 is a drop-down of SECTION_CHOICES
VEHICLE_COSTS = (("牌照稅", "2024"), ("燃料使用費", "2024"), ("油料金額", "2051"), ("養護費", "2066"),
                 ("保險費", "2027"), ("檢驗費", "2024"))  # input cost column → 明細表 二級 code it is budgeted under
# the amounts of 人事費 (and 人事費分析), 約聘僱, 出國計畫 and 公務車輛: never negative, as a 歲出明細 line never is
# (a count, COUNT_HEADERS, never is either)
NONNEGATIVE_AMOUNTS = frozenset({name for name, _ in PAY_COMPONENTS} | {name for name, _ in VEHICLE_COSTS}
                                | {"全年度預算數", "交通費", "生活費", "辦公費"})
VEHICLE_HEADERS = ("工作計畫編號", "區分", "車輛數", "車輛種類", "乘客人數", "購置年月", "汽缸總排氣量", "牌照稅",
                   "燃料使用費", "油料數量", "油料單價", "油料金額", "養護費", "保險費", "檢驗費", "備註")
VEHICLE_REQUIRED = ("車輛種類",)
EXISTING, NEW = "現有車輛", "本年度新增車輛"
SECTION_CHOICES = ("現有", "新增")
# what an officer may type in 區分
SECTION_WORDS = {"": EXISTING, "現有": EXISTING, "現有車輛": EXISTING, "新增": NEW, "本年度新增": NEW,
                 "本年度新增車輛": NEW, "新增車輛": NEW}

# 轉帳收支: one row per transfer
TRANSFER_HEADERS = ("工作計畫編號", "歲入科目編號", "歲入款", "歲入項", "歲入目", "歲入節", "預算數", "說明")
TRANSFER_REQUIRED = ("工作計畫編號", "歲入科目編號", "預算數")

# 人事費分析: the 人事費 sheet's columns and the plan paying each class
ANALYSIS_CODE_WIDTH = 10  # 分析表編號 as 臺中 prints it: 0132010100
STAFF_ANALYSIS_HEADERS = ("工作計畫編號", "分析表編號") + STAFF_COST_HEADERS
STAFF_ANALYSIS_REQUIRED = ("類別",)

# 分年資金需求: one row per project (計畫項目); 類別 is a drop-down of FUNDING_KINDS
FUNDING_KINDS = ("繼續性", "新興")
FUNDING_YEARS = ("本年度", "第2年度", "第3年度", "第4年度", "第5年度", "以後年度")  # after 以前年度預算數
FUNDING_AMOUNTS = ("全程計畫總金額", "以前年度預算數") + FUNDING_YEARS
FUNDING_HEADERS = ("類別", "工作計畫編號", "分支計畫", "計畫項目") + FUNDING_AMOUNTS + ("備註",)
FUNDING_REQUIRED = ("類別", "工作計畫編號", "計畫項目", "全程計畫總金額")

# 市政白皮書: one row per 計畫項目 the white paper names
WHITEPAPER_HEADERS = ("主軸", "綱要", "類別", "政策項目", "計畫項目", "工作計畫編號", "本年度預算案數")
WHITEPAPER_REQUIRED = ("計畫項目", "本年度預算案數")

# 費用分攤: one row per party of a shared project
COST_SHARE_PARTS = ("施工費用", "工程管理費", "委外費用")  # 本年度預算數 設備及投資, as 臺北 prints them
COST_SHARE_HEADERS = ("工作計畫編號", "計畫項目", "單位", "數量", "合辦單位", "分攤方式", "分攤比率",
                      "總經費") + COST_SHARE_PARTS + ("本機關", "說明")
COST_SHARE_REQUIRED = ("計畫項目", "合辦單位", "總經費")
# a yes/no cell (歲入明細's 收支併列, 費用分攤's 本機關), as compact_key reads it (「Ｙ」 is Y, a ticked TRUE is True):
# anything else is refused at the cell (readers.grid.SheetReader.yes_no), never read as the one or the other
YES_WORDS = ("是", "Y", "y", "V", "v", "✓", "1", "True", "TRUE")
NO_WORDS = ("", "否", "不是", "無", "N", "n", "0", "False", "FALSE", "-", "—")  # not X: a tick in some forms

INPUT_SHEETS = (SHEET_AGENCY, SHEET_EXPENSES, SHEET_REVENUES, SHEET_PRIOR, SHEET_NOTES, SHEET_STAFF_COSTS,
                SHEET_CONTRACT, SHEET_TRIPS, SHEET_STAFFING, SHEET_NARRATIVE, SHEET_VEHICLES, SHEET_TRANSFERS,
                SHEET_STAFF_ANALYSIS, SHEET_FUNDING, SHEET_WHITEPAPER, SHEET_COST_SHARES)

# a unit typed after a header word (單價(元), 數量(個)): a money unit must be the sheet's; a count unit only on a count
MONEY_UNITS = {"元": "元", "新臺幣元": "元", "新台幣元": "元", "千元": "千元", "新臺幣千元": "千元", "新台幣千元": "千元"}
SHEET_UNITS = {SHEET_PRIOR: "千元"}  # the money unit of each input sheet; 元 where not listed
# counts and measures: any unit but money after them (汽缸總排氣量(立方公分) as 公務車輛明細表 prints it)
COUNT_HEADERS = frozenset({"數量", "人數", "月數", "預計天數", "擬派人數", "車輛數", "乘客人數", "油料數量", "預算員額",
                           "法定編制員額", "本年度預算員額", "上年度預算員額", "員額", "汽缸總排氣量"})
# the unit a count of the people sheets may be typed with (「12個月」 in 月數, 「5人」 in 人數): read as its number; any
# other unit (「12人」 in 月數) is not a number of that column
COUNT_UNITS = {"人數": ("人", "名"), "擬派人數": ("人", "名"), "月數": ("個月", "月"), "預計天數": ("天", "日"),
               **{name: ("人", "名") for name in ("預算員額", "法定編制員額", "本年度預算員額", "上年度預算員額", "員額")}}
# a period after an amount says which amount, not its unit: 牌照稅(全年), 燃料使用費(全年) as 公務車輛明細表 prints them
PERIOD_UNITS = frozenset({"全年", "全年度"})

# headers officers type for a template column whose meaning is certain (field report 3 #5): read as that column
# on a sheet that has it and lacks its own header (人事費's 備註 is 備註)
HEADER_SYNONYMS = {"經濟分類": "經濟性分類", "經濟性分類別": "經濟性分類",
                   "經常/資本": "經資門", "經常門/資本門": "經資門", "經常或資本": "經資門", "經常門或資本門": "經資門",
                   "經資門別": "經資門", "備註": "說明", "備考": "說明",
                   # the headers the printed tables carry (seed and reference books): 歲入項目說明提要與預算明細表's
                   # 說明及收入依據; 公務車輛明細表's 車輛保險費, 車輛檢驗費 and 臺北 116's 公路使用養護安全管理費, the
                   # 燃料使用費 renamed
                   "說明及收入依據": "說明", "車輛保險費": "保險費", "車輛檢驗費": "檢驗費",
                   "公路使用養護安全管理費": "燃料使用費", "汽車燃料使用費": "燃料使用費"}
# text columns an officer keeps a second of under a synonym (備註 beside 說明): they hold no figure, so the header
# naming the column (說明, else the synonym holding its word, 說明及收入依據) is read and the other is an extra column,
# not duplicate-header as a second amount, count or code column is (rev2: officers keep both)
TEXT_COLUMNS = frozenset({"說明"})
# each sheet's template columns added later, which books made before lack: their absence says nothing of a header
LATER_COLUMNS = {SHEET_EXPENSES: EXPENSE_OPTIONAL, SHEET_REVENUES: REVENUE_OPTIONAL}

HEADER_SEARCH_ROWS = 10  # a title line or two may sit above an input sheet's header row
# the headers each input sheet must have (its header row is the first of the top rows naming them all)
REQUIRED_HEADERS = {
    SHEET_AGENCY: AGENCY_HEADERS, SHEET_EXPENSES: EXPENSE_REQUIRED, SHEET_REVENUES: REVENUE_REQUIRED,
    SHEET_PRIOR: PRIOR_REQUIRED, SHEET_NOTES: ("編號",), SHEET_STAFF_COSTS: ("類別",),
    SHEET_CONTRACT: ("類型", "人數", "月數", "全年度預算數"), SHEET_TRIPS: ("計畫名稱", "類別", "交通費", "生活費", "辦公費"),
    SHEET_STAFFING: STAFFING_HEADERS, SHEET_NARRATIVE: NARRATIVE_HEADERS,
}

# a row an officer types under the items whose label is one of these is a 合計, checked and not read
TOTAL_WORDS = frozenset({"合計", "小計", "總計", "總合計", "合計數", "total", "subtotal", "grandtotal"})
SUBTOTAL_WORDS = frozenset({"小計", "subtotal"})
# a 說明 that says only that its line is a total, its keys copied from the line above (field report 5 §1.2): a total
# word alone or after 以上 (以上合計: as typed), or after what it closes (2054小計, 一般事務費小計, 本科目合計: a 小計);
# or 計 alone, a 小計 as printed books write it
NOTE_TOTAL_ALL = "以上"


def agency_rows(fill) -> dict[str, int]:
    """基本資料 as a book fills it (``fill``: app.template.SheetFill, its rows replacing the template's): {項目
    (compact_key): sheet row}."""
    from xlbudget.core.keys import compact_key

    first = next((c for c, column in fill.columns if column == 1), None)
    if first is None:
        return {}
    return {compact_key(row[first]): r for r, row in reversed(fill.rows)
            if first < len(row) and row[first] not in (None, "")}


def placed_agency_lists(lists: list[tuple[str, object]], at: dict[str, int]) -> list[tuple[str, object]]:
    """The template's 基本資料 drop-down lists (職能別, 預算類別, 預算階段: each on B of its 項目's row, as
    app.template.new_template puts them) on B of the row of the same 項目 in a 基本資料 holding the officer's rows (``at``:
    agency_rows), none where his has no such row: a list left on the template's row would offer 職能別 to another
    entry of his. ``lists``: (cell, the list) each; returns those kept, each with its cell."""
    keys = AGENCY_KEYS + AGENCY_OPTIONAL_KEYS
    placed = []
    for ref, dv in lists:
        row = int("".join(ch for ch in ref if ch.isdigit()) or 0)
        key = keys[row - 2] if 0 <= row - 2 < len(keys) else None
        if key in at:
            placed.append((f"B{at[key]}", dv))
    return placed
