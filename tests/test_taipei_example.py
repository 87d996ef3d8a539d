"""The third bundled example (issue 14): 臺北市政府工務局新建工程處 116年度 builds every table of its 目次 with the
printed figures, its 明細表 with the book's 計畫項目 level.

Every expected number below is transcribed by hand from ../shared/reference-books/taipei-newworks-116.txt
(page numbers 07-152-N as printed); none comes from running xlbudget.
"""

import openpyxl
import pytest

from xlbudget.adapters.xlsxfile import input_grids
from xlbudget.app.check import check_workbook
from xlbudget.app.example import TAIPEI, TAIPEI_NAME, example_workbook
from xlbudget.app.export import export_records
from xlbudget.app.pipeline import build_workbook
from xlbudget.core.errors import InputError
from xlbudget.core.keys import names_project
from xlbudget.derive.book import derive_all
from xlbudget.readers.inputs import read_book

from conftest import ROOT, said_wrong

PLANS = ("58071520101", "58071520201", "58071528501", "58071529004")
DETAIL = "歲出計畫說明提要與各項費用明細表"


@pytest.fixture(scope="module")
def taipei():
    book, findings = read_book(input_grids(example_workbook(TAIPEI), "臺北"), "臺北")
    assert findings == []
    records = {(r["table"], r["row_code"], r["column"]): r["value"] for r in export_records(book)}
    return book, records


def test_committed_workbook_matches_package_data():
    committed = openpyxl.load_workbook(ROOT / "workbooks" / TAIPEI_NAME)
    fresh = example_workbook(TAIPEI)
    assert {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in committed.worksheets} == {
        ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in fresh.worksheets}


# 目次 (07-152 page 目次): 二、主要表 (一)(二), 三、附屬表 (一)–(三), 四、參考表 (一)–(十一), in printed order
CONTENTS = ["歲入預算表", "歲出預算表", "歲入項目說明提要與預算明細表", "歲出計畫說明提要與各項費用明細表", "人事費分析表",
            "歲出一級用途別科目分析表", "資本支出分析表", "各項費用彙計表", "人事費彙計表", "約聘僱人員費用分析表",
            "各項費用分攤表", "公務車輛明細表", "繼續性計畫分年資金需求表", "新興計畫分年資金需求表",
            "市政白皮書計畫項目預算編列情形表", "歲出按職能及經濟性綜合分類表"]


def test_every_table_of_the_contents_is_built(taipei):
    book, _ = taipei
    titles = [t.title.split("—")[0] for t in derive_all(book)]
    assert sorted(t for t in titles if t in CONTENTS) == sorted(CONTENTS)
    assert titles.count("人事費分析表") == 1  # one plan pays 人事費: 0358010100-交通支出-一般行政-行政管理 (07-152-78)


# 歲出預算表 (07-152-13…16), 千元: 本年度 合計, 經常門, 資本門, 上年度預算數, 前年度決算數, 比較
AGENCY = {
    "00070000000": (7_145_358, 929_810, 6_215_548, 6_834_826, 6_914_572, 310_532),
    "58071520101": (684_630, 684_630, 0, 703_711, 664_910, -19_081),
    "58071520201": (245_180, 245_180, 0, 209_276, 182_756, 35_904),
    "58071527202": (0, None, None, 0, 444_808, 0),
    "58071528501": (6_205_980, 0, 6_205_980, 5_906_857, 5_613_589, 299_123),
    "58071529000": (9_568, 0, 9_568, 14_982, 8_509, -5_414),
    "58071529003": (0, None, None, 8_000, 5_621, -8_000),
    "58071529004": (9_568, 0, 9_568, 6_982, 2_888, 2_586),
}
# 歲入預算表 (07-152-9…12), 千元
REVENUE = {
    "合計": (647_056, 647_056, 0, 725_779, 1_173_935, -78_723),
    "01071521702": (0, 0, 0, 0, 14_790, 0),
    "04000000000": (27_070, 27_070, 0, 27_070, 10_940, 0),
    "05000000000": (557_405, 557_405, 0, 527_405, 559_752, 30_000),
    "05071520308": (550_000, 550_000, 0, 520_000, 552_642, 30_000),
    "07000000000": (62_511, 62_511, 0, 118_637, 138_107, -56_126),
    "07071520501": (800, 800, 0, 55_800, 67_860, -55_000),
    "09071520102": (0, 0, 0, 0, 444_808, 0),
    "10000000000": (0, 0, 0, 52_563, 2_589, -52_563),
    "12071520210": (70, 70, 0, 104, 49, -34),
}
BUDGET_COLUMNS = ("本年度預算數/合計", "本年度預算數/經常門", "本年度預算數/資本門", "上年度預算數", "前年度決算數",
                  "本年度與上年度比較")


