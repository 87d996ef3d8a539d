"""Findings: data, not exceptions. One catalogue of rule ids with severity and zh-TW template."""

from __future__ import annotations

from dataclasses import field
from enum import Enum
from typing import Iterable

from xlbudget.core.amounts import priced_amount
from xlbudget.core.keys import INVISIBLE
from xlbudget.core.model import CellRef, cell_position
from xlbudget.core.records import record


class Severity(str, Enum):
    """How bad a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    # a check whose inputs are missing or unreadable: neither passed nor failed, counted apart
    UNVERIFIABLE = "unverifiable"


@record
class Rule:
    """A catalogue entry: stable kebab-case id, title, severity, message template."""

    id: str
    title: str
    severity: Severity
    template: str
    advice: str = ""  # what the officer can do (zh-TW), shown in cell notes
    # the finding's cell and its related cells disagree together and none of them is known to be the wrong one
    # (數量 × 單價 ≠ 預算數): all are marked alike, and no 應為/實為 is shown, which would send the officer to one
    joint: bool = False


# A code or number Excel turned into a date as it was typed (02-018, 3/12 in a General cell): one message for each
# (readers.grid.typed_as_date), the typed form named by ``example``
_TYPED_AS_DATE = "{column}是日期（{actual}）：Excel 會把一般格式儲存格中的 {example} 之類{what}改成日期，無法得知原本輸入的{what}"

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("unknown-object-code", "未知的用途別科目", Severity.ERROR,
             "用途別科目 {code} 不在科目表中，請確認代碼"),
        Rule("object-name-mismatch", "科目名稱與代碼不符", Severity.WARNING,
             "科目 {code} 的名稱應為「{expected}」，此處為「{actual}」"),
        Rule("object-code-suffix", "科目代碼後多了字", Severity.WARNING,
             "用途別科目「{typed}」已讀為科目 {code}（{expected}）：代碼後的「{actual}」不是科目名稱，也不是代碼的一部分；"
             "如確為 {code}，請只輸入 {code}（或「{code} {expected}」），如另有所指，請改為正確的 4 位數代碼",
             "請只輸入 4 位數代碼，或代碼與科目名稱"),
        Rule("basis-not-allowed", "經資門與科目不符", Severity.ERROR,
             "{code} {name} 只能列{expected}門，此處列為{actual}門；已依{expected}門計算"),
        Rule("unknown-econ-class", "無法辨識的經濟性分類", Severity.ERROR,
             "經濟性分類「{actual}」無法辨識；已改用預設「{expected}」"),
        Rule("econ-class-needed", "資本門業務費/獎補助費需指定經濟性分類", Severity.WARNING,
             "{code} 列資本門，科目預設的經濟性分類「{actual}」屬經常支出；已暫列「{expected}」，請指定"),
        Rule("manual-calc-stale", "手動計算：公式結果未更新", Severity.ERROR,
             "活頁簿設為手動計算（公式 → 計算選項 → 手動），存檔時未重新計算：{cells}的公式結果是上次計算時的，"
             "可能與目前的儲存格不符；xlbudget 讀的是存檔的結果。請在 Excel 按 F9 重新計算後存檔，再檢核或產生報表",
             "按 F9 重新計算後存檔（或將計算選項改為自動）"),
        Rule("item-product-mismatch", "數量×單價與預算數不一致", Severity.ERROR,
             "數量 {quantity} × 單價 {price:,} = {product} 元，預算數為 {actual:,} 元，兩者不一致",
             "數量、單價、預算數三格至少一格有誤（不一定是預算數）：請核對這三格，更正打錯的那一格", joint=True),
        # 數量 × 單價 ≠ 預算數 where the 預算數 is the figure its total adds up (field report 13 §F1): the factor
        Rule("item-factor-mismatch", "數量或單價可能有誤：預算數與合計相符", Severity.ERROR,
             "{where}（{what}）可能有誤：數量 {quantity} × 單價 {price} 元 = {product} 元，與{amount_name} {amount:,} 元"
             "不符；{amount_name}已計入 {total}「{label}」，且 {total} 與所屬各項合計相符（{amount_name}若改為 {product} 元，"
             "{total} 即不符）。{what}若為 {right}，即與{amount_name}相符",
             "預算數（金額）與其合計相符時，錯的多半是數量或單價：請先核對此格"),
        Rule("item-factors-mismatch", "數量或單價有誤：預算數與合計相符", Severity.ERROR,
             "數量 {quantity} × 單價 {price} 元 = {product} 元，與{amount_name} {amount:,} 元不符；{amount_name}已計入 "
             "{total}「{label}」，且 {total} 與所屬各項合計相符：數量或單價（{cells}）有誤，無從判斷是哪一格",
             "預算數（金額）與其合計相符時，錯的多半是數量或單價：請核對這兩格", joint=True),
        Rule("matched-exceeds-amount", "收支併列數大於預算數", Severity.ERROR,
             "收支併列數 {actual:,} 元大於預算數 {expected:,} 元"),
        Rule("not-whole-thousand", "工作計畫×一級用途別合計非千元整數", Severity.WARNING,
             "{plan} {code} 合計 {actual:,} 元不是千元的整數倍"),
        Rule("prior-year-unknown-code", "以前年度科目不屬本機關", Severity.WARNING,
             "以前年度科目編號 {code} 不是本機關的工作計畫、業務計畫（本年度計畫編號第 3～7 碼為 {expected}）"
             "或歲入科目；已當作本年度無預算的計畫列入歲出機關別預算表，請確認編號"),
        Rule("prior-year-scale", "以前年度金額單位疑誤", Severity.WARNING,
             "以前年度 {code} {name} 的{column} {act} 與本年度預算數 {exp} 千元相差約千倍；以前年度工作表的單位是千元",
             "請確認此數是否以元填寫（應除以 1,000 改填千元），或誤以百萬元填寫"),
        Rule("heading-year-differs", "表頭年度與其他表不同", Severity.WARNING,
             "「{table}」印中華民國{actual}年度，本書其他 {tables} 張表印中華民國{expected}年度：此表是否取自另一年度的預算書"
             "（數字已更新，年度未改）？",
             "請把此表標題下的年度改為與其他表相同，並確認表中數字是本年度的"),
        Rule("prior-total-scale", "基本資料前年度預算數單位疑誤", Severity.WARNING,
             "基本資料的{key} {act} 千元是{what} {exp} 千元的百倍以上：此格的單位是千元，看來是以元填寫"
             "（預算總說明會印「{key}{said}」，執行率也隨之不對）",
             "請除以 1,000 改以千元填寫（190,786,000 元填 190,786）"),
        Rule("yuan-sheet-in-thousands", "元單位工作表疑以千元填寫", Severity.WARNING,
             "以前年度 {code} {name} 的{column}是 {act} 千元，本年度{sheet}合計卻只有 {this_year:,} 元（不是千元的整數倍）："
             "{sheet}看來以千元填寫，其單位應是元",
             "歲出明細、歲入明細、人事費、約聘僱、出國計畫的金額單位是元：請改以元填寫（43,769 千元填 43,769,000）；"
             "以前年度工作表的單位是千元，不必更改"),
        Rule("prior-final-empty", "前年度決算數空白", Severity.INFO,
             "以前年度 {code} {name} 的前年度決算數空白（新年度預算書由上年度產生時無法帶入）",
             "決算公布後請填入前年度決算數（千元）；前年度無此科目者可填 0"),
        Rule("prior-year-missing", "本年度計畫或科目沒有以前年度列", Severity.WARNING,
             "{kind} {code} {name} 沒有以前年度列：{table}印上年度預算數及前年度決算數 0（「-」），"
             "比較＝本年度預算數 {current:,} 千元",
             "本年度新增的計畫或科目可不補列；若上年度有預算，請在以前年度工作表補一列 {code}，填上年度預算數及前年度決算數（千元）"),
        Rule("prior-budget-empty", "上年度預算數空白", Severity.WARNING,
             "以前年度 {code} {name} 的上年度預算數空白：{table}以 0 列印（「-」），比較＝本年度預算數 {current:,} 千元",
             "請填入上年度預算數（千元）；上年度無此預算者填 0"),
        Rule("staff-sheet-empty", "人事工作表空白：預算表不會產生", Severity.ERROR,
             "{sheet}工作表沒有資料，歲出明細卻列有{what} {amount:,} 元（{count} 列）：{table}不會產生",
             "請在「{sheet}」工作表填入各列（格式見範例），預算書才會有{table}；歲出明細的{what}若不應編列，請刪除"),
        Rule("staff-sheet-missing", "人事工作表不存在：預算表不會產生", Severity.ERROR,
             "本書沒有「{sheet}」工作表，歲出明細卻列有{what} {amount:,} 元（{count} 列）：{table}不會產生",
             "請加回「{sheet}」工作表（可自範本或上年度預算書複製）並填入各列，預算書才會有{table}；"
             "歲出明細的{what}若不應編列，請刪除"),
        Rule("plan-note-missing", "工作計畫沒有說明提要", Severity.WARNING,
             "工作計畫 {plan} {name} {what}：歲出計畫說明提要與各項費用明細表此計畫不印計畫內容及預期成果{also}",
             "請在說明提要工作表填此計畫的編號、承辦單位及說明提要（一、計畫內容… 二、預期成果…）"),
        Rule("cover-line-missing", "封面缺一行", Severity.INFO,
             "PDF 封面未印「{line}」：{why}",
             "封面依基本資料印出機關編號、年度、〇〇市總預算、機關名稱及預算類別；主管機關請以縣市開頭填寫"
             "（如「高雄市政府主管」）"),
        Rule("narrative-empty", "總說明沒有段落", Severity.WARNING,
             "總說明工作表「段落」欄沒有任何文字：預算總說明只印員額編制表，不印現行法定職掌、計畫實施及預算提要等說明"
             "（xlbudget 寫入的「標準數字句」欄僅供參考，不會印出）",
             "請在總說明「段落」欄逐段填寫（壹、現行法定職掌…肆、其他必要之分析事項），數字句可抄「標準數字句」欄後修改"),
        Rule("trip-kind-lookalike", "出國類別多了空白或不可見字元", Severity.ERROR,
             "出國計畫「{name}」的類別「{actual}」看似「{expected}」，但多了空白或不可見字元：會另列一類（派員出國計畫預算總表"
             "另一列、另一張類別表），不列入「{expected}」",
             "請從下拉選單選取類別，或把此格改成「{expected}」"),
        Rule("trip-period-outside-year", "出國計畫預計前往期間不在本年度", Severity.WARNING,
             "出國計畫「{name}」的預計前往期間「{period}」寫的是 {years} 年，本預算書是 {year} 年度："
             "派員出國計畫預算類別表會照印",
             "請改為 {year} 年度的期間（如 {year}0101-{year}1231）；上年度的計畫請在「年度」欄填「上年度」"),
        Rule("trip-period-no-such-date", "出國計畫預計前往期間的日期無效", Severity.WARNING,
             "出國計畫「{name}」的預計前往期間「{period}」中的「{typed}」不是有效的日期或期間（沒有這一天、在民國元年以前，"
             "或迄日在起日之前）：派員出國計畫預算類別表照原樣列印",
             "請改正日期（如 2 月只有 28 或 29 日），或改寫成民國日期（如 1130301-1130310）"),
        Rule("prior-year-total-row", "以前年度填了合計列", Severity.ERROR,
             "以前年度科目編號 {code}「{name}」是{level}的合計列，不是工作計畫、業務計畫或歲入科目（節）："
             "合計由各列相加而得，此列若讀入會被重複計算；已拒絕讀取",
             "請刪除此列：以前年度只填各工作計畫（或業務計畫）及各歲入科目（節），主管、機關及款、項、目的合計由 xlbudget 加總"),
        Rule("prior-year-code-typo", "以前年度科目編號疑似打錯", Severity.WARNING,
             "以前年度科目編號 {code}「{name}」在{sheet}沒有任何細項，而同名的{kind} {expected}（{other}）"
             "沒有以前年度列：兩者會各印一列，{expected} 的上年度預算數印 0；若是編號打錯，請改為 {expected}",
             "請核對此編號；確為本年度無預算的計畫或科目者，可忽略此警告"),
        Rule("prior-year-program-differs", "以前年度業務計畫列與其工作計畫合計不符", Severity.WARNING,
             "以前年度業務計畫 {code}「{name}」的{column} {act} 千元，與其工作計畫各列合計 {exp} 千元不同："
             "預算表印的是各工作計畫之和，此列的數字未採用",
             "業務計畫的數字由其工作計畫相加而得：請刪除此列，或核對此列與各工作計畫列的數字"),
        Rule("duplicate-key", "同一編號（項目）填了兩列", Severity.ERROR,
             "{what}「{key}」在 {other} 已填過一列，此列又填一次{how}；兩列不知以哪一列為準，xlbudget 不會自行擇一",
             "同一編號（項目）只能有一列：請刪除多餘的一列，或把兩列合併為一列"),
        # people, trips and words (issue 3)
        Rule("staff-costs-vs-items", "人事費彙計表與人事費科目不符", Severity.ERROR,
             "人事費彙計表「{column}」合計 {actual:,} 元，歲出明細 {code} 為 {expected:,} 元"),
        Rule("headcount-mismatch", "預算員額不符", Severity.ERROR,
             "人事費彙計表「{category}」預算員額 {actual} 人，{source}為 {expected} 人"),
        Rule("staffing-over-establishment", "預算員額多於法定編制員額", Severity.WARNING,
             "{category}的本年度預算員額 {actual} 人多於法定編制員額 {expected} 人",
             "請核對員額編制表：預算員額通常不超過法定編制員額"),
        Rule("staffing-current-empty", "本年度預算員額空白", Severity.WARNING,
             "員額 {category} 的本年度預算員額空白：員額編制表以 0 列印（「-」），比較＝0 − 上年度預算員額 {last} 人",
             "請填入本年度預算員額；本年度無此類別者填 0"),
        Rule("staffing-prior-empty", "上年度預算員額空白", Severity.WARNING,
             "員額 {category} 的上年度預算員額空白：員額編制表以 0 列印（「-」），比較＝本年度預算員額 {current} 人",
             "請填入上年度預算員額；上年度無此類別者填 0"),
        Rule("staffing-without-pay", "有預算員額卻沒有人事費", Severity.ERROR,
             "員額「{category}」本年度預算員額 {actual} 人，但人事費沒有此類別（應為 {expected} 人，或在人事費補列此類別）"),
        Rule("contract-plan-without-salary", "約聘僱人員列於沒有約聘僱人員待遇的工作計畫", Severity.WARNING,
             "工作計畫 {plan} 在歲出明細沒有 1020 約聘僱人員待遇，約聘僱卻列有{kind} {persons} 人（{amount:,} 元）："
             "約聘僱人員費用分析表會把他們印在此計畫下",
             "請確認此列的工作計畫編號：約聘僱人員應列在編有其 1020 約聘僱人員待遇的工作計畫（{others}）"),
        Rule("salary-plan-without-contract", "工作計畫有約聘僱人員待遇，約聘僱卻沒有此計畫", Severity.WARNING,
             "工作計畫 {plan} 在歲出明細列有 1020 約聘僱人員待遇 {amount:,} 元，約聘僱工作表卻沒有此計畫的列："
             "約聘僱人員費用分析表不會有此計畫",
             "請在約聘僱工作表為此計畫的約聘、約僱人員各填一列，或更正其他列的工作計畫編號"),
        Rule("contract-total-mismatch", "約聘僱人員費用與人事費彙計表不符", Severity.ERROR,
             "約聘僱各組全年度預算數合計 {actual:,} 元，人事費彙計表約聘僱人員合計為 {expected:,} 元"),
        Rule("trips-vs-travel", "派員出國計畫與國外旅費不符", Severity.ERROR,
             "工作計畫 {plan} 的出國計畫旅費合計 {actual:,} 元，歲出明細 2078 國外旅費為 {expected:,} 元"),
        Rule("person-months-unreadable", "人*月無法讀取", Severity.UNVERIFIABLE,
             "約聘僱人員費用分析表的人*月「{raw}」無法讀出人數（應如 3x12）；預算員額未驗證",
             "請以「人數x月數」填寫，如 3x12"),
        Rule("trip-days-unreadable", "出國人天無法讀取", Severity.UNVERIFIABLE,
             "派員出國計畫預算總表的人天「{raw}」無法讀出人數與天數（應如 4人x10天，多項計畫以「、」分隔）；人天未驗證",
             "請以「人數人x天數天」填寫，如 4人x10天"),
        Rule("narrative-mismatch", "總說明數字與預算表不符", Severity.ERROR,
             "總說明寫「{text}」（{what}），預算表為 {expected_text}"),
        Rule("narrative-sentence-changed", "總說明標準數字句與資料不符", Severity.ERROR,
             "總說明的標準數字句應為「{exp}」（由輸入工作表產生），此處為「{act}」",
             "此欄由 xlbudget 依資料產生：請更正輸入工作表後重新產生報表，勿直接改寫此句"),
        # neither passed nor failed: 無法驗證 (grey, listed apart, counted apart), as a figure that cannot be read
        Rule("narrative-unverified", "總說明數字無對應的表", Severity.UNVERIFIABLE,
             "總說明的「{text}」未驗證：{why}"),
        Rule("prior-note-mismatch", "以前年度說明數字與預算表不符", Severity.ERROR,
             "以前年度說明寫「{text}」（{what}），預算表為 {expected_text}"),
        Rule("prior-note-unverified", "以前年度說明數字無對應的表", Severity.INFO,
             "以前年度說明的「{text}」未驗證：{why}"),
        # the 說明 printed beside a row of a hand-made book's 歲出機關別預算表 / 歲入來源別預算表 (rules.printed_narrative)
        Rule("printed-note-mismatch", "說明的增減數與比較欄不符", Severity.ERROR,
             "說明寫「{text}」（{what}），預算表為 {expected_text}"),
        Rule("printed-note-unverified", "說明的增減數無法讀出", Severity.INFO, "說明的「{text}」未驗證：{why}"),
        # 公務車輛明細表 (issue 14)
        Rule("vehicle-fuel-mismatch", "油料費金額不等於數量×單價", Severity.ERROR,
             "油料費 數量 {litres} 公升 × 單價 {price} 元 = {expected:,} 元，金額為 {actual:,} 元",
             "油料費金額＝數量×單價，四捨五入至元；數量、單價、金額三格至少一格有誤，請核對後更正打錯的那一格",
             joint=True),
        Rule("vehicles-vs-items", "公務車輛明細表與明細表不符", Severity.ERROR,
             "工作計畫 {plan} 公務車輛明細表「{columns}」合計 {actual:,} 元，明細表 {code} 註明詳公務車輛明細表的細項合計"
             "為 {expected:,} 元",
             "公務車輛各項費用應等於明細表中註明「詳公務車輛明細表」的同一工作計畫、同一科目細項"),
        # 轉帳收支對照表 (issue 14)
        Rule("transfer-vs-matched", "轉帳收支與收支併列不符", Severity.WARNING,
             "工作計畫 {plan} 轉帳收支合計 {actual:,} 元，歲出明細收支併列數合計為 {expected:,} 元",
             "轉帳支出以收支併列編列（如臺中市「市款…元，收支併列…元」）；請核對轉帳收支與該計畫收支併列數"),
        Rule("transfer-exceeds-matched", "轉帳收支大於收支併列", Severity.ERROR,
             "工作計畫 {plan} 轉帳收支合計 {actual:,} 元，大於歲出明細收支併列數合計 {expected:,} 元",
             "轉帳支出以收支併列編列，轉帳收支不能大於該計畫的收支併列數；請核對轉帳收支的預算數（或刪除重複的列）"),
        Rule("transfer-vs-revenue", "轉帳收支與歲入明細不符", Severity.ERROR,
             "歲入科目 {code} 轉帳收入合計 {actual:,} 元，歲入明細為 {expected:,} 元",
             "本機關編列的歲入科目，轉帳收入應等於歲入明細該科目預算數"),
        Rule("transfer-sides-mismatch", "轉帳收支對照表歲出與歲入總計不符", Severity.ERROR,
             "轉帳收支對照表歲出總計 {act}，歲入總計 {exp}，兩者應相等",
             "轉帳支出與轉帳收入應相等"),
        # 人事費分析表 (issue 14)
        Rule("staff-analysis-vs-items", "人事費分析表與該計畫人事費科目不符", Severity.ERROR,
             "工作計畫 {plan} 人事費分析表「{column}」合計 {actual:,} 元，歲出明細該計畫 {code} 為 {expected:,} 元",
             "各工作計畫的人事費分析表各欄應等於該計畫 1000 人事費各二級科目"),
        Rule("staff-analysis-vs-summary", "人事費分析表合計與人事費彙計表不符", Severity.ERROR,
             "「{category}」{column}：各工作計畫人事費分析表合計 {actual:,}，人事費彙計表為 {expected:,}",
             "各工作計畫人事費分析表相加應等於人事費彙計表（同類別、同欄）"),
        # 分年資金需求表 (issue 14)
        Rule("funding-years-mismatch", "分年資金需求合計不等於全程計畫總金額", Severity.ERROR,
             "「{name}」以前年度預算數及各年度資金需求合計 {expected:,} 元，全程計畫總金額為 {actual:,} 元",
             "全程計畫總金額＝以前年度預算數＋各年度資金需求"),
        Rule("funding-vs-items", "分年資金需求本年度與明細表不符", Severity.ERROR,
             "工作計畫 {plan}「{name}」本年度資金需求 {actual:,} 元，明細表分支計畫「{name}」為 {expected:,} 元",
             "本年度資金需求應等於明細表中該計畫項目（分支計畫）的預算數"),
        # 市政白皮書計畫項目預算編列情形表 (issue 14)
        Rule("whitepaper-theme-blank", "市政白皮書主軸空白，印在別的主軸下", Severity.ERROR,
             "市政白皮書計畫項目「{name}」的主軸空白：會與其他主軸空白的計畫項目一起印在{printed}，"
             "不在其上方所填的「◎{expected}」之下",
             "請在此格填寫主軸（如「{expected}」）：主軸每一列都要填，預算表只印一次標題"),
        Rule("whitepaper-theme-lookalike", "市政白皮書主軸多了空白或不可見字元", Severity.ERROR,
             "市政白皮書主軸「{actual}」與 {other} 的「{expected}」看似相同，但多了空白或不可見字元：會另印一個看來相同的主軸標題，"
             "其下的計畫項目不在「◎{expected}」之下",
             "請把此格改成與上列主軸完全相同的文字（「{expected}」）"),
        Rule("whitepaper-vs-items", "市政白皮書計畫項目與明細表不符", Severity.ERROR,
             "市政白皮書計畫項目「{name}」本年度預算案數 {actual:,} 元，明細表分支計畫「{name}」為 {expected:,} 元",
             "本年度預算案數應等於明細表中該計畫項目（分支計畫）的預算數"),
        # 各項費用分攤表 (issue 14)
        Rule("cost-share-ratio-mismatch", "分攤比率與總經費不符", Severity.ERROR,
             "「{partner}」總經費 {part:,} 元占全案 {whole:,} 元的 {expected}%，分攤比率為 {actual}%",
             "分攤比率＝該單位總經費÷全案總經費，以百分比四捨五入至小數 2 位"),
        Rule("cost-share-vs-items", "費用分攤表本機關預算數與明細表不符", Severity.ERROR,
             "「{name}」本機關本年度預算數 {actual:,} 元，明細表分支計畫「{name}」為 {expected:,} 元",
             "本機關分攤的本年度預算數應等於明細表中該計畫項目（分支計畫）的預算數"),
        Rule("cost-share-vs-funding", "費用分攤表本機關總經費與分年資金需求表不符", Severity.ERROR,
             "「{name}」本機關總經費 {actual:,} 元，分年資金需求表全程計畫總金額為 {expected:,} 元",
             "本機關分攤的總經費應等於分年資金需求表該計畫項目的全程計畫總金額"),
        # -- checks (xlbudget check): printed tables and cross-table identities
        Rule("schedule-cell-mismatch", "預算表數字與輸入資料不符", Severity.ERROR,
             "「{table}」此格應為 {exp}（由輸入工作表計算），此處為 {act}",
             "請更正輸入工作表後重新產生報表，勿直接改打報表數字"),
        Rule("tables-stale", "預算表未依目前輸入重新產生", Severity.ERROR,
             "預算表未依目前輸入重新產生：請先執行 xlbudget build（或按「產生報表」）。預算表是上次產生時寫入的，"
             "之後輸入工作表已修改：如「{table}」{where} 預算表為 {act}，依目前輸入應為 {exp}"
             "（共 {tables} 張表 {count} 格不同）",
             "輸入工作表修改後未重新產生報表：請執行 xlbudget build 或按「產生報表」，再檢核"),
        Rule("schedule-text-differs", "預算表文字與輸入不符", Severity.INFO,
             "「{table}」此格為 {act}，依目前輸入應為 {exp}",
             "輸入工作表修改後未重新產生報表：請執行 xlbudget build 或按「產生報表」"),
        Rule("schedule-rows-changed", "預算表列次與輸入資料不符", Severity.WARNING,
             "「{table}」此列應為「{exp}」，此處為「{act}」；此列以下未逐格比對",
             "報表可能被插入或刪除列，請重新產生報表"),
        Rule("sum-crossing-suspect", "此格可能有誤：其所在列與所在欄合計均不符", Severity.ERROR,
             "{where} 可能有誤：其所在列與所在欄合計均差 {diff}（{totals}，各比所屬各項合計{way} {diff}）；"
             "{where} 若為 {exp}，兩個合計均相符。若 {where} 無誤，則 {both} 兩個合計均有誤",
             "一格數字打錯時，其所在列的合計與所在欄的合計會差同一數額：請先核對此格"),
        Rule("crossing-suspect", "此格可能有誤：多處核對均不符，且均指向此格", Severity.ERROR,
             "{where} 可能有誤：{both} {n}處核對均不符，且差額均指向此格；{where} 為 {act}，若為 {exp}，{n}處均相符。"
             "若 {where} 無誤，則{n}處均有誤（{checks}）",
             "一格數字打錯時，其所在的合計、比較或他表勾稽會同時不符：請先核對此格"),
        # a sum whose total other tables confirm, one part (or one of several) wrong (rules.blame.confirmed_totals)
        Rule("confirmed-total-part", "此格可能有誤：其合計與他表相符", Severity.ERROR,
             "{where} 可能有誤：{total} 為 {total_value}，與 {witnesses} 的核對均相符（{total} 若改為 {total_exp}，這些核對即不符），"
             "但{parts}；{where} 為 {act}，若為 {exp}，{total} 即相符。若 {where} 無誤，則 {total} 與 {witnesses} 均有誤",
             "合計與他表相符時，錯的多半是合計所屬的這一格：請先核對此格"),
        Rule("confirmed-total-parts", "其中一格有誤：合計與他表相符", Severity.ERROR,
             "{cells} 其中有誤：{total} 為 {total_value}，與 {witnesses} 的核對均相符（{total} 若改為 {total_exp}，這些核對即不符），"
             "但{parts}；無從判斷是哪一格",
             "合計與他表相符時，錯的多半是合計所屬的某一格：請逐格核對這幾格", joint=True),
        Rule("subtotal-mismatch", "小計不等於所屬各項合計", Severity.ERROR,
             "「{label}」{column}應為所屬各項合計 {exp}，此處為 {act}",
             "請核對此小計及其下各列數字"),
        # a 明細表 line printing its 數量 and 單價 with its 預算數 left blank (rules.blanks): never read as 0, which
        # blamed the right 二級 line above it
        Rule("item-amount-blank", "細項的預算數空白", Severity.ERROR,
             "此行數量 {quantity} × 單價 {price} = {exp} 元，預算數卻是空白",
             "請填入此行的預算數（數量 × 單價），或更正數量、單價"),
        Rule("table-row-missing", "表中少印一列", Severity.ERROR,
             "「{table}」的「{label}」比其下所印各列之和多出一整列的數字（{figures}）：像是有一列被刪除或漏印，"
             "「{label}」本身未必有錯",
             "請補回缺少的列（可重新產生此表核對）；若確是「{label}」打錯，請更正"),
        Rule("plan-heading-missing", "計畫的上層列未印出", Severity.WARNING,
             "「{table}」印有「{label}」，卻沒有它所屬的 {parent}（{level}）一列：它的數字改由上一層「{above}」加總核對",
             "請補回 {parent} 一列（可重新產生此表核對）"),
        Rule("plan-row-missing", "計畫未印於本表", Severity.ERROR,
             "「{other}」印有工作計畫 {plan}{name}，「{table}」卻沒有這一列：它的數字未列入本表",
             "請補回此計畫的一列（可重新產生此表核對）"),
        Rule("rounding-difference", "尾差", Severity.INFO,
             "「{label}」{column}為 {act}，所屬各項千元數合計 {exp}，相差 {diff} 在四捨五入容許範圍內（尾差）",
             "千元數由元數各自四捨五入，尾差屬正常，無須更正"),
        Rule("table-in-yuan", "千元表疑以元填寫", Severity.WARNING,
             "「{table}」的單位是千元，數字卻看來是元：此處 {act}，而明細表歲出合計 {yuan} 元只有 {exp} 千元；"
             "此表各格的不符多由此而來",
             "請將此表的數字改以千元填寫（元數除以 1,000 後四捨五入），或確認表頭的單位"),
        # a 明細表 is printed in 元 (RULES.md: 丙2): one whose unit line says 千元 is tied to no other table (a 元 figure
        # under that line, or a 千元 one read as 元, would put every right 彙計表 cell «應為» what it is not)
        Rule("detail-not-in-yuan", "明細表的單位不是元", Severity.WARNING,
             "「{table}」的單位印為{unit}，明細表應以元列印：此表只檢核本身的加總，未與各項費用彙計表、人事費彙計表等表勾稽",
             "若數字其實是元，請將單位行改為「單位：新臺幣元」；若以千元列印，請改以元列印各數字"),
        Rule("table-in-thousands", "元表疑以千元填寫", Severity.WARNING,
             "「{table}」的單位是元，數字卻看來是千元：此處 {act}，正是明細表歲出合計 {exp} 元的千元數；此表各格的不符多由此而來",
             "請確認表頭的單位（以千元列印者，單位應為「單位：新臺幣千元」），或將此表的數字改以元填寫"),
        Rule("thousand-rounding-mismatch", "千元數不等於元數四捨五入", Severity.ERROR,
             "「{table}」{what}應為 {yuan} 元四捨五入之 {exp} 千元，此處為 {act}",
             "千元數應由元數四捨五入（逢五進位）而得"),
        Rule("cross-table-mismatch", "表與表間數字不符（勾稽）", Severity.ERROR,
             "「{table}」{what}為 {act}，應等於「{other}」的 {exp}",
             "請核對兩表對應數字"),
        Rule("comparison-mismatch", "本年度與上年度比較不符", Severity.ERROR,
             "本年度與上年度比較應為 本年度 − 上年度 = {exp}，此處為 {act}",
             "比較欄＝本年度預算數－上年度預算數"),
        Rule("funding-note-mismatch", "市款／收支併列說明不符", Severity.ERROR,
             "「{label}」說明之{what}應為 {exp} 元，此處為 {act} 元",
             "市款＋收支併列應等於預算數，且等於所屬各項之和"),
        Rule("matched-revenue-mismatch", "收支併列與歲入補助收入不符", Severity.ERROR,
             "歲出收支併列合計 {exp} 元，歲入收支併列（補助收入）為 {act} 元",
             "歲出收支併列數應等於歲入對應之補助收入"),
        Rule("unknown-staff-class", "人事費類別不在表上", Severity.ERROR,
             "類別「{actual}」不是{table}的類別{hint}：{table}的類別為 {known}；此列會照打的名稱另列一類（排在各類之後），"
             "不與約聘僱人員費用分析表、員額勾稽",
             "請從下拉選單選取類別，或把名稱改成與上列類別完全相同"),
        Rule("revenue-level-name-mismatch", "歲入款項目節名稱與科目編號不符", Severity.WARNING,
             "{level}名稱「{actual}」與科目編號 {code} 不符：{level_code} 為「{expected}」；歲入來源別預算表等表會印此處所填的"
             "「{actual}」",
             "請改正此格名稱（或留空，依科目編號及科目名稱列印）；如是科目編號打錯，請改正科目編號"),
        Rule("project-left-blank", "分支計畫有些列沒有計畫項目", Severity.WARNING,
             "工作計畫 {plan} 分支計畫「{branch}」{rows}沒有填計畫項目（共 {count} 列），而其上方的列填了計畫項目（如「{project}」）："
             "明細表把沒有計畫項目的列印在分支計畫之下、第一個計畫項目之前，不是所填的位置",
             "如這些列屬於某個計畫項目，請填上該計畫項目；如確實直接屬於分支計畫，請把這些列移到此分支計畫第一個有計畫項目的列之前"),
        Rule("revenue-name-contradicts-levels", "歲入科目名稱與所填目、節名稱不符", Severity.WARNING,
             "科目名稱「{actual}」與本列所填的目「{item}」、節「{part}」都不符（科目編號 {code}）{other}；歲入來源別預算表等表"
             "會印此處所填的科目名稱",
             "如科目名稱填錯，請改為「{expected}」；如是科目編號或目、節名稱填錯，請一併改正"),
        Rule("matched-without-revenue", "有收支併列但沒有歲入明細", Severity.ERROR,
             "歲出明細的收支併列數合計 {exp} 元，但本書沒有任何歲入明細資料（找不到工作表「歲入明細」，或其中沒有資料列）："
             "歲入來源別預算表會印 0，與明細表所列收支併列不符",
             "請在工作表「歲入明細」填入對應的補助收入（收支併列欄填「是」）；如該工作表已改名，請改回「歲入明細」"),
        Rule("range-matched-unchecked", "所選範圍沒有歲入明細：收支併列未勾稽", Severity.INFO,
             "所選範圍只有歲出明細：收支併列數合計 {exp} 元與歲入明細補助收入的勾稽無法在此檢核",
             "整本預算書請按「檢核」（或 xlbudget check）檢核"),
        Rule("table-unreadable", "找到表名但讀不到表格", Severity.WARNING,
             "工作表「{sheet}」此格是「{table}」的表名，但{reason}；此表（此頁）未檢核",
             "請確認表名下依序為單位列、表頭（如「名稱及編號」或「編號」「名稱」及各金額欄名）及資料列"),
        Rule("summary-column-unplaced", "彙計表此欄不是工作計畫也不是合計", Severity.WARNING,
             "「{table}」此欄「{column}」沒有工作計畫編號，也不是「合計」欄：{summed}",
             "如為工作計畫，請在欄名補上工作計畫編號（如 32020180101 行政管理）；如不是本年度的工作計畫（如上年度數），請移出本表"),
        Rule("column-unchecked", "此欄不是本表的金額欄，未檢核", Severity.WARNING,
             "「{table}」此欄「{column}」印有數字（如 {first} 的 {value}），但不是本表的金額欄（{columns}）：其數字未列入任何"
             "加總及勾稽",
             "如為上述之一，請將欄名改為該名稱；如不是本表的欄（如頁次），請移出本表"),
        Rule("column-unheaded", "此欄有數字但沒有欄名", Severity.WARNING,
             "「{table}」此欄（{column} 欄）印有數字（如 {first} 的 {value}），但表頭沒有欄名：無法得知是哪一欄，"
             "只按列、欄加總檢核，未與其他表勾稽",
             "請在此格補上欄名（與原書相同），或把數字移到有欄名的欄"),
        Rule("summary-plan-code-unreadable", "彙計表欄名的工作計畫編號無法辨識", Severity.ERROR,
             "「{table}」此欄欄名「{column}」所印的 {actual} 不是工作計畫編號（工作計畫編號為 11 位數字）{hint}：{summed}",
             "請改正此欄欄名的工作計畫編號，與明細表、歲出一級用途別科目分析表所印相同"),
        Rule("summary-plan-code-mismatch", "彙計表欄名的工作計畫編號與其他表不符", Severity.ERROR,
             "「{table}」此欄欄名所印的工作計畫編號為 {act}，其他表都沒有此編號；「{name}」在其他表所印的工作計畫編號為 {exp}："
             "此欄依 {exp} 與其他表勾稽",
             "請改正此欄欄名的工作計畫編號，與明細表、歲出一級用途別科目分析表所印相同"),
        Rule("summary-plan-missing", "彙計表沒有此工作計畫的欄", Severity.ERROR,
             "「{table}」印有工作計畫 {plan}，「{other}」卻沒有此計畫的欄（或其所在頁未能讀取）：此計畫未與之勾稽",
             "請在各項費用彙計表補列此計畫；如已印在另一頁，請確認該頁有表名及表頭（可與前頁相同）"),
        Rule("revenue-code-unmatched", "歲入科目只印在兩表之一", Severity.ERROR,
             "「{table}」印有歲入科目 {code}（{amount}），「{other}」卻沒有此科目（或其所在頁未能讀取）：此科目未與之勾稽",
             "歲入來源別預算表各節應與歲入項目說明提要與預算明細表各科目一一對應：請補列缺少的科目，或核對科目編號"),
        Rule("sheet-unread", "工作表沒有可辨識的表名，未檢核", Severity.WARNING,
             "工作表「{sheet}」有數字，但沒有可辨識的表名，也看不出是前一張工作表所列之表的續頁；此工作表未檢核",
             "請在此工作表上方加上表名及表頭（可與前頁相同），或將工作表命名為「表名(續)」"),
        Rule("table-under-table", "表下另有一張沒有表名的表，未檢核", Severity.WARNING,
             "工作表「{sheet}」此列起的表頭有「{table}」表頭沒有的{word}，似為另一張表，其表名不在任何儲存格中（打在文字方塊"
             "或頁首的表名讀不到）；此列以下未併入「{table}」，也未檢核",
             "請把表名打在此表上方的儲存格中（如「資本支出分析表」），或將此表移到自己的工作表"),
        Rule("untitled-continuation", "無表名的工作表當作前表續頁檢核", Severity.INFO,
             "工作表「{sheet}」沒有表名，依其表頭／欄位當作「{table}」的續頁一併檢核",
             "如非該表的續頁，請在此工作表上方加上正確的表名"),
        Rule("page-number-skipped", "只有一個數字的列當作頁碼", Severity.INFO,
             "「{table}」此列只有一個數字 {actual}，沒有名稱、單位、數量或說明：當作頁碼（頁尾），不列入加總",
             "若是金額，請在此列補上其名稱或說明；若是頁碼則無需處理"),
        Rule("row-unplaced", "列無法歸屬，數字未檢核", Severity.WARNING,
             "「{table}」此列「{label}」有數字，但沒有可辨識的科目編號（或款項目節）也不是合計列，無法歸入任何加總；此列數字未檢核",
             "請在此列補上科目編號（如 32020180101、101500），或把編號與名稱分列於「編號」「名稱」欄"),
        Rule("carry-row-skipped", "承上頁／轉下頁列不列入加總", Severity.INFO,
             "「{table}」此列「{label}」是換頁的承轉列（承上頁、轉下頁等），不是科目列：不列入加總",
             "承轉列只供閱讀；如此列其實是科目，請改正其名稱"),
        Rule("carry-row-mismatch", "承上頁／轉下頁金額與累計不符", Severity.WARNING,
             "「{label}」列 {act} 元，不等於 {plan} 至此各細項預算數之累計 {exp} 元（此列不列入加總）",
             "承上頁／轉下頁應為該工作計畫至此（前頁）各細項預算數之和：請核對此列，或其上各細項"),
        Rule("lines-without-plan", "明細表各列找不到所屬計畫", Severity.WARNING,
             "「{table}」此列起 {count} 列找不到所屬計畫（此頁在此列之上沒有「{heading}」列，也不能接續前頁的計畫："
             "前頁沒有計畫列，或其計畫已有合計列）：各列本身的加總已檢核，但未與其他表勾稽",
             "請在此列之上補上所屬計畫的計畫列（如原書所印），或改正其上的計畫列"),
        Rule("half-row-unmatched", "跨頁表格後半頁的列找不到對應", Severity.WARNING,
             "「{table}」分兩頁（左右兩半）列印，後半頁此列找不到前半頁的對應列，此列數字未納入檢核",
             "請確認前後兩半頁的列數及順序一致（後半頁不印科目名稱時依列次對應）"),
        Rule("plan-heading-mismatch", "計畫預算金額與合計不符", Severity.ERROR,
             "{plan} 標題之預算金額應為 {exp} 千元，此處為 {act} 千元",
             "預算金額＝該工作計畫合計（元）四捨五入至千元"),
        Rule("duplicate-item", "重複的細項", Severity.WARNING,
             "此細項與 {other} 完全相同（{compared}），請確認是否重複輸入",
             "如確為重複請刪除一列"),
        Rule("basis-column-not-allowed", "一級用途別列於不允許的經資門", Severity.ERROR,
             "{name}只能列{expected}門，此處於{actual}門列有 {act}",
             "人事費、債務費只列經常門；設備及投資只列資本門"),
        Rule("input-unreadable", "輸入資料無法讀取", Severity.ERROR, "{message}",
             "依訊息修正此格後，重新產生報表或檢核"),
        # -- reading the input sheets (issue 9): each problem stops build, check and export, all listed at once
        Rule("missing-sheet", "缺少輸入工作表", Severity.ERROR,
             "找不到工作表「{sheet}」；請以 xlbudget new 產生的範本輸入，或新增此工作表（標題列見「說明」工作表）"),
        Rule("missing-header", "標題缺少欄位", Severity.ERROR,
             "工作表「{sheet}」第 {row} 列的標題缺少欄位：{missing}（應有：{required}）",
             "標題列須含這些欄名（欄位順序可調整）"),
        Rule("header-unit-mismatch", "標題的單位與欄位不符", Severity.ERROR,
             "標題「{header}」的單位「{actual}」不符：「{column}」欄應以{expected}填寫",
             "請依本工作表的單位填寫並將標題改為欄名本身（如「預算數」），或改正單位"),
        Rule("header-near-miss", "無法辨識的標題", Severity.ERROR,
             "標題「{actual}」無法辨識，而本工作表找不到「{column}」欄；若此欄即是「{column}」，請將標題改為「{column}」",
             "標題須與「說明」工作表所列欄名相同（可在欄名後加單位，如「單價(元)」）；另加的欄位請取不含欄名的標題"),
        Rule("header-unrecognised", "無法辨識的標題", Severity.ERROR,
             "標題「{actual}」無法辨識，此欄的資料未讀入；而本工作表沒有「{column}」欄：若此欄即是「{column}」，"
             "請將標題改為「{column}」",
             "標題須與「說明」工作表所列欄名相同（可在欄名後加單位，如「單價(元)」）；若為另加的欄位，"
             "請補上「{column}」欄（可留空白）"),
        Rule("duplicate-header", "兩欄標題相同", Severity.ERROR,
             "{first} 與 {second} 的標題都是「{column}」{typed}：不知哪一欄才是「{column}」，xlbudget 不會自行擇一讀取",
             "一個工作表每個欄名只能有一欄（隱藏的欄也算）：請刪除多餘的一欄；另加的欄位（如上年度的數字）"
             "請改用本工作表欄名以外的標題", joint=True),
        Rule("merged-input-cells", "輸入工作表有合併儲存格", Severity.ERROR,
             "{actual} 為合併儲存格：合併範圍內除第一格外都讀作空白（如分支計畫只算第一列）",
             "請取消合併，並在每一列填入該欄的值（如每列都填分支計畫）"),
        Rule("hidden-row-counted", "隱藏的列仍列入預算", Severity.WARNING,
             "工作表「{sheet}」第 {rows} 列在{app}中是隱藏的（或被篩選掉、列高為 0），畫面上看不到，但仍列入預算書（共 {count} 列"
             "{total}）",
             "如不應列入，請刪除這些列；如應列入，請取消隱藏（或清除篩選）以便核對"),
        Rule("hidden-column-counted", "隱藏的欄仍列入預算", Severity.WARNING,
             "工作表「{sheet}」的 {column} 欄（{header}）在{app}中是隱藏的（或欄寬為 0），畫面上看不到，但其中的值仍列入預算書"
             "（{rows}，共 {count} 格{total}）",
             "如不應列入，請清除這些儲存格；如應列入，請取消隱藏該欄以便核對"),
        Rule("struck-line", "有刪除線的明細", Severity.ERROR,
             "工作表「{sheet}」第 {rows} 列的文字有刪除線（共 {count} 列{total}）：Excel 的加總仍算入這些列，xlbudget "
             "無法判斷是要刪除還是仍要編列，因此不產生預算表",
             "若這些列不再編列，請刪除整列；若仍要編列，請取消刪除線（常用 → 字型 → 刪除線，或按 Ctrl+5）"),
        Rule("amount-unit-format", "金額的儲存格格式另有單位", Severity.ERROR,
             "工作表「{sheet}」的 {column} 欄（{header}）{rows}共 {count} 格的儲存格格式為 {format}：此格存的是 {read}，"
             "畫面顯示為「{shown}」，但本表金額以元為單位，xlbudget 讀為 {read} 元；若原意是{unit}，應為 {meant} 元，"
             "相差 {factor} 倍",
             "若這些數字是{unit}，請改輸入元（如 {meant}）；若已是元，請把格式改為 #,##0（常用 → 數值格式），以免看錯"),
        Rule("figure-not-visible-counted", "看不到的金額仍列入預算", Severity.WARNING,
             "工作表「{sheet}」{cells}的數字{why}，畫面上與列印時都看不到，但仍列入預算書（共 {count} 格，合計 {total}）",
             "如不應列入，請清除這些儲存格；如應列入，請把數值格式改為 #,##0、字色改為與底色不同（常用 → 字型色彩）以便核對"),
        Rule("thousands-shown-by-format", "千元表的數字以數值格式除以 1,000 顯示", Severity.INFO,
             "「{table}」{cells}以數值格式「{format}」把所存的數除以 1,000 顯示（如 {first} 存 {stored}，印為 {shown}）："
             "已依所印的千元數讀入並檢核（共 {count} 格）",
             "所存的是元、印的是千元時，印出的表沒有問題，但複製或連結這些儲存格得到的是元數（不是所印的千元數），"
             "引用時請留意；如所存的本已是千元，印出的數字小了 1,000 倍，請把數值格式改為 #,##0（格式末尾不加逗號）"),
        Rule("figures-scaled-by-format", "預算表的數值格式把數字縮小顯示", Severity.ERROR,
             "「{table}」的單位是{unit}，{cells}卻以數值格式「{format}」把所存的數除以 {factor} 顯示（如 {first} 存 "
             "{stored}，印為 {shown}）：印出的表在此不是{unit}數；已依所印的數字讀入並檢核（共 {count} 格）",
             "請把這些儲存格的數值格式改為 #,##0（格式末尾不加逗號）後再列印"),
        Rule("figure-not-visible", "預算表有看不到的數字，列印時印成空白", Severity.WARNING,
             "工作表「{sheet}」{cells}的數字{why}，畫面上與列印時都看不到，但已讀入並檢核（共 {count} 格）："
             "印出的表在此是空白，合計與所印各項將不符",
             "請把數值格式改為 #,##0、字色改為與底色不同（常用 → 字型色彩）後再列印；如這些數字不應列出，請刪除並修正合計"),
        Rule("hidden-row-not-printed", "預算表有隱藏的列，列印時不會印出", Severity.WARNING,
             "工作表「{sheet}」{rows}在{app}中是隱藏的（或被篩選掉、列高為 0），列印時不會印出，但其數字已讀入並檢核（共 {count} 列）："
             "印出的表少了這些列，合計與所印各項將不符",
             "請取消隱藏（或清除篩選）後再列印；如這些列不應列出，請刪除並修正合計"),
        Rule("hidden-column-not-printed", "預算表有隱藏的欄，列印時不會印出", Severity.WARNING,
             "工作表「{sheet}」的 {columns} 欄在{app}中是隱藏的（或欄寬為 0），列印時不會印出，但其數字已讀入並檢核（共 {count} 格）："
             "印出的表少了這些欄",
             "請取消隱藏該欄後再列印；如該欄不應列出，請刪除並修正合計"),
        Rule("private-use-text", "造字（私人使用區字元）在 PDF 印不出", Severity.WARNING,
             "「{text}」含造字（{chars}，Unicode 私人使用區；共 {count} 格）：xlbudget pdf 以 LibreOffice 排版，沒有貴機關的"
             "造字檔，PDF 印成方框或空白；在沒有同一造字檔的電腦上開啟本書也會印成他字或方框",
             "請在裝有造字檔的電腦以 Excel 的「輸出PDF」按鈕輸出，或將造字改為 Unicode 標準字（擴充區）"),
        Rule("table-sheet-hidden", "預算表所在的工作表是隱藏的，列印時整張表不會印出", Severity.WARNING,
             "工作表「{sheet}」在{app}中是隱藏的（沒有工作表索引標籤），列印時整張表不會印出，但其數字已讀入並檢核"
             "（共 {count} 格）：印出的預算書少了這張表",
             "如這張表應列入預算書，請取消隱藏（在任一工作表索引標籤按右鍵 → 取消隱藏）後再列印；如不應列入，請刪除該工作表"),
        Rule("print-area-lost", "預算表的列印範圍已失效（#REF!）", Severity.WARNING,
             "工作表「{sheet}」設定的列印範圍已失效（名稱 Print_Area 為 #REF!：其所指的儲存格已被刪除），Excel 列印時"
             "不會依您設定的範圍：印出的表可能多了或少了列與欄，不是您所設定的樣子",
             "請重新設定列印範圍（選取整張表 → 版面配置 → 列印範圍 → 設定列印範圍），或清除列印範圍後再列印"),
        Rule("printed-name-differs", "同一名稱在各表印法不同", Severity.WARNING,
             "{what}在{table}印為「{actual}」，在{other}印為「{expected}」（相差{apart}）：印出的預算書把同一項寫成兩個名稱",
             "請確認正確的寫法，改正印錯的一處（常見的形近字：晝／畫、巿／市）"),
        Rule("figures-outside-print-area", "預算表有數字在列印範圍外，列印時不會印出", Severity.WARNING,
             "工作表「{sheet}」設有列印範圍 {area}，{rows}的數字在範圍外，列印時不會印出，但已讀入並檢核（共 {count} 格）："
             "印出的表少了這些數字，合計與所印各項將不符",
             "請把列印範圍改為涵蓋整張表（版面配置 → 列印範圍 → 清除列印範圍，或重新設定）後再列印"),
        Rule("input-sheet-renamed", "輸入工作表名稱不符，未讀取", Severity.ERROR,
             "工作表「{actual}」有「{sheet}」的標題列，但名稱不是「{sheet}」，未讀取：其資料不會列入預算書",
             "如這就是{sheet}，請將工作表改名為「{sheet}」（名稱須完全相同）"),
        Rule("sheet-not-read", "工作表未讀取", Severity.WARNING,
             "工作表「{actual}」未讀取：只讀取「{sheet}」{shown}，此工作表的資料不會列入預算書",
             "如為要列入的資料，請移到原輸入工作表（可接在原有各列之下）；不需要的副本請刪除或改名"),
        Rule("sheet-lines-not-read", "工作表的資料未讀入", Severity.ERROR,
             "工作表「{actual}」有「{sheet}」的資料（{count} 列不在「{sheet}」中），但未讀入：只讀取「{sheet}」{shown}，"
             "這些列不會列入預算書",
             "請將這些列移到「{sheet}」（可接在原有各列之下，同一標題列），再刪除此工作表；不需要的請刪除此工作表"),
        Rule("sheet-version-not-read", "工作表是另一版本，未讀取", Severity.WARNING,
             "工作表「{actual}」是「{sheet}」的另一版本（大多是「{sheet}」的各列，其中 {count} 列的金額或內容與「{sheet}」不同，"
             "如上年度或修改前留作參考的副本），未讀取：只讀取「{sheet}」{shown}，此工作表的資料不會列入預算書",
             "如此工作表才是本年度要編的資料，請將它的各列貼到「{sheet}」；留作參考的副本可保留，或移到另一個檔案"),
        Rule("required-missing", "必填資料空白", Severity.ERROR, "{what}空白（必填）",
             "請填寫此格（必填欄位見「說明」工作表）"),
        Rule("not-a-number", "數字欄不是整數", Severity.ERROR, "「{column}」應為整數，此處為「{actual}」",
             "請填入整數（可含千分位，負數可寫 (1,234) 或 △1,234）"),
        Rule("too-many-digits", "數字超過 15 位", Severity.ERROR,
             "「{column}」的數字有 {digits:,} 位（{actual}）：Excel 只保存 {limit} 位有效數字，多出的位數會被改掉，"
             "不能當作數字讀取",
             "請確認此格是否誤植（如貼上了別的資料）；金額以元填寫，不超過 15 位數"),
        Rule("misplaced-comma", "千分位逗號位置不對", Severity.ERROR,
             "「{column}」的「{actual}」逗號位置不對：千分位逗號應每三位數一個（如 1,234,567），不能當作數字讀取",
             "若是千分位，請改正逗號位置或刪除逗號；若是小數，請改用小數點"),
        Rule("trailing-sign", "負號寫在數字後", Severity.ERROR,
             "「{column}」的「{typed}」負號寫在數字後面（會計系統印負數的寫法），不能當作數字讀取",
             "若是負數，請把負號移到數字前面（如 -4,410,710 或 △4,410,710）；若不是負數，請刪除數字後的負號"),
        Rule("joined-figures", "一格有兩個以上數字", Severity.ERROR,
             "「{column}」的「{typed}」是以換行或空白隔開的兩個以上數字（如兩列的數字、或數量與單價貼在同一格），不能當作一個數字讀取",
             "請每格只填一個數字（數量、單價、預算數各填其欄）；千分位請用逗號（如 32,000）"),
        Rule("ambiguous-point", "小數點或千分位不明", Severity.ERROR,
             "「{column}」的「{typed}」小數點後正好三位數：可能是千分位寫成句點（如 28.000 是 28,000），"
             "也可能是小數（28.000 是 28），兩者差一千倍，不能當作數字讀取",
             "若是千分位，請改用逗號（如 28,000）或不加分隔；若是小數，請刪去多餘的 0（如 28 或 1.6）"),
        Rule("negative-amount", "金額為負數", Severity.ERROR, "「{column}」為負數「{actual}」：預算明細的各列及各項費用不得為負數",
             "請填入正數（減列請直接減少該列的數量、單價或金額）"),
        Rule("negative-count", "人數或數量為負數", Severity.ERROR,
             "「{column}」為負數「{actual}」：員額、人數、月數、天數、車輛數等不得為負數",
             "請填入 0 或正整數（沒有請填 0）"),
        Rule("formula-without-value", "公式沒有計算結果", Severity.ERROR,
             "此格的公式 {actual} 沒有計算結果（快取值），不能當作 0 讀取",
             "請在 Excel 或 LibreOffice 開啟並儲存後再試（儲存時會存下公式的計算結果）"),
        Rule("error-value", "儲存格是公式的錯誤值", Severity.ERROR,
             "此格是{app}公式的錯誤值「{actual}」（{meaning}），不能當作文字或數字讀取，也不會原樣抄進各表",
             "請修正此格的公式（如改參照仍存在的儲存格），或直接填入文字、數字後再試"),
        Rule("text-too-long", "文字超過 Excel 一格的上限", Severity.ERROR,
             "此格文字有 {actual:,} 字，超過 Excel 一格可存的 {expected:,} 字：在 Excel 開啟或另存時，"
             "超出的字會被截掉，xlbudget 寫出的活頁簿（convert、build 的表）也只存得下前 {expected:,} 字",
             "請把這段文字分成兩格以上，每格不超過 32,767 字（總說明可分成數段，每段一列）"),
        Rule("bad-code", "編號格式不符", Severity.ERROR, "{column}應為{expected}，此處為「{actual}」"),
        Rule("second-header-row", "標題列下還有一列標題（單位或英文欄名），不是資料", Severity.ERROR,
             "工作表「{sheet}」第 {row} 列（{shown}）看來是第二列標題（各欄的單位或英文欄名），不是一筆資料：xlbudget "
             "只認第 1 列的標題，其下每一列都是資料。請刪除第 {row} 列；單位可寫在第 1 列的標題裡，如「預算數(元)」",
             "請刪除這一列；單位可寫在第 1 列的標題裡，如「預算數(元)」"),
        Rule("not-a-choice", "不是可選的值", Severity.ERROR, "{column}應為{expected}，此處為「{actual}」",
             "請從下拉選單選取，或照訊息填寫"),
        Rule("not-a-decimal", "數字欄不是數字", Severity.ERROR, "「{column}」應為{expected}，此處為「{actual}」",
             "請填入數字（可含小數）"),
        Rule("unknown-plan", "工作計畫不在歲出明細", Severity.ERROR, "工作計畫編號「{actual}」不是歲出明細中的工作計畫",
             "請填歲出明細中的 11 位數工作計畫編號（全書只有一個工作計畫時可留空）"),
        Rule("note-unknown-code", "說明提要編號不在本書", Severity.ERROR,
             "說明提要編號「{actual}」不是歲出明細的工作計畫，也不是歲入明細的科目：這段說明提要不會印出{hint}",
             "請填歲出明細的 11 位數工作計畫編號（或歲入明細的科目編號）"),
        Rule("trip-plan-unknown", "找不到出國計畫歸屬的工作計畫", Severity.ERROR,
             "找不到歸屬的工作計畫「{actual}」；請填工作計畫編號，或寫成與歲出明細相同的工作計畫名稱"),
        Rule("analysis-code-conflict", "同一工作計畫有兩個分析表編號", Severity.ERROR,
             "分析表編號「{actual}」與同一工作計畫 {plan} 在 {other} 的「{expected}」不同；一個工作計畫只能有一個分析表編號"),
        Rule("duplicate-input-sheet", "兩個工作表是同一輸入工作表", Severity.ERROR,
             "工作表「{expected}」與「{actual}」都是「{sheet}」（名稱只差空白或全形字），請刪除或改名其中一個"),
        Rule("agency-code-date", "機關編號被 Excel 改成日期", Severity.ERROR, _TYPED_AS_DATE,
             "請先把此儲存格格式設為「文字」，再重新輸入機關編號（如 02-018）"),
        Rule("number-is-date", "數字被 Excel 改成日期", Severity.ERROR, _TYPED_AS_DATE,
             "請先把此儲存格格式設為「數值」或「文字」，再重新輸入（數量可寫成乘積，如 3x12）"),
        Rule("bad-year", "年度不是民國年", Severity.ERROR, "年度應為民國年（如 113），此處為「{actual}」"),
        Rule("unknown-function", "未知的職能別", Severity.ERROR, "職能別「{actual}」不在 01～15 之中"),
        Rule("function-name-mismatch", "職能別編號與名稱不符", Severity.ERROR,
             "職能別「{actual}」的編號 {code} 是「{name}」，名稱卻是 {other}「{other_name}」：不知本機關屬哪一職能"
             "（歲出按職能及經濟性綜合分類表把本機關全部歲出列在此職能下）",
             "請把編號或名稱改成同一職能（如「01 一般公共事務」），或只填編號"),
        Rule("unknown-budget-kind", "無法辨識的預算類別", Severity.ERROR,
             "預算類別「{actual}」無法辨識：請填 單位預算、特別預算 或 追加減預算（空白為單位預算）"),
        Rule("budget-kind-guessed", "預算類別未填，依書中文字判斷", Severity.WARNING,
             "基本資料未填「預算類別」，依{told}視為{kind}（不是單位預算：批次轉換的彙總只列入單位預算）；"
             "請在基本資料「預算類別」填「{kind}」，若本書是單位預算請填「單位預算」"),
        Rule("budget-kind-differs", "預算類別與書中文字不符", Severity.WARNING,
             "基本資料「預算類別」填「{actual}」，但{told}是{kind}；批次轉換依「預算類別」辦理，請確認"),
        Rule("budget-stage-differs", "預算階段與預算類別不符", Severity.WARNING,
             "基本資料「預算階段」填「{actual}」，但「預算類別」填「{kind}」是{stage}；封面依「預算階段」印出",
             "請確認本書是預算案或法定預算，兩格填成一致（預算類別可只填「單位預算」）"),
        Rule("revenue-only", "只有歲入，沒有歲出明細", Severity.WARNING,
             "本書只有歲入（歲入明細 {count} 列），歲出明細沒有任何明細資料：各歲出表以 0 產生（歲出計畫說明提要與各項費用"
             "明細表只印合計 0 及「本年度無歲出預算」）；若本機關有歲出，請填入歲出明細"),
        Rule("branch-conflict", "分支計畫編號與名稱不一致", Severity.ERROR,
             "工作計畫 {plan} 的分支計畫「{actual}」與 {other} 的「{expected}」{what}，會被當成兩個分支計畫",
             "同一分支計畫的編號與名稱請寫成一致（如 01行政業務）"),
        Rule("branch-missing", "分支計畫空白", Severity.ERROR,
             "工作計畫 {plan} 的其他列有分支計畫（如 {other} 的「{expected}」），此列分支計畫空白{count}：明細表會把它印在"
             "各分支計畫之外，它所屬分支計畫的合計會少算",
             "請填入此列所屬的分支計畫（如 {expected}）；若整個工作計畫不分分支計畫，其他列的分支計畫請留空"),
        Rule("ditto-mark", "以同上符號代替內容", Severity.ERROR,
             "工作計畫 {plan} 的{column}填的是「{actual}」：xlbudget 不會沿用上一列的{column}，而會把「{actual}」當成另一個"
             "{column}另印一段{count}，此列所屬{column}的合計會少算{above}",
             "請在每一列填入完整的{column}，不要以「〃」或「同上」代替"),
        Rule("line-above-header", "標題列上方的明細未讀入", Severity.ERROR,
             "此列在「{sheet}」的標題列（第 {header} 列）之上，卻有{columns}等 {count} 欄資料，像是一筆明細：標題列上方的列"
             "只當作表名，不會讀入，它的數字不會列入任何預算表",
             "若是一筆明細，請把它移到標題列之下（排序時請勾選「我的資料有標題」）；若只是表名或單位，請只留在一、兩格中"),
        Rule("agency-code-mismatch", "機關編號與各科目編號不符", Severity.WARNING,
             "機關編號「{actual}」與本書{where}的第 3 至 7 碼（{expected}，如 {example}）不符：歲出機關別預算表的機關列會印"
             " {printed}，批次轉換的彙總及兩資料夾的比較也依機關編號辨認機關",
             "請確認何者打錯：機關編號應與工作計畫編號、歲入科目編號的第 3 至 7 碼相同（如 32020180101 的機關是 02-018）"),
        Rule("year-differs-from-name", "年度與檔名不符", Severity.WARNING,
             "基本資料的年度是 {actual}，檔名「{name}」寫的是 {expected} 年度：各表將印「中華民國{actual}年度」，"
             "上年度、前年度亦隨之",
             "請確認何者有誤：本書若是檔名所寫的年度（如由上年度的書複製而來），請改正基本資料的年度；否則請改正檔名"),
        Rule("note-only-row", "只有說明的列", Severity.ERROR,
             "此列只有{column}「{actual}」，{key}等欄都是空白：每列是一筆細項，這段文字不會接在上一列之後印出；若是上一列"
             "{column}的續行，請併入上一列的{column}（Alt+Enter 換行）並刪除此列",
             "若是上一列{column}的續行，請併入上一列的{column}（儲存格內換行按 Alt+Enter），並刪除此列；若是一筆細項，"
             "請補上{key}、科目與預算數"),
        Rule("branch-heading-row", "只有分支計畫的列", Severity.ERROR,
             "此列只有分支計畫「{actual}」，沒有用途別科目與預算數：歲出明細每列是一筆細項，分支計畫的標題列不必另填",
             "請刪除此列，把分支計畫填在它各細項列的「分支計畫」欄；若是一筆細項，請補上用途別科目與預算數"),
        Rule("branch-number-unreadable", "分支計畫編號無法辨識", Severity.ERROR,
             "工作計畫 {plan} 的分支計畫「{actual}」的編號讀不成兩位數，名稱卻與 {other} 的「{expected}」相同，會被當成另一個分支計畫",
             "請寫成與該分支計畫相同的兩位數編號與名稱（如 01行政業務）；若確是另一分支計畫，請給它自己的編號與名稱"),
        Rule("plan-name-conflict", "同一計畫有兩個名稱", Severity.ERROR,
             "{level} {plan} 的名稱「{actual}」與 {other} 的「{expected}」不同：預算表只會印出其中一個",
             "同一計畫的各列名稱請寫成一致（工作計畫名稱寫成「業務計畫-工作計畫」，如 一般行政-行政管理）"),
        Rule("revenue-name-conflict", "同一歲入科目有兩個科目名稱", Severity.ERROR,
             "歲入科目 {code} 的科目名稱「{actual}」與 {other} 的「{expected}」不同：預算表只會印出其中一個",
             "同一科目編號的各列科目名稱請寫成一致；若確是兩個科目，請給它們各自的科目編號"),
        Rule("plan-code-conflict", "同一工作計畫名稱有兩個編號", Severity.ERROR,
             "工作計畫「{name}」在此列的編號是 {actual}（{count} 列），在 {other} 是 {expected}（{others} 列）："
             "會被當成兩個工作計畫各印一列，{actual} 的數字不計入 {expected}",
             "同一工作計畫的各列編號請寫成一致（編號打錯的一列請改正）；若確是兩個工作計畫，請給它們不同的名稱"),
        Rule("project-conflict", "計畫項目編號與名稱不一致", Severity.ERROR,
             "工作計畫 {plan} 分支計畫「{branch}」的計畫項目「{actual}」與 {other} 的「{expected}」{what}，會被當成兩個計畫項目",
             "同一計畫項目的編號與名稱請寫成一致（如 08和興路44巷跨景美溪人行景觀橋工程）"),
        Rule("project-note-conflict", "計畫項目說明不一致", Severity.ERROR,
             "計畫項目「{name}」的計畫項目說明與 {other} 不同；同一計畫項目只能有一段說明",
             "計畫項目說明只需填在該計畫項目的任一列；其他列請留空或填相同文字"),
        Rule("totals-row-mismatch", "合計列不等於所屬各項合計", Severity.ERROR,
             "「{label}」列的{column}為 {actual:,}，其所屬各列（{rows}）合計為 {expected:,}",
             "合計列不列入計算；請核對此列或所屬各列的數字"),
        Rule("subtotal-group-mismatch", "小計列不等於其上同組各列合計", Severity.ERROR,
             "「{label}」列的{column}為 {actual:,}：上一個合計列以來各列（{rows}）合計為 {expected:,}，"
             "其上同一{group}（{value}）各列（{group_rows}）合計為 {total:,}，都不相等",
             "小計列不列入計算；請核對此列，或其上同組各列的數字"),
        Rule("totals-row-blank", "合計列數字空白，不列入計算", Severity.INFO,
             "「{table}」的「{label}」列{columns}空白：是合計列，不是細項，不列入計算，也沒有數字可檢核",
             "若此列不需要，可刪除；若要檢核，請填入合計數"),
        Rule("totals-row-unchecked", "合計列找不到所加總的列，未檢核", Severity.WARNING,
             "「{table}」的「{label}」列是小計／合計列，但{reason}；此列數字未檢核",
             "小計列請放在它所加總的各列之下；「○○小計」的○○須與其上某列的名稱相同"),
        # -- a file that cannot be read at all (issue 12): the reason id of a 轉換摘要 row and of an InputError
        Rule("file-vanished", "檔案在處理中消失", Severity.ERROR, "{name} 在處理中消失（已被移動或刪除）"),
        Rule("file-locked", "檔案被鎖定", Severity.ERROR, "{name} 無法讀取：檔案被鎖定或沒有讀取權限"),
        Rule("file-empty", "空檔案", Severity.ERROR, "{name} 是空檔案（0 位元組）"),
        Rule("file-old-xls", "舊版 Excel 檔", Severity.ERROR,
             "{name} 是舊版 Excel 97-2003 (.xls)；請在 Excel 以「另存新檔」存成 .xlsx，"
             "或以 LibreOffice：soffice --headless --convert-to xlsx 檔名.xls"),
        Rule("file-encrypted", "檔案有密碼保護", Severity.ERROR,
             "{name} 有密碼保護（已加密）或為舊版格式；請移除密碼並存成 .xlsx 後再試"),
        Rule("file-xls-renamed", "舊版 Excel 檔改了副檔名", Severity.ERROR,
             "{name} 這其實是 Excel 97-2003 (.xls) 檔，副檔名卻是 {suffix}；請在 Excel 開啟後以「另存新檔」存成 Excel 活頁簿"
             "（.xlsx），或將副檔名改回 .xls 後以 LibreOffice：soffice --headless --convert-to xlsx 檔名.xls"),
        Rule("file-ods-renamed", "OpenDocument 檔改了副檔名", Severity.ERROR,
             "{name} 這其實是 OpenDocument 試算表 (.ods) 檔，副檔名卻是 {suffix}；請將副檔名改為 .ods（xlbudget 可讀 .ods）"),
        Rule("file-not-xls", "副檔名 .xls 但不是 Excel 檔", Severity.ERROR, "{name} 副檔名為 .xls 但不是舊版 Excel 檔；請確認檔案"),
        Rule("file-not-xlsx", "不是 Excel 活頁簿", Severity.ERROR, "{name} 不是 Excel 活頁簿（.xlsx），或檔案已截斷／損毀"),
        Rule("file-fods", "OpenDocument 平面試算表", Severity.ERROR,
             "{name} 是 OpenDocument 平面試算表（.fods，LibreOffice 的單一 XML 檔），不是 Excel 活頁簿，xlbudget 無法讀取；"
             "請在 LibreOffice 開啟後以「另存新檔」存成 ODF 試算表（.ods）或 Excel 活頁簿（.xlsx）再試"),
        Rule("file-web-page", "網頁檔冒充 Excel 檔", Severity.ERROR,
             "{name} 是網頁（HTML）或 XML 檔，只是副檔名為 Excel 的（系統匯出的「Excel 檔」常是如此）；"
             "請在 Excel 開啟後以「另存新檔」存成 Excel 活頁簿（.xlsx）再試"),
        Rule("file-xlsb", "Excel 二進位活頁簿", Severity.ERROR,
             "{name} 是 Excel 二進位活頁簿（.xlsb），xlbudget 無法讀取；請在 Excel 以「另存新檔」存成 Excel 活頁簿（.xlsx）再試"),
        Rule("file-strict", "Strict Open XML 試算表", Severity.ERROR,
             "{name} 是「Strict Open XML 試算表」格式，xlbudget 無法完整讀取（工作表的表格、公式結果等會漏讀）；"
             "請在 Excel 開啟後以「另存新檔」存成「Excel 活頁簿（.xlsx）」再試"),
        Rule("file-template", "Excel 範本檔", Severity.ERROR,
             "{name} 是 Excel 範本（.xltx／.xltm），不是活頁簿，只改副檔名為 .xlsx 則 Excel 也無法開啟；請在 Excel 以「檔案 → 開啟」"
             "開啟範本（已改名為 .xlsx 者先改回 .xltx，含巨集者 .xltm），再以「另存新檔」存成 Excel 活頁簿（.xlsx）後再試"),
        Rule("file-macro-renamed", "含巨集的活頁簿改名為 .xlsx", Severity.ERROR,
             "{name} 是含巨集的 Excel 活頁簿（.xlsm），副檔名卻是 .xlsx：Excel 不會開啟這樣的檔案，依此產生的 .xlsx 也一樣；"
             "請將副檔名改回 .xlsm 後再試（要去掉巨集，請在 Excel 開啟 .xlsm 後「另存新檔」存成 Excel 活頁簿 .xlsx）"),
        Rule("file-csv", "文字檔（CSV），不是活頁簿", Severity.ERROR,
             "{name} 是文字檔（CSV 或系統匯出的文字），不是 Excel 活頁簿，只有一張表、沒有其他輸入工作表；請以 xlbudget new "
             "產生範本，將各列貼入「歲出明細」等工作表（或在 Excel 開啟後以「另存新檔」存成 Excel 活頁簿（.xlsx），"
             "再依範本補齊工作表）"),
        Rule("file-wrong-suffix", "副檔名不是 .xlsx", Severity.ERROR,
             "{name} 的內容是 Excel 活頁簿，但副檔名為「{suffix}」；請將檔名改為 .xlsx 後再試"),
        Rule("path-is-folder", "是資料夾，不是活頁簿", Severity.ERROR, "{name} 是資料夾，不是活頁簿檔案"),
        Rule("lock-file-given", "Excel 暫存鎖定檔", Severity.ERROR,
             "{name} 是 Excel 開啟「{book}」時的暫存鎖定檔，不是預算書；請改用 {instead}"),
        Rule("ods-needs-xlsx", "此功能需要 .xlsx", Severity.ERROR,
             "{name} 是 OpenDocument 試算表（.ods）；此功能需要 .xlsx：請在 LibreOffice 以「另存新檔」存成 "
             "Excel 2007-365 (.xlsx) 後再試"),
        Rule("table-cell-replaced", "預算表工作表上自行輸入的內容已被取代", Severity.WARNING,
             "此格原有{kind}「{was}」（不是上次產生時寫入的），重新產生後為{now}；原內容保留在 {kept}",
             "預算表工作表每次產生都會整張重寫：自己的數字、公式與說明請寫在輸入工作表（例如歲出明細的說明欄）或自己的工作表"),
        Rule("table-note-removed", "預算表工作表上的附註已移除", Severity.WARNING,
             "此格原有{who}附註「{text}」，預算表重新產生後已移除；原附註保留在 {kept}",
             "預算表工作表每次產生都會整張重寫：審閱意見請寫在輸入工作表（例如歲出明細的說明欄）或自己的工作表"),
        Rule("table-thread-removed", "預算表工作表上的對話式註解已移除", Severity.WARNING,
             "此格原有對話式註解（{count} 則：「{text}」），預算表重新產生後已移除；原註解保留在 {kept}",
             "預算表工作表每次產生都會整張重寫：審閱意見請寫在輸入工作表（例如歲出明細的說明欄）或自己的工作表"),
        Rule("table-name-removed", "預算表工作表上的列印範圍或名稱已移除", Severity.WARNING,
             "此工作表的{what}（{text}）已隨預算表重新產生移除{users}；原設定保留在 {kept}",
             "預算表重新產生後，指向表內已變動（或表外）儲存格的列印範圍與名稱不再保留：請在重新產生後再設定，"
             "或改用活頁簿範圍的名稱"),
        Rule("prior-basis-assumed", "以前年度科目的經資門未填", Severity.INFO,
             "以前年度 {code} {name} 本年度沒有歲入明細，此列也沒有填經資門：其上年度預算數 {last} 千元、前年度決算數 {final} "
             "千元列入歲入來源別預算表的經常門合計",
             "若此科目屬資本門，請在以前年度加一欄「經資門」，此列填「資本」"),
        Rule("table-sheet-removed", "已不產生的預算表已移除", Severity.WARNING,
             "「{sheet}」是上次產生的預算表，依目前的輸入已不產生此表（例如出國計畫的類別改了、計畫刪了），"
             "留著會印出上次的數字，已自活頁簿移除{users}；原表保留在 {kept}",
             "目前的輸入產生哪些預算表，見目次；要保留舊表，請從備份（或原檔）複製到自己命名的工作表"),
        Rule("table-sheet-left-behind", "已不產生的預算表仍在活頁簿中", Severity.WARNING,
             "「{sheet}」是上次產生的預算表，依目前的輸入已不產生此表（例如出國計畫的類別改了、計畫刪了）：所印是上次的數字，"
             "未檢核",
             "請執行 xlbudget build 重新產生：不再產生的預算表會移除（原表留在備份）；或自行刪除此工作表"),
        Rule("ods-not-written", ".ods 不寫入", Severity.ERROR, "{name} 是 .ods 檔，xlbudget 不寫入 .ods；請加 -o 輸出檔.xlsx"),
        Rule("file-unreadable", "活頁簿無法讀取", Severity.ERROR,
             "{name} 無法以 Excel 活頁簿讀取，檔案可能已損毀"),  # {error}, the library's exception, is data only
        Rule("sheet-unreadable", "工作表無法讀取", Severity.ERROR, "{name}:{sheet} 工作表無法讀取（{error}）"),
        Rule("ods-needs-calamine", ".ods 檔無法讀取", Severity.ERROR,
             "{name} 是 .ods 檔；此環境沒有 python-calamine，無法讀取，請存成 .xlsx 後再試"),
        Rule("zip-too-large", "解壓縮後過大（疑似壓縮炸彈）", Severity.ERROR,
             "{name} 解壓縮後達 {size} MB，超過上限 {limit} MB（疑似壓縮炸彈），未處理"),
        Rule("zip-ratio", "壓縮比異常（疑似壓縮炸彈）", Severity.ERROR,
             "{name} 的 {part} 壓縮比異常（{ratio} 倍，疑似壓縮炸彈），未處理"),
        Rule("zip-part-damaged", "活頁簿內容已損毀", Severity.ERROR,
             "{name} 已損毀：其中的 {part} 無法解開（檔案可能未完整複製或下載），未處理；請改用原始檔案"),
        Rule("xml-entity", "含 XML 實體宣告", Severity.ERROR, "{name}{part} 含有 XML 實體宣告（可能是惡意檔案），未處理"),
        Rule("duplicate-sheet-name", "工作表名稱重複", Severity.ERROR,
             "{name} 有兩個名為「{sheet}」的工作表（工作表名稱重複），未處理"),
        Rule("sheet-too-large", "工作表範圍過大", Severity.ERROR,
             "工作表「{sheet}」的範圍達 {rows:,} 列 × {cols:,} 欄，超過上限 {max_rows:,} 列 × {max_cols} 欄，未處理"),
        Rule("no-tables", "找不到輸入工作表或預算表", Severity.ERROR,
             "找不到輸入工作表（基本資料、歲出明細），也找不到可辨識的預算表（依表名及欄名）；工作表：{sheets}"),
        Rule("fund-book", "附屬單位預算（基金），不在支援範圍", Severity.ERROR,
             "附屬單位預算（基金）不在 xlbudget 支援範圍，只處理單位預算（{what}）"),
        Rule("two-agencies", "一本活頁簿有兩個機關的預算表", Severity.ERROR,
             "本活頁簿有{count}個機關的預算表（{agencies}），請分開為{count}個檔案；同名的表會被當成同一表的續頁，未檢核"),
        Rule("printed-only-input", "手工預算書沒有輸入工作表", Severity.ERROR,
             "{name} 是手工預算書（只有所印各表，沒有「基本資料」「歲出明細」等輸入工作表）：{command} "
             "需要輸入工作表；{remedy}（手工預算書可用 xlbudget check 檢核、xlbudget compare 比較）"),
        Rule("title-without-table", "表名下讀不到表格", Severity.ERROR, "是「{table}」的表名，但{reason}"),
        # -- what convert did with a book that is not an input problem (the reason id of a 轉換摘要 row)
        Rule("output-locked", "輸出檔無法寫入", Severity.ERROR, "輸出檔 {name} 無法寫入：可能正在 Excel 中開啟，請關閉後重跑"),
        Rule("disk-full", "磁碟空間不足，未寫入", Severity.ERROR,
             "磁碟空間不足，未寫出 {name}（資料夾 {folder}）；原檔未被更動，也未留下寫到一半的檔案。"
             "請騰出空間，或以 -o 寫到空間足夠的位置，再執行一次"),
        Rule("file-too-large", "超過檔案大小限制，未寫入", Severity.ERROR,
             "檔案大小超過系統限制，未寫出 {name}（資料夾 {folder}）；原檔未被更動，也未留下寫到一半的檔案。"
             "請以 -o 寫到沒有此限制的位置，或請系統管理員放寬限制，再執行一次"),
        Rule("book-changed", "活頁簿在處理中被更動，未寫入", Severity.ERROR,
             "{name} 在 xlbudget 讀取之後已被更動（另一個 xlbudget 正在處理它，或在 Excel 中存了檔），本次結果未寫入，"
             "以免把讀取時的內容寫進更動後的活頁簿；{name} 保持更動後的樣子，未留下備份。請待另一方完成後再執行一次"),
        Rule("output-open", "活頁簿正在開啟中", Severity.ERROR,
             "{name} 正在 {program} 中開啟（旁邊有鎖定檔 {lock}{owner}）：寫入會與開啟中的活頁簿互相覆蓋，未寫入任何內容；"
             "請先在 {program} 關閉它再執行，或以 -o 寫到另一個檔案。如確定沒有開啟（鎖定檔是當機時留下的），"
             "請刪除 {lock} 後再執行"),
        Rule("summary-open", "轉換摘要正在開啟中", Severity.ERROR,
             "{name} 正在 {program} 中開啟（旁邊有鎖定檔 {lock}{owner}），無法更新：{done}；請關閉 {name} 後再執行"
             "（已轉換且未變更的預算書不會重做）。如確定沒有開啟（鎖定檔是當機時留下的），請刪除 {lock} 後再執行"),
        Rule("summary-read-only", "轉換摘要唯讀", Severity.ERROR,
             "{name} 是唯讀檔案，無法更新：{done}；請取消它的唯讀屬性後再執行（已轉換且未變更的預算書不會重做）"),
        Rule("output-read-only", "檔案唯讀", Severity.ERROR,
             "{name} 是唯讀檔案，無法寫入（未寫入任何內容）；請取消檔案的唯讀屬性，或以 -o 寫到另一個檔案"),
        Rule("folder-read-only", "資料夾唯讀", Severity.ERROR,
             "{name} 所在的資料夾 {folder} 是唯讀，無法在其中寫入（未寫入任何內容）；請改用可寫入的資料夾，或以 -o 指定輸出位置"),
        Rule("output-is-source", "輸出檔就是原預算書", Severity.ERROR,
             "輸出檔 {name} 就是原預算書；新年度預算書須另存新檔（-o 另一個檔名），原檔不會被覆寫"),
        Rule("mark-would-drop", "標示會遺失活頁簿內容，未寫入", Severity.ERROR,
             "{name}{where}有{what}；這本活頁簿無法原樣寫回，加上 --mark／--clear 寫出會遺失它，未寫入任何檔案；"
             "請在 Excel 中以「檢核」按鈕標示，或不加 --mark 只看檢核結果"),
        Rule("build-would-drop", "產生報表會遺失活頁簿內容，未寫入", Severity.ERROR,
             "{name}{where}有{what}；這本活頁簿無法原樣寫回{why}，產生報表寫出會遺失它，未寫入任何檔案（原檔未被更動）；"
             "請在 Excel 中以「產生報表」按鈕產生"),
        Rule("output-exists", "輸出檔已存在", Severity.ERROR, "輸出檔 {name} 已存在，未寫入任何檔案；若要覆寫請加 --force"),
        Rule("output-is-input", "輸出檔就是輸入的預算書", Severity.ERROR,
             "輸出檔 {name} 就是輸入的預算書 {source}（它在輸出資料夾 {folder} 中），未轉換，原檔未變更；"
             "請以 -o 指定另一個資料夾"),
        Rule("stale-output-renamed", "上次的輸出已改名", Severity.WARNING,
             "上次轉換的輸出 {name} 已改名為 {renamed}（不是本次的結果，請勿使用）"),
        Rule("unfinished-output-renamed", "本次未完成的輸出已改名", Severity.WARNING,
             "本次轉換寫出的 {name} 沒有轉換結果（未列入摘要與彙總），已改名為 {renamed}，請勿使用；請重新轉換此本"),
        Rule("output-changed-renamed", "輸出資料夾中的同名檔已改名保留", Severity.WARNING,
             "輸出資料夾中原有的 {name} 不是上次轉換寫出的內容（轉換後被修改、另外放入同名檔，或上次轉換中斷未記錄），"
             "已改名為 {renamed} 保留，本書已重新轉換"),
        Rule("output-changed-replaced", "輸出資料夾中的同名檔已被取代", Severity.WARNING,
             "輸出資料夾中原有的 {name} 不是上次轉換寫出的內容，但無法改名保留（{error}），已被本次轉換的結果取代"),
        Rule("output-name-shortened", "輸出檔名已縮短", Severity.INFO,
             "{name} 連同資料夾名稱作為輸出檔名超過 255 位元組（檔案系統的上限），輸出檔名已縮短為 {output}"),
        Rule("pdf-settings-unused", "預算表的列印設定未採用", Severity.INFO,
             "本表的{what}未採用：pdf 依標準格式輸出預算表（A4，整張表的每一列與每一欄）"),
        Rule("pdf-sheet-unprinted", "自訂工作表未印入 PDF", Severity.INFO,
             "工作表「{sheet}」不是預算表，未印入 PDF（PDF 只印目次、預算總說明與各預算表）；要隨本書出版，請另行列印附於其後"),
        Rule("book-open-read", "正在 Excel 中開啟，讀取的是上次存檔", Severity.WARNING,
             "正在 {program} 中開啟（旁邊有鎖定檔 {lock}），{read}是上次存檔的內容；若正在修改，請存檔並關閉後再{again}"),
        Rule("output-orphaned", "上次的輸出已無輸入檔", Severity.WARNING,
             "已不在本次轉換的輸入中（移出資料夾、改名或刪除），上次由它轉換的 {name} 未列入本次彙總"),
        Rule("stale-output-kept", "上次的輸出無法改名", Severity.WARNING,
             "上次轉換的輸出 {name} 仍在 {folder}，但它不是本次的結果，請勿使用（無法改名：{error}）"),
        Rule("results-sheet-not-ours", "「檢核結果」工作表不是 xlbudget 的", Severity.ERROR,
             "{name} 已有一張「檢核結果」工作表，但不是 xlbudget 寫的（第一格是「{first}」，不是「xlbudget 檢核結果：…」）；"
             "為免取代其中的內容，未標示也未清除任何儲存格。請將該工作表改名（例如「審核意見」）後再試"),
        Rule("sheet-not-ours", "工作表不是 xlbudget 的", Severity.ERROR,
             "{name} 已有一張「{sheet}」工作表，但不是 xlbudget 寫的（第一格是「{first}」）；為免取代其中的內容，"
             "{kept}。請將該工作表改名後再試"),
        Rule("out-of-memory", "記憶體不足", Severity.ERROR, "{name} 太大，記憶體不足，未處理"),
        Rule("worker-died", "處理程序異常結束", Severity.ERROR, "處理程序異常結束（{error}）"),
        Rule("book-timeout", "轉換逾時", Severity.ERROR, "{name} 超過 {seconds} 秒未完成，已略過",
             "單獨以 xlbudget build 或 check 檢視此本；確是大本者，以 --timeout 放寬每本的時限（秒）"),
        Rule("internal-error", "無法處理", Severity.ERROR, "{name} 無法處理（{error}）；請以 {again} 單獨執行檢視原因"),
        Rule("printed-only", "手工預算表", Severity.INFO, "手工預算表（無輸入工作表）：已檢核所印各表"),
        Rule("up-to-date", "輸出已是最新", Severity.INFO, "輸出已是最新（加 --force 重做）"),
        Rule("lock-file", "Excel 暫存鎖定檔", Severity.INFO, "Excel 開啟活頁簿時的暫存鎖定檔（~$），不是預算書"),
        Rule("hidden-file", "隱藏檔", Severity.INFO,
             "隱藏檔（名稱以「.」開頭、在隱藏資料夾中，或設為隱藏），未轉換；若它是要轉換的預算書，請在指令中直接指明此檔"),
        Rule("resource-fork", "macOS 資源分支檔", Severity.INFO,
             "macOS 的資源分支檔（._ 開頭，Mac 把檔案複製到隨身碟或網路磁碟時留下），不是預算書"),
        Rule("system-file", "系統檔", Severity.INFO, "{what}，不是預算書"),
        Rule("not-a-book", "不是 Excel 活頁簿", Severity.INFO,
             "不是 Excel 活頁簿（副檔名 {suffix}；可轉換 .xlsx、.xlsm、.ods）"),
        Rule("workbook-other-suffix", "活頁簿的暫存檔或備份", Severity.INFO,
             "是活頁簿，但副檔名為 {suffix}（Excel 存檔時的暫存檔、備份或範本），不當作預算書轉換；"
             "若是要轉換的預算書，請將副檔名改為 {right} 後重新轉換"),
        # an archive found among the books (discovery): its directory read (adapters.safety.archive_names), never
        # extracted; one that holds workbooks, or whose contents are not known, is left out of the 彙總 (citywide-archive)
        Rule("archive-with-books", "壓縮檔內有活頁簿", Severity.INFO,
             "壓縮檔，內有活頁簿 {books}：請先解壓縮後重新轉換"),
        Rule("archive-unlisted", "壓縮檔，內容未知", Severity.INFO,
             "壓縮檔（{suffix}），{why}：若內有預算書，請先解壓縮後重新轉換"),
        Rule("archive-is-workbook", "副檔名不對的活頁簿", Severity.INFO,
             "Excel 活頁簿，副檔名卻是 {suffix}：未轉換；請將副檔名改為 {right} 後重新轉換"),
        Rule("archive-is-ods", "副檔名不對的 OpenDocument 試算表", Severity.INFO,
             "OpenDocument 試算表（LibreOffice 的 .ods），副檔名卻是 {suffix}：未轉換；請將副檔名改為 .ods 後重新轉換"),
        Rule("archive-without-books", "壓縮檔（無活頁簿）", Severity.INFO,
             "壓縮檔，內無 Excel 活頁簿（.xlsx、.xlsm、.ods），不是預算書"),
        # a book not filled in yet (convert._unfilled): every problem a required cell left blank
        Rule("book-blank-template", "空白範本", Severity.ERROR,
             "{name} 是空白範本：基本資料及歲出明細均未填寫，沒有可轉換的數字"),
        Rule("book-unfilled", "尚未填寫完成", Severity.ERROR,
             "{name} 尚未填寫完成：必填欄位空白 {count} 格（{where}），如 {first}"),
        Rule("folder-empty", "資料夾沒有檔案", Severity.ERROR, "資料夾 {name} 中沒有任何檔案"),
        Rule("folder-no-book", "資料夾中沒有預算書", Severity.ERROR,
             "資料夾 {name} 中的 {count} 個檔案都不是可轉換的預算書（.xlsx、.xlsm、.ods），未轉換任何一本：各檔案略過的原因見其列"),
        Rule("folder-is-output", "輸入資料夾就是輸出資料夾", Severity.ERROR,
             "資料夾 {name} 是輸出資料夾 {out}（或在其中）：其中的檔案是轉換的輸出，不當作預算書讀取，未轉換任何檔案；"
             "請以 -o 指定另一個資料夾"),
        Rule("folder-earlier-output", "上次轉換的輸出資料夾", Severity.INFO,
             "{name} 是上次轉換的輸出資料夾（有 {manifest}）：其中 {count} 個檔案是該次轉換的輸出與轉換摘要，不是各機關的預算書，未讀取"),
        Rule("folder-earlier-output-read", "上次轉換的輸出資料夾，其中的預算書照讀", Severity.INFO,
             "{name} 是上次轉換的輸出資料夾（有 {manifest}）：其中的預算書（該次轉換的輸出）照常讀取；{count} 個檔案是該次轉換的"
             "轉換摘要、紀錄或改名為 .過期 的舊輸出，不是預算書，未讀取"),
        Rule("glob-is-output", "符合的檔案都在輸出資料夾", Severity.ERROR,
             "符合 {name} 的檔案都在輸出資料夾 {out} 中：其中的檔案是轉換的輸出，不當作預算書讀取，未轉換任何檔案；"
             "請以 -o 指定另一個資料夾"),
        Rule("glob-empty", "沒有符合的檔案", Severity.ERROR, "沒有符合 {name} 的檔案"),
        Rule("glob-no-book", "符合的檔案都不是預算書", Severity.ERROR,
             "符合 {name} 的 {count} 個檔案都不是可轉換的預算書（.xlsx、.xlsm、.ods），未轉換任何一本：各檔案略過的原因見其列"),
        Rule("path-missing", "路徑不存在", Severity.ERROR, "找不到 {name}（檔案或資料夾不存在，請確認路徑）"),
        Rule("broken-link", "捷徑指向的檔案不存在", Severity.ERROR,
             "{name} 是捷徑（符號連結），但它指向的 {target} 不存在（已移動或刪除），未轉換"),
        Rule("folder-link", "指向資料夾的捷徑未進入", Severity.INFO,
             "{name} 是指向資料夾 {target} 的捷徑（符號連結），未進入（以免重複或無限循環）；需要時請直接指定該資料夾"),
        Rule("same-file", "同一檔案，只轉換一次", Severity.INFO, "{name} 與 {other} 是同一個檔案（捷徑或重複指定），只轉換一次"),
        # -- a book whose figures are not in convert's city-wide 彙總 合計 (the 彙總原因代碼 of a 轉換摘要 row)
        Rule("citywide-printed-only", "手工預算表未列入彙總", Severity.WARNING,
             "{name} 是手工預算表（只有所印各表，沒有歲出明細），其歲出未列入彙總合計；請以該書所印「歲出機關別預算表」另行加計"),
        Rule("citywide-unreadable", "無法讀取，未列入彙總", Severity.WARNING,
             "{name} 無法讀取（原因代碼 {reason}），其歲出未列入彙總合計"),
        Rule("citywide-unfilled", "尚未填寫，未列入彙總", Severity.WARNING,
             "{name} {what}，其歲出未列入彙總合計"),
        Rule("citywide-archive", "壓縮檔，未列入彙總", Severity.WARNING,
             "{name} 是{why}；其中的預算書未列入彙總合計，彙總可能缺少機關"),
        Rule("citywide-duplicate-agency", "同一機關重複，未重複加計", Severity.WARNING,
             "{name} 與 {other} 是同一機關（{agency}，機關編號 {code}）的預算書，兩本數字相同，"
             "彙總合計只列入 {other} 一次"),
        Rule("citywide-duplicate-differs", "同一機關有數字不同的預算書，均未列入彙總", Severity.WARNING,
             "{books} 是同一機關（{agency}，機關編號 {code}）的 {count} 本預算書，數字不同，無法確定要彙總哪一本，"
             "均未列入彙總合計；請將不彙總的預算書移出資料夾後重新轉換"),
        Rule("citywide-code-conflict", "機關編號相同而機關名稱不同，均未列入彙總", Severity.WARNING,
             "機關編號 {code} 重複：{books} 名稱不同，無法確定是否同一機關，均未列入彙總合計；"
             "請更正其中一本的機關編號（若是同一機關，請將不彙總的一本移出資料夾）後重新轉換"),
        # books linked in a chain (甲 and 乙 share a 機關編號, 乙 and 丙 a 機關名稱): no one code the group shares
        Rule("citywide-agency-chain", "機關編號與機關名稱互相牽連而不一致，均未列入彙總", Severity.WARNING,
             "{name}（{agency}，機關編號 {code}）與 {others} 互相牽連：{links}；這 {count} 本的機關名稱與機關編號不一致，"
             "無法確定哪幾本是同一機關，均未列入彙總合計；請更正其中的機關編號或機關名稱（若是同一機關，請將不彙總的預算書"
             "移出資料夾）後重新轉換"),
        Rule("citywide-other-city", "其他縣市，未列入彙總", Severity.WARNING,
             "{name} 是{city}的預算書（{authority}），彙總為{main}{other}，未列入彙總合計；不同縣市請分開轉換"),
        Rule("citywide-city-tie", "縣市各半，無法決定彙總", Severity.ERROR,
             "{name}{unnamed}：資料夾有{cities}各 {count} 個機關（{counted}），無法決定彙總哪一縣市，未列入彙總合計；"
             "請分開轉換"),
        Rule("citywide-not-unit-budget", "不是單位預算，未列入彙總", Severity.WARNING,
             "{name} 不是單位預算（{kind}{told}），未列入彙總：總預算的彙總只列入各機關的單位預算，{kind}請另行彙總"),
        Rule("citywide-other-year", "年度不同，未列入彙總", Severity.WARNING,
             "{name} 是 {year} 年度，彙總為 {main} 年度{other}，未列入彙總合計；不同年度請分開轉換"),
        Rule("quantity-unverifiable", "數量讀不出數字，數量×單價未驗證", Severity.UNVERIFIABLE,
             "數量「{raw}」讀不出數字（可讀的寫法如 12、3x12、12月、2人×6月、1式），此列數量 × 單價 = 預算數未驗證",
             "請將數量改為數字，或「人數×月數」的寫法（如 2×6、2人×6月）"),
        Rule("figure-unverifiable", "數字無法讀取，無法驗證", Severity.UNVERIFIABLE,
             "此格「{raw}」{reason}；相關檢核無法驗證",
             "請在 Excel 開啟並儲存（公式需有計算結果），或改為數字"),
        # compare (app/comparison): what two books' comparison could not compare, never a difference
        Rule("compare-figure-unreadable", "數字無法讀取，未比較", Severity.UNVERIFIABLE,
             "{side}此格「{raw}」{reason}：{table}「{row}」{column} 未比較",
             "請在 Excel 開啟並儲存（公式需有計算結果），或改為數字後再比較"),
        Rule("compare-table-unreadable", "找到表名但讀不到表格，未比較", Severity.UNVERIFIABLE,
             "{side}找到「{title}」的表名，但讀不到表格（{reason}）：此表未比較"),
        Rule("compare-table-one-side", "只有一本書有此表，未比較", Severity.UNVERIFIABLE,
             "「{table}」只在{side}讀到，{other}沒有此表或無法辨識：其 {count} 個數字{lines}未比較",
             "手製預算書請列印此表（表名、表頭如標準格式），或只比較兩本都有的表"),
        Rule("compare-column-one-side", "只有一本書有此欄，未比較", Severity.UNVERIFIABLE,
             "「{table}」的「{column}」欄只在{side}讀到，{other}此表沒有此欄（兩本書此表的版式不同）："
             "其 {count} 個數字未比較"),
        Rule("compare-total-row-one-side", "只有一本書印了此合計列，未比較", Severity.INFO,
             "「{table}」的「{label}」列只在{side}印出，是加在所合計各列下的合計列：未比較（xlbudget check 會與所合計的各列核對）"),
        Rule("compare-units-differ", "兩本書單位不同，以千元比較", Severity.INFO,
             "「{table}」{old_side}以{old_unit}、{new_side}以{new_unit}列印：以千元比較（元金額先四捨五入至千元）"),
        Rule("compare-years-differ", "兩本書年度不同", Severity.INFO,
             "兩本書年度不同：舊書為 {old_year} 年度，新書為 {new_year} 年度；各數字為兩個年度之間的增減"),
        Rule("compare-prior-year-differs", "新書的上年度與舊書的本年度不同", Severity.WARNING,
             "{later}（{later_year} 年度）「{table}」{row} 的{column}為 {now} {unit}，{earlier}（{earlier_year} 年度）"
             "此列的{this}為 {was} {unit}（相差 {change} {unit}）：{later_year} 年度的上年度應為 {earlier_year} 年度的本年度{hint}",
             "前一年度的書若為預算案，差額可能是議會審議的刪減或增列：上年度應填法定預算數（以前年度、員額或"
             "出國計畫工作表）；若已是法定預算，請更正上年度"),
        Rule("compare-tables-stale", "預算表未依目前輸入重新產生，比較的是輸入重算的數字", Severity.UNVERIFIABLE,
             "{side} {name}：{stale}。比較的是由其輸入工作表重算的數字（即重新產生後預算表所印的數字），"
             "不是其預算表目前所印的數字",
             "請先對該書執行 xlbudget build（或按「產生報表」），再比較"),
        Rule("compare-branch-unpaired", "分支計畫無法確定對應，未配對", Severity.INFO,
             "工作計畫 {plan} 的分支計畫{what}：無法判斷何者為同一分支計畫，未配對，其數字與細項各列為刪除及新增"),
        Rule("compare-agencies-differ", "兩本書機關不同", Severity.INFO,
             "兩本書機關不同：舊書為 {old_agency}，新書為 {new_agency}；各數字為兩個機關之間的差異",
             "若要比較同一機關的兩本預算書，請確認選取的檔案"),
        # compare DIR_OLD DIR_NEW (app/comparefolders): a book no book of the other folder is paired with
        Rule("compare-no-partner", "另一資料夾沒有同一機關的預算書，未比較", Severity.UNVERIFIABLE,
             "{name}（{agency}，{year}）：{other}沒有同一機關的預算書，未比較",
             "請將該機關的另一本預算書放入另一資料夾，或確認兩本的機關名稱（表名上一行）、機關編號相同"),
        Rule("compare-kind-no-partner", "另一資料夾沒有同一機關同一預算類別的預算書，未比較", Severity.UNVERIFIABLE,
             "{name}（{agency}，{year}，{kind}{told}）：{other}有此機關的{others}（{names}），沒有{kind}；"
             "不同預算類別的預算書不互相比較，未比較",
             "請將該機關同一預算類別的另一本預算書放入另一資料夾；類別不對時，請在基本資料「預算類別」填正確的類別"),
        Rule("compare-partner-ambiguous", "同一機關有多本預算書，無法確定配對，未比較", Severity.UNVERIFIABLE,
             "{name}（{agency}，{year}）：同一機關在舊資料夾有 {olds} 本、新資料夾有 {news} 本（{names}），"
             "年度也無法區分，無法確定與哪一本比較：未比較",
             "每個資料夾一個機關一個年度只放一本預算書"),
        # one folder inside the other, the outer holding no book but the inner folder's (each book read on one side)
        Rule("compare-folder-only-other", "資料夾中只有另一邊資料夾的預算書，沒有可比較的預算書", Severity.ERROR,
             "{name} 中的檔案都在{other_side} {other} 內：那些是{other_side}的預算書，不重複算作{side}的，"
             "{side}沒有可比較的預算書；請把兩邊的預算書放在互不包含的兩個資料夾（例如同一資料夾下的「預算案」與「法定預算」）",
             "請把兩邊的預算書放在互不包含的兩個資料夾"),
        Rule("compare-agency-unknown", "讀不到機關，無法配對，未比較", Severity.UNVERIFIABLE,
             "{name}：讀不到機關名稱（範本的基本資料，或各表表名上一行），另一資料夾也沒有同檔名的預算書：未比較",
             "請在表名上一行印出機關名稱，或兩個資料夾中以相同檔名存放同一機關的預算書"),
    )
}


@record
class Finding:
    """One thing wrong (or worth knowing) about a book, pointing at its cell."""

    rule: str
    severity: Severity
    cell: CellRef | None
    expected: object
    actual: object
    message: str
    related: tuple[CellRef, ...] = field(default=())


def make_finding(rule: str, cell: CellRef | None, expected=None, actual=None,
                 related: tuple[CellRef, ...] = (), **fields) -> Finding:
    """Build a finding from the catalogue entry ``rule``."""
    entry = RULES[rule]
    message = entry.template.format(expected=expected, actual=actual, **fields)
    if not message.isprintable():  # C-fast; a message quoting text typed with an invisible character names it
        message = message.translate(_INVISIBLE)
    return Finding(rule, entry.severity, cell, expected, actual, message, related)


# characters a message would quote as nothing (a name pasted from the web with a zero-width space after it, 「1020​」):
# each named where it stands, so the officer sees why two texts differ (field report 14 §2.4); full-width spaces,
# line breaks and tabs are left as they are (what messages quote of them is said by shown_whitespace)
_INVISIBLE = {**{c: f"（不可見字元 U+{c:04X}）" for c in (*INVISIBLE, 0x2007)},
              0x200B: "（零寬空格 U+200B）", 0x200C: "（零寬非連接符 U+200C）", 0x200D: "（零寬連接符 U+200D）",
              0x2060: "（零寬不換行 U+2060）", 0xFEFF: "（零寬不換行空格 U+FEFF）", 0x00AD: "（軟連字號 U+00AD）",
              0x00A0: "（不換行空格 U+00A0）", 0x202F: "（窄不換行空格 U+202F）", 0x2007: "（數字空格 U+2007）"}


def rows_named(cells: Iterable[CellRef], sheet: str) -> str:
    """The rows of ``cells`` as a message names them, those of ``sheet`` (the finding's) by number alone: 「第 2 至
    27 列」, 「第 5 列」, 「第 2 至 4、9 列」; more than three runs as 「第 2 至 40 列中的 12 列」; another sheet's by
    its name (「工作表2」第 3 至 8 列). What a total added up, so the officer sees why it differs (field report 5 §5)."""
    by_sheet: dict[str, list[int]] = {}
    for cell in cells:
        by_sheet.setdefault(cell.sheet, []).append(cell_position(cell.cell)[0])
    named = []
    for where, rows in by_sheet.items():
        rows = sorted(set(rows))
        runs: list[list[int]] = []
        for row in rows:
            if runs and row == runs[-1][-1] + 1:
                runs[-1].append(row)
            else:
                runs.append([row])
        if len(runs) > 3:
            text = f"第 {rows[0]} 至 {rows[-1]} 列中的 {len(rows)} 列"
        else:
            text = "第 " + "、".join(f"{run[0]} 至 {run[-1]}" if len(run) > 1 else f"{run[0]}" for run in runs) + " 列"
        named.append(text if where == sheet else f"「{where}」{text}")
    return "，".join(named) or "無"


def unique_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Each finding once, in the order first met: two with the same rule, cell and message are one finding
    (reading and the checks, or two checks, may name the same thing)."""
    seen, unique = set(), []
    for f in findings:
        key = (f.rule, f.cell, f.message)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def error_count(findings: Iterable[Finding]) -> int:
    """How many error findings, each once as they are listed (``unique_findings``): what makes build and pdf exit 1
    (their book is written, a draft, but not fit to publish), as check and convert do."""
    return sum(f.severity == Severity.ERROR for f in unique_findings(findings))


_RANK = {"error": 0, "unverifiable": 1, "warning": 2, "info": 3}


def severity_rank(severity) -> int:
    """0 for an error, then 無法驗證, 警告, 提示: the order of every finding list and of a cell's worst finding.

    無法驗證 comes right after 錯誤: a figure nobody could verify may hide an error, and it is not a warning
    the officer may choose to keep.
    """
    return _RANK.get(getattr(severity, "value", str(severity)), len(_RANK))


def in_reading_order(findings: Iterable[Finding], sheet_order: Iterable[str] = ()) -> list[Finding]:
    """The one order of findings: the CLI's list, the JSON, 檢核結果 and an InputError's list all use it.

    Most severe first (``severity_rank``): the officer fixes the errors first, and the exit code is about
    them. Within a severity, as the book is read: findings about the file as a whole, then the sheets in
    book order (the tabs left to right, ``sheet_order``; a sheet not in it after those, in the order first
    met), then row, then column (top to bottom, left to right; AA after Z), then rule id.
    """
    findings = list(findings)
    order = {name: i for i, name in enumerate(dict.fromkeys(sheet_order))}
    for f in findings:
        if f.cell is not None:
            order.setdefault(f.cell.sheet, len(order))

    def key(f: Finding):
        where = (-1, 0, 0) if f.cell is None else (order[f.cell.sheet], *cell_position(f.cell.cell))
        return (severity_rank(f.severity), *where, f.rule)

    return sorted(findings, key=key)


def is_joint(f: Finding) -> bool:
    """Whether ``f``'s cells disagree together (its rule is joint): all marked, none named the wrong one."""
    rule = RULES.get(f.rule)
    return bool(rule and rule.joint)


def marked_cells(f: Finding) -> tuple[CellRef, ...]:
    """The cells a finding marks in the workbook: its cell, and for a joint finding its related cells too."""
    if f.cell is None:
        return ()
    return (f.cell, *[c for c in f.related if c != f.cell]) if is_joint(f) else (f.cell,)


def shown_figures(f: Finding) -> tuple[object, object]:
    """(應為, 實為) as a note or a results sheet shows them; none for a joint finding (no cell is the right one)."""
    return (None, None) if is_joint(f) else (f.expected, f.actual)


def item_product_differs(quantity, price, amount) -> bool:
    """Whether 數量 × 單價 ≠ 預算數 (item_product_finding's test, asked before its cells are looked up).

    預算數 is whole 元; a 單價 with 角 (Decimal 1.6) gives the product rounded to the 元 half away from
    zero (amounts.priced_amount: 312,500 × 1.6 = 500,000, and 3 × 0.35 = 1.05 is 1 元).
    """
    if quantity is None or price is None or amount is None:
        return False
    if type(price) is int and type(quantity) is int:  # the common line: whole 元
        return quantity * price != amount
    return priced_amount(quantity, price) != amount


def figure_text(value) -> str:
    """A 數量 or 單價 as a message shows it: thousands commas, a whole figure without its «.0» (4,410,710, not
    «4410710.0»), 角 kept (1.6); text (3x12) as it is."""
    from decimal import Decimal, InvalidOperation

    if isinstance(value, str):  # a 單價 to its 角, as str(Decimal) gives it («4410710.0»)
        try:
            value = Decimal(value) if value.strip() else value
        except InvalidOperation:
            return value
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and value == value \
            and value not in (float("inf"), float("-inf")):
        if value == int(value):
            return f"{int(value):,}"
        return f"{value:,}"
    return str(value)


def factor_finding(f: Finding, quantity, price, total: CellRef, label: str, quantity_text: str = "",
                   amount_name: str = "預算數") -> Finding:
    """An item-product-mismatch (or vehicle-fuel-mismatch) ``f`` on a line whose 預算數 (油料費 金額) its total
    ``total`` adds up exactly (and every total above it its own), so that the 預算數 is confirmed and 數量 or 單價 is the figure typed wrong: the one of
    them that, with the other as printed, gives the 預算數 (a whole 數量; a 單價 to the places it is printed to) is
    named with that figure (item-factor-mismatch: 明細表 D128 單價 5,000,000 typed for 350,000, 數量 1, 預算數
    350,000 in 2018 資訊服務費's 63,790,000); both or neither: the two named together, no 應為 picking one
    (item-factors-mismatch: the 數量 and the 單價 marked, not the right 預算數). ``f.related``: its (數量, 單價)
    cells; ``label``: the line of ``total``; ``quantity_text``: the 數量 as printed (2人×6月), when it is text."""
    from decimal import ROUND_HALF_UP, Decimal

    quantity_cell, price_cell = f.related
    amount = f.actual
    right: dict = {}
    if price:
        q = round(Decimal(amount) / Decimal(price))
        if q > 0 and q != quantity and priced_amount(int(q), price) == amount:
            right[quantity_cell] = ("數量", int(q))
    if quantity:
        places = Decimal(1) if type(price) is int else Decimal(1).scaleb(min(Decimal(price).as_tuple().exponent, 0))
        p = (Decimal(amount) / Decimal(quantity)).quantize(places, rounding=ROUND_HALF_UP)
        if p > 0 and p != price and priced_amount(quantity, p) == amount:
            right[price_cell] = ("單價", int(p) if type(price) is int else str(p))
    shown = dict(quantity=quantity_text.strip() or figure_text(quantity), price=figure_text(price),
                 product=f"{f.expected:,}", amount=amount, amount_name=amount_name, total=total.cell, label=label)
    if len(right) == 1:
        cell, (what, value) = next(iter(right.items()))
        typed = quantity if cell == quantity_cell else (price if type(price) is int else str(price))
        return make_finding("item-factor-mismatch", cell, expected=value, actual=typed,
                            related=(f.cell, quantity_cell if cell == price_cell else price_cell, total),
                            where=cell.cell, what=what, right=figure_text(value), **shown)
    return make_finding("item-factors-mismatch", quantity_cell, related=(price_cell,),
                        cells=f"{quantity_cell.cell}、{price_cell.cell}", **shown)


def item_product_finding(quantity, price, amount, amount_cell: CellRef, quantity_cell: CellRef | None,
                         price_cell: CellRef | None, quantity_text: str) -> Finding | None:
    """數量 × 單價 ≠ 預算數 on one line (歲出, 歲入, or a printed 明細表): the three cells together, or None.

    The one place this rule is decided; nothing is said when a figure is missing.
    """
    if not item_product_differs(quantity, price, amount):
        return None
    expected = priced_amount(quantity, price)
    exact = quantity * price
    product = f"{expected:,}" if exact == expected else f"{exact:,}（四捨五入至元為 {expected:,}）"
    if quantity_text.strip().replace(",", "") != str(quantity):  # 2人×6月: the 數量 it was read as is said
        quantity_text = f"{quantity_text.strip()}（= {quantity:,}）"
    return make_finding("item-product-mismatch", amount_cell, expected=expected, actual=amount,
                        related=tuple(c for c in (quantity_cell, price_cell) if c is not None),
                        quantity=quantity_text, price=price, product=product)
