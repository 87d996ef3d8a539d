"""Code tables as package data."""

from xlbudget.core import codes


def test_object_codes_loaded_from_package_data():
    table = codes.object_codes()
    assert table["2018"].name == "資訊服務費"
    assert table["2018"].parent == "2000"
    assert table["3030"].capital_column == "資訊軟硬體設備"
    assert table["1000"].fixed_basis == "經常"
    assert table["3000"].fixed_basis == "資本"
    assert table["2000"].fixed_basis is None


def test_old_names_accepted():
    assert "加班值班費" in codes.object_codes()["1040"].names
    assert "臨時人員酬金" in codes.object_codes()["2033"].names


def test_resolve_econ_short_names_and_basis():
    assert codes.resolve_econ("資訊軟體", "資本").key == "固定資本形成-資訊軟體"
    assert codes.resolve_econ("機器及其他設備", "資本").key == "固定資本形成-機器及其他設備"
    # 對企業 exists under both 經常移轉 and 資本移轉: the line's 經資門 decides
    assert codes.resolve_econ("對企業", "經常").key == "經常移轉-對企業"
    assert codes.resolve_econ("對企業", "資本").key == "資本移轉-對企業"
    # a 資本門 獎補助費 keeps its counterpart transfer
    assert codes.resolve_econ("經常移轉-對政府", "資本").key == "資本移轉-對政府"
    assert codes.resolve_econ("不存在的分類", "經常") is None


def test_functions_and_revenue_sources():
    assert len(codes.functions()) == 15
    assert codes.functions()["01"] == "一般公共事務"
    assert codes.revenue_sources()["09"] == "補助及協助收入"
    assert codes.revenue_levels("09020180102") == ("09000000000", "09020180000", "09020180100", "09020180102")
    assert codes.program_code_of("32020183201") == "32020183200"
    assert codes.policy_code_of("32020183201") == "32020180000"
