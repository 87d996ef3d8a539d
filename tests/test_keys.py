"""Keys as typed: full-width, no-break and ideographic spaces, numbers for codes."""

from xlbudget.core.keys import compact_key, normalize_key


def test_fullwidth_digits_and_letters_are_ascii():
    assert normalize_key("３２０２０１０１００") == "3202010100"
    assert normalize_key("８９７０ａ０１") == "8970a01"


def test_spaces_of_every_kind_are_one_space_and_trimmed():
    assert normalize_key("01\u00a0行政業務") == "01 行政業務"
    assert normalize_key("\u3000歲出明細 ") == "歲出明細"
    assert normalize_key("a \u3000\t b") == "a b"


def test_codes_typed_as_numbers():
    assert normalize_key(3202.0) == "3202"
    assert normalize_key(1015) == "1015"
    assert normalize_key(None) == ""


def test_compact_key_drops_every_space():
    assert compact_key("科\u3000目 名 稱") == "科目名稱"
    assert compact_key("０１\u00a0行政業務") == "01行政業務"


def test_branch_number_two_wide_and_name_without_spaces():
    from xlbudget.core.keys import branch_key

    for typed in ("1行政業務", "０１行政業務", "01\u00a0行政業務", " 01 行政 業務\u3000"):
        assert branch_key(typed) == ("01", "行政業務"), typed
    # a two-digit number glued to a name that starts with a year (臺北市 工務局): never split into a false number
    assert branch_key("01115年度人行道工程規劃設計") == ("", "01115年度人行道工程規劃設計")
    assert branch_key("116年度人行道工程規劃設計") == ("", "116年度人行道工程規劃設計")
    assert branch_key("行政業務") == ("", "行政業務")


def test_branch_numbered_as_a_heading():
    from xlbudget.core.keys import branch_key, unread_numbering

    for typed in ("(一)行政業務", "（一）行政業務", "一、行政業務", "1.行政業務", "１．行政業務", "(1)行政業務", "1)行政業務",
                  "壹、行政業務", "(01) 行政業務", "1、行政業務"):
        assert branch_key(typed) == ("01", "行政業務"), typed
        assert unread_numbering(typed) == "", typed
    assert branch_key("十二、資訊業務") == ("12", "資訊業務")
    assert branch_key("貳拾壹、資訊業務") == ("21", "資訊業務")
    assert branch_key("(二十)資訊業務") == ("20", "資訊業務")
    # no number 1–99: kept whole, its name set apart for the reader's check
    for typed in ("(甲)行政業務", "A.行政業務", "一百、行政業務", "(100)行政業務", "一二、行政業務", "(0)行政業務"):
        assert branch_key(typed) == ("", typed.replace(" ", "")), typed
        assert unread_numbering(typed) == "行政業務", typed
    # no numbering at all: a name starting with a numeral word, a decimal
    for typed in ("一般行政", "十大建設", "1.5公尺步道", "01行政業務"):
        assert unread_numbering(typed) == "", typed
    assert branch_key("一般行政") == ("", "一般行政")
