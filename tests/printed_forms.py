"""Typing printed-form tables in tests: the header blocks the real books share, with their merges.

The words vary between books (「經　常　支　出」 spaced or not, 資訊軟體設備 or 資訊軟硬體設備); each
test passes the wording of the book it copies, so the reader is still tested on every variant.
"""

LEVEL1_SUB = ["人事費", "業務費", "獎補助費", "債務費", "預備金", "小計", "人事費", "業務費", "設備及投資", "獎補助費",
              "預備金", "小計"]
TRIP_HEADER_1 = ["計畫名稱", "擬前往國家", "擬拜會機構", "計畫內容", "預計前往期間", "預計天數", "擬派人數",
                 "旅費預算", None, None, None, "歸屬預算科目", "前3年內有無赴同一機構拜會", None]
TRIP_HEADER_2 = [None] * 7 + ["交通費", "生活費", "辦公費", "合計", None, "有/無", "如有,說明其內容"]
PAY = ["民意代表待遇", "政務人員待遇", "法定編制人員待遇", "約聘僱人員待遇", "技工及工友待遇", "獎金", "其他給與",
       "加班費", "退休退職給付", "退休離職儲金", "保險", "合計"]


def merge(ws, r0, c0, r1, c1):
    """Merge a range given by its corners (1-based)."""
    ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)


def level1_header(ws, current="經常支出", capital="資本支出"):
    """歲出一級用途別科目分析表: 名稱及編號 | 合計 | 經常支出 ×6 | 資本支出 ×6, two rows."""
    ws.append(["名稱及編號", "合計", current, None, None, None, None, None, capital])
    ws.append([None, None] + LEVEL1_SUB)
    top = ws.max_row - 1
    merge(ws, top, 1, top + 1, 1)
    merge(ws, top, 2, top + 1, 2)
    merge(ws, top, 3, top, 8)
    merge(ws, top, 9, top, 14)


def capital_header(ws, group="設備及投資", other="其他資本支出", software="資訊軟硬體設備"):
    """資本支出分析表: 名稱及編號 | 合計 | 設備及投資 ×9 | 其他資本支出, two rows."""
    ws.append(["名稱及編號", "合計", group] + [None] * 8 + [other])
    ws.append([None, None, "土地", "房屋建築及設備", "公共建設及設施", "機械設備", "運輸設備", software,
               "雜項設備", "權利", "投資"])
    top = ws.max_row - 1
    for c in (1, 2, 12):
        merge(ws, top, c, top + 1, c)
    merge(ws, top, 3, top, 11)


def trip_header(ws):
    """派員出國計畫預算類別表: the two header rows with 旅費預算 and 前3年內有無赴同一機構拜會 groups."""
    ws.append(TRIP_HEADER_1)
    ws.append(TRIP_HEADER_2)
    top = ws.max_row - 1
    for c in (1, 2, 3, 4, 5, 6, 7, 12):
        merge(ws, top, c, top + 1, c)
    merge(ws, top, 8, top, 11)
    merge(ws, top, 13, top, 14)


def staff_header(ws):
    """人事費彙計表 / 人事費分析表: 類別 | 預算員額 | 全年度人事費 (PAY, eleven components and 合計) | 備註, two rows."""
    ws.append(["類別", "預算員額", "全年度人事費"] + [None] * 11 + ["備註"])
    ws.append([None, None] + PAY + [None])
    top = ws.max_row - 1
    for c in (1, 2, 15):
        merge(ws, top, c, top + 1, c)
    merge(ws, top, 3, top, 14)
