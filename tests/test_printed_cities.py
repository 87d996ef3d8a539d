"""Hand-made printed books of other cities: 臺中市政府主計處 and 新北市政府主計處 115年度, typed from
../shared/reference-books/taichung-dbas-115.txt and newtaipei-dbas-115.txt with their real figures.

Each table is typed the way an officer would type the printed page into Excel: agency, title, year and
unit lines, merged two-row headers, code and name in one cell (the PDF wraps them over two lines),
full-width-space indentation, '-' for nothing. 臺中 also prints 人事費分析表 per plan and the trip tables;
新北 prints 統籌支撥科目 as a book of its own, with codes that carry a letter (8970a010401).
"""

import openpyxl
import pytest

from test_printed import cells
from printed_forms import capital_header, level1_header, merge, staff_header, trip_header
from test_printed_people import falsify
from xlbudget.app.check import check_workbook
from xlbudget.core.findings import Severity
from xlbudget.readers.printed import find_tables
from xlbudget.adapters.xlsxfile import workbook_sheets

FW = "\u3000"
TAICHUNG, NEW_TAIPEI, POOLED = "臺中市政府主計處", "新北市政府主計處", "統籌支撥科目"
YEAR = "中華民國115年度"


_merge = merge


def _titles(ws, agency, title, unit, ncols, year_line=YEAR):
    ws.append([agency])
    ws.append([title])
    ws.append([year_line] + [None] * (ncols - 2) + [f"單位：新臺幣{unit}"] if unit else [year_line])


def _value(text):
    text = text.strip()
    if not text:
        return None
    if text == "-":
        return "-"
    digits = text.replace(",", "")
    if digits.lstrip("-").isdigit():
        return int(digits) if "," not in text or len(digits) % 2 else text  # some pasted as text
    return text


def _rows(ws, block, labels):
    """Tab-separated lines: ``labels`` text columns, then figures (and a last text column when present);
    ``_`` is a full-width space of indentation, ``¶`` a line break inside a cell (code¶name, as printed)."""
    for line in block.strip("\n").split("\n"):
        parts = line.split("\t")
        parts = [p.replace("¶", "\n") for p in parts]  # ¶: a line break inside the cell
        ws.append([p.replace("_", FW) or None for p in parts[:labels]] + [_value(p) for p in parts[labels:]])


def _budget_header(ws, subtitle=None):
    if subtitle:
        ws.append([subtitle])
    ws.append(["科　　目", None, None, None, None, "本年度\n預算數", "上年度\n預算數", "前年度\n決算數",
               "本年度與\n上年度比較", "說明"])
    ws.append(["款", "項", "目", "節", "名　稱　及　編　號"])
    top = ws.max_row - 1
    _merge(ws, top, 1, top, 5)
    for c in range(6, 11):
        _merge(ws, top, c, top + 1, c)


def revenue_sheet(wb, agency, rows, name):
    ws = wb.create_sheet(name)
    _titles(ws, agency, "歲入來源別預算表", "千元", 10)
    _budget_header(ws)
    _rows(ws, rows, 5)


def agency_sheet(wb, agency, rows, name, banner=None):
    ws = wb.create_sheet(name)
    if banner:
        ws.append([None, None, None, None, banner])
    _titles(ws, agency, "歲出機關別預算表", "千元", 10)
    ws.cell(ws.max_row, 1).value = "經資門併計　" + YEAR  # 新北 prints both on the year line
    _budget_header(ws)
    _rows(ws, rows, 5)


def summary_sheet(wb, agency, plans, pages, name):
    """各項費用彙計表: plan codes on a row above the names (臺中/新北), one block per printed page."""
    ws = wb.create_sheet(name)
    for rows in pages:
        _titles(ws, agency, "各項費用彙計表", "千元", len(plans) + 2)
        ws.append([None] + [code for code, _ in plans])
        ws.append(["工作計畫名稱及編號"] + [n for _, n in plans] + ["合　　計"])
        ws.append(["第一、二級用途別\n科目名稱及編號"])
        _merge(ws, ws.max_row - 1, len(plans) + 2, ws.max_row, len(plans) + 2)
        _rows(ws, rows, 1)
        ws.append([])




def level1_sheet(wb, agency, rows, name):
    ws = wb.create_sheet(name)
    _titles(ws, agency, "歲出一級用途別科目分析表", "千元", 14)
    level1_header(ws, "經　常　支　出", "資　本　支　出")
    _rows(ws, rows, 1)


def capital_sheet(wb, agency, rows, name):
    ws = wb.create_sheet(name)
    _titles(ws, agency, "資本支出分析表", "千元", 12)
    capital_header(ws, "設　備　及　投　資")
    _rows(ws, rows, 1)


def staff_sheet(wb, agency, blocks, name, title="人事費彙計表"):
    """人事費彙計表 / 人事費分析表 (one block per plan, the plan printed on the unit line)."""
    ws = wb.create_sheet(name)
    for plan, rows in blocks:
        _titles(ws, agency, title, "元", 15)
        if plan:
            ws.cell(ws.max_row, 1).value = plan
        staff_header(ws)
        _rows(ws, rows, 1)
        ws.append([])


def contract_sheet(wb, agency, rows, name):
    ws = wb.create_sheet(name)
    _titles(ws, agency, "約聘僱人員費用分析表", "元", 9)
    ws.append(["科　　目", None, None, None, None, "約聘人員", "約僱人員", "全年度預算數", "說　明"])
    ws.append(["款", "項", "目", "節", "名稱及編號", "(人*月)", "(人*月)"])
    top = ws.max_row - 1
    _merge(ws, top, 1, top, 5)
    for c in (8, 9):
        _merge(ws, top, c, top + 1, c)
    _rows(ws, rows, 7)


