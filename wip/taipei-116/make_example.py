"""Writes xlbudget/data/example-taipei/*.csv from the reference book (臺北市工務局新建工程處 116).

Run from the repository root: python3 wip/taipei-116/make_example.py. The 歲出明細 lines come from
歲出明細.csv (parse_expenses.py, verified there); this script adds each 計畫項目's name and 說明
(the text the book prints in the 說明 column beside the project's amount) and parses the other
long lists (歲入明細 lines, 公務車輛). Short tables are typed in their CSV files directly.
"""
import csv, re, sys
from pathlib import Path

BOOK = '/work/shared/reference-books/taipei-newworks-116.txt'
OUT = Path('xlbudget/data/example-taipei')
L = open(BOOK, encoding='utf-8').read().split('\n')
num = r'[\d,]+'


def clean(l):
    """The line without the book's vertical side titles (a character at column 4 and at the end)."""
    if len(l) > 5 and l[4] != ' ' and l[5] == ' ' and l[:4] == '    ':
        l = '     ' + l[5:]
    return re.sub(r'\s{2,}\S$', '', l) if len(l) > 118 else l


def squeeze(text):
    return re.sub(r'\s+', '', text)


def projects():
    """(plan, 計畫項目 as printed) -> 說明, in book order, from the 明細表 pages 07-152-35…77."""
    out = {}
    plan = None
    i = 1392
    while i < 3813:
        l = clean(L[i])
        m = re.search(r'業務計畫及工作計畫\s+(\d{11})', l)
        if m:
            plan = m.group(1)
        m = re.match(r'\s{80,95}(' + num + r')\s(\d\d)(\S+)', l)
        if m and not m.group(3).startswith('總工程費'):
            head = m.group(2) + m.group(3)
            body = []
            j = i + 1
            while j < 3813:
                t = clean(L[j])
                if re.match(r'\s{5,9}　+\d{4}', t) or re.match(r'\s{30,50}\S+\s+[\d,.×]+\s', t):
                    break
                mm = re.match(r'\s{95,}(\S.*)', t)
                if mm:
                    body.append(mm.group(1).strip())
                j += 1
            name = head
            k = 0
            while k < len(body) and not body[k].startswith('(') and not body[k].startswith('本項'):
                name += body[k]
                k += 1
            out[(plan, squeeze(name))] = squeeze(''.join(body[k:]))
            i = j
            continue
        i += 1
    return out


def expenses():
    rows = list(csv.DictReader(open('wip/taipei-116/歲出明細.csv', encoding='utf-8')))
    notes = projects()
    by_name = {}
    for (plan, name), note in notes.items():
        by_name[(plan, name)] = note
    header = ['工作計畫編號', '工作計畫名稱', '分支計畫', '計畫項目', '計畫項目說明', '用途別科目', '單位', '數量', '單價',
              '預算數', '收支併列數', '經資門', '經濟性分類', '說明', '標記']
    out = []
    seen = set()
    for r in rows:
        sub = r['子計畫(非輸入欄)']
        if sub.startswith(('03-111年', '04-112年')):  # the parser ran the project's 說明 into its name
            sub = sub[:sub.index('費') + 1]
        name = sub
        note = ''
        if sub:
            key = (r['工作計畫編號'], squeeze(sub))
            if key not in notes:
                sys.exit(f'no 說明 found for {key}')
            if key not in seen:  # the project's 說明 on its first line only
                note = notes[key]
                seen.add(key)
        econ = ''
        if r['用途別科目'] == '3030' and r['說明'] in ('資料庫管理系統軟體。', '配合預算編列至千元，增列進位數672元。'):
            econ = '資訊軟體'  # 歲出按職能及經濟性綜合分類表 07-152-97: 資訊軟體 1,733 千元
        if r['用途別科目'] == '2045':
            econ = '購買商品及勞務支出'  # 07-152-96 counts 國內組織會費 61 千元 in 商品及勞務 (235,565), not 經常移轉
        unit, price = r['單位'], r['單價']
        if unit.endswith('、'):  # the unit's last word wrapped onto the next line of the book (臺、月、張)
            unit += '張'
        # 1.6 元/頁, 0.6 元/張 (3 lines) are kept as printed: xlbudget reads a 單價 with 角 exactly (Decimal)
        out.append({'工作計畫編號': r['工作計畫編號'], '工作計畫名稱': r['工作計畫名稱'], '分支計畫': r['分支計畫'],
                    '計畫項目': name, '計畫項目說明': note, '用途別科目': r['用途別科目'], '單位': unit,
                    '數量': r['數量'], '單價': price, '預算數': r['預算數'], '收支併列數': '0',
                    '經資門': r['經資門'], '經濟性分類': econ, '說明': r['說明'], '標記': ''})
    missing = set(notes) - seen
    if missing:
        sys.exit(f'projects without lines: {missing}')
    write('歲出明細', header, out)
    print(len(out), 'expense lines,', len(seen), '計畫項目')


