"""Hand-made printed books: a copy of the seed's printed tables, typed the way an officer types them.

The copy is built here with openpyxl in the seed's layout (agency, title,
中華民國113年度 and 單位 lines, two-row merged headers, full-width-space
indentation, numbers as text with commas, '-' for nothing, the 明細表 in
pages that repeat title and header) — not by xlbudget's writer. The figures
are the seed's (../shared/seed/000_9c62b59cf9023585.txt), transcribed below;
the 明細表 line items are the seed's, from the example package data, grouped
and summed by this test.
"""

import csv
from collections import defaultdict
from importlib import resources

import openpyxl
import pytest

from printed_forms import capital_header, level1_header, merge
from xlbudget.app.check import check_workbook
from xlbudget.cli import main
from xlbudget.core.findings import Severity, marked_cells
from xlbudget.readers.printed import find_tables
from xlbudget.readers.printed_model import SheetGrid
from xlbudget.readers.grid import Grid
from xlbudget.adapters.xlsxfile import save_atomic

AGENCY = "高雄市政府資訊中心"
YEAR = "中華民國113年度"
FW = "\u3000"

# 各項費用彙計表 as printed in the seed (千元)
SUMMARY_ROWS = """合　計	43,769	232,026	275,795
100000人事費	42,978		42,978
　101500法定編制人員待遇	25,356		25,356
　102000約聘僱人員待遇	5,283		5,283
　102500技工及工友待遇	1,226		1,226
　103000獎金	6,404		6,404
　103500其他給與	848		848
　104000加班費	934		934
　105000退休離職儲金	320		320
　105500保險	2,607		2,607
200000業務費	779	153,555	154,334
　200300教育訓練費	29		29
　200900通訊費	100	11,310	11,410
　201800資訊服務費	28	92,938	92,966
　203600按日按件計資酬金	12	46	58
　205100物品	32		32
　205400一般事務費	328	47,585	47,913
　206300房屋建築養護費	20	28	48
　206600車輛及辦公器具養護費	15		15
　206900設施及機械設備養護費		1,137	1,137
　207200國內旅費	40	111	151
　207800國外旅費		400	400
　208400短程車資	32		32
　209300特別費	143		143
300000設備及投資		78,471	78,471
　303000資訊軟硬體設備費		78,471	78,471
400000獎補助費	12		12
　408500獎勵及慰問	12		12"""

LEVEL1_ROWS = """合計	275,795	42,978	154,334	12			197,324			78,471			78,471
32020180000 行政支出	275,795	42,978	154,334	12			197,324			78,471			78,471
　32020180100 一般行政	43,769	42,978	779	12			43,769						
　　32020180101 行政管理	43,769	42,978	779	12			43,769						
　32020183200 數位發展計畫	232,026		153,555				153,555			78,471			78,471
　　32020183201 數位發展計畫	232,026		153,555				153,555			78,471			78,471"""

CAPITAL_ROWS = """合計	78,471						78,471				
32020183200 數位發展計畫	78,471						78,471				
　32020183201 數位發展計畫	78,471						78,471				"""

AGENCY_ROWS = """02				0002000000 高雄市政府主管	275,795	144,399	188,162	131,396	
	009			00020180000 高雄市政府資訊中心	275,795	144,399	188,162	131,396	
		01		32020180100 一般行政	43,769	41,366	37,879	2,403	
			01	32020180101 行政管理	43,769	41,366	37,879	2,403	人員維持費42,978千元。
		02		32020183200 數位發展計畫	232,026	103,033	150,283	128,993	
			01	32020183201 數位發展計畫	232,026	103,033	150,283	128,993	本年度預算數較上年度增列128,993千元。"""

REVENUE_ROWS = """				57,019	2,800	38,587	54,219	
				57,019	2,800	38,587	54,219	
02				-	-	54	-	
	007			-	-	54	-	
		01		-	-	54	-	
			01	-	-	54	-	
06				57,019	2,800	38,533	54,219	
	005			57,019	2,800	38,533	54,219	
		01		57,019	2,800	38,533	54,219	
			01	57,019	2,800	38,533	54,219	數位發展部資通安全署補助57,019千元。"""