def staffing_sheet(wb, agency, rows, name):
    ws = wb.create_sheet(name)
    ws.append([agency])
    ws.append(["預算總說明"])
    ws.append([YEAR])
    ws.append(["(附表)"])
    ws.append(["員額編制表"])
    ws.append(["類　　別", "法定編制員額", "本年度預算員額", "上年度預算員額", "與上年度預算\n員額比較增減"])
    _rows(ws, rows, 1)


# ----------------------------------------------------------------- 臺中市政府主計處 115年度

TC_REVENUE = """\t\t\t\t__合　　　計\t74\t42\t62\t32
\t\t\t\t經常門合計\t74\t42\t62\t32
02\t\t\t\t04000000000¶罰款及賠償收入\t-\t-\t2\t-
\t003\t\t\t_04020040000¶_臺中市政府主計處\t-\t-\t2\t-
\t\t01\t\t__04020040300¶__賠償收入\t-\t-\t2\t-
\t\t\t01\t___04020040301¶___一般賠償收入\t-\t-\t2\t-
04\t\t\t\t07000000000¶財產收入\t72\t40\t48\t32
\t003\t\t\t_07020040000¶_臺中市政府主計處\t72\t40\t48\t32
\t\t01\t\t__07020040100¶__財產孳息\t12\t10\t12\t2
\t\t\t01\t___07020040101¶___利息收入\t12\t10\t12\t2\t專戶存款利息收入。12千元
\t\t02\t\t__07020040500¶__廢舊物資售價\t60\t30\t36\t30
\t\t\t01\t___07020040501¶___廢舊物資售價\t60\t30\t36\t30\t廢舊物資出售收入。60千元
08\t\t\t\t12000000000¶其他收入\t2\t2\t12\t-
\t003\t\t\t_12020040000¶_臺中市政府主計處\t2\t2\t12\t-
\t\t01\t\t__12020040200¶__雜項收入\t2\t2\t12\t-
\t\t\t01\t___12020040201¶___收回以前年度歲出\t-\t-\t9\t-
\t\t\t02\t___12020040210¶___其他雜項收入\t2\t2\t3\t-\t發售採購招標文件費收入。2千元"""

TC_AGENCY = """02\t\t\t\t00020000000¶臺中市政府主管\t151,168\t144,786\t130,806\t6,382
\t003\t\t\t_00020040000¶_臺中市政府主計處\t151,168\t144,786\t130,806\t6,382
\t\t01\t\t__32020040100¶__一般行政\t137,984\t131,602\t118,956\t6,382
\t\t\t01\t___32020040101¶___行政管理\t137,984\t131,602\t118,956\t6,382\t一、本科目包括行政管理¶二、本年度預算數包括:人事費121,927千元、業務費14,235千元、設備及投資1,810千元、獎補助費12千元
\t\t\t\t\t\t\t\t\t三、本年度預算數與上年度比較：增加6,382千元
\t\t02\t\t__32020040700¶__歲計會計業務\t5,742\t6,342\t6,069\t-600
\t\t\t01\t___32020040701¶___總預算編審與督導執行\t2,752\t2,952\t2,837\t-200\t一、本科目包括總預算編審與督導執行
\t\t\t02\t___32020040702¶___特種基金預決算編審與督導執行\t1,404\t1,604\t1,297\t-200\t一、本科目包括特種基金預決算編審與督導執行
\t\t\t03\t___32020040703¶___總會計事務處理與總決算核編\t1,586\t1,786\t1,935\t-200\t一、本科目包括總會計事務處理與總決算核編
\t\t03\t\t__32020040800¶__統計業務\t6,942\t6,342\t5,781\t600
\t\t\t01\t___32020040801¶___公務統計\t1,367\t1,367\t1,199\t-\t一、本科目包括公務統計
\t\t\t02\t___32020040802¶___經濟統計\t5,575\t4,975\t4,582\t600\t一、本科目包括經濟統計
\t\t04\t\t__32020049800¶__第一預備金\t500\t500\t-\t-
\t\t\t01\t___32020049801¶___第一預備金\t500\t500\t-\t-\t一、本科目包括第一預備金"""

TC_PLANS = [("32020040101", "行政管理"), ("32020040701", "總預算編審與督導執行"),
            ("32020040702", "特種基金預決算編審與督導執行"), ("32020040703", "總會計事務處理與總決算核編"),
            ("32020040801", "公務統計"), ("32020040802", "經濟統計"), ("32020049801", "第一預備金")]
TC_SUMMARY_1 = """____合　　　　計\t137,984\t2,752\t1,404\t1,586\t1,367\t5,575\t500\t151,168
100000人事費\t121,927\t950\t550\t420\t378\t400\t\t124,625
_101500法定編制人員待遇\t76,622\t\t\t\t\t\t\t76,622
_102000約聘僱人員待遇\t5,141\t\t\t\t\t\t\t5,141
_102500技工及工友待遇\t471\t\t\t\t\t\t\t471
_103000獎金\t16,704\t\t\t\t\t\t\t16,704
_103500其他給與\t1,600\t\t\t\t\t\t\t1,600
_104000加班費\t5,198\t950\t550\t420\t378\t400\t\t7,896
_105000退休離職儲金\t8,897\t\t\t\t\t\t\t8,897
_105500保險\t7,294\t\t\t\t\t\t\t7,294
200000業務費\t14,235\t1,802\t854\t1,166\t989\t5,175\t\t24,221
_200300教育訓練費\t88\t\t\t\t\t\t\t88
_200900通訊費\t570\t10\t15\t5\t20\t110\t\t730
_201800資訊服務費\t250\t285\t95\t286\t100\t17\t\t1,033
_202100其他業務租金\t57\t\t\t\t\t\t\t57
_202400稅捐及規費\t42\t\t\t\t\t\t\t42
_202700保險費\t8\t\t\t\t\t\t\t8
_203300約用人員酬金\t7,965\t\t\t\t\t\t\t7,965
_203600按日按件計資酬金\t63\t20\t15\t50\t79\t3,473\t\t3,700
_205100物品\t1,027\t450\t149\t60\t96\t146\t\t1,929
_205400一般事務費\t1,952\t912\t487\t695\t669\t1,381\t\t6,096
_206300房屋建築養護費\t127\t\t\t\t\t\t\t127
_206600車輛及辦公器具養護費\t91\t\t18\t\t\t9\t\t118
_206900設施及機械設備養護費\t434\t\t\t\t\t\t\t434
_207200國內旅費\t174\t50\t30\t50\t20\t38\t\t362
_207800國外旅費\t500\t\t\t\t\t\t\t500
_208100運費\t177\t75\t45\t20\t5\t\t\t322
_209300特別費\t710\t\t\t\t\t\t\t710
300000設備及投資\t1,810\t\t\t\t\t\t\t1,810
_302500運輸設備費\t910\t\t\t\t\t\t\t910
_303000資訊軟硬體設備費\t450\t\t\t\t\t\t\t450
_303500雜項設備費\t450\t\t\t\t\t\t\t450
400000獎補助費\t12\t\t\t\t\t\t\t12"""
TC_SUMMARY_2 = """_408500獎勵及慰問\t12\t\t\t\t\t\t\t12
600000預備金\t\t\t\t\t\t\t500\t500
_600500第一預備金\t\t\t\t\t\t\t500\t500"""