def revenues():
    """歲入項目說明提要與預算明細表 07-152-17…34: each 科目's lines (單位 數量 單價 預算數 說明及收入依據)."""
    names = {'04071520101': ('罰金罰鍰及怠金-罰金罰鍰', '02罰款及賠償收入', '050臺北市政府工務局新建工程處', '01罰金罰鍰及怠金', '01罰金罰鍰'),
             '04071520301': ('賠償收入-一般賠償收入', '02罰款及賠償收入', '050臺北市政府工務局新建工程處', '02賠償收入', '01一般賠償收入'),
             '05071520303': ('使用規費收入-資料使用費', '03規費收入', '046臺北市政府工務局新建工程處', '01使用規費收入', '01資料使用費'),
             '05071520306': ('使用規費收入-場地設施使用費', '03規費收入', '046臺北市政府工務局新建工程處', '01使用規費收入', '02場地設施使用費'),
             '05071520308': ('使用規費收入-道路使用費', '03規費收入', '046臺北市政府工務局新建工程處', '01使用規費收入', '03道路使用費'),
             '07071520103': ('財產孳息-租金收入', '04財產收入', '050臺北市政府工務局新建工程處', '01財產孳息', '02租金收入'),
             '07071520501': ('廢舊物資售價-廢舊物資售價', '04財產收入', '050臺北市政府工務局新建工程處', '03廢舊物資售價', '01廢舊物資售價'),
             '12071520210': ('雜項收入-其他雜項收入', '08其他收入', '049臺北市政府工務局新建工程處', '01雜項收入', '02其他雜項收入')}
    out = []
    code = None
    last = None
    in_table = False
    for i in range(653, 1391):
        l = L[i]
        if '科目名稱及編號' in l:
            in_table = True
            continue
        if '來源別子目及' in l or '===== PAGE' in l:
            if '來源別子目及' in l:  # a 科目's 說明提要 page: the table starts again after it
                in_table = False
                last = None
            continue
        if not in_table:
            continue
        t = re.sub(r'^      \S(?=\s)', '       ', l)
        t = re.sub(r'\s{3,}\S$', '', t)
        m = re.match(r'\s+　(\d{11})?\s+(年)\s+(\d+)\s+(' + num + r')\s+(' + num + r')\s*(.*)', t)
        if m:
            if m.group(1):
                code = m.group(1)
            last = {'科目編號': code, '單位': m.group(2), '數量': m.group(3), '單價': m.group(4).replace(',', ''),
                    '預算數': m.group(5).replace(',', ''), '說明': m.group(6).strip()}
            out.append(last)
            continue
        m = re.match(r'\s{90,}(\S.*)', t)
        if m and last is not None:
            last['說明'] += m.group(1).strip()
            continue
        if re.match(r'\s+　\S', t):  # the 科目 name beside the code line
            m2 = re.match(r'\s+　\S+\s{20,}(\S.*)', t)
            if m2 and last is not None:
                last['說明'] += m2.group(1).strip()
            continue
    header = ['科目編號', '科目名稱', '款', '項', '目', '節', '單位', '數量', '單價', '預算數', '收支併列', '說明']
    rows = []
    for r in out:
        n = names[r['科目編號']]
        rows.append({'科目編號': r['科目編號'], '科目名稱': n[0], '款': n[1], '項': n[2], '目': n[3], '節': n[4],
                     '單位': r['單位'], '數量': r['數量'], '單價': r['單價'], '預算數': r['預算數'], '收支併列': '',
                     '說明': r['說明']})
    write('歲入明細', header, rows)
    print(len(rows), 'revenue lines, total', sum(int(r['預算數']) for r in rows))


