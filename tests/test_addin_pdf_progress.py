"""The 輸出PDF button says what it is doing on Excel's status bar while the PDF is made (publish renders the book,
then again with the 目次's page ranges, each a while in Excel): before, nothing moved until 執行紀錄 was written at the
end. Excel is played by a stand-in recording what its status bar is told (Application.StatusBar, xlwings
app.status_bar), publish_live by one rendering twice; the PDF itself is tests/test_publish.py's."""

from __future__ import annotations

import types

import pytest

import xlwings_json  # noqa: F401  (XLWINGS_ON_SERVER before xlwings)
from xlbudget.addin import buttons

READING = "xlbudget 輸出PDF：讀取輸入資料、產生預算表中，請稍候…"


def _rendering(n: int) -> str:
    return f"xlbudget 輸出PDF：Excel 輸出 PDF 中（第 {n} 次；依頁次填入目次後再輸出一次核對），請稍候…"


class _App:
    def __init__(self, said):
        self.said = said

    @property
    def status_bar(self):
        return self.said[-1] if self.said else False

    @status_bar.setter
    def status_bar(self, text):
        self.said.append(text)


def _book(tmp_path, said):
    return types.SimpleNamespace(app=_App(said), fullname=str(tmp_path / "範例.xlsx"), name="範例.xlsx")


def test_the_status_bar_says_each_step_and_is_given_back(monkeypatch, tmp_path):
    said = []

    def publish(book, target, render):
        said.append(("pdf", target.name))
        render("a.xlsx", tmp_path)
        render("b.xlsx", tmp_path)  # the 目次 ranges written, rendered again
        return "done"

    monkeypatch.setattr(buttons, "publish_live", publish)
    result = buttons.publish_with_progress(_book(tmp_path, said), lambda xlsx, work: said.append(("render", xlsx)))
    assert result == "done"
    assert said == [READING, ("pdf", "範例.pdf"), _rendering(1), ("render", "a.xlsx"), _rendering(2),
                    ("render", "b.xlsx"), False]


def test_the_status_bar_is_given_back_when_publishing_fails(monkeypatch, tmp_path):
    said = []

    def publish(book, target, render):
        render("a.xlsx", tmp_path)
        raise RuntimeError("Excel refused")

    monkeypatch.setattr(buttons, "publish_live", publish)
    with pytest.raises(RuntimeError):
        buttons.publish_with_progress(_book(tmp_path, said), lambda xlsx, work: None)
    assert said == [READING, _rendering(1), False]


def test_an_excel_without_a_status_bar_is_published_all_the_same(monkeypatch, tmp_path):
    class NoBar:
        @property
        def status_bar(self):
            raise NotImplementedError

        @status_bar.setter
        def status_bar(self, text):
            raise NotImplementedError

    monkeypatch.setattr(buttons, "publish_live", lambda book, target, render: render("a.xlsx", tmp_path))
    book = types.SimpleNamespace(app=NoBar(), fullname=str(tmp_path / "範例.xlsx"), name="範例.xlsx")
    assert buttons.publish_with_progress(book, lambda xlsx, work: "rendered") == "rendered"