TC_LEVEL1 = """合　　計\t151,168\t124,625\t24,221\t12\t\t500\t149,358\t\t\t1,810\t\t\t1,810
32020040000 行政支出\t151,168\t124,625\t24,221\t12\t\t500\t149,358\t\t\t1,810\t\t\t1,810
_32020040100 一般行政\t137,984\t121,927\t14,235\t12\t\t\t136,174\t\t\t1,810\t\t\t1,810
__32020040101 行政管理\t137,984\t121,927\t14,235\t12\t\t\t136,174\t\t\t1,810\t\t\t1,810
_32020040700 歲計會計業務\t5,742\t1,920\t3,822\t\t\t\t5,742
__32020040701 總預算編審與督導執行\t2,752\t950\t1,802\t\t\t\t2,752
__32020040702 特種基金預決算編審與督導執行\t1,404\t550\t854\t\t\t\t1,404
__32020040703 總會計事務處理與總決算核編\t1,586\t420\t1,166\t\t\t\t1,586
_32020040800 統計業務\t6,942\t778\t6,164\t\t\t\t6,942
__32020040801 公務統計\t1,367\t378\t989\t\t\t\t1,367
__32020040802 經濟統計\t5,575\t400\t5,175\t\t\t\t5,575
_32020049800 第一預備金\t500\t\t\t\t\t500\t500
__32020049801 第一預備金\t500\t\t\t\t\t500\t500"""

TC_CAPITAL = """合　　計\t1,810\t\t\t\t\t910\t450\t450
32020040100 一般行政\t1,810\t\t\t\t\t910\t450\t450
_32020040101 行政管理\t1,810\t\t\t\t\t910\t450\t450"""

# 類別, 預算員額, 民意代表 … 保險 (11), 合計, 備註
TC_STAFF = """合計\t100\t\t\t76,622,040\t5,141,136\t471,240\t16,703,742\t1,600,000\t7,896,464\t\t8,896,740\t7,293,638\t124,625,000
正式員額\t88\t\t\t76,622,040\t\t\t15,962,925\t1,408,000\t4,257,104\t\t8,564,100\t6,458,988\t113,273,157
_職員\t88\t\t\t76,622,040\t\t\t15,962,925\t1,408,000\t4,257,104\t\t8,564,100\t6,458,988\t113,273,157
約聘僱人員\t11\t\t\t\t5,141,136\t\t642,642\t176,000\t285,120\t\t332,640\t763,884\t7,341,422
駕駛\t1\t\t\t\t\t471,240\t98,175\t16,000\t26,240\t\t\t70,188\t681,843
其他人事費\t\t\t\t\t\t\t\t\t3,328,000\t\t\t578\t3,328,578"""
TC_ANALYSIS_MAIN = """合計\t100\t\t\t76,622,040\t5,141,136\t471,240\t16,703,742\t1,600,000\t5,198,464\t\t8,896,740\t7,293,638\t121,927,000
正式員額\t88\t\t\t76,622,040\t\t\t15,962,925\t1,408,000\t4,257,104\t\t8,564,100\t6,458,988\t113,273,157
_職員\t88\t\t\t76,622,040\t\t\t15,962,925\t1,408,000\t4,257,104\t\t8,564,100\t6,458,988\t113,273,157
約聘僱人員\t11\t\t\t\t5,141,136\t\t642,642\t176,000\t285,120\t\t332,640\t763,884\t7,341,422
駕駛\t1\t\t\t\t\t471,240\t98,175\t16,000\t26,240\t\t\t70,188\t681,843
其他人事費\t\t\t\t\t\t\t\t\t630,000\t\t\t578\t630,578"""


def _overtime_only(amount):
    line = "\t\t\t\t\t\t\t\t\t{0}\t\t\t\t{0}".format(f"{amount:,}")
    return f"合計{line}\n其他人事費{line}"


TC_ANALYSIS = [("0132010100-行政支出-一般行政-行政管理", TC_ANALYSIS_MAIN),
               ("0132070100-行政支出-歲計會計業務-總預算編審與督導執行", _overtime_only(950_000)),
               ("0132070200-行政支出-歲計會計業務-特種基金預決算編審與督導執行", _overtime_only(550_000)),
               ("0132070300-行政支出-歲計會計業務-總會計事務處理與總決算核編", _overtime_only(420_000)),
               ("0132080100-行政支出-統計業務-公務統計", _overtime_only(378_000)),
               ("0132080200-行政支出-統計業務-經濟統計", _overtime_only(400_000))]