def vehicles():
    """公務車輛明細表 07-152-86…91: one row per vehicle, its plan from the group line above it; the figures
    placed by the column they end in (a vehicle without 牌照稅 or 油料 leaves those cells blank)."""
    plans = {'行政管理': '58071520101', '工程管理': '58071520201'}
    ends = [(60, '牌照稅'), (68, '燃料使用費'), (75, '油料數量'), (80, '油料單價'), (90, '油料金額'), (99, '養護費'),
            (108, '保險費'), (116, '檢驗費')]
    out = []
    plan = None
    last = None
    for i in range(4089, 4409):
        l = L[i]
        m = re.match(r'\s+　(\S+)\s*$', l)
        if m and m.group(1) in plans:
            plan = plans[m.group(1)]
            continue
        m = re.match(r'\s{15,20}(\d+) (\S+)\s+(\d+)? ?(\d{5})\s+(\d+|逾5馬力)', l)
        if m:
            rec = {'工作計畫編號': plan, '區分': '現有', '車輛數': m.group(1), '車輛種類': m.group(2),
                   '乘客人數': m.group(3) or '', '購置年月': m.group(4), '汽缸總排氣量': m.group(5), '備註': ''}
            for tok in re.finditer(r'\S+', l[m.end():]):
                end = tok.end() + m.end()
                col = next((name for e, name in ends if end in (e, e - 1, e + 1)), None)
                if col and end <= 116:
                    rec[col] = tok.group().replace(',', '')
                else:
                    rec['備註'] += tok.group()
            out.append(rec)
            last = rec
            continue
        m = re.match(r'\s{18,22}(\S+)\s+(\(hp\))?\s*$', l)
        if m and last is not None and last['車輛種類'].startswith('重型電動公'):
            last['車輛種類'] += m.group(1)
            last['汽缸總排氣量'] += m.group(2) or ''
            continue
        m = re.match(r'\s{100,}(\S.*)$', l)
        if m and last is not None and last['備註']:
            last['備註'] += m.group(1).strip()
        elif l.strip() and not m:
            last = None if not l.startswith(' ' * 18) else last
    header = ['工作計畫編號', '區分', '車輛數', '車輛種類', '乘客人數', '購置年月', '汽缸總排氣量', '牌照稅', '燃料使用費',
              '油料數量', '油料單價', '油料金額', '養護費', '保險費', '檢驗費', '備註']
    totals = {}
    for r in out:
        for _, name in ends:
            if name not in ('油料數量', '油料單價'):
                totals[name] = totals.get(name, 0) + int(r.get(name) or 0)
    print(len(out), 'vehicles', totals)
    for r in out:  # 油料金額 is derived (數量 × 單價, 1,260 × 33.9 = 42,714): left for build to compute
        if r.get('油料金額') and round(int(r['油料數量']) * float(r['油料單價'])) == int(r['油料金額']):
            r['油料金額'] = ''
    write('公務車輛', header, out)


