"""The program's own failures and unreadable input, under one base class."""

from __future__ import annotations

import re

from xlbudget.core.patterns import lazy


class XlbudgetError(Exception):
    """Base of every error xlbudget raises on purpose; its text is for the user (zh-TW)."""


MAX_SHOWN = 50  # problems listed in the message; the rest are counted, as a compiler does


class InputError(XlbudgetError):
    """An input workbook cannot be read as a budget book.

    ``findings`` lists every problem as data: a rule id of the catalogue
    (``xlbudget.core.findings``), the cell (or None for the file as a whole) and
    the message, in ``core.findings.in_reading_order`` (``sheet_order``: the
    book's sheets, tabs left to right, when the raiser knows them). ``problems``
    is the same list as text lines, ``檔案:工作表!儲存格 說明``.
    """

    def __init__(self, problems, file: str | None = None, sheet_order=()):
        from xlbudget.core.findings import Finding, in_reading_order

        items = [problems] if isinstance(problems, (str, Finding)) else list(problems)
        found = [_text_problem(p) if isinstance(p, str) else p for p in items]
        self.findings: list = in_reading_order(found, sheet_order)
        self.file = file
        super().__init__(self._text())

    @property
    def problems(self) -> list[str]:
        """Each problem as one line of text: its cell (with file) and its message."""
        return [f"{f.cell} {f.message}" if f.cell else f.message for f in self.findings]

    HEAD = "輸入資料有誤"  # the first words of the message, before the file it names

    def _text(self) -> str:
        lines = self.problems
        shown = lines[:MAX_SHOWN]
        more = len(lines) - len(shown)
        head = self.HEAD + (f"（{self.file}）" if self.file else "")
        if len(lines) > 1:
            head += f"，共 {len(lines)} 處"
        out = [head + "："] + [f"  - {p}" for p in shown]
        if more > 0:
            out.append(f"  …另有 {more} 處")
        return "\n".join(out)


class OutputRefused(InputError):
    """The output a command was given is not written (it exists, or it is the book read), as findings
    (output-exists, output-is-source) naming the output: the input is fine, and the message does not say it is not
    (field report 4 §5.2, f25: «輸入資料有誤（範例…）： - 輸出檔 … 已存在»)."""

    HEAD = "未寫出輸出檔"


_PLACE = lazy(r"^(?:(?P<file>[^!\s]*?):)?(?P<sheet>[^!:\s]+)!(?P<cell>[A-Z]{1,3}\d+)\s+(?P<message>.*)$", re.S)


def _text_problem(text: str):
    """A problem given as text, ``檔案:工作表!D5 說明`` or a whole-file sentence, as a finding (input-unreadable)."""
    from xlbudget.core.findings import Finding, Severity
    from xlbudget.core.model import CellRef

    m = _PLACE.match(text)
    if m is None:
        return Finding("input-unreadable", Severity.ERROR, None, None, None, text)
    cell = CellRef(m.group("sheet"), m.group("cell"), m.group("file") or None)
    return Finding("input-unreadable", Severity.ERROR, cell, None, None, m.group("message"))


class UsageError(XlbudgetError):
    """The command was asked for something it cannot do (a wrong file name, a folder for a file); zh-TW text."""


# a run of a file name's bytes that are not UTF-8 (surrogate-escaped by Python; a pair that happens to be UTF-8 is
# given as a character of U+0080–U+07FF) and the ASCII bytes among them (a Big5 character's second byte may be
# ASCII: 民 is A5C1, 政 AC46 «F», 許 B35C «\\»): decoded together, as the name's own bytes
_UNDECODED = lazy("[\udc80-\udcff\u0080-\u07ff][\udc80-\udcff\u0080-\u07ff\x21-\x2e\x30-\x7e]*")


def decoded_run(text: str, start: int) -> tuple[str, int]:
    """The file name's bytes at ``start`` of ``text`` (a surrogate-escaped byte), and where their run ends: decoded
    as CP950 (Big5: the names an old Windows zip gives on Linux, field report 9 §6.1), else each byte that is not
    UTF-8 as U+FFFD (field report 5 §4.1)."""
    m = _UNDECODED.match(text, start)
    end = m.end() if m else start + 1
    try:
        raw = text[start:end].encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name gives
        return "\ufffd" * (end - start), end
    try:
        return raw.decode("cp950"), end
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace"), end


def shown_text(text: str) -> str:
    """``text`` as it can be written (UTF-8 in JSON, CSV, xlsx parts): a file name Linux gave as bytes that are not
    UTF-8 (surrogate-escaped by Python) shown as the Big5 name it is (教育局.xlsx: decoded_run), or with U+FFFD (�)
    for each byte when it is not Big5 either, instead of failing the write (field report 5 §4.1). Any other text
    is itself. The file keeps its own bytes: only what is shown is decoded."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        shown, at = [], 0
        for m in _UNDECODED.finditer(text):
            if not any("\udc80" <= c <= "\udcff" for c in m.group()):
                continue  # characters of a name that is UTF-8 (Ж, é): themselves
            shown += [text[at:m.start()], decoded_run(text, m.start())[0]]
            at = m.end()
        shown.append(text[at:])
        text = "".join(shown)
        # a surrogate no file name gives: a replacement character all the same
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


# characters a shell reads as more than part of a word: POSIX sh, and Windows' cmd and PowerShell
_POSIX_SPECIAL = set(" \t\n'\"\\$`!*?[](){}<>|&;#~")
_WINDOWS_SPECIAL = set(" \t&()[]{}^=;!'+,`~%@$")


def command_line(*words: object, windows: bool | None = None) -> str:
    """A command to paste back into a terminal: each word (a path with spaces or parentheses, 「預算案 (1)/甲.xlsx」)
    quoted as the shell needs, and only then: on POSIX as shlex.quote does, on Windows (``windows``, by default
    where it runs) in double quotes, which cmd and PowerShell both read (a Windows file name holds no «"»). A word
    of letters, digits, CJK, «/», «.», «-» is left as typed."""
    import os
    import shlex

    windows = os.name == "nt" if windows is None else windows
    special = _WINDOWS_SPECIAL if windows else _POSIX_SPECIAL

    def quoted(word: str) -> str:
        if word and not any(ch in special or not ch.isprintable() for ch in word):
            return word
        return f'"{word}"' if windows else shlex.quote(word)

    return " ".join(quoted(str(w)) for w in words)
