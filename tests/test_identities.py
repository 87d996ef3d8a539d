"""Property tests: the cross-table identities (勾稽) of RULES.md hold for any small book.

Every 千元 cell must equal to_thousands of the 元 sum of exactly the items it
covers (recomputed here from the items, not read from other cells); identities
between tables are asserted on 元 sums or on cells rounded from the same 元
total, never on sums of rounded cells (尾差 is allowed).
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings, strategies as st

from xlbudget.core import codes

from xlbudget.derive import budgets, schedules
from xlbudget.core.amounts import to_thousands
from xlbudget.core.model import Agency, BudgetBook, ExpenseItem, PriorYear
from xlbudget.core.tables import AMOUNT

PLANS = {
    "32020180101": "一般行政-行政管理",
    "32020180102": "一般行政-基本行政",
    "32020183201": "數位發展計畫-數位發展計畫",
    "32020183202": "數位發展計畫-資訊安全",
    "32020190101": "資訊管理-系統維運",  # another 政事別 line (3202019)
}
LEVEL2 = sorted(c for c, e in codes.object_codes().items() if e.level == 2)
CAPITAL_CLASSES = sorted(c.key for c in codes.econ_classes() if c.basis == codes.CAPITAL)
LEVEL1_GROUP = {"經常": "經常支出", "資本": "資本支出"}
LEVEL1_NAME = {"1000": "人事費", "2000": "業務費", "3000": "設備及投資", "4000": "獎補助費",
               "5000": "債務費", "6000": "預備金"}
FUNCTION = "01"


@st.composite
def items(draw, plans):
    plan = draw(st.sampled_from(plans))
    code = draw(st.sampled_from(LEVEL2))
    entry = codes.object_codes()[code]
    basis = entry.fixed_basis or draw(st.sampled_from([codes.CURRENT, codes.CAPITAL]))
    if basis == codes.CURRENT:
        econ = codes.resolve_econ(entry.econ_default, basis).key
    else:
        econ = draw(st.sampled_from(CAPITAL_CLASSES))
    # half the time a multiple of 500 元, so .5 千元 ties (where half-to-even differs) come up often
    amount = draw(st.integers(min_value=-10**7, max_value=10**9)
                  | st.integers(min_value=-2 * 10**4, max_value=2 * 10**6).map(lambda n: n * 500))
    branch = draw(st.sampled_from(["", "01行政業務", "02資源管理"]))
    return ExpenseItem(plan_code=plan, plan_name=PLANS[plan], branch=branch, object_code=code, unit="式",
                       quantity=1, unit_price=amount, amount=amount, matched=0, basis=basis, econ=econ,
                       note="")


@st.composite
def books(draw):
    plans = draw(st.lists(st.sampled_from(sorted(PLANS)), min_size=1, max_size=3, unique=True))
    expenses = draw(st.lists(items(plans), min_size=1, max_size=8))
    prior = []
    for plan in sorted(PLANS):
        if draw(st.booleans()):
            prior.append(PriorYear(plan, PLANS[plan],
                                   last_budget=draw(st.none() | st.integers(-10**4, 10**6)),
                                   prior_final=draw(st.none() | st.integers(-10**4, 10**6))))
    agency = Agency(name="測試機關", code="02-018", year=113, authority="高雄市政府主管", function=FUNCTION)
    return BudgetBook(agency=agency, expenses=tuple(expenses), prior=tuple(prior))


def _yuan(items) -> int:
    return sum(i.amount for i in items)


def _group(items, key) -> dict:
    groups = defaultdict(list)
    for i in items:
        groups[key(i)].append(i)
    return groups


def _amount_cells_are_ints(table):
    amount_keys = [c.key for c in table.columns if c.kind == AMOUNT]
    for row in table.rows:
        for key in amount_keys:
            value = row.cells.get(key)
            assert value is None or type(value) is int, (table.title, row.code, key, value)


def _k(items):
    """The cell for these items: to_thousands of their 元 sum; blank (None) when there are none."""
    return to_thousands(_yuan(items)) if items else None


SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(books())
def test_summary_cells(book):
    table = schedules.derive_summary(book)
    by_plan = _group(book.expenses, lambda i: i.plan_code)
    # Σ plan columns in 元 = 合計 in 元
    assert sum(_yuan(v) for v in by_plan.values()) == _yuan(book.expenses)
    assert table.value("合計", "合計") == to_thousands(_yuan(book.expenses))
    assert [c.key for c in table.columns if c.kind == AMOUNT] == sorted(by_plan) + ["合計"]
    rows = {"合計": lambda i: True}
    for i in book.expenses:
        rows[i.object_code] = lambda j, c=i.object_code: j.object_code == c
        rows[codes.level1_of(i.object_code)] = lambda j, c=codes.level1_of(i.object_code): \
            codes.level1_of(j.object_code) == c
    assert {r.code for r in table.rows} == set(rows)
    for code, covers in rows.items():
        mine = [i for i in book.expenses if covers(i)]
        assert table.value(code, "合計") == _k(mine)
        for plan in by_plan:
            assert table.value(code, plan) == _k([i for i in mine if i.plan_code == plan]), (code, plan)
    _amount_cells_are_ints(table)


@SETTINGS
@given(books())
def test_level1_cells(book):
    table = schedules.derive_level1(book)
    scopes = {"合計": list(book.expenses)}
    for key in (lambda i: i.plan_code, lambda i: codes.program_code_of(i.plan_code),
                lambda i: codes.policy_code_of(i.plan_code)):
        for code, mine in _group(book.expenses, key).items():
            scopes[code] = mine
    assert {r.code for r in table.rows} == set(scopes)
    for code, mine in scopes.items():
        current = [i for i in mine if i.basis == codes.CURRENT]
        capital = [i for i in mine if i.basis == codes.CAPITAL]
        # the identity holds in 元; the printed 千元 row may differ by 尾差
        assert _yuan(current) + _yuan(capital) == _yuan(mine)
        assert table.value(code, "合計") == to_thousands(_yuan(mine))
        assert table.value(code, "經常支出/小計") == _k(current)
        assert table.value(code, "資本支出/小計") == _k(capital)
        for basis, part in ((codes.CURRENT, current), (codes.CAPITAL, capital)):
            by_l1 = _group(part, lambda i: codes.level1_of(i.object_code))
            for l1, name in LEVEL1_NAME.items():
                key = f"{LEVEL1_GROUP[basis]}/{name}"
                if l1 in by_l1:
                    assert table.value(code, key) == _k(by_l1[l1]), (code, key)
                elif any(c.key == key for c in table.columns):
                    assert table.value(code, key) is None, (code, key)
    _amount_cells_are_ints(table)


@SETTINGS
@given(books())
def test_capital_cells(book):
    table = schedules.derive_capital(book)
    capital = [i for i in book.expenses if i.basis == codes.CAPITAL]

    def column(i):
        entry = codes.object_codes()[i.object_code]
        if codes.level1_of(i.object_code) == "3000":
            return f"設備及投資/{entry.capital_column}"
        return "其他資本支出"  # 資本門 業務費 / 獎補助費 / 預備金

    assert table.value("合計", "合計") == to_thousands(_yuan(capital))
    scopes = {"合計": capital}
    scopes.update(_group(capital, lambda i: i.plan_code))
    scopes.update(_group(capital, lambda i: codes.program_code_of(i.plan_code)))
    assert {r.code for r in table.rows} == set(scopes)
    for code, mine in scopes.items():
        assert table.value(code, "合計") == to_thousands(_yuan(mine))
        by_column = _group(mine, column)
        for col in table.columns[2:]:
            assert table.value(code, col.key) == _k(by_column.get(col.key, [])), (code, col.key)
        assert sum(_yuan(v) for v in by_column.values()) == _yuan(mine)
    _amount_cells_are_ints(table)


@SETTINGS
@given(books())
def test_function_econ_cells(book):
    table = schedules.derive_function_econ(book)
    key_of = {c.key: "/".join((c.group, c.subgroup, c.name) if c.subgroup else (c.group, c.name))
              for c in codes.econ_classes()}
    by_econ = _group(book.expenses, lambda i: i.econ)
    # every line's class belongs to its own 門, so the 經常/資本 groups add up in 元
    for econ, mine in by_econ.items():
        cls = next(c for c in codes.econ_classes() if c.key == econ)
        assert {i.basis for i in mine} == {cls.basis}
    for row in ("合計", FUNCTION):
        assert table.value(row, "總計") == to_thousands(_yuan(book.expenses))
        for econ, column in key_of.items():
            assert table.value(row, column) == _k(by_econ.get(econ, [])), (row, econ)
        for basis, group in LEVEL1_GROUP.items():
            assert table.value(row, f"{group}/{group}合計") == \
                _k([i for i in book.expenses if i.basis == basis])
    for code in codes.functions():
        if code != FUNCTION:
            assert table.value(code, "總計") is None
    _amount_cells_are_ints(table)


@SETTINGS
@given(books())
def test_agency_budget_cells(book):
    table = budgets.derive_agency_budget(book)
    prior = {p.code: p for p in book.prior}
    by_plan = _group(book.expenses, lambda i: i.plan_code)
    # with 以前年度 lines, a plan without one (new this year) or with a blank 上年度 is 上年度 0, as the totals
    # take it; with none at all (XLB_SCHEDULE's range), 上年度 and 比較 are unknown, never read as 0
    known = bool(book.prior)
    plans = set(by_plan) | set(prior)
    for plan in plans:
        current = to_thousands(_yuan(by_plan.get(plan, [])))
        last = prior[plan].last_budget if plan in prior else None
        if known and last is None:
            last = 0
        assert table.value(plan, "本年度預算數") == current
        assert table.value(plan, "上年度預算數") == last
        # 比較 = 本年度 − 上年度
        assert table.value(plan, "本年度與上年度比較") == (None if last is None else current - last)
    top = table.rows[0].code
    lasts = [p.last_budget for p in book.prior if p.last_budget is not None]
    assert table.value(top, "上年度預算數") == (sum(lasts) if known else None)
    if known:
        assert table.value(top, "本年度與上年度比較") == to_thousands(_yuan(book.expenses)) - sum(lasts)
        # the 比較 column adds up: the total's is the plans' sum, 千元 rounding of 本年度 aside
        assert table.value(top, "本年度與上年度比較") - sum(table.value(p, "本年度與上年度比較") for p in plans) \
            == table.value(top, "本年度預算數") - sum(table.value(p, "本年度預算數") for p in plans)
    _amount_cells_are_ints(table)


@SETTINGS
@given(books())
def test_cross_table_totals(book):
    summary = schedules.derive_summary(book)
    level1 = schedules.derive_level1(book)
    capital = schedules.derive_capital(book)
    agency = budgets.derive_agency_budget(book)
    function = schedules.derive_function_econ(book)
    total = to_thousands(_yuan(book.expenses))
    # 丙3 合計 = 丙4 合計 = 乙2 本年度 = 丙10 總計
    assert summary.value("合計", "合計") == total
    assert level1.value("合計", "合計") == total
    assert agency.value(agency.rows[0].code, "本年度預算數") == total
    assert agency.value(agency.rows[1].code, "本年度預算數") == total
    assert function.value("合計", "總計") == total
    # 丙4 資本支出 = 丙5 合計 (丙4 leaves the cell blank when there is no 資本門; 丙5 prints 0)
    assert (level1.value("合計", "資本支出/小計") or 0) == capital.value("合計", "合計")
    # 丙3 column = 丙4 per plan
    for plan in {i.plan_code for i in book.expenses}:
        assert summary.value("合計", plan) == level1.value(plan, "合計") == agency.value(plan, "本年度預算數")
    # 丙2 明細表 plan totals in 元
    detail = schedules.derive_detail(book)
    totals = {r.code: r.cells["預算數"] for r in detail.rows if r.style == "total"}
    assert totals == {p: _yuan(v) for p, v in _group(book.expenses, lambda i: i.plan_code).items()}
    assert sum(totals.values()) == _yuan(book.expenses)
    for table in (summary, level1, capital, agency, function, detail):
        _amount_cells_are_ints(table)


def test_records_filled_at_once_are_the_same_records():
    """ExpenseItem and Row are made with filled_at_once's __init__ (speed): the same parameters and defaults as
    the dataclass's own, __post_init__ still run (業務計畫 from the plan code), and still frozen."""
    import dataclasses
    import inspect

    import pytest

    from xlbudget.core.records import filled_at_once
    from xlbudget.core.tables import Row

    item = ExpenseItem("32020180101", "一般行政-行政管理", "", "2003", "式", 2, 300, 600, 0, "經常", "x", "")
    assert (item.program_code, item.program_name, item.tags, dict(item.cells)) == ("32020180100", "一般行政", (), {})
    assert ExpenseItem(*dataclasses.astuple(item)[:12]).cells is not item.cells  # a new dict each time
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.amount = 1
    assert dataclasses.replace(item, amount=700).amount == 700 and item.amount == 600
    assert Row("c", "n", {}).style == "item" and Row("c", "n", {}, "total", 2).level == 2
    for cls in (ExpenseItem, Row):
        plain = dataclasses.dataclass(frozen=True)(type(cls.__name__, (), {
            "__annotations__": cls.__annotations__, "__module__": cls.__module__,
            **{f.name: f for f in dataclasses.fields(cls)}}))
        assert [(p.name, repr(p.default)) for p in inspect.signature(cls).parameters.values()] == [
            (p.name, repr(p.default)) for p in inspect.signature(plain).parameters.values()]
    with pytest.raises(TypeError):
        filled_at_once(dataclasses.dataclass(type("K", (), {"__annotations__": {"a": "int"},
                                                            "a": dataclasses.field(kw_only=True)})))


