"""歲出計畫說明提要與各項費用明細表 from lines typed in no order: each 分支計畫, 計畫項目 and 用途別科目 in code order,
each subtotal the sum of its own lines (元 and 收支併列), a 計畫項目's 說明 from its first line as typed.

derive_detail groups a plan's lines once, by (分支計畫, 計畫項目, 用途別科目), and adds each group up once (issue 13);
the figures below are worked out by hand.
"""

from xlbudget.core.model import Agency, BudgetBook, ExpenseItem
from xlbudget.core.tables import GROUP, ITEM, TOTAL
from xlbudget.derive.schedules import derive_detail

PLAN = "32020180101"
AGENCY = Agency("高雄市政府資訊中心", "3202018", 113, "高雄市政府主管", "12")


def line(branch, code, amount, matched=0, note="", project="", project_note=""):
    return ExpenseItem(PLAN, "一般行政-行政管理", branch, code, "式", 1, amount, amount, matched, "經常",
                       "購買商品及勞務支出", note, project=project, project_note=project_note)


# typed out of order: 02 before 01, 2018 before 2003, the project's first line (2018, no 說明) before its 說明's line
LINES = (
    line("02資訊業務", "2018", 300, matched=100, note="丙"),
    line("01行政業務", "2018", 50, note="乙"),
    line("02資訊業務", "2018", 7, project="01機房工程", note="己"),
    line("01行政業務", "2003", 20, note="甲"),
    line("02資訊業務", "2003", 4_000, matched=1_000, project="01機房工程", note="戊", project_note="機房說明"),
    line("02資訊業務", "2003", 600, note="丁"),
    line("01行政業務", "2018", 5, note="乙2"),
)


def _rows():
    return [(r.style, r.name.strip("\u3000"), r.cells.get("預算數"), r.cells.get("說明"))
            for r in derive_detail(BudgetBook(AGENCY, LINES, ())).rows if r.style != "banner"]


def test_lines_in_code_order_and_subtotals_of_their_own_lines():
    # 01行政業務: 2003 20 + 2018 (50 + 5) = 75; 02資訊業務: its own lines 2003 600 + 2018 300 (100 收支併列) = 900,
    # then 01機房工程 2003 4,000 (1,000) + 2018 7 = 4,007; 02: 900 + 4,007 = 4,907, 收支併列 1,100;
    # 合計 75 + 4,907 = 4,982, 收支併列 1,100, 市款 3,882
    assert _rows() == [
        (TOTAL, "合計", 4_982, "市款3,882元，收支併列1,100元"),
        (GROUP, "01行政業務", 75, "市款75元"),
        (GROUP, "2000 業務費", 75, "市款75元"),
        (GROUP, "2003 教育訓練費", 20, None),
        (ITEM, "甲", 20, "甲"),
        (GROUP, "2018 資訊服務費", 55, None),
        (ITEM, "乙", 50, "乙"),
        (ITEM, "乙2", 5, "乙2"),
        (GROUP, "02資訊業務", 4_907, "市款3,807元，收支併列1,100元"),
        (GROUP, "2000 業務費", 900, "市款800元，收支併列100元"),
        (GROUP, "2003 教育訓練費", 600, None),
        (ITEM, "丁", 600, "丁"),
        (GROUP, "2018 資訊服務費", 300, None),
        (ITEM, "丙", 300, "丙"),
        # the project's 說明 is its first typed line's (2018's, none): its name alone, as printed
        (GROUP, "01機房工程", 4_007, "01機房工程"),
        (GROUP, "2000 業務費", 4_007, "市款3,007元，收支併列1,000元"),
        (GROUP, "2003 教育訓練費", 4_000, None),
        (ITEM, "戊", 4_000, "戊"),
        (GROUP, "2018 資訊服務費", 7, None),
        (ITEM, "己", 7, "己"),
    ]


def test_a_project_prints_the_note_of_its_first_typed_line():
    first = line("02資訊業務", "2003", 10, project="01機房工程", project_note="機房說明")
    later = line("02資訊業務", "2018", 20, project="01機房工程", project_note="另一說明")
    rows = derive_detail(BudgetBook(AGENCY, (later, first), ())).rows
    assert [r.cells["說明"] for r in rows if r.name == "01機房工程"] == ["01機房工程\n另一說明"]
    rows = derive_detail(BudgetBook(AGENCY, (first, later), ())).rows
    assert [r.cells["說明"] for r in rows if r.name == "01機房工程"] == ["01機房工程\n機房說明"]