@pytest.mark.parametrize("table, code, figures", [("歲出預算表", c, f) for c, f in AGENCY.items()]
                         + [("歲入預算表", c, f) for c, f in REVENUE.items()])
def test_budget_tables(taipei, table, code, figures):
    _, records = taipei
    assert tuple(records.get((table, code, c)) for c in BUDGET_COLUMNS) == figures


# 各項費用彙計表 (07-152-81/82), 元: one figure per plan of PLANS, then 合計; None = blank
SUMMARY = {
    "合計": (684_630_000, 245_180_000, 6_205_980_000, 9_568_000, 7_145_358_000),
    "1000": (673_926_000, None, None, None, 673_926_000),
    "1030": (82_766_640, None, None, None, 82_766_640),
    "2000": (10_704_000, 245_040_000, None, None, 255_744_000),
    "2012": (None, 17_000_000, None, None, 17_000_000),
    "2024": (72_640, 104_832_052, None, None, 104_904_692),
    "2051": (1_196_276, 18_749_110, None, None, 19_945_386),
    "2069": (16_953, 48_218_650, None, None, 48_235_603),
    "3000": (None, None, 6_205_980_000, 9_568_000, 6_215_548_000),
    "3030": (None, None, None, 3_322_000, 3_322_000),
    "4040": (None, 140_000, None, None, 140_000),
}


@pytest.mark.parametrize("code", SUMMARY)
def test_summary_per_plan_in_yuan(taipei, code):
    _, records = taipei
    assert tuple(records.get(("各項費用彙計表", code, c)) for c in PLANS + ("合計",)) == SUMMARY[code]


def test_detail_prints_the_projects_below_their_branch(taipei):
    """明細表 (07-152-51…77): 分支計畫 subtotals, then each 計畫項目 with its amount; 18 道路 + 22 橋梁 + 2 其他設備."""
    book, records = taipei
    detail = {(code, c): v for (t, code, c), v in records.items() if t == DETAIL}
    assert detail["58071528501/02道路工程", "預算數"] == 3_682_196_000  # 07-152-51
    assert detail["58071528501/03橋梁工程", "預算數"] == 2_523_784_000  # 07-152-62
    assert detail["58071528501/02道路工程/01115年度人行道工程規劃設計", "預算數"] == 12_000_000  # 07-152-51
    assert detail["58071528501/03橋梁工程/08和興路44巷跨景美溪人行景觀橋工程", "預算數"] == 40_000_000
    assert detail["58071528501/03橋梁工程/22建國高架道路隔音牆更新工程(第一期)", "預算數"] == 50_000_000  # -75, NFKC key
    assert detail["58071529004/04其他設備", "預算數"] == 9_568_000  # 07-152-76
    assert detail["58071529004/04其他設備/3000", "預算數"] == 7_979_200  # the lines without 計畫項目, printed first
    assert detail["58071529004/04其他設備/03-111年個人電腦租賃費", "預算數"] == 587_040
    assert detail["58071529004/04其他設備/04-112年個人電腦租賃費", "預算數"] == 1_001_760
    table = next(t for t in derive_all(book) if t.title == DETAIL)
    projects = [r for r in table.rows if r.cells.get("分支計畫及用途別科目") == "" and r.cells.get("預算數")]
    assert len(projects) == 42
    road = [r for r in projects if r.code.startswith("58071528501/02道路工程/")]
    bridge = [r for r in projects if r.code.startswith("58071528501/03橋梁工程/")]
    assert (len(road), len(bridge)) == (18, 22)
    # its name, then its 說明, in the 說明 column (07-152-51: 01115年度人行道工程規劃設計 (1)本計畫係上年度…)
    first = road[0].cells["說明"]
    assert first.startswith("01115年度人行道工程規劃設計\n(1)本計畫係上年度人行道工程規劃設計案")
    # in the book's order: the branch line, the project line, then its 3000 / 3015 lines
    codes = [r.code for r in table.rows]
    i = codes.index("58071528501/02道路工程")
    assert codes[i + 1:i + 4] == ["58071528501/02道路工程/01115年度人行道工程規劃設計",
                                  "58071528501/02道路工程/01115年度人行道工程規劃設計/3000",
                                  "58071528501/02道路工程/01115年度人行道工程規劃設計/3015"]