def _records():
    """Every class of the package made by core.records.record (its __setattr__ is records._frozen's)."""
    import importlib
    import pkgutil

    import xlwings_json  # noqa: F401 - walk_packages imports xlbudget.addin (xlwings): XLWINGS_ON_SERVER first

    import xlbudget

    found = {}
    for info in pkgutil.walk_packages(xlbudget.__path__, "xlbudget."):
        if info.name.startswith(("xlbudget.addin", "xlbudget.__main__")):
            continue  # the add-in imports xlwings
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, type) and getattr(value.__setattr__, "__module__", "") == "xlbudget.core.records":
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


def _twin(cls, **params):
    """A plain ``@dataclass(**params)`` of ``cls``'s fields (its name, defaults and __post_init__): what
    core.records' record and plain are held to."""
    import dataclasses

    return dataclasses.dataclass(**params)(type(cls.__name__, (), {
        "__annotations__": {f.name: f.type for f in dataclasses.fields(cls)}, "__module__": cls.__module__,
        "__qualname__": cls.__qualname__, **{f.name: dataclasses.field(
            default=f.default, default_factory=f.default_factory, init=f.init, repr=f.repr, hash=f.hash,
            compare=f.compare, metadata=f.metadata, kw_only=f.kw_only) for f in dataclasses.fields(cls)},
        **({"__post_init__": cls.__post_init__} if hasattr(cls, "__post_init__") else {})}))


