"""The commands xlbudget prints for the officer to run next can be pasted back as they are: a path with spaces or
parentheses is quoted as the shell needs (core.errors.command_line)."""

import shlex

from xlbudget.cli import main
from xlbudget.core.errors import command_line

from test_convert import small_book


def test_command_line_quotes_only_what_the_shell_needs():
    assert command_line("xlbudget", "compare", "預算案/甲.xlsx", "法定預算/甲-2.xlsx", windows=False) == (
        "xlbudget compare 預算案/甲.xlsx 法定預算/甲-2.xlsx")  # nothing to quote: as typed
    assert command_line("xlbudget", "check", "預算案 (1)/甲 局.xlsx", "O'Neil.xlsx", "", windows=False) == (
        "xlbudget check '預算案 (1)/甲 局.xlsx' 'O'\"'\"'Neil.xlsx' ''")
    assert command_line("xlbudget", "check", r"C:\預算案 (1)\甲.xlsx", r"D:\法定預算\乙.xlsx", windows=True) == (
        r'xlbudget check "C:\預算案 (1)\甲.xlsx" D:\法定預算\乙.xlsx')
    # what a POSIX shell reads back is the words given
    words = ["xlbudget", "compare", "a b/(甲).xlsx", "$HOME*.xlsx", "x;y&z|w", "~/甲.xlsx", "#1.xlsx"]
    assert shlex.split(command_line(*words, windows=False)) == words


def test_compare_folders_hint_can_be_pasted_back(tmp_path, capsys):
    old, new = tmp_path / "預算案 (第1版)", tmp_path / "法定 預算"
    old.mkdir()
    new.mkdir()
    small_book(old / "甲 局.xlsx", "甲局", "02-001", [("32020010101", "一般行政-行政管理", "2018", 3_000)])
    small_book(new / "甲 局.xlsx", "甲局", "02-001", [("32020010101", "一般行政-行政管理", "2018", 2_000)])
    assert main(["compare", str(old), str(new)]) == 1
    hint = next(line for line in capsys.readouterr().out.splitlines() if "一個機關的逐數字差異" in line)
    words = shlex.split(hint.split("例如：", 1)[1])
    assert words == ["xlbudget", "compare", str(old / "甲 局.xlsx"), str(new / "甲 局.xlsx")]
    assert main(words[1:]) == 1  # pasted back, it compares the two books (2 would be «找不到 …»)