TC_CONTRACT = """\t\t\t\t合　計\t\t\t7,341,422\t包括約聘僱人員待遇5,141,136元、年終工作獎金642,642元、未休假加班費285,120元、保險費763,884元、離職儲金332,640元及休假補助176,000元。
02\t\t\t\t00020000000¶臺中市政府主管\t\t\t7,341,422
\t003\t\t\t_00020040000¶_臺中市政府主計處\t\t\t7,341,422
\t\t01\t\t__32020040100¶__一般行政\t\t\t7,341,422
\t\t\t01\t___32020040101¶___行政管理\t\t\t7,341,422
\t\t\t\t\t\t11x12\t7,341,422"""

TC_STAFFING = """合計\t89\t89\t90\t-1
職員\t88\t88\t88\t-
駕駛\t1\t1\t2\t-1"""

TC_TRIPS_SUMMARY = """考　察\t1\t5人x5天\t500\t1\t5人x5天\t500
訪　問
開　會
進　修
研　究
實　習
合　計\t1\t5人x5天\t500\t1\t5人x5天\t500"""

TC_TRIP = ("配合各機關團體臨時邀請出國處理一般公務或特定工作計畫", "歐洲地區、美洲地區及亞太地區", "政府機關及民間單位團體",
           "配合各機關團體臨時邀請出國處理一般公務或特定工作計畫所需出國之差旅費。", "1150101-1151231", 5, 5,
           190, 235, 75, 500, "一般行政-行政管理", "無", None)


def trip_sheets(wb, agency):
    ws = wb.create_sheet("出國總表")
    _titles(ws, agency, "派員出國計畫預算總表", "千元", 7)
    ws.append(["類別", "本年度計畫項數", "本年度預計人天", "本年度預算數", "上年度計畫項數", "上年度核定人天",
               "上年度預算數"])
    for line in TC_TRIPS_SUMMARY.split("\n"):
        parts = line.split("\t")
        ws.append([parts[0]] + [_value(p) for p in parts[1:]])
    ws = wb.create_sheet("出國類別")
    ws.append([agency])
    ws.append(["派員出國計畫預算類別表", None, None, None, None, None, None, None, None, None, "-　考察、訪問"])
    ws.append([None] * 13 + ["單位：新臺幣千元"])
    ws.append([YEAR])
    trip_header(ws)
    ws.append(["一、考察"])
    ws.append(list(TC_TRIP))


def taichung_workbook():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    staffing_sheet(wb, TAICHUNG, TC_STAFFING, "員額")
    revenue_sheet(wb, TAICHUNG, TC_REVENUE, "歲入來源別")
    agency_sheet(wb, TAICHUNG, TC_AGENCY, "機關別")
    summary_sheet(wb, TAICHUNG, TC_PLANS, [TC_SUMMARY_1, TC_SUMMARY_2], "彙計表")
    level1_sheet(wb, TAICHUNG, TC_LEVEL1, "一級用途別")
    capital_sheet(wb, TAICHUNG, TC_CAPITAL, "資本支出")
    staff_sheet(wb, TAICHUNG, [(None, TC_STAFF)], "人事費")
    staff_sheet(wb, TAICHUNG, TC_ANALYSIS, "人事費分析", "人　事　費　分　析　表")
    contract_sheet(wb, TAICHUNG, TC_CONTRACT, "約聘僱")
    trip_sheets(wb, TAICHUNG)
    return wb


# ----------------------------------------------------------------- 新北市政府主計處 115年度 (第2-3冊)

NT_STAFFING = """民意代表\t0\t0\t0\t0
職員\t93\t79\t79\t0
警員\t0\t0\t0\t0
消防人員\t0\t0\t0\t0
技工\t2\t0\t0\t0
駕駛\t1\t0\t0\t0
工友\t4\t1\t1\t0"""

NT_REVENUE = """\t\t\t\t__合　　　計\t30\t-\t228\t30
\t\t\t\t經常門合計\t30\t-\t228\t30
05\t\t\t\t07000000000¶財產收入\t-\t-\t6\t-
\t004\t\t\t_07028300000¶_新北市政府主計處\t-\t-\t6\t-
\t\t01\t\t__07028300500¶__廢舊物資售價\t-\t-\t6\t-
\t\t\t01\t___07028300501¶___廢舊物資售價\t-\t-\t6\t-
09\t\t\t\t12000000000¶其他收入\t30\t-\t222\t30
\t004\t\t\t_12028300000¶_新北市政府主計處\t30\t-\t222\t30
\t\t01\t\t__12028300200¶__雜項收入\t30\t-\t222\t30
\t\t\t01\t___12028300210¶___其他雜項收入\t30\t-\t222\t30\t一、詳2-3冊第10頁。¶二、本年度預算數較上年度預算數增加30千元係新增代訓採購專業人訓練收入30千元。"""

NT_AGENCY = """02\t\t\t\t00020000000¶新北市政府主管\t110,222\t109,237\t102,358\t985
\t003\t\t\t_00028300000¶_新北市政府主計處\t110,222\t109,237\t102,358\t985
\t\t01\t\t__32028300100¶__一般行政\t95,442\t95,434\t89,856\t8
\t\t\t01\t___32028300101¶___一般行政\t95,442\t95,434\t89,856\t8\t830-新北市政府主計處¶1.本年度預算數較上年度預算數增加8千元。
\t\t02\t\t__32028300300¶__主計業務\t13,810\t13,603\t12,502\t207
\t\t\t01\t___32028300301¶___主計業務\t13,810\t13,603\t12,502\t207\t830-新北市政府主計處¶1.本年度預算數較上年度預算數淨增207千元。
\t\t\t\t\t\t\t\t\t830-新北市政府主計處¶3.資本門部分(詳2-3冊第17頁)，係主計設備減少198千元。
\t\t03\t\t__32028309000¶__一般建築及設備\t770\t-\t-\t770
\t\t\t01\t___32028309001¶___一般建築及設備\t770\t-\t-\t770\t830-新北市政府主計處¶1.本年度預算數較上年度預算數增加770千元。
\t\t04\t\t__32028309800¶__第一預備金\t200\t200\t-\t-
\t\t\t01\t___32028309801¶___第一預備金\t200\t200\t-\t-\t830-新北市政府主計處¶1.本年度預算數與上年度預算數同。"""