# 歲出一級用途別科目分析表 (07-152-79), 千元
def test_level1_and_capital(taipei):
    _, records = taipei
    assert [records["歲出一級用途別科目分析表", "合計", c] for c in (
        "合計", "經常支出/人事費", "經常支出/業務費", "經常支出/獎補助費", "經常支出/小計", "資本支出/設備及投資",
        "資本支出/小計")] == [7_145_358, 673_926, 255_744, 140, 929_810, 6_215_548, 6_215_548]
    assert records["歲出一級用途別科目分析表", "58071520201", "經常支出/業務費"] == 245_040
    # 資本支出分析表 (07-152-80), 千元
    assert [records["資本支出分析表", "合計", c] for c in (
        "合計", "設備及投資/公共建設及設施", "設備及投資/機械設備", "設備及投資/資訊軟硬體設備")] == [
        6_215_548, 6_205_980, 6_246, 3_322]


# 人事費彙計表 (07-152-83) and 人事費分析表 (07-152-78), 元
STAFF_COLUMNS = ("預算員額", "法定編制人員待遇", "約聘僱人員待遇", "技工及工友待遇", "獎金", "其他給與", "加班費",
                 "退休退職給付", "退休離職儲金", "保險", "合計")
STAFF = {
    "合計": (733, 248_024_640, 47_324_928, 147_936_240, 82_766_640, 13_413_264, 38_938_668, 9_000_000, 38_412_816,
           48_108_804, 673_926_000),
    "職員": (345, 248_024_640, None, None, 52_927_475, 2_921_600, 6_459_721, None, 23_736_660, 21_627_408,
           355_697_504),
    "約聘僱人員": (74, None, 47_324_928, None, 5_904_100, 951_296, 2_510_020, None, 2_839_752, 6_419_052, 65_949_148),
    "技工": (282, None, None, 132_889_680, 20_891_640, 1_180_800, 2_781_877, None, 10_632_528, 18_023_184,
           186_399_709),
    "駕駛": (31, None, None, 14_608_440, 3_043_425, 496_000, None, None, 1_168_824, 1_981_272, 21_297_961),
    "工友": (1, None, None, 438_120, None, 16_000, 36_510, None, 35_052, 57_888, 583_570),
    "其他人事費": (None, None, None, None, None, 7_847_568, 27_150_540, 9_000_000, None, None, 43_998_108),
}


@pytest.mark.parametrize("table", ["人事費彙計表", "人事費分析表—行政管理"])
@pytest.mark.parametrize("category", STAFF)
def test_staff_costs(taipei, table, category):
    _, records = taipei
    assert tuple(records.get((table, category, c)) or None for c in STAFF_COLUMNS) == STAFF[category]