def test_every_record_is_a_frozen_dataclass():
    """core.records.record makes what @dataclass(frozen=True) makes (import-time speed, issue 13): each record
    class of the package against a plain frozen dataclass of the same fields (``twin``), on records made of the
    same values: the same signature, fields, ==, hash, repr, ordering (CellRef), replace and pickle, and
    assigning or deleting a field refused with the dataclass's own message."""
    import dataclasses
    import inspect
    import pickle

    import pytest

    records = _records()
    assert {"xlbudget.core.model.CellRef", "xlbudget.core.model.ExpenseItem", "xlbudget.core.model.BudgetBook",
            "xlbudget.core.findings.Finding", "xlbudget.core.tables.Row", "xlbudget.core.codes.ObjectCode",
            "xlbudget.forms.pages.PageSetup"} <= set(records)
    assert len(records) >= 40
    for name, cls in records.items():
        order = cls.__lt__ is not object.__lt__
        twin = _twin(cls, frozen=True, order=order)
        assert [(p.name, repr(p.default)) for p in inspect.signature(cls).parameters.values()] == [
            (p.name, repr(p.default)) for p in inspect.signature(twin).parameters.values()], name
        assert [(f.name, f.repr, f.hash, f.compare) for f in dataclasses.fields(cls)] == [
            (f.name, f.repr, f.hash, f.compare) for f in dataclasses.fields(twin)], name
        required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING]
        for values in ({n: f"{n}-1" for n in required}, {n: f"{n}-2" for n in required}):
            try:
                a, b, t = cls(**values), cls(**values), twin(**values)
            except Exception:  # a __post_init__ that needs real values (ExpenseItem's plan code): its own test above
                values = None
                break
            assert a == b and not (a != b) and a is not b, name
            assert repr(a) == repr(t), name
            if cls.__hash__ is not None and twin.__hash__ is not None:
                try:
                    assert hash(a) == hash(t), name
                except TypeError:  # a field of an unhashable default (a dict) is in the hash: the twin's too
                    with pytest.raises(TypeError):
                        hash(t)
            else:
                assert cls.__hash__ is twin.__hash__ is None, name
            assert (a == t) is False, name  # another class: NotImplemented both ways, as between two dataclasses
            field = dataclasses.fields(cls)[0].name
            with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot assign to field '{field}'"):
                setattr(a, field, 1)
            with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot delete field '{field}'"):
                delattr(a, field)
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'other'"):
                a.other = 1
            assert dataclasses.replace(a) == a and dataclasses.asdict(a) == dataclasses.asdict(t), name
            try:
                assert pickle.loads(pickle.dumps(a)) == a, name
            except (pickle.PicklingError, AttributeError, TypeError):  # a class made inside a function: neither pickles
                with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
                    pickle.dumps(t)
        if order and values is not None:
            low, high = cls(**{n: f"{n}-1" for n in required}), cls(**{n: f"{n}-2" for n in required})
            assert low < high and low <= high and high > low and high >= low and not high < low, name