NT_PLANS = [("32028300101", "一般行政"), ("32028300301", "主計業務"), ("32028309001", "一般建築及設備"),
            ("32028309801", "第一預備金")]
NT_SUMMARY = """____合　　　　計\t95,442\t13,810\t770\t200\t110,222
100000人事費\t93,841\t\t\t\t93,841
_101500法定編制人員待遇\t62,280\t\t\t\t62,280
_102000約聘僱人員待遇\t4,574\t\t\t\t4,574
_102500技工及工友待遇\t438\t\t\t\t438
_103000獎金\t12,715\t\t\t\t12,715
_103500其他給與\t1,320\t\t\t\t1,320
_104000加班費\t5,425\t\t\t\t5,425
_105000退休離職儲金\t901\t\t\t\t901
_105500保險\t6,188\t\t\t\t6,188
200000業務費\t1,583\t13,710\t\t\t15,293
_200300教育訓練費\t\t750\t\t\t750
_200900通訊費\t100\t218\t\t\t318
_201800資訊服務費\t\t883\t\t\t883
_202100其他業務租金\t\t276\t\t\t276
_202400稅捐及規費\t\t48\t\t\t48
_202700保險費\t\t8\t\t\t8
_203300約用人員酬金\t\t2,295\t\t\t2,295
_205100物品\t53\t855\t\t\t908
_205400一般事務費\t486\t7,981\t\t\t8,467
_206600車輛及辦公器具養護費\t\t190\t\t\t190
_207200國內旅費\t\t205\t\t\t205
_209300特別費\t944\t\t\t\t944
300000設備及投資\t\t100\t770\t\t870
_302500運輸設備費\t\t\t770\t\t770
_303500雜項設備費\t\t100\t\t\t100
400000獎補助費\t18\t\t\t\t18
_408500獎勵及慰問\t18\t\t\t\t18
600000預備金\t\t\t\t200\t200
_600500第一預備金\t\t\t\t200\t200"""

NT_LEVEL1 = """合　　計\t110,222\t93,841\t15,293\t18\t\t200\t109,352\t\t\t870\t\t\t870
32028300000 行政支出\t110,222\t93,841\t15,293\t18\t\t200\t109,352\t\t\t870\t\t\t870
_32028300100 一般行政\t95,442\t93,841\t1,583\t18\t\t\t95,442
__32028300101 一般行政\t95,442\t93,841\t1,583\t18\t\t\t95,442
_32028300300 主計業務\t13,810\t\t13,710\t\t\t\t13,710\t\t\t100\t\t\t100
__32028300301 主計業務\t13,810\t\t13,710\t\t\t\t13,710\t\t\t100\t\t\t100
_32028309000 一般建築及設備\t770\t\t\t\t\t\t\t\t\t770\t\t\t770
__32028309001 一般建築及設備\t770\t\t\t\t\t\t\t\t\t770\t\t\t770
_32028309800 第一預備金\t200\t\t\t\t\t200\t200
__32028309801 第一預備金\t200\t\t\t\t\t200\t200"""

NT_CAPITAL = """合　　計\t870\t\t\t\t\t770\t\t100
32028300300 主計業務\t100\t\t\t\t\t\t\t100
_32028300301 主計業務\t100\t\t\t\t\t\t\t100
32028309000 一般建築及設備\t770\t\t\t\t\t770
_32028309001 一般建築及設備\t770\t\t\t\t\t770"""

NT_STAFF = """合計\t90\t\t\t62,280,000\t4,573,608\t438,120\t12,715,486\t1,320,270\t5,425,080\t\t900,552\t6,187,884\t93,841,000
正式員額\t79\t\t\t62,280,000\t\t\t12,016,000\t1,144,270\t1,500,000\t\t622,800\t5,478,144\t83,041,214
_職員\t79\t\t\t62,280,000\t\t\t12,016,000\t1,144,270\t1,500,000\t\t622,800\t5,478,144\t83,041,214
約聘僱人員\t10\t\t\t\t4,573,608\t\t571,701\t160,000\t110,000\t\t277,752\t645,480\t6,338,541
工友\t1\t\t\t\t\t438,120\t127,785\t16,000\t22,080\t\t\t64,260\t668,245
其他人事費\t\t\t\t\t\t\t\t\t3,793,000\t\t\t\t3,793,000"""

NT_CONTRACT = """\t\t\t\t合　計\t\t\t6,338,541\t包括約聘僱人員待遇4,573,608元、年終工作獎金571,701元、未休假加班費110,000元、保險費645,480元、離職儲金277,752元及休假補助160,000元。
02\t\t\t\t00020000000¶新北市政府主管\t\t\t6,338,541
\t003\t\t\t_00028300000¶_新北市政府主計處\t\t\t6,338,541
\t\t01\t\t__32028300100¶__一般行政\t\t\t6,338,541
\t\t\t01\t___32028300101¶___一般行政\t\t\t6,338,541
\t\t\t\t\t\t8x12\t5,177,448\t五等約僱人員(人員維持費)
\t\t\t\t\t\t2x12\t1,161,093\t四等約僱人員(人員維持費)"""