def test_other_tables(taipei):
    book, records = taipei
    # 約聘僱人員費用分析表 (07-152-84), 元
    assert records["約聘僱人員費用分析表", "合計", "全年度預算數"] == 65_949_148
    # 各項費用分攤表 (07-152-85), 元: the project, then 新北市 52.32 % and 臺北市 47.68 %
    project = "58071528501/和興路44巷跨景美溪人行景觀橋工程"
    assert [records["各項費用分攤表", project, c] for c in (
        "總經費", "本年度預算數/合計", "本年度預算數/設備及投資/施工費用", "本年度預算數/設備及投資/工程管理費",
        "本年度預算數/設備及投資/委外費用")] == [413_833_789, 115_737_000, 105_063_863, 2_979_113, 7_694_024]
    assert records["各項費用分攤表", project + "/臺北市政府工務局新建工程處", "本年度預算數/合計"] == 40_000_000
    # 公務車輛明細表 (07-152-86…91), 元: 合計, and 工務行政-工程管理's line
    vehicles = {c: records["公務車輛明細表", "合計", c] for c in (
        "牌照稅", "燃料使用費", "油料費/金額", "養護費", "車輛保險費", "車輛檢驗費")}
    assert list(vehicles.values()) == [44_920, 593_322, 3_272_544, 3_444_500, 828_924, 66_450]
    assert records["公務車輛明細表", "現有車輛/58071520201", "油料費/金額"] == 3_101_688
    # 繼續性 / 新興計畫分年資金需求表 (07-152-92…94), 元
    years = ("全程計畫總金額", "以前年度預算數", "116年度", "117年度", "118年度", "119年度")
    assert [records["繼續性計畫分年資金需求表", "總計", c] for c in years] == [
        9_024_415_839, 4_333_147_880, 3_079_668_800, 1_265_276_720, 273_198_439, 73_124_000]
    assert [records["繼續性計畫分年資金需求表", "58071528501/道路工程", c] for c in years[:4]] == [
        4_026_918_000, 2_552_072_000, 1_449_596_000, 16_500_000]
    assert [records["繼續性計畫分年資金需求表", "58071529004/其他設備", c] for c in years[:4]] == [
        10_670_400, 8_258_880, 1_588_800, 822_720]
    assert [records["新興計畫分年資金需求表", "總計", c] for c in ("全程計畫總金額", "116年度", "117年度", "118年度")] == [
        5_912_870_000, 3_127_900_000, 2_590_485_000, 194_485_000]
    assert records["新興計畫分年資金需求表", "58071528501/橋梁工程", "全程計畫總金額"] == 2_263_070_000
    # 市政白皮書計畫項目預算編列情形 (07-152-95), 元: 6 projects under ◎友善共融
    assert [records["市政白皮書計畫項目預算編列情形表", f"友善共融/{n}", "本年度預算案數"] for n in range(1, 7)] == [
        350_000_000, 300_000_000, 600_000_000, 150_000_000, 1_300_000_000, 450_000_000]
    # the page prints ◎樂活宜居 and ◎創新活力 with no project under them, around ◎友善共融
    table = next(t for t in derive_all(book) if t.title == "市政白皮書計畫項目預算編列情形表")
    assert [r.cells["綱要"] for r in table.rows if r.cells["綱要"].startswith("◎")] == ["◎樂活宜居", "◎友善共融",
                                                                                  "◎創新活力"]
    assert len(table.rows) == 9
    # 歲出按職能及經濟性綜合分類表 (07-152-96/97), 千元: 12 運輸及通信
    fe = {c: records["歲出按職能及經濟性綜合分類表", "合計", c] for c in (
        "經常支出/受僱人員報酬", "經常支出/購買商品及勞務支出", "經常支出/土地租金支出",
        "經常支出/經常移轉/對非營利及民間機構", "經常支出/經常支出合計", "資本支出/固定資本形成/營建工程",
        "資本支出/固定資本形成/資訊軟體", "資本支出/固定資本形成/機器及其他設備", "資本支出/資本支出合計", "總計")}
    assert list(fe.values()) == [677_105, 235_565, 17_000, 140, 929_810, 6_205_980, 1_733, 7_835, 6_215_548,
                                 7_145_358]
    assert records["歲出按職能及經濟性綜合分類表", "12", "總計"] == 7_145_358