# 歲出按職能及經濟性綜合分類表: the seed's figures (千元), one wide table with three header rows
ECON_CURRENT = ["受僱人員報酬", "購買商品及勞務支出", "債務利息", "土地租金支出",
                ("經常移轉", "對企業"), ("經常移轉", "對非營利及民間機構"), ("經常移轉", "對政府"),
                ("經常移轉", "對國外"), "經常支出合計"]
ECON_CAPITAL = [("投資及增資", "對營業基金"), ("投資及增資", "對非營業特種基金"), ("投資及增資", "對民間企業"),
                ("資本移轉", "對企業"), ("資本移轉", "對非營利及民間機構"), ("資本移轉", "對政府"),
                ("資本移轉", "對國外"), "土地購入", "無形資產購入", ("固定資本形成", "住宅"),
                ("固定資本形成", "非住宅房屋"), ("固定資本形成", "營建工程"), ("固定資本形成", "運輸工具"),
                ("固定資本形成", "資訊軟體"), ("固定資本形成", "機器及其他設備"), ("固定資本形成", "土地改良"),
                "資本支出合計"]
ECON_FIGURES = {"受僱人員報酬": 43_036, "購買商品及勞務支出": 154_276, ("經常移轉", "對非營利及民間機構"): 12,
                "經常支出合計": 197_324, ("固定資本形成", "資訊軟體"): 65_471,
                ("固定資本形成", "機器及其他設備"): 13_000, "資本支出合計": 78_471, "總計": 275_795}
FUNCTIONS = ["01 一般公共事務", "02 防衛", "03 公共秩序與安全", "04 教育", "05 保健"]


def _number(text: str):
    """As an officer types: most figures as numbers, some as text with commas."""
    text = text.strip()
    if not text:
        return None
    if text == "-":
        return "-"
    digits = text.replace(",", "")
    if digits.isdigit():
        value = int(digits)
        return text if value % 7 == 0 else value  # a few stay text, as pasted from Word
    return text


def _titles(ws, title: str, unit: str, ncols: int, subtitle: str = "") -> None:
    for text in (AGENCY, title) + ((subtitle,) if subtitle else ()) + (YEAR,):
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=ncols)
    ws.append([None] * (ncols - 1) + [f"單位：新臺幣{unit}"])


_merge = merge


def _tsv(ws, block: str, amount_from: int) -> None:
    for line in block.split("\n"):
        cells = line.split("\t")
        ws.append([c if i < amount_from else _number(c) for i, c in enumerate(cells)])


def summary_sheet(wb):
    ws = wb.create_sheet("彙計表")
    ws.append([])  # the table need not start in A1
    _titles(ws, "各項費用彙計表", "千元", 4)
    ws.append(["工作計畫名稱及編號", "32020180101\n行政管理", "32020183201\n數位發展計畫", "合　計"])
    ws.append(["第一、二級用途別\n科目名稱及編號", None, None, None])
    top = ws.max_row - 1
    for c in (2, 3, 4):
        _merge(ws, top, c, top + 1, c)
    _tsv(ws, SUMMARY_ROWS, 1)


def level1_sheet(wb):
    ws = wb.create_sheet("一級用途別")
    _titles(ws, "歲出一級用途別科目分析表", "千元", 14)
    level1_header(ws)
    _tsv(ws, LEVEL1_ROWS, 1)


def capital_sheet(wb):
    ws = wb.create_sheet("資本支出")
    _titles(ws, "資本支出分析表", "千元", 12)
    capital_header(ws, software="資訊軟體設備")  # as the seed prints it
    _tsv(ws, CAPITAL_ROWS, 1)


