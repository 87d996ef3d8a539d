"""The program's own failures and unreadable input, under one base class."""

from __future__ import annotations


class XlbudgetError(Exception):
    """Base of every error xlbudget raises on purpose; its text is for the user (zh-TW)."""


class InputError(XlbudgetError):
    """An input workbook cannot be read as a budget book.

    ``problems`` lists each bad place as ``檔案:工作表!儲存格 說明``.
    """

    def __init__(self, problems: list[str] | str, file: str | None = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.file = file
        super().__init__(self._text())

    def _text(self) -> str:
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        lines = [("輸入資料有誤" + (f"（{self.file}）" if self.file else "") + "：")]
        lines += [f"  - {p}" for p in shown]
        if more > 0:
            lines.append(f"  …另有 {more} 處")
        return "\n".join(lines)


class UsageError(XlbudgetError):
    """The command was asked for something it cannot do (a wrong file name, a folder for a file); zh-TW text."""
