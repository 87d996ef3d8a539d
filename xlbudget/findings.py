"""Findings: data, not exceptions. One catalogue of rule ids with severity and zh-TW template."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .model import CellRef


class Severity(str, Enum):
    """How bad a finding is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """A catalogue entry: stable kebab-case id, title, severity, message template."""

    id: str
    title: str
    severity: Severity
    template: str


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("unknown-object-code", "未知的用途別科目", Severity.ERROR,
             "用途別科目 {code} 不在科目表中，請確認代碼"),
        Rule("object-name-mismatch", "科目名稱與代碼不符", Severity.WARNING,
             "科目 {code} 的名稱應為「{expected}」，此處為「{actual}」"),
        Rule("basis-not-allowed", "經資門與科目不符", Severity.ERROR,
             "{code} {name} 只能列{expected}門，此處列為{actual}門；已依{expected}門計算"),
        Rule("unknown-econ-class", "無法辨識的經濟性分類", Severity.ERROR,
             "經濟性分類「{actual}」無法辨識；已改用預設「{expected}」"),
        Rule("econ-class-needed", "資本門業務費/獎補助費需指定經濟性分類", Severity.WARNING,
             "{code} 列資本門，科目預設的經濟性分類「{actual}」屬經常支出；已暫列「{expected}」，請指定"),
        Rule("item-product-mismatch", "數量×單價不等於預算數", Severity.ERROR,
             "數量 {quantity} × 單價 {price:,} = {expected:,} 元，預算數為 {actual:,} 元"),
        Rule("matched-exceeds-amount", "收支併列數大於預算數", Severity.ERROR,
             "收支併列數 {actual:,} 元大於預算數 {expected:,} 元"),
        Rule("not-whole-thousand", "工作計畫×一級用途別合計非千元整數", Severity.WARNING,
             "{plan} {code} 合計 {actual:,} 元不是千元的整數倍"),
        Rule("prior-year-unknown-code", "以前年度科目找不到對應", Severity.WARNING,
             "以前年度科目編號 {code} 不是本年度的工作計畫、業務計畫或歲入科目，也未填款項目節；已略過"),
        Rule("unknown-function", "未知的職能別", Severity.ERROR,
             "職能別「{actual}」不在 01～15 之中"),
    )
}


@dataclass(frozen=True)
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
    return Finding(rule, entry.severity, cell, expected, actual, message, related)