def _budget_header(ws, with_names: bool):
    first = ["科　目", None, None, None] + ([None] if with_names else []) + [
        "本年度\n預算數", "上年度\n預算數", "前年度\n決算數", "本年度與\n上年度比較", "說　明"]
    ws.append(first)
    ws.append(["款", "項", "目", "節"] + (["名稱及編號"] if with_names else []))
    top = ws.max_row - 1
    labels = 5 if with_names else 4
    _merge(ws, top, 1, top, labels)
    for c in range(labels + 1, labels + 6):
        _merge(ws, top, c, top + 1, c)


def agency_sheet(wb):
    ws = wb.create_sheet("機關別")
    _titles(ws, "歲出機關別預算表", "千元", 10, "經資門併計")
    _budget_header(ws, True)
    _tsv(ws, AGENCY_ROWS, 5)


def revenue_sheet(wb):
    ws = wb.create_sheet("歲入來源別")
    _titles(ws, "歲入來源別預算表", "千元", 9)
    _budget_header(ws, False)
    _tsv(ws, REVENUE_ROWS, 4)


def econ_sheet(wb):
    ws = wb.create_sheet("職能及經濟性")
    columns = [("經常支出",) + (c if isinstance(c, tuple) else (c,)) for c in ECON_CURRENT]
    columns += [("資本支出",) + (c if isinstance(c, tuple) else (c,)) for c in ECON_CAPITAL]
    columns.append(("總計",))
    _titles(ws, "歲出按職能及經濟性綜合分類表", "千元", len(columns) + 1)
    top = ws.max_row + 1
    for level in range(3):
        ws.append(["職能別分類　經濟性分類" if level == 0 else None]
                  + [col[level] if len(col) > level else None for col in columns])
    _merge(ws, top, 1, top + 2, 1)
    for c, col in enumerate(columns, start=2):
        if len(col) < 3:
            _merge(ws, top + len(col) - 1, c, top + 2, c)
    for group in ("經常支出", "資本支出"):
        cs = [c for c, col in enumerate(columns, start=2) if col[0] == group]
        _merge(ws, top, cs[0], top, cs[-1])
    figures = [ECON_FIGURES.get(col[1:] if len(col) == 3 else col[-1]) for col in columns]
    ws.append(["總計"] + figures)
    for name in FUNCTIONS:
        ws.append([name] + (figures if name.startswith("01") else [None] * len(columns)))