# 統籌支撥科目 (新北市 第2-3冊, pages 41-42 and 57): codes with a letter in the 機關別預算表
NT_POOLED_AGENCY = """26\t\t\t\t00700000000¶統籌支撥科目\t8,873,624\t8,702,844\t6,784,014\t170,780
\t001\t\t\t_0070a010000¶_對鄉（鎮、市、直轄市山地原住民區）之各項補助\t294,323\t240,301\t232,728\t54,022
\t\t01\t\t__8970a010400¶__對鄉（鎮、市、直轄市山地原住民區）之各項補助\t294,323\t240,301\t232,728\t54,022
\t\t\t01\t___8970a010401¶___對鄉（鎮、市、直轄市山地原住民區）之各項補助\t294,323\t240,301\t232,728\t54,022\t1.本年度預算數與上年度預算數增加54,022千元。
\t002\t\t\t_0070a020000¶_公務人員退休及撫卹給付\t4,590,831\t4,604,001\t3,902,711\t-13,170
\t\t01\t\t__7670a020100¶__公務人員退休及撫卹給付\t4,590,831\t4,604,001\t3,902,711\t-13,170
\t\t\t01\t___7670a020101¶___公務人員退休及撫卹給付\t4,590,831\t4,604,001\t3,902,711\t-13,170\t1.本年度預算數較上年度預算數淨減13,170千元。
\t003\t\t\t_0070a030000¶_公務人員各項補助及慰問金\t270,845\t294,445\t229,770\t-23,600
\t\t01\t\t__7670a030200¶__公務人員執行職務意外傷亡慰問金\t12,000\t12,000\t249\t-
\t\t\t01\t___7670a030201¶___公務人員執行職務意外傷亡慰問金\t12,000\t12,000\t249\t-\t1.本年度預算數與上年度預算數同。
\t\t02\t\t__8970a030100¶__公務人員各項補助\t258,845\t282,445\t229,521\t-23,600
\t\t\t01\t___8970a030101¶___公務人員各項補助\t258,845\t282,445\t229,521\t-23,600\t1.本年度預算數較上年度預算數淨減23,600千元。
\t004\t\t\t_0070a040000¶_災害準備金\t2,700,000\t2,440,000\t2,418,805\t260,000
\t\t01\t\t__8970a040200¶__災害準備金\t2,700,000\t2,440,000\t2,418,805\t260,000
\t\t\t01\t___8970a040201¶___災害準備金\t2,700,000\t2,440,000\t2,418,805\t260,000\t1.1.本年度預算數較上年度預算數增加260,000千元。
\t005\t\t\t_0070a050000¶_各類員工待遇準備\t1,017,625\t1,124,097\t-\t-106,472
\t\t01\t\t__8970a050300¶__各類員工待遇準備\t1,017,625\t1,124,097\t-\t-106,472
\t\t\t01\t___8970a050301¶___各類員工待遇準備\t1,017,625\t1,124,097\t-\t-106,472\t1.本年度預算數較上年度預算數減少106,472千元。"""

NT_POOLED_LEVEL1 = """合　　計\t8,873,624\t4,891,137\t5,000\t1,209,387\t\t840,000\t6,945,524\t\t\t\t68,100\t1,860,000\t1,928,100
76700000000 退休撫卹給付支出\t4,602,831\t3,620,667\t\t982,164\t\t\t4,602,831
_76700000100 公務人員退休及撫卹給付\t4,590,831\t3,608,667\t\t982,164\t\t\t4,590,831
__76700000101 公務人員退休及撫卹給付\t4,590,831\t3,608,667\t\t982,164\t\t\t4,590,831
_76700000200 公務人員執行職務意外傷亡慰問金\t12,000\t12,000\t\t\t\t\t12,000
__76700000201 公務人員執行職務意外傷亡慰問金\t12,000\t12,000\t\t\t\t\t12,000
89700000000 其他支出\t4,270,793\t1,270,470\t5,000\t227,223\t\t840,000\t2,342,693\t\t\t\t68,100\t1,860,000\t1,928,100
_89700000100 公務人員各項補助\t258,845\t252,845\t5,000\t1,000\t\t\t258,845
__89700000101 公務人員各項補助\t258,845\t252,845\t5,000\t1,000\t\t\t258,845
_89700000200 災害準備金\t2,700,000\t\t\t\t\t840,000\t840,000\t\t\t\t\t1,860,000\t1,860,000
__89700000201 災害準備金\t2,700,000\t\t\t\t\t840,000\t840,000\t\t\t\t\t1,860,000\t1,860,000
_89700000300 各類員工待遇準備\t1,017,625\t1,017,625\t\t\t\t\t1,017,625
__89700000301 各類員工待遇準備\t1,017,625\t1,017,625\t\t\t\t\t1,017,625
_89700000400 對鄉（鎮、市、直轄市山地原住民區）之各項補助\t294,323\t\t\t226,223\t\t\t226,223\t\t\t\t68,100\t\t68,100
__89700000401 對鄉（鎮、市、直轄市山地原住民區）之各項補助\t294,323\t\t\t226,223\t\t\t226,223\t\t\t\t68,100\t\t68,100"""


def new_taipei_workbook():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    staffing_sheet(wb, NEW_TAIPEI, NT_STAFFING, "員額")
    revenue_sheet(wb, NEW_TAIPEI, NT_REVENUE, "歲入來源別")
    agency_sheet(wb, NEW_TAIPEI, NT_AGENCY, "機關別")
    summary_sheet(wb, NEW_TAIPEI, NT_PLANS, [NT_SUMMARY], "彙計表")
    level1_sheet(wb, NEW_TAIPEI, NT_LEVEL1, "一級用途別")
    capital_sheet(wb, NEW_TAIPEI, NT_CAPITAL, "資本支出")
    staff_sheet(wb, NEW_TAIPEI, [(None, NT_STAFF)], "人事費")
    contract_sheet(wb, NEW_TAIPEI, NT_CONTRACT, "約聘僱")
    return wb


def pooled_workbook():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    agency_sheet(wb, NEW_TAIPEI, NT_POOLED_AGENCY, "機關別", banner=POOLED)
    level1_sheet(wb, POOLED, NT_POOLED_LEVEL1, "一級用途別")
    return wb


