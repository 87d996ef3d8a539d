"""市政白皮書計畫項目預算編列情形表: the 市政白皮書 input sheet, the printed table (its 勾稽: ``xlbudget.rules.whitepaper``).

Pure. One row of 市政白皮書 is one 計畫項目 the city's white paper names, under
its 主軸 (◎友善共融), 綱要, 類別 and 政策項目, with this year's budget in 元
(臺北市工務局新建工程處 116, 07-152-95). The table prints each 主軸 as a
heading line above its projects; it prints no total. Each project's amount
equals the 明細表 lines whose 分支計畫 is the project (115年度人行道改善工程
350,000,000).
"""

from __future__ import annotations

from xlbudget.core.model import BudgetBook
from xlbudget.core.tables import AMOUNT, GROUP, ITEM, LABEL, TEXT, Column, Row, Table
from xlbudget.core.titles import WHITEPAPER


def theme_order(items) -> list[str]:
    """The 主軸 of 市政白皮書 in printed order, each where it is first typed, "" (projects typed with none, printed
    under no heading of their own) where the first such project is."""
    return list(dict.fromkeys(w.theme for w in items))


def derive_whitepaper(book: BudgetBook) -> Table:
    """市政白皮書計畫項目預算編列情形表 (元): each 主軸 heading (◎友善共融), then its projects in the order typed."""
    columns = (Column("綱要", ("綱要",), LABEL, 14), Column("類別", ("類別",), TEXT, 16),
               Column("政策項目", ("政策項目",), TEXT, 18), Column("計畫項目", ("計畫項目",), TEXT, 30),
               Column("本年度預算案數", ("本年度預算案數",), AMOUNT, 16))
    rows = []
    for theme in theme_order(book.whitepaper):
        if theme:
            rows.append(Row(f"◎{theme}", theme, {"綱要": f"◎{theme}"}, GROUP))
        for n, w in enumerate((w for w in book.whitepaper if w.theme == theme and w.name), start=1):
            rows.append(Row(f"{theme}/{n}", w.name, {"綱要": w.outline, "類別": w.category, "政策項目": w.policy,
                                                     "計畫項目": w.name, "本年度預算案數": w.amount}, ITEM, 1))
    return Table(WHITEPAPER, "元", columns, tuple(rows))