def write(sheet, header, rows):
    with open(OUT / f'{sheet}.csv', 'w', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, header, lineterminator='\n')
        w.writeheader()
        w.writerows(rows)


if __name__ == '__main__':
    expenses()
    revenues()
    vehicles()


def side_free(l):
    """A line without the book's side titles: a lone character near either margin."""
    l = re.sub(r'^(\s{2,10})\S(?=\s{5,})', lambda m: m.group(1) + ' ', l)
    return re.sub(r'(?<=\S)\s{5,}\S$', '', l) if len(l) > 110 else l


def notes():
    """說明提要: each plan's 一、計畫內容 / 二、預期成果 and each 歲入 科目's 一…六, with its 承辦單位."""
    offices = {'58071520101': '秘書室、會計室、人事室、政風室、資訊室',
               '58071520201': '工務科、品安科、規設科、配合科、機電科、維護科、共管科、建築科、養護隊',
               '58071528501': '工務科、規設科、維護科、共管科、養護隊', '58071529004': '養護隊、資訊室',
               '04071520101': '養護隊', '04071520301': '工務科', '05071520303': '秘書室', '05071520306': '共管科、養護隊',
               '05071520308': '配合科', '07071520103': '配合科、共管科、維護科、養護隊', '07071520501': '秘書室',
               '12071520210': '工務科、秘書室'}
    starts = {}
    for i, l in enumerate(L):
        m = re.search(r'(?:業務計畫及工作計畫|來源別子目及)\s+(\d{11})', l)
        if m:
            starts[m.group(1)] = i
    rows = []
    for code, office in offices.items():
        i = starts[code]
        parts = []
        while True:
            i += 1
            l = L[i]
            if '分支計畫及用途別科目' in l or re.search(r'07-152\s*-\s*\d', l):
                break
            t = side_free(l).strip()
            if not t or len(t) == 1 or '單位' in t and '名稱與編號' in t or t.startswith(('名稱與編號', '細目與編號')):
                continue
            if re.match(r'^[一二三四五六]、', t):
                head, _, rest = t.partition('：')
                parts.append(head + '：' + re.sub(r'\s+', '', rest))
            elif parts:
                parts[-1] += re.sub(r'\s+', '', t)
        rows.append({'編號': code, '承辦單位': office, '說明提要': ' '.join(parts)})
    write('說明提要', ['編號', '承辦單位', '說明提要'], rows)
    print(len(rows), '說明提要')


if __name__ == '__main__':
    notes()


def prior_years():
    """以前年度 (千元): 上年度預算數 and 前年度決算數 of each 歲入 節 and 歲出 工作計畫, with the 說明 the
    歲入預算表 / 歲出預算表 print beside it (07-152-9…16)."""
    levels = {}
    rows = []
    last = None
    fig = r'(-?[\d,]+|-)'
    for i in range(181, 651):
        l = L[i]
        m = re.match(r'\s+(\d\d|\d{3})?\s*(\d\d)?\s*(\d\d)?\s*　*(\d{11})\s+' + r'\s+'.join([fig] * 6) + r'\s*(.*)$', l)
        if m:
            code = m.group(4)
            values = [0 if v == '-' else int(v.replace(',', '')) for v in m.group(5, 6, 7, 8, 9, 10)]
            name = L[i + 1][:40].strip().replace('　', '')
            if re.match(r'\s{17,18}　', L[i + 2]) and L[i + 2][:40].strip():
                name += L[i + 2][:40].strip().replace('　', '')
            last = {'code': code, 'name': name, 'last': values[3], 'prior': values[4],
                    'note': m.group(11).strip(), 'line': i + 1}
            levels[code] = last
            rows.append(last)
            continue
        t = re.search(r'\s{10,}(\S+)$', l)
        header = any(w in l for w in ('07-152', '單位：', '本年度與', '上年度比較')) or re.search(r'說\s+明\s*$', l)
        if t and t.start(1) > 90 and last is not None and last['note'] and not header:
            last['note'] += t.group(1).strip()
            continue
    return rows


