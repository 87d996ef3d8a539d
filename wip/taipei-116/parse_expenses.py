import re,sys,collections
L=open('/work/shared/reference-books/taipei-newworks-116.txt',encoding='utf-8').read().split('\n')
start=1392; end=3813
plan=None; name=None; branch=None; sub=None; code=None
items=[]; subopen=False; last=None; skip=False; subt={}; totals={}; subs=collections.Counter(); pending_total=False
num=r'[\d,]+'
for i in range(start,end):
    l=L[i]
    if len(l)>5 and l[4]!=' ' and l[5]==' ' and l[:4]=='    ': l='     '+l[5:]
    l=re.sub(r'\s{2,}\S$','',l) if len(l)>118 else l
    m=re.search(r'業務計畫及工作計畫\s+(\d{11})',l)
    if m: plan=m.group(1); continue
    m=re.search(r'名稱與編號\s+(\S+)',l)
    if m and plan: name=m.group(1); continue
    m=re.match(r'\s{5,9}合計\s+('+num+')',l)
    if m: totals[plan]=int(m.group(1).replace(',','')); continue
    m=re.match(r'\s{5,9}(\d\d)(\S+)\s+('+num+')',l)
    if m: last=None; skip=False; branch=m.group(1)+m.group(2); sub=None; continue
    m=re.match(r'\s{80,95}('+num+r')\s總工程費',l)
    if m: last=None; skip=True; continue
    m=re.match(r'\s{80,95}('+num+r')\s(\d\d)(\S+)',l)
    if m: last=None; subopen=True; skip=False; sub=m.group(2)+m.group(3); subs[plan]+=1; subt[(plan,sub)]=int(m.group(1).replace(',','')); continue
    m=re.match(r'\s{5,9}　　(\d{4})\s+\S+\s+('+num+')',l)
    if m: last=None; subopen=False; skip=False; code=m.group(1); continue
    m=re.match(r'\s{30,50}(\S+)\s+([\d,.×]+)\s+([\d,.]+)\s+('+num+r')\s*(.*)',l)
    if m and not skip:
        last=dict(desc=m.group(5).strip(),plan=plan,name=name,branch=branch,sub=sub,code=code,unit=m.group(1),qty=m.group(2),price=m.group(3),amt=int(m.group(4).replace(',','')),line=i+1); items.append(last); continue
    m=re.match(r'\s{95,}(\S.*)',l)
    if m and last is None and subopen and not m.group(1).startswith('('): sub+=m.group(1).strip(); continue
    if m and last is None: subopen=False
    if m and last is not None: last['desc']+=m.group(1).strip(); continue
    last=None
s=collections.Counter()
for it in items: s[it['plan']]+=it['amt']
print(len(items),'items', len(totals),'plans', sum(subs.values()),'sub-projects', dict(subs))
for p,t in totals.items(): print(p,t,s[p],'OK' if t==s[p] else 'DIFF %d'%(t-s[p]))
print(sum(totals.values()))