BOOKS = {"臺中": taichung_workbook, "新北": new_taipei_workbook, "統籌支撥科目": pooled_workbook}
TAICHUNG_TABLES = {"員額編制表", "歲入來源別預算表", "歲出機關別預算表", "各項費用彙計表", "歲出一級用途別科目分析表",
                   "資本支出分析表", "人事費彙計表", "人事費分析表", "約聘僱人員費用分析表", "派員出國計畫預算總表",
                   "派員出國計畫預算類別表"}


@pytest.mark.parametrize("city", BOOKS)
def test_city_copy_passes_clean(city):
    report = check_workbook(BOOKS[city](), None, f"{city}.xlsx")
    expected = {"臺中": TAICHUNG_TABLES, "新北": TAICHUNG_TABLES - {"人事費分析表", "派員出國計畫預算總表",
                                                                 "派員出國計畫預算類別表"},
                "統籌支撥科目": {"歲出機關別預算表", "歲出一級用途別科目分析表"}}[city]
    assert set(report.tables) == expected
    assert [(f.rule, str(f.cell)) for f in report.findings if f.severity != Severity.INFO] == []


# 第二預備金 (新北市 第2-3冊, pages 43, 56 and 58): a plan code with a letter heads a 彙計表 column
NT_RESERVE_AGENCY = """27\t\t\t\t00800000000¶第二預備金\t400,000\t400,000\t-\t-
\t001\t\t\t_0080c010000¶_第二預備金\t400,000\t400,000\t-\t-
\t\t01\t\t__9080c010100¶__第二預備金\t400,000\t400,000\t-\t-
\t\t\t01\t___9080c010101¶___第二預備金\t400,000\t400,000\t-\t-\t1.本年度預算數與上年度預算數同。"""
NT_RESERVE_SUMMARY = """____合　　　　計\t400,000\t400,000
600000預備金\t400,000\t400,000
_601000第二預備金\t400,000\t400,000"""
NT_RESERVE_LEVEL1 = """合　　計\t400,000\t\t\t\t\t400,000\t400,000
9080c010000 第二預備金\t400,000\t\t\t\t\t400,000\t400,000
_9080c010100 第二預備金\t400,000\t\t\t\t\t400,000\t400,000
__9080c010101 第二預備金\t400,000\t\t\t\t\t400,000\t400,000"""


def reserve_workbook():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    agency_sheet(wb, NEW_TAIPEI, NT_RESERVE_AGENCY, "機關別", banner="第二預備金")
    summary_sheet(wb, "第二預備金", [("9080c010101", "第二預備金")], [NT_RESERVE_SUMMARY], "彙計表")
    level1_sheet(wb, "第二預備金", NT_RESERVE_LEVEL1, "一級用途別")
    return wb


def test_a_plan_code_with_a_letter_is_a_plan_column():
    wb = reserve_workbook()
    tables = {t.title: t for t in find_tables(workbook_sheets(wb, None, "x.xlsx").values())}
    assert tables["各項費用彙計表"].columns[1:] == ("9080c010101", "合計")
    assert [r.code for r in tables["歲出一級用途別科目分析表"].rows][1:] == ["9080c010000", "9080c010100",
                                                                            "9080c010101"]
    report = check_workbook(wb, None, "x.xlsx")
    assert [(f.rule, str(f.cell)) for f in report.findings if f.severity != Severity.INFO] == []
    # the 機關別 plan line against the 彙計表 column of the same (lettered) code
    ws = wb["機關別"]
    r = next(c.row for c in ws["E"] if c.value and "9080c010101" in c.value)
    ws.cell(r, 6).value = 400_001
    ws.cell(r, 9).value = 1  # 比較 kept consistent: only the cross-table identities can see it
    ws.cell(r - 1, 6).value, ws.cell(r - 1, 9).value = 400_001, 1
    ws.cell(r - 2, 6).value, ws.cell(r - 2, 9).value = 400_001, 1
    ws.cell(r - 3, 6).value, ws.cell(r - 3, 9).value = 400_001, 1
    report = check_workbook(wb, None, "x.xlsx")
    assert ("cross-table-mismatch", "機關別", f"F{r}") in {(f.rule, f.cell.sheet, f.cell.cell)
                                                          for f in report.findings}


@pytest.mark.parametrize("typed, rule, cell, expected", [
    ("320283003010", "summary-plan-code-unreadable", "C4", "32028300301"),  # a digit too many
    ("3202830031", "summary-plan-code-unreadable", "C4", "32028300301"),  # a digit left out
    # a digit changed: a plan code still, no other table's (red without summary._mistyped_codes: nothing said, and
    # 主計業務 held to no 一級用途別 line)
    ("32028300302", "summary-plan-code-mismatch", "C4", "32028300301"),
    (None, "summary-column-unplaced", "C5", None)])  # the code left out: the column's heading is its name alone
def test_a_slip_in_a_summary_plan_code_is_named_at_its_heading(typed, rule, cell, expected):
    """新北 彙計表 prints 32028300301 over 主計業務 (C4, reference book 02830-19; 一級用途別 and 機關別 print
    「32028300301主計業務」). Mistyped, the column was left out of every 合計欄 = Σ plans: 15 subtotal-mismatch on
    right 合計 cells (F7 應為 96,412 = 110,222 − 13,810), summary-plan-missing on 一級用途別's right A11, and C4 never
    named (field report 13 F11). Now the heading is named, with the code the other tables print for 主計業務 as
    應為, and the column, whose figures the 合計 agrees with, is in the 合計 (F7 110,222 = 95,442 + 13,810 + 770 +
    200): nothing on a right cell."""
    wb = new_taipei_workbook()
    ws = wb["彙計表"]
    assert (ws["C4"].value, ws["C5"].value) == ("32028300301", "主計業務")
    ws["C4"].value = typed
    report = check_workbook(wb, None, "新北.xlsx")
    assert [(f.rule, str(f.cell), f.expected) for f in report.findings if f.severity != Severity.INFO] == [
        (rule, f"新北.xlsx:彙計表!{cell}", expected)]