def test_every_plain_class_is_a_dataclass():
    """core.records.plain makes what @dataclass makes (import-time speed, issue 13): each such class of the package
    against a plain dataclass of the same fields (``twin``), on instances made of the same values: the same
    signature, fields, ==, repr, no hash, and assignable fields."""
    import dataclasses
    import importlib
    import inspect
    import pkgutil

    import xlwings_json  # noqa: F401 - walk_packages imports xlbudget.addin (xlwings): XLWINGS_ON_SERVER first

    import xlbudget

    found = {}
    for info in pkgutil.walk_packages(xlbudget.__path__, "xlbudget."):
        if info.name.startswith(("xlbudget.addin", "xlbudget.__main__")):
            continue
        for value in vars(importlib.import_module(info.name)).values():
            params = getattr(value, "__dataclass_params__", None)
            if isinstance(value, type) and params is not None and not params.frozen and not params.eq \
                    and value.__setattr__ is object.__setattr__ and value.__eq__ is not object.__eq__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    assert {"xlbudget.app.pipeline.BuildResult", "xlbudget.forms.layout.SheetLayout",
            "xlbudget.rules.checks.CheckReport", "xlbudget.adapters.books.LoadedBook"} <= set(found)
    for name, cls in found.items():
        twin = _twin(cls)
        assert [(p.name, repr(p.default)) for p in inspect.signature(cls).parameters.values()] == [
            (p.name, repr(p.default)) for p in inspect.signature(twin).parameters.values()], name
        assert cls.__hash__ is None and twin.__hash__ is None, name
        required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING]
        values = {n: f"{n}-1" for n in required}
        try:
            a, b, t = cls(**values), cls(**values), twin(**values)
        except Exception:  # a __post_init__ that needs real values
            continue
        assert a == b and not (a != b) and a is not b and (a == t) is False, name
        assert repr(a) == repr(t), name
        field = dataclasses.fields(cls)[0].name
        setattr(a, field, "other")
        assert a != b and getattr(a, field) == "other", name