def prior_sheet():
    rows = prior_years()
    by_code = {r['code']: r for r in rows}
    out = []
    revenue_levels = {}
    for r in rows:
        code = r['code']
        if code.startswith('58') and not code.endswith('00'):  # 歲出 工作計畫
            program = by_code[code[:9] + '00']['name']
            out.append({'科目編號': code, '科目名稱': f"{program}-{r['name']}", '上年度預算數': r['last'],
                        '前年度決算數': r['prior'], '款': '', '項': '', '目': '', '節': '', '說明': r['note']})
    for r in rows:
        code = r['code']
        if code.startswith('58') or code.startswith('0007') or not code[-2:].strip('0'):
            continue
        kuan = by_code[code[:2] + '000000000']
        xiang = by_code[code[:7] + '0000']
        mu = by_code[code[:9] + '00']
        numbers = revenue_numbers(code)
        out.append({'科目編號': code, '科目名稱': f"{mu['name']}-{r['name']}", '上年度預算數': r['last'],
                    '前年度決算數': r['prior'], '款': numbers[0] + kuan['name'], '項': numbers[1] + xiang['name'],
                    '目': numbers[2] + mu['name'], '節': numbers[3] + r['name'], '說明': r['note']})
    write('以前年度', ['科目編號', '科目名稱', '上年度預算數', '前年度決算數', '款', '項', '目', '節', '說明'], out)
    print(len(out), '以前年度 rows;', '歲入 上年度', sum(r['上年度預算數'] for r in out if not r['科目編號'].startswith('58')),
          '前年度', sum(r['前年度決算數'] for r in out if not r['科目編號'].startswith('58')),
          '歲出 上年度', sum(r['上年度預算數'] for r in out if r['科目編號'].startswith('58')),
          '前年度', sum(r['前年度決算數'] for r in out if r['科目編號'].startswith('58')))


def revenue_numbers(code):
    """款 項 目 節 running numbers the 歲入預算表 prints for a 節 code."""
    found = {}
    for i in range(181, 470):
        m = re.match(r'\s+(\d\d|\d{3})?\s*(\d\d)?\s*(\d\d)?\s*　*(\d{11})\s', L[i])
        if m:
            found[m.group(4)] = next(g for g in m.group(1, 2, 3) if g) if any(m.group(1, 2, 3)) else ''
    return (found[code[:2] + '000000000'], found[code[:7] + '0000'], found[code[:9] + '00'], found[code])


if __name__ == '__main__':
    prior_sheet()


def narrative():
    """總說明: the book's 預算總說明 paragraphs (07-152-1…5), one per row; the 組織系統圖 and the 統計圖 left out."""
    paras = []
    skip = False
    for i in range(51, 214):
        l = L[i]
        t = re.sub(r'\s+', ' ', l).strip()
        if not t or t.startswith(('臺北市政府工務局新建工程處', '預 算 總 說 明', '中 華 民 國', '07-152', '=====')):
            continue
        if '（三）組織系統圖' in t:
            paras.append(t.replace(' ', ''))
            skip = True
            continue
        if '（三）計畫及預算統計圖' in t:
            break
        if skip and not t.startswith('二、'):
            continue
        skip = False
        text = re.sub(r'(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])|(?<=[\d,]) (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) (?=[\d])', '', t)
        text = text.replace(' ', '')
        if re.match(r'^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.(?!\d)|\(\d+\))', text) or not paras:
            paras.append(text)
        else:
            paras[-1] += text
    # the 前年度 lines per source and plan ((1)統籌分配稅：預算數…決算數…執行率…) are kept: rules/narrative reads
    # them as that source's or plan's figures, not the year's total
    write('總說明', ['段落'], [{'段落': p} for p in paras])
    print(len(paras), '總說明 paragraphs')


if __name__ == '__main__':
    narrative()