@pytest.mark.parametrize("blank, expected", [
    (("F5",), [("column-unheaded", "彙計表!F5")]),  # 合　　計
    (("C4", "C5"), [("column-unheaded", "彙計表!C5"), ("summary-plan-missing", "一級用途別!A11")])])  # 主計業務
def test_a_summary_column_under_a_blank_heading_is_named(blank, expected):
    """新北 彙計表 with the 合計 heading F5 deleted: the 合計 column (F7 110,222) was not read, nothing said, exit 0;
    with 主計業務's heading (C4 code, C5 name) deleted, its column (C7 13,810) was dropped and 15 right 合計 cells
    were blamed with 應為 the sum without it (F7 應為 96,412). Now the column is named at its blank heading, and
    the 合計 adds it (F7 110,222 = 95,442 + 13,810 + 770 + 200); 一級用途別 says its plan has no 彙計表 column."""
    wb = new_taipei_workbook()
    ws = wb["彙計表"]
    for cell in blank:
        ws[cell].value = None
    report = check_workbook(wb, None, "新北.xlsx")
    assert sorted((f.rule, str(f.cell).split(":")[1]) for f in report.findings if f.severity != Severity.INFO) \
        == sorted(expected)


def _row(ws, text, column=1):
    for row in ws.iter_rows():
        v = row[column - 1].value
        if isinstance(v, str) and v.replace(FW, "").replace(" ", "").startswith(text):
            return row[0].row
    raise KeyError(text)


def test_planted_errors_in_the_taichung_copy():
    wb = taichung_workbook()
    planted = []
    ws = wb["人事費分析"]  # 經濟統計's 人事費分析表: 加班費 400,000 → 401,000 in both rows (the block adds up)
    r = next(c.row for c in ws["A"] if c.value and "經濟統計" in str(c.value)) + 3
    assert ws.cell(r, 1).value == "合計"
    ws.cell(r, 10).value = ws.cell(r, 14).value = ws.cell(r + 1, 10).value = ws.cell(r + 1, 14).value = 401_000
    summary = wb["彙計表"]
    planted += [("彙計表", f"G{_row(summary, '104000')}"), ("彙計表", f"G{_row(summary, '100000')}")]
    ws = wb["員額"]
    r = _row(ws, "合計")
    ws.cell(r, 2).value = 90  # 法定編制員額 合計 ≠ 88 + 1
    planted.append(("員額", f"B{r}"))
    ws = wb["出國總表"]
    r = _row(ws, "考察")
    ws.cell(r, 4).value = 600  # and the 合計 row: both ≠ the 類別表's 500
    ws.cell(r + 6, 4).value = 600
    planted.append(("出國總表", f"D{r}"))
    ws = wb["歲入來源別"]
    r = _row(ws, "經常門合計", 5)
    ws.cell(r, 8).value = 63  # 前年度決算 經常門合計 ≠ 合計 62
    planted.append(("歲入來源別", f"H{r - 1}"))
    report = check_workbook(wb, None, "taichung.xlsx")
    assert cells(report.findings) == sorted(planted)


# figures no finding names when changed by one: 法定編制員額 where no 合計 row is printed (新北), and one 彙計表 part
# whose +1 makes its row 尾差 and its column exact (臺中's 預計天數 / 擬派人數 are named since the 總表's 人天 「5人x5天」
# is read: field report 10 §3.7)
UNNAMED = {"臺中": {"彙計表!G26"}, "新北": {f"員額!B{r}" for r in range(7, 14)}}


def test_falsification_of_the_city_copies():
    """Every figure of the 臺中 and 新北 copies changed by one (a thousand when ≥ 1,000): the share named.

    In a 千元 table without its 元 明細表, a part one 千元 off is 尾差 (info), not an error: counted apart.
    """
    lines = []
    people_sheets = ("人事費", "人事費分析", "約聘僱", "員額", "出國總表", "出國類別")
    for city, make in (("臺中", taichung_workbook), ("新北", new_taipei_workbook)):
        wb = make()
        targets, missed, unnamed = falsify(wb, wb.sheetnames, f"{city}.xlsx")
        people = [t for t in targets if t[0] in people_sheets]
        people_missed = [m for m in missed if m.split("!")[0] in people_sheets]
        lines.append(f"{city}: {len(targets) - len(missed)}/{len(targets)} named by an error or warning, "
                     f"{len(targets) - len(unnamed)}/{len(targets)} by any finding; people/trip tables "
                     f"{len(people) - len(people_missed)}/{len(people)} by an error or warning")
        assert set(unnamed) == UNNAMED[city]
        assert len(missed) <= len(targets) // 8
    print("\nfalsification (city copies):\n" + "\n".join(lines))


def test_a_summary_plan_code_with_a_digit_changed_is_held_as_the_plan_its_name_is():
    """新北 彙計表 主計業務 headed 32028300302 (32028300301 in 一級用途別 and 機關別, reference book 02830-19), and its
    合計 C7 13,810 typed 13,811: named at C4, and the column is still held to 一級用途別's 32028300301 主計業務
    合計 13,810 (B11). Red without analysis's column_of: the heading named, the plan held to nothing."""
    wb = new_taipei_workbook()
    ws = wb["彙計表"]
    assert (ws["C4"].value, ws["C7"].value, wb["一級用途別"]["B11"].value) == ("32028300301", 13_810, 13_810)
    ws["C4"].value = "32028300302"
    ws["C7"].value = 13_811
    report = check_workbook(wb, None, "新北.xlsx")
    assert [(f.rule, str(f.cell), f.expected, f.actual) for f in report.findings if f.severity != Severity.INFO] == [
        ("summary-plan-code-mismatch", "新北.xlsx:彙計表!C4", "32028300301", "32028300302"),
        ("cross-table-mismatch", "新北.xlsx:一級用途別!B11", 13_811, 13_810)]
