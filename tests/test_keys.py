"""Keys as typed: full-width, no-break and ideographic spaces, numbers for codes."""

from xlbudget.keys import compact_key, normalize_key


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