def _items():
    text = resources.files("xlbudget.data").joinpath("example", "歲出明細.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


OBJECT_NAMES = {"1000": "人事費", "2000": "業務費", "3000": "設備及投資", "4000": "獎補助費"}


def _names():
    text = resources.files("xlbudget.data").joinpath("object-codes.csv").read_text(encoding="utf-8")
    return {r["code"]: r["name"] for r in csv.DictReader(text.splitlines())}


def _note(total: int, matched: int) -> str:
    if matched == 0:
        return f"市款{total:,}元"
    return f"市款{total - matched:,}元，收支併列{matched:,}元"


def detail_sheet(wb, page_rows: int = 22):
    """歲出計畫說明提要與各項費用明細表 in the seed's layout: per plan a heading block, then pages."""
    ws = wb.create_sheet("明細表")
    names = _names()
    plans = defaultdict(list)
    for item in _items():
        plans[item["工作計畫編號"], item["工作計畫名稱"]].append(item)
    totals = {}
    header = ["分支計畫及用途別科目", "單位", "數量", "單價", "預算數", "說　明"]
    for (plan, plan_name), items in plans.items():
        lines = []
        amount = sum(int(i["預算數"]) for i in items)
        matched = sum(int(i["收支併列數"] or 0) for i in items)
        totals[plan] = amount
        lines.append(["合計", None, None, None, amount, _note(amount, matched)])
        by_branch = defaultdict(list)
        for i in items:
            by_branch[i["分支計畫"]].append(i)
        for branch, b_items in by_branch.items():
            b_amount = sum(int(i["預算數"]) for i in b_items)
            lines.append([branch, None, None, None, b_amount,
                          _note(b_amount, sum(int(i["收支併列數"] or 0) for i in b_items))])
            by_l1 = defaultdict(list)
            for i in b_items:
                by_l1[i["用途別科目"][0] + "000"].append(i)
            for l1, l1_items in sorted(by_l1.items()):
                l1_amount = sum(int(i["預算數"]) for i in l1_items)
                lines.append([f"{FW}{l1} {OBJECT_NAMES[l1]}", None, None, None, l1_amount,
                              _note(l1_amount, sum(int(i["收支併列數"] or 0) for i in l1_items))])
                by_code = defaultdict(list)
                for i in l1_items:
                    by_code[i["用途別科目"]].append(i)
                for code, c_items in sorted(by_code.items()):
                    label = f"{FW * 2}{code} {names[code]}"
                    rows = [[None, i["單位"], i["數量"] if not i["數量"].isdigit() else int(i["數量"]),
                             int(i["單價"]), int(i["預算數"]), i["說明"]] for i in c_items]
                    if len(rows) == 1:  # the seed prints a lone item on its 二級 line
                        lines.append([label] + rows[0][1:])
                    else:
                        lines.append([label, None, None, None, sum(int(i["預算數"]) for i in c_items), None])
                        lines += rows
        # heading block, then the table in pages that repeat title and header
        for n in range(0, len(lines), page_rows):
            _titles(ws, "歲出計畫說明提要與各項費用明細表", "元", 6)
            if n == 0:
                ws.append(["業務計畫及工作計畫名稱與編號", f"{plan} {plan_name}", "承辦單位", "某科",
                           "預算金額", f"{round(amount / 1000):,}千元"])
                ws.append(["歲出計畫說明", "一、計畫內容：辦理各項業務。"])
                _merge(ws, ws.max_row, 2, ws.max_row, 6)
            ws.append(header)
            for line in lines[n:n + page_rows]:
                ws.append(line)
            ws.append([])
            ws.append([None, None, None, f"第 {n // page_rows + 1} 頁"])
    return totals


def seed_printed_workbook():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    revenue_sheet(wb)
    agency_sheet(wb)
    totals = detail_sheet(wb)
    summary_sheet(wb)
    level1_sheet(wb)
    capital_sheet(wb)
    econ_sheet(wb)
    return wb, totals


@pytest.fixture
def seed_copy(tmp_path):
    wb, totals = seed_printed_workbook()
    # the seed's plan totals (明細表 合計 rows, 元): the grouping above reproduces them
    assert totals == {"32020180101": 43_769_000, "32020183201": 232_026_000}
    return wb


def cells(findings, severities=(Severity.ERROR, Severity.WARNING)):
    return sorted({(f.cell.sheet, f.cell.cell) for f in findings if f.severity in severities})


def test_every_table_of_the_seed_copy_is_found(seed_copy):
    report = check_workbook(seed_copy, None, "seed.xlsx")
    assert report.kind == "printed"
    assert set(report.tables) == {"歲入來源別預算表", "歲出機關別預算表", "歲出計畫說明提要與各項費用明細表",
                                  "各項費用彙計表", "歲出一級用途別科目分析表", "資本支出分析表",
                                  "歲出按職能及經濟性綜合分類表"}


def test_seed_copy_passes_clean(seed_copy):
    report = check_workbook(seed_copy, None, "seed.xlsx")
    assert [(f.rule, str(f.cell)) for f in report.findings if f.severity != Severity.INFO] == []


def _find(ws, text, column=1):
    for row in ws.iter_rows():
        cell = row[column - 1]
        if isinstance(cell.value, str) and cell.value.replace(FW, "").replace(" ", "").startswith(text):
            return cell.row
    raise KeyError(text)


def test_planted_errors_are_reported_at_exactly_those_cells(seed_copy):
    wb = seed_copy
    planted = []
    # 彙計表: 201800資訊服務費 × 數位發展計畫 printed 92,938 → 92,838 (and typed as text)
    ws = wb["彙計表"]
    r = _find(ws, "201800")
    ws.cell(r, 3).value = "92,838"
    planted.append(("彙計表", f"C{r}"))
    # 明細表: 2003 教育訓練費, 1 × 29,000 printed 29,500
    ws = wb["明細表"]
    r = _find(ws, "2003")
    ws.cell(r, 5).value = 29_500
    planted.append(("明細表", f"E{r}"))
    # 機關別: 32020180101 比較 2,403 → 2,430
    ws = wb["機關別"]
    r = _find(ws, "32020180101", 5)
    ws.cell(r, 9).value = 2_430
    planted.append(("機關別", f"I{r}"))
    # 一級用途別: 行政管理 經常支出 業務費 779 → 797
    ws = wb["一級用途別"]
    r = _find(ws, "32020180101")
    ws.cell(r, 4).value = 797
    planted.append(("一級用途別", f"D{r}"))
    # 資本支出: 合計 row 78,471 → 78,417
    ws = wb["資本支出"]
    r = _find(ws, "合計")
    ws.cell(r, 2).value = "78,417"
    planted.append(("資本支出", f"B{r}"))
    # 歲入來源別: 06 款 前年度決算 38,533 → 38,553
    ws = wb["歲入來源別"]
    r = next(c.row for c in ws["A"] if c.value == "06")
    ws.cell(r, 7).value = 38_553
    report = check_workbook(wb, None, "seed.xlsx")
    planted.append(("歲入來源別", f"G{r}"))
    assert cells(report.findings) == sorted(planted)


def test_planted_error_beyond_rounding_is_an_error_within_it_is_rounding(seed_copy):
    ws = seed_copy["彙計表"]
    r = _find(ws, "203600")  # 按日按件計資酬金 12 + 46 = 58
    ws.cell(r, 4).value = 59  # one 千元 off over two parts: 尾差
    ws.cell(r - 1, 4).value = 150  # 201800? no: the row above, two parts, far off
    report = check_workbook(seed_copy, None, "seed.xlsx")
    rounding = [f for f in report.findings if f.rule == "rounding-difference"]
    assert [(f.cell.cell, f.severity) for f in rounding] == [(f"D{r}", Severity.INFO)]
    assert (f"D{r - 1}") in [f.cell.cell for f in report.findings if f.severity == Severity.ERROR]


def test_uncached_formula_in_a_printed_book_is_unverifiable(seed_copy, tmp_path, capsys):
    ws = seed_copy["資本支出"]
    r = _find(ws, "合計")
    ws.cell(r, 2).value = "=SUM(C8:K8)"
    path = save_atomic(seed_copy, tmp_path / "公式.xlsx")
    assert main(["check", str(path), "--format", "json"]) == 0
    import json
    records = json.loads(capsys.readouterr().out)
    assert [(r["rule"], r["sheet"], r["cell"]) for r in records if r["severity"] != "info"] == [
        ("figure-unverifiable", "資本支出", f"B{r}")]


def test_negative_and_full_width_figures_are_read():
    grid = Grid("表", [
        ["測試機關"], ["歲出機關別預算表"], ["中華民國113年度"], [None, "單位：新臺幣千元"],
        ["科目", None, None, None, None, "本年度預算數", "上年度預算數", "前年度決算數", "本年度與上年度比較"],
        ["款", "項", "目", "節", "名稱及編號"],
        ["02", None, None, None, "32020180101 行政管理", "１，０００", "1,234", None, "△234"],
        ["03", None, None, None, "32020180102 其他", "500", "700", None, "(200)"],
    ])
    (table,) = find_tables([SheetGrid(grid)])
    values = [{k: f.value for k, f in r.figures.items()} for r in table.rows]
    assert values == [
        {"本年度預算數": 1000, "上年度預算數": 1234, "本年度與上年度比較": -234},
        {"本年度預算數": 500, "上年度預算數": 700, "本年度與上年度比較": -200},
    ]


def test_taipei_summary_in_yuan(tmp_path):
    """臺北市政府工務局新建工程處 116年度 各項費用彙計表 (元), first page, from reference-books."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "彙計表"
    ws.append(["臺北市政府工務局新建工程處"])
    ws.append(["各項費用彙計表"])
    ws.append(["中華民國116年度", None, None, None, None, "單位：新臺幣元"])
    ws.append([None, "58071520101", "58071520201", "58071528501", "58071529004", "合　　計"])
    ws.append(["工作計畫名稱及編號", "行政管理", "工程管理", "道路及橋梁工程", "其他設備"])
    ws.append(["第一、二級用途別\n科目名稱及編號"])
    ws.merge_cells("F4:F6")
    rows = [
        ("　　　　　合　　　　計", 684_630_000, 245_180_000, 6_205_980_000, 9_568_000, 7_145_358_000),
        ("100000人事費", 673_926_000, None, None, None, 673_926_000),
        ("　101500法定編制人員待遇", 248_024_640, None, None, None, 248_024_640),
        ("　102000約聘僱人員待遇", 47_324_928, None, None, None, 47_324_928),
        ("　102500技工及工友待遇", 147_936_240, None, None, None, 147_936_240),
        ("　103000獎金", 82_766_640, None, None, None, 82_766_640),
        ("　103500其他給與", 13_413_264, None, None, None, 13_413_264),
        ("　104000加班費", 38_938_668, None, None, None, 38_938_668),
        ("　104500退休退職給付", 9_000_000, None, None, None, 9_000_000),
        ("　105000退休離職儲金", 38_412_816, None, None, None, 38_412_816),
        ("　105500保險", 48_108_804, None, None, None, 48_108_804),
        ("300000設備及投資", None, None, 6_205_980_000, 9_568_000, 6_215_548_000),
        ("　301500公共建設及設施費", None, None, 6_205_980_000, None, 6_205_980_000),
        ("　302000機械設備費", None, None, None, 6_246_000, 6_246_000),
        ("　303000資訊軟硬體設備費", None, None, None, 3_322_000, 3_322_000),
        ("400000獎補助費", None, 140_000, None, None, 140_000),
        ("　404000對國內團體之捐助", None, 140_000, None, None, 140_000),
    ]
    for row in rows:
        ws.append(list(row))
    # the 業務費 block is left out of this page: 合計 row checks would then fail, so check the parts only
    report = check_workbook(wb, None, "taipei.xlsx")
    (table,) = find_tables([SheetGrid(Grid("彙計表", [list(r) for r in ws.iter_rows(values_only=True)]))])
    assert table.unit == "元"
    assert table.columns[1:] == ("58071520101", "58071520201", "58071528501", "58071529004", "合計")
    errors = [(f.rule, f.cell.cell) for f in report.findings if f.severity == Severity.ERROR]
    # only the 合計 row disagrees (業務費 255,744,000 left out): 1 元 off is an error in a 元 table
    assert {c for _, c in errors} <= {"B7", "C7", "F7"}
    assert ("subtotal-mismatch", "F7") in errors
    assert ws["A19"].value.strip() == "301500公共建設及設施費"
    ws["D19"] = 6_205_980_001  # one 元 off in a 元 table: an error, never 尾差
    report = check_workbook(wb, None, "taipei.xlsx")
    found = [(f.rule, f.cell.cell) for f in report.findings]
    # its column's 300000 (D18) and its row's 合計 (F19) both 1 元 off: D19, the figure they share, is named as the
    # one that may be wrong (field report 8 §2.2: sum-crossing-suspect), not those two
    assert ("sum-crossing-suspect", "D19") in found
    assert ("subtotal-mismatch", "D18") not in found and ("subtotal-mismatch", "F19") not in found
    assert not [f for f in report.findings if f.rule == "rounding-difference"]


def test_falsification_on_the_seed_copy():
    """Change a printed figure of the seed copy (a fixed random sample): some error or warning must name it."""
    import random
    from dataclasses import replace

    from xlbudget.core.amounts import parse_int
    from xlbudget.rules.checks import check_printed_sheets
    from xlbudget.adapters.xlsxfile import workbook_sheets

    wb, _ = seed_printed_workbook()
    sheets = workbook_sheets(wb, None, "seed.xlsx")
    targets = []
    for name, sg in sheets.items():
        first_amount = {"機關別": 5, "歲入來源別": 4}.get(name, 1)  # 款/項/目/節 are labels, not figures
        for r, row in enumerate(sg.grid.rows):
            for c, v in enumerate(row[first_amount:], start=first_amount):
                if isinstance(v, int) or (isinstance(v, str) and v.replace(",", "").isdigit() and len(v) < 10):
                    targets.append((name, r, c, parse_int(v)))
    sample = random.Random(4).sample(targets, 150)
    missed = []
    for name, r, c, n in sample:
        sg = sheets[name]
        grid = replace(sg.grid, rows=[list(x) for x in sg.grid.rows])
        grid.rows[r][c] = n + (1000 if abs(n) >= 1000 else 1)
        found = check_printed_sheets({**sheets, name: SheetGrid(grid, sg.merges)}, "seed.xlsx").findings
        ref = grid.ref(r, c)
        if not any(f.cell == ref or ref in f.related for f in found if f.severity != Severity.INFO):
            missed.append(str(ref))
    print(f"\nfalsification (printed seed copy): {len(sample) - len(missed)}/{len(sample)} caught of {len(targets)}")
    assert len(targets) > 400
    assert missed == []


def test_text_and_blank_cells_of_the_seed_copy_change_nothing(seed_copy):
    ws = seed_copy["明細表"]
    for row in ws.iter_rows():
        cell = row[5]
        if row[1].value in ("年", "式", "月", "時", "人") and cell.value:  # an item's 說明
            cell.value = "改寫的說明，含數字 1,234 元"
    seed_copy["彙計表"]["H20"] = 123  # beside the table
    seed_copy["機關別"]["J11"] = "說明改寫"
    report = check_workbook(seed_copy, None, "seed.xlsx")
    assert [f for f in report.findings if f.severity != Severity.INFO] == []


def test_direct_children_are_the_next_level_down_until_a_row_at_the_same_level():
    """The one tree walk of the printed rules (subtotals and the 市款／收支併列 notes), by hand:
    合計 0 → 一級 2 (a loose line above the 分支計畫) → 分支計畫 1, 一級 2, 分支計畫 1 → next 合計 0."""
    from xlbudget.rules.common import direct_children

    levels = [0, 2, 1, 2, 1, 0, 2, 2]
    assert direct_children(levels, 0) == [2, 4]  # the 分支計畫 lines, not the 一級 line above them
    assert direct_children(levels, 2) == [3] and direct_children(levels, 4) == []
    assert direct_children(levels, 5) == [6, 7]  # a skipped level is no gap
    assert direct_children(levels, 7) == []
    # direct: what a 分支計畫 holds itself, whatever the level (一級 lines of its own, then 計畫項目 with theirs)
    assert direct_children([1, 3, 3, 2, 3, 2, 1], 0, direct=True) == [1, 2, 3, 5]


def _serious(wb):
    return [(f.rule, f.cell.cell, f.expected, f.actual) for f in check_workbook(wb, None, "seed.xlsx").findings
            if f.severity in (Severity.ERROR, Severity.WARNING)]


def _line(ws, quantity, price, amount):
    return next(r for r in range(1, ws.max_row + 1)
                if [ws.cell(r, c).value for c in (3, 4, 5)] == [quantity, price, amount])


def test_a_price_slip_on_a_line_its_subtotal_adds_up_names_the_price(seed_copy):
    """Seed 明細表 04資通安全, 2018 資訊服務費 63,790,000: its first line prints 年 1 × 350,000 = 350,000. 單價 typed
    5,000,000 (the line above's figure): that 預算數 is one of the nine lines 63,790,000 adds up, right, so the 單價 is
    named, 應為 350,000 ÷ 1 = 350,000; the 預算數 is not told to be 5,000,000 (field report 13 §F1)."""
    ws = seed_copy["明細表"]
    r = _line(ws, 1, 350_000, 350_000)
    ws.cell(r, 4).value = 5_000_000
    assert _serious(seed_copy) == [("item-factor-mismatch", f"D{r}", 350_000, 5_000_000)]


def test_a_quantity_slip_on_a_line_its_subtotal_adds_up_names_the_quantity(seed_copy):
    """Seed 明細表 01一般行政 2036 按日按件計資酬金: 時 6 × 2,000 = 12,000, added up by 2000 業務費. 數量 typed 7: named,
    應為 12,000 ÷ 2,000 = 6 (12,000 ÷ 7 is no whole 單價); not 預算數 «應為 14,000»."""
    ws = seed_copy["明細表"]
    r = _line(ws, 6, 2_000, 12_000)
    ws.cell(r, 3).value = 7
    assert _serious(seed_copy) == [("item-factor-mismatch", f"C{r}", 6, 7)]


def test_a_factor_slip_either_factor_explains_names_both_without_a_figure(seed_copy):
    """數量 6 typed 60: 12,000 ÷ 2,000 = 6 and 12,000 ÷ 60 = 200 are both whole: which one is wrong is not known, so
    數量 and 單價 are named together, no 應為 picking one (and none on the right 預算數)."""
    ws = seed_copy["明細表"]
    r = _line(ws, 6, 2_000, 12_000)
    ws.cell(r, 3).value = 60
    found = [f for f in check_workbook(seed_copy, None, "seed.xlsx").findings
             if f.severity in (Severity.ERROR, Severity.WARNING)]
    # (數量 and 單價 marked together, the right 預算數 not)
    assert [(f.rule, f.cell.cell, f.expected, [c.cell for c in marked_cells(f)]) for f in found] == [
        ("item-factors-mismatch", f"C{r}", None, [f"C{r}", f"D{r}"])]


def test_a_slipped_amount_its_subtotal_disagrees_with_is_still_named(seed_copy):
    """預算數 12,000 typed 14,000: 2000 業務費 no longer adds up, so the 預算數 is not confirmed: named at its cell,
    應為 6 × 2,000 = 12,000, as before."""
    ws = seed_copy["明細表"]
    r = _line(ws, 6, 2_000, 12_000)
    ws.cell(r, 5).value = 14_000
    assert [f for f in _serious(seed_copy) if f[1] == f"E{r}"][:1] == [("item-product-mismatch", f"E{r}", 12_000, 14_000)]
    assert not [f for f in _serious(seed_copy) if f[0] in ("item-factor-mismatch", "item-factors-mismatch")]


def test_a_second_level_line_whose_item_is_mistyped_is_no_source_for_the_summary(seed_copy):
    """An item's 預算數 typed 1,000 high with its 二級 line raised to match: the item is named (數量 × 單價), and
    the 彙計表, which prints the right figure, is not accused of differing from the 明細表 (rules/detail.detail_totals)."""
    ws = seed_copy["明細表"]
    r = next(c.row for c in ws["A"] if isinstance(c.value, str) and c.value.strip(FW)[:4].isdigit()
             and ws.cell(c.row, 3).value is None and ws.cell(c.row + 1, 1).value is None
             and ws.cell(c.row + 1, 5).value is not None)  # a 二級 line with its items under it
    ws.cell(r, 5).value += 1_000
    ws.cell(r + 1, 5).value += 1_000
    report = check_workbook(seed_copy, None, "seed.xlsx")
    assert ("item-product-mismatch", "明細表", f"E{r + 1}") in [(f.rule, f.cell.sheet, f.cell.cell)
                                                               for f in report.findings]
    assert [(f.rule, f.cell.cell) for f in report.findings if f.cell and f.cell.sheet == "彙計表"] == []