def test_built_book_checks_without_errors(taipei):
    """Every tie holds on the book as typed: 分年資金需求, 市政白皮書 and 費用分攤 against the 計畫項目 lines, 公務車輛
    against the 詳公務車輛明細表 lines, 人事費分析 against the 1000 lines."""
    book, _ = taipei
    wb = example_workbook(TAIPEI)
    _, build_findings = build_workbook(wb, book)
    assert [f for f in build_findings if said_wrong(f)] == []
    report = check_workbook(wb)
    assert [(f.rule, f.cell) for f in report.findings if said_wrong(f)] == []


# ---------------------------------------------------------------- planted errors, named by cell

def _row(ws, **match) -> int:
    headers = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        if all(ws.cell(r, headers[k]).value == v for k, v in match.items()):
            return r
    raise AssertionError(f"no row {match}")


def _cell(ws, header, r) -> str:
    col = next(c.column_letter for c in ws[1] if c.value == header)
    return f"{col}{r}"


def _found(edit):
    """The example after ``edit(wb)``: its non-info findings on the inputs, as (rule, sheet!cell)."""
    wb = example_workbook(TAIPEI)
    edit(wb)
    book, findings = read_book(input_grids(wb, "臺北"), "臺北")
    assert findings == []
    build_workbook(wb, book)
    return {(f.rule, str(f.cell)) for f in check_workbook(wb).findings if said_wrong(f)}


def test_a_project_line_changed_is_named_in_funding_whitepaper_and_cost_shares():
    """和興路44巷's 施工費 37,042,010 → 37,042,011: 分年資金需求 本年度, 費用分攤 本機關 name their cells; 115年度人行道
    改善工程's 施工費 changed: 市政白皮書 names its 本年度預算案數."""
    def edit(wb):
        ws = wb["歲出明細"]
        r = _row(ws, 計畫項目="08和興路44巷跨景美溪人行景觀橋工程", 預算數=37_042_010)
        ws[_cell(ws, "預算數", r)].value = 37_042_011
        ws[_cell(ws, "單價", r)].value = 37_042_011
        r = _row(ws, 計畫項目="06115年度人行道改善工程", 預算數=340_466_926)
        ws[_cell(ws, "預算數", r)].value = 340_466_927
        ws[_cell(ws, "單價", r)].value = 340_466_927
    found = _found(edit)
    wb = example_workbook(TAIPEI)
    funding = wb["分年資金需求"]
    fr = _row(funding, 計畫項目="和興路44巷跨景美溪人行景觀橋工程")
    white = wb["市政白皮書"]
    wr = _row(white, 計畫項目="115年度人行道改善工程")
    shares = wb["費用分攤"]
    sr = _row(shares, 本機關="是")
    assert ("funding-vs-items", f"分年資金需求!{_cell(funding, '本年度', fr)}") in found
    assert ("whitepaper-vs-items", f"市政白皮書!{_cell(white, '本年度預算案數', wr)}") in found
    assert ("cost-share-vs-items", f"費用分攤!{_cell(shares, '施工費用', sr)}") in found


def test_funding_ties_to_the_project_not_to_its_branch():
    """A line moved from one 計畫項目 to another of the same 分支計畫 keeps the branch's total but breaks both projects
    (red when the tie is by 分支計畫 alone: no project of the book is a 分支計畫)."""
    def edit(wb):
        ws = wb["歲出明細"]
        r = _row(ws, 計畫項目="07115年度災害搶修工程", 預算數=478_217)
        ws[_cell(ws, "計畫項目", r)].value = "05115年度道路改善及維護工程"
    found = _found(edit)
    funding = example_workbook(TAIPEI)["分年資金需求"]
    cells = {f"分年資金需求!{_cell(funding, '本年度', _row(funding, 計畫項目=name))}"
             for name in ("115年度災害搶修工程", "115年度道路改善及維護工程")}
    assert {c for rule, c in found if rule == "funding-vs-items"} == cells


def test_planted_errors_in_each_new_table_are_named_by_cell():
    def edit(wb):
        f = wb["分年資金需求"]
        f[_cell(f, "第2年度", _row(f, 計畫項目="萬大第一果菜市場及魚類批發市場銜接匝道工程"))].value = 108_279_001
        s = wb["費用分攤"]
        s[_cell(s, "分攤比率", _row(s, 合辦單位="新北市政府新建工程處"))].value = 52.33
        v = wb["公務車輛"]
        v[_cell(v, "養護費", _row(v, 備註="ATE-3973"))].value = 51_001
        a = wb["人事費分析"]
        a[_cell(a, "保險", _row(a, 類別="工友"))].value = 57_889
    found = _found(edit)
    wb = example_workbook(TAIPEI)
    f, s, v, a = wb["分年資金需求"], wb["費用分攤"], wb["公務車輛"], wb["人事費分析"]
    assert ("funding-years-mismatch", "分年資金需求!" + _cell(
        f, "全程計畫總金額", _row(f, 計畫項目="萬大第一果菜市場及魚類批發市場銜接匝道工程"))) in found
    assert ("cost-share-ratio-mismatch", "費用分攤!" + _cell(s, "分攤比率", _row(s, 合辦單位="新北市政府新建工程處"))) in found
    assert any(rule == "vehicles-vs-items" for rule, _ in found)
    assert any(rule == "staff-analysis-vs-items" and c.startswith("人事費分析!") for rule, c in found)


def test_two_notes_for_one_project_are_an_input_error():
    wb = example_workbook(TAIPEI)
    ws = wb["歲出明細"]
    rows = [r for r in range(2, ws.max_row + 1)
            if ws[_cell(ws, "計畫項目", r)].value == "08和興路44巷跨景美溪人行景觀橋工程"]
    ws[_cell(ws, "計畫項目說明", rows[-1])].value = "另一段說明。"
    with pytest.raises(InputError) as error:
        read_book(input_grids(wb, "臺北"), "臺北")
    assert [(f.rule, f.cell.cell, tuple(c.cell for c in f.related)) for f in error.value.findings] == [
        ("project-note-conflict", _cell(ws, "計畫項目說明", rows[-1]), (_cell(ws, "計畫項目說明", rows[0]),))]


@pytest.mark.parametrize("printed, name, same", [
    ("08和興路44巷跨景美溪人行景觀橋工程", "和興路44巷跨景美溪人行景觀橋工程", True),
    ("01115年度人行道工程規劃設計", "115年度人行道工程規劃設計", True),
    ("03-111年個人電腦租賃費", "111年個人電腦租賃費", True),  # 07-152-76, 分年資金需求 07-152-93
    ("02道路工程", "道路工程", True),
    ("03-111年個人電腦租賃費", "112年個人電腦租賃費", False),
    ("08和興路44巷跨景美溪人行景觀橋工程", "", False),
])
def test_names_project(printed, name, same):
    assert names_project(printed, name) is same


def test_a_heading_printed_like_an_earlier_one_is_moved_off_the_page_foot():
    """臺北 116's 明細表 prints 「3015 公共建設及設施費 10,000,000」 under two projects (07115年度災害搶修工程 and
    06社子島…): the page ending on the second must break before the second project, not the first (xlbudget pdf
    of this example re-rendered 6 times and gave up)."""
    from xlbudget.app.publication import Flow
    from xlbudget.app.publish import find_orphans

    flow = Flow("明細表03", "M", [(5, "合計", True), (6, "A10", True), (7, "3015X10", True), (8, "式1a", False),
                                  (9, "式1c", False), (10, "B10", True), (11, "3015X10", True), (12, "式1b", False)])
    pages = ["M\n合計\nA10\n3015X10\n式1a\n07-152-1", "M\n式1c\nB10\n3015X10\n07-152-2", "M\n式1b\n07-152-3"]
    assert find_orphans([flow], pages) == [("明細表03", 10)]
    # a chain opening its page (B10 first on page 2) is not moved: a break before a page's first row moves nothing,
    # and found again on every rendering it would keep the book from settling
    assert find_orphans([flow], ["M\n合計\nA10\n3015X10\n式1a\n式1c\n07-152-1", "M\nB10\n3015X10\n07-152-2",
                                 pages[2]]) == []
